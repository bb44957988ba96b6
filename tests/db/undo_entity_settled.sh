# A pair a later pass settles because an approval put both its records in
# one entity comes back when the approval is undone. Approving (a1, b1)
# makes one entity; a later run finds c1, which shares a code with a1 and
# joins it, and the queued (b1, c1) is settled: its records share that
# entity. Undoing the approval takes b1 out again, and the pair waits for
# review once more.
# Nothing told it from the pairs old passes superseded, so it stayed
# superseded while its records were in two entities.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
{
	printf '[schema]\ntitle = text, required\nauthor = text\ncode = text\n'
	for s in a b c; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s"
		printf 'map.title = title\nmap.author = author\nmap.code = code\n'
	done
	printf '[matching]\ntitle_field = title\ncompare.title = jaro_winkler\n'
	printf 'compare.author = jaro_winkler\nkey_fields = code\nblocking = title:prefix4\nauto = 0.99999\nreview = 0.05\n'
} >"$CONF"
printf 'id,title,author,code\n1,Acme Widget Pro 3000 Deluxe,Jane Doe,AW-3000-DX\n2,Zephyr Kettle,Tom Bow,\n3,Quill Pen Set,Ann Lee,\n' >"$T/a.csv"
printf 'id,title,author,code\n1,Acme Widget Pro 3000 Deluxe,J. Doe-Smith,\n2,Zephyr Kettle,Tom Bow,\n3,Quill Pen Set,Ann Lee,\n' >"$T/b.csv"
printf 'id,title,author,code\n2,Zephyr Kettle,Tom Bow,\n3,Quill Pen Set,Ann Lee,\n' >"$T/c.csv"
kas run >/dev/null 2>&1
rec() { sql "SELECT id FROM kasparro.records WHERE source = '$1' AND source_id = '$2'"; }
pair() { sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($1, $2) AND rec_b = greatest($1, $2)"; }
status() { sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"; }
entity() { sql "SELECT entity_id FROM kasparro.entity_members WHERE record_id = $1 AND live"; }
a1=$(rec a 1)
b1=$(rec b 1)
ab=$(pair "$a1" "$b1")
expect_eq "a1 and b1 wait for review" "$(status "$ab")" pending
kas approve "$ab" >/dev/null 2>&1
expect_eq "the approval puts them in one entity" "$(entity "$a1")" "$(entity "$b1")"

printf '1,Acme Widget Pro 3000 Deluxe,Jane Doe,AW-3000-DX\n' >>"$T/c.csv"
kas run >/dev/null 2>&1
c1=$(rec c 1)
bc=$(pair "$b1" "$c1")
expect_eq "a later run merges c1 with a1 (one code)" "$(entity "$c1")" "$(entity "$a1")"
expect_match "... pairs b1 with c1" "$bc" '^[0-9]+$'
expect_eq "... and settles that pair: the entity holds both" "$(status "$bc")" superseded

kas undo >/dev/null 2>&1
expect_eq "undoing the approval takes b1 out of the entity" \
	"$([ "$(entity "$b1")" = "$(entity "$c1")" ] && echo same || echo apart)" apart
expect_eq "... and the pair its entity settled waits for review again" "$(status "$bc")" pending
expect_match "... 'queue' lists it" "$(kas queue)" "^ *$bc "
kas dedup --rescan >/dev/null 2>&1
expect_eq "... and stays after a rescan" "$(status "$bc")" pending

# an entity the model alone made settles its pairs for no approval: an
# undo elsewhere leaves them settled
kas approve "$bc" >/dev/null 2>&1
kas undo >/dev/null 2>&1
expect_eq "approving and undoing (b1, c1) puts it back in the queue" "$(status "$bc")" pending
expect_eq "... and the model's merge of a1 and c1 stands" "$(entity "$a1")" "$(entity "$c1")"
