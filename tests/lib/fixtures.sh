# tests/lib/fixtures.sh — set-ups and measures several tests share, sourced
# after lib.sh (and console.sh for books_deleted), so that a fixture is
# written once and a test says only what it is about:
#
#   widest TEXT          the cells of TEXT's widest line (a table's width)
#   first_pending        the candidate `queue` lists first (most uncertain)
#   approve_first REASON approves it, with REASON; sets $pair
#   sample_applied       sample_held, its held deletions applied (records of
#                        partner-feed deleted by run 2)
#   big_csv_config BATCH $T/k.conf: one CSV source big ($T/big.csv: id,
#                        title, n), title required, n an integer, matching
#                        off, [kasparro] batch_size = BATCH; sets CONF
#   books_deleted        console_fixture's books read again without its
#                        record 2 (a full sync): soft-deleted; $rec its id
#   console_loaded LINE...  console_fixture with LINEs added to its
#                        configuration, read by run 1
#   sample_truth_table   the sample's truth.csv as table truth in the test
#                        database (what each sample record is meant to be)

# Cells, not bytes or characters: "…" is one, a wide character two.
widest() { printf '%s\n' "$1" | LC_ALL=C.UTF-8 wc -L; }

first_pending() {
	kas queue --json --limit 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])'
}

approve_first() {
	pair=$(first_pending)
	kas approve "$pair" --reason "$1" >/dev/null || not_ok "candidate $pair is approved"
}

sample_applied() {
	sample_held
	kas apply-deletes 2 >/dev/null 2>&1 || not_ok "the held deletions are applied"
}

big_csv_config() {
	CONF="$T/k.conf"
	cat >"$CONF" <<-CONF
		[kasparro]
		batch_size = $1
		[schema]
		title = text, required
		n = integer
		[source big]
		kind = csv
		path = big.csv
		id = id
		map.title = title
		map.n = n
		[matching]
		enabled = false
	CONF
}

books_deleted() {
	console_fixture run
	grep -v '^2,' "$T/fx/books.csv" >"$T/fx/books.new" && mv "$T/fx/books.new" "$T/fx/books.csv"
	kas run --allow-mass-delete books >/dev/null 2>&1
	rec=$(sql "SELECT id FROM kasparro.records WHERE source = 'books' AND source_id = '2'")
}

sample_truth_table() {
	sql "CREATE TABLE truth (source text, source_id text, location text, article text,
		variation text, malformed text, expect text)"
	psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" \
		-c "\\copy truth FROM '$TOP/share/kasparro/sample/truth.csv' WITH (FORMAT csv, HEADER true)"
}

console_loaded() {
	console_fixture
	printf '%s\n' "$@" >>"$CONF"
	kas run >/dev/null 2>&1 || not_ok "run 1 loads the fixture"
}
