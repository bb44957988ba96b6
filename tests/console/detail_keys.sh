# ? in a record's detail lists the keys that act on the record; closing
# that list returns to the record, where they act, not to the screen the
# detail was opened from. A second q then closes the record.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
send 4
wait_screen "the Entities screen shows members" '^ *[0-9]+ (books|notes) '
send d
wait_screen "d shows the selected member in full" '^record [0-9]+ · (books|notes) '
rec=$(screen_value 's/^record \([0-9][0-9]*\) · .*/\1/p')
send '?'
wait_screen "? lists the record's keys" 'split the record out of its entity'
wait_no_screen "... in place of the record" "^record $rec · "
send q
wait_screen "q closes the list and returns to the record" "^record $rec · "
wait_screen "... titled with its keys again" "record $rec: x split"
send x
wait_screen "... whose keys act on it again" "^split record $rec out of "
send Escape
wait_screen "Escape declines, the record still shown" "^record $rec · "
send q
wait_no_screen "q then closes the record" "^record $rec · "
wait_screen "... back on the Entities screen" '^ *[0-9]+ (books|notes) '
send q
wait_screen "q quits" 'console exited 0'
