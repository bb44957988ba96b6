# GET /data?q= searches records as the console and the CLI name them: a
# record without a title (a person in a schema of films and people) by the
# text field that names it, and case and accents ignored, as
# `entities --search` does.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
. "$TOP/tests/lib/films.sh"
new_db
films_config
echo "p4,,,Zoë Saldaña,1978" >>"$T/imdb.csv"
printf '[scheduler]\nenabled = false\n' >>"$CONF"
api_keys
api_section
kas run >/dev/null 2>&1
start_daemon

ids() { jq_ 'sorted(r["source"] + ":" + r["source_id"] for r in d["data"])'; }
get "/data?q=rutger"
expect_eq "q finds a person by name, in both sources" "$CODE $(ids)" '200 ["imdb:p2", "tmdb:q2"]'
get "/data?q=BLADE%20runner"
expect_eq "q still finds a film by its title, case ignored" "$(ids)" '["imdb:f1", "tmdb:m1"]'
get "/data?q=saldana"
expect_eq "accents ignored: saldana finds Saldaña" "$(ids)" '["imdb:p4"]'
get "/data?q=ZO%C3%8B"
expect_eq "... and ZOË finds Zoë" "$(ids)" '["imdb:p4"]'
get "/data?q=%25"
expect_eq "a % is a percent sign, not a wildcard" "$CODE $(ids)" "200 []"
stop_daemon
