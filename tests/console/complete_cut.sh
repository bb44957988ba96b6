# The completion candidates the console shows on its status line are cut
# to the line's buffer (1 KiB) on a whole UTF-8 character, and say so with
# "… [cut]": record ids of non-ASCII characters, more of them than fit.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
fixture_source wide
python3 -c 'print("id,title,author")
for i in range(1, 31):
    print("%d%s,Title %d,Ann" % (i, "東京" * 10, i))' >"$T/fx/wide.csv"
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"

# wide enough to show the whole kilobyte of candidates
CONSOLE_COLS=900 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'
send :
send_text 'show-record wide/'
send Tab
wait_screen "Tab lists the source's ids" 'wide/1東京'
wait_screen "... cut after a whole character, saying so" '(東|京)… \[cut\] *$'
expect_no_match "... with no broken character on screen" "$(screen | grep 'wide/1東京')" \
	'(東|京)[^東京 ]+$'
