# The audit log writes a record's deleted_at as every other time kasparro
# shows: ISO 8601 in UTC with a Z, to the second (2026-12-05T17:40:07Z),
# the same as `deleted` and `show-record` give for it; the text of
# `audit` shows it as the other tables' text does (2026-12-05 17:40:07).
# Before, the copies held it as jsonb writes a timestamptz
# (2026-12-05T17:40:07.166505+00:00).
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf 'id,title\n1,One\n2,Two\n' >"$T/shop.csv"
iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
kas run shop >/dev/null 2>&1
printf 'id,title\n1,One\n' >"$T/shop.csv"
kas run --allow-mass-delete shop >/dev/null 2>&1
rid=$(sql "SELECT id FROM kasparro.records WHERE source_id = '2'")
jq_first() { python3 -c 'import json, sys; r = json.load(sys.stdin); r = r.get("rows", r) if isinstance(r, dict) else r; print(eval(sys.argv[1]))' "$1"; }

deleted=$(kas deleted --json | jq_first 'r[0]["deleted_at"]')
expect_match "deleted gives the time as ISO 8601 UTC with Z" "$deleted" "$iso"
after=$(kas audit --action soft_delete --json | jq_first 'r[0]["after"]["deleted_at"]')
expect_eq "the soft_delete audit row's after copy gives the same time, the same way" \
	"$after" "$deleted"
text=$(kas audit --action soft_delete 2>&1)
expect_match "audit's text shows it as the other tables' text does" "$text" \
	"deleted_at: null → $(echo "$deleted" | sed 's/T/ /; s/Z$//')"

kas restore "$rid" >/dev/null 2>&1
before=$(kas audit --action restore --json | jq_first 'r[0]["before"]["deleted_at"]')
expect_eq "the restore audit row's before copy gives it the same way" "$before" "$deleted"
expect_match "audit's text for the restore" "$(kas audit --action restore 2>&1)" \
	"deleted_at: $(echo "$deleted" | sed 's/T/ /; s/Z$//') → null"
