#!/bin/sh
# kasparro's test runner (make check).
#
# Runs the cmocka unit tests (build/tests/test_*), then every tests/*/*.sh
# script. Scripts share one throwaway PostgreSQL cluster, started here with
# kasparro's own private-cluster code in a temporary folder; each script
# makes its own database in it (tests/lib/lib.sh: new_db). Every check prints
# a TAP line ("ok - ..." / "not ok - ..."); the last line is the total:
#   N passed, N failed
# At the end the shared cluster is stopped, and any process still running
# that this run or one of its tests started (a test's own cluster, a daemon,
# an HTTP fixture, a tmux server: they carry this run's KASPARRO_TEST_ROOT
# in their environment) is a failure, named, and then stopped; so is any
# sanitizer report written by any process of the run.
# Usage: tests/run.sh [PATTERN...]   only tests whose path contains a PATTERN
# tests/container/ runs only with KASPARRO_CONTAINER_TESTS=1 (make check-container).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${KASPARRO_BIN:=$top/kasparro}"
: "${KASPARRO_BUILD:=$top/build}"
: "${KASPARRO_TEST_SLOWDOWN:=1}" # time bounds scale by this (sanitized builds)
export KASPARRO_BIN KASPARRO_BUILD KASPARRO_TOP="$top" KASPARRO_TEST_SLOWDOWN
export KASPARRO_SHARE="$top/share/kasparro"
export LC_ALL=C.UTF-8 TZ=UTC
# the daemon serves HTTP on 127.0.0.1:8000 by default: tests that want it say so
export KASPARRO_HTTP_LISTEN=off
unset KASPARRO_DATABASE_URL DATABASE_URL DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME \
	KASPARRO_CONFIG LOG_LEVEL PGHOST PGPORT PGUSER PGDATABASE

KASPARRO_TEST_ROOT=$(mktemp -d /tmp/kasparro-test.XXXXXX)
chmod 755 "$KASPARRO_TEST_ROOT"  # the server account must reach it when we are root
export KASPARRO_TEST_ROOT
logs="$KASPARRO_TEST_ROOT/logs"
mkdir -p "$logs"
# Tests call python3 (the standard library only) hundreds of times: they
# run Debian's (tools/deps.sh), not a version manager's shim found first on
# PATH, a chain of shell scripts that costs seconds a call on a busy machine.
if [ -x /usr/bin/python3 ]; then
	mkdir -p "$KASPARRO_TEST_ROOT/bin"
	ln -s /usr/bin/python3 "$KASPARRO_TEST_ROOT/bin/python3"
	PATH="$KASPARRO_TEST_ROOT/bin:$PATH"
fi
# In a sanitized build (make check SANITIZE=1 or =thread) every process a
# test starts writes its sanitizer reports here rather than to a stderr
# nobody may read (a daemon's, a console's in tmux); any report fails the run.
reports="$KASPARRO_TEST_ROOT/sanitizer"
mkdir -p "$reports"
chmod 777 "$reports"
for v in ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS; do
	eval "old=\${$v:-}"
	export "$v=log_path=$reports/report${old:+:$old}"
done
# ASan's printf interceptor does not know the thousands flag (%'d, how
# kasparro prints counts) and writes a warning that would count as a report.
# check_printf=0 turns off only that interceptor's check of printf's
# arguments; every other check stays.
ASAN_OPTIONS="$ASAN_OPTIONS:check_printf=0"

selected() {
	[ -z "$PATTERNS" ] && return 0
	for p in $PATTERNS; do
		case "$1" in *"$p"*) return 0 ;; esac
	done
	return 1
}
PATTERNS="$*"

