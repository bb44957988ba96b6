# `runs --source SOURCE` lists the runs that read one source, each with that
# source's own status, counts and error (a run that is partial because
# another source failed is a success of this one); `--status` is then the
# source's; `--since TIME` keeps the runs started since then. An empty list
# says which filters matched nothing.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config good
csv_source bad
title_rows 1 5 >"$T/good.csv"
printf 'id,title\n1,One\n2,\n3,\n' >"$T/bad.csv"
kas run >/dev/null 2>&1
kas run >/dev/null 2>&1
expect_eq "both runs are partial: source bad failed" \
	"$(sql "SELECT string_agg(status, ' ' ORDER BY id) FROM kasparro.runs")" "partial partial"

expect_match "runs --source good lists both, with good's own status and counts" \
	"$(kas runs --source good)" '^ +2 +succeeded +manual .* 5 +0 +0 +5 +0 +0 '
expect_eq "each with good's error: none" \
	"$(kas runs --source good --json | jq -r 'map(.status + " " + (.fetched|tostring) + " " + (.error // "-")) | join(", ")')" \
	"succeeded 5 -, succeeded 5 -"
expect_eq "runs --source bad: bad's counts and its own error, without another source's" \
	"$(kas runs --source bad --limit 1 --json | jq -r '.[0] | [.status, .fetched, .quarantined, .error] | join(" / ")')" \
	"failed / 3 / 2 / quarantined 2 of 3 records (67%), above error_ratio 10%"
expect_eq "--status applies to the source: good never failed" \
	"$(kas runs --source good --status failed)" "no run read source 'good' with status failed"
expect_exit "a name no configuration or run knows is a usage error" 2 kas runs --source nosuch
expect_match "... naming the option and the configured sources" "$(kas runs --source nosuch 2>&1)" \
	"option '--source': no source 'nosuch' is configured or was ever read \\(configured: good, bad\\)$"
expect_eq "--json too: nothing on stdout, exit 2" \
	"$(kas runs --source nosuch --json 2>/dev/null; echo "exit $?")" "exit 2"
csv_source later
expect_eq "a source configured since, that no run read yet, says so" \
	"$(kas runs --source later)" "no run read source 'later'"
expect_eq "without --source, both runs with the whole run's counts" \
	"$(kas runs --json | jq -r 'map(.fetched|tostring) | join(" ")')" "8 8"

sql "UPDATE kasparro.runs SET started_at = started_at - interval '2 days' WHERE id = 1" >/dev/null
expect_eq "--since 1d keeps the run started within the day" \
	"$(kas runs --since 1d --json | jq -r 'map(.id|tostring) | join(" ")')" "2"
expect_eq "--since combines with --source" \
	"$(kas runs --source bad --since 1d --json | jq -r 'map(.id|tostring) | join(" ")')" "2"
expect_eq "--since with nothing after it says so" "$(kas runs --since 2099-01-01)" \
	"no run since 2099-01-01"
expect_exit "--since that is not a time is a usage error" 2 kas runs --since yesterdayish
