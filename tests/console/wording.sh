# A message that names a command names it as it is typed where it is read:
# on the console's ':' line 'help' and 'split ENTITY RECORD', in a shell
# 'kasparro help' and 'kasparro split ENTITY RECORD'. The console used to
# send its operator to 'kasparro help', which is no command there.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
send :
send_text 'nosuch'
send Enter
wait_screen "an unknown command points at help as the console types it" \
	"^unknown command 'nosuch'; try 'help' *$"
send :
send_text 'hepl'
send Enter
wait_screen "... with a near name too" \
	"^unknown command 'hepl' \(did you mean 'help'\?\); try 'help' *$"
send :
send_text 'split'
send Enter
wait_screen "a usage error gives the usage as the console types it" \
	'^split: missing arguments · usage: split \[--reason TEXT\] \[--json\] ENTITY RECORD'
send :
send_text 'quarantine --run 99'
send Enter
wait_screen "a run that is not there points at 'runs'" "^no run 99; 'runs' lists them *$"
send :
send_text 'restore 999999'
send Enter
wait_screen "a hint from below the commands (a record not there) drops 'kasparro' too" \
	"^no record 999999; 'deleted' lists deleted records *$"
send :
send_text 'held 1'
send Enter
wait_screen "a listing's empty text names the command as typed" \
	"^run 1 held no deletions; 'held --all' lists what was held *$"
send :
send_text 'help approve'
send Enter
wait_screen "help COMMAND shows the usage as the console types it" '^usage: approve '
expect_no_match "... and the screen says 'kasparro' before no command" "$(screen)" \
	"kasparro (help|approve)"
send q
wait_no_screen "q closes it" '^usage: approve '
send :
send_text 'help'
send Enter
wait_screen "help lists the commands" '^ *approve '
send G
wait_screen "... and ends pointing at 'help COMMAND'" "^'help COMMAND' shows one command"
console_stop

out=$(kas nosuch 2>&1)
expect_match "the shell's unknown command points at 'kasparro help'" "$out" \
	"^kasparro: unknown command 'nosuch'; try 'kasparro help'$"
expect_match "the shell's usage error gives 'kasparro split'" "$(kas split 2>&1)" \
	'^usage: kasparro split \[--reason TEXT\] \[--json\] ENTITY RECORD'
expect_match "the shell's help says 'kasparro help COMMAND'" "$(kas help | tail -n 1)" \
	"^'kasparro help COMMAND' shows one command"
expect_match "the shell's help COMMAND gives 'kasparro approve'" "$(kas help approve)" \
	'^usage: kasparro approve '
expect_match "the shell's missing run points at 'kasparro runs'" "$(kas quarantine --run 99 2>&1)" \
	"no run 99; 'kasparro runs' lists them"
expect_match "the shell's missing record points at 'kasparro deleted'" "$(kas restore 999999 2>&1)" \
	"no record 999999; 'kasparro deleted' lists deleted records"
expect_match "the shell's empty held listing names 'kasparro held --all'" "$(kas held 1 2>&1)" \
	"'kasparro held --all' lists what was held"
