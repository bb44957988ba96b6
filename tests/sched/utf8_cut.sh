# A message kept in a short buffer is cut on a whole UTF-8 character and
# ends in "… [cut]": here a scheduled run's error as `schedule` shows it
# (the scheduler's view keeps 200 bytes a run), about a file path of
# non-ASCII characters. A cut inside a character printed invalid UTF-8, and
# JSON that a strict parser refuses.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a
printf 'id,title,n\n1,one,1\n' >"$T/a.csv"
kas run >/dev/null || not_ok "the first run loads the fixture"

valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
# the ends of the scheduled runs' errors, or why the JSON does not parse
error_ends() {
	python3 -c 'import json, sys
try:
    d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
except ValueError as e:
    print("invalid JSON: %s" % e); sys.exit(0)
for r in d["recent"]:
    print(r["error"][-8:])' "$1"
}

# three long errors, zero, one and two bytes off a character boundary:
# wherever a cut falls, two of them are cut inside a character
long=$(python3 -c 'print("東京" * 80)')
for pad in "" x xx; do
	sql "INSERT INTO kasparro.runs (trigger, actor, scheduled_for, started_at, finished_at,
		status, error) VALUES ('schedule', 'scheduler', now(), now(), now(), 'failed',
		'source ''a'': unable to open ''/srv/$pad$long.csv''')" >/dev/null
done
kas schedule --json >"$T/schedule.json"
check "schedule --json with errors cut to fit is valid UTF-8" valid_utf8 "$T/schedule.json"
expect_eq "... each error ending in '… [cut]' after a whole character" \
	"$(error_ends "$T/schedule.json" | sed 's/^.*\(.\)… \[cut\]$/\1/' | tr -d '東京\n')" ""
expect_eq "... three of them" "$(error_ends "$T/schedule.json" | grep -c '… \[cut\]$')" 3
kas schedule >"$T/schedule.txt"
check "schedule's table is valid UTF-8 too" valid_utf8 "$T/schedule.txt"
