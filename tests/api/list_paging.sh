# GET /runs, /decisions, /queue and /entities page as /data does: the same
# `cursor` parameter and meta.count / meta.next, so a client walks every
# listing with one loop. Each walk at a small limit returns exactly what the
# command lists with --limit all, in its order, once; a run or a decision
# made during a walk of a newest-first listing neither repeats nor pushes
# an item out of it; a filter's bad value is refused naming the parameter. A cursor is refused with other filters or on another
# route. Beyond 1000 items these listings used to have no way on.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
sample_listings
start_daemon

ids() { python3 -c 'import json, sys; [print(x["id"]) for x in json.load(sys.stdin)]'; }

kas runs --json --limit all | ids >"$T/runs.cli"
expect_eq "three runs to page" "$(wc -l <"$T/runs.cli" | tr -d ' ')" 3
expect_eq "/runs?limit=1 walks in three pages" "$(walk_list /runs limit=1 "$T/runs.api")" 3
expect_eq "... every run once, newest first, as 'runs --limit all'" \
	"$(cat "$T/runs.api" | tr '\n' ' ')" "$(cat "$T/runs.cli" | tr '\n' ' ')"
# a run made during the walk: not on the later pages, and no run is missed
expect_eq "/runs walked while a run is made: three pages" \
	"$(walk_list /runs limit=1 "$T/runs2.api" "'$BIN' -c '$CONF' run")" 3
expect_eq "... the same three runs, each once" \
	"$(cat "$T/runs2.api" | tr '\n' ' ')" "$(cat "$T/runs.cli" | tr '\n' ' ')"
get "/runs?limit=2"
expect_eq "a first page of the four: 2, and meta.next" \
	"$(jq_ 'd["meta"]["count"]') $(jq_ 'd["meta"]["next"] is not None')" "2 true"
next=$(jq_ 'd["meta"]["next"]')
get "/runs?limit=2&status=succeeded&cursor=$next"
expect_eq "a cursor with other filters: 400 naming it" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 parameter 'cursor': it belongs to a query with other filters; start again without a cursor"
get "/decisions?limit=2&cursor=$next"
expect_eq "... or on another route" "$CODE" 400
get "/runs?cursor=nonsense"
expect_eq "a cursor this server never gave: 400" "$CODE" 400

kas decisions --json --limit all | ids >"$T/dec.cli"
expect_eq "/decisions?limit=2 walks in two pages while a decision is made" \
	"$(walk_list /decisions limit=2 "$T/dec.api" \
		"'$BIN' -c '$CONF' undo $(head -n 1 "$T/dec.cli")")" 2
expect_eq "... every decision once, newest first, as 'decisions --limit all'" \
	"$(cat "$T/dec.api" | tr '\n' ' ')" "$(cat "$T/dec.cli" | tr '\n' ' ')"

kas queue --json --limit all | ids >"$T/queue.cli"
n=$(wc -l <"$T/queue.cli" | tr -d ' ')
expect_eq "/queue?limit=3 walks in ceil($n/3) pages" "$(walk_list /queue limit=3 "$T/queue.api")" \
	$(((n + 2) / 3))
expect_eq "... every pair once, in the queue's order" \
	"$(md5sum <"$T/queue.api")" "$(md5sum <"$T/queue.cli")"
kas queue --json --limit all --order score | ids >"$T/score.cli"
walk_list /queue "limit=4&order=score" "$T/score.api" >/dev/null
expect_eq "... and in score order" "$(md5sum <"$T/score.api")" "$(md5sum <"$T/score.cli")"

kas entities --json --limit all | ids >"$T/ent.cli"
n=$(wc -l <"$T/ent.cli" | tr -d ' ')
expect_eq "/entities?limit=7 walks in ceil($n/7) pages" \
	"$(walk_list /entities limit=7 "$T/ent.api")" $(((n + 6) / 7))
expect_eq "... every entity once, largest first" "$(md5sum <"$T/ent.api")" "$(md5sum <"$T/ent.cli")"
get "/entities?limit=7"
expect_eq "... meta.total still counts them all" "$(jq_ 'd["meta"]["total"]')" "$n"

# one source's runs, with its own counts, as 'runs --source'
kas runs --json --limit all --source articles-csv | ids >"$T/src.cli"
expect_eq "/runs?source= walks the runs that read the source" \
	"$(walk_list /runs "limit=2&source=articles-csv" "$T/src.api")" $((($(wc -l <"$T/src.cli") + 1) / 2))
expect_eq "... each once, as 'runs --source'" "$(md5sum <"$T/src.api")" "$(md5sum <"$T/src.cli")"
get "/runs?source=articles-csv&limit=1"
expect_eq "... with the source's own counts, not the run's" "$(jq_ 'd["data"][0]["fetched"]')" \
	"$(kas runs --json --limit 1 --source articles-csv | jq '.[0].fetched')"
expect_no_match "... which are not the whole run's" "$(jq_ 'd["data"][0]["fetched"]')" \
	"^$(kas runs --json --limit 1 | jq '.[0].fetched')\$"
get "/runs?source=nosuch"
expect_eq "/runs?source= a name nothing knows: 400 naming the parameter, not the command's option" \
	"$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')" \
	"400 bad_parameter parameter 'source': no source 'nosuch' is configured or was ever read (configured: articles-api, articles-csv, partner-feed)"
get "/runs?since=2099-01-01"
expect_eq "/runs?since= a time after every run: none" "$CODE $(jq_ 'd["meta"]["count"]')" "200 0"

get /openapi.json
expect_eq "/openapi.json: the four take a cursor" \
	"$(jq_ 'sorted(p for p in ("/runs", "/decisions", "/queue", "/entities") if any(q["name"] == "cursor" for q in d["paths"][p]["get"]["parameters"]))')" \
	'["/decisions", "/entities", "/queue", "/runs"]'
stop_daemon
