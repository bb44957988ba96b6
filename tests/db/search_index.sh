# Entity searches (`entities --search`, the console's Entities search, GET
# /entities?search=) are answered by a trigram index on the folded title and
# the key (src/db/search.c) instead of reading every entity: the index is
# there after the migrations, the search's plan reads it, and it finds what
# the search found before: case and accents folded, Cyrillic and Greek too
# (the test cluster's LC_CTYPE is C, where pg_trgm takes no letter beyond
# ASCII), by key, a % taken literally; a search of one or two characters,
# which the index cannot serve, the same way. A function left by another
# build is replaced and the index built again, unless that build's utf8proc
# is newer; without pg_trgm searches still answer, and the index comes
# once it is installed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
given_name = text
surname = text, required
[source people]
kind = csv
path = people.csv
id = id
map.given_name = given_name
map.surname = surname
[matching]
within_source = true
key_fields = surname, given_name
title_field = surname
compare.surname = jaro_winkler
compare.given_name = jaro_winkler
blocking = surname:prefix3
CONF
cat >"$T/people.csv" <<'CSV'
id,given_name,surname
1,José,Ñúñez
2,Anna,MÜLLER-Lüdenscheidt
3,Иван,Москва Кузнецов
4,Ελένη,Παπαδοπούλου
5,Ann,100% Organic
6,Bob,Smith
CSV
kas run >/dev/null 2>&1
expect_eq "the search index is there after the migrations" \
	"$(sql "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL")" t

# Many other entities, so that reading the index is worth it for the planner
# as it is on an installation of any size.
sql "INSERT INTO kasparro.entities (key, title, size) SELECT 'filler-' || g, 'Filler entity ' || g
	|| CASE WHEN g % 3 = 0 THEN ' Øresund' ELSE ' harbour' END, 1 + g % 4
	FROM generate_series(1, 20000) g; ANALYZE kasparro.entities"

titles() { # the titles entities --search $1 lists, in its order, one line
	kas entities --search "$1" --limit all --json |
		python3 -c 'import json,sys; print("|".join(e["title"] for e in json.load(sys.stdin)))'
}
expect_eq "nunez finds Ñúñez" "$(titles nunez)" "Ñúñez"
expect_eq "müller finds MÜLLER, accents and case folded" "$(titles 'müller')" "MÜLLER-Lüdenscheidt"
expect_eq "LUDENSCHEIDT finds it too" "$(titles LUDENSCHEIDT)" "MÜLLER-Lüdenscheidt"
expect_eq "москва finds the Cyrillic title" "$(titles 'москва')" "Москва Кузнецов"
expect_eq "КУЗНЕЦОВ, in capitals, too" "$(titles 'КУЗНЕЦОВ')" "Москва Кузнецов"
expect_eq "παπαδοπουλου finds Παπαδοπούλου" "$(titles 'παπαδοπουλου')" "Παπαδοπούλου"
expect_eq "a % is a percent sign, not a wildcard" "$(titles '100% o')" "100% Organic"
expect_eq "a key finds its entity" "$(titles filler-20000)" "Filler entity 20000 harbour"
expect_eq "two characters, which no trigram serves, still find" "$(titles 'ñe')" "Ñúñez"
expect_eq "counted and paged as before" \
	"$(kas entities --search '0 ØRESUND' --limit 2 | tail -n 1)" \
	"2 of 666 entities shown; --limit N or --limit all shows more"

# The plan of the search kasparro runs (auto_explain hands it over as a
# notice, which the debug log shows): the index, not a scan of every entity.
plan() {
	PGOPTIONS='-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0
		-c auto_explain.log_level=notice' LOG_LEVEL=debug \
		"$BIN" -c "$CONF" entities --search "$1" 2>&1 >/dev/null
}
out=$(plan 'müller')
expect_match "a search reads the index" "$out" "Bitmap Index Scan on entities_search_idx"
expect_no_match "... and no entity besides" "$out" "Seq Scan on entities|Index Scan using entities_listed_idx"
expect_match "a Cyrillic search reads the index too" "$(plan 'кузнецов')" \
	"Bitmap Index Scan on entities_search_idx"

