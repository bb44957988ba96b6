# A CSV header that names a column twice is refused before a record is
# read: the source's read fails once, naming the file, the header's line,
# the name and both columns, and saying how to mend it; nothing of it is
# loaded or quarantined, and the run's other sources load. The blanks
# around a name do not tell two apart. Names in two cases are two keys of
# the payload, and a mapping takes the exact one; a mapping that finds its
# name only in two other cases stops the read, naming both. Before, every
# record was quarantined with the same reason, or loaded with the key twice
# in its payload.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config shop
csv_source good
printf 'id,title\n1,Lamp\n2,Desk\n' >"$T/good.csv"
nothing_of_shop() {
	sql "SELECT (SELECT count(*) FROM kasparro.records WHERE source = 'shop') ||
		'/' || (SELECT count(*) FROM kasparro.quarantine WHERE source = 'shop')"
}

printf 'id,title,note,title\n1,Lamp,x,Lamp v2\n2,Desk,y,Desk v2\n' >"$T/shop.csv"
out=$(kas run 2>/dev/null)
expect_eq "a doubled mapped column: the run fails (exit 1, bad input)" "$?" 1
expect_eq "... its report names the file, the header's line, the name and both columns, once" \
	"$(printf '%s\n' "$out" | grep -cF "shop: '$T/shop.csv' line 1, the header, names 'title' twice (columns 2 and 4); rename or remove one of them")" \
	1
expect_no_match "... and quarantines nothing" "$out" "quarantined|line 2"
expect_match "... the source failed, the other one loaded" "$out" "good +succeeded +2 +2"
expect_match "... the source is failed" "$out" "shop +failed +0 +0"
expect_eq "... nothing of the source is loaded or quarantined" "$(nothing_of_shop)" "0/0"

# A doubled column no mapping reads makes the payload ambiguous all the same.
printf 'id,title,note,note\n1,Lamp,x,y\n' >"$T/shop.csv"
expect_match "a doubled unmapped column is refused too" "$(kas run shop 2>&1)" \
	"line 1, the header, names 'note' twice \(columns 3 and 4\)"
expect_eq "... nothing loaded" "$(nothing_of_shop)" "0/0"
out=$(kas fetch shop 2>&1)
expect_eq "fetch refuses it (exit 1)" "$?" 1
expect_match "... with the same message" "$out" "names 'note' twice \(columns 3 and 4\)"
expect_no_match "... and shows no payload" "$out" '"note"'

# Blanks around a quoted name; the header's line counts Excel's sep= line
# and blank lines, and a byte order mark is no line.
printf '\357\273\277sep=;\nid;title;" title "\n1;Lamp;x\n' >"$T/shop.csv"
expect_match "a name and the same with blanks, after a sep= line: line 2, both spellings" \
	"$(kas run shop 2>&1)" \
	"'$T/shop.csv' line 2, the header, names one column twice, as 'title' \(column 2\) and as ' title ' \(column 3\): the blanks around a name do not tell it apart; rename or remove one of them"
printf '\n\nid,title,note,note\n1,Lamp,x,y\n' >"$T/shop.csv"
expect_match "blank lines before the header: its own line" "$(kas run shop 2>&1)" \
	"line 3, the header, names 'note' twice \(columns 3 and 4\)"
expect_eq "... nothing loaded" "$(nothing_of_shop)" "0/0"

# Two cases: the exact name is the one mapped; without it, the read stops
# once at the header, naming both columns.
printf 'id,Title,TITLE\n1,Lamp,Lamp v2\n2,Desk,Desk v2\n' >"$T/shop.csv"
out=$(kas run shop 2>/dev/null)
expect_match "a mapped name only in two other cases stops the read, naming both columns" \
	"$out" "shop: the header of $T/shop.csv has no column 'title' but two in other cases, 'Title' \(column 2\) and 'TITLE' \(column 3\); nothing was loaded: rename one, or map the exact name in \[source shop\]"
expect_no_match "... once, not per record" "$out" "quarantined records|line 2"
expect_eq "... nothing loaded" "$(nothing_of_shop)" "0/0"
printf 'id,Title,title\n1,Lamp v2,Lamp\n' >"$T/shop.csv"
expect_match "with the exact name among them, it is the one read" "$(kas run shop 2>&1)" \
	"shop +succeeded +1 +1"
expect_eq "... the exact column's value" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'shop'")" "Lamp"

# A file without a header: the names columns = gives are held to the same,
# by the configuration's check (tests/db/config_columns_twice.sh).
sed -i 's/^path = shop.csv$/&\nheader = false\ncolumns = id, title, title/' "$CONF"
printf '2,Lamp,x\n' >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_eq "columns = naming one column twice: the configuration is refused (exit 2)" "$?" 2
expect_match "... naming the source, the names and the columns" "$out" \
	"source 'shop': 'columns =' names 'title' twice \(columns 2 and 3\)"
sed -i 's/^columns = id, title, title$/columns = id, title, note/' "$CONF"
expect_match "distinct names load" "$(kas run shop 2>&1)" "shop +[a-z]+ +1 +1 "
expect_eq "... by their names" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'shop' AND source_id = '2'")" "Lamp"
