# The pager's "A-B of N" counts the rows on screen, a wrapped line's each
# one, not the lines of the text: a line of 600 words wrapped at 80 columns
# says as many rows as the pane shows, and at its end, the row of its last
# word.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
send :
send_text "echo $(seq -f 'w%g' 600 | tr '\n' ' ')END"
send Enter
wait_screen "a long line opens the pager" ' 1-[0-9]+ of [0-9]+ +q closes'
shown=$(screen | grep -Ec '^ *w[0-9]+ ')
last=$(screen_value 's/.* 1-\([0-9][0-9]*\) of [0-9]* *q closes.*/\1/p')
expect_eq "the headline counts the rows shown" "$last" "$shown"
[ "$shown" -ge 15 ] || not_ok "... which fill the pane" "$(screen)"
send G
wait_screen "G goes to the end" 'END$'
range=$(screen_value 's/.* \([0-9]*-[0-9]* of [0-9]*\) *q closes.*/\1/p')
from=${range%%-*} to=${range#*-} to=${to%% *} total=${range##* }
expect_eq "... the last row the last of them all" "$to" "$total"
expect_eq "... and the rows shown as many as it says" "$((to - from + 1))" "$shown"
[ "$total" -gt "$shown" ] || not_ok "... more rows than the pane holds" "$range"
send q
wait_no_screen "q closes the pager" 'q closes'
send q
wait_screen "q quits" 'console exited 0'
