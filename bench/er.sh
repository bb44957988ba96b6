# bench/er.sh — the labelled sets of ../shared/data: two sources each
# (restaurants, amazon-google, walmart-amazon, imdb-tmdb from data/er, and
# Febrl 4a/4b), and Febrl 1, 2 and 3, one file each whose duplicates are to
# be found (febrl1..3). Each is configured as a user would: csv sources with
# a plain mapping from their column names, nothing else but the entity
# title field and `unique` for clean sources. Every set gets the same
# default matcher settings: no compare, blocking, key, threshold or
# within_source lines (one source is matched within itself by default).
# Sourced by bench/bench-er.sh.
#
# A source is marked `unique` (it lists each thing once) when it is clean:
# fewer than 1% of its records repeat another record's whole content.
# Counted on the files: rest1 0, rest2 0, amazon (amazon-google) 0,
# walmart 0, amazon (walmart-amazon) 6 of 22,074, imdb 1 of 5,118, tmdb 14
# of 6,056, Febrl 4a and 4b 0 — all unique; gp (Google Products) 71 of
# 3,039 (2.3%) — not.
#
#   er_config SET DATA   prints SET's configuration (DATA: ../shared/data)
#   er_sources SET       the first file's source and the second's
#   er_truth SET DATA    the true pairs' file and its delimiter
# Febrl's sources come from bench/febrl.sh (source it first).
# ER_UNIQUE=false marks no source unique: what a user who does not know the
# setting gets (docs/matching.md, "Chains across sources").
#
# Three sets are derived from the product sets, for the shapes of other
# public benchmarks that give less than these files do:
#   amazon-google-titles, walmart-amazon-titles  the title and the price
#       mapped, nothing else (sources without a model number, brand or
#       description column)
#   walmart-amazon-clean  only the records of Walmart-Amazon's true pairs,
#       title and price: two clean sources that list nearly the same
#       products, where almost every record has its partner
# and one is made up, for a kind of data ../shared/data has none of:
#   citations-synthetic  bench/gen-citations.py's paper records in two
#       sources shaped like DBLP–ACM (short and long venues, initials,
#       recurring titles such as "Editorial"); a probe of those failure
#       modes, not a benchmark (the generator says what it puts in)
# The derived sets' files are written to ER_WORK (bench-er.sh's temporary
# folder), never beside the data.

ER_ALL="restaurants amazon-google walmart-amazon imdb-tmdb febrl febrl1 febrl2 febrl3
amazon-google-titles walmart-amazon-titles walmart-amazon-clean citations-synthetic"

# er_source NAME FILE DELIMITER UNIQUE MAPPING...: one csv source; a
# MAPPING is COLUMN=FIELD (a column named like a URL is quoted).
er_source() {
	_name=$1 _file=$2 _delim=$3 _unique=${ER_UNIQUE:-$4}
	shift 4
	printf '[source %s]\nkind = csv\npath = %s\ndelimiter = %s\nid = id\nunique = %s\n' \
		"$_name" "$_file" "$_delim" "$_unique"
	for _m in "$@"; do printf 'map."%s" = %s\n' "${_m%=*}" "${_m##*=}"; done
}

