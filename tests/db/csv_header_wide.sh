# A CSV header of 100,000 columns is checked for a name said twice in one
# pass (a hash map of the names), so reading such a file starts at once:
# `fetch` of its first record ends well inside the bound, and a name said
# twice at the far end is still named with both its columns. Before, every
# pair of names was compared: 5 billion comparisons, over a minute.
. "$KASPARRO_TOP/tests/lib/lib.sh"

wide_csv() { # wide_csv FILE LAST_NAME: 100,000 columns, the last one named LAST_NAME
	python3 - "$1" "$2" <<'PY'
import sys
n = 100000
names = ["id"] + ["c%06d" % i for i in range(1, n - 1)] + [sys.argv[2]]
with open(sys.argv[1], "w") as f:
    f.write(",".join(names) + "\n" + ",".join(str(i) for i in range(n)) + "\n")
PY
}
CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text
[source wide]
kind = csv
path = wide.csv
id = id
map.c000001 = title
CONF
bound=$(slow 20)

wide_csv "$T/wide.csv" c099999
out=$(timeout "$bound" "$BIN" -c "$CONF" fetch --limit 1 wide 2>&1)
expect_eq "fetch of a 100,000-column file ends within ${bound}s" "$?" 0
expect_match "... with its record" "$out" "c000001"

wide_csv "$T/wide.csv" c000001
out=$(timeout "$bound" "$BIN" -c "$CONF" fetch --limit 1 wide 2>&1)
expect_eq "a name said twice at the far end: refused within ${bound}s" "$?" 1
expect_match "... naming both its columns" "$out" \
	"line 1, the header, names 'c000001' twice \(columns 2 and 100000\)"
