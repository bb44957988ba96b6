# A section header without its ']' ("[schema") is named as such, with its
# file and line, and the keys under it, up to the next header, are not read:
# never taken for the previous section's. Before, the header was "not a
# 'key = value' line" and each key under it an unknown (or repeated) key of
# the section above.
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[kasparro]
log_level = info
[schema
title = text
log_level = debug
[schema]
title = text
[source shop]
kind = csv
path = shop.csv
id = id
CONF
out=$(kas config check 2>&1)
expect_eq "config check on an unclosed header exits 2" "$?" 2
expect_eq "... naming the header alone: its keys are said to be passed over, not misplaced" \
	"$out" \
	"kasparro: config '$CONF' line 3: section header '[schema' has no closing ']': the keys under it are not read"

out=$(timeout 60 "$BIN" -c "$CONF" run 2>&1)
expect_eq "run refuses the file (exit 2)" "$?" 2
expect_match "... naming the header" "$out" "line 3: section header '\[schema' has no closing '\]'"

# The section after it is read as usual: its own mistakes are still said.
sed -i 's/^kind = csv$/kind = cvs/' "$CONF"
out=$(kas config check 2>&1)
expect_match "the next section's keys are read again" "$out" \
	"line 9: key 'kind': 'cvs'"
