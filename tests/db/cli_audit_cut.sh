# The audit's text view cut before/after values at 40 bytes: in the middle
# of a UTF-8 character (invalid text), and with nothing after the table to
# say that --json has them whole. A value is cut on a whole character at
# 40 characters, ending in "…", and a line after the table says where the
# whole values are; a value that fits is printed whole, with no such line.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 1 2 >"$T/shop.csv"
kas run >/dev/null
long=$(python3 -c 'print("a" + "é" * 45)')
sql "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, before, after)
	VALUES ('test', 'schedule.set', 'schedule', 'main', '{\"cron\": \"0 * * * *\"}',
	'{\"cron\": \"$long\"}')" >/dev/null

out=$(kas audit --action schedule.set)
expect_match "the value is cut after 40 characters, ending in …" "$out" \
	"cron: 0 \\* \\* \\* \\* → a$(python3 -c 'print("é" * 38)')…\$"
expect_eq "... as valid UTF-8" "$(printf '%s\n' "$out" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && echo valid)" valid
expect_match "a line after the table says where the whole value is" "$out" \
	"^a value ending in … is cut at 40 characters: 'kasparro audit --json' has before and after whole \\(--object TYPE:ID for one object's\\)\$"
expect_eq "--json has it whole" \
	"$(kas audit --action schedule.set --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["after"]["cron"])')" "$long"
sql "UPDATE kasparro.audit_log SET after = '{\"cron\": \"5 * * * *\"}' WHERE actor = 'test'" >/dev/null
out=$(kas audit --action schedule.set)
expect_match "a short value whole" "$out" "cron: 0 \\* \\* \\* \\* → 5 \\* \\* \\* \\*\$"
expect_no_match "... and no line about a cut" "$out" "is cut at"