# A function another build left (another utf8proc) is replaced, the index
# built again with it.
sql "DROP INDEX kasparro.entities_search_idx;
	COMMENT ON FUNCTION kasparro.fold(text) IS 'kasparro search 0000000000000000'"
kas entities --limit 1 >/dev/null 2>&1
expect_eq "a stale folding is replaced and the index built again" \
	"$(sql "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL,
		obj_description('kasparro.fold(text)'::regprocedure) <> 'kasparro search 0000000000000000'")" "t|t"

# Two builds of different utf8proc on one database: the newer one's
# functions and index stay (no rebuild at each other's every start), and the
# older build searches with them; an older one's are replaced.
state() { sql "SELECT obj_description('kasparro.fold(text)'::regprocedure),
	'kasparro.entities_search_idx'::regclass::oid"; }
newer='kasparro search 0123456789abcdef utf8proc 99.0.0'
sql "COMMENT ON FUNCTION kasparro.fold(text) IS '$newer'"
before=$(state)
reads=$(plan 'müller' | grep -c 'Bitmap Index Scan on entities_search_idx')
expect_eq "a newer utf8proc's functions and index are left as they are" "$(state)" "$before"
expect_eq "... and this build's searches read that index (to count, then for the page)" \
	"$reads" 2
expect_eq "... and find what they found" "$(titles 'müller')" "MÜLLER-Lüdenscheidt"
sql "COMMENT ON FUNCTION kasparro.fold(text) IS 'kasparro search 0123456789abcdef utf8proc 1.0'"
kas entities --limit 1 >/dev/null 2>&1
expect_match "an older utf8proc's are replaced, the index built again" "$(state)" \
	"^kasparro search [0-9a-f]{16} utf8proc [0-9.]+\|[0-9]+$"
expect_no_match "... with this build's" "$(state)" "0123456789abcdef|\|${before#*|}$"

# Without pg_trgm (a server without PostgreSQL's contrib, or not allowed to
# create it) searches read every entity, with the same answers.
sql "DROP EXTENSION pg_trgm CASCADE" 2>/dev/null
expect_eq "without pg_trgm, no index" "$(kas entities --limit 1 >/dev/null 2>&1;
	sql "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL")" f
expect_eq "... and searches answer the same" "$(titles 'müller')/$(titles 'москва')" \
	"MÜLLER-Lüdenscheidt/Москва Кузнецов"
sql "CREATE EXTENSION pg_trgm SCHEMA kasparro"
kas entities --limit 1 >/dev/null 2>&1
expect_eq "once it is installed, the next start builds the index" \
	"$(sql "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL")" t
expect_match "which searches read" "$(plan 'nunez')" "Bitmap Index Scan on entities_search_idx"

# An index that cannot be built costs searches their speed, not kasparro
# its database: the command goes on, the log says why, searches answer, and
# a later start builds it.
sql "DROP INDEX kasparro.entities_search_idx;
	ALTER OPERATOR CLASS kasparro.gin_trgm_ops USING gin RENAME TO gin_trgm_ops_away"
out=$(kas entities --search 'müller' 2>&1)
expect_match "a search index that cannot be built: the command still answers" "$out" \
	"MÜLLER-Lüdenscheidt"
expect_match "... and the log says why" "$out" \
	"the search index could not be built, so entity searches read every entity until a start builds it: .*gin_trgm_ops"
sql "ALTER OPERATOR CLASS kasparro.gin_trgm_ops_away USING gin RENAME TO gin_trgm_ops"
kas entities --limit 1 >/dev/null 2>&1
expect_eq "the next start builds it" \
	"$(sql "SELECT to_regclass('kasparro.entities_search_idx') IS NOT NULL")" t
