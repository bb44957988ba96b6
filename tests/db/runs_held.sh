# What became of the deletions a read held, in `runs` as in `show-run`:
# DELETED says "held N" while they wait (it said 0), then "applied N",
# "discarded" or "superseded"; --json keeps soft_deleted a count and adds
# the text (deletions) and the holds, with show-run's fields; the run's
# error, which said how to decide, says what became of them once decided
# (it kept telling how to decide), per source with --source too, and
# only its own part when two reads of the run were held with the same words.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
csv_source mall
row_of() { printf '%s\n' "$1" | grep -E "^ +$2 "; }
js() { python3 -c "import json, sys; rows = {r['id']: r for r in json.load(sys.stdin)}; r = rows[$1]; print($2)"; }
me=$(id -un)
title_rows 1 100 >"$T/shop.csv"
title_rows 1 100 >"$T/mall.csv"
kas run >/dev/null 2>&1
# run 2: half of shop and 40 of mall are gone; the guard holds both
title_rows 1 50 >"$T/shop.csv"
title_rows 1 60 >"$T/mall.csv"
kas run >/dev/null 2>&1
expect_eq "run 2 held 50 of shop and 40 of mall" \
	"$(sql "SELECT string_agg(source || ':' || held_deletes || ':' || soft_deleted, ' ' ORDER BY source) FROM kasparro.run_sources WHERE run_id = 2")" \
	"mall:40:0 shop:50:0"

out=$(kas runs)
expect_match "runs: DELETED says the 90 are held, not 0" "$(row_of "$out" 2)" \
	" 110 +0 +0 +110 +0 +held 90 +- +- +shop: deletions held: "
expect_match "... and the error still says how to decide" "$(row_of "$out" 2)" \
	"'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'$"
expect_match "... a run that held nothing keeps its count" "$(row_of "$out" 1)" " 0 +0 +0 +0 +- +- +-$"
json=$(kas runs --json)
expect_eq "--json: soft_deleted stays the count deleted" "$(printf %s "$json" | js 2 "r['soft_deleted']")" 0
expect_eq "... deletions is DELETED's text" "$(printf %s "$json" | js 2 "r['deletions']")" "held 90"
expect_eq "... holds: show-run's fields, per source, still held" \
	"$(printf %s "$json" | js 2 "' '.join('%s:%s:%s' % (h['held'], h['would_delete'], h['decision']) for h in r['holds'])")" \
	"50:50:None 40:40:None"
expect_eq "... a run that held nothing has no holds" "$(printf %s "$json" | js 1 "'%s|%s' % (r['holds'], r['deletions'])")" "None|0"
expect_eq "... each its source and show-run's hold, in show-run's order" \
	"$(printf %s "$json" | js 2 "[list(h) for h in r['holds']]")" \
	"$(kas show-run --json 2 | python3 -c 'import json, sys; print([["source"] + list(s["hold"]) for s in json.load(sys.stdin)["sources"]])')"
expect_match "runs --source shop: its own 50 held" "$(row_of "$(kas runs --source shop)" 2)" " held 50 +- +- +deletions held: "
expect_match "show-run says held 50, as runs does" "$(kas show-run 2)" "^shop +partial +50 +0 +0 +50 +0 +held 50 +0 "

check "apply shop's held deletions" kas apply-deletes --source shop 2
out=$(kas runs --source shop)
expect_match "runs --source shop: applied 50" "$(row_of "$out" 2)" " applied 50 +- +- +"
expect_match "... its error says what became of them" "$(row_of "$out" 2)" \
	" the held deletions were applied by $me at [0-9T:-]+Z: 50 deleted$"
expect_no_match "... and no longer how to decide" "$out" "apply-deletes"
out=$(kas runs)
expect_match "runs: mall's 40 still held, shop's 50 applied" "$(row_of "$out" 2)" " held 40, applied 50 "
expect_match "... shop's part of the error says what became of them, mall's how to decide" \
	"$(row_of "$out" 2)" \
	"shop: the held deletions were applied by $me at [0-9T:-]+Z: 50 deleted; mall: deletions held: would delete 40 of 100 .*'kasparro discard-deletes 2'$"
expect_eq "--json: soft_deleted counts the 50 applied" "$(kas runs --json | js 2 "'%s|%s' % (r['soft_deleted'], r['deletions'])")" "50|held 40, applied 50"

check "discard mall's" kas discard-deletes 2
out=$(kas runs)
expect_match "runs: applied 50, discarded" "$(row_of "$out" 2)" " applied 50, discarded "
expect_match "... the error says what became of both" "$(row_of "$out" 2)" \
	"shop: the held deletions were applied by $me at [0-9T:-]+Z: 50 deleted; mall: the held deletions were discarded by $me at [0-9T:-]+Z: nothing was deleted$"
expect_no_match "... and nowhere how to decide" "$out" "apply-deletes|discard-deletes"
expect_match "show-run's DELETED says the same: applied 50" "$(kas show-run 2)" "^shop +partial .* applied 50 +0 "
expect_match "... and discarded" "$(kas show-run 2)" "^mall +partial .* discarded +0 "

# run 3 holds mall's 40 again; run 4 reads all of mall and supersedes it
kas run mall >/dev/null 2>&1
title_rows 1 100 >"$T/mall.csv"
kas run mall >/dev/null 2>&1
out=$(kas runs)
expect_match "runs: run 3's hold superseded" "$(row_of "$out" 3)" \
	" superseded +- +- +mall: the held deletions were superseded by run 4 at [0-9T:-]+Z, which read the source completely and decided afresh$"
expect_match "... show-run says the same" "$(kas show-run 3)" "^mall +partial .* superseded +0 "

# two reads held with the same words: deciding one changes its own part of
# the run's error, not the first that reads alike
CONF="$T/k2.conf"
printf '[schema]\ntitle = text, required\n[matching]\nenabled = false\n' >"$CONF"
for s in a b; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\n' "$s" "$s" >>"$CONF"
	title_rows 1 2 >"$T/$s.csv"
done
kas run >/dev/null 2>&1
for s in a b; do echo "id,title" >"$T/$s.csv"; done
kas run >/dev/null 2>&1
expect_eq "run 6 held a's and b's with the same error" \
	"$(sql "SELECT count(DISTINCT error) || ':' || count(*) FROM kasparro.run_sources WHERE run_id = 6 AND held_deletes = 2")" "1:2"
check "discard b's" kas discard-deletes --source b 6
out=$(kas runs)
expect_match "runs: a's still held, b's discarded" "$(row_of "$out" 6)" " held 2, discarded "
expect_match "... the error's part for b says so, a's still how to decide" "$(row_of "$out" 6)" \
	" a: deletions held: the source returned no records: .*'kasparro discard-deletes 6'; b: the held deletions were discarded by $me at [0-9T:-]+Z: nothing was deleted$"
