# The audit log and the decisions page by id, as an operator walks a long
# log: `audit --before ID` keeps the entries older than entry ID, and a
# page of either that hides rows ends naming the option that shows the
# next one ("--before 57 shows the next"), so each page leads to the next
# until the oldest. Without a filter, an empty log says it is empty.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_config
expect_eq "an empty audit log says so, not that a filter matched nothing" \
	"$(kas audit 2>&1)" "the audit log is empty"
sample_queued
for c in $(kas queue --json --limit 4 | python3 -c 'import json, sys
print(" ".join(str(c["id"]) for c in json.load(sys.stdin)))'); do
	kas reject "$c" >/dev/null 2>&1 || not_ok "reject candidate $c"
done
all=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id DESC) FROM kasparro.audit_log")
n=$(sql "SELECT count(*) FROM kasparro.audit_log")
[ "$n" -ge 4 ] || not_ok "the rejections are audited" "entries: $n"

# walk the log two entries a page, by the hint each page ends with
seen="" opt="" pages=0
while [ $pages -lt 20 ]; do
	out=$(kas audit --limit 2 $opt) || { not_ok "audit $opt" "$out"; break; }
	seen="$seen $(printf '%s\n' "$out" | awk '$1 ~ /^[0-9]+$/ && $2 ~ /^20[0-9][0-9]-/ { printf "%s ", $1 }')"
	pages=$((pages + 1))
	opt=$(printf '%s\n' "$out" | sed -n 's/.* shown; \(--before [0-9]*\) shows the next$/\1/p')
	[ -n "$opt" ] || break
done
expect_eq "following each page's hint walks every entry once, newest first" \
	"$(echo $seen)" "$all"
last=$(echo "$all" | awk '{ print $3 }')
expect_match "a page names the next page's --before" "$(kas audit --limit 2)" \
	"^2 of $n audit entries shown; --before $(echo "$all" | awk '{ print $2 }') shows the next\$"
expect_eq "--before counts only the older entries in --json's total" \
	"$(kas audit --before "$last" --limit 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["total"])')" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE id < $last")"
expect_eq "--before the oldest entry matches nothing" \
	"$(kas audit --before "$(sql 'SELECT min(id) FROM kasparro.audit_log')")" "no audit entries match"
expect_exit "--before takes an entry id" 2 kas audit --before x
expect_match "decisions' pages name the next one too" "$(kas decisions --limit 2)" \
	"^2 of [0-9]+ decisions shown; --before [0-9]+ shows the next\$"
