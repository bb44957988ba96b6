# help --json listed each command's name, usage and summary but none of
# its options, which scripts (completion, a wrapper) had to scrape from
# the text. It gives them from the command table, the one source of the
# text help too: the same options, in the same order, for every command.
. "$KASPARRO_TOP/tests/lib/lib.sh"
j=$(kas help queue --json)
expect_eq "help queue --json: its options, with their placeholders" \
	"$(echo "$j" | python3 -c 'import json,sys; print(" ".join(o["name"] + "=" + str(o["arg"]) for o in json.load(sys.stdin)[0]["options"]))')" \
	"--min=P --max=P --order=uncertainty|score --limit=N|all --offset=N --json=None"
expect_eq "... each with its short name (or null) and its text" \
	"$(echo "$j" | python3 -c 'import json,sys; o=json.load(sys.stdin)[0]["options"][3]; print(o["short"], o["doc"][:12])')" \
	"-n show at most"
expect_eq "keys --json gives -s for --screen" \
	"$(kas help keys --json | python3 -c 'import json,sys; print([o["short"] for o in json.load(sys.stdin)[0]["options"] if o["name"] == "--screen"][0])')" "-s"
# every command: the options of help --json are those `help COMMAND` prints
mismatch=$(kas help --json | python3 -c '
import json, subprocess, sys
bin = sys.argv[1]
bad = []
for c in json.load(sys.stdin):
    text = subprocess.run([bin, "help", c["name"]], capture_output=True, text=True).stdout
    lines = text.split("\noptions:\n")[1].splitlines() if "\noptions:\n" in text else []
    names = [l.split()[0].split(",")[-1] for l in lines if l.startswith("  -")]
    if names != [o["name"] for o in c["options"]]:
        bad.append(c["name"])
print(" ".join(bad))' "$BIN")
expect_eq "for every command, help --json lists the options help prints" "$mismatch" ""
expect_eq "help --json (every command) carries the options too" \
	"$(kas help --json | python3 -c 'import json,sys; print(all(isinstance(c["options"], list) and c["options"] for c in json.load(sys.stdin)))')" True
# help's usage lines are those kasparro prints given no command off a
# terminal: the console's line left out [-c FILE], which it takes too
expect_eq "help's usage says [-c FILE] for the console as well" \
	"$(kas help | sed -n 2p)" "$("$BIN" </dev/null 2>&1 | sed -n 2p)"
