# make check's runner (tests/run.sh) counts honestly: a test that ran no
# checks, whose log vanished (its test root removed under it), or that
# exited non-zero without saying why is a failure, never "ok, 0 passed"; a
# check that says it skipped counts as run. The runner is run on a tree of
# made-up tests, with a stand-in for kasparro that only starts and stops
# an empty "cluster".
. "$KASPARRO_TOP/tests/lib/lib.sh"

tree="$T/tree"
mkdir -p "$tree/tests/x" "$tree/build/tests"
cp "$TOP/tests/run.sh" "$tree/tests/run.sh"
cat >"$T/kasparro" <<'SH'
#!/bin/sh
[ "$1 $2" = "db start" ] && mkdir -p "$KASPARRO_PGDATA"
exit 0
SH
chmod +x "$T/kasparro"
# an empty unit test binary: it prints nothing
printf '#!/bin/sh\nexit 0\n' >"$tree/build/tests/test_silent"
chmod +x "$tree/build/tests/test_silent"
echo 'echo "ok - it holds"' >"$tree/tests/x/passes.sh"
echo 'echo "ok - # skip: what it needs is not installed"' >"$tree/tests/x/skips.sh"
echo 'exit 0' >"$tree/tests/x/silent.sh"
printf 'echo "ok - first"\nrm -rf "$KASPARRO_TEST_ROOT/logs" "$KASPARRO_TEST_ROOT/sanitizer"\necho "ok - second"\n' \
	>"$tree/tests/x/vanishes.sh"
printf 'echo "ok - first"\nexit 3\n' >"$tree/tests/x/dies.sh"

out=$(KASPARRO_BIN="$T/kasparro" KASPARRO_BUILD="$tree/build" sh "$tree/tests/run.sh" 2>&1)
rc=$?
kept=$(printf '%s\n' "$out" | sed -n 's/^test files kept in //p')
case "$kept" in /tmp/kasparro-test.??????) at_exit "rm -rf '$kept'" ;; esac

expect_eq "the run fails" "$rc" 1
expect_match "a test with a check passes" "$out" '^ok +x/passes\.sh +1 passed$'
expect_match "a check that says it skipped counts as run" "$out" '^ok +x/skips\.sh +1 passed$'
expect_match "a script that ran no checks fails" "$out" '^FAIL +x/silent\.sh +0 passed, 1 failed$'
expect_match "saying so" "$out" 'not ok - x/silent\.sh ran no checks'
expect_match "a unit test that ran no checks fails" "$out" '^FAIL +unit/test_silent +0 passed, 1 failed$'
expect_match "a test whose log vanished fails" "$out" '^FAIL +x/vanishes\.sh +0 passed, 1 failed$'
expect_match "saying so" "$out" 'not ok - x/vanishes\.sh: its log is gone'
expect_match "so does the check for sanitizer reports when their folder vanished" "$out" \
	"not ok - the sanitizer reports' folder .* is gone"
expect_match "a test that exits non-zero after passing checks fails" "$out" \
	'^FAIL +x/dies\.sh +1 passed, 1 failed$'
expect_match "the total counts every failure" "$(printf '%s\n' "$out" | grep -E 'passed, [0-9]+ failed$' | tail -n 1)" \
	'^[0-9]+ passed, 5 failed$'
expect_no_match "no test is reported ok with 0 passed" "$out" '^ok .* 0 passed$'
