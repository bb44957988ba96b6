# `sources` and `sources SOURCE` say where a source reads as a run reads
# it: an http_json URL with {dir} replaced by the configuration's folder
# (the placeholders that take a value per request stay as written), which
# is where the run below fetched its records. They showed '{dir}' itself.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
mkdir -p "$T/conf/api"
echo '{"data": [{"id": 1, "title": "One"}, {"id": 2, "title": "Two"}]}' >"$T/conf/api/items.json"
CONF="$T/conf/k.conf"
cat >"$CONF" <<'CONFEOF'
[schema]
title = text
[source api]
kind = http_json
url = file://{dir}/api/items.json?page={page}
pagination = none
id = id
records = data
[matching]
enabled = false
CONFEOF
kas run >/dev/null 2>&1
expect_eq "the run fetches file://{dir}/api/items.json, {dir} the file's folder" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'api'")" 2
where="file://$T/conf/api/items.json?page={page}"
re=$(printf '%s' "$where" | sed 's/[][\.*^$?+(){}|]/\\&/g')
expect_match "sources: LOCATION is the URL with the folder in place of {dir}" \
	"$(COLUMNS=400 kas sources)" "^api +http_json .* $re "
expect_eq "... and so is its --json location" \
	"$(kas sources --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["location"])')" "$where"
expect_match "sources api: its location too" "$(kas sources api)" "^  location    $re\$"
