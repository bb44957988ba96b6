# One title everywhere: with [matching] title_field set, entities, the
# deleted records, the export and the queue all title a record by it (not by
# the first field of the schema). Searches ignore case and accents, CLI
# tables stay aligned with CJK titles, and `runs --status` names the
# statuses it takes.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
given_name = text
surname = text, required
city = text
[source people]
kind = csv
path = people.csv
id = id
map.given_name = given_name
map.surname = surname
map.city = city
[matching]
within_source = true
key_fields = surname, given_name
title_field = surname
compare.surname = jaro_winkler
compare.given_name = jaro_winkler
compare.city = exact
blocking = surname:prefix3
CONF
cat >"$T/people.csv" <<'CSV'
id,given_name,surname,city
1,José,Ñúñez,Sevilla
2,Jose,Nunez,Sevilla
3,太郎,東京タワー株式会社,東京
4,Ann,100% Organic,Leeds
5,Bob,Müller,Bern
CSV
kas run >/dev/null 2>&1
expect_match "entities are titled by title_field" "$(kas entities --limit all)" " Müller\$"
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now() WHERE source_id = '5'"
d=$(kas deleted)
expect_match "deleted titles records by title_field too, not the first field" "$d" " 5 +Müller +[0-9-]+ "
expect_no_match "not by given_name" "$d" " Bob "
expect_match "deleted --json likewise" "$(kas deleted --json)" '"source_id":"5","title":"Müller"'
expect_match "the export too" "$(kas export records)" "^3,people,3,[0-9]+,[^,]+,[a-z]+,1,東京タワー株式会社\$"

# searches fold case and accents, and take % literally
expect_match "entities --search ñúñez finds Ñúñez" "$(kas entities --search 'ñúñez')" "Ñúñez"
expect_match "and NUNEZ too" "$(kas entities --search NUNEZ)" "Ñúñez|Nunez"
expect_match "東京 finds the CJK title" "$(kas entities --search 東京)" "東京タワー株式会社"
expect_eq "a % in the search is a percent sign, not a wildcard" \
	"$(kas entities --search '0% O' --json | python3 -c 'import json,sys; print([e["title"] for e in json.load(sys.stdin)])')" \
	"['100% Organic']"

# CLI tables align wide characters: a left-aligned column starts at the
# same terminal cell on every row as its title does
aligned() {
	python3 -c '
import sys, unicodedata
def cells(s):
    out, x = [], 0
    for c in s:
        out.append(x)
        x += 2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
    return out, x
lines = [l.rstrip("\n") for l in sys.stdin if l.strip() and " shown;" not in l]
head = lines[0]
hx, _ = cells(head)
want = [hx[head.index(t)] for t in sys.argv[1:]]
ok = True
for l in lines[1:]:
    lx, end = cells(l)
    starts = {lx[i] for i in range(len(l)) if l[i] != " " and i >= 2 and l[i-2:i] == "  "}
    ok &= all(c in starts for c in want)
print("aligned" if ok else "misaligned: " + repr(lines))' "$@"
}
expect_eq "entities with CJK titles line up" "$(kas entities --limit all | aligned KEY TITLE)" aligned
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now() WHERE source_id = '3'"
expect_eq "deleted too" "$(kas deleted | aligned SOURCE RECORD TITLE 'DELETED (UTC)')" aligned

# runs --status
expect_exit "runs --status bogus is a usage error" 2 kas runs --status bogus
expect_match "naming the statuses it takes" "$(kas runs --status bogus 2>&1)" \
	"option '--status': 'bogus' is not a run status \(running, succeeded, partial, failed, interrupted, abandoned, missed or skipped\)"
expect_eq "a valid status with no such run says so" "$(kas runs --status failed)" "no run is failed"
