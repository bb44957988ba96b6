# bench/er.sh — the labelled two-source sets of ../shared/data (restaurants,
# amazon-google, walmart-amazon, imdb-tmdb from data/er, and Febrl 4a/4b),
# each configured as a user would: two csv sources and a plain mapping,
# nothing else but the entity title field and `unique` for clean sources.
# Every set gets the same default matcher settings: no compare, blocking,
# key or threshold lines. Sourced by bench/bench-er.sh.
#
# A source is marked `unique` (it lists each thing once) when it is clean:
# fewer than 1% of its records repeat another record's whole content.
# Counted on the files: rest1 0, rest2 0, amazon (amazon-google) 0,
# walmart 0, amazon (walmart-amazon) 6 of 22,074, imdb 1 of 5,118, tmdb 14
# of 6,056, Febrl 4a and 4b 0 — all unique; gp (Google Products) 71 of
# 3,039 (2.3%) — not.
#
#   er_config SET DATA CONF   writes SET's configuration to CONF
#   er_truth SET DATA         loads SET's true pairs into table bench_truth
#                             (source_id of the first file, of the second)
#   er_score                  prints "name value" lines: records, true_pairs,
#                             auto precision / recall / f1, review_f1 (after an
#                             operator accepts the true pairs in the queue and
#                             rejects the rest), queue, queue_share
# er_score and er_truth use `sql` (the caller defines it).

ER_ALL="restaurants amazon-google walmart-amazon imdb-tmdb febrl"

# er_source NAME FILE DELIMITER UNIQUE COLUMNS MAPPING...: one csv source;
# a MAPPING is COLUMN=FIELD.
er_source() {
	_name=$1 _file=$2 _delim=$3 _unique=$4 _cols=$5
	shift 5
	printf '[source %s]\nkind = csv\npath = %s\ndelimiter = %s\nid = id\nunique = %s\n' \
		"$_name" "$_file" "$_delim" "$_unique"
	# the header row names columns by ontology URLs, which mapping keys
	# cannot spell; the columns are named here and the header row loads as
	# one stray record (id "id") that no true pair mentions
	printf 'header = false\ncolumns = %s\n' "$_cols"
	for _m in "$@"; do printf 'map.%s = %s\n' "${_m%%=*}" "${_m#*=}"; done
}

er_config() {
	_set=$1 _data=$2
	case $_set in
	restaurants)
		_d=$_data/er/restaurants
		printf '[schema]\nname = text\nphone = text\nstreet = text\n'
		for s in 1 2; do
			er_source rest$s "$_d/rest$s.csv" pipe true id,name,phone,street \
				name=name phone=phone street=street
		done
		printf '[matching]\ntitle_field = name\n' ;;
	amazon-google)
		_d=$_data/er/amazon-google
		printf '[schema]\ntitle = text\ndescription = text\nmanufacturer = text\nprice = number\n'
		for s in amazon:true gp:false; do
			er_source ${s%:*} "$_d/${s%:*}.csv" '#' ${s#*:} id,title,description,manufacturer,price \
				title=title description=description manufacturer=manufacturer price=price
		done
		printf '[matching]\ntitle_field = title\n' ;;
	walmart-amazon)
		_d=$_data/er/walmart-amazon
		printf '[schema]\ntitle = text\nmodelno = text\nprice = number\nshipweight = text\n'
		printf 'brand = text\ndimensions = text\n'
		for s in walmart amazon; do
			er_source $s "$_d/$s.csv" pipe true id,title,modelno,price,shipweight,brand,dimensions \
				title=title modelno=modelno price=price shipweight=shipweight brand=brand \
				dimensions=dimensions
		done
		printf '[matching]\ntitle_field = title\n' ;;
	imdb-tmdb)
		_d=$_data/er/imdb-tmdb
		printf '[schema]\ntitle = text\nname = text\ndescription = text\nepisode = integer\n'
		printf 'season = integer\nseasons = integer\nepisodes = integer\nborn = timestamp\n'
		printf 'died = timestamp\nreleased = timestamp\nended = timestamp\nruntime = integer\n'
		printf 'genres = text\nprofessions = text\ncountry = text\n'
		er_source imdb "$_d/imdb.csv" pipe true \
			id,title,name,episode,season,died,born,ended,released,genres,professions,runtime \
			title=title name=name episode=episode season=season died=died born=born \
			ended=ended released=released genres=genres professions=professions runtime=runtime
		er_source tmdb "$_d/tmdb.csv" pipe true \
			id,title,name,abstract,episode,season,seasons,episodes,born,released,ended,year,runtime,genres,country \
			title=title name=name abstract=description episode=episode season=season \
			seasons=seasons episodes=episodes born=born released=released ended=ended \
			runtime=runtime genres=genres country=country
		printf '[matching]\ntitle_field = title\n' ;;
	febrl)
		_f="given_name surname street_number address_1 address_2 suburb postcode state date_of_birth soc_sec_id"
		printf '[schema]\n'
		for f in $_f; do printf '%s = text\n' "$f"; done
		for s in a b; do
			printf '[source febrl-%s]\nkind = csv\npath = %s/febrl/dataset4%s.csv\nid = rec_id\nunique = true\n' \
				"$s" "$_data" "$s"
			for f in $_f; do printf 'map.%s = %s\n' "$f" "$f"; done
		done
		printf '[matching]\ntitle_field = surname\n' ;;
	*) echo "er_config: unknown set '$_set'" >&2; return 2 ;;
	esac
}

