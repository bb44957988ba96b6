# Between two unique sources, approving (a, b) settles a queued (a, c)
# with c in b's source: one-to-one, a matches one record there, so the
# pair leaves the queue as settled by that approval, stays out of it
# after a rescan, and comes back when the approval is undone. It used to
# stay queued at p = 0.500 beside the approved pair, and at p = 0.000
# ("already has a better match") after the next rescan.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
{
	printf '[schema]\ntitle = text, required\nauthor = text\n'
	for s in a b; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\n' "$s" "$s"
		printf 'map.title = title\nmap.author = author\n'
	done
	printf '[matching]\ntitle_field = title\ncompare.title = jaro_winkler\n'
	printf 'compare.author = jaro_winkler\nblocking = title:prefix4\nauto = 0.95\nreview = 0.05\n'
} >"$CONF"
printf 'id,title,author\n1,Acme Widget Pro 3000 Deluxe,Jane Doe\n2,Zephyr Kettle,Tom Bow\n' >"$T/a.csv"
# b lists the widget twice (a listing a unique source should not have):
# the two pairs of a's widget are tied, and both wait for an operator
printf 'id,title,author\n1,Acme Widget Pro 3000 Deluxe,Jane Doe\n2,Acme Widget Pro 3000 Deluxe,Jane Doe\n3,Zephyr Kettle,Tom Bow\n' >"$T/b.csv"
kas run >/dev/null 2>&1
pair() { sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records x ON x.id = c.rec_a \
	JOIN kasparro.records y ON y.id = c.rec_b WHERE x.source = 'a' AND x.source_id = '1' AND y.source_id = '$1'"; }
status() { sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"; }
one=$(pair 1)
two=$(pair 2)
expect_eq "the tied pairs both wait in the queue" "$(status "$one") $(status "$two")" "pending pending"

kas approve "$one" >/dev/null 2>&1
expect_eq "approving one settles the other: it leaves the queue" "$(status "$two")" superseded
expect_no_match "... 'queue' no longer lists it" "$(kas queue)" "^ *$two "
expect_match "... show-match says it is settled" "$(kas show-match "$two")" "^candidate $two: superseded"
expect_eq "... the approval records it among what it settled" \
	"$(sql "SELECT before->'superseded' FROM kasparro.decisions ORDER BY id DESC LIMIT 1")" "[$two]"
kas dedup --rescan >/dev/null 2>&1
expect_eq "a rescan leaves it settled, not queued at p = 0" "$(status "$two")" superseded

kas undo >/dev/null 2>&1
expect_eq "undoing the approval: both pairs wait again" "$(status "$one") $(status "$two")" "pending pending"
kas dedup --rescan >/dev/null 2>&1
expect_eq "... and stay after a rescan" "$(status "$one") $(status "$two")" "pending pending"


# a rival that a later pass finds is settled by the approval as well, and
# undoing the approval opens it again, though the approval's list of what
# it settled does not name it (it used to stay superseded until a rescan)
kas approve "$one" >/dev/null 2>&1
printf '4,Acme Widget Pro 3000 Deluxe,Jane Doe\n' >>"$T/b.csv"
kas run >/dev/null 2>&1
three=$(pair 4)
expect_match "a later run pairs a's widget with b's new listing" "$three" '^[0-9]+$'
expect_eq "... the approval settles that rival too" "$(status "$three")" superseded
expect_no_match "... which the approval's own list does not name" \
	"$(sql "SELECT before->>'superseded' FROM kasparro.decisions WHERE action = 'approve' ORDER BY id DESC LIMIT 1")" \
	"(^|[^0-9])$three([^0-9]|$)"
kas undo >/dev/null 2>&1
expect_eq "undoing the approval opens every pair it settled" \
	"$(status "$one") $(status "$two") $(status "$three")" "pending pending pending"
# their probabilities and notes are the last pass's, which counted the
# approval (one-to-one: "already has a better match"): each is marked
# stale until the next pass scores it again, beside its own note, in
# show-match, the queue's P column and its --json (the stale score used to
# replace the pair's note, and the queue showed nothing)
appr=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'approve'")
undo=$(sql "SELECT undone_by FROM kasparro.decisions WHERE id = $appr")
note=$(sql "SELECT note FROM kasparro.match_candidates WHERE id = $three")
out=$(kas show-match "$three")
expect_match "show-match says the pair was scored while the approval stood" "$out" \
	"^stale: scored while decision $appr stood, since undone \(decision $undo\): the next run or dedup --rescan scores it again$"
expect_match "... and keeps the note the pass gave it" "$note" "^one-to-one: "
expect_match "... which show-match prints as well" "$out" "^note: one-to-one: "
expect_eq "... every pending pair of its records is marked" \
	"$(kas queue --json | python3 -c 'import json, sys
print(sorted(c["id"] for c in json.load(sys.stdin) if c["stale"] is True and c["stale_note"].startswith("scored while decision '"$appr"' stood")))')" \
	"$(python3 -c "print(sorted([$one, $two, $three]))")"
expect_match "'queue' marks their P with ~" "$(kas queue)" "^ *$three +[<>]?[0-9.]+~ "
expect_match "... and says what ~ means" "$(kas queue)" \
	"^~ 3 scored while a decision since undone stood \(show-match says which\): the next run or dedup --rescan scores them again$"
kas dedup --rescan >/dev/null 2>&1
expect_eq "the next pass scores them again" \
	"$(kas queue --json | python3 -c 'import json, sys; print([c["id"] for c in json.load(sys.stdin) if c["stale"] is not False])')" "[]"
expect_no_match "... and 'queue' marks none" "$(kas queue)" "~"
kas approve "$one" >/dev/null 2>&1
kas undo >/dev/null 2>&1
expect_eq "an approval undone before any pass scored under it leaves the scores current" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE stale_undo IS NOT NULL")" 0
