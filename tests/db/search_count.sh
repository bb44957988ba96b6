# `entities --search` answers with its first page at once: a search counts
# its matches up to 1,000 ("2 of more than 1,000 entities shown"; in --json
# "total" is then 1,001 and "total_exact" false), --count counts them all,
# and a needle many entities hold is read in the listing's order
# (entities_listed_idx, stopping at the page's last match) after the index
# counted it, while a rare one is read from the index: the same entities in
# the same order either way, whatever the planner guesses.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config books
printf 'id,title\n1,Plain book\n' >"$T/books.csv"
kas run >/dev/null 2>&1 || not_ok "the source is read"
# 50,000 entities (sizes 1-4, so that the order is by size first), as
# many as make reading the index worth it to the planner (at 20,000 it
# reads them all, 50 ms): 44,750 with "harbour", 5,000 with "Øresund", 250
# with "Zanzibar"
sql "INSERT INTO kasparro.entities (key, title, size) SELECT 'filler-' || g, 'Filler ' || g
	|| CASE WHEN g % 200 = 0 THEN ' Zanzibar' WHEN g % 10 = 1 THEN ' Øresund' ELSE ' harbour' END,
	1 + g % 4 FROM generate_series(1, 50000) g; ANALYZE kasparro.entities"

expect_eq "a common needle's count stops at 1,000" \
	"$(kas entities --search harbour --limit 2 | tail -n 1)" \
	"2 of more than 1,000 entities shown; --limit N or --limit all shows more"
json_total() { # total and total_exact of the first row of entities --json ARGS
	kas entities --json "$@" | python3 -c 'import json, sys
r = json.load(sys.stdin)[0]; print(r["total"], r["total_exact"])'
}
expect_eq "... --json: total 1,001, total_exact false" "$(json_total --search harbour --limit 2)" \
	"1001 False"
expect_eq "--count counts every match" \
	"$(kas entities --search harbour --limit 2 --count | tail -n 1)" \
	"2 of 44,750 entities shown; --limit N or --limit all shows more"
expect_eq "... exact in --json" "$(json_total --search harbour --limit 2 --count)" "44750 True"
expect_eq "a needle with fewer matches is counted exactly" \
	"$(kas entities --search 'ZANZIBAR' --limit 2 | tail -n 1)" \
	"2 of 250 entities shown; --limit N or --limit all shows more"
expect_eq "... total_exact true" "$(json_total --search zanzibar --limit 2)" "250 True"
expect_eq "a short needle (no trigram) stops counting too" \
	"$(kas entities --search ou --limit 2 | tail -n 1)" \
	"2 of more than 1,000 entities shown; --limit N or --limit all shows more"
expect_eq "past the first thousand the cap is the next thousand" \
	"$(kas entities --search harbour --offset 990 --limit 20 | tail -n 1)" \
	"991-1,010 of more than 2,000 entities shown; --offset 1010 shows the next"
expect_eq "a listing without a search counts as before" \
	"$(kas entities --limit 2 | tail -n 1)" \
	"2 of 50,000 entities shown; --limit N or --limit all shows more"

# A needle no trigram serves (two letters, CJK) is walked, each title first
# tested for the characters that fold to the needle's (a regular
# expression), then folded: found through case, accents, a combining mark
# between its letters and full-width letters as fold() finds it.
sql "INSERT INTO kasparro.entities (key, title, size) VALUES
	('rare-1', 'Q' || U&'\0301' || 'Ž marks', 1), ('rare-2', 'ｑｚ wide', 1),
	('rare-3', '東京タワー', 1), ('rare-4', 'no match: q z', 1)"
titles() { # the titles entities --search $1 lists, one line
	kas entities --search "$1" --limit all --json |
		python3 -c 'import json,sys; print("|".join(e["title"] for e in json.load(sys.stdin)))'
}
expect_eq "a rare two-letter needle, through marks and full width" "$(titles qz)" \
	"$(printf 'Q\314\201Ž marks|ｑｚ wide')"
expect_eq "... in capitals with an accent too" "$(titles 'QŽ')" "$(titles qz)"
expect_eq "a CJK needle" "$(titles '京タ')" "東京タワー"
expect_eq "... counted" "$(json_total --search '京タ' --limit 1)" "1 True"

ids() { # the ids entities ARGS --json lists, on one line
	kas entities --json "$@" | python3 -c 'import json, sys
print(" ".join(str(e["id"]) for e in json.load(sys.stdin)))'
}
all=$(ids --search harbour --limit all)
expect_eq "the walked page is the first of the whole listing" "$(ids --search harbour --limit 7)" \
	"$(echo "$all" | cut -d' ' -f1-7)"
expect_eq "... and so is a page after an offset" "$(ids --search harbour --limit 5 --offset 1200)" \
	"$(echo "$all" | cut -d' ' -f1201-1205)"
expect_eq "... and the short needle's" "$(ids --search ou --limit 4)" \
	"$(ids --search ou --limit all | cut -d' ' -f1-4)"
expect_eq "--members walks the same entities" "$(ids --search harbour --limit 3 --members)" \
	"$(echo "$all" | cut -d' ' -f1-3)"

# The plans (auto_explain hands them over as notices, which the debug log
# shows): a common needle counted from the index, then the listing walked;
# a rare one from the index alone.
plan() {
	PGOPTIONS='-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0
		-c auto_explain.log_level=notice' LOG_LEVEL=debug \
		"$BIN" -c "$CONF" entities --search "$1" 2>&1 >/dev/null
}
out=$(plan harbour)
expect_match "a common needle's page walks the listing" "$out" "Index Scan using entities_listed_idx"
expect_match "... after the index counted" "$out" "Bitmap Index Scan on entities_search_idx"
out=$(plan zanzibar)
expect_match "a rare needle reads the index" "$out" "Bitmap Index Scan on entities_search_idx"
expect_no_match "... and not the listing" "$out" "entities_listed_idx"
expect_match "a needle no trigram serves tests titles with a regular expression" "$(plan qz)" \
	"title ~ "
expect_eq "... and finds its 250, counted" "$(json_total --search zanzibar --limit all)" "250 True"
