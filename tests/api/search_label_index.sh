# GET /data?q= reads a trigram index on the folded record label
# (src/host/label_index.c) instead of every record: the daemon builds it as
# it starts (CONCURRENTLY, named by a digest of the label's expression),
# the search's plan reads it, and it finds exactly what the scan found —
# accents, Greek and Cyrillic, a record without a title by its name, LIKE's
# own characters (% _ \) taken literally, two letters and CJK (no trigram in
# a C-ctype database: the index is not read) too. The table is analyzed
# once the index is there, so that the planner knows a common needle from a
# rare one: a common needle walks the records in id order and stops at the
# page's end instead of reading and sorting every match the index holds. A
# reload that names another label builds that one's index and drops the
# old one; an invalid leftover (a CONCURRENTLY that failed) is dropped.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db

CONF="$T/k.conf"
label_conf() { # label_conf TITLE_FIELD
	cat >"$CONF" <<CONF
[schema]
title = text
name = text
born = integer
[source people]
kind = csv
path = people.csv
id = id
map.title = title
map.name = name
map.born = born
[matching]
enabled = false
title_field = $1
[scheduler]
enabled = false
CONF
	api_section
}
{
	echo 'id,title,name,born'
	echo 'p1,,Zoë Saldaña,1978'
	echo 'p2,,Rutger Hauer,1944'
	echo 'f1,Blade Runner,,1982'
	echo 'f2,Москва Кузнецов,,1990'
	echo 'f3,Παπαδοπούλου,,1991'
	echo 'f4,100% Organic,,2001'
	printf '%s\n' 'f5,snake_case and a\back,,2002' # sh's echo would make \b a backspace
	echo 'f6,100 Organic,,2003'
	echo 'f7,snakeXcase,,2004'
	echo 'f8,東京タワー 夜景,,2005'
	# many others, so that reading the index is worth it for the planner
	seq 1 20000 | awk '{ printf "x%d,Filler record %d %s,,%d\n", $1, $1, $1 % 3 ? "harbour" : "Øresund", 1900 + $1 % 100 }'
} >"$T/people.csv"
label_conf title
api_keys
kas run >/dev/null 2>&1
sql "ANALYZE kasparro.records"

label_indexes() { # the label indexes there are: "name valid" per line
	sql "SELECT c.relname || CASE WHEN i.indisvalid THEN ' t' ELSE ' f' END FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relname LIKE 'records\_label\_%' ORDER BY 1"
}
one_valid() { label_indexes | grep -q ' t$' && [ "$(label_indexes | wc -l)" = 1 ]; }
# the plans of the daemon's statements in its (debug) log
export PGOPTIONS='-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0
	-c auto_explain.log_level=notice' LOG_LEVEL=debug
start_daemon
unset PGOPTIONS LOG_LEVEL
wait_for "the daemon builds the label index as it starts" 60 one_valid
first=$(label_indexes)
expect_match "... named by the expression's digest" "$first" '^records_label_[0-9a-f]{16} t$'
expect_match "... on the folded label" \
	"$(sql "SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'records\_label\_%'")" \
	"USING gin \((kasparro\.)?fold_trigrams\(COALESCE\(NULLIF\(title, ''::text\), NULLIF\(name, ''::text\)\)\) (kasparro\.)?gin_trgm_ops\)"

ids() { # the records /data?q=$1 finds, sorted
	get "/data?limit=1000&q=$1"
	[ "$CODE" = 200 ] || { echo "HTTP $CODE"; return; }
	jq_ '" ".join(sorted(r["source_id"] for r in d["data"]))'
}
NEEDLES="rutger saldana ZO%C3%8B BLADE%20runner %D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0
	%CF%80%CE%B1%CF%80%CE%B1%CE%B4 100%25%20o snake_case a%5Cback 17%20harbour filler%20199 ez
	%E6%9D%B1%E4%BA%AC%E3%82%BF%E3%83%AF%E3%83%BC"
answers() { for n in $NEEDLES; do printf '%s=%s\n' "$n" "$(ids "$n")"; done; }
with=$(answers)
expect_eq "rutger finds Rutger Hauer by his name" "$(ids rutger)" p2
expect_eq "москва finds the Cyrillic title" "$(ids '%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0')" f2
expect_eq "a % is a percent sign, not a wildcard" "$(ids '100%25%20o')" f4
expect_eq "an _ is an underscore" "$(ids snake_case)" f5
expect_eq "a \\ is a backslash" "$(ids 'a%5Cback')" f5

plan_nodes() { # how the daemon's statements since the log was emptied read records
	grep -o -e 'Bitmap Index Scan on records_label_' -e 'Index Scan using records_pkey on records' \
		-e 'Sort Key: r.id' "$T/daemon.log" | sort -u | tr '\n' '|'
}
analyzed() { sql_is "SELECT count(*) FROM pg_stats WHERE tablename LIKE 'records\_label\_%'" 1; }
wait_for "the daemon analyzes the table for the statistics of the index" 60 analyzed
: >"$T/daemon.log"
get "/data?q=saldana"
expect_match "a rare needle reads the label index" "$(plan_nodes)" \
	"Bitmap Index Scan on records_label_"
: >"$T/daemon.log"
get "/data?q=harbour"
expect_eq "a common needle walks the records in id order, rather than read every match from the index and sort them" \
	"$(plan_nodes)" "Index Scan using records_pkey on records|"
# Letters pg_trgm does not see in a C-ctype database (CJK) give no
# trigram: the index would be read whole, every record rechecked.
: >"$T/daemon.log"
expect_eq "a CJK needle finds its record" "$(ids '%E6%9D%B1%E4%BA%AC%E3%82%BF%E3%83%AF%E3%83%BC')" f8
expect_eq "... walking the records, not reading the whole index" "$(plan_nodes)" \
	"Index Scan using records_pkey on records|"

# The same answers from a scan of every record, the index away.
sql "DROP INDEX kasparro.${first% *}"
expect_eq "the same records with the index and without" "$(answers)" "$with"

# A reload naming another label builds its index and drops the other one;
# an invalid leftover (a CONCURRENTLY that failed) goes too.
kill -HUP "$DAEMON_PID"
wait_for "a reload builds the index again" 60 one_valid
sql "CREATE UNIQUE INDEX CONCURRENTLY records_label_00000000deadbeef ON kasparro.records (born)" \
	2>/dev/null
expect_match "(an invalid leftover is there)" "$(label_indexes)" "records_label_00000000deadbeef f"
label_conf name
kill -HUP "$DAEMON_PID"
others_gone() { one_valid && ! label_indexes | grep -q -e "${first% *}" -e deadbeef; }
wait_for "a reload naming another label builds its index, and drops the others" 60 others_gone
expect_eq "the new label's searches answer" "$(ids rutger)" p2
stop_daemon
