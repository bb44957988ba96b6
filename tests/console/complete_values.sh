# Tab on the ':' line completes values it offered nothing for, decided as
# the shell decides them (src/cmd/completion.c): a key table for bind,
# unbind and keys --screen; audit --object's types ("run:" without a space
# after it) and then the ids the screens show; --limit's "all", after
# --limit= too; file names for a FILE value; an argument after an option
# and its value (the console took it for the option's value or the first
# argument); nothing past a command's last argument (show-run offered a
# second run).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/complete.sh"
new_db
console_fixture run

CONSOLE_COLS=120 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'

offers 'keys --screen ' \
	'^ *audit +deleted +entities +global +log +pager +record +review +runs +schedule +sources *$' \
	"keys --screen offers the key tables"
completes 'bind -s rev' 'bind -s review' "bind -s completes a screen's table"
completes 'unbind --screen=pa' 'unbind --screen=pager' "... after --screen= too"
offers 'audit --object ' \
	'^ *candidate: +decision: +entities +entity: +record: +run: +schedule +source: *$' \
	"audit --object offers the object types"
completes 'audit --object ru' 'audit --object run:' "... a type with ids completes with its ':'" 0
completes 'audit --object run:' 'audit --object run:1' "... and then the runs the Runs screen shows"
completes 'audit --object source:b' 'audit --object source:books' "... or a source's name"
completes 'runs --limit ' 'runs --limit all' "--limit offers all"
completes 'deleted --limit=a' 'deleted --limit=all' "... after --limit= too"
completes "export records -o $T/fx/bo" "export records -o $T/fx/books.csv" \
	"a FILE value completes a file name"
completes "export records -o $T/f" "export records -o $T/fx/" "... a directory with its '/'" 0
completes 'export --format csv r' 'export --format csv records' \
	"a subcommand after an option and its value"
completes 'show-run --json ' 'show-run --json 1' "a run after an option"
nothing 'show-run 1 ' "nothing past a command's last argument"
nothing 'retire -- --y' "the words after -- are arguments, not options"
console_stop
