#!/bin/sh
# The image's HEALTHCHECK (installed as kasparro-healthcheck): GET /health
# from the daemon's HTTP API on this container's loopback. 200 — the daemon
# serves and its database answers — is healthy; 503 (database unreachable,
# or the scheduler thread stuck), no answer or an error is not. When /health wants a key ([http] open does
# not list it and KASPARRO_HEALTH_KEY does not hold a viewer key), the answer
# still proves the daemon serves, and `kasparro db status` checks the
# database; with the HTTP API off, only the database is checked.
# The port is KASPARRO_HTTP_LISTEN's, default 8000.
listen=${KASPARRO_HTTP_LISTEN:-127.0.0.1:8000}
case "$listen" in
off | none)
	echo "HTTP API off: checking the database only"
	exec kasparro db status
	;;
esac
set -- curl -sS -o /dev/null -w '%{http_code}' --max-time 8
[ -n "${KASPARRO_HEALTH_KEY:-}" ] && set -- "$@" -H "Authorization: Bearer $KASPARRO_HEALTH_KEY"
code=$("$@" "http://127.0.0.1:${listen##*:}/health")
case "$code" in
200) exit 0 ;;
401 | 403)
	echo "GET /health needs a key ([http] open = /health, or KASPARRO_HEALTH_KEY): checking the database with kasparro db status"
	kasparro db status || exit 1
	;;
*)
	echo "GET /health answered ${code:-nothing}"
	exit 1
	;;
esac
