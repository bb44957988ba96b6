# A fire time the scheduler recorded but never ran (missed past its grace,
# missed by coalescing into a later one, skipped while another process held
# the run lock) has no duration and no counts: `runs` shows "-" for them,
# as for any value that does not exist, and --json null; show-run gives no
# duration but the fire time. Runs that ran keep their numbers. `schedule`
# gives such a fire time's run id, the row runs lists and show-run takes,
# as --json and the console do. The runs listing used to show 0.0 and
# zero counts, and schedule '-' for the id.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db
small_config "0 */6 * * *"
printf 'grace = 15m\ncoalesce = true\n' >>"$CONF"
fire_times_fixture

out=$(kas runs)
dashes=' +- +- +- +- +- +- +- +- +- +'
expect_match "a fire time missed past its grace: no duration, no counts" "$out" \
	"^ +2 +missed +schedule +scheduler +[0-9-]+ [0-9:]+$dashes missed: found 20m after"
expect_match "... one skipped while a run held the lock" "$out" \
	"^ +3 +skipped +schedule +scheduler +[0-9-]+ [0-9:]+$dashes skipped: "
expect_match "... one coalesced into a later fire time" "$out" \
	"^ +4 +missed +schedule +scheduler +[0-9-]+ [0-9:]+$dashes missed: coalesced into"
expect_match "a run that ran keeps its duration and counts" "$out" \
	"^ +1 +succeeded +schedule +scheduler +[0-9-]+ [0-9:]+ +[0-9]+\.[0-9] +3 +3 +0 +0 +0 +0 +- +- +-$"
expect_no_match "no missed or skipped row says 0.0 seconds" \
	"$(printf '%s\n' "$out" | grep -E '^ +[0-9]+ +(missed|skipped) ')" " 0\.0 "

json=$(kas runs --json)
nulls() { # the fields of run $1 that are null, of those a run that ran has
	printf '%s' "$json" | python3 -c '
import json, sys
keys = ["seconds", "fetched", "inserted", "updated", "unchanged", "quarantined",
        "soft_deleted", "deletions"]
run = [r for r in json.load(sys.stdin) if r["id"] == int(sys.argv[1])][0]
print(" ".join(k for k in keys if run[k] is None) or "none")' "$1"
}
all="seconds fetched inserted updated unchanged quarantined soft_deleted deletions"
expect_eq "--json: the missed run's duration and counts are null" "$(nulls 2)" "$all"
expect_eq "--json: so are the skipped run's" "$(nulls 3)" "$all"
expect_eq "--json: so are the coalesced run's" "$(nulls 5)" "$all"
expect_eq "--json: a run that ran has them all" "$(nulls 6)" "none"
expect_match "--status missed lists them the same way" "$(kas runs --status missed)" \
	"^ +5 +missed +schedule +scheduler +[0-9-]+ [0-9:]+$dashes missed: coalesced"

out=$(kas show-run 2)
expect_match "show-run of a missed run gives its fire time, no duration" "$out" \
	"^run 2: missed, schedule by scheduler, fire time 2026-11-28T18:00:00Z, recorded [0-9T:-]+Z$"
expect_no_match "... and no 0.0s" "$out" "0\.0s"
expect_eq "show-run --json: its seconds are null" \
	"$(kas show-run --json 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')" None
expect_match "show-run of a run that ran keeps its duration" "$(kas show-run 1)" \
	"^run 1: succeeded, schedule by scheduler, started [0-9T:-]+Z, [0-9]+\.[0-9]s$"

out=$(KASPARRO_NOW=2026-11-29T18:30:00Z kas schedule)
expect_match "schedule gives a missed fire time's run id" "$out" \
	"^2026-11-28T18:00:00Z +missed +2 +missed: found 20m after"
expect_match "... a skipped one's" "$out" "^2026-11-29T00:00:00Z +skipped +3 +skipped: "
expect_match "... a coalesced one's" "$out" "^2026-11-29T06:00:00Z +missed +4 +missed: coalesced"
expect_match "... and a run's, as before" "$out" "^2026-11-29T18:00:00Z +succeeded +6 +-$"
expect_eq "--json gives the same ids" \
	"$(KASPARRO_NOW=2026-11-29T18:30:00Z kas schedule --json | python3 -c '
import json, sys
print(" ".join("%s:%s" % (r["status"], r["run"]) for r in json.load(sys.stdin)["recent"]))')" \
	"succeeded:6 missed:5 missed:4 skipped:3 missed:2 succeeded:1"
