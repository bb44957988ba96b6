# Shell completion's edges: `keys --screen` offers the console's key tables
# (named below the console, so the shell's completion has them too: it
# offered nothing); a file name after "~" or "~/" is looked up in $HOME and
# keeps its "~/", which bash expands (nothing was offered); a cursor after
# an escaped blank or inside an open quote completes that word, and a
# candidate goes back quoted for the line (`my\ f` was passed to kasparro
# as typed, backslash and all, and matched nothing; a name with a blank
# came back unquoted, two words on the line).
. "$KASPARRO_TOP/tests/lib/lib.sh"
TOP=$KASPARRO_TOP
mkdir -p "$T/bin" "$T/home/sub dir" "$T/here"
ln -s "$BIN" "$T/bin/kasparro"
: >"$T/home/k.conf"
: >"$T/here/my file.csv"
: >"$T/here/other.csv"
export KASPARRO_DATABASE_URL="postgresql:///nosuch?host=$T/nosocket"

words() { (cd "$T/here" && "$BIN" shell-complete -- "$@" 2>&1) | tr '\n' ' ' | sed 's/ $//'; }
# comp LINE WORD...: COMPREPLY for LINE typed after "kasparro ", the cursor
# at its end, split into the WORDs as bash splits it, one candidate a line
comp() {
	(cd "$T/here" && PATH="$T/bin:$PATH" bash --norc --noprofile -c '
		. "$1"; shift
		COMP_LINE="kasparro $1"; COMP_POINT=${#COMP_LINE}; shift
		COMP_WORDS=(kasparro "$@"); COMP_CWORD=$#
		_kasparro
		printf "%s\n" "${COMPREPLY[@]}"' _ "$TOP/share/bash-completion/kasparro" "$@")
}

tables=$("$BIN" keys --json | python3 -c 'import json, sys
print(" ".join(sorted({k["table"] for k in json.load(sys.stdin)})))')
expect_eq "keys --screen offers every key table the console has" \
	"$(words keys --screen '')" "$tables"
expect_eq "... those that start with what is typed" "$(words keys --screen r)" \
	"record review runs"
expect_eq "... after --screen= too" "$(words keys --screen=p)" "--screen=pager"
expect_eq "bash: keys --screen re" "$(comp "keys --screen re" keys --screen re | paste -sd' ')" \
	"record review"

export HOME="$T/home"
expect_eq "'~' completes to the home folder" "$(words -c '~')" "~/"
expect_eq "'~/' lists the home folder's files, '~/' kept" "$(words -c '~/')" "~/k.conf ~/sub dir/"
expect_eq "... and '~/k' the one that starts so" "$(words export records -o '~/k')" "~/k.conf"
expect_eq "bash: '~/s' keeps its '~/' and quotes the rest" "$(comp '-c ~/s' -c '~/s')" \
	'~/sub\ dir/'

expect_eq "bash: a cursor after an escaped blank completes that word" \
	"$(comp 'export records -o my\ ' export records -o 'my\ ')" 'my\ file.csv'
expect_eq "bash: ... and inside an open double quote" \
	"$(comp 'export records -o "my f' export records -o '"my f')" 'my file.csv'
expect_eq "bash: ... and an open single quote" \
	"$(comp "export records -o 'my" export records -o "'my")" 'my file.csv'
expect_eq "bash: a name with a blank goes back escaped" \
	"$(comp 'export records -o m' export records -o m)" 'my\ file.csv'
expect_eq "bash: --config= a file with a blank" \
	"$(comp '--config=my\ f' --config = 'my\ f')" 'my\ file.csv'
