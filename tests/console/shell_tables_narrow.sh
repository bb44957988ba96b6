# At 80 columns in a shell `runs` and `sources` are tables: optional
# columns leave (who started a run, what did not change, a source's
# checkpoint, location and kind) and the error is cut with "…", where they
# came a row at a time. `decisions` gives what was decided the cells before
# its reason ("candidate 90…" at 80 columns), `audit` at 100 leaves out
# DECISION before its reason and change are cut to 12 cells each, and a row
# at a time on a narrow terminal hangs a long value's lines under the value
# instead of letting the terminal wrap it to the first column. Piped and
# with --json, every cell is whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_held # run 2 held the partner's deletions: a run with an error
approve_first 'the same study: the partner reordered the words of its title'
error=$(kas runs --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["error"])')

out=$(shell_output 80 sources)
expect_match "at 80 columns sources is a table" "$out" \
	'^SOURCE +SYNC +ON +RECORDS +DELETED +RUN +STATUS +DRIFT +ERROR$'
expect_match "... the held run's error cut with '…', the counts and the run whole" "$out" \
	'^partner-feed +full +yes +71 +0 +2 +partial +[0-9]+ +deletions h[^…]*…$'
expect_no_match "... not a row at a time" "$out" '^LOCATION +'
expect_eq "... its lines as wide as the terminal, no wider" "$(widest "$out")" 80
out=$(shell_output 120 sources)
expect_match "at 120 columns the kind and the location are back, the location cut" "$out" \
	'^partner-feed +csv +full +yes +/[^ ]*… +71 +0 +2 +partial '

out=$(shell_output 80 runs)
expect_match "at 80 columns runs is a table" "$out" \
	'^RUN +STATUS +STARTED \(UTC\) +FETCHED +NEW +BAD +DELETED +ERROR$'
expect_match "... the run's error cut with '…', its counts whole, its deletions held" "$out" \
	'^ *2 +partial +[0-9-]+ [0-9:]+ +23 +0 +0 +held 48 +partner-feed: [^…]*…$'
expect_match "... a run without an error" "$out" '^ *1 +succeeded +[0-9-]+ [0-9:]+ +296 +289 +7 +0 +-$'
expect_no_match "... not a row at a time" "$out" '^ERROR +'
expect_eq "... its lines as wide as the terminal, no wider" "$(widest "$out")" 80

out=$(shell_output 80 decisions)
expect_match "at 80 columns decisions leaves out UNDONE BY" "$out" \
	'^ *ID +AT \(UTC\) +ACTOR +ACTION +WHAT +REASON$'
expect_match "... what was decided shows its records, the reason yields" "$out" \
	"^ *1 +[0-9-]+ [0-9:]+ +[^ ]+ +approve +candidate $pair: [a-z]+-[^…]*… +the same …\$"

out=$(shell_output 100 audit)
expect_match "at 100 columns audit leaves out DECISION, keeps REASON and CHANGE" "$out" \
	'^ID +AT \(UTC\) +ACTOR +ACTION +TYPE +OBJECT +REASON +CHANGE$'
expect_match "... the reason readable" "$out" "candidate +$pair +the same study"

# A row at a time on a terminal 40 cells wide: the error's lines hang under it.
shell_output 40 runs >/dev/null
raw=$(tm capture-pane -p -S - | sed '/^console exited/,$d')
expect_match "at 40 columns runs is a row at a time, the error on its title's line" "$raw" \
	'^ERROR {10}partner-feed: '
expect_match "... its next lines under the value" "$raw" '^ {15}[^ ]'
expect_eq "... none wrapped to the first column" \
	"$(printf '%s\n' "$raw" | grep -Ev '^([A-Z][A-Z ()]*[A-Z)] {2,}[^ ].*| {15}[^ ].*|)$')" ""
shown=$(printf '%s\n' "$raw" | awk '/^ERROR / { on = 1; sub(/^ERROR +/, ""); print; next }
	on && /^               [^ ]/ { print; next } { on = 0 }' | sed -n '1,/discard-deletes/p' | tr -d ' \n')
expect_eq "... the whole error" "$shown" "$(printf %s "$error" | tr -d ' \n')"

# Not a terminal: nothing is cut.
expect_match "written to a pipe, audit keeps DECISION and the whole reason" "$(kas audit)" \
	"candidate +$pair +- +1 +the same study: the partner reordered the words of its title +"

out=$(kas runs)
expect_match "written to a pipe, runs has every column" "$out" \
	'^RUN +STATUS +TRIGGER +ACTOR +STARTED \(UTC\) +SECONDS +FETCHED +NEW +UPDATED +SAME +BAD +DELETED +MERGED +QUEUED +ERROR$'
expect_no_match "... and the whole error" "$out" '…'
expect_match "... to its end" "$out" "'kasparro discard-deletes 2'\$"
expect_match "written to a pipe, sources has its locations whole" "$(kas sources)" \
	'^partner-feed +csv +full +yes +/.*/sample/partner\.csv +'
out=$(shell_output 80 runs --json)
expect_match "with --json on a terminal, the error is whole" "$out" "discard-deletes 2'\""
