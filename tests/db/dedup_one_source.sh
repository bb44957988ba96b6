# One source, nothing else: its duplicates are what matching is for. With a
# single declared source that does not say `unique`, records of that source
# are matched with each other by default (within_source), and `config check`
# says so; `unique = true`, an explicit `within_source = false` or a second
# source keep the default of matching across sources only.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

# 40 customers, then 8 of them again as a second system would have typed
# them: the given name shortened or misspelt, the same email and city.
awk 'BEGIN {
	split("anna ben carla dmitri elena farid greta hugo ines jonas", g, " ")
	split("moreau novak okafor petrov quinn rossi sato tanaka", s, " ")
	split("lyon graz lagos kazan cork turin kobe osaka", c, " ")
	print "id,given_name,surname,email,city"
	for (i = 0; i < 40; i++)
		printf "c%d,%s,%s,%s.%s%d@example.org,%s\n", i, g[i % 10 + 1], s[int(i / 5) + 1],
			g[i % 10 + 1], s[int(i / 5) + 1], i, c[(i * 3) % 8 + 1]
	for (i = 0; i < 40; i += 5)
		printf "d%d,%s,%s,%s.%s%d@example.org,%s\n", i, substr(g[i % 10 + 1], 1, 3) "x",
			s[int(i / 5) + 1], g[i % 10 + 1], s[int(i / 5) + 1], i, c[(i * 3) % 8 + 1]
}' >"$T/customers.csv"

# one_source_config [LINE...]: the customers source, each LINE added to it
one_source_config() {
	CONF="$T/k.conf"
	{
		printf '[schema]\ngiven_name = text\nsurname = text\nemail = text\ncity = text\n'
		printf '[source customers]\nkind = csv\npath = customers.csv\nid = id\n'
		for f in given_name surname email city; do printf 'map.%s = %s\n' "$f" "$f"; done
		for line in "$@"; do printf '%s\n' "$line"; done
	} >"$CONF"
}

# more_source: a second source, more.csv, listing customers c1-c4 again
more_source() {
	printf '[source more]\nkind = csv\npath = more.csv\nid = id\n' >>"$CONF"
	for f in given_name surname email city; do printf 'map.%s = %s\n' "$f" "$f" >>"$CONF"; done
	grep '^c[1-4],' "$T/customers.csv" | sed 's/^c/m/' |
		{ echo "id,given_name,surname,email,city"; cat; } >"$T/more.csv"
}

one_source_config
expect_match "config check counts one source in the singular" \
	"$(kas config check | head -1)" "is valid: 4 fields, 1 source\$"
expect_match "config check says a lone source is matched within itself" \
	"$(kas config check)" "^  matching across and within sources\$"
expect_match "and --json too" "$(kas config check --json)" '"matching":\{"enabled":true,"within_source":true\}'
out=$(kas run 2>&1)
expect_match "the run compares the source's records with each other" "$out" \
	"matching: 48 records, [1-9][0-9]* pairs compared, 8 merged automatically"
same=0
for i in 0 5 10 15 20 25 30 35; do
	[ -n "$(entity_of c$i)" ] && [ "$(entity_of c$i)" = "$(entity_of d$i)" ] && same=$((same + 1))
done
expect_eq "each of the 8 retyped customers is one entity with its first record" "$same" 8
expect_eq "no other records were merged: 40 entities" \
	"$(sql "SELECT count(DISTINCT entity_id) FROM kasparro.entity_members WHERE live")" 40

# the settings that say otherwise
for case in "unique = true" "[matching]
within_source = false"; do
	new_db "_$(echo "$case" | tr -dc 'a-z' | cut -c1-12)"
	one_source_config "$case"
	expect_match "with '$(echo "$case" | tr '\n' ' ')' config check says across sources only" \
		"$(kas config check)" "^  matching across sources\$"
	case $case in
	unique*)
		expect_match "and names the source unique" "$(kas config check)" \
			"^  source customers +csv, unique\$"
		expect_match "--json too" "$(kas config check --json)" '"name":"customers","kind":"csv","enabled":true,"unique":true'
		;;
	*) expect_match "a source not unique is not named so" "$(kas config check)" "^  source customers +csv\$" ;;
	esac
	expect_match "and the run compares nothing" "$(kas run 2>&1)" \
		"matching: 48 records, 0 pairs compared, 0 merged automatically"
done

new_db _two
one_source_config
more_source
expect_match "with a second source the default is across sources only" \
	"$(kas config check)" "^  matching across sources\$"
expect_match "and two in the plural" \
	"$(kas config check | head -1)" "is valid: 4 fields, 2 sources\$"

# A change of the comparisons (here within_source) reaches the records
# already matched: the next pass estimates the model again and re-matches
# every record, though none changed.
new_db _flip
one_source_config
more_source
kas run >/dev/null 2>&1
expect_eq "across sources only, the 4 customers the second source lists merge with them" \
	"$(sql "SELECT count(DISTINCT entity_id) FROM kasparro.entity_members WHERE live")" 48
expect_eq "and the retyped customers stay apart" "$(entity_of d5 | grep -c "^$(entity_of c5)\$")" 0
printf '[matching]\nwithin_source = true\n' >>"$CONF"
out=$(kas run 2>&1)
expect_match "with within_source set, the next run re-estimates the model and re-matches every record" \
	"$out" "^matching: 52 records re-matched, .*; model re-estimated\$"
expect_eq "and the 8 retyped customers join their first records: 40 entities" \
	"$(sql "SELECT count(DISTINCT entity_id) FROM kasparro.entity_members WHERE live")" 40
out=$(kas run 2>&1)
expect_no_match "the run after that is incremental again" "$out" "re-matched|re-estimated"
