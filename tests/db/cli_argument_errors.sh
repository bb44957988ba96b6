# An id that names nothing is said one way by every command that takes one,
# exit 1 (kasparro(1), EXIT STATUS): "no KIND ID; 'kasparro LISTER' lists
# them", LISTER a command that lists them. approve, reject and show-match
# said "candidate 99999 does not exist", undo "decision 99999 does not
# exist", show-entity and split "entity '99999' does not exist",
# show-record "no record 99999" with no hint, while held and show-run
# said "no run 99999; 'kasparro runs' lists them". The commands are those
# help --json says take a run, candidate, decision, entity or record: a
# command added to the table is checked without touching this test. An id
# that is no number is a usage error (exit 2) worded one way too, and so is
# a first argument that is none of a command's subcommands (export said
# "'BAD' is not records or queue", the others "unknown subcommand").
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture

# the commands whose argument is an id, from the table: NAME KIND lines
: >"$T/console.script"
kas help --json >"$T/help.json"
python3 - "$T/help.json" >"$T/ids" <<-'PY'
	import json, sys
	for c in json.load(open(sys.argv[1])):
	    if c.get("argument") in ("run", "candidate", "decision", "entity", "record"):
	        print(c["name"], c["argument"])
PY
commands=" $(python3 -c 'import json, sys
print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))))' "$T/help.json") "
expect_match "help --json says what each command's argument names" "$(cat "$T/ids")" \
	"^show-match candidate$"
expect_eq "... for a dozen commands or more" "$(($(wc -l <"$T/ids") >= 12))" 1

kinds="run|candidate|decision|entity|record"
while read -r name kind; do
	# as many missing ids as the command takes (split ENTITY RECORD and
	# compare-runs A B take two, not the same twice): one more while it
	# says the count is wrong
	args=99991
	while out=$(kas "$name" $args 2>&1); rc=$?; [ "$rc" -eq 2 ] && [ ${#args} -lt 17 ]; do
		args="$args 9999$((${#args} / 6 + 2))"
	done
	expect_eq "$name $args: exit 1" "$rc" 1
	expect_match "$name $args: names what is missing and the command that lists it" "$out" \
		"^kasparro: no ($kinds) 9999[1-3]; 'kasparro [a-z -]+' lists [a-z ]+\$"
	# with every id missing, the first typed is the one said, of the kind
	# the table gives the command (split ENTITY RECORD named the record)
	expect_match "$name $args: names the first missing ($kind)" "$out" \
		"^kasparro: no $kind '?99991'?; "
	hint=$(printf '%s\n' "$out" | sed -n "s/.*; 'kasparro \([a-z-]*\).*' lists [a-z ]*\$/\1/p")
	case "$commands" in
	*" $hint "*) ok "$name: the hint names a command, '$hint'" ;;
	*) not_ok "$name: the hint names a command, '$hint'" "commands:$commands" ;;
	esac
	expect_eq "$name $args --json: the same message and exit" \
		"$(kas "$name" $args --json 2>&1; echo "exit $?")" "$out
exit 1"
	printf ':%s %s\nwait\n:dump-screen %s\n' "$name" "$args" "$T/$name.screen" >>"$T/console.script"
	[ "$kind" = entity ] && continue # any word may be an entity's key
	bad="0${args#99991}"
	out=$(kas "$name" $bad 2>&1)
	expect_eq "$name $bad: exit 2" "$?" 2
	expect_match "$name $bad: says what it takes" "$out" \
		"^kasparro: '0' is not an? ($kinds)( id)? \(.+\)\$"
done <"$T/ids"

for c in config db export schedule; do
	out=$(kas $c bogus 2>&1)
	expect_eq "$c bogus: exit 2" "$?" 2
	expect_match "$c bogus: names it and the subcommands" "$out" \
		"^kasparro: $c: unknown subcommand 'bogus' \([a-z]+(, [a-z]+)+\)\$"
done

# The console's ':' line runs the same commands, and says the same without
# "kasparro ": there the command is typed as it is named. Its own commands
# are not in help --json outside it: detail takes a record as well.
expect_match "detail takes a record" "$(kas help detail 2>&1 | head -n 1)" " RECORD\$"
echo "detail record" >>"$T/ids"
printf ':detail 99991\nwait\n:dump-screen %s\n' "$T/detail.screen" >>"$T/console.script"
printf 'wait-for connected\n' | cat - "$T/console.script" >"$T/all.script"
kas console --script "$T/all.script" --size 160x24 >/dev/null 2>&1
while read -r name kind; do
	said=$(tail -n 2 "$T/$name.screen" 2>&1)
	expect_match ":$name: the same message" "$said" "no ($kinds) 9999[1-3]; '[a-z -]+' lists [a-z ]+ *\$"
	expect_no_match "... the command named as the console takes it" "$said" "'kasparro "
done <"$T/ids"
