# bench/hook.sh — sourced first by the make-bench hooks that measure on a
# database: bench/run.sh hands each one KASPARRO_DATABASE_URL on its scratch
# cluster. Run by hand without it, kasparro would start its default private
# cluster (or use the operator's), so the hook refuses before it starts
# anything.
if [ -z "${KASPARRO_DATABASE_URL:-}" ]; then
	echo "$(basename "$0"): run it through 'make bench', or set KASPARRO_DATABASE_URL to a" \
		"scratch database; nothing was started" >&2
	exit 2
fi

# For the hooks that start servers on 127.0.0.1: a port nothing listens on,
# and a wait for a server's /health (60 s; on a timeout the logs named
# after the URL are printed and the hook exits 1).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # URL LOG...
	_url=$1
	shift
	_i=0
	until curl -sf "$_url" >/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || { echo "$(basename "$0"): $_url does not answer" >&2; cat "$@" >&2; exit 1; }
		sleep 0.1
	done
}

# The sections a hook serving the HTTP API ends its configuration with:
# no matching, no schedule, viewers by the key in BENCH_KEY, /health open,
# no access log (a line per request would be measured too).
serve_sections() {
	printf '[matching]\nenabled = false\n[scheduler]\nenabled = false\n'
	printf '[http]\nviewer_keys_env = BENCH_KEY\nopen = /health\naccess_log = false\n'
}
