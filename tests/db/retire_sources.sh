# What `sources NAME` says of a retired source whose records the purge has
# not removed yet: it said "no live record left" and nothing of how to get
# them back; it names 'restore --retired NAME' and how many records the
# retire deleted now (a record a read deleted is not counted: restore
# --retired does not bring it back).
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/without-b.conf"
CONF="$T/without-b.conf"
check "retire --yes b" kas retire --yes b

out=$(kas sources b 2>&1)
expect_match "sources b names the restore and the count" "$out" \
	"^source b · removed from the configuration; no live record left: 'kasparro restore --retired b' brings back its 2 retired records$"
expect_match "... its records as before" "$out" '^  records +0 live, 2 deleted$'
expect_eq "sources --json b: its row, configured false and no live record (GET /sources/b is 410)" \
	"$(kas sources --json b | python3 -c 'import json, sys; r = json.load(sys.stdin)[0]; print(r["configured"], r["records"])')" "False 0"

# one restored by id: b has a live record again, and retire names it
b1=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'b1'")
check "restore b1" kas restore "$b1"
expect_match "sources b: 1 live, retire named as before" "$(kas sources b 2>&1)" \
	"^source b · removed from the configuration: 'kasparro retire b' soft-deletes its 1 live record$"
check "retire --yes b again" kas retire --yes b
expect_match "... retired again: 2 to bring back" "$(kas sources b 2>&1)" \
	"'kasparro restore --retired b' brings back its 2 retired records$"

# records a read deleted (not retired) are not what restore --retired brings back
sql "UPDATE kasparro.records SET deleted_by_run = 1 WHERE source = 'b'" >/dev/null
expect_match "deleted by a run, not retired: no restore --retired named" "$(kas sources b 2>&1)" \
	"^source b · removed from the configuration; no live record left$"
