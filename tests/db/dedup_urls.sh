# A link names a page however a source writes it. A news site's export and
# a partner's feed carry the same 24 articles; the partner retitles each
# one its own way and writes the link with its campaign parameters
# (utm_*), a click id, http for https, "www.", a trailing slash, the
# scheme's own port, a fragment, the query's parameters in another order.
# With only the title and the link mapped and nothing configured, the
# link's page is what tells the copies apart: each copy is merged with its
# original and with nothing else, its link weighed as identical. A link to
# another page of the same site (another article id in the query) is no
# such evidence. A path is case-sensitive: another case is another page;
# a percent-encoded unreserved character is the character, the hex of an
# encoding has no case, and a host in another script is its punycode.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("Harbour Budget Museum Election Festival Library Railway Bridge Market School Stadium Garden", topic, " ")
	split("opens,closes,grows,shrinks,moves,returns", verb, ",")
	split("utm_source=partner&utm_medium=feed|fbclid=IwAR0x|gclid=Cj0K&utm_campaign=spring", track, "|")
	a = dir "/site.csv"; b = dir "/partner.csv"
	print "id,title,link" > a
	print "ref,headline,url" > b
	for (i = 1; i <= 24; i++) {
		t = topic[(i - 1) % 12 + 1]; v = verb[(i - 1) % 6 + 1]
		page = sprintf("news.example/city/2024/%02d/%s-%s-%d", i % 12 + 1, tolower(t), v, i)
		printf "s%d,The %s %s after a long debate,https://www.%s?id=%d&lang=en\n", i, t, v, page, i > a
		k = i % 6
		if (k == 0) u = "https://www." page "?" track[i % 3 + 1] "&id=" i "&lang=en"
		if (k == 1) u = "http://www." page "/?lang=en&id=" i
		if (k == 2) u = "https://" page "?id=" i "&lang=en#comments"
		if (k == 3) u = "https://WWW.NEWS.EXAMPLE:443/" substr(page, 14) "?lang=en&id=" i "&" track[i % 3 + 1]
		if (k == 4) u = "http://news.example:80/" substr(page, 14) "/?id=" i "&lang=en"
		if (k == 5) u = "https://www." page "?" track[i % 3 + 1] "&lang=en&id=" i "#top"
		printf "p%d,%s: what the city decided,%s\n", i, v, u > b
	}
	# the same site, the same path, another article in the query
	printf "s25,The Pier reopens after a long debate,https://www.news.example/city/article?id=901\n" > a
	printf "p25,reopens: what the city decided,https://www.news.example/city/article?id=902&utm_source=partner\n" > b
	# the same title, the path in another case: another page
	printf "s26,The Wiki Apple page,https://news.example/wiki/Apple\n" > a
	printf "p26,The Wiki Apple page,https://NEWS.example/wiki/APPLE\n" > b
	# one page, encoded otherwise
	printf "s27,The editor cafe column,https://news.example/%%7Eeditor/caf%%c3%%a9\n" > a
	printf "p27,The editor cafe column,https://news.example/~editor/caf%%C3%%A9/\n" > b
	printf "s28,The book catalogue,https://bücher.example/katalog?id=3\n" > a
	printf "p28,The book catalogue,https://xn--bcher-kva.example/katalog?id=3\n" > b
}'
CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text
link = url
[source site]
kind = csv
path = site.csv
id = id
unique = true
map.title = title
map.link = link
[source partner]
kind = csv
path = partner.csv
id = ref
unique = true
map.headline = title
map.url = link
CONF
kas run >"$T/run.out" 2>&1
expect_eq "the run exits 0" "$?" 0

groups=$(sql "SELECT string_agg(g, ' ' ORDER BY g) FROM (SELECT string_agg(r.source_id, ',' ORDER BY r.source DESC) AS g
	FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE m.live
	GROUP BY m.entity_id HAVING count(*) > 1) e")
expect_eq "each copy is merged with its original: 24 pairs" \
	"$(echo "$groups" | tr ' ' '\n' | grep -v '^s2[678],p2[678]$' | grep -c .)" 24
expect_eq "... and never with another article" \
	"$(echo "$groups" | tr ' ' '\n' | awk -F, '{ sub(/^s/, "", $1); sub(/^p/, "", $2); if ($1 != $2) n++ } END { print n + 0 }')" 0

# url_label X Y: how the explanation of the pair X–Y labels the link
url_label() {
	_cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
		JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id
		WHERE r.source_id = '$1' AND s.source_id = '$2'")
	[ -n "$_cand" ] || { echo "no candidate"; return; }
	kas show-match "$_cand" --json | python3 -c 'import json, sys
for f in json.load(sys.stdin)["fields"]:
    if f["field"] == "link":
        print(f["label"])'
}
for i in 6 7 8 9 10 11; do
	expect_eq "the link of s$i and p$i names one page" "$(url_label s$i p$i)" identical
done
expect_match "another article of the same path is another page" "$(url_label s25 p25)" \
	'^(different|no candidate)$'
expect_eq "... and the two are not one entity" \
	"$(test "$(entity_of s25)" != "$(entity_of p25)" && echo apart)" apart
label=$(url_label s26 p26)
expect_match "a path in another case is compared" "$label" '^[a-z]'
expect_no_match "... and is another page" "$label" '^identical$'
expect_eq "an encoded ~ and é in either case name one page" "$(url_label s27 p27)" identical
expect_eq "a host in its script and in punycode name one page" "$(url_label s28 p28)" identical

# The model's m and u for the link hold for links cut to one form: a model
# estimated on another (stored before the form was kept with it, or with
# other tracking parameters) is estimated again at the next pass.
expect_eq "the model keeps the form its links were cut to" \
	"$(sql "SELECT model->>'url_form' FROM kasparro.dedup_state")" 2
sql "UPDATE kasparro.dedup_state SET model = model - 'url_form'" >/dev/null
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "a model estimated on links of the form before is estimated again" "$out" \
	"model re-estimated"
expect_match "... and the log says why" "$out" \
	"url fields are cut to their page in form 2, the stored model's 1"
expect_eq "... and the model keeps the form" \
	"$(sql "SELECT model->>'url_form' FROM kasparro.dedup_state")" 2
out=$(kas run 2>&1)
expect_no_match "a model that fits is not estimated again" "$out" "model re-estimated"
printf '[matching]\nurl_tracking_params = utm_*, ref\n' >>"$CONF"
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "other tracking parameters are another form: estimated again" "$out" \
	"form 2;utm_\*,ref, the stored model's 2"
