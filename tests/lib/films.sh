# tests/lib/films.sh — a wide, sparse schema: two sources of films and the
# people in them, where films have a title and a year and people a name and
# a birth year. films_config writes $CONF and the two CSV files into $T, and
# settles one pair of people in the review queue, so a test sees how a
# record without a title is named. Source it after lib.sh; run after new_db.

films_csv() {
	cat <<'CSV'
id,title,year,name,born
f1,Blade Runner,1982,,
f2,Alien,1979,,
p1,,,Harrison Ford,1942
p2,,,Rutger Hauer,1944
p3,,,Sigourney Weaver,1949
CSV
}

films_config() {
	CONF="$T/k.conf"
	cat >"$CONF" <<'CONF'
[schema]
title = text
year = integer
name = text
born = integer
[matching]
title_field = title
[deletes]
max_ratio = 0.3
CONF
	for s in imdb tmdb; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s" >>"$CONF"
		for f in title year name born; do echo "map.$f = $f" >>"$CONF"; done
	done
	films_csv >"$T/imdb.csv"
	films_csv | sed 's/^f/m/; s/^p/q/' >"$T/tmdb.csv"
}

# films_queue_people: the first candidate pair of two people waits for review
# (small sets merge or drop their pairs as the defaults decide; the display
# is what is under test, not that decision).
films_queue_people() {
	sql "UPDATE kasparro.match_candidates SET status = 'pending' WHERE id = (SELECT min(c.id)
		FROM kasparro.match_candidates c JOIN kasparro.records a ON a.id = c.rec_a
		WHERE a.name IS NOT NULL)"
}