# pg_ctl stop returns once postmaster.pid is gone, a moment before the
# postmaster process itself exits: wait for that too (the leftovers check
# below would see it on a busy machine). The shutdown checkpoint writes what
# the whole suite left dirty; on a loaded disk its sync alone has taken two
# minutes, past db stop's own 60 s, so the wait allows five.
stop_shared_cluster() {
	if [ -f "$KASPARRO_TEST_ROOT/pg/postmaster.pid" ]; then
		pm=$(head -1 "$KASPARRO_TEST_ROOT/pg/postmaster.pid" 2>/dev/null)
		KASPARRO_PGDATA="$KASPARRO_TEST_ROOT/pg" "$KASPARRO_BIN" db stop >/dev/null 2>&1
		end=$(($(date +%s) + 300 * KASPARRO_TEST_SLOWDOWN))
		while [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
			sleep 0.1
		done
	fi
}
cleanup() {
	stop_shared_cluster
	if [ "${KEEP_TEST_ROOT:-}" = 1 ] || [ "$failed" -gt 0 ]; then
		echo "test files kept in $KASPARRO_TEST_ROOT"
	else
		rm -rf "$KASPARRO_TEST_ROOT"
	fi
}
passed=0
failed=0
failed_files=""
trap cleanup EXIT
trap 'exit 130' INT TERM

# One shared cluster for all scripts.
export KASPARRO_TEST_PGHOST="$KASPARRO_TEST_ROOT/pg"
if ! KASPARRO_PGDATA="$KASPARRO_TEST_PGHOST" "$KASPARRO_BIN" db start >"$logs/cluster.log" 2>&1; then
	echo "not ok - start the test database cluster"
	cat "$logs/cluster.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# Counts ok / not ok lines of one test's output; prints failures.
tally() {
	name=$1 log=$2 status=$3
	if [ ! -f "$log" ]; then
		mkdir -p "$logs" && echo "not ok - $name: its log is gone (was the test root removed?)" >"$log"
	fi
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name ran no checks" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		printf 'FAIL %-40s %d passed, %d failed\n' "$name" "$p" "$f"
		grep -v '^ok ' "$log" | tail -n 40 | sed 's/^/    /'
		failed_files="$failed_files $name"
	else
		printf 'ok   %-40s %d passed\n' "$name" "$p"
	fi
}

for bin in "$KASPARRO_BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	name="unit/$(basename "$bin")"
	selected "$name" || continue
	log="$logs/$(echo "$name" | tr / _).log"
	( cd "$KASPARRO_TEST_ROOT" && CMOCKA_MESSAGE_OUTPUT=TAP "$bin" ) >"$log" 2>&1
	tally "$name" "$log" $?
done

for script in "$top"/tests/*/*.sh; do
	[ -f "$script" ] || continue
	case "$script" in */lib/*) continue ;; esac
	name=${script#"$top"/tests/}
	selected "$name" || continue
	# images and a compose stack take minutes and docker or podman: their own
	# step (make check-container, which CI runs)
	case "$name" in container/*)
		if [ "${KASPARRO_CONTAINER_TESTS:-}" != 1 ]; then
			echo "skip $name (containers: make check-container runs it)"
			continue
		fi ;;
	esac
	log="$logs/$(echo "$name" | tr / _).log"
	timeout $((${TEST_TIMEOUT:-1800} * KASPARRO_TEST_SLOWDOWN)) sh "$script" >"$log" 2>&1
	tally "$name" "$log" $?
done

# Processes this run started that still run: their environment names our
# root, or their command line a folder in it (a cluster started by a test
# that cleared its environment). This shell and the subshells it runs for
# the check are not.
leftovers() {
	for env in /proc/[0-9]*/environ; do
		pid=${env#/proc/}
		pid=${pid%/environ}
		[ "$pid" = $$ ] && continue
		{ tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qxF "KASPARRO_TEST_ROOT=$KASPARRO_TEST_ROOT" ||
			{ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$KASPARRO_TEST_ROOT/" ||
			continue
		ppid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) || continue
		[ "$ppid" = $$ ] && continue
		echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-150)"
	done
}
{
	stop_shared_cluster
	log="$logs/runner.log"
	left=$(leftovers)
	if [ -n "$left" ]; then
		{
			echo "not ok - no server a test started is still running"
			echo "$left" | sed 's/^/#   /'
		} >"$log"
		echo "$left" | while read -r pid _; do kill -TERM "$pid" 2>/dev/null; done
	else
		echo "ok - no server a test started is still running" >"$log"
	fi
	found=$(ls "$reports" 2>/dev/null)
	if [ ! -d "$reports" ]; then
		echo "not ok - the sanitizer reports' folder $reports is gone (was the test root removed?)" >>"$log"
	elif [ -n "$found" ]; then
		echo "not ok - no sanitizer report (kept in $reports)" >>"$log"
		for r in $found; do
			sed -n '1,12p' "$reports/$r" | sed 's/^/#   /'
		done >>"$log"
	else
		echo "ok - no sanitizer report" >>"$log"
	fi
	tally runner "$log" 0
}

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
