# Blocking derived from the data on a small set whose every record shares
# some words (here the three words of one email domain): such words weigh
# nothing, and once counted each record once per word as a neighbour,
# overrunning the list of neighbours (a heap overflow, then a crash). The
# run must match the pairs the other words tell apart.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

for s in a b; do
	{
		echo "id,name,email"
		seq 1 30 | awk -v s=$s '{ printf "%s%d,name%d %s,user%d@mail.example.org\n", s, $1, $1, s, $1 }'
	} >"$T/$s.csv"
done
CONF="$T/k.conf"
{
	printf '[schema]\nname = text\nemail = text\n'
	for s in a b; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.name = name\nmap.email = email\n' $s $s
	done
} >"$CONF"
out=$(kas run 2>&1)
expect_eq "the run succeeds" "$?" 0
expect_match "and matches each user's two records" "$out" \
	"matching: 60 records, [0-9]+ pairs compared, 30 merged automatically"
same=0
for i in $(seq 1 30); do [ -n "$(entity_of a$i)" ] && [ "$(entity_of a$i)" = "$(entity_of b$i)" ] && same=$((same + 1)); done
expect_eq "a<i> and b<i> are one entity for every i" "$same" 30
