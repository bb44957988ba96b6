# Keyset pagination of GET /data: a walk of 10,000 records while a run
# inserts 200,000 more sees each existing record exactly once, and the new
# ones only after its cursor, in order; an incremental walk (since) stops at
# its watermark, and the next walk from the watermark takes exactly the rest.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 2000 base more
python3 - "$T" <<'PY'
import sys
for name, rows in (("base", 10000), ("more", 200000)):
    with open(f"{sys.argv[1]}/{name}.csv", "w") as f:
        f.write("id,title,n\n")
        for i in range(rows):
            f.write(f"{name}{i},{name} record {i},{i}\n")
PY
api_keys
api_section
kas run base >/dev/null 2>&1
expect_eq "10,000 records to walk" "$(sql "SELECT count(*) FROM kasparro.records")" 10000
start_daemon

req POST /runs "$OPS_KEY" -d '{"sources": ["more"]}'
expect_eq "a run of 200,000 more records starts" "$CODE" 202
run=$(jq_ 'd["data"]["run_id"]')
wait_for "it has committed a first batch" 60 sh -c \
	"[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM kasparro.records WHERE source = 'more'\")\" -gt 0 ]"
before=$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'more'")
set -- $(walk "limit=100&fields=n" "$T/walk1")
after=$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'more'")
if [ "$after" -gt "$before" ]; then ok "the run inserted while the client walked ($before -> $after)"; else
	not_ok "the run inserted while the client walked" "$before -> $after"; fi
expect_eq "every one of the 10,000 records, once" \
	"$(awk '$2 == "base"' "$T/walk1" | sort -u | wc -l | tr -d ' ') $(awk '$2 == "base"' "$T/walk1" | wc -l | tr -d ' ')" "10000 10000"
expect_eq "no record twice in the whole walk" "$(cut -d' ' -f1 "$T/walk1" | sort | uniq -d | wc -l | tr -d ' ')" 0
expect_eq "ids strictly increasing: a stable order" \
	"$(awk 'NR > 1 && $1 <= prev { bad++ } { prev = $1 } END { print bad + 0 }' "$T/walk1")" 0
wait_for "the run ends" 180 sh -c \
	"[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT status FROM kasparro.runs WHERE id = $run\")\" = succeeded ]"

# incremental: since=0 while another run changes records
sed 's/ record / changed /' "$T/base.csv" >"$T/base2.csv" && mv "$T/base2.csv" "$T/base.csv"
req POST /runs "$OPS_KEY" -d '{"sources": ["base"]}'
run=$(jq_ 'd["data"]["run_id"]')
set -- $(walk "since=0&limit=1000&fields=title" "$T/inc1")
wm=$2
expect_match "an incremental walk returns its watermark" "$wm" '^[0-9]+$'
expect_eq "... and every record it returns is at or below it, once" \
	"$(awk -v wm="$wm" '$4 > wm { bad++ } END { print bad + 0 }' "$T/inc1") $(cut -d' ' -f1 "$T/inc1" | sort | uniq -d | wc -l | tr -d ' ')" "0 0"
wait_for "the changing run ends" 120 sh -c \
	"[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT status FROM kasparro.runs WHERE id = $run\")\" = succeeded ]"
set -- $(walk "since=$wm&limit=1000&fields=title" "$T/inc2")
expect_eq "the next walk from the watermark takes exactly the changes after it" \
	"$(wc -l <"$T/inc2" | tr -d ' ')" "$(sql "SELECT count(*) FROM kasparro.records WHERE change_seq > $wm AND NOT is_deleted")"
expect_eq "the two walks together: every live record at its latest change" \
	"$(cat "$T/inc1" "$T/inc2" | sort -k1,1n -k4,4nr | sort -u -k1,1n | awk '{print $1, $4}' | md5sum)" \
	"$(sql "SELECT id || ' ' || change_seq FROM kasparro.records WHERE NOT is_deleted ORDER BY id" | md5sum)"
stop_daemon
