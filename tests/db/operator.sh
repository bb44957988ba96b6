# What an operator sees on the command line while deciding pairs and held
# deletions: a split leaves the entity (its id and key) to the records that
# stay, whichever record is taken out.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
printf 'id,title,author,published_at,url\na1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python\n' >"$T/a.csv"
printf 'id,title,author,published_at,url\nb1,the python guide!,ANN LEE,2026-01-01,https://y.org/p\n' >"$T/b.csv"
kas run >/dev/null 2>&1
expect_eq "the two copies are one entity" "$(entity_of a1)" "$(entity_of b1)"

# split: the record named leaves, the entity stays with the other one (a
# two-record entity is where the record taken out used to keep it)
key=$(sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of a1)")
ra1=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'a1'")
out=$(kas split "$key" "$ra1" 2>&1)
expect_match "split says what it did" "$out" "record $ra1 split from entity '$key'"
shown=$(kas show-entity "$key" 2>&1)
expect_no_match "the record split out is no longer a member of the entity" "$shown" "^ *$ra1 +a +a1 "
expect_match "the record that stayed keeps the entity" "$shown" " b1 "
expect_match "the record split out is in an entity of its own" "$(kas show-record "$ra1")" \
	"^entity [0-9]+ [^ ]+ · 1 live record"
check "undo the split" kas undo
expect_eq "undo puts the record back" "$(entity_of a1)" "$(entity_of b1)"
expect_match "... under the same key" "$(kas show-entity "$key")" "^ *$ra1 +a +a1 "

