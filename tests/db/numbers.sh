# Numbers as a source writes them: format.FIELD gives an example of the
# notation (1.234,56 or $1,234.56), values with currencies, signs and
# thousands separators load as numbers, and a value that breaks the
# declared notation is quarantined naming the field and the format. (The
# semicolons of de.csv are found in the file: it sets no delimiter.)
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[kasparro]
error_ratio = 0.5
[schema]
name = text
price = number
stock = integer
[source de]
kind = csv
path = de.csv
id = id
map.name = name
map.preis = price
map.bestand = stock
format.price = 1.234,56 €
format.stock = 1.234.567
[source us]
kind = csv
path = us.csv
id = id
map.name = name
map.price = price
format.price = $1,234.56
[matching]
enabled = false
CONF
cat >"$T/de.csv" <<'CSV'
id;name;preis;bestand
1;Lampe;1.299,00 €;1.250
2;Tisch;EUR 89,5;12
3;Stuhl;-4,25;
4;Regal;1,299.00;3
CSV
cat >"$T/us.csv" <<'CSV'
id,name,price
1,Lamp,$399.00
2,Desk,"$1,234,567.25"
3,Chair,(12.50)
4,Shelf,call us
CSV
expect_exit "number formats check clean" 0 kas config check
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "de's file, with no delimiter set, is read as semicolon-separated" "$out" \
	"source 'de': '[^']*de.csv' is read as semicolon-separated \\(its first line; delimiter = in \\[source de\\] sets one\\)"
expect_match "de: three records load, one is quarantined" "$out" "de +succeeded +4 +3 +0 +0 +1"
expect_match "us: three records load, one is quarantined" "$out" "us +succeeded +4 +3 +0 +0 +1"
expect_eq "decimal commas, thousands points and euros are numbers" \
	"$(sql "SELECT string_agg(source_id || '=' || price || '/' || coalesce(stock::text, '-'), ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'de'")" \
	"1=1299/1250 2=89.5/12 3=-4.25/-"
expect_eq "dollars, thousands commas and accounting negatives are numbers" \
	"$(sql "SELECT string_agg(source_id || '=' || price, ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'us'")" \
	"1=399 2=1234567.25 3=-12.5"
q=$(kas quarantine --json)
expect_match "a value in the other notation is quarantined with field and reason" "$q" \
	'"source_id":"4","field":"price","reason":"field '"'"'price'"'"': '"'"'1,299.00'"'"' is not a number written like '"'"'1.234,56 €'"'"'"'
expect_match "text where a number belongs too" "$q" \
	'"field":"price","reason":"field '"'"'price'"'"': '"'"'call us'"'"' is not a number written like '"'"'\$1,234.56'"'"'"'

sed -i 's/^format.price = 1.234,56 €/format.price = 1,299/' "$CONF"
expect_match "an ambiguous example is refused with its line" "$(kas config check 2>&1)" \
	"line 14: source 'de': format.price: the example '1,299' could group thousands or start a fraction"
