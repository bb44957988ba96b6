# The Review list marks an automatic merge listed to confirm as `queue`
# does, its probability ending in '=': the records are one entity already,
# approving keeps them so. The list showed it as any other pair.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
auto_pairs_fixture
c1=$(sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec a1), $(pair_rec b1)) AND rec_b = greatest($(pair_rec a1), $(pair_rec b1))")
# listed as the review budget's room lists one (dedup/budget.c): pending, still merged
sql "UPDATE kasparro.match_candidates SET status = 'pending', to_confirm = true WHERE id = $c1" >/dev/null
key=$(sql "SELECT e.key FROM kasparro.entities e JOIN kasparro.entity_members m ON m.entity_id = e.id AND m.live WHERE m.record_id = $(pair_rec a2)")
check "split b2 from a2's entity: a second pair waits, not merged" kas split "$key" "$(pair_rec b2)"
expect_match "queue marks it with '='" "$(kas queue)" "^ *$c1 +[^ ]+= "
console_start
wait_screen "the console is up" '^ +1 succeeded' 30
send 3
wait_screen "the Review list marks it with '=' too" "^ *$c1 +[^ ]+= " 30
wait_screen "... and not the other pair" "^ *[0-9]+ +[>0-9.]+[0-9] +a: A History" 10
send q
wait_screen "q quits" 'console exited 0'
