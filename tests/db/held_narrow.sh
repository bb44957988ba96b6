# `held` on an 80-column terminal is a table, not a row at a time: AT
# loses its seconds and year ("12-07 05:30", as decisions and deleted
# write it), MISSED and BY leave, and the row fits. A wide terminal has
# the time whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_held
at() { script -qc "stty cols $1; \"$BIN\" -c \"$CONF\" held --all" /dev/null | tr -d '\r'; }

out=$(at 80)
expect_match "at 80 columns held is a table: its header (MISSED and BY left for the reason)" "$out" \
	"^RUN +SOURCE +HELD +LIVE +STATE +AT \(UTC\) +REASON\$"
expect_match "... and the held read on one line, its time written short" "$out" \
	"^ +2 +partner-feed +48 +71 +held +[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +…above max_ratio"
expect_eq "... no line wider than the terminal" \
	"$(printf '%s\n' "$out" | python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 80 for l in sys.stdin))')" 0
expect_match "a wide terminal has the time whole" "$(at 200)" \
	" [0-9-]{10} [0-9:]{8}  would delete 48 of 71 live records"
