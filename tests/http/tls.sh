# HTTPS: certificate verification is always on, so a server with a
# self-signed certificate is refused with a message that says why, and
# accepted once ca_file (relative to the config file) names the
# certificate. Requests say who they are (User-Agent kasparro/0.1), and an
# incremental read sends its cursor in since_param.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" \
	>"$T/openssl.log" 2>&1 || { not_ok "make a self-signed certificate" "$(cat "$T/openssl.log")"; exit 1; }
start_fixture --records 25 --tls "$T/cert.pem" "$T/key.pem"
BASE=$(echo "$BASE" | sed 's/^http:/https:/')
export FIXTURE_CA="$T/cert.pem"
paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"

api_conf "$BASE/tls/page" $paged retries=1
out=$(kas fetch api 2>&1)
rc=$?
expect_eq "a self-signed certificate is refused (exit 1)" "$rc" "1"
expect_match "the message says it is the certificate" "$out" \
	"source 'api': page 1: SSL certificate problem: self.signed certificate"
expect_no_match "a certificate problem is not retried" "$out" "gave up after"

api_conf "$BASE/tls/page" $paged ca_file=cert.pem
out=$(kas fetch --json api)
expect_eq "with ca_file naming it: every record over HTTPS" \
	"$(echo "$out" | json_get 'd["count"], d["pages"]')" "[25, 3]"
expect_eq "requests carry User-Agent kasparro/0.1" "$(fixture_stat user_agent /tls/page)" \
	"kasparro/0.1"

api_conf "$BASE/since/page" $paged ca_file=cert.pem since_param=updated_since
kas fetch --since 2026-01-02T03:04:05+01:00 api >/dev/null
expect_match "an incremental read sends since_param, encoded" \
	"$(fixture_stat last_query /since/page)" \
	"(^|&)updated_since=2026-01-02T03%3[aA]04%3[aA]05%2[bB]01%3[aA]00(&|$)"
kas fetch api >/dev/null
expect_no_match "a full read sends no since_param" "$(fixture_stat last_query /since/page)" \
	"updated_since"
