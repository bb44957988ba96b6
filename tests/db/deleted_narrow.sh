# `deleted` on an 80-column terminal keeps the title an operator knows a
# record by: DELETED loses its seconds and year ("12-07 05:30"; RUN says
# which read deleted it) and PURGED AFTER (which follows from DELETED)
# leaves before TITLE is cut. A wide terminal has both times whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_held
kas -c "$T/share/cut.conf" apply-deletes 2 >/dev/null 2>&1 || not_ok "apply-deletes 2"
at() { script -qc "stty cols $1; \"$BIN\" -c \"$CONF\" deleted --limit 3" /dev/null | tr -d '\r'; }

out=$(at 80)
expect_eq "at 80 columns no line is wider than the terminal" \
	"$(printf '%s\n' "$out" | python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 80 for l in sys.stdin))')" 0
expect_match "PURGED AFTER leaves, DELETED and RUN stay" "$out" "  TITLE +DELETED \(UTC\)  RUN\$"
expect_match "the deletion time is written short" "$out" \
	"  [0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +[0-9]+\$"
expect_eq "TITLE keeps the cells the full time took" \
	"$(printf '%s\n' "$out" | python3 -c 'import sys
h = sys.stdin.readline(); print(h.index("DELETED") - h.index("TITLE") - 2 >= 29)')" True
out=$(at 200)
expect_match "a wide terminal has both times whole" "$out" \
	"  [0-9-]{10} [0-9:]{8} +[0-9]+  [0-9-]{10} [0-9:]{8}\$"
