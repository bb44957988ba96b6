# A NUL byte in a file kasparro reads as text is refused with the file, the
# line and the column (exit 2), never read as the end of the line: in the
# configuration, a value after which a NUL stood was cut there without a
# word ("path = /data/x\0.csv" read as /data/x, and `config check` said the
# file was valid); in .env, a variable's value the same; in [http]
# key_file, a key on a comment's line after a NUL was not read at all.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
printf 'id,title\n1,a\n' >"$T/x.csv"
printf '[schema]\ntitle = text\n[source s]\nkind = csv\nid = id\npath = x\000.csv\n' >"$CONF"
printf '[scheduler]\nenabled = false\n' >>"$CONF"

out=$(kas config check 2>&1)
expect_eq "config check on a NUL byte in a value exits 2" "$?" 2
expect_eq "... naming the file, the line and the column" "$out" \
	"kasparro: config '$CONF' line 6 column 9: a NUL byte (is the file UTF-16? kasparro reads UTF-8): the line is not read"
out=$(kas run 2>&1)
expect_eq "run refuses the file (exit 2)" "$?" 2
expect_match "... saying why" "$out" "line 6 column 9: a NUL byte"
expect_eq "... and reads nothing" "$(sql "SELECT count(*) FROM kasparro.records" 2>/dev/null || echo 0)" 0

# a key, a section header, a comment: every line with one is said, not only the first
printf '[schema]\ntitle = te\000xt\n[sour\000ce s]\n# a note\000\n' >"$CONF"
out=$(kas config check 2>&1)
expect_eq "NUL bytes on three lines: exit 2" "$?" 2
expect_eq "... each line named" "$(printf '%s\n' "$out" | sed -n "s/^kasparro: config '[^']*'//p")" \
	" line 2 column 11: a NUL byte (is the file UTF-16? kasparro reads UTF-8): the line is not read
 line 3 column 6: a NUL byte (is the file UTF-16? kasparro reads UTF-8): the line is not read
 line 4 column 9: a NUL byte (is the file UTF-16? kasparro reads UTF-8): the line is not read
: 3 wrong lines"

# .env, read from the working folder by every command
printf '[schema]\ntitle = text\n[source s]\nkind = csv\nid = id\npath = x.csv\n' >"$CONF"
mkdir "$T/envdir"
printf 'KASPARRO_SOME = ab\000cd\n' >"$T/envdir/.env"
out=$(cd "$T/envdir" && kas config check 2>&1)
expect_eq "a NUL byte in .env: exit 2" "$?" 2
expect_match "... naming the file, the line and the column" "$out" \
	"'.env' line 1 column 19: a NUL byte \(the file is read as text\)"

# [http] key_file: a key on a comment's line after a NUL byte went unread
unset KASPARRO_HTTP_LISTEN
KEY=0123456789abcdef0123456789abcdef
printf '# reporting keys\000reports viewer sha256:%s\n' \
	"$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" >"$T/keys"
printf '[scheduler]\nenabled = false\n[http]\nlisten = 127.0.0.1:0\nkey_file = keys\n' >>"$CONF"
kas db migrate >/dev/null 2>&1
out=$(timeout "$(slow 30)" "$BIN" -c "$CONF" daemon 2>&1)
expect_eq "a NUL byte in the key file: the daemon refuses to start (exit 2)" "$?" 2
expect_match "... naming the file, the line and the column" "$out" \
	"key file '.*/keys' line 1 column 17: a NUL byte \(the file is read as text\)"
