# "~" and "~USER" at the start of a path argument on the ':' line are
# expanded as a shell expands them, where the command table marks the
# argument a path (export -o FILE, dump-screen FILE, export-view FILE):
# `export records -o ~/x.csv` writes $HOME/x.csv, as the same command in a
# shell does (it wrote ./~/x.csv, or failed). A quoted '~/q.csv' stays as it
# is, and so does an unknown user's ~nosuchuser/, as in a shell; a home with
# a blank in it is one word. Tab completes "~/" to the home folder's files
# and "~ro" to "~root/".
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/complete.sh"
new_db
console_fixture run
export HOME="$T/my home"
mkdir -p "$HOME"
CONSOLE_COLS=160 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'

send :
send_text 'export records -o ~/x.csv'
send Enter
wait_for "export -o ~/x.csv writes \$HOME/x.csv" 10 test -s "$HOME/x.csv"
wait_screen "... and the message names it there" "written to '$T/my home/x.csv'"
expect_eq "... with the records" "$(wc -l <"$HOME/x.csv")" 6

completes_text 'export records -o ~/x.' 'export records -o ~/x.csv' "Tab completes ~/ to the home folder's files"
completes 'export records -o ~ro' 'export records -o ~root/' "Tab completes ~ro to ~root/" 0

send :
send_text 'dump-screen ~/screen.txt'
send Enter
wait_for "dump-screen ~/screen.txt writes in \$HOME" 10 test -s "$HOME/screen.txt"

send :
send_text 'export-view ~/view.csv'
send Enter
wait_for "export-view ~/view.csv writes in \$HOME" 10 test -s "$HOME/view.csv"

send :
send_text "dump-screen ~root/..$T/root.txt"
send Enter
wait_for "~root/ is root's home folder" 10 test -s "$T/root.txt"

send :
send_text "export records -o '~/q.csv'"
send Enter
wait_screen "a quoted ~ is not expanded, as in a shell" "'~/q\.csv'"
check "... nothing was written in \$HOME" test ! -e "$HOME/q.csv"
send :
send_text "close"
send Enter

send :
send_text "export records -o ~nosuchuser42/x.csv"
send Enter
wait_screen "an unknown user's ~ stays as it is, as in a shell" "'~nosuchuser42/x\.csv'"
