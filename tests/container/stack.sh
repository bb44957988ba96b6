# The container image and the compose stack, built and run for real, as an
# operator drives them: `make image` builds kasparro's image (docker, or
# podman where no docker daemon answers; base images made from Debian's
# mirror where no registry serves them), `make up` starts PostgreSQL 15 and
# the daemon and returns once both are healthy, a one-off container loads the
# sample sources, the counts are read back through the containers, the HTTP
# API answers on the published port (its /health opened by a reload of the
# mounted configuration), the console opens against the same database, the
# data outlives `make down` and `make up`, and the stack is torn down to
# nothing. Runs in a copy of the working tree under its own compose project.
# `make check-container` runs it (CI does); `make check` skips it.

# The engine keeps its images under the real home (rootless podman); lib.sh
# gives the test a private one.
ORIG_HOME=$HOME
ORIG_DATA=${XDG_DATA_HOME:-$HOME/.local/share}
ORIG_CONFIG=${XDG_CONFIG_HOME:-$HOME/.config}
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"

unset POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB KASPARRO_CONFIG_DIR MAKEFLAGS MAKELEVEL
export COMPOSE_PROJECT_NAME="kasparrotest$$" KASPARRO_IMAGE=kasparro:test
# the HTTP API's port on the host: a free one (others may serve on 8000)
KASPARRO_HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export KASPARRO_HTTP_PORT
API="http://127.0.0.1:$KASPARRO_HTTP_PORT"
P=$COMPOSE_PROJECT_NAME
SRC="$T/src"
# The engine's own helpers (podman's aardvark-dns serves every network on
# the machine, and lives on while any other project's network does) are the
# machine's, not this test's: they do not carry the test's root, so the
# runner does not count them as servers the test left behind. What the test
# started, it checks itself: no container, volume or network of its project.
host() {
	env -u KASPARRO_TEST_ROOT HOME="$ORIG_HOME" XDG_DATA_HOME="$ORIG_DATA" \
		XDG_CONFIG_HOME="$ORIG_CONFIG" "$@"
}
stack() { host sh "$SRC/tools/container/stack.sh" "$@"; }
mk() { host make -C "$SRC" --no-print-directory "$@"; }
# the container of a service of this project
cid() {
	stack engine ps -q --filter "label=com.docker.compose.project=$P" \
		--filter "label=com.docker.compose.service=$1"
}
# project_left KIND: this project's containers, volumes or networks still there
project_left() {
	case "$1" in
	containers) stack engine ps -aq --filter "label=com.docker.compose.project=$P" ;;
	*) stack engine "$1" ls -q --filter "label=com.docker.compose.project=$P" ;;
	esac
}
# timed NAME CMD...: CMD's output in $T/NAME.out, its time as a comment
timed() {
	_name=$1 _t0=$(date +%s)
	shift
	"$@" >"$T/$_name.out" 2>&1
	_rc=$?
	echo "# $_name: $(($(date +%s) - _t0)) s"
	return $_rc
}
at_exit 'stack down -v -t 10 >/dev/null 2>&1'

# The tree as it would be committed now: tracked and new files, not ignored
# ones (a developer's .env, build folders).
mkdir -p "$SRC"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -z -co --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -C "$SRC" -xf -
else
	cp -R "$TOP/." "$SRC/" && rm -rf "$SRC/.env" "$SRC/build" "$SRC/build-san" "$SRC/kasparro"
fi
# The sample sources with the scheduler off: only the runs the test starts.
CONFDIR="$T/conf"
cp -R "$SRC/share/kasparro" "$CONFDIR"
sed -i 's/^\[scheduler\]$/[scheduler]\nenabled = false/' "$CONFDIR/kasparro.conf"
export KASPARRO_CONFIG_DIR="$CONFDIR"
chmod -R a+rX "$T"

if ! out=$(stack engine info 2>&1); then
	not_ok "a container engine runs on this machine" "$out"
	exit 1
fi

if timed make-image mk image; then ok "make image builds kasparro's image"; else
	not_ok "make image builds kasparro's image" "$(tail -n 30 "$T/make-image.out")"
	exit 1
fi
size=$(stack engine image inspect --format '{{.Size}}' "$KASPARRO_IMAGE")
echo "# image size: $((size / 1000000)) MB"
expect_match "its entrypoint is kasparro" \
	"$(stack engine run --rm "$KASPARRO_IMAGE" --version 2>/dev/null)" '^kasparro [0-9]'
expect_eq "it runs as an unprivileged user" \
	"$(stack engine run --rm --entrypoint id "$KASPARRO_IMAGE" -u 2>/dev/null)" 10001
expect_eq "it has no compiler or make, only what kasparro needs at run time" \
	"$(stack engine run --rm --entrypoint sh "$KASPARRO_IMAGE" \
		-c 'for t in cc gcc make; do command -v $t; done' 2>/dev/null)" ""

if timed make-up mk up; then ok "make up starts the stack"; else
	not_ok "make up starts the stack" "$(tail -n 40 "$T/make-up.out")"
	exit 1
fi
out=$(cat "$T/make-up.out")
expect_match "make up returns once the database is healthy" "$out" "^stack: db is healthy"
expect_match "and the daemon is healthy" "$out" "^stack: kasparro is healthy"
expect_no_match "the compose tool's echo of its commands shows no password" "$out" \
	'PASSWORD=[^*]'
expect_eq "make up wrote .env, readable by its owner only" "$(stat -c %a "$SRC/.env")" 600
expect_match "with a random password" "$(grep '^POSTGRES_PASSWORD=' "$SRC/.env")" \
	'^POSTGRES_PASSWORD=[0-9a-f]{36}$'
