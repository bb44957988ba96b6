# tests/lib/console.sh — the real console in a private tmux server, for
# tests/console/*.sh (source it after lib.sh).
#
#   console_start [ARGS...]  kasparro's console at 80x24 (or $CONSOLE_COLS x
#                            $CONSOLE_ROWS), in UTF-8, with
#                            INPUTRC=/dev/null; the pane stays after it exits
#                            and says "console exited N"
#   screen                   the screen as text, now
#   screen_value SED [NOT] [SECS]  a value read off the screen once it shows
#                            one: polls until `screen | sed -n SED` prints a
#                            first line that is not empty (nor NOT); prints it
#   wait_screen DESC REGEX [SECS]   poll the screen until it matches (grep -E)
#   wait_no_screen DESC REGEX [SECS] poll until it no longer matches
#   send KEY...              tmux send-keys (key names: Enter, Tab, C-r, ...)
#   send_text TEXT           the text, literally
#   wait_cursor DESC "X Y" [SECS]   poll the cursor position
#   resize COLS ROWS
#   console_stop             kill the tmux server and wait until it is gone
#   shell_output COLS CMD... a kasparro command's whole output as a shell on
#                            a terminal COLS wide shows it (50 rows), the
#                            lines the terminal wrapped joined again
#   console_up               console_fixture run, then the console on it, up
#                            once it shows run 1
#
# The server is private (-L kas$$, no configuration) and killed at exit.
# Nothing here sleeps and hopes: every check polls until it holds or times
# out (10 seconds unless said otherwise).
TMUX_SOCKET="kas$$"
export INPUTRC=/dev/null

tm() { tmux -u -L "$TMUX_SOCKET" -f /dev/null "$@"; }
# at exit as console_stop does: the runner counts a server still exiting as left over
at_exit 'console_stop'

console_start() {
	cmd="exec \"$BIN\""
	[ -n "$CONF" ] && cmd="$cmd -c \"$CONF\""
	for a in "$@"; do cmd="$cmd \"$a\""; done
	tm new-session -d -x "${CONSOLE_COLS:-80}" -y "${CONSOLE_ROWS:-24}" \
		"env TERM=screen LC_ALL=C.UTF-8 INPUTRC=/dev/null sh -c '$cmd'; echo \"console exited \$?\"; exec sleep 600"
}

# Ends the tmux server (and the console in it) and waits until it is gone:
# its process, not only its answer. A server answers no more at once but
# takes a second to exit, and a console_start meanwhile, on the same
# socket, met it going ("server exited unexpectedly").
console_stop() {
	_cs_pid=$(tm display -p '#{pid}' 2>/dev/null)
	tm kill-server >/dev/null 2>&1
	_cs_end=$(($(date +%s) + $(slow 10)))
	while { tm has-session 2>/dev/null || { [ -n "$_cs_pid" ] && kill -0 "$_cs_pid" 2>/dev/null; }; } &&
		[ "$(date +%s)" -lt "$_cs_end" ]; do
		sleep 0.05
	done
}

screen() { tm capture-pane -p; }

# A capture taken right after a key or a wait_screen may show the screen
# before the key took effect, or mid-refresh (the list of a screen whose
# title is drawn, or a detail pane still loading): a value a test goes on
# with is read once the screen shows one. Prints nothing and returns 1
# after SECS (10 unless said).
screen_value() {
	_sv_end=$(($(date +%s) + $(slow "${3:-10}")))
	while :; do
		_sv=$(screen | sed -n "$1" | head -n 1)
		if [ -n "$_sv" ] && [ "$_sv" != "${2:-}" ]; then
			printf '%s\n' "$_sv"
			return 0
		fi
		[ "$(date +%s)" -ge "$_sv_end" ] && return 1
		sleep 0.05
	done
}

shell_output() {
	console_stop
	CONSOLE_COLS=$1 CONSOLE_ROWS=50
	shift
	console_start "$@"
	poll_screen MATCH '^console exited' 10 || not_ok "kasparro $* ends" "$(screen)"
	tm capture-pane -p -J -S - | sed '/^console exited/,$d'
}

# poll_screen MATCH|NOMATCH REGEX SECS: 0 when the screen (stops) matching
poll_screen() {
	_ps_want=$1 _ps_regex=$2
	_ps_end=$(($(date +%s) + $(slow "$3")))
	while :; do
		if screen | grep -Eq -- "$_ps_regex"; then
			[ "$_ps_want" = MATCH ] && return 0
		else
			[ "$_ps_want" = NOMATCH ] && return 0
		fi
		[ "$(date +%s)" -ge "$_ps_end" ] && return 1
		sleep 0.05
	done
}

wait_screen() {
	if poll_screen MATCH "$2" "${3:-10}"; then ok "$1"; else
		not_ok "$1" "the screen never matched: $2" "$(screen)"
		return 1
	fi
}

wait_no_screen() {
	if poll_screen NOMATCH "$2" "${3:-10}"; then ok "$1"; else
		not_ok "$1" "the screen kept matching: $2" "$(screen)"
		return 1
	fi
}

send() { tm send-keys "$@"; }
send_text() { tm send-keys -l -- "$1"; }
resize() { tm resize-window -x "$1" -y "$2"; }

wait_cursor() {
	_wc_end=$(($(date +%s) + $(slow "${3:-10}")))
	while :; do
		at=$(tm display -p '#{cursor_x} #{cursor_y}')
		if [ "$at" = "$2" ]; then ok "$1"; return 0; fi
		if [ "$(date +%s)" -ge "$_wc_end" ]; then
			not_ok "$1" "cursor at $at, expected $2" "$(screen)"
			return 1
		fi
		sleep 0.05
	done
}

# A configuration with two small CSV sources, in $T/fx (CONF points at it);
# `console_fixture run` also loads them (run 1). The console runs the
# schedule: left at the default (0 */6 * * *), a test under way at 00, 06,
# 12 or 18 UTC would find a run it did not start. It fires on 29 February
# only (its [scheduler] section comes before the sources, which tests
# replace or add to).
console_fixture() {
	mkdir -p "$T/fx"
	printf '[kasparro]\nlog_level = info\n[schema]\ntitle = text, required\nauthor = text\n' \
		>"$T/fx/kasparro.conf"
	printf '[scheduler]\ncron = 0 3 29 2 *\n' >>"$T/fx/kasparro.conf"
	CONF="$T/fx/kasparro.conf"
	fixture_source books
	fixture_source notes
	printf 'id,title,author\n1,Hello,Ann\n2,Zürich 東京,Bob\n3,Third,Cy\n' >"$T/fx/books.csv"
	printf 'id,title,author\nn1,Note one,Di\nn2,Note two,Ed\n' >"$T/fx/notes.csv"
	if [ "${1:-}" = run ] && ! kas run >/dev/null 2>&1; then
		not_ok "kasparro run loads the fixture"
	fi
}

# fixture_source NAME: a CSV source NAME reading NAME.csv (id,title,author)
fixture_source() {
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\nmap.author = author\n' \
		"$1" "$1" >>"$CONF"
}

# big_csv ROWS [WORDS]: $T/fx/big.csv with ROWS rows whose titles say WORDS
big_csv() {
	awk -v n="$1" -v w="${2:-Title number}" 'BEGIN { print "id,title,author"
		for (i = 1; i <= n; i++) printf "%d,%s %d about things,Author %d\n", i, w, i, i % 977 }' \
		>"$T/fx/big.csv"
}

console_up() {
	console_fixture run
	console_start
	wait_screen "the console is up" '^ +1 succeeded +manual'
}
