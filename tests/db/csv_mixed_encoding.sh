# A CSV file said to be latin-1 or windows-1252 that holds valid multi-byte
# UTF-8 ("é" as 0xC3 0xA9) is warned of once per read, naming the file, the
# first such line and column, the character and what it loads as, and the
# setting that would read it; a pure latin-1 file is not warned of, and the
# bytes of a UTF-8 sequence are not taken for latin-1's control characters.
# Before, each such character loaded as two or three others ("Ã©") without a
# word, and a UTF-8 quotation mark was said to be a windows-1252 byte.
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
source_conf() { # source_conf ENCODING
	printf '[schema]\ntitle = text\nnote = text\n[source mixed]\nkind = csv\npath = mixed.csv\n'
	printf 'id = id\nencoding = %s\n' "$1"
}
source_conf latin-1 >"$CONF"
printf 'id,title,note\n1,Caf\351,plain\n2,Bj\366rn,x\n3,Na\357ve,cr\303\250me br\303\273l\303\251e\n4,\303\251,y\n' \
	>"$T/mixed.csv"
out=$(kas fetch mixed 2>&1 >/dev/null)
expect_match "latin-1 holding UTF-8: a warning names the file, line, column, character and setting" \
	"$out" "'$T/mixed.csv' line 4, column 'note': 'è' is a UTF-8 character, which latin-1 reads as 'Ã¨' \(is the file UTF-8\? then set encoding = utf-8 in \[source mixed\]\)"
expect_eq "... once per read" "$(printf '%s\n' "$out" | grep -c 'is a UTF-8 character')" 1
expect_match "... at warn level" "$out" '"level":"warn"'

new_db
out=$(kas run 2>&1)
expect_match "a run warns likewise, the warning carrying the run and the source" "$out" \
	'"level":"warn","run":1,"source":"mixed","msg":"source .mixed.: .*line 4, column .note.: .è. is a UTF-8 character'

source_conf windows-1252 >"$CONF"
out=$(kas fetch mixed 2>&1 >/dev/null)
expect_match "windows-1252 holding UTF-8: warned of as well" "$out" \
	"line 4, column 'note': 'è' is a UTF-8 character, which windows-1252 reads as 'Ã¨'"

# A UTF-8 quotation mark's bytes (0xE2 0x80 0x9C) hold latin-1 control bytes:
# they are UTF-8's, not a sign of windows-1252.
source_conf latin-1 >"$CONF"
printf 'id,title,note\n1,\342\200\234Quoted\342\200\235,x\n' >"$T/mixed.csv"
out=$(kas fetch mixed 2>&1 >/dev/null)
expect_match "a UTF-8 quotation mark: named as UTF-8" "$out" \
	"line 2, column 'title': '“' is a UTF-8 character, which latin-1 reads as"
expect_no_match "... not as a windows-1252 byte" "$out" "control character in latin-1"

# The header is the first line read: a UTF-8 name is named by its column.
printf 'id,Pr\303\251nom,note\n1,Jean,x\n' >"$T/mixed.csv"
out=$(kas fetch mixed 2>&1 >/dev/null)
expect_match "a UTF-8 header name: its line and column number" "$out" \
	"'$T/mixed.csv' line 1, column 2: 'é' is a UTF-8 character"

# Pure latin-1, accents next to ASCII and to each other: no warning.
printf 'id,title,note\n1,Caf\351,\351\350\n2,\300 la carte,na\357ve\n' >"$T/mixed.csv"
out=$(kas fetch mixed 2>&1)
expect_no_match "pure latin-1: no warning" "$out" "UTF-8 character|warn"
expect_match "... and read as latin-1" "$out" '"title":"À la carte"'
