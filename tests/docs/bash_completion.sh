# The bash completion script (share/bash-completion/kasparro, installed by
# make install) completes commands, options, an option's words and source
# names from kasparro's own command table (kasparro shell-complete), the
# sources from the configuration file, without a database: bash sources it,
# and _kasparro fills COMPREPLY for COMP_WORDS/COMP_CWORD.
. "$KASPARRO_TOP/tests/lib/lib.sh"
TOP=$KASPARRO_TOP
mkdir -p "$T/bin"
ln -s "$BIN" "$T/bin/kasparro"
printf '[schema]\ntitle = text, required\n' >"$T/k.conf"
for s in books notes; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s" >>"$T/k.conf"
done
# no database: a Tab must never wait on one
export KASPARRO_DATABASE_URL="postgresql:///nosuch?host=$T/nosocket"

# comp WORD...: what COMPREPLY holds for `kasparro WORD...`, the last word
# the one completed, as one line
comp() {
	PATH="$T/bin:$PATH" bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_kasparro
		echo "${COMPREPLY[*]}"' _ "$TOP/share/bash-completion/kasparro" kasparro "$@"
}

expect_eq "a command's name" "$(comp appr)" "approve"
expect_eq "the commands with a prefix, the console's own left out" "$(comp ru)" "run runs"
expect_eq "no console-only command" "$(comp bulk)" ""
expect_eq "a command's options" "$(comp queue --o)" "--offset --order"
expect_eq "an option's words" "$(comp runs --status f)" "failed"
expect_eq "all of them for an empty word" "$(comp queue --order '')" "score uncertainty"
expect_eq "export's formats" "$(comp export records -f '')" "csv jsonl"
expect_eq "a subcommand" "$(comp db st)" "start status stop"
expect_eq "the source names of -c FILE, for a source option" \
	"$(comp -c "$T/k.conf" deleted --source '')" "books notes"
expect_eq "... and for a source argument" "$(comp -c "$T/k.conf" retire n)" "notes"
expect_eq "the file KASPARRO_CONFIG names" \
	"$(KASPARRO_CONFIG="$T/k.conf" comp restore --retired b)" "books"
expect_eq "an option's value after another option's" \
	"$(comp -c "$T/k.conf" runs --limit 5 --source '')" "books notes"
expect_eq "a value of no kind completes to nothing" "$(comp queue --offset '')" ""
expect_eq "an unreadable configuration: no source, no message" \
	"$(comp -c "$T/nosuch.conf" deleted --source '' 2>&1)" ""
expect_eq "shell-complete --json: one array, for other shells" \
	"$(PATH="$T/bin:$PATH" kasparro -c "$T/k.conf" shell-complete --json -- runs --source '')" \
	'["books","notes"]'
expect_match "make install puts it where bash-completion looks" \
	"$(make -s -n -C "$TOP" install DESTDIR=/nowhere DATADIR=/usr/share 2>&1 | tr -s '\\\n\t' ' ')" \
	'install -m 0644 share/bash-completion/kasparro "/nowhere/usr/share/bash-completion/completions/kasparro"'
