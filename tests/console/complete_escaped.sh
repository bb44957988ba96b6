# Tab on the ':' line with the cursor right after an escaped blank, or
# inside an open quote, completes the word the blank belongs to (the
# console took "my\ " for a finished word and completed a new one after
# it, and an open quote for no line at all), and what it adds is quoted as
# the line reads it back: a name with a blank, completed from "m", came
# back unescaped and made two words.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/complete.sh"
new_db
console_fixture run
mkdir -p "$T/fx/d"
: >"$T/fx/d/my file.csv"

CONSOLE_COLS=160 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'

completes_text "export records -o $T/fx/d/my\\ " "export records -o $T/fx/d/my\\ file.csv" \
	"a cursor after an escaped blank completes that word"
completes_text "export records -o $T/fx/d/m" "export records -o $T/fx/d/my\\ file.csv" \
	"a name with a blank goes on the line escaped"
completes_text "export records -o \"$T/fx/d/my " "export records -o \"$T/fx/d/my file.csv\"" \
	"a cursor inside an open quote completes that word and closes the quote" 0
console_stop
