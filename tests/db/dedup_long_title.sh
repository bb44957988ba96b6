# A title of any number of words: blocking on its sorted words
# (title:sortedN, as the shipped configuration does) split the title into
# a fixed array of 64 words and sorted past its end, so a record whose
# title had more words crashed the run (exit 139). Now the run loads and
# matches it: two such records, one in each source, are compared.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
printf '[schema]\ntitle = text, required\n' >"$CONF"
for s in a b; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\n' "$s" "$s" >>"$CONF"
done
printf '[matching]\ntitle_field = title\ncompare.title = jaro_winkler\nblocking = title:sorted8\n' >>"$CONF"
words=$(seq 1 300 | sed 's/^/word/' | tr '\n' ' ')
printf 'id,title\n1,%s\n2,A Short Title\n' "$words" >"$T/a.csv"
printf 'id,title\n1,%s\n2,Another Title\n' "$words" >"$T/b.csv"
out=$(kas run 2>&1)
expect_eq "a run with 300-word titles succeeds (exit 0)" "$?" 0
expect_match "... and matches the records" "$out" "^matching: 4 records, [1-9][0-9]* pairs? compared"
expect_eq "the two long titles were compared as a pair" "$(sql "SELECT count(*) FROM kasparro.match_candidates c
	JOIN kasparro.records a ON a.id = c.rec_a JOIN kasparro.records b ON b.id = c.rec_b
	WHERE a.source_id = '1' AND b.source_id = '1'")" 1
