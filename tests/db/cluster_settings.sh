# kasparro's settings block in its private cluster's postgresql.conf: JIT
# off in a new cluster, and in one an older kasparro made (its block has no
# end line) from its next start; lines outside the block stay as they are,
# ALTER SYSTEM overrides a managed value, an edit inside the block is
# written over at the next start, and a running server's file is not touched.
. "$KASPARRO_TOP/tests/lib/lib.sh"
unset KASPARRO_DATABASE_URL
export KASPARRO_PGDATA="$T/pg"
at_exit '"$BIN" db stop >/dev/null 2>&1'
conf="$KASPARRO_PGDATA/postgresql.conf"
show() { psql -XAtq -h "$KASPARRO_PGDATA" -U kasparro -d kasparro -c "SHOW $1"; }
# the file without what this kasparro's block adds to an older one's
without_managed() { grep -v -e '^# kasparro: written again' -e '^jit = ' -e '^# kasparro: end' "$1"; }

check "kasparro creates and starts its cluster" kas db start
expect_eq "JIT compilation is off" "$(show jit)" off
expect_match "the block ends with an end line" "$(tail -n 1 "$conf")" "^# kasparro: end of its settings$"
before=$(cksum <"$conf")
check "db start on the running cluster succeeds" kas db start
expect_eq "... and does not rewrite the file" "$(cksum <"$conf")" "$before"

# what an older kasparro wrote: its block without the managed lines and the
# end line, the last lines of the file, and an operator's line after it
check "db stop" kas db stop
without_managed "$conf" >"$T/old.conf"
echo "work_mem = '7MB'" >>"$T/old.conf"
cat "$T/old.conf" >"$conf"
check "a cluster made by an older kasparro starts" kas db start
expect_eq "... with JIT off" "$(show jit)" off
expect_eq "the operator's line after the block still counts" "$(show work_mem)" 7MB
expect_eq "... and is still the file's last line" "$(tail -n 1 "$conf")" "work_mem = '7MB'"
expect_eq "the rest of the file is as it was" "$(without_managed "$conf" | cksum)" \
	"$(cksum <"$T/old.conf")"
expect_eq "the file still belongs to the server's account" "$(stat -c %U "$conf")" \
	"$(stat -c %U "$KASPARRO_PGDATA/PG_VERSION")"

psql -XAtq -h "$KASPARRO_PGDATA" -U kasparro -d kasparro -c "ALTER SYSTEM SET jit = on" >/dev/null
check "db stop" kas db stop
check "db start" kas db start
expect_eq "ALTER SYSTEM overrides the block's JIT" "$(show jit)" on
psql -XAtq -h "$KASPARRO_PGDATA" -U kasparro -d kasparro -c "ALTER SYSTEM RESET jit" >/dev/null
check "db stop" kas db stop
sed -i "s/^jit = off$/jit = on/" "$conf"
check "the block's jit line edited by hand" grep -q "^jit = on$" "$conf"
check "db start" kas db start
expect_eq "an edit inside the block is written over at the next start" "$(show jit)" off
check "db stop" kas db stop
