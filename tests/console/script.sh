# The non-interactive driver: `kasparro console --script FILE` runs the
# whole console (threads, database, readline, drawing) without a terminal.
# Under `make check SANITIZE=1` this is the console under ASan and UBSan:
# any report makes the process fail and shows on its standard error.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture

cat >"$T/walk.script" <<SCRIPT
# every screen, a run, the pager, the command line, a resize, a reload
wait-for connected
:run
wait-run
:dump-screen $T/runs.txt
key 2
wait
key 3
wait
key 4
wait
key 5
wait
key 6
wait
key j k
:dump-screen $T/sources.txt
key 7 d
:dump-screen $T/log.txt
key 1 Enter
wait
:dump-screen $T/detail.txt
key q ?
wait
key G / 
type screen
key Enter n N q
key :
type ec
key Tab
type Zürich 東京
key Left Left Enter
:dump-screen $T/echo.txt
key : C-r
type Zü
key Escape
:bind -s runs z 'echo zed {id}'
key z
:dump-screen $T/bound.txt
resize 100 30
:dump-screen $T/wide.txt
resize 80 24
:nosuch
:split
wait
:dump-screen $T/usage.txt
:reload
:dump-screen $T/reload.txt
key 6
wait
:help
wait
:dump-screen $T/help.txt
key q
key 3
:keys
wait
:dump-screen $T/keys.txt
key q
SCRIPT
out=$(kas console --script "$T/walk.script" 2>&1)
rc=$?
expect_eq "the scripted console exits 0" "$rc" 0
expect_eq "and writes nothing to standard error (no sanitizer report)" "$out" ""
expect_match "the run happened and shows its final counts" "$(cat "$T/runs.txt")" \
	'Run 1 succeeded · manual by .*finished'
expect_match "the history row is there" "$(cat "$T/runs.txt")" '^ +1 succeeded +manual .* 5 +5 '
expect_match "the Sources screen showed the selected source" "$(cat "$T/sources.txt")" \
	'^books · csv, full sync'
expect_match "the Log screen showed debug and above" "$(cat "$T/log.txt")" \
	'Log: debug and above'
expect_match "Enter on a run opened its detail" "$(cat "$T/detail.txt")" 'run 1: succeeded'
expect_match "echo showed the UTF-8 line" "$(cat "$T/echo.txt")" '^Zürich 東京$'
expect_match "a binding made with bind works, with the selection's id" \
	"$(cat "$T/bound.txt")" '^zed 1$'
expect_eq "the dump of the wide screen has 30 lines" "$(wc -l <"$T/wide.txt")" 30
expect_match "the wide screen has the ERROR column" "$(cat "$T/wide.txt")" 'MATCHED ERROR'
expect_match "a usage error keeps its two lines apart on the message line" \
	"$(tail -n 2 "$T/usage.txt" | tr '\n' ' ')" \
	'split: missing arguments · usage: split \[--reason TEXT\] \[--json\] ENTITY RECORD'
expect_match "reload read the file again" "$(cat "$T/reload.txt")" \
	"^configuration reloaded: 2 sources, schedule "
expect_match "help at 80 columns gives each command's whole summary (usages are cut else)" \
	"$(cat "$T/help.txt")" '^ *apply-deletes +soft-delete the records the mass-delete guard held in a run *$'
expect_match "the Review screen's keys at 80 columns say whole what each key does" \
	"$(cat "$T/keys.txt")" '^review +a +approve: the two records are the same \(or the marked pairs\) *$'
expect_no_match "and no key's command wraps onto a line of its own" "$(cat "$T/keys.txt")" '^marked -p'
expect_eq "the run is in the database" "$(sql 'SELECT status FROM kasparro.runs WHERE id = 1')" \
	succeeded

printf 'wait-for this-never-shows\n' >"$T/stuck.script"
expect_exit "--max-iterations ends a console that would wait" 0 \
	kas console --script "$T/stuck.script" --max-iterations 20
printf 'timeout 1\nwait-for this-never-shows\n' >"$T/late.script"
out=$(kas console --script "$T/late.script" 2>&1)
expect_eq "a wait that times out fails the script" "$?" 1
expect_match "... naming the line" "$out" \
	"script '.*late.script' line 2: timed out after 1 seconds: wait-for this-never-shows"
printf 'frobnicate\n' >"$T/bad.script"
expect_match "an unknown instruction is refused" "$(kas console --script "$T/bad.script" 2>&1)" \
	"line 1: unknown instruction"
expect_match "the console wants a terminal, or a script" "$(kas console </dev/null 2>&1)" \
	"the console needs a terminal"
