# At 80 columns the Review headline keeps what the model has learnt, and
# when, whole: the full line ("model: learnt 0 of 1 labelled pairs,
# 2026-12-07T14:55:03Z") is some 100 cells and was cut inside it; a
# narrow pane gets the short one. At 120 columns the full line stays.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_queued # the sample with thresholds that leave a queue to review
cand=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending'")
check "a pair is approved from a shell" kas approve "$cand"

console_start
wait_screen "the console is up" '^ connected'
send 3
wait_screen "at 80 columns the headline says what the model learnt, and when, whole" \
	'^Review · [0-9,]+ pending · most uncertain first · model: 0/1 labels, [0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$'
resize 120 24
wait_screen "at 120 the full line" \
	'^Review · [0-9,]+ pending · most uncertain first · model: learnt 0 of 1 labelled pairs, [0-9-]+T[0-9:]+Z$'
resize 80 24
send o
wait_screen "o orders by score, the short line saying so" \
	'^Review · [0-9,]+ pending · highest score first · model: 0/1 labels, '
send q
wait_screen "q quits" 'console exited 0'
