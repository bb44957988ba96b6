# Windows-1252 has no character for five bytes (0x81, 0x8D, 0x8F, 0x90,
# 0x9D), and a row holding one is unreadable. Most often such a byte is
# part of a UTF-8 character ("Á" is 0xC3 0x81, "、" 0xE3 0x80 0x81): the
# file is UTF-8, and the row's reason says so, naming the character, the
# column and encoding = utf-8. It used to suggest latin-1, which reads the
# character no better, and the warning said windows-1252 read it as '?'.
# A byte that is no part of a UTF-8 character still suggests latin-1.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
printf '[schema]\ntitle = text\nnote = text\n[source mixed]\nkind = csv\npath = mixed.csv\nid = id\n' >"$CONF"
printf 'encoding = windows-1252\nerror_ratio = 1\n[matching]\nenabled = false\n' >>"$CONF"
printf 'id,title,note\n1,\223Caf\351\224,plain\n2,\303\201gua,x\n3,a,b\343\200\201c\n4,a\201b,y\n' >"$T/mixed.csv"
q() { sql "SELECT reason FROM kasparro.quarantine WHERE location = 'line $1 ($T/mixed.csv)'"; }
out=$(kas run 2>&1)
expect_eq "a UTF-8 character holding 0x81: the row's reason names it and says utf-8" "$(q 3)" \
	"'Á' in column 'title' is a UTF-8 character, whose byte 0x81 windows-1252 has no character for (is the file UTF-8? then set encoding = utf-8 in [source mixed])"
expect_eq "... a three-byte one too, its lead two bytes before" "$(q 4)" \
	"'、' in column 'note' is a UTF-8 character, whose byte 0x81 windows-1252 has no character for (is the file UTF-8? then set encoding = utf-8 in [source mixed])"
expect_eq "a byte of no UTF-8 character: latin-1 is still the hint" "$(q 5)" \
	"byte 0x81 in column 'title' is no windows-1252 character (is the file latin-1? then set encoding = latin-1)"
expect_match "the warning says windows-1252 cannot read the character, not that it reads it as '?'" \
	"$out" "line 3, column 'title': 'Á' is a UTF-8 character, which windows-1252 cannot read \(it has no character for byte 0x81\) \(is the file UTF-8\? then set encoding = utf-8 in \[source mixed\]\)"
expect_eq "the readable row loads" "$(sql "SELECT title FROM kasparro.records")" "“Café”"

printf 'id,\303\235ear,note\n1,a,b\n' >"$T/mixed.csv"
out=$(kas run 2>&1)
expect_match "a header's UTF-8 name fails the read, saying so" "$out" \
	"'$T/mixed.csv' line 1, the header: 'Ý' in column 2 is a UTF-8 character, whose byte 0x9D windows-1252 has no character for \(is the file UTF-8\? then set encoding = utf-8 in \[source mixed\]\)"

printf 'id,title,note\n2,\303\201gua,x\n3,a,b\343\200\201c\n' >"$T/mixed.csv"
sed -i 's/^encoding = windows-1252$/encoding = utf-8/' "$CONF"
kas run >/dev/null 2>&1
expect_eq "with the hint followed, the rows read" \
	"$(sql "SELECT string_agg(title || ' ' || note, '; ' ORDER BY source_id) FROM kasparro.records WHERE source_id <> '1'")" \
	"Água x; a b、c"
