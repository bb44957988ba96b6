# A cron step past the end of its range selects the range's first value
# alone ('*/61' on minutes fires at minute 0 only, '*/25' on hours at
# midnight only): `schedule set` refuses it (exit 2) naming the field, the
# range and what it would select, and so does the configuration's
# [scheduler] cron, with its file and line. A step that reaches the last
# value still repeats. An expression an earlier kasparro stored with such
# a step keeps firing as it did. Before, both were accepted silently.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
. "$KASPARRO_TOP/tests/lib/http.sh" # json_get
new_db
small_config '0 3 * * *'
kas db migrate >/dev/null

out=$(kas schedule set '*/61 * * * *' 2>&1)
expect_eq "schedule set '*/61 * * * *': refused (exit 2)" "$?" 2
expect_eq "... naming the field, its range and what it would select" "$out" \
	"kasparro: cron '*/61 * * * *': minute: step 61 over '*' (0-59) selects only 0; a step of at most 59 repeats, or write 0 if that is meant"
expect_match "'0 */25 * * *': the hour's range" "$(kas schedule set '0 */25 * * *' 2>&1)" \
	"hour: step 25 over '\*' \(0-23\) selects only 0"
expect_match "'0 9 10-20/11 * *': a range's own" "$(kas schedule set '0 9 10-20/11 * *' 2>&1)" \
	"day-of-month: step 11 over 10-20 selects only 10; a step of at most 10 repeats"
expect_eq "... the schedule is unchanged" "$(kas schedule --json | json_get 'd["cron"]')" "0 3 * * *"
expect_match "'*/59 * * * *' repeats (0 and 59): set" "$(kas schedule set '*/59 * * * *' 2>&1)" \
	"^schedule set to '\*/59 \* \* \* \*'"
# the others as before: */0 and a backward range refused
expect_exit "'*/0 * * * *' refused (exit 2)" 2 kas schedule set '*/0 * * * *'
expect_exit "'5-3 * * * *' refused (exit 2)" 2 kas schedule set '5-3 * * * *'

# As stored by an earlier kasparro: shown, and its fire time is minute 0.
sql "UPDATE kasparro.scheduler SET cron = '*/61 * * * *'" >/dev/null
out=$(kas schedule --json 2>&1)
expect_eq "a stored '*/61 * * * *' is still read (exit 0)" "$?" 0
expect_eq "... its fire times after the one already stored are on the hour, as before" \
	"$(printf '%s' "$out" | json_get '" ".join(sorted(set(t[14:16] for t in d["upcoming"][1:])))')" "00"

sed -i 's|^cron = .*|cron = */60 * * * *|' "$CONF"
line=$(grep -n '^cron = ' "$CONF" | cut -d: -f1)
out=$(kas config check 2>&1)
expect_eq "[scheduler] cron = */60 * * * *: config check exits 2" "$?" 2
expect_eq "... naming the file, the line, the field and its range" "$out" \
	"kasparro: config '$CONF' line $line: cron '*/60 * * * *': minute: step 60 over '*' (0-59) selects only 0; a step of at most 59 repeats, or write 0 if that is meant"
sed -i 's|^cron = .*|cron = 0 0 * * */7|' "$CONF"
expect_match "weekday '*/7': Sunday alone (0 and 7)" "$(kas config check 2>&1)" \
	"day-of-week: step 7 over '\*' \(0-7\) selects only 0; a step of at most 6 repeats"
sed -i 's|^cron = .*|cron = 0 */23 * * */6|' "$CONF"
expect_exit "'0 */23 * * */6': valid" 0 kas config check
