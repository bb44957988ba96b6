# JSON records are stored exactly as the source sent them. Ids 2^53 and
# 2^53+1 stay two records and their payloads keep every digit (1e400 and 012
# too: the latter is refused, not read as 12); a string holding \u0000 is
# never stored cut short (the payload keeps the escape; a text field that
# cannot hold it is refused with the reason); a key given twice is not
# guessed at; what RFC 8259 forbids fails the page, saying where.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db

mkdir -p "$T/api"
cat >"$T/k.conf" <<'CONF'
[schema]
title = text, required
note = text
n = number
[source api]
kind = http_json
url = file://{dir}/api/page.json
error_ratio = 1
records = data
id = id
map.title = title
map.note = note
map.n = n
[matching]
enabled = false
CONF
CONF="$T/k.conf"
page() { printf '{"data": [%s]}' "$1" >"$T/api/page.json"; }
payload() { sql "SELECT p.payload FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source = 'api' AND r.source_id = '$1'"; }

page '{"id": 9007199254740992, "title": "two to the 53rd", "n": 1e400},
      {"id": 9007199254740993, "title": "and one more", "n": 0.1000000000000000055511151231257827},
      {"id": "nul", "title": "t", "note": "x\u0000y"},
      {"id": "in-title", "title": "x\u0000y"},
      {"id": "twice", "title": "a", "title": "b"},
      {"id": "lone", "title": "\ud800"}'
kas run api >"$T/run.out" 2>&1
expect_eq "2^53 and 2^53+1 are two records" \
	"$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM kasparro.records WHERE source_id LIKE '9007%'")" \
	"9007199254740992 9007199254740993"
expect_eq "the payload keeps every digit, 1e400 included" "$(payload 9007199254740992)" \
	'{"id":9007199254740992,"title":"two to the 53rd","n":1e400}'
expect_eq "and the long fraction" "$(payload 9007199254740993)" \
	'{"id":9007199254740993,"title":"and one more","n":0.1000000000000000055511151231257827}'
expect_eq "a number that is no double is NULL in its typed column, not Infinity" \
	"$(sql "SELECT coalesce(n::text, 'null') FROM kasparro.records WHERE source_id = '9007199254740992'")" null
expect_eq "a string with \\u0000 in an unmapped-to-text field: the payload keeps the escape" \
	"$(payload nul)" '{"id":"nul","title":"t","note":"x\u0000y"}'
expect_eq "and the text column holds nothing rather than a cut value" \
	"$(sql "SELECT coalesce(note, 'null') FROM kasparro.records WHERE source_id = 'nul'")" null
expect_eq "no stored text anywhere was cut at the NUL" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE title = 'x' OR note = 'x'")" 0
expect_eq "a required field with \\u0000, a key given twice, a lone surrogate: quarantined" \
	"$(sql "SELECT string_agg(source_id || ': ' || reason, ' | ' ORDER BY source_id) FROM kasparro.quarantine")" \
	"in-title: field 'title': the string holds a NUL character (\\u0000), which a text column cannot store | lone: field 'title': the string holds an escaped UTF-16 surrogate without its pair, which is no character | twice: field 'title': the record holds 'title' twice"
expect_eq "with the record as it was sent" \
	"$(sql "SELECT raw FROM kasparro.quarantine WHERE source_id = 'in-title'")" \
	'{"id":"in-title","title":"x\u0000y"}'
expect_eq "quarantined with their ids, the read is complete" \
	"$(sql "SELECT complete FROM kasparro.run_sources WHERE source = 'api'")" t

# what RFC 8259 forbids fails the page, and the read deletes nothing
for bad in '{"id": -01, "title": "a"}' '{"id": 1, "title": "a",}' "{\"id\": 1, \"title\": \"tab$(printf '\t')here\"}" \
	'{"id": 1, "title": "\uqqqq"}' '{"id": .5, "title": "a"}' '{"id": 012, "title": "a"}'; do
	page "$bad"
	out=$(kas run api 2>&1)
	expect_match "refused: $bad" "$out" "source 'api': page 1: malformed JSON near byte [0-9]+: "
done
expect_eq "nothing was deleted by the failed reads" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted")" 0
