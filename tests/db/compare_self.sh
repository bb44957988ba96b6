# `compare-runs A A` compares a run with itself: a usage error (exit 2)
# that says so, not a table of zero deltas that reads as "nothing changed".
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config a
title_rows 1 3 >"$T/a.csv"
kas run >/dev/null 2>&1
kas run >/dev/null 2>&1
out=$(kas compare-runs 2 2 2>&1)
expect_eq "compare-runs 2 2 is a usage error (exit 2)" "$?" 2
expect_eq "... that says the run is compared with itself" "$out" \
	"kasparro: compare-runs: run 2 compared with itself; give two different runs"
expect_exit "--json too" 2 kas compare-runs --json 1 01
check "two different runs still compare" kas compare-runs 1 2
