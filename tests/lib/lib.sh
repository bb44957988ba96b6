# tests/lib/lib.sh — helpers for kasparro's shell tests; sourced by each
# tests/*/*.sh script (run by tests/run.sh, which starts the shared cluster).
#
#   new_db              a fresh database; exports KASPARRO_DATABASE_URL
#   kas ARGS...         run kasparro (with $CONF as -c when set)
#   sql "SELECT ..."    one query against the test database, unaligned
#   ok / not_ok DESC    report a check
#   check DESC CMD...   ok when CMD exits 0
#   expect_eq DESC ACTUAL EXPECTED
#   expect_match DESC TEXT REGEX      (grep -E)
#   expect_exit DESC CODE CMD...
#   wait_for DESC SECONDS CMD...      poll CMD until it exits 0 (SECONDS: see slow)
#   sample_truth FILE SOURCE|total    what the sample's truth.csv expects
#   hold_lock DESC KEY / release_lock another session holds an advisory lock
#   hold_table DESC TABLE [MODE] / release_table   ... or a table of kasparro's
# Each script gets $T, a private temporary folder removed at the end (kept
# when a check failed).
set -u

T=$(mktemp -d "${KASPARRO_TEST_ROOT:-/tmp}/t.XXXXXX") || {
	echo "not ok - a private folder in ${KASPARRO_TEST_ROOT:-/tmp} (was the test root removed?)"
	exit 1
}
chmod 755 "$T"
trap 'cleanup_test' EXIT
CLEANUPS=""
at_exit() { CLEANUPS="$1; $CLEANUPS"; }
# A test that failed keeps its folder (logs, data) for whoever reads the
# failure; the runner keeps the whole test root then and says where.
cleanup_test() {
	eval "$CLEANUPS"
	[ -n "${TEST_FAILED:-}" ] || rm -rf "$T"
}

TOP=${KASPARRO_TOP:?run tests through tests/run.sh or make check}
BIN=${KASPARRO_BIN:?}
export HOME="$T/home" XDG_STATE_HOME="$T/state" XDG_DATA_HOME="$T/data"
mkdir -p "$HOME"
CONF=""

ok() { echo "ok - $1"; }
not_ok() {
	TEST_FAILED=1
	echo "not ok - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/#   /'
	return 0
}

# Helpers keep their variables to _ks_* names: sh has no locals, and a
# test's own $out or $desc must survive a call.
check() {
	desc=$1
	shift
	if _ks_out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "command: $*" "$_ks_out"; fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $3" "actual:   $2"; fi
}

expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
		not_ok "$1" "expected to match: $3" "actual: $2"
	fi
}

expect_no_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		not_ok "$1" "expected not to match: $3" "actual: $2"
	else ok "$1"; fi
}

expect_exit() {
	desc=$1 code=$2
	shift 2
	_ks_out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$code" ]; then ok "$desc"; else
		not_ok "$desc" "expected exit $code, got $rc: $*" "$_ks_out"
	fi
}

# Its variables are its own (_wf_*): the command it polls may be a helper
# with a deadline of its own (poll_screen), which must not move this one.
wait_for() {
	_wf_desc=$1 _wf_secs=$(slow "$2")
	shift 2
	_wf_end=$(($(date +%s) + _wf_secs))
	while :; do
		if "$@" >/dev/null 2>&1; then ok "$_wf_desc"; return 0; fi
		if [ "$(date +%s)" -ge "$_wf_end" ]; then
			not_ok "$_wf_desc" "timed out after ${_wf_secs}s: $*"
			return 1
		fi
		sleep 0.1
	done
}

# A time bound, scaled for a slow build (a sanitizer's: KASPARRO_TEST_SLOWDOWN).
# Bounds only say when to give up waiting for an event; they never stand in
# for one.
slow() { echo $(($1 * ${KASPARRO_TEST_SLOWDOWN:-1})); }

kas() {
	if [ -n "$CONF" ]; then "$BIN" -c "$CONF" "$@"; else "$BIN" "$@"; fi
}

PGHOST_TEST=${KASPARRO_TEST_PGHOST:-}
new_db() {
	DBNAME="t_$(basename "$T" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')${1:-}"
	psql -X -q -h "$PGHOST_TEST" -U kasparro -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null ||
		{ not_ok "create test database $DBNAME"; exit 1; }
	export KASPARRO_DATABASE_URL="host=$PGHOST_TEST port=5432 user=kasparro dbname=$DBNAME"
}

