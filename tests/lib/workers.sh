# tests/lib/workers.sh — helpers for tests/workers/*.sh (a run's sources
# shared by workers and daemons), sourced after lib.sh.
#
#   workers_config WORKERS BATCH NAME:ROWS...
#                         $CONF: fields title (required) and n (integer); one
#                         csv source per NAME reading $T/NAME.csv, whose rows
#                         id,title,n (1..ROWS) are in $T/NAME.data; matching
#                         and the schedule off
#   gate NAME             $T/NAME.csv becomes a FIFO: a worker that takes the
#                         source waits in it until `open_gate NAME`
#   open_gate NAME        feeds $T/NAME.data into the FIFO (in the background)
#   expect_loaded_once NAME ROWS
#                         the source's records and its row of the last run
#                         hold every record exactly once
#   owner_pid NAME        the pid in the owner of NAME's row in the last run
#   holds NAME PID        a worker of process PID is loading NAME now (a
#                         command for wait_for)
#   expect_run_finished_by PID WHO SECONDS NAME:ROWS...
#                         waits for the run to end: one run, succeeded, its
#                         row last written by PID (WHO says which daemon),
#                         every source loaded exactly once with its payloads

workers_config() {
	CONF="$T/k.conf"
	printf '[kasparro]\nworkers = %s\nbatch_size = %s\n' "$1" "$2" >"$CONF"
	printf '[schema]\ntitle = text, required\nn = integer\n' >>"$CONF"
	shift 2
	for spec in "$@"; do
		name=${spec%%:*} rows=${spec#*:}
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\nmap.n = n\n' \
			"$name" "$name" >>"$CONF"
		awk -v r="$rows" -v s="$name" 'BEGIN { print "id,title,n"
			for (i = 1; i <= r; i++) printf "%d,%s record %d,%d\n", i, s, i, i % 1000 }' \
			>"$T/$name.data"
		cp "$T/$name.data" "$T/$name.csv"
	done
	printf '[matching]\nenabled = false\n[scheduler]\nenabled = false\n' >>"$CONF"
}

gate() {
	rm -f "$T/$1.csv"
	mkfifo "$T/$1.csv"
}

open_gate() {
	cat "$T/$1.data" >"$T/$1.csv" &
	at_exit "kill $! 2>/dev/null"
}

expect_loaded_once() {
	expect_eq "source $1: every record loaded exactly once" \
		"$(sql "SELECT count(*) || ' ' || count(DISTINCT source_id) || ' ' || coalesce(sum(n), 0)
			FROM kasparro.records WHERE source = '$1'")" \
		"$2 $2 $(awk -v r="$2" 'BEGIN { s = 0; for (i = 1; i <= r; i++) s += i % 1000; print s }')"
	expect_eq "source $1: its row counts each record once" \
		"$(sql "SELECT status || ' ' || fetched || ' ' || inserted || ' ' || updated
			FROM kasparro.run_sources WHERE source = '$1' ORDER BY run_id DESC LIMIT 1")" \
		"succeeded $2 $2 0"
}

owner_pid() {
	sql "SELECT split_part(split_part(owner, ':', 2), '/', 1) FROM kasparro.run_sources
		WHERE source = '$1' ORDER BY run_id DESC LIMIT 1"
}

holds() {
	sql_is "SELECT split_part(split_part(owner, ':', 2), '/', 1) FROM kasparro.run_sources
		WHERE source = '$1' AND status = 'running'" "$2"
}

expect_run_finished_by() {
	_pid=$1 _who=$2 _secs=$3
	shift 3
	wait_for "the run ends" "$_secs" sql_is \
		"SELECT count(*) FROM kasparro.runs WHERE status <> 'running'" 1
	expect_eq "one run, succeeded, finished by $_who" \
		"$(sql "SELECT count(*) || ' ' || min(status) || ' ' || min(pid) FROM kasparro.runs")" "1 succeeded $_pid"
	for _spec in "$@"; do
		expect_loaded_once "${_spec%%:*}" "${_spec#*:}"
	done
	expect_eq "with their raw payloads, once" "$(sql "SELECT count(*) FROM kasparro.raw_records")" \
		"$(sql "SELECT count(*) FROM kasparro.records")"
}