# The first file's source and the second's, as er_config names them.
er_sources() {
	case $1 in
	restaurants) echo "rest1 rest2" ;;
	amazon-google) echo "amazon gp" ;;
	walmart-amazon) echo "walmart amazon" ;;
	imdb-tmdb) echo "imdb tmdb" ;;
	febrl) echo "febrl-a febrl-b" ;;
	esac
}

er_truth() {
	_set=$1 _data=$2
	case $_set in
	restaurants | walmart-amazon | imdb-tmdb) _t=$_data/er/$_set/truth.csv _dl='|' ;;
	amazon-google) _t=$_data/er/$_set/truth.csv _dl='#' ;;
	febrl) _t=$_data/febrl/dataset4_true_links.csv _dl=',' ;;
	esac
	set -- $(er_sources "$_set")
	sql "DROP TABLE IF EXISTS bench_truth; CREATE TABLE bench_truth (a text, b text);
	     CREATE TABLE IF NOT EXISTS bench_sources (first text, second text);
	     TRUNCATE bench_sources; INSERT INTO bench_sources VALUES ('$1', '$2')"
	tail -n +2 "$_t" | tr -d '\r' | tr "$_dl" '\t' | sed 's/ *\t */\t/; s/^ *//; s/ *$//' |
		psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "\\copy bench_truth FROM STDIN"
}

# Scores the current state against bench_truth; pairs are across the two
# sources.
er_score() {
	sql "
CREATE TEMP TABLE rec AS SELECT r.id, r.source, r.source_id, m.entity_id
  FROM kasparro.records r JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live
  WHERE NOT r.is_deleted;
CREATE TEMP TABLE truth AS SELECT ra.id AS x, rb.id AS y FROM bench_truth t, bench_sources s, rec ra, rec rb
  WHERE ra.source = s.first AND ra.source_id = t.a AND rb.source = s.second AND rb.source_id = t.b;
CREATE TEMP TABLE merged AS SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.entity_id = b.entity_id,
  bench_sources s WHERE a.source = s.first AND b.source = s.second;
CREATE TEMP TABLE queued AS SELECT CASE WHEN ra.source = s.first THEN c.rec_a ELSE c.rec_b END AS x,
  CASE WHEN ra.source = s.first THEN c.rec_b ELSE c.rec_a END AS y
  FROM kasparro.match_candidates c JOIN rec ra ON ra.id = c.rec_a JOIN rec rb ON rb.id = c.rec_b, bench_sources s
  WHERE c.status = 'pending';
WITH n AS (SELECT (SELECT count(*) FROM truth) AS t, (SELECT count(*) FROM merged) AS m,
  (SELECT count(*) FROM merged JOIN truth USING (x, y)) AS mt,
  (SELECT count(*) FROM (SELECT x, y FROM merged UNION SELECT x, y FROM queued JOIN truth USING (x, y)) u) AS a,
  (SELECT count(*) FROM (SELECT x, y FROM merged UNION SELECT x, y FROM queued) u JOIN truth USING (x, y)) AS at,
  (SELECT count(*) FROM kasparro.match_candidates c WHERE c.status = 'pending'
     AND EXISTS (SELECT 1 FROM rec WHERE id = c.rec_a) AND EXISTS (SELECT 1 FROM rec WHERE id = c.rec_b)) AS qn,
  (SELECT count(*) FROM rec) AS records)
SELECT 'records ' || records || E'\n' || 'true_pairs ' || t || E'\n' ||
  'auto_precision ' || round(mt::numeric / greatest(m, 1), 4) || E'\n' ||
  'auto_recall ' || round(mt::numeric / greatest(t, 1), 4) || E'\n' ||
  'auto_f1 ' || round(2 * mt::numeric / greatest(m + t, 1), 4) || E'\n' ||
  'review_f1 ' || round(2 * at::numeric / greatest(a + t, 1), 4) || E'\n' ||
  'queue ' || qn || E'\n' || 'queue_share ' || round(qn::numeric / greatest(records, 1), 4) FROM n"
}
