# A newcomer's walk through every screen of the shipped sample, as `make run`
# leaves it (two runs: the sample, then the partner's export cut short, its
# deletions held), at 80x24 and at 200x60: each screen is captured into $T
# (tour-SIZE-N-NAME.txt, what the terminal shows) and must show its title,
# its rows, and every id it shows whole (no "…" inside an id), so the id one
# types can be read. On the way the newcomer opens a pair, approves it, and
# finds the decision on the Audit screen.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_config
kas run >/dev/null 2>&1
sed "s|^path = sample/partner.csv\$|path = sample/partner-cut.csv|" "$CONF" >"$T/share/cut.conf"
kas -c "$T/share/cut.conf" run partner-feed >/dev/null 2>&1
expect_eq "the sample leaves two runs" "$(kas runs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2

# ids COMMAND KEY N: the first N values of KEY in `kasparro COMMAND --json`
ids() { kas $1 --json | python3 -c 'import json,sys; print("\n".join(str(r[sys.argv[1]]) for r in json.load(sys.stdin)[:int(sys.argv[2])]))' "$2" "$3"; }

# visit SIZE N NAME TITLE-REGEX: screen N, wait for its title, capture it
visit() {
	send "$2"
	wait_screen "$1: $3 shows its title" "$4" 30 || return 1
	screen >"$T/tour-$1-$2-$3.txt"
}

# whole SIZE NAME WHAT IDS...: every id is on the captured screen as a word,
# and no id in the first column is cut (a title or an error may end in "…";
# "3362…" for run 336209 may not)
whole() {
	size=$1 name=$2 what=$3
	shift 3
	file=$(ls "$T"/tour-"$size"-*-"$name".txt)
	missing=
	for id in "$@"; do grep -qw -- "$id" "$file" || missing="$missing $id"; done
	[ -z "$missing" ] && ok "$size: $name shows its $what whole ($*)" ||
		not_ok "$size: $name shows its $what whole" "missing:$missing" "$(cat "$file")"
	expect_no_match "$size: ... and no id on it is cut" "$(cat "$file")" '^[! ]*[^ ]+…'
}

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break

	visit "$size" 1 runs '^The last 2 runs' || continue
	whole "$size" runs "runs" $(ids runs id 2)
	visit "$size" 2 schedule '^Schedule'
	visit "$size" 3 review '^Review'
	whole "$size" review "candidates" $(ids "queue --limit 3" id 3)
	send Enter
	wait_screen "$size: Enter opens the pair in full" 'q closes'
	screen >"$T/tour-$size-3-review-pair.txt"
	send q
	wait_no_screen "$size: q closes it" 'q closes'
	first=$(ids "queue --limit 1" id 1)
	send a
	wait_screen "$size: a approves the pair" "approved|merged"
	visit "$size" 4 entities '^Entities · '
	whole "$size" entities "keys" $(ids "entities --limit 3" key 3)
	visit "$size" 5 deleted 'held'
	whole "$size" deleted "held run and source" partner-feed $(kas runs --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
	visit "$size" 6 sources '^SOURCE '
	whole "$size" sources "names" articles-api articles-csv partner-feed
	visit "$size" 7 log '^Log: info and above'
	n=$(kas decisions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	[ "$n" -eq 1 ] && decisions="1 decision" || decisions="$n decisions"
	visit "$size" 8 audit "^Audit · $decisions \\("
	whole "$size" audit "decisions" $(ids decisions id 1)
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done
