# An id that a later batch of a read loads again, after an earlier batch
# loaded it, is told in the run's report, as one repeated within a batch
# is: the later record replaced the earlier, which the source's owner
# should hear of. A re-sync names the ids (found by grouping the read's
# seen set, which it does only when its tally of loaded ids is not the
# live records, or always when the read ended incomplete); a first read,
# which keeps no seen set, counts them. Before, a repeat across batches was
# loaded without a word, and a re-sync that ended incomplete said nothing
# of its repeats.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
sed -i 's/^id = id$/id = id\nmax_delete_ratio = 1/' "$CONF"
printf '[kasparro]\nbatch_size = 2\n' >>"$CONF"
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
warnings() { sql "SELECT drift::text FROM kasparro.run_sources WHERE run_id = $(last_run) AND source = 'shop'"; }

# batches: (1, 2) (3, 1) (4, 5) (2, 6): ids 1 and 2 come again in later batches
printf 'id,title\n1,a\n2,b\n3,c\n1,a again\n4,d\n5,e\n2,b again\n6,f\n' >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_match "a first read says how many records repeated an earlier batch's id" "$out" \
	"repeated id: 2 records repeat the id of a record an earlier batch loaded, and the later was loaded each time"
expect_eq "the later records were loaded" \
	"$(sql "SELECT string_agg(title, ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'shop'")" \
	"a again b again c d e f"

out=$(kas run shop 2>&1)
expect_match "a re-sync names the ids and how often they were loaded" "$out" \
	"repeated id: 2 ids were read again in a later batch, and the later record was loaded each time: '1' \(2 times\), '2' \(2 times\)"
expect_match "show-run says it" "$(kas show-run "$(last_run)")" \
	"2 ids were read again in a later batch.*'1' \(2 times\), '2' \(2 times\)"
expect_match "the run's warnings keep it, with the id field" "$(warnings)" \
	'"kind": "repeated_id", "count": 2, "field": "id"'

# a source without repeats says nothing of them, even when records vanish
printf 'id,title\n1,a\n2,b\n3,c\n4,d\n5,e\n' >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_no_match "no repeats, no warning (a record vanished)" "$out" "repeat"
expect_eq "... and the one gone is deleted" \
	"$(sql "SELECT soft_deleted FROM kasparro.run_sources WHERE run_id = $(last_run) AND source = 'shop'")" "1"

# a repeat within a batch is still named with its lines, and not twice
printf 'id,title\n1,a\n1,a2\n2,b\n3,c\n4,d\n5,e\n' >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_match "a repeat within a batch names its lines" "$out" "id '1' was read twice, at line 2 and at line 3"
expect_no_match "... and is no repeat across batches" "$out" "later batch"

# a re-sync that ends incomplete (a line without an id could be any stored
# record) names its repeats too: it has no census to compare its tally with
{ printf 'id,title\n1,a\n2,b\n3,c\n1,a again\n'; seq 4 10 | sed 's/$/,t/'; echo ',no id'; } >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_match "the read was not complete" "$(kas show-run "$(last_run)")" "not a complete read"
expect_match "an incomplete re-sync names the ids loaded again" "$out" \
	"repeated id: 1 id was read again in a later batch, and the later record was loaded each time: '1' \(2 times\)"
