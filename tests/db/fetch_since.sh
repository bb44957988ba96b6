# `fetch --since CURSOR` sends the cursor a run would send; a source with
# no place for one (a CSV file, read whole; an API whose url has no
# {since} and that sets no since_param) would be read whole while the
# operator believes it filtered: a usage error naming the source, its
# section's line in the config file and why.
. "$KASPARRO_TOP/tests/lib/lib.sh"
sample_config
line=$(grep -n '^\[source articles-csv\]' "$CONF" | cut -d: -f1)
out=$(kas fetch --since 2026-01-01 --limit 1 articles-csv 2>&1)
expect_eq "a CSV source refuses --since (exit 2)" "$?" 2
expect_match "... naming the source, the config file and line, and why" "$out" \
	"^kasparro: option '--since': source 'articles-csv' \(config '$CONF' line $line\) has no place for a cursor: a CSV file is read whole\$"
expect_no_match "... before reading anything" "$out" "^line 2 "
out=$(kas fetch --since 2026-01-01 --limit 1 articles-api 2>&1)
expect_eq "an API with nowhere to send a cursor refuses it too" "$?" 2
expect_match "... saying where a cursor would go" "$out" \
	"source 'articles-api' .* has no place for a cursor: its url has no \{since\} and it sets no since_param\$"
check "without --since the CSV source is read" kas fetch --limit 1 articles-csv