# hold_lock DESC KEY: another session takes kasparro's advisory lock KEY
# (enum db_lock_key: 1801548546 the run lock, 1801548548 the purge lock) and
# keeps it; returns once the lock is granted. release_lock ends the session.
hold_lock() {
	psql -X -q "$KASPARRO_DATABASE_URL application_name=lockholder" >/dev/null 2>&1 <<SQL &
SELECT pg_advisory_lock($2);
SELECT pg_sleep(600);
SQL
	HOLDER=$!
	at_exit "kill $HOLDER 2>/dev/null"
	wait_for "$1" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks \
		WHERE locktype = 'advisory' AND objid = $2 AND granted\" | grep -qx 1"
}
release_lock() { # the server ends the session: its backend sleeps and would not notice a kill
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lockholder'" >/dev/null
	wait "$HOLDER" 2>/dev/null
}

# hold_table DESC TABLE [MODE]: another session locks kasparro.TABLE in
# MODE (ACCESS EXCLUSIVE unless said; SHARE stops its writers and lets its
# readers be), in a transaction, its own timeouts off so a database's cannot
# end it, and keeps it; returns once the lock is granted. release_table
# ends the session.
hold_table() {
	_ht_mode=${3:-ACCESS EXCLUSIVE}
	psql -X -q "$KASPARRO_DATABASE_URL application_name=tableholder" >/dev/null 2>&1 <<SQL &
SET statement_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
BEGIN;
LOCK TABLE kasparro.$2 IN $_ht_mode MODE;
SELECT pg_sleep(600);
SQL
	TABLE_HOLDER=$!
	at_exit "kill $TABLE_HOLDER 2>/dev/null"
	# pg_locks names the mode so: SHARE ROW EXCLUSIVE is ShareRowExclusiveLock
	_ht_name=$(echo "$_ht_mode" | awk '{ for (i = 1; i <= NF; i++)
		printf "%s%s", toupper(substr($i, 1, 1)), tolower(substr($i, 2)); print "Lock" }')
	wait_for "$1" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks l \
		JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '$2' \
		AND l.mode = '$_ht_name' AND l.granted\" | grep -qx 1"
}
release_table() {
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tableholder'" >/dev/null
	wait "$TABLE_HOLDER" 2>/dev/null
}

sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "$1"
}

# sql_is QUERY VALUE: the query answers VALUE (a command for wait_for)
sql_is() { [ "$(sql "$1")" = "$2" ]; }

# entity_of SOURCE_ID: the entity the live record with that source id is a
# member of (empty when it is in none)
entity_of() {
	sql "SELECT m.entity_id FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE r.source_id = '$1' AND m.live"
}

# sample_truth FILE SOURCE|total: what a run of the sample sources loads by
# their ground truth FILE (share/kasparro/sample/truth.csv), for one source
# or all: "fetched loaded quarantined"
sample_truth() {
	python3 - "$1" "$2" <<-'PY'
		import csv, sys
		rows = [r for r in csv.DictReader(open(sys.argv[1])) if sys.argv[2] in ("total", r["source"])]
		bad = sum(r["expect"] == "quarantined" for r in rows)
		print(len(rows), len(rows) - bad, bad)
	PY
}

# A copy of the shipped sample sources and config in $T/share.
sample_config() {
	mkdir -p "$T/share"
	cp -R "$TOP/share/kasparro/." "$T/share/"
	CONF="$T/share/kasparro.conf"
	# The sample's schedule fires at 00, 06, 12 and 18 UTC: a console or a
	# daemon open at that moment would start a run in the middle of a test
	# that is not about the schedule. This one fires on 29 February only.
	sed -i 's|^cron = .*|cron = 0 3 29 2 *|' "$CONF"
}

# sample_queued: the sample sources loaded (run 1) with thresholds that leave
# pairs to review (auto 0.99999, review 0.05): a queue to decide.
sample_queued() {
	sample_config
	sed -i 's/^auto = .*/auto = 0.99999/; s/^review = .*/review = 0.05/' "$CONF"
	kas run >/dev/null 2>&1
}

# sample_held: the sample sources loaded (run 1), then the partner's next
# export, cut short, read (run 2): its deletions held (apply-deletes 2).
sample_held() {
	sample_config
	kas run >/dev/null 2>&1 || not_ok "kasparro run loads the sample"
	sed "s|^path = sample/partner.csv\$|path = sample/partner-cut.csv|" "$CONF" >"$T/share/cut.conf"
	"$BIN" -c "$T/share/cut.conf" run partner-feed >/dev/null 2>&1
}

