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
# the screens, as `screen` lists them (from the console's one screen table)
screens=$(kas help screen | sed -n 's/^usage: kasparro screen //p' | tr -d ' ' | tr '|' '\n' |
	grep -vxE 'NUMBER|next|previous' | sort | tr '\n' ' ')
expect_eq "the key table has bindings for every screen, and the global, pager and record tables" \
	"$(kas keys --json | python3 -c 'import json,sys; print(" ".join(sorted({k["table"] for k in json.load(sys.stdin)} - {"global", "pager", "record"})))') " \
	"$screens"
[ -n "$screens" ] || not_ok "screen's usage lists the screens"

expect_match "console-only commands refuse to run in a shell" "$(kas echo hi 2>&1)" \
	"'echo' works only inside the console"
