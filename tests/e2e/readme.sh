# The README's first command as a new user meets it: a fresh clone of the
# committed tree (as CI sees it), a fresh HOME, none of the test harness's
# settings, no terminal. `make run` builds, starts the private database,
# loads the three sample sources, reads the partner's next export cut short
# (the mass-delete guard holds what it would delete) and prints both runs
# (the console opens only on a terminal); a second `make run` finds nothing
# changed and holds the same deletions afresh. Then `make
# install DESTDIR=... PREFIX=/usr` puts everything in place and the
# installed binary reads its installed configuration and sample files.
# (`make check`, the README's other command, is what runs this test.)
. "$KASPARRO_TOP/tests/lib/lib.sh"

unset KASPARRO_DATABASE_URL KASPARRO_SHARE KASPARRO_CONFIG KASPARRO_PGDATA KASPARRO_TEST_PGHOST \
	KASPARRO_BIN KASPARRO_BUILD KASPARRO_TOP KASPARRO_TEST_ROOT MAKEFLAGS MAKELEVEL MFLAGS \
	SANITIZE WERROR \
	XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_CACHE_HOME
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache"
SRC="$T/src"
PGDIR="$XDG_STATE_HOME/kasparro/pg"
# unset: the test points KASPARRO_DATABASE_URL at the cluster later, and db
# stop stops only the private cluster kasparro reaches without it
at_exit 'env -u KASPARRO_DATABASE_URL "$SRC/kasparro" db stop >/dev/null 2>&1'

if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	git clone -q "$TOP" "$SRC"
	[ -z "$(git -C "$TOP" status --porcelain)" ] ||
		echo "# note: uncommitted changes in $TOP are not part of this test"
else
	echo "# note: $TOP is not a git checkout; testing a copy of it"
	cp -R "$TOP" "$SRC" && make -C "$SRC" clean >/dev/null
fi

# What the sample's ground truth ($TRUTH) says a run loads.
TRUTH="$SRC/share/kasparro/sample/truth.csv"
truth() { sample_truth "$TRUTH" "$1"; }
set -- $(truth total)
all=$1 loaded=$2 bad=$3
# the partner's cut export: its records, and the partner's it lacks
set -- $(truth partner-feed)
cut=$(($(grep -c '^PF-' "$SRC/share/kasparro/sample/partner-cut.csv")))
held=$(($2 - cut)) loaded_partner=$2

(cd "$SRC" && MAKEFLAGS=-j2 make run </dev/null >"$T/run1.out" 2>&1)
rc=$?
out=$(cat "$T/run1.out")
if [ "$rc" -eq 0 ]; then ok "make run exits 0"; else
	not_ok "make run exits 0" "exit $rc; the last lines:" "$(tail -n 15 "$T/run1.out")"
fi
check "make run built ./kasparro" test -x "$SRC/kasparro"
expect_match "make run started the private database under XDG_STATE_HOME" "$out" \
	"private database running in '$PGDIR'"
check "the cluster is really there" test -f "$PGDIR/PG_VERSION"
expect_match "make run loaded the sample sources" "$out" "loading the sample sources"
expect_match "without a terminal it prints the run: every sample record fetched, loaded or quarantined" \
	"$out" "^ +1 +succeeded +manual .* $all +$loaded +0 +0 +$bad +0 "
expect_match "then it read the partner's cut export: partial, its deletions held" "$out" \
	"^ +2 +partial +manual .* $cut +0 +0 +$cut +0 +held $held .*deletions held: would delete $held of $loaded_partner "
expect_match "the held set waits for a decision" "$(cd "$SRC" && ./kasparro held)" \
	"^ +2 +partner-feed +$held +$held +$loaded_partner +held "

# The README's everyday commands and kasparro(1)'s EXAMPLES, as a new user
# types them after `make run` (in the checkout: ./kasparro). `show-run 12`
# was one: after make run there are two runs, and it said "no run 12".
k() { (cd "$SRC" && ./kasparro "$@" 2>&1); }
expect_match "README: show-run 1 shows the first run" "$(k show-run 1)" "^run 1: succeeded, manual "
expect_match "README: runs lists both" "$(k runs)" "^ +1 +succeeded .*"
expect_match "README: export records is CSV with the entity" "$(k export records | head -n 1)" \
	"^record,source,source_id,entity,entity_key,method,confidence,title"
expect_eq "README: decisions, none yet" "$(k decisions)" "no decisions yet"
expect_match "README: help run" "$(k help run)" "^usage: kasparro run "
expect_match "kasparro(1) EXAMPLES: runs --limit 1, the last run" "$(k runs --limit 1 | tail -n +2)" \
	"^ +2 +partial "

sources=$(cd "$SRC" && ./kasparro sources --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["name"], s["last_status"], s["records"])')
for src in articles-api articles-csv partner-feed; do
	set -- $(truth "$src")
	status=succeeded
	[ "$src" = partner-feed ] && status=partial # its last read: the cut export
	expect_match "$src: loaded as the sample truth says ($2 records)" "$sources" \
		"^$src $status $2\$"
done

(cd "$SRC" && make run </dev/null >"$T/run2.out" 2>&1)
expect_eq "a second make run exits 0" "$?" 0
expect_match "and finds every record unchanged" "$(cat "$T/run2.out")" \
	"^ +3 +succeeded +manual .* $all +0 +0 +$loaded +$bad +0 "
