# A command that takes --json says so wherever its usage is written: in the
# usage line `help` prints (and the console's command line shows), and in
# its kasparro(1) entry; the option list `help COMMAND` prints, made from
# the command table, is what takes it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
PAGE="$TOP/man/kasparro.1"

# the entry's synopsis: from ".It Xo Ic NAME" to its ".Xc"
synopsis() { sed -n "/^\.It Xo Ic $1\$/,/^\.Xc\$/p" "$PAGE"; }

cmds=$(kas help --json | python3 -c 'import json, sys; print(" ".join(c["name"] for c in json.load(sys.stdin)))')
[ -n "$cmds" ] || not_ok "help --json lists the commands"
for c in $cmds; do
	kas help "$c" | grep -Eq '^ +--json ' || continue
	expect_match "$c takes --json, and its usage line says so" "$(kas help "$c" | head -1)" \
		'\[--json\]'
	expect_match "... and its kasparro(1) entry" "$(synopsis "$c")" '^\.Op Fl Fl json$'
done
