# Every KASPARRO_* variable the program reads is in kasparro(1)'s
# ENVIRONMENT, and the examples of the COMMANDS section say what kasparro
# says: a variable nobody can find (KASPARRO_SHARE, which picks the default
# configuration) or an example that differs from the real message sends a
# first-time user looking in the source.
. "$KASPARRO_TOP/tests/lib/lib.sh"

page="$TOP/man/kasparro.1"
envsec=$(sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$page")
vars=$(grep -rhoE '"KASPARRO_[A-Z_]+"' "$TOP/src" | tr -d '"' | sort -u)
[ -n "$vars" ] || not_ok "the sources read KASPARRO_* variables"
for v in $vars; do
	if printf '%s\n' "$envsec" | grep -Eq "^\.It Ev .*\\b$v\\b"; then
		ok "$v is in kasparro(1) ENVIRONMENT"
	else
		not_ok "$v is in kasparro(1) ENVIRONMENT" "no '.It Ev $v' entry"
	fi
done

# the ambiguous prefix the COMMANDS section shows, with the list kasparro gives
ex=$(sed -n 's/^\.Pq Ql kasparro \([a-z-]*\) : \(.*\) \.$/\1|\2/p' "$page" | head -n 1)
prefix=${ex%%|*} listed=${ex#*|}
[ -n "$ex" ] || not_ok "kasparro(1) shows an ambiguous prefix"
out=$("$BIN" "$prefix" 2>&1)
expect_match "kasparro(1)'s 'kasparro $prefix' lists what kasparro lists" "$out" \
	"^kasparro: ambiguous command '$prefix', could be: $listed\$"
