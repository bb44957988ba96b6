# A body cut short (a Content-Length computed wrong, a shell's quoting) is
# 400 saying it ends before its JSON value does; it used to name its last
# byte as where the JSON went wrong ('{"reason":' at byte 10, ':'). A body
# wrong inside still names the byte.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon

cut() { # BODY EXPECTED-MESSAGE
	req POST /runs "$OPS_KEY" --data-binary "$1"
	expect_eq "'$1': 400 bad_body" "$CODE $(jq_ 'd["error"]["code"]')" "400 bad_body"
	expect_eq "... $3" "$(jq_ 'd["error"]["message"]')" "$2"
}
cut '{"sources":' "the body is not valid JSON: it ends (at byte 11) before its value does; was it cut short?" \
	"ends before its value"
cut '{"sources": ["a"]' "the body is not valid JSON: it ends (at byte 17) before its value does; was it cut short?" \
	"an object not closed"
cut '{"sources": ["a",' "the body is not valid JSON: it ends (at byte 17) before its value does; was it cut short?" \
	"an array not closed"
cut '{"sources": ["a"], "full": tru}' "the body is not valid JSON: at byte 28 of 31 ('tru}')" \
	"wrong inside: the byte"
cut '{"full": true,}' "the body is not valid JSON: at byte 15 of 15 ('}')" \
	"a comma too many before the end: that byte"
cut '{"full": 1x' "the body is not valid JSON: at byte 11 of 11 ('x')" \
	"wrong on its last byte: that byte, not cut short"
cut '{"sources": ["articles' \
	"the body is not valid JSON: it ends (at byte 22) inside the string that opens at byte 14; was it cut short?" \
	"ends inside a string: where it ends, and where the string opens"
cut '{"sour' "the body is not valid JSON: it ends (at byte 6) inside the string that opens at byte 2; was it cut short?" \
	"... a member's name too"
cut '{"sources": ["a\"b' \
	"the body is not valid JSON: it ends (at byte 18) inside the string that opens at byte 14; was it cut short?" \
	"... an escaped quote does not close it"
cut '{"sources": ["a\q"]}' "the body is not valid JSON: at byte 16 of 20 ('\\q\"]}')" \
	"a string closed but wrong inside: the byte"
req POST /runs "$OPS_KEY" --data-binary '{"sources": ["a"]}'
expect_eq "a whole body starts the run" "$CODE" 202
stop_daemon
