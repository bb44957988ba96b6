# The manuals are in step with the program: every command in the command
# table (the console-only ones included: the generated table, not `help`,
# which leaves those out in a shell) has its entry in kasparro(1), every
# configuration key its entry in kasparro.conf(5), and both pages pass
# mandoc's linter.
. "$KASPARRO_TOP/tests/lib/lib.sh"

for page in "$TOP/man/kasparro.1" "$TOP/man/kasparro.conf.5"; do
	check "mandoc -Tlint is clean on $(basename "$page")" mandoc -Tlint -W warning "$page"
done

cmds=$(sed -n 's/^CMD_ENTRY(\(.*\))$/\1/p' "$KASPARRO_BUILD/gen/cmd-table.h" | tr _ -)
[ -n "$cmds" ] || not_ok "the command table lists commands"
for c in $cmds; do
	if grep -Eq "^\.It (Xo )?Ic $c( |\$)" "$TOP/man/kasparro.1"; then
		ok "command '$c' is documented in kasparro.1"
	else
		not_ok "command '$c' is documented in kasparro.1" "no '.It Xo Ic $c' entry"
	fi
done

kas config keys --json | python3 -c '
import json, sys
for k in json.load(sys.stdin):
    print(k["section"], k["key"])' | while read -r section key; do
	case "$key" in
	"*") pattern="^\.Sh \[$section\]" ;;
	*.\*) pattern="^\.It Cm ${key%\*} Ns" ;;
	*) pattern="^\.It Cm $key Ns" ;;
	esac
	if grep -Eq "$pattern" "$TOP/man/kasparro.conf.5"; then
		ok "config key [$section] $key is documented in kasparro.conf.5"
	else
		not_ok "config key [$section] $key is documented in kasparro.conf.5" "pattern: $pattern"
	fi
done
