# Folders are layers and arrows point down (docs/architecture.md): no file
# includes the header of a layer above its own, the faces (console, daemon)
# do not include each other, and only src/tui/ includes curses or readline.
# A header belongs to the folder that defines most of the functions it
# declares (read from the built objects); a header that declares none
# belongs to the one folder whose files include it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
cd "$TOP" || exit 1

RANKS="core=0 db=1 dedup=2 etl=3 sched=4 cmd=5 host=6 http=7 tui=8 daemon=8 main=9"

for o in "$KASPARRO_BUILD"/src/*/*.o; do
	nm --defined-only "$o" | awk -v d="$(basename "$(dirname "$o")")" '$2 ~ /^[TDBR]$/ {print $3, d}'
done | sort -u >"$T/symbols"
[ -s "$T/symbols" ] || not_ok "the built objects list their symbols" "no objects in $KASPARRO_BUILD/src"

header_layer() {
	grep -oE '\b[a-z][a-z0-9_]*\(' "include/kasparro/$1.h" | tr -d '(' | sort -u |
		join - "$T/symbols" | cut -d' ' -f2 | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}'
}
for h in include/kasparro/*.h; do
	name=$(basename "$h" .h)
	layer=$(header_layer "$name")
	if [ -z "$layer" ]; then
		layer=$(grep -l "#include \"kasparro/$name.h\"" src/*/*.c | cut -d/ -f2 | sort -u)
		[ "$(echo "$layer" | wc -l)" -eq 1 ] || layer=""
	fi
	echo "$name ${layer:-unknown}"
done >"$T/headers"
expect_eq "every header belongs to one layer" "$(grep ' unknown$' "$T/headers")" ""

# every include, in one pass (a process per include is minutes on a busy machine)
grep -H '^#include "kasparro/[a-z0-9_]*\.h"' src/*.c src/*/*.c src/*/*.h include/kasparro/*.h |
	awk -v headers="$T/headers" -v ranks="$RANKS" '
	BEGIN {
		while ((getline l < headers) > 0) { split(l, a, " "); layer[a[1]] = a[2] }
		n = split(ranks, rs, " ")
		for (i = 1; i <= n; i++) { split(rs[i], kv, "="); rank[kv[1]] = kv[2] }
	}
	{
		f = $0; sub(/:.*/, "", f)
		h = $0; sub(/^[^"]*"kasparro\//, "", h); sub(/\.h".*/, "", h)
		if (f == "src/main.c") from = "main"
		else if (f ~ /^include\//) { b = f; sub(/^include\/kasparro\//, "", b); sub(/\.h$/, "", b); from = layer[b] }
		else { split(f, p, "/"); from = p[2] }
		to = layer[h]
		if (!(from in rank) || !(to in rank) || rank[to] > rank[from] ||
		    (rank[to] == rank[from] && from != to))
			printf "%s (%s) includes %s.h (%s)\n", f, from, h, to
	}' >"$T/up"
expect_eq "no include points up a layer (or across between faces)" "$(cat "$T/up")" ""

expect_eq "only src/tui/ includes curses or readline" \
	"$(grep -lE '#include <(n?curses|readline/)' src/*.c src/*/*.[ch] include/kasparro/*.h | grep -v '^src/tui/')" ""
