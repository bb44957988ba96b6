# `tools/container/stack.sh down` gives the daemon as long to stop as
# compose.yaml's stop_grace_period, which is above the daemon's worst-case
# stop as kasparro(1) states it: a shorter wait (it passed 90 s, below the
# 95 s a stop may take) kills a daemon whose batch is still committing.
# The compose tool is a stand-in that writes down how it was called.
. "$KASPARRO_TOP/tests/lib/lib.sh"
mkdir -p "$T/bin"
cat >"$T/bin/docker" <<'STUB'
#!/bin/sh
case "$1" in
info | network) exit 0 ;;
compose) [ "$2" = version ] && exit 0; echo "$*" >>"$STUB_LOG" ;;
esac
STUB
chmod +x "$T/bin/docker"
export STUB_LOG="$T/calls" TMPDIR="$T"
PATH="$T/bin:$PATH" CONTAINER_ENGINE=docker COMPOSE_PROJECT_NAME=kasparrostub \
	sh "$TOP/tools/container/stack.sh" down >"$T/out" 2>&1
expect_eq "stack.sh down exits 0" "$?" 0
grace=$(sed -n 's/^ *stop_grace_period: *\([0-9]*\)s$/\1/p' "$TOP/compose.yaml")
worst=$(sed -n 's/^\([0-9][0-9]*\) seconds with the defaults.*/\1/p' "$TOP/man/kasparro.1")
expect_eq "... calling compose down with compose.yaml's stop_grace_period ($grace s)" \
	"$(cat "$T/calls")" "compose -p kasparrostub down -t $grace"
check "... which is above the worst-case stop kasparro(1) states ($worst s)" \
	test "${grace:-0}" -gt "${worst:-999}"
