# A source's refusal is kept whole in run_sources.error, however long the
# path it names: show-run and its --json print it all. It was cut at 512
# bytes, mid-path. A message beyond a few KiB is cut on a whole UTF-8
# character and says so.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
long="$T"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
	long="$long/a-rather-long-folder-name-$i"
done
printf '[schema]\ntitle = text, required\n[source a]\nkind = csv\npath = %s/a.csv\nid = id\n' "$long" >"$CONF"
printf 'map.title = title\n[matching]\nenabled = false\n' >>"$CONF"
kas run >/dev/null 2>&1
err=$(sql "SELECT error FROM kasparro.run_sources WHERE source = 'a'")
expect_match "the refusal names the whole path ($(printf %s "$long" | wc -c) bytes)" "$err" \
	"^source 'a': .*'$long/a.csv': No such file or directory$"
expect_match "show-run prints it whole" "$(kas show-run 1)" "$long/a.csv': No such file or directory"
expect_eq "... and so does --json" \
	"$(kas show-run --json 1 | python3 -c 'import json, sys; d = json.load(sys.stdin); print([s["error"] for s in d["sources"]][0].endswith("/a.csv'"'"': No such file or directory"))')" True
