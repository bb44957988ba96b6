# kasparro(1) documents the console as it is: the key lists are exactly
# what the key table says (tools/man-keys.sh prints them from it). Every
# command's entry is checked by tests/docs/man.sh.
. "$KASPARRO_TOP/tests/lib/lib.sh"
PAGE="$TOP/man/kasparro.1"

sed -n '/^\.\\" keys: generated/,/^\.\\" end of keys/p' "$PAGE" | sed '1d;$d' >"$T/in-page"
sh "$TOP/tools/man-keys.sh" "$BIN" >"$T/from-table"
if cmp -s "$T/in-page" "$T/from-table"; then
	ok "the Keys list in kasparro.1 is the key table (tools/man-keys.sh)"
else
	not_ok "the Keys list in kasparro.1 is the key table (tools/man-keys.sh)" \
		"$(diff "$T/in-page" "$T/from-table" | head -20)"
fi
expect_match "the key table has bindings for every screen" \
	"$(kas keys --json | python3 -c 'import json,sys; print(sorted({k["table"] for k in json.load(sys.stdin)}))')" \
	"'deleted', 'entities', 'global', 'log', 'pager', 'review', 'runs', 'schedule', 'sources'"

expect_match "console-only commands refuse to run in a shell" "$(kas echo hi 2>&1)" \
	"'echo' works only inside the console"
