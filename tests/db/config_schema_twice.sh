# A field named again in a second [schema] section is a mistake of its own
# line, which `config check` names with the first field's line, besides the
# section's repeated header; the field used to be added twice, unsaid.
. "$KASPARRO_TOP/tests/lib/lib.sh"
cat >"$T/k.conf" <<'CONF'
[schema]
title = text
price = number
[source shop]
kind = csv
path = shop.csv
id = title
[schema]
title = text
author = text
CONF
out=$("$BIN" -c "$T/k.conf" config check 2>&1)
expect_eq "config check refuses the file (exit 2)" "$?" 2
expect_eq "... naming the repeated header and the repeated field, each by its line" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*'//p")" \
	" line 8: [schema] is declared twice (first on line 1); one section each
 line 9: field 'title' is declared twice in [schema] (first on line 2); each field once
: 2 wrong lines"
