#!/bin/sh
# tools/fuzz.sh — make fuzz: runs each libFuzzer target (tests/fuzz/
# fuzz_*.c, built by the Makefile into $BUILD) for SECONDS, one after the
# other (the machine's cores are shared), and prints what each did.
#
#   tools/fuzz.sh SECONDS BUILD TARGET...
#
# A target starts from its seeds (tests/fuzz/seeds/TARGET) and the corpus
# it grew before ($BUILD/corpus/TARGET); a crash, leak or timeout leaves
# its input in $BUILD/crashes/ and makes the run fail. Each crash found
# becomes a regression test in tests/unit/ or tests/fuzz/seeds/.
set -u
secs=$1 build=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/crashes"
failed=0
for t in "$@"; do
	corpus="$build/corpus/$t"
	mkdir -p "$corpus"
	[ "$t" = config ] && cp "$top/share/kasparro/kasparro.conf" "$corpus/shipped.conf"
	log="$build/fuzz_$t.log"
	before=$(ls "$build/crashes" | grep -c "^$t-" || true)
	"$build/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/crashes/$t-" "$corpus" \
		"$top/tests/fuzz/seeds/$t" >"$log" 2>&1
	rc=$?
	after=$(ls "$build/crashes" | grep -c "^$t-" || true)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	printf 'fuzz %-7s %6ss %10s runs, %s, corpus %s inputs, %d crash(es)\n' "$t" "$secs" \
		"${execs:-?}" "${cov:-cov: ?}" "$(ls "$corpus" | wc -l)" $((after - before))
	if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
		failed=1
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -n 5 | sed 's/^/    /'
		echo "    log: $log; inputs: $build/crashes/$t-*"
	fi
done
exit $failed
