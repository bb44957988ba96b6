# Paper records written two ways, as two catalogues write them: each paper
# of source a has two namesakes in source b, of one title, one by the
# people and at the venue a names and one not; papers without a namesake
# let the model learn what agreeing fields say. The paper must join its
# true partner, never the namesake (before, both candidates tied and
# neither was merged):
# - authors with initials in a ("J. Smith, R. Jones"), in full in b: the
#   partner's "James Smith, Rita Jones", the namesake's "Mary Smith, Olga
#   Jones" — an initial agrees with the name it begins;
# - venues short in a ("VLDB", "ICDE"), in full in b: the partner's at the
#   venue a names ("Very Large Data Bases"), the namesake's at the other
#   ("International Conference on Data Engineering") — an acronym agrees
#   with the words whose initials it spells.
. "$KASPARRO_TOP/tests/lib/lib.sh"

words="indexing streams joins views caching recovery logging sampling cubes graphs
	lineage ranking updates schemas storage replicas locking tuning"
surnames="Smith Jones Brown Garcia Wilson Taylor Moore Clark Lewis Walker
	Young Allen Wright Scott Green Baker Adams Nelson Hill Ramirez"
vldb="Very Large Data Bases" icde="International Conference on Data Engineering"
nth() { echo $2 | cut -d' ' -f"$1"; }

# papers KIND: writes a.csv and b.csv (id|title|authors|venue), KIND
# "initials" or "acronyms" saying which field tells the namesakes apart
papers() {
	echo "id|title|authors|venue" >"$T/a.csv"
	echo "id|title|authors|venue" >"$T/b.csv"
	n=0
	for w in $words; do
		n=$((n + 1))
		s1=$(nth $n "$surnames") s2=$(nth $((n + 1)) "$surnames")
		if [ $1 = initials ]; then
			echo "a$n|Notes on $w in practice|J. $s1, R. $s2|VLDB" >>"$T/a.csv"
			echo "t$n|Notes on $w in practice|James $s1, Rita $s2|$vldb" >>"$T/b.csv"
			echo "n$n|Notes on $w in practice|Mary $s1, Olga $s2|$vldb" >>"$T/b.csv"
		else
			echo "a$n|Notes on $w in practice|Ann $s1|ICDE" >>"$T/a.csv"
			echo "t$n|Notes on $w in practice|Ann $s1|$icde" >>"$T/b.csv"
			echo "n$n|Notes on $w in practice|Ann $s1|$vldb" >>"$T/b.csv"
		fi
	done
	for k in $(seq 1 60); do
		w=$(nth $((k % 18 + 1)) "$words")
		s1=$(nth $((k % 20 + 1)) "$surnames") s2=$(nth $(((k * 7) % 20 + 1)) "$surnames")
		echo "p$k|Study $k of $w|K. $s1, L. $s2|VLDB" >>"$T/a.csv"
		echo "q$k|Study $k of $w|Karl $s1, Lena $s2|$vldb" >>"$T/b.csv"
	done
}

# joins KIND: loads papers KIND into a database of its own and checks that
# every paper joined its partner and none its namesake
joins() {
	new_db "_$1"
	papers $1
	CONF="$T/k.conf"
	{
		printf '[schema]\ntitle = text\nauthors = text\nvenue = text\n'
		for s in a b; do
			printf '[source %s]\nkind = csv\npath = %s.csv\ndelimiter = pipe\nid = id\n' $s $s
			printf 'unique = true\nmap.title = title\nmap.authors = authors\nmap.venue = venue\n'
		done
		printf '[matching]\ntitle_field = title\n'
	} >"$CONF"
	out=$(kas run 2>&1)
	expect_eq "$1: the run succeeds" "$?" 0
	partners=0 namesakes=0
	for k in $(seq 1 $n); do
		[ "$(entity_of a$k)" = "$(entity_of t$k)" ] && partners=$((partners + 1))
		[ "$(entity_of a$k)" = "$(entity_of n$k)" ] && namesakes=$((namesakes + 1))
	done
	expect_eq "$1: every paper joins its partner" "$partners" "$n"
	expect_eq "$1: ... and none its namesake" "$namesakes" 0
}

joins initials
joins acronyms
