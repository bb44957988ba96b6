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