expect_match "and holds the cut export's deletions afresh" "$(cd "$SRC" && ./kasparro held)" \
	"^ +4 +partner-feed +$held +$held +$loaded_partner +held "

I="$T/inst"
(cd "$SRC" && make install DESTDIR="$I" PREFIX=/usr >"$T/install.out" 2>&1)
expect_eq "make install DESTDIR=... PREFIX=/usr exits 0" "$?" 0
check "it installs the binary" test -x "$I/usr/bin/kasparro"
check "it installs kasparro.1" test -f "$I/usr/share/man/man1/kasparro.1"
check "it installs kasparro.conf.5" test -f "$I/usr/share/man/man5/kasparro.conf.5"
check "it installs the shipped configuration" \
	cmp "$SRC/share/kasparro/kasparro.conf" "$I/usr/share/kasparro/kasparro.conf"
check "it installs every migration" diff -r "$SRC/share/kasparro/sql" "$I/usr/share/kasparro/sql"
check "it installs the sample sources, every file" \
	diff -r "$SRC/share/kasparro/sample" "$I/usr/share/kasparro/sample"
UNIT="$I/usr/share/kasparro/kasparro.service"
expect_match "it installs the systemd unit, starting the installed binary" \
	"$(grep '^ExecStart=' "$UNIT" 2>&1)" "^ExecStart=/usr/bin/kasparro daemon "
expect_match "... which does not restart on a configuration error (exit 2)" \
	"$(grep '^RestartPreventExitStatus=' "$UNIT" 2>&1)" "=2$"
if command -v systemd-analyze >/dev/null; then
	# every directive known to systemd (an unknown one is only a warning)
	sed "s|^ExecStart=/usr/bin/|ExecStart=$I/usr/bin/|" "$UNIT" >"$T/kasparro.service"
	expect_eq "systemd-analyze verify finds nothing to say about it" \
		"$(systemd-analyze verify --man=no "$T/kasparro.service" 2>&1)" ""
fi

CONF="$I/usr/share/kasparro/kasparro.conf"
expect_match "the installed binary checks the installed configuration" \
	"$(cd "$T" && "$I/usr/bin/kasparro" -c "$CONF" config check 2>&1)" \
	"config '$CONF' is valid: 7 fields, 3 sources"
expect_match "without -c or KASPARRO_SHARE it finds the share folder beside its bin folder" \
	"$(cd "$T" && "$I/usr/bin/kasparro" config check 2>&1)" "config '$CONF' is valid"

# The sample paths ({dir}/... and relative ones) resolve to the installed
# files: with the clone's sample moved away, a run from elsewhere loads them.
mv "$SRC/share/kasparro/sample" "$T/sample.away"
TRUTH="$I/usr/share/kasparro/sample/truth.csv"
psql -X -q -h "$PGDIR" -U kasparro -d kasparro -c "CREATE DATABASE installed" >/dev/null
export KASPARRO_DATABASE_URL="host=$PGDIR user=kasparro dbname=installed"
out=$(cd "$T" && "$I/usr/bin/kasparro" -c "$CONF" run 2>&1)
expect_eq "the installed binary runs the installed sample sources" "$?" 0
for src in articles-api articles-csv partner-feed; do
	set -- $(truth "$src")
	expect_match "$src: read from the installed sample files" "$out" \
		"^$src +succeeded +$1 +$2 +0 +0 +$3 "
done
expect_match "the csv sources' paths are the installed files" \
	"$(cd "$T" && "$I/usr/bin/kasparro" -c "$CONF" sources)" \
	"articles-csv .*$I/usr/share/kasparro/sample/articles.csv"
mv "$T/sample.away" "$SRC/share/kasparro/sample"

# The README's HTTP example: a copy of the configuration with two lines of
# [http] and the key in that variable, its daemon line on that copy, then
# /health with the key (on a free port, not 8000: other daemons may run here).
block=$(sed -n '/^printf .\[http\]/,/^curl /p' "$SRC/README.md")
expect_eq "the README's HTTP example has its five lines" "$(printf '%s\n' "$block" | wc -l)" 5
daemon_line=$(printf '%s\n' "$block" | sed -n '4s/ &$//p')
(cd "$SRC" && eval "$(printf '%s\n' "$block" | sed -n 1,3p)" && echo "$KASPARRO_API_KEY" >"$T/key" &&
	eval "exec env -u KASPARRO_DATABASE_URL KASPARRO_HTTP_LISTEN=127.0.0.1:0 $daemon_line" \
	>"$T/daemon.log" 2>&1) &
echo $! >"$T/daemon.pid"
at_exit 'kill $(cat "$T/daemon.pid") 2>/dev/null'
wait_for "the README's daemon serves HTTP" 60 grep -q '"http: listening on' "$T/daemon.log"
port=$(sed -n 's/.*"http: listening on 127.0.0.1:\([0-9]*\) .*/\1/p' "$T/daemon.log")
curl_line=$(printf '%s\n' "$block" | sed -n 5p | sed "s/:8000/:$port/")
expect_match "... and its curl line gets /health with the key" \
	"$(cd "$SRC" && KASPARRO_API_KEY=$(cat "$T/key") eval "$curl_line -s -w ' %{http_code}'")" \
	'"status":"ok".* 200$'
kill "$(cat "$T/daemon.pid")"
