# What a first-time user trips on, said as what it is: a configuration path
# that names a folder (KASPARRO_CONFIG=/etc/kasparro, -c with a folder
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
