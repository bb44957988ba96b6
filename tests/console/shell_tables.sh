# A table on a terminal is fitted to its width or shown a row at a time;
# it is never wrapped by the terminal across its columns. At 80 columns
# `quarantine` cut every reason to ten cells ("missing…") and still wrapped
# each row onto a second line; `runs` at 120 columns wrapped its 126 cells.
# (At 80 columns `runs` is a table now: shell_tables_narrow.sh.)
# The shell's command runs in a tmux pane of the width under test (the
# console harness, with a command instead of the console).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
csv_source_config shop-catalogue-export
{ title_rows 1 30; echo ',No id here'; echo '6,'; } >"$T/shop-catalogue-export.csv"
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"

out=$(shell_output 80 quarantine)
expect_match "at 80 columns quarantine shows each reason whole" "$out" \
	"^REASON +missing required field 'title'\$"
expect_match "... and the other's" "$out" "^REASON +empty id \(field 'id'\)\$"
expect_match "... a row at a time, each field on its own line" "$out" '^SOURCE +shop-catalogue-export$'
expect_no_match "... with no table header" "$out" '^ID +RUN +SOURCE'

out=$(shell_output 200 quarantine)
expect_match "at 200 columns it is a table, a line per row" "$out" \
	"^ID +RUN +SOURCE +WHERE +RECORD +FIELD +REASON +RAW +AT \(UTC\)\$"
expect_match "... the reason whole in its row" "$out" "^ *2 +1 +shop-catalogue-export +line 33 .*missing required field 'title' "

# Optional columns go one at a time, in the order declared, until the rest
# fits (the start written short first): at 104 columns TRIGGER and then
# ACTOR (whatever the user's name).
out=$(shell_output 104 runs)
expect_match "at 104 columns runs leaves out TRIGGER and ACTOR and fits" "$out" \
	'^RUN +STATUS +STARTED \(UTC\) +SECONDS +FETCHED +NEW +UPDATED +SAME +BAD +DELETED +MERGED +QUEUED +ERROR$'
expect_match "... its run on one line" "$out" '^ *1 +succeeded +[0-9-]+ [0-9:]+ +[0-9.]+ +32 +30 +0 +0 +2 +0 +- +- +-$'
out=$(shell_output 40 runs)
expect_match "at 40 columns runs is shown a row at a time" "$out" '^QUEUED +-$'
expect_match "... the columns a narrower terminal leaves out included" "$out" '^TRIGGER +manual$'

# Not a terminal: the whole table, whatever the terminal's width.
expect_match "written to a pipe it stays a table" "$(kas quarantine)" '^ID +RUN +SOURCE +WHERE'

