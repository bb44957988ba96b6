# A record without a title is named by its first text field that has a
# value: in a schema of films and the people in them, people have a name and
# no title, and the operator sees the name everywhere a record or an entity
# is named (queue, entities and their search, show-record, deleted, held,
# export), and an entity of people gets a key made of the name.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

. "$KASPARRO_TOP/tests/lib/films.sh"
films_config
expect_exit "the first run loads both sources" 0 kas run

# entities of people: titled and keyed by the name; found by it
e=$(kas entities --limit all)
expect_match "an entity of people is titled by the name" "$e" "^ *[0-9]+ +harrison-ford-001 +[12] +Harrison Ford\$"
expect_match "a film's entity still by its title" "$e" " blade-runner-001 +[12] +Blade Runner\$"
expect_no_match "no entity is left untitled" "$e" "entity-[0-9]+"
expect_match "entities --search finds a person by name" "$(kas entities --search 'rutger')" "Rutger Hauer"
expect_match "entities --members names the people" "$(kas entities --search weaver --members --json)" \
	'"source_id":"p3".*"title":"Sigourney Weaver"'

# one record
id=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'p1'")
expect_match "show-record titles a person by the name" "$(kas show-record "$id")" "^title: Harrison Ford\$"
expect_match "show-record --json likewise" "$(kas show-record --json "$id")" '"title":"Harrison Ford"'
expect_match "show-entity's members too" "$(kas show-entity harrison-ford-001 --json)" \
	'"title":"Harrison Ford"'

# the export and the queue: a pair of people is named on both sides
expect_match "the export names people" "$(kas export records)" ",Rutger Hauer\$"
films_queue_people >/dev/null
q=$(kas queue --limit all)
expect_match "the queue names both people of a pair" "$q" "imdb: [A-Z][a-z]+ [A-Z][a-z]+ +[0-9]+ tmdb: [A-Z][a-z]+ [A-Z][a-z]+\$"
expect_match "export queue likewise" "$(kas export queue)" ",[A-Z][a-z]+ [A-Z][a-z]+,[A-Z][a-z]+ [A-Z][a-z]+,"
cand=$(kas queue --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
m=$(kas show-match "$cand")
expect_match "show-match says in one line which compared fields both people lack" "$m" \
	"^\([0-9]+ fields\) +empty on both sides *\$"
expect_no_match "... rather than a line each" "$m" "^(title|year) "
expect_match "... and keeps the fields they have" "$m" "^name +[A-Z]"

# deleted and held records
films_csv | grep -v '^p2,' >"$T/imdb.csv"
expect_exit "a read without Rutger Hauer deletes him" 0 kas run
expect_match "deleted names him" "$(kas deleted)" " p2 +Rutger Hauer "
films_csv | head -n 2 >"$T/imdb.csv"
expect_exit "a read of one record of four is held" 1 kas run
run=$(sql "SELECT max(id) FROM kasparro.runs")
h=$(kas held "$run")
expect_match "held names the people it holds" "$h" " p1 +Harrison Ford +held"
expect_match "and the films" "$(kas held "$run")" " f2 +Alien +held"
