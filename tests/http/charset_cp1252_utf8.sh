# An API whose source says encoding = windows-1252 and whose response holds
# a UTF-8 character windows-1252 cannot read ("Á" is 0xC3 0x81, and 0x81
# is one of the five bytes it has no character for) fails its page naming
# the character and suggesting encoding = utf-8, in the words a CSV file's
# row gets (tests/db/csv_cp1252_utf8.sh). Before, it said only "the response
# holds byte 0x81, which windows-1252 has no character for (encoding =)".
# A byte of no UTF-8 character still suggests latin-1, and when the server
# declares charset=windows-1252 that is said, not a setting it overrides.
# A UTF-8 character windows-1252 can read ("é", 0xC3 0xA9, read as "Ã©")
# loads as it reads, with a warning once per read, as in a CSV file; before,
# nothing was said.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 12

paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"
# run_raw SCENARIO HEX: a run of 'api', encoding = windows-1252, whose pages
# hold the bytes HEX; its output in $out, its exit status in $rc
run_raw() {
	api_conf "$BASE/$1/page?enc=cp1252&raw=$2" $paged encoding=windows-1252 retries=0
	out=$(kas run api 2>&1)
	rc=$?
}
run_raw mix c381
expect_eq "the run fails on the page" "$rc" 1
expect_match "the page's error names the character and says utf-8, as for a CSV file" "$out" \
	"source 'api': page 1: 'Á' at offset [0-9]+ of the response is a UTF-8 character, whose byte 0x81 windows-1252 has no character for \(is the response UTF-8\? then set encoding = utf-8 in \[source api\]\) \($BASE/mix/page\?enc=cp1252&raw=c381&page=1&size=10\)"
expect_match "... and so does the source's error in the run" \
	"$(sql "SELECT error FROM kasparro.run_sources WHERE source = 'api'")" \
	"'Á' at offset [0-9]+ of the response is a UTF-8 character, whose byte 0x81 .*then set encoding = utf-8 in \[source api\]"

run_raw lone 81
expect_match "a byte of no UTF-8 character: latin-1 is the hint, as for a CSV file" "$out" \
	"source 'api': page 1: byte 0x81 at offset [0-9]+ of the response is no windows-1252 character \(is the response latin-1\? then set encoding = latin-1\)"

api_conf "$BASE/said/page?enc=cp1252&raw=c381&ctype=application/json;%20charset=windows-1252" \
	$paged retries=0
expect_match "a charset=windows-1252 the server declares is named, not a setting" \
	"$(kas fetch api 2>&1)" \
	"source 'api': page 1: 'Á' at offset [0-9]+ of the response is a UTF-8 character, whose byte 0x81 windows-1252 has no character for \(is the response UTF-8\? it declares charset=windows-1252\)"

run_raw moji c3a9
expect_eq "a UTF-8 character windows-1252 reads: the run loads" "$rc" 0
expect_match "... warning of it, naming the character, what it reads as and utf-8" "$out" \
	"source 'api': page 1: 'é' at offset [0-9]+ of the response is a UTF-8 character, which windows-1252 reads as 'Ã©' \(is the response UTF-8\? then set encoding = utf-8 in \[source api\]\) \($BASE/moji/page\?enc=cp1252&raw=c3a9&page=1&size=10\)"
expect_eq "... once per read, though both pages hold one" \
	"$(printf '%s\n' "$out" | grep -c "is a UTF-8 character, which windows-1252 reads as")" 1
expect_eq "... the record as windows-1252 reads it" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'api' AND source_id = '11'")" \
	"record 11 “café” € Ã©"
