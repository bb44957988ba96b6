# /health gives what a monitor checks besides the status: this daemon's own
# clock (the one it schedules by; a monitor compares it with its own) and
# how long the database took to answer. It used to give neither.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
export KASPARRO_CLOCK_OFFSET=3600
start_daemon
unset KASPARRO_CLOCK_OFFSET

get /health
expect_eq "/health: 200 ok" "$CODE $(jq_ 'd["data"]["status"]')" "200 ok"
expect_match "the daemon's time, UTC" "$(jq_ 'd["data"]["time"]')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
skew=$(python3 -c 'import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
print(round((t - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 60))' "$(jq_ 'd["data"]["time"]')")
expect_eq "... its own clock (an hour ahead here), not the database's" "$skew" 60
expect_match "the database's answer time in milliseconds" "$(jq_ 'd["data"]["database"]["latency_ms"]')" \
	'^[0-9]+(\.[0-9]+)?$'
stop_daemon
