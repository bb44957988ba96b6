# What `kasparro shell-complete` and the bash script (share/bash-completion/
# kasparro) offer beyond command and option names, without a database:
# a value after --NAME= and TYPE: (bash splits the word there, at
# COMP_WORDBREAKS, and the value completed as a new argument), the
# lowercase words of a placeholder (--limit N|all: all), file names for -c,
# --config= and a FILE value, audit --object's types, the argument after an
# option's value, nothing past a command's last argument, and candidates in
# the C collation whatever the table's order.
. "$KASPARRO_TOP/tests/lib/lib.sh"
TOP=$KASPARRO_TOP
mkdir -p "$T/bin" "$T/conf.d"
ln -s "$BIN" "$T/bin/kasparro"
printf '[schema]\ntitle = text, required\n' >"$T/k.conf"
for s in notes books Zeta; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s" >>"$T/k.conf"
done
: >"$T/k.other"
export KASPARRO_DATABASE_URL="postgresql:///nosuch?host=$T/nosocket"

# words WORD...: shell-complete's candidates, on one line
words() { "$BIN" -c "$T/k.conf" shell-complete -- "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
# comp LINE WORD...: COMPREPLY for LINE typed after "kasparro ", the cursor
# at its end, split into the WORDs as bash splits it (at '=' and ':' too)
comp() {
	PATH="$T/bin:$PATH" bash --norc --noprofile -c '
		. "$1"; shift
		COMP_LINE="kasparro $1"; COMP_POINT=${#COMP_LINE}; shift
		COMP_WORDS=(kasparro "$@"); COMP_CWORD=$#
		_kasparro
		echo "${COMPREPLY[*]}"' _ "$TOP/share/bash-completion/kasparro" "$@"
}

expect_eq "shell-complete: --NAME=VALUE completes whole" "$(words runs --source=b)" \
	"--source=books"
expect_eq "bash: after --source=, the sources" \
	"$(comp "-c $T/k.conf runs --source=" -c "$T/k.conf" runs --source =)" "Zeta books notes"
expect_eq "bash: after --source=n, the source" \
	"$(comp "-c $T/k.conf runs --source=n" -c "$T/k.conf" runs --source = n)" "notes"
expect_eq "bash: an option's word after --NAME=" \
	"$(comp "queue --order=s" queue --order = s)" "score"
expect_eq "bash: a word split at '=' inside a value is one" \
	"$(comp "queue --order=s --o" queue --order = s --o)" "--offset --order"
expect_eq "--limit offers all" "$(words runs --limit '')" "all"
expect_eq "... and -n too" "$(words audit -n a)" "all"
expect_eq "bash: --limit=a" "$(comp "deleted --limit=a" deleted --limit = a)" "all"
expect_eq "audit --object offers the object types" "$(words audit --object '')" \
	"candidate: decision: entities entity: record: run: schedule source:"
expect_eq "bash: audit --object r" "$(comp "audit --object r" audit --object r)" "record: run:"
expect_eq "bash: audit --object run: (split at ':')" \
	"$(comp "audit --object run:" audit --object run :)" ""
expect_eq "bash: audit --object source:n" \
	"$(comp "-c $T/k.conf audit --object source:n" -c "$T/k.conf" audit --object source : n)" \
	"notes"
expect_eq "-c completes file names" "$(words -c "$T/k.")" "$T/k.conf $T/k.other"
expect_eq "... a directory with its '/'" "$(words -c "$T/con")" "$T/conf.d/"
expect_eq "--config= completes file names" "$(words --config="$T/k.c")" "--config=$T/k.conf"
expect_eq "bash: --config=FILE" "$(comp "--config=$T/k.c" --config = "$T/k.c")" "$T/k.conf"
expect_eq "a FILE value completes file names" "$(words export records -o "$T/k.o")" "$T/k.other"
expect_eq "a source after an option's value" "$(words fetch --limit 5 n)" "notes"
expect_eq "a subcommand after an option" "$(words export --format csv r)" "records"
expect_eq "nothing past a command's last argument" "$(words show-run 1 '')" ""
expect_eq "nothing past a command's last argument, after an option" \
	"$(words retire --yes notes '')" ""
expect_eq "split ENTITY RECORD: a record after the entity" "$(words split e1 '')" \
	"Zeta/ books/ notes/"
expect_eq "the words after -- are arguments, not options" "$(words retire -- --y)" ""
expect_eq "options in the C collation" "$(words queue --o)" "--offset --order"
expect_eq "sources in the C collation (capitals first)" "$(words run '')" "Zeta books notes"
expect_eq "subcommands in the C collation" "$(words db st)" "start status stop"
expect_eq "bash keeps kasparro's order" "$(comp "-c $T/k.conf run " -c "$T/k.conf" run '')" \
	"Zeta books notes"
expect_eq "no database, no wait: a run id completes to nothing" "$(words show-run '')" ""
