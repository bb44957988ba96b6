# Source columns named like URLs (ontology exports, JSON-LD) are mapped with
# quoted keys, map."https://x.org/onto/title" = title, and load with a real
# run: a hand-written file, then the imdb-tmdb benchmark's own files when
# they are present.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text, required
name = text
born = timestamp
runtime = integer
note = text
[source movies]
kind = csv
path = movies.csv
delimiter = |
id = id
map."https://x.org/onto/title" = title
map."http://dbpedia.org/ontology/birthYear" = born
map."https://x.org/onto/runtimeMinutes" = runtime
map."x.owl#a;b = c: d" = note
map.https = name
[matching]
enabled = false
CONF
printf '%s\n' \
	'id|https://x.org/onto/title|http://dbpedia.org/ontology/birthYear|https://x.org/onto/runtimeMinutes|x.owl#a;b = c: d|https|https://x.org/onto/genre' \
	'1|Heat|1995-01-01|170|odd name|plain|crime' \
	'2|Ran|1985-06-01||||drama' >"$T/movies.csv"
out=$(kas config check 2>&1)
expect_exit "a config with quoted column names checks clean" 0 kas config check
out=$(kas run 2>&1)
expect_match "the run loads both records" "$out" "movies +succeeded +2 +2"
expect_eq "URL-named columns land in their fields" \
	"$(sql "SELECT title || ',' || born::date || ',' || runtime || ',' || note || ',' || name FROM kasparro.records WHERE source_id = '1'")" \
	"Heat,1995-01-01,170,odd name,plain"
expect_eq "the second record too" "$(sql "SELECT title || ',' || born::date FROM kasparro.records WHERE source_id = '2'")" \
	"Ran,1985-06-01"
expect_match "an unmapped URL column is reported by its full name" "$(kas show-run 1)" \
	"field 'https://x.org/onto/genre' is in the data but not mapped"

sed -i 's|^map."https://x.org/onto/title" = title|map."https://x.org/onto/title = title|' "$CONF"
expect_match "an unclosed quote names the line and the reason" "$(kas config check 2>&1)" \
	"line 12: key 'map.\"https': a quote is not closed"

data="$TOP/../shared/data/er/imdb-tmdb"
if [ ! -f "$data/imdb.csv" ]; then
	ok "# SKIP no imdb-tmdb data in $data"
	exit 0
fi
new_db _imdb
CONF="$T/imdb.conf"
onto=https://www.scads.de/movieBenchmark/ontology
dbp=http://dbpedia.org/ontology
cat >"$CONF" <<CONF
[schema]
title = text
name = text
born = timestamp
runtime = integer
[source imdb]
kind = csv
path = $data/imdb.csv
delimiter = |
id = id
map."$onto/title" = title
map."$onto/name" = name
map."$dbp/birthYear" = born
map."$onto/runtimeMinutes" = runtime
[source tmdb]
kind = csv
path = $data/tmdb.csv
delimiter = |
id = id
map."$onto/title" = title
map."$onto/name" = name
map."$dbp/birthDate" = born
map."$dbp/runtime" = runtime
[matching]
enabled = false
CONF
out=$(kas run 2>&1)
expect_match "imdb loads every record" "$out" "imdb +succeeded +5118 +5118"
expect_match "tmdb loads every record" "$out" "tmdb +succeeded +6056 +6056"
# the files end lines with CRLF: count non-empty values with awk, \r dropped
count() { tr -d '\r' <"$data/$1" | awk -F'|' -v c="$2" 'NR > 1 && $c != "" {n++} END {print n + 0}'; }
for src in imdb tmdb; do
	expect_eq "$src: every title is mapped from its URL-named column" \
		"$(sql "SELECT count(title) FROM kasparro.records WHERE source = '$src'")" "$(count $src.csv 2)"
	expect_eq "$src: every name too" \
		"$(sql "SELECT count(name) FROM kasparro.records WHERE source = '$src'")" "$(count $src.csv 3)"
done
expect_eq "imdb: every runtime is an integer" \
	"$(sql "SELECT count(runtime) FROM kasparro.records WHERE source = 'imdb'")" "$(count imdb.csv 12)"
expect_eq "imdb: every birth year is a timestamp" \
	"$(sql "SELECT count(born) FROM kasparro.records WHERE source = 'imdb'")" "$(count imdb.csv 7)"
