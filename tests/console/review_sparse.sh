# The Review screen on a wide, sparse schema (films and the people in them):
# a pair of people is named by their names in the list, and the fields
# neither record has take one row under the waterfall, not one each.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/films.sh"
new_db
films_config
kas run >/dev/null 2>&1
films_queue_people >/dev/null

CONSOLE_COLS=120 CONSOLE_ROWS=30 console_start
wait_screen "the console is up" '^ connected'
send 3
wait_screen "the queue names the people of a pair" \
	'^ *[0-9]+ +[0-9.]+ imdb: [A-Z][a-z]+ [A-Z][a-z]+ +tmdb: [A-Z][a-z]+ [A-Z][a-z]+ *$'
wait_screen "their names side by side" '^name +[A-Z][a-z]+ [A-Z][a-z]+ +[A-Z][a-z]+ [A-Z][a-z]+ +[-+][0-9]'
wait_screen "the fields neither has, in one row" '^\([0-9]+ fields empty on both sides\)$'
wait_no_screen "... not a row each" '^(title|year) '
wait_screen "the waterfall still ends at the total" '^\(total\) +[-+][0-9]+\.[0-9]{2} = p '
