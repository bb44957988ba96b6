# JSON in latin-1 or windows-1252: a response whose Content-Type declares
# its charset (charset=ISO-8859-1, charset=windows-1252) is read in it, and
# one that declares none in the source's encoding =, so "café" arrives as
# café. A body that is UTF-8 stays UTF-8 whatever its label says (servers
# label UTF-8 JSON ISO-8859-1 by default); one that no setting explains
# fails naming the page, the byte, the URL and the setting. Before, every
# response that was not UTF-8 failed as "not UTF-8", with no setting for it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 3

paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"
titles='" | ".join(i["record"]["title"] for i in d["items"])'
want="record 1 café | record 2 café | record 3 café"

api_conf "$BASE/l1/page?enc=latin-1&ctype=application/json;%20charset=ISO-8859-1" $paged
out=$(kas fetch --json api 2>&1)
expect_eq "charset=ISO-8859-1: the latin-1 body is read as latin-1" \
	"$(echo "$out" | json_get "$titles")" "$want"
kas run api >/dev/null 2>&1
expect_eq "and loaded as UTF-8 text" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'api' AND source_id = '1'")" "record 1 café"

api_conf "$BASE/w/page?enc=cp1252&ctype=application/json;%20charset=windows-1252" $paged
expect_eq "charset=windows-1252: its quotes and euro sign too" \
	"$(kas fetch --json api | json_get 'd["items"][0]["record"]["title"]')" "record 1 “café” €"

api_conf "$BASE/u/page?enc=utf-8&ctype=application/json;%20charset=ISO-8859-1" $paged
expect_eq "a UTF-8 body labelled ISO-8859-1 stays UTF-8 (not cafÃ©)" \
	"$(kas fetch --json api | json_get "$titles")" "$want"

api_conf "$BASE/none/page?enc=latin-1" $paged
out=$(kas fetch api 2>&1)
expect_match "no charset and no setting: the error names page, byte, setting and URL" "$out" \
	"source 'api': page 1: the response is not UTF-8 \(byte [0-9]+ is 0xE9\); if the API writes latin-1 or windows-1252 without saying so, set encoding = latin-1 or windows-1252 \($BASE/none/page\?enc=latin-1&page=1&size=10\)"
api_conf "$BASE/none/page?enc=latin-1" $paged encoding=latin-1
expect_eq "no charset, encoding = latin-1: read as latin-1" \
	"$(kas fetch --json api | json_get "$titles")" "$want"

api_conf "$BASE/sjis/page?enc=latin-1&ctype=application/json;%20charset=Shift_JIS" $paged
expect_match "a charset kasparro does not read is named" "$(kas fetch api 2>&1)" \
	"source 'api': page 1: the response is not UTF-8 \(byte [0-9]+ is 0xE9\) and declares charset=Shift_JIS, which kasparro does not read \(utf-8, latin-1, windows-1252\)"

# an HTML error page is no JSON to convert, but its excerpt in the message
# is read in the charset it declares too (before, its latin-1 bytes went
# into the message as they were, which is no UTF-8)
api_conf "$BASE/l1err/page?fault=502html&enc=latin-1&ctype=text/html;%20charset=ISO-8859-1" \
	$paged retries=0
expect_match "a latin-1 HTML 502 page: its words are quoted in UTF-8" "$(kas fetch api 2>&1)" \
	"source 'api': page 1: HTTP 502: 'Passerelle erronée 502 Passerelle erronée'"
api_conf "$BASE/w200/page?fault=200html&enc=cp1252&ctype=text/html;%20charset=windows-1252" \
	$paged retries=0
expect_match "a windows-1252 HTML page served as 200: quoted in UTF-8" "$(kas fetch api 2>&1)" \
	"source 'api': page 1: expected JSON, got text/html; charset=windows-1252: 'Passerelle erronée 502 Passerelle erronée'"
api_conf "$BASE/l1bare/page?fault=502html&enc=latin-1" $paged retries=0
expect_match "one that declares no charset: the bytes that are no UTF-8 as '?'" \
	"$(kas fetch api 2>&1)" "source 'api': page 1: HTTP 502: 'Passerelle erron\?e 502 Passerelle erron\?e'"
# the charset declared only in the page's own <meta>, as servers that send
# a bare text/html leave it (before: '?' for each accented byte)
api_conf "$BASE/l1meta/page?fault=502html&enc=latin-1&meta=%3Cmeta%20charset%3D%22ISO-8859-1%22%3E" \
	$paged retries=0
expect_match "a latin-1 page declaring <meta charset=\"ISO-8859-1\">: quoted in UTF-8" \
	"$(kas fetch api 2>&1)" "source 'api': page 1: HTTP 502: 'Passerelle erronée 502 Passerelle erronée'"
api_conf "$BASE/wmeta/page?fault=200html&enc=cp1252&meta=%3CMETA%20HTTP-EQUIV%3D%22Content-Type%22%20CONTENT%3D%22text/html%3B%20charset%3Dwindows-1252%22%3E" \
	$paged retries=0
expect_match "a windows-1252 page declaring it in http-equiv's content, in capitals: in UTF-8" \
	"$(kas fetch api 2>&1)" "source 'api': page 1: expected JSON, got text/html: 'Passerelle erronée 502 Passerelle erronée'"
api_conf "$BASE/l1other/page?fault=502html&enc=latin-1&meta=%3Cmeta%20name%3D%22x%22%3E%3Clink%20charset%3D%22ISO-8859-1%22%3E" \
	$paged retries=0
expect_match "only a <meta> tag's charset counts (not a <link> after one)" \
	"$(kas fetch api 2>&1)" "source 'api': page 1: HTTP 502: 'Passerelle erron\?e 502 Passerelle erron\?e'"
