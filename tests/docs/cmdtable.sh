# The command table's convention is checked when it is generated: a file
# src/*/cmd-NAME.c that breaks it fails the build with the file's name,
# instead of silently leaving its command out of the table.
. "$KASPARRO_TOP/tests/lib/lib.sh"

entry() { # FILE SYMBOL NAME
	printf 'const struct cmd_entry %s = {\n    .name = "%s",\n};\n' "$2" "$3" >"$1"
}
# The generator's messages and exit status, on one line.
gen() { (sh "$TOP/tools/gen-cmd-table.sh" "$@" 2>&1; echo "exit $?") | tr '\n' ' '; }

mkdir -p "$T/src/cmd" "$T/src/tui"
entry "$T/src/cmd/cmd-show-run.c" cmd_show_run_entry show-run
entry "$T/src/tui/cmd-screen.c" cmd_screen_entry screen
expect_eq "the table lists every layer's commands, sorted" \
	"$(gen "$T/src/tui/cmd-screen.c" "$T/src/cmd/cmd-show-run.c" | sed 's|^/\*.*\*/ ||')" \
	"CMD_ENTRY(screen) CMD_ENTRY(show_run) exit 0 "

entry "$T/src/cmd/cmd-approve.c" cmd_aprove_entry approve
expect_match "an entry named unlike its file fails the generator, naming both" \
	"$(gen "$T/src/cmd/cmd-approve.c")" \
	"src/cmd/cmd-approve.c: must define exactly one 'const struct cmd_entry cmd_approve_entry' \(found: cmd_aprove_entry\) exit 1"

entry "$T/src/cmd/cmd-undo.c" cmd_undo_entry undo-it
expect_match "an entry whose .name differs from its file fails the generator" \
	"$(gen "$T/src/cmd/cmd-undo.c")" "cmd-undo.c: the entry's .name must be \"undo\".* exit 1"

echo '/* nothing here */' >"$T/src/cmd/cmd-empty.c"
expect_match "a command file without an entry fails the generator" \
	"$(gen "$T/src/cmd/cmd-empty.c")" "cmd_empty_entry' \(found: none\) exit 1"

entry "$T/src/tui/cmd-show-run.c" cmd_show_run_entry show-run
expect_match "two files defining one command fail the generator" \
	"$(gen "$T/src/cmd/cmd-show-run.c" "$T/src/tui/cmd-show-run.c")" \
	"define the same command 'show_run' exit 1"

expect_match "the real tree follows the convention" "$(cd "$TOP" && gen src/*/cmd-*.c)" \
	"CMD_ENTRY\(approve\).* exit 0 $"
