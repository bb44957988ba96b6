# What a first-time user trips on, said as what it is. A configuration
# path that names a folder (KASPARRO_CONFIG=/etc/kasparro, -c with a folder
# completed by the shell) is a file that cannot be read, not an empty file
# "with nothing to ingest".
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

mkdir -p "$T/etc/kasparro"
out=$("$BIN" -c "$T/etc/kasparro" config check 2>&1)
rc=$?
expect_eq "config check of a folder exits 2" "$rc" 2
expect_match "... saying it cannot read it, and why" "$out" \
	"^kasparro: unable to read config '$T/etc/kasparro': Is a directory\$"
expect_no_match "... not that the file has nothing to ingest" "$out" "nothing to ingest"

out=$(KASPARRO_CONFIG="$T/etc/kasparro" "$BIN" runs 2>&1)
rc=$?
expect_eq "another command with KASPARRO_CONFIG at a folder exits 2 (before: 0, no source)" "$rc" 2
expect_match "... with the same message" "$out" "unable to read config '$T/etc/kasparro': Is a directory"

# a file still reads as it did, from a pipe too
printf '[schema]\ntitle = text\n[source s]\nkind = csv\npath = s.csv\nid = id\n' >"$T/ok.conf"
: >"$T/s.csv"
check "a configuration file still checks" "$BIN" -c "$T/ok.conf" config check
check "... and one written to a pipe" sh -c "'$BIN' -c /dev/stdin config check <'$T/ok.conf'"

# dedup --blocked-pairs FILE: the file is this pass's pairs. A pass that
# compares none (nothing changed) left it absent, or holding an earlier
# pass's pairs as if they were this one's; a path that cannot be written
# was found out after matching, or never (no pair to write).
two_sources_config
printf 'id,title,author,published_at,url\na1,Cooking with Cast Iron Pans,Ann Lee,2026-01-01,https://x.org/iron\n' >"$T/a.csv"
printf 'id,title,author,published_at,url\nb1,Cooking with Cast Iron Pan,Ann Lee,2026-01-01,https://x.org/iron\n' >"$T/b.csv"
kas run >/dev/null 2>&1
check "a rescan writes the blocked pairs" kas dedup --rescan --blocked-pairs "$T/pairs.tsv"
expect_eq "... one pair, tab-separated" "$(awk -F '\t' 'NF == 4' "$T/pairs.tsv" | wc -l)" 1
check "a pass that compares no pair succeeds" kas dedup --blocked-pairs "$T/pairs.tsv"
expect_eq "... and leaves the file empty, not the rescan's pair" "$(wc -c <"$T/pairs.tsv")" 0
rm -f "$T/none.tsv"
kas dedup --blocked-pairs "$T/none.tsv" >/dev/null 2>&1
check "... and makes the file when there is none" test -f "$T/none.tsv"
out=$(kas dedup --blocked-pairs "$T/no/such/folder/pairs.tsv" 2>&1)
rc=$?
expect_eq "a file that cannot be written fails (exit 1)" "$rc" 1
expect_match "... naming it" "$out" "^kasparro: dedup: unable to write '$T/no/such/folder/pairs.tsv': No such file or directory\$"

# a bad option value names the option, whatever the command (kasparro(1),
# EXIT STATUS): --timezone's too
out=$(kas schedule set '0 3 * * *' --timezone Mars/Olympus 2>&1)
rc=$?
expect_eq "schedule set with an unknown --timezone exits 2" "$rc" 2
expect_match "... naming the option and the zone" "$out" \
	"^kasparro: option '--timezone': time zone 'Mars/Olympus' is unknown"
expect_eq "... and the schedule stays as it was" "$(kas schedule --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["timezone"])')" UTC

# fetch --json answers a script with its one object, the error in it, when
# the source fails as it opens as when it fails later (before: nothing on
# standard output)
mkdir -p "$T/folder.csv"
printf '[schema]\ntitle = text\n[source f]\nkind = csv\npath = folder.csv\nid = id\n' >"$T/f.conf"
out=$("$BIN" -c "$T/f.conf" fetch --json f 2>/dev/null)
rc=$?
expect_eq "fetch --json of a source that fails as it opens exits 1" "$rc" 1
expect_eq "... printing its object: no item, the error" "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["source"], d["count"], d["items"], d["error"])' 2>&1)" \
	"f 0 [] source 'f': reading '$T/folder.csv' at line 1: Is a directory"

# config check --json of a file that fails: an object with every mistake
# (before: nothing on standard output, the mistakes on standard error only)
printf '[kasparro]\nlog_level = loud\nbogus = 1\n[schema]\ntitle = text\n' >"$T/bad.conf"
out=$("$BIN" -c "$T/bad.conf" config check --json 2>/dev/null)
rc=$?
expect_eq "config check --json of a file with wrong lines exits 2" "$rc" 2
expect_eq "... printing its path and each mistake" "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["path"] == sys.argv[1], len(d["errors"]), d["errors"][1])' "$T/bad.conf" 2>&1)" \
	"True 2 config '$T/bad.conf' line 3: unknown key 'bogus' in [kasparro]"
out=$("$BIN" -c "$T/nowhere.conf" config check --json 2>/dev/null)
expect_eq "... and of a file that does not open, its one error" "$(printf '%s' "$out" | python3 -c '
import json, sys
print(json.load(sys.stdin)["errors"])' 2>&1)" \
	"[\"unable to open config '$T/nowhere.conf': No such file or directory\"]"

# -c without its FILE says so, as a command's option without its value does
# (before: the usage alone)
out=$("$BIN" -c 2>&1)
rc=$?
expect_eq "-c without a file exits 2" "$rc" 2
expect_match "... saying the option needs a value" "$out" "^kasparro: option '-c' needs a value\$"

# help for a console-only command, in a shell: says where it works (its
# usage reads 'kasparro screen', which a shell refuses), and help --json
# names it too (before: an empty list)
out=$("$BIN" help screen 2>&1)
expect_match "help screen in a shell says it works only inside the console" "$out" \
	"^works only inside the console: on its ':' line \(':screen'\) and in key bindings\$"
expect_eq "help --json screen lists it, console_only" "$("$BIN" help --json screen | python3 -c '
import json, sys
print([(c["name"], c["console_only"]) for c in json.load(sys.stdin)])' 2>&1)" "[('screen', True)]"
expect_eq "help --json in a shell lists no console-only command" "$("$BIN" help --json | python3 -c '
import json, sys
print(sum(c["console_only"] for c in json.load(sys.stdin)))' 2>&1)" 0

# A .env that is a folder (a mount or a checkout gone wrong) was skipped
# without a word, its keys missing from every command.
mkdir -p "$T/wd/.env"
out=$(cd "$T/wd" && "$BIN" -c "$T/ok.conf" config check 2>&1)
rc=$?
expect_eq "a .env that is a folder: exit 2" "$rc" 2
expect_match "... saying it cannot read it, and why" "$out" \
	"^kasparro: unable to read '.env': Is a directory\$"
