# At 80 columns the Entities list gives an entity's key no more than half
# of the room it shares with the title: a long key (a slug of up to 40
# bytes and its number) is cut in its middle, its number kept, and the
# title keeps as many cells. The key used to take 40 cells, the title what
# was left. At 120 columns the key is whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
long='Comprehensive Investigations Contemporary Infrastructure'
printf 'id,title,author\n1,%s,Ann\n2,Short,Bob\n' "$long" >"$T/fx/books.csv"
kas run >/dev/null 2>&1 || not_ok "run 1 loads the fixture"
key=$(sql "SELECT key FROM kasparro.entities WHERE title LIKE 'Comprehensive%'")
[ "${#key}" -gt 36 ] && ok "the long title's key is long: $key (${#key})" || not_ok "a long key" "$key"
console_start
wait_screen "the console is up" '^ +1 succeeded' 30
send 4
wait_screen "80x24: the Entities list" '^ *ID KEY +RECORDS TITLE' 30
head=$(screen_value '/^ *ID KEY /p')
at=$(printf '%s\n' "$head" | awk '{ print index($0, "TITLE") }')
keyw=$(($(printf '%s\n' "$head" | awk '{ print index($0, "RECORDS") }') - $(printf '%s\n' "$head" | awk '{ print index($0, "KEY") }')))
[ "$keyw" -le 36 ] && ok "the key takes $keyw cells, no more than half" || not_ok "the key takes $keyw cells" "$head"
[ $((80 - at + 1)) -ge 33 ] && ok "the title keeps $((80 - at + 1)) cells" || not_ok "the title keeps $((80 - at + 1)) cells" "$(screen)"
wait_screen "the long key is cut in its middle, its number kept" '^ +[0-9]+ comprehensive-[a-z-]*…[a-z-]*-001 +1 Comprehensive'
console_stop
CONSOLE_COLS=120 CONSOLE_ROWS=30
console_start
wait_screen "the console is up at 120 columns" '^ +1 succeeded' 30
send 4
wait_screen "120x30: the key whole" "^ +[0-9]+ $key +1 Comprehensive"
send q
wait_screen "q quits" 'console exited 0'
