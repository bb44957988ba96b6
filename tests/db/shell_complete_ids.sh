# `kasparro shell-complete` (bash's Tab) offers the ids a command takes, as
# the user would pick them, from a database that answers at once: the
# pending candidates at the head of the review queue for approve, reject
# and show-match (never a decided one), the latest runs, the decisions undo
# can revert, a source's record ids after SOURCE/, entity keys; and for a
# source the ones runs read that the configuration no longer names (restore
# --retired, retire). It offered none of these: only configured sources.
# A database that does not answer (a table held, a server that never
# replies) leaves the ids out at once, without a message.
. "$KASPARRO_TOP/tests/lib/lib.sh"
TOP=$KASPARRO_TOP
new_db
sample_queued
mkdir -p "$T/bin"
ln -s "$BIN" "$T/bin/kasparro"

words() { kas shell-complete -- "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
# ids WORD...: the candidates as lines
ids() { kas shell-complete -- "$@" 2>&1; }

pending=$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'")
[ "$pending" -gt 0 ] || not_ok "the sample leaves candidates to review"
head=$(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending'
	ORDER BY abs(probability - 0.5), id LIMIT 1")
ids approve '' >"$T/approve"
expect_eq "approve offers pending candidates, at most 50" \
	"$(wc -l <"$T/approve" | tr -d ' ')" "$([ "$pending" -lt 50 ] && echo "$pending" || echo 50)"
check "... the head of the review queue among them" grep -qx "$head" "$T/approve"
expect_eq "... all of them pending" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'
		AND id IN ($(paste -sd, "$T/approve"))")" "$(wc -l <"$T/approve" | tr -d ' ')"
expect_eq "... in numeric order" "$(sort -n "$T/approve" | paste -sd' ')" \
	"$(paste -sd' ' "$T/approve")"
expect_eq "an id completes from its first digits" "$(words show-match "$head" | tr ' ' '\n' | grep -cvx "$head.*")" 0

kas approve "$head" >/dev/null || not_ok "approve $head"
check "an approved candidate is no longer offered" sh -c "! kas shell-complete -- reject '' | grep -qx '$head'"
decision=$(sql "SELECT max(id) FROM kasparro.decisions")
expect_eq "undo offers the decision it can revert" "$(words undo "$decision")" "$decision"
expect_eq "show-run offers the runs" "$(words show-run '')" "1"
expect_eq "... as audit --object run: does" "$(words audit --object run:)" "run:1"
expect_eq "... and bash, split at ':'" \
	"$(PATH="$T/bin:$PATH" bash --norc --noprofile -c '. "$1"
		COMP_LINE="kasparro -c $2 audit --object run:"; COMP_POINT=${#COMP_LINE}
		COMP_WORDS=(kasparro -c "$2" audit --object run :); COMP_CWORD=6
		_kasparro; echo "${COMPREPLY[*]}"' _ "$TOP/share/bash-completion/kasparro" "$CONF")" "1"
# ten runs more: ids by value (9 before 10), not as bytes (10 before 9)
sql "INSERT INTO kasparro.runs (trigger, actor, status, finished_at)
	SELECT 'manual', 'test', 'succeeded', now() FROM generate_series(1, 10)" >/dev/null
expect_eq "runs in numeric order, 9 before 10" "$(words show-run '')" "1 2 3 4 5 6 7 8 9 10 11"
expect_eq "... after audit --object run: too" "$(words audit --object run:1)" "run:1 run:10 run:11"
expect_eq "... run:9 before run:10" "$(words audit --object run: | cut -d' ' -f9-10)" "run:9 run:10"
first=$(sql "SELECT source_id FROM kasparro.records WHERE source = 'articles-api'
	ORDER BY source_id COLLATE \"C\" LIMIT 1")
expect_match "a record after SOURCE/: that source's ids" "$(words show-record articles-api/)" \
	"^articles-api/$first( |\$)"
key=$(sql "SELECT key FROM kasparro.entities ORDER BY key COLLATE \"C\" LIMIT 1")
expect_match "show-entity offers entity keys" "$(words show-entity '')" "^$key( |\$)"

# a source taken out of the configuration, its records then retired
awk '/^\[/ { skip = ($0 == "[source partner-feed]") } !skip' "$CONF" >"$T/without.conf"
CONF="$T/without.conf"
expect_eq "retire offers the removed source" "$(words retire p)" "partner-feed"
kas retire --yes partner-feed >/dev/null || not_ok "retire partner-feed"
expect_eq "restore --retired offers the retired source with the configured ones" \
	"$(words restore --retired '')" "articles-api articles-csv partner-feed"
expect_eq "... and completes it" "$(words restore --retired=pa)" "--retired=partner-feed"

# a held table: the statement gives up at once, the sources stay
hold_table "another session holds the runs" runs
start=$(date +%s)
expect_eq "a held table: no run ids, no message" "$(words show-run '')" ""
expect_eq "... and no wait" "$(($(date +%s) - start < $(slow 5)))" 1
release_table

# a server that accepts and never answers
python3 - "$T/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
PY
MUTE=$!
at_exit "kill $MUTE 2>/dev/null"
wait_for "the silent server listens" 30 test -s "$T/port"
start=$(date +%s)
expect_eq "a server that never answers: the configured sources still" \
	"$(KASPARRO_DATABASE_URL="host=127.0.0.1 port=$(cat "$T/port") user=x dbname=x" \
		words restore --retired '')" "articles-api articles-csv"
expect_eq "... within a few seconds" "$(($(date +%s) - start < $(slow 5)))" 1
kill $MUTE 2>/dev/null
wait $MUTE 2>/dev/null || :