check "the database container passes its health check (pg_isready)" stack health db
check "the daemon passes its health check" stack health kasparro
# /health wants a key with the sample configuration: the check says so and
# checks the database itself
kid=$(cid kasparro)
dbid=$(cid db)
out=$(stack engine exec "$kid" kasparro-healthcheck 2>&1)
expect_eq "the health check passes while /health is closed" "$?" 0
expect_match "and says why it checked the database itself" "$out" \
	"GET /health needs a key .*checking the database with kasparro db status"
# status codes of the published API
http_code() { curl -s -o "$T/body" -w '%{http_code}' "$API$1"; }
expect_eq "the HTTP API is published on the host: /health answers 401 without a key" \
	"$(http_code /health)" 401
expect_eq "and so do the routes with data" "$(http_code /data)" 401

# make logs follows; stop it once the daemon's start-up line is there
setsid sh -c 'exec "$@" >"$0" 2>&1' "$T/logs.out" env HOME="$ORIG_HOME" \
	XDG_DATA_HOME="$ORIG_DATA" XDG_CONFIG_HOME="$ORIG_CONFIG" \
	make -C "$SRC" --no-print-directory logs &
logs_pid=$!
wait_for "make logs shows the daemon's log: started with the mounted configuration" 60 \
	grep -q "daemon started: pid 1, config '/etc/kasparro/kasparro.conf'" "$T/logs.out"
kill -TERM "-$logs_pid" 2>/dev/null
wait "$logs_pid" 2>/dev/null

set -- $(sample_truth "$SRC/share/kasparro/sample/truth.csv" total)
all=$1 loaded=$2 bad=$3
timed compose-run stack compose run --rm -T kasparro run
rc=$?
out=$(cat "$T/compose-run.out")
expect_eq "a one-off container runs the sample ingestion" "$rc" 0
expect_match "it loads every sample record or quarantines it" "$out" \
	"^run 1: succeeded"
for src in articles-api articles-csv partner-feed; do
	set -- $(sample_truth "$SRC/share/kasparro/sample/truth.csv" "$src")
	expect_match "$src: fetched, loaded and quarantined as the sample truth says" "$out" \
		"^$src +succeeded +$1 +$2 +0 +0 +$3 "
done

sources=$(stack engine exec "$kid" kasparro sources --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["name"], s["last_status"], s["records"])')
for src in articles-api articles-csv partner-feed; do
	set -- $(sample_truth "$SRC/share/kasparro/sample/truth.csv" "$src")
	expect_match "through the daemon's container: $src has its $2 records" "$sources" \
		"^$src succeeded $2\$"
done
records_sql() {
	stack engine exec "$dbid" psql -X -At -U kasparro -d kasparro \
		-c "SELECT (SELECT count(*) FROM kasparro.records), (SELECT count(*) FROM kasparro.runs)" 2>&1
}
expect_eq "through the database's container: $loaded records and one run" "$(records_sql)" "$loaded|1"
expect_eq "the database's image has pg_trgm: entity searches read their index" \
	"$(stack engine exec "$dbid" psql -X -At -U kasparro -d kasparro \
		-c "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL" 2>&1)" t

# Opening /health in the mounted configuration and reloading the daemon
# (SIGHUP) makes the health check the API's own.
printf '\n[http]\nopen = /health\n' >>"$CONFDIR/kasparro.conf"
stack engine kill -s HUP "$kid" >/dev/null 2>&1
wait_for "after an edit of the mounted configuration and SIGHUP, /health answers 200" 60 \
	sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$API/health')\" = 200 ]"
http_code /health >/dev/null
expect_eq "/health through the published port: database reachable, run 1 succeeded" \
	"$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["data"]
print(d["database"]["reachable"], d["last_run"]["id"], d["last_run"]["status"])' "$T/body" 2>&1)" \
	"True 1 succeeded"
out=$(stack engine exec "$kid" kasparro-healthcheck 2>&1)
expect_eq "the health check passes on /health alone" "$?|$out" "0|"

# The console, in a real terminal, against the same database.
tm new-session -d -x 100 -y 30 "cd '$SRC' && env HOME='$ORIG_HOME' XDG_DATA_HOME='$ORIG_DATA' \
	XDG_CONFIG_HOME='$ORIG_CONFIG' COMPOSE_PROJECT_NAME=$P KASPARRO_IMAGE=$KASPARRO_IMAGE \
	KASPARRO_CONFIG_DIR='$CONFDIR' sh tools/container/stack.sh compose run --rm kasparro console; \
	echo \"console exited \$?\"; exec sleep 600"
wait_screen "compose run --rm kasparro console opens the console on the stack's run 1" \
	"^ +1 +succeeded +manual .* $all +$loaded " 120
send q
wait_screen "q closes it and the one-off container" "^console exited 0" 60

if timed make-down mk down; then ok "make down stops the stack"; else
	not_ok "make down stops the stack" "$(tail -n 20 "$T/make-down.out")"
fi
expect_eq "no container of the stack is left" "$(project_left containers)" ""
expect_match "the database's volume stays" "$(project_left volume)" "${P}_pgdata"
if timed make-up-again mk up; then ok "make up starts it again"; else
	not_ok "make up starts it again" "$(tail -n 40 "$T/make-up-again.out")"
fi
dbid=$(cid db)
expect_eq "the records and the run are still there" "$(records_sql)" "$loaded|1"

stack down -v -t 30 >"$T/down.out" 2>&1
expect_eq "torn down: no container left" "$(project_left containers)" ""
expect_eq "no volume left" "$(project_left volume)" ""
expect_eq "no network left" "$(project_left network)" ""
