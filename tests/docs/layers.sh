# Folders are layers and arrows point down (docs/architecture.md): no file
# includes the header of a layer above its own, the faces (console, daemon)
# do not include each other, and only src/tui/ includes curses or readline.
# A header belongs to the folder that defines most of the functions it
# declares (read from the built objects); a header that declares none
# belongs to the one folder whose files include it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
cd "$TOP" || exit 1

rank() {
	case $1 in
	core) echo 0 ;; db) echo 1 ;; dedup) echo 2 ;; etl) echo 3 ;; sched) echo 4 ;;
	cmd) echo 5 ;; host) echo 6 ;; http) echo 7 ;; tui | daemon) echo 8 ;; main) echo 9 ;;
	*) echo unknown ;;
	esac
}

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

: >"$T/up"
for f in src/*.c src/*/*.c src/*/*.h include/kasparro/*.h; do
	case $f in
	src/main.c) from=main ;;
	include/*) from=$(grep "^$(basename "$f" .h) " "$T/headers" | cut -d' ' -f2) ;;
	*) from=$(echo "$f" | cut -d/ -f2) ;;
	esac
	for h in $(sed -n 's/^#include "kasparro\/\([a-z0-9_]*\)\.h".*/\1/p' "$f"); do
		to=$(grep "^$h " "$T/headers" | cut -d' ' -f2)
		rf=$(rank "$from") rt=$(rank "$to")
		if [ "$rt" = unknown ] || [ "$rf" = unknown ] || [ "$rt" -gt "$rf" ] ||
			{ [ "$rt" -eq "$rf" ] && [ "$from" != "$to" ]; }; then
			echo "$f ($from) includes $h.h ($to)" >>"$T/up"
		fi
	done
done
expect_eq "no include points up a layer (or across between faces)" "$(cat "$T/up")" ""

expect_eq "only src/tui/ includes curses or readline" \
	"$(grep -lE '#include <(n?curses|readline/)' src/*.c src/*/*.[ch] include/kasparro/*.h | grep -v '^src/tui/')" ""