# deletions_fixture [LINE...]: records soft-deleted at known times by
# kasparro's clock. Source shop (csv_source_config; [retention]
# keep_deleted = 90d and the LINEs, [deletes] max_ratio = 0.5) loses records
# 1-3 on day 0 ($t0, 2026-01-01T00:00:00Z) and 4-5 on day 2, and keeps 6-10.
# Defines shop_csv ID... (the rows of shop.csv), at WHEN COMMAND... (kas at
# that Unix time) and $day.
deletions_fixture() {
	csv_source_config shop
	{
		printf '[retention]\nkeep_deleted = 90d\n'
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '[deletes]\nmax_ratio = 0.5\n'
	} >>"$CONF"
	day=86400
	t0=1767225600
	shop_csv 1 2 3 4 5 6 7 8 9 10 >"$T/shop.csv"
	at $t0 run >/dev/null
	shop_csv 4 5 6 7 8 9 10 >"$T/shop.csv"
	at $t0 run >/dev/null
	shop_csv 6 7 8 9 10 >"$T/shop.csv"
	at $((t0 + 2 * day)) run >/dev/null
}
shop_csv() { echo "id,title"; for i in "$@"; do echo "$i,Title $i"; done; }
at() { when=$1; shift; KASPARRO_NOW=$when kas "$@"; }

# csv_source_config NAME: $T/k.conf with one text field (title) and one CSV
# source NAME read from $T/NAME.csv, matching off; sets CONF. Append more
# sections with cat >>"$CONF", another such source with csv_source NAME.
csv_source_config() {
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text, required\n' >"$CONF"
	csv_source "$1"
	printf '[matching]\nenabled = false\n' >>"$CONF"
}
csv_source() {
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\n' "$1" "$1" >>"$CONF"
}

# title_rows FIRST LAST: a CSV of records FIRST..LAST, each titled "Title N"
title_rows() { echo "id,title"; seq "$1" "$2" | awk '{ printf "%d,Title %d\n", $1, $1 }'; }

# Two CSV article sources, a (a.csv) and b (b.csv), in $T with a matching
# section tuned for small hand-written data; append more sections with
# cat >>"$CONF".
two_sources_config() {
	CONF="$T/k.conf"
	{
		printf '[schema]\ntitle = text, required\nauthor = text\n'
		printf 'published_at = timestamp\nurl = text\n'
		for s in a b; do
			printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s"
			for f in title author published_at url; do
				printf 'map.%s = %s\n' "$f" "$f"
			done
		done
		cat <<'CONF'
[matching]
key_fields = title, author
title_field = title
compare.title = jaro_winkler
compare.author = jaro_winkler
compare.published_at = date:2
compare.url = exact
blocking = title:prefix4, title:sorted6, url
prior = 0.2
auto = 0.95
review = 0.40
CONF
	} >"$CONF"
}

# unique_pair_config FIELD=TYPE...: $T/k.conf with those [schema] fields
# and two csv sources marked unique, a (a.csv) and b (b.csv), id column
# "id", each field mapped from the column of its name; matching defaults.
unique_pair_config() {
	CONF="$T/k.conf"
	{
		printf '[schema]\n'
		for f in "$@"; do printf '%s = %s\n' "${f%%=*}" "${f#*=}"; done
		for s in a b; do
			printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\n' "$s" "$s"
			for f in "$@"; do printf 'map.%s = %s\n' "${f%%=*}" "${f%%=*}"; done
		done
	} >"$CONF"
}

# auto_pairs_fixture: two_sources_config read once, with two pairs merged
# automatically (a1~b1, a2~b2); pair_rec SOURCE_ID: a record's id;
# pair_status ID ID: the status of the pair of those records.
auto_pairs_fixture() {
	new_db
	two_sources_config
	printf 'id,title,author,published_at,url\na1,Cooking with Cast Iron Pans,Ann Lee,2026-01-01,https://x.org/iron\na2,A History of Tea,Bo Chen,2025-03-02,https://x.org/tea\n' >"$T/a.csv"
	printf 'id,title,author,published_at,url\nb1,Cooking with Cast Iron Pan,Ann Lee,2026-01-01,https://x.org/iron\nb2,A History of Teas,Bo Chen,2025-03-02,https://x.org/tea\n' >"$T/b.csv"
	kas run >/dev/null 2>&1
}
pair_rec() { sql "SELECT id FROM kasparro.records WHERE source_id = '$1'"; }
pair_status() {
	sql "SELECT status FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec "$1"), $(pair_rec "$2")) AND rec_b = greatest($(pair_rec "$1"), $(pair_rec "$2"))"
}