er_config() {
	_set=$1 _data=$2
	case $_set in
	restaurants)
		_d=$_data/er/restaurants _o=http://www.okkam.org/ontology_restaurant
		printf '[schema]\nname = text\nphone = text\nstreet = text\n'
		for s in 1 2; do
			er_source rest$s "$_d/rest$s.csv" pipe true "$_o$s.owl#name=name" \
				"$_o$s.owl#phone_number=phone" "$_o$s.owl#street=street"
		done
		printf '[matching]\ntitle_field = name\n' ;;
	amazon-google)
		_d=$_data/er/amazon-google
		printf '[schema]\ntitle = text\ndescription = text\nmanufacturer = text\nprice = number\n'
		for s in amazon:true gp:false; do
			er_source "${s%:*}" "$_d/${s%:*}.csv" '#' "${s#*:}" title=title \
				description=description manufacturer=manufacturer price=price
		done
		printf '[matching]\ntitle_field = title\n' ;;
	amazon-google-titles)
		_d=$_data/er/amazon-google
		printf '[schema]\ntitle = text\nprice = number\n'
		for s in amazon:true gp:false; do
			er_source "${s%:*}" "$_d/${s%:*}.csv" '#' "${s#*:}" title=title price=price
		done
		printf '[matching]\ntitle_field = title\n' ;;
	walmart-amazon)
		_d=$_data/er/walmart-amazon
		printf '[schema]\ntitle = text\nmodelno = text\nprice = number\nshipweight = text\n'
		printf 'brand = text\ndimensions = text\n'
		for s in walmart amazon; do
			er_source $s "$_d/$s.csv" pipe true title=title modelno=modelno price=price \
				shipweight=shipweight brand=brand dimensions=dimensions
		done
		printf '[matching]\ntitle_field = title\n' ;;
	walmart-amazon-titles | walmart-amazon-clean)
		_d=$_data/er/walmart-amazon
		[ "$_set" = walmart-amazon-titles ] || { er_clean "$_d" || return 2; _d=$ER_WORK; }
		printf '[schema]\ntitle = text\nprice = number\n'
		for s in walmart amazon; do
			er_source $s "$_d/$s.csv" pipe true title=title price=price
		done
		printf '[matching]\ntitle_field = title\n' ;;
	imdb-tmdb)
		_d=$_data/er/imdb-tmdb _s=https://www.scads.de/movieBenchmark/ontology _p=http://dbpedia.org/ontology
		printf '[schema]\ntitle = text\nname = text\ndescription = text\nepisode = integer\n'
		printf 'season = integer\nseasons = integer\nepisodes = integer\nborn = timestamp\n'
		printf 'died = timestamp\nreleased = timestamp\nended = timestamp\nyear = timestamp\n'
		printf 'runtime = integer\ngenres = text\nprofessions = text\ncountry = text\n'
		er_source imdb "$_d/imdb.csv" pipe true "$_s/title=title" "$_s/name=name" \
			"$_p/episodeNumber=episode" "$_p/seasonNumber=season" "$_p/deathYear=died" \
			"$_p/birthYear=born" "$_s/endYear=ended" "$_s/startYear=released" \
			"$_s/genre_list=genres" "$_s/primaryProfessions=professions" \
			"$_s/runtimeMinutes=runtime"
		er_source tmdb "$_d/tmdb.csv" pipe true "$_s/title=title" "$_s/name=name" \
			"$_p/abstract=description" "$_p/episodeNumber=episode" "$_p/seasonNumber=season" \
			"$_p/numberOfSeasons=seasons" "$_p/numberOfEpisodes=episodes" \
			"$_p/birthDate=born" "$_p/releaseDate=released" "$_s/last_air_date=ended" \
			"$_s/release_year=year" "$_p/runtime=runtime" "$_s/genre_list=genres" \
			"$_s/origin_country=country"
		printf '[matching]\ntitle_field = title\n' ;;
	citations-synthetic)
		mkdir -p "$ER_WORK/citations" &&
			python3 "${top:?}/bench/gen-citations.py" "$ER_WORK/citations" || return 2
		printf '[schema]\ntitle = text\nauthors = text\nvenue = text\nyear = integer\n'
		for s in a b; do
			er_source $s "$ER_WORK/citations/$s.csv" pipe true title=title authors=authors \
				venue=venue year=year
		done
		printf '[matching]\ntitle_field = title\n' ;;
	febrl)
		febrl_sources "$_data/febrl" "unique = true"
		printf '[matching]\ntitle_field = surname\n' ;;
	febrl[123])
		febrl_schema
		febrl_source people "$_data/febrl/dataset${_set#febrl}.csv"
		printf '[matching]\ntitle_field = surname\n' ;;
	*) echo "er_config: unknown set '$_set'" >&2; return 2 ;;
	esac
}

# er_clean DIR: writes to ER_WORK the records of DIR's walmart.csv and
# amazon.csv that a true pair of DIR/truth.csv names (csv's own reader and
# writer: titles hold quotes).
er_clean() {
	python3 - "$1" "${ER_WORK:?er_clean needs ER_WORK}" <<-'PY'
	import csv, os, sys
	src, out = sys.argv[1:3]
	with open(os.path.join(src, "truth.csv"), newline="") as f:
	    rows = list(csv.reader(f, delimiter="|"))[1:]
	keep = {"walmart": {r[0] for r in rows}, "amazon": {r[1] for r in rows}}
	for name, ids in keep.items():
	    with open(os.path.join(src, name + ".csv"), newline="") as f, \
	         open(os.path.join(out, name + ".csv"), "w", newline="") as g:
	        r, w = csv.reader(f, delimiter="|"), csv.writer(g, delimiter="|")
	        w.writerow(next(r))
	        w.writerows(row for row in r if row[0] in ids)
	PY
}

er_sources() {
	case $1 in
	restaurants) echo "rest1 rest2" ;;
	amazon-google*) echo "amazon gp" ;;
	walmart-amazon*) echo "walmart amazon" ;;
	imdb-tmdb) echo "imdb tmdb" ;;
	citations-synthetic) echo "a b" ;;
	febrl) echo "febrl-a febrl-b" ;;
	febrl[123]) echo "people people" ;;
	esac
}

er_truth() {
	case $1 in
	restaurants | walmart-amazon | imdb-tmdb) echo "$2/er/$1/truth.csv |" ;;
	walmart-amazon-*) echo "$2/er/walmart-amazon/truth.csv |" ;;
	amazon-google*) echo "$2/er/amazon-google/truth.csv #" ;;
	citations-synthetic) echo "$ER_WORK/citations/truth.csv |" ;;
	febrl) echo "$2/febrl/dataset4_true_links.csv ," ;;
	febrl[123]) echo "$2/febrl/dataset${1#febrl}_true_links.csv ," ;;
	esac
}
