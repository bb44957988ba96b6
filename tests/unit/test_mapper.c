/*
 * test_mapper.c — from source items to rows: coercion of every declared
 * type, required fields, ids, nested JSON paths, drift reports with their
 * guesses, and the content hash that decides whether a record is written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kasparro/jdoc.h"
#include "kasparro/jsonpath.h"
#include "kasparro/loader_batch.h"
#include "kasparro/mapper.h"
#include "kasparro/numfmt.h"

static const char *coerce(enum field_type type, const char *in, const char *format)
{
    static struct buf out;
    static char why[256];

    if (mapper_coerce(type, in, strlen(in), format, &out, why, sizeof why) < 0) {
        snprintf(why + strlen(why), sizeof why - strlen(why), "%s", "");
        return why;
    }
    return out.data;
}

static void test_coerce_types(void **state)
{
    (void)state;
    assert_string_equal(coerce(FT_INTEGER, " 42 ", NULL), "42");
    assert_string_equal(coerce(FT_INTEGER, "12.0", NULL), "12");
    assert_string_equal(coerce(FT_INTEGER, "12.5", NULL), "'12.5' is not an integer");
    assert_string_equal(coerce(FT_NUMBER, "2.5", NULL), "2.5");
    assert_string_equal(coerce(FT_NUMBER, "abc", NULL), "'abc' is not a number");
    assert_string_equal(coerce(FT_BOOLEAN, "Yes", NULL), "true");
    assert_string_equal(coerce(FT_BOOLEAN, "0", NULL), "false");
    assert_string_equal(coerce(FT_TIMESTAMP, "2026-11-28T12:30:00+02:00", NULL),
                        "2026-11-28T10:30:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "2026-11-28", NULL), "2026-11-28T00:00:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "2026-11-28 10:00:00.25Z", NULL),
                        "2026-11-28T10:00:00.250000Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "1700000000", NULL), "2023-11-14T22:13:20Z");
    /* a year or a month alone is its first day, not 2,003 epoch seconds */
    assert_string_equal(coerce(FT_TIMESTAMP, "2003", NULL), "2003-01-01T00:00:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "2003-05", NULL), "2003-05-01T00:00:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "2003-13", NULL),
                        "'2003-13' is not a timestamp (ISO 8601, epoch seconds or milliseconds)");
    assert_string_equal(coerce(FT_TIMESTAMP, "Sat, 28 Nov 2026 10:00:00 +0100", NULL),
                        "2026-11-28T09:00:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "28.11.2026 10:05", "%d.%m.%Y %H:%M"),
                        "2026-11-28T10:05:00Z");
    assert_string_equal(coerce(FT_TIMESTAMP, "2026-11-28", "%d.%m.%Y %H:%M"),
                        "'2026-11-28' is not a timestamp in the format '%d.%m.%Y %H:%M'");
    assert_string_equal(coerce(FT_TIMESTAMP, "yesterday", NULL),
                        "'yesterday' is not a timestamp (ISO 8601, epoch seconds or milliseconds)");
    assert_string_equal(coerce(FT_URL, "https://example.org/a?b=1", NULL),
                        "https://example.org/a?b=1");
    assert_string_equal(coerce(FT_URL, "ftp://example.org/", NULL),
                        "'ftp://example.org/' is not an absolute http(s) URL");
    assert_string_equal(coerce(FT_URL, "example.org/page", NULL),
                        "'example.org/page' is not an absolute http(s) URL");
    assert_string_equal(coerce(FT_TEXT, "  kept as is ", NULL), "  kept as is ");
    /* what sources write that a plain reading gets wrong */
#define NOT_A_TIMESTAMP " is not a timestamp (ISO 8601, epoch seconds or milliseconds)"
#define OUT_OF_RANGE " is not a timestamp within the years 1 to 9999 (UTC)"
    static const struct { enum field_type type; const char *in, *want; } quirks[] = {
        /* PostgreSQL's own text form, and ISO 8601 offsets without minutes */
        {FT_TIMESTAMP, "2026-11-28 10:00:00+00", "2026-11-28T10:00:00Z"},
        {FT_TIMESTAMP, "2026-11-28T10:00:00.5-03", "2026-11-28T13:00:00.500000Z"},
        {FT_TIMESTAMP, "2026-11-28T10:00:00+05:", "'2026-11-28T10:00:00+05:'" NOT_A_TIMESTAMP},
        /* ISO 8601's basic format: eight digits are a day, never 1970's epoch */
        {FT_TIMESTAMP, "20261128", "2026-11-28T00:00:00Z"},
        {FT_TIMESTAMP, "20261340", "'20261340'" NOT_A_TIMESTAMP},
        /* the hour alone, as ISO 8601 allows */
        {FT_TIMESTAMP, "2026-11-28T10", "2026-11-28T10:00:00Z"},
        {FT_TIMESTAMP, "2026-11-28T10+02", "2026-11-28T08:00:00Z"},
        {FT_TIMESTAMP, "2026-11-28T25", "'2026-11-28T25'" NOT_A_TIMESTAMP},
        /* thirteen digits are epoch milliseconds; eleven or twelve could be
         * seconds or milliseconds, and are refused */
        {FT_TIMESTAMP, "1795860000123", "2026-11-28T10:00:00.123000Z"},
        {FT_TIMESTAMP, "1795860000", "2026-11-28T10:00:00Z"},
        {FT_TIMESTAMP, "176432400012", "'176432400012'" NOT_A_TIMESTAMP},
        {FT_TIMESTAMP, "9764324000123", "'9764324000123'" NOT_A_TIMESTAMP},
        /* C's hexadecimal, "nan" and "inf" are no number a source means */
        {FT_NUMBER, "0x10", "'0x10' is not a number"},
        {FT_NUMBER, "nan", "'nan' is not a number"},
        {FT_NUMBER, "1e3", "1000"},
        {FT_TIMESTAMP, "0x5F5E100", "'0x5F5E100'" NOT_A_TIMESTAMP},
        {FT_TIMESTAMP, "nan", "'nan'" NOT_A_TIMESTAMP},
        /* the year always in four digits: "1-01-01" is 2001 to PostgreSQL */
        {FT_TIMESTAMP, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
        {FT_TIMESTAMP, "0999-06-15", "0999-06-15T00:00:00Z"},
        /* microseconds exact at the far end, where a double holds 30 */
        {FT_TIMESTAMP, "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"},
        {FT_TIMESTAMP, "9999-12-31T23:59:59.000001Z", "9999-12-31T23:59:59.000001Z"},
        {FT_TIMESTAMP, "2024-12-31T23:59:59.9999994Z", "2024-12-31T23:59:59.999999Z"},
        {FT_TIMESTAMP, "2024-12-31T23:59:59.9999996Z", "2025-01-01T00:00:00Z"},
        {FT_TIMESTAMP, "2024-06-01T10:00:00,5+02:00", "2024-06-01T08:00:00.500000Z"},
        /* before 1970 the fraction still counts forward from the second */
        {FT_TIMESTAMP, "1969-12-31T23:59:59.25Z", "1969-12-31T23:59:59.250000Z"},
        {FT_TIMESTAMP, "1900-02-28T23:00:00-02:00", "1900-03-01T01:00:00Z"},
        {FT_TIMESTAMP, "2000-02-29T12:00:00.000001Z", "2000-02-29T12:00:00.000001Z"},
        {FT_TIMESTAMP, "-1", "'-1'" NOT_A_TIMESTAMP},
        /* outside the years 1 to 9999 (UTC) no four digits write it */
        {FT_TIMESTAMP, "0000-06-15", "'0000-06-15'" OUT_OF_RANGE},
        {FT_TIMESTAMP, "0001-01-01T00:30:00+01:00", "'0001-01-01T00:30:00+01:00'" OUT_OF_RANGE},
        {FT_TIMESTAMP, "9999-12-31T23:00:00-02:00", "'9999-12-31T23:00:00-02:00'" OUT_OF_RANGE},
        {FT_TIMESTAMP, "9999-12-31T23:59:59.9999996Z", "'9999-12-31T23:59:59.9999996Z'" OUT_OF_RANGE},
    };
    for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
        assert_string_equal(coerce(quirks[i].type, quirks[i].in, NULL), quirks[i].want);
#undef NOT_A_TIMESTAMP
#undef OUT_OF_RANGE
    assert_string_equal(coerce(FT_TIMESTAMP, "0000-01-01", "%Y-%m-%d"),
                        "'0000-01-01' is not a timestamp within the years 1 to 9999 (UTC)");
}

/* format.FIELD for numbers: an example showing the separators; values may
 * add a currency and a sign and leave out the thousands separator. */
static void test_number_formats(void **state)
{
    (void)state;
    assert_string_equal(coerce(FT_NUMBER, "1.299,00 €", "1.234,56"), "1299");
    assert_string_equal(coerce(FT_NUMBER, "€1.299,5", "1.234,56"), "1299.5");
    assert_string_equal(coerce(FT_NUMBER, "EUR 1299,25", "1.234,56"), "1299.25");
    assert_string_equal(coerce(FT_NUMBER, "-1.299,00", "1.234,56"), "-1299");
    assert_string_equal(coerce(FT_NUMBER, "1.299,00-", "1.234,56"), "-1299");
    assert_string_equal(coerce(FT_NUMBER, "(1.299,00 €)", "1.234,56"), "-1299");
    assert_string_equal(coerce(FT_NUMBER, "1.234.567", "1.234,56"), "1234567");
    assert_string_equal(coerce(FT_NUMBER, "1,299.00", "1.234,56"),
                        "'1,299.00' is not a number written like '1.234,56'");
    assert_string_equal(coerce(FT_NUMBER, "12.34", "1.234,56"),
                        "'12.34' is not a number written like '1.234,56'");
    assert_string_equal(coerce(FT_NUMBER, "1.2345,00", "1.234,56"),
                        "'1.2345,00' is not a number written like '1.234,56'");
    assert_string_equal(coerce(FT_NUMBER, "$399.00", "$1,234.56"), "399");
    assert_string_equal(coerce(FT_NUMBER, "$1,234,567.5", "1,234.56"), "1234567.5");
    assert_string_equal(coerce(FT_NUMBER, "US$ 5", "1,234.56"), "5");
    assert_string_equal(coerce(FT_NUMBER, "+5", "1,234.56"), "5");
    assert_string_equal(coerce(FT_NUMBER, "1 234.00", "1,234.56"),
                        "'1 234.00' is not a number written like '1,234.56'");
    assert_string_equal(coerce(FT_NUMBER, "+-5", "1,234.56"),
                        "'+-5' is not a number written like '1,234.56'");
    assert_string_equal(coerce(FT_NUMBER, "5 %", "1,234.56"),
                        "'5 %' is not a number written like '1,234.56'");
    assert_string_equal(coerce(FT_NUMBER, "1e5", "1,234.56"),
                        "'1e5' is not a number written like '1,234.56'");
    assert_string_equal(coerce(FT_NUMBER, "call us", "1,234.56"),
                        "'call us' is not a number written like '1,234.56'");
    assert_string_equal(coerce(FT_NUMBER, "USDT 5", "1,234.56"),
                        "'USDT 5' is not a number written like '1,234.56'");
    /* blanks of every width group thousands; ’ like ' */
    assert_string_equal(coerce(FT_NUMBER, "1\u00a0234,75", "1 234,56"), "1234.75");
    assert_string_equal(coerce(FT_NUMBER, "1\u202f234,25 kr", "1 234,56"), "1234.25");
    assert_string_equal(coerce(FT_NUMBER, "1 234.5", "1 234,56"),
                        "'1 234.5' is not a number written like '1 234,56'");
    assert_string_equal(coerce(FT_NUMBER, "CHF 1\u2019250.50", "1'234.56"), "1250.5");
    /* an example without a fraction: either mark that is not the grouping */
    assert_string_equal(coerce(FT_NUMBER, "1 234,5", "1 234"), "1234.5");
    assert_string_equal(coerce(FT_NUMBER, "1 234.5", "1 234"), "1234.5");
    assert_string_equal(coerce(FT_NUMBER, "1234,5", "1234,5"), "1234.5");
    assert_string_equal(coerce(FT_INTEGER, "12,345", "1,234,567"), "12345");
    assert_string_equal(coerce(FT_INTEGER, "12,345.00", "1,234,567"), "12345");
    assert_string_equal(coerce(FT_INTEGER, "12,345.5", "1,234,567"),
                        "'12,345.5' is not an integer written like '1,234,567'");
    /* without a format, nothing changes: a plain number or nothing */
    assert_string_equal(coerce(FT_NUMBER, "$399.00", NULL), "'$399.00' is not a number");

    struct numfmt fmt;
    char why[256];
    assert_int_equal(numfmt_compile("1,234", &fmt, why, sizeof why), -1);
    assert_non_null(strstr(why, "the example '1,234' could group thousands or start a fraction"));
    assert_int_equal(numfmt_compile("1.23.4", &fmt, why, sizeof why), -1);
    assert_non_null(strstr(why, "does not group digits by three"));
    assert_int_equal(numfmt_compile("1,234 56", &fmt, why, sizeof why), -1);
    assert_non_null(strstr(why, "does not end in a decimal point or comma"));
    assert_int_equal(numfmt_compile("euros", &fmt, why, sizeof why), -1);
    assert_non_null(strstr(why, "is not a number"));
    assert_int_equal(numfmt_compile("1234,567", &fmt, why, sizeof why), 0);
    assert_int_equal(fmt.decimal, ',');
}

static struct config *config_from(const char *text)
{
    char path[] = "/tmp/kasparro-map-XXXXXX";
    int fd = mkstemp(path);
    struct err err = {0};

    assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    struct config *cfg = config_load(path, &err);
    unlink(path);
    if (cfg == NULL)
        fail_msg("config: %s", err.msg);
    return cfg;
}

static struct jdoc *jparse(const char *text)
{
    char why[256];
    struct jdoc *d = jdoc_parse(text, strlen(text), why, sizeof why);
    if (d == NULL)
        fail_msg("%s", why);
    return d;
}

static const char *schema =
    "[schema]\ntitle = text, required\nauthor = text\npublished_at = timestamp\nviews = integer\n";

static void test_csv_row(void **state)
{
    char conf[1024];
    (void)state;
    snprintf(conf, sizeof conf, "%s[source s]\nkind = csv\npath = x.csv\nid = ID\n"
             "map.Title = title\nmap.auther = author\nmap.Date = published_at\n"
             "map.Views = views\nformat.published_at = %%d.%%m.%%Y\n", schema);
    struct config *cfg = config_from(conf);
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    const char *header[] = {"ID", "Title", "author", "Date", "Views", "Notes"};
    const char *cols[] = {" 7 ", "Café \"quoted\"", "Ann", "28.11.2026", "x", "n"};
    size_t lens[6];
    struct mapped row;
    struct reject why;

    for (int i = 0; i < 6; i++)
        lens[i] = strlen(cols[i]);
    struct src_item item = {.ncols = 6, .cols = cols, .col_lens = lens, .nheader = 6,
                            .header = header, .location = "line 2"};
    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    /* the id as the reader gave it: trimming is the CSV reader's, per `trim` */
    assert_string_equal(row.source_id.data, " 7 ");
    assert_string_equal(row.values[0], "Café \"quoted\"");
    assert_null(row.values[1]); /* 'auther' is not a column */
    assert_string_equal(row.values[2], "2026-11-28T00:00:00Z");
    assert_null(row.values[3]); /* 'x' is no integer: nulled, not rejected */
    assert_int_equal(mapper_nulled(m), 1);
    assert_non_null(strstr(row.payload.data, "\"Title\":\"Café \\\"quoted\\\"\""));
    char first_hash[33];
    memcpy(first_hash, row.hash_hex, 33);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_equal(row.hash_hex, first_hash); /* same input, same hash */
    cols[1] = "Cafe";
    lens[1] = 4;
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_not_equal(row.hash_hex, first_hash);

    cols[1] = "  ";
    lens[1] = 2;
    assert_int_equal(mapper_apply(m, &item, &row, &why), 1);
    assert_string_equal(why.reason, "missing required field 'title'");
    assert_string_equal(why.field, "title");
    cols[0] = "";
    lens[0] = 0;
    assert_int_equal(mapper_apply(m, &item, &row, &why), 1);
    assert_string_equal(why.reason, "empty id (field 'ID')");

    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'author' is in the data but not mapped"));
    assert_non_null(strstr(text, "it looks like 'auther'"));
    assert_non_null(strstr(text, "mapped field 'auther' was in no record"));
    assert_non_null(strstr(text, "field 'views': 3 values could not be read"));
    assert_non_null(strstr(text, "field 'Notes' is in the data but not mapped"));
    cJSON_free(text);
    cJSON_Delete(drift);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* A file whose header lacks the id column quarantines every row; nothing
 * was learnt of its other columns, so none is "in no record" (its header
 * has 'title'). */
static void test_no_id_claims_no_missing_field(void **state)
{
    char conf[1024];
    (void)state;
    snprintf(conf, sizeof conf, "%s[source f]\nkind = csv\npath = f.csv\nid = id\n"
             "map.title = title\n", schema);
    struct config *cfg = config_from(conf);
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    const char *header[] = {"code", "title"};
    const char *cols[] = {"1", "Heat"};
    size_t lens[] = {1, 4};
    struct src_item item = {.ncols = 2, .cols = cols, .col_lens = lens, .nheader = 2,
                            .header = header, .location = "line 2"};
    struct mapped row;
    struct reject why;

    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 1);
    assert_non_null(strstr(why.reason, "missing id (field 'id')"));
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_null(strstr(text, "was in no record"));
    assert_non_null(strstr(text, "field 'code' is in the data but not mapped (1 record, first at line 2)"));
    cJSON_free(text);
    cJSON_Delete(drift);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

static void test_json_item(void **state)
{
    char conf[1024];
    (void)state;
    snprintf(conf, sizeof conf, "%s[source api]\nkind = http_json\nurl = http://x/\nid = id\n"
             "map.title = title\nmap.author.name = author\nmap.published = published_at\n"
             "map.stats.views = views\n", schema);
    struct config *cfg = config_from(conf);
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    struct jdoc *rec = jparse("{\"id\": 12, \"title\": \"Hello\", \"author\": {\"name\": \"Ann\","
                              " \"handle\": \"@ann\"}, \"published\": 1700000000,"
                              " \"stats\": {\"views\": 3}, \"auhtor_bio\": \"x\"}");
    struct src_item item = {.json = jdoc_root(rec), .location = "page 1, record 1"};
    struct mapped row;
    struct reject why;

    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_equal(row.source_id.data, "12");
    assert_string_equal(row.values[0], "Hello");
    assert_string_equal(row.values[1], "Ann");
    assert_string_equal(row.values[2], "2023-11-14T22:13:20Z");
    assert_string_equal(row.values[3], "3");
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'author.handle' is in the data but not mapped"));
    assert_non_null(strstr(text, "field 'auhtor_bio' is in the data"));
    assert_null(strstr(text, "'author.name'")); /* mapped: no warning */
    cJSON_free(text);
    cJSON_Delete(drift);
    jdoc_free(rec);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* A key in another case than its map. line is read (no key matches
 * exactly), so it is no drift, nested too; where the record also has the
 * exact key, that one is read and the other is drift. */
static void test_json_key_in_any_case(void **state)
{
    char conf[1024];
    (void)state;
    snprintf(conf, sizeof conf, "%s[source api]\nkind = http_json\nurl = http://x/\nid = id\n"
             "map.title = title\nmap.author.name = author\n", schema);
    struct config *cfg = config_from(conf);
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    struct jdoc *one = jparse("{\"id\": 1, \"Title\": \"Hello\", \"AUTHOR\": {\"Name\": \"Ann\"}}");
    struct jdoc *two = jparse("{\"id\": 2, \"Title\": \"Hi\", \"title\": \"hi\"}");
    struct src_item a = {.json = jdoc_root(one), .location = "page 1, record 1"};
    struct src_item b = {.json = jdoc_root(two), .location = "page 1, record 2"};
    struct mapped row;
    struct reject why;

    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &a, &row, &why), 0);
    assert_string_equal(row.values[0], "Hello");
    assert_string_equal(row.values[1], "Ann");
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_null(strstr(text, "not mapped")); /* every key was read */
    cJSON_free(text);
    cJSON_Delete(drift);
    assert_int_equal(mapper_apply(m, &b, &row, &why), 0);
    assert_string_equal(row.values[0], "hi");
    drift = mapper_drift(m);
    text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'Title' is in the data but not mapped"));
    assert_non_null(strstr(text, "record 2"));
    cJSON_free(text);
    cJSON_Delete(drift);
    jdoc_free(one);
    jdoc_free(two);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* Keys and columns named like URLs (JSON-LD, ontology exports) map when
 * quoted; a dotted key nested in an object too, and the drift report names
 * unmapped ones in the same quoted spelling. */
static void test_quoted_fields(void **state)
{
    struct config *cfg = config_from(
        "[schema]\ntitle = text\nyear = integer\n"
        "[source c]\nkind = csv\npath = x.csv\nid = id\n"
        "map.\"https://x.org/onto/title\" = title\nmap.\"http://dbpedia.org/ontology/year\" = year\n"
        "[source j]\nkind = http_json\nurl = http://x/\nid = \"@id\"\n"
        "map.\"https://x.org/onto/title\" = title\nmap.meta.\"v.2\".year = year\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    const char *header[] = {"id", "https://x.org/onto/title", "http://dbpedia.org/ontology/year",
                            "https://x.org/onto/genre"};
    const char *cols[] = {"7", "Heat", "1995", "crime"};
    size_t lens[] = {1, 4, 4, 5};
    struct src_item item = {.ncols = 4, .cols = cols, .col_lens = lens, .nheader = 4,
                            .header = header, .location = "line 2"};
    struct mapped row;
    struct reject why;

    (void)state;
    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_equal(row.values[0], "Heat");
    assert_string_equal(row.values[1], "1995");
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'https://x.org/onto/genre' is in the data but not mapped"));
    assert_null(strstr(text, "was in no record"));
    cJSON_free(text);
    cJSON_Delete(drift);
    mapper_free(m);

    m = mapper_new(cfg, &cfg->sources[1]);
    struct jdoc *rec = jparse("{\"@id\": \"m1\", \"https://x.org/onto/title\": \"Heat\","
                              " \"meta\": {\"v.2\": {\"year\": 1995}, \"v.3\": 1}}");
    struct src_item json = {.json = jdoc_root(rec), .location = "page 1, record 1"};
    assert_int_equal(mapper_apply(m, &json, &row, &why), 0);
    assert_string_equal(row.source_id.data, "m1");
    assert_string_equal(row.values[0], "Heat");
    assert_string_equal(row.values[1], "1995");
    drift = mapper_drift(m);
    text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'meta.\\\"v.3\\\"' is in the data but not mapped"));
    assert_null(strstr(text, "onto/title")); /* mapped: no warning */
    cJSON_free(text);
    cJSON_Delete(drift);
    jdoc_free(rec);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

static void test_json_path_spellings(void **state)
{
    struct jdoc *doc = jparse("{\"a.b\": {\"c\": [10, 20]}, \"q\\\"k\": 1, \"a\": {\"b\": 2}}");
    const struct jval *root = jdoc_root(doc);
    char why[128];
    char *s;

    (void)state;
    assert_string_equal(jval_path(root, "\"a.b\".c.1", NULL)->str, "20");
    assert_string_equal(jval_path(root, "a.b", NULL)->str, "2");
    assert_string_equal(jval_path(root, "\"q\\\"k\"", NULL)->str, "1");
    assert_null(jval_path(root, "\"a.b", NULL)); /* malformed: nothing, not a guess */
    assert_string_equal(s = json_path_canon("\"a\".\"b c\".\"d.e\"", why, sizeof why), "a.b c.\"d.e\"");
    free(s);
    assert_string_equal(s = json_path_name("\"https://x.org/t\".\"a.b\""), "https://x.org/t.a.b");
    free(s);
    assert_null(json_path_canon("a..b", why, sizeof why));
    assert_string_equal(why, "a segment is empty");
    assert_null(json_path_canon("a.", why, sizeof why));
    assert_string_equal(why, "the path ends with a '.'");
    jdoc_free(doc);
}

/* A value that breaks its field's declared format quarantines the record,
 * optional field or not; a field without a format is nulled as before. */
static void test_format_misfit_quarantines(void **state)
{
    struct config *cfg = config_from(
        "[schema]\nname = text\nprice = number\nstock = integer\n[source s]\nkind = csv\n"
        "path = x\nid = id\nmap.name = name\nmap.price = price\nmap.stock = stock\n"
        "format.price = 1.234,56 €\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    const char *header[] = {"id", "name", "price", "stock"};
    const char *cols[] = {"1", "Lamp", "1.299,00 €", "n/a"};
    size_t lens[] = {1, 4, strlen(cols[2]), 3};
    struct src_item item = {.ncols = 4, .cols = cols, .col_lens = lens, .nheader = 4,
                            .header = header, .location = "line 2"};
    struct mapped row;
    struct reject why;

    (void)state;
    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_equal(row.values[1], "1299");
    assert_null(row.values[2]); /* no format: unreadable stock is nulled */
    cols[2] = "$1,299.00";
    lens[2] = strlen(cols[2]);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 1);
    assert_string_equal(why.field, "price");
    assert_string_equal(why.reason,
                        "field 'price': '$1,299.00' is not a number written like '1.234,56 €'");
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* Several map. lines for one field: a missing or blank value is passed
 * over, an unreadable one is the record's value (nulled and counted here,
 * an optional field), never replaced by a later column. */
static void test_coalesce_passes_over_blanks_only(void **state)
{
    struct config *cfg = config_from(
        "[schema]\nprice = number\n[source s]\nkind = http_json\nurl = http://x/\nid = id\n"
        "map.price_eur = price\nmap.price = price\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    /* a record, and the price it gets ("" for none) */
    static const char *const records[][2] = {
        {"{\"id\": 1, \"price_eur\": \" \", \"price\": 12}", "12"},
        {"{\"id\": 2, \"price_eur\": \"n/a\", \"price\": 12}", ""},
    };
    struct mapped row;
    struct reject why;

    (void)state;
    mapped_init(&row, cfg);
    for (size_t i = 0; i < ARRAY_SIZE(records); i++) {
        struct jdoc *d = jparse(records[i][0]);
        struct src_item item = {.json = jdoc_root(d), .location = "page 1"};
        assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
        assert_string_equal(row.values[0] ? row.values[0] : "", records[i][1]);
        jdoc_free(d);
    }
    assert_int_equal(mapper_nulled(m), 1);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

static void test_unreadable_item(void **state)
{
    struct config *cfg = config_from(
        "[schema]\nt = text\n[source s]\nkind = csv\npath = x\nid = id\nmap.t = t\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    struct src_item item = {.error = "3 fields, expected 4 as in the header",
                            .location = "line 9"};
    struct mapped row;
    struct reject why;

    (void)state;
    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 1);
    assert_string_equal(why.reason, "3 fields, expected 4 as in the header");
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* A JSON record is mapped exactly: ids and payloads keep the source's
 * digits, a string holding NUL or a lone surrogate is refused with the
 * reason (never cut short), a key given twice is not guessed at. */
static void test_json_exact(void **state)
{
    struct config *cfg = config_from(
        "[schema]\ntitle = text, required\nnote = text\nn = integer\n"
        "[source api]\nkind = http_json\nurl = http://x/\nid = id\n"
        "map.title = title\nmap.note = note\nmap.n = n\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    struct mapped row;
    struct reject why;
    struct {
        const char *text, *id, *reason;
    } cases[] = {
        {"{\"id\": 9007199254740992, \"title\": \"a\", \"n\": 9007199254740993}",
         "9007199254740992", NULL},
        {"{\"id\": 9007199254740993, \"title\": \"b\", \"x\": 1e400}", "9007199254740993",
         NULL},
        {"{\"id\": \"s1\", \"title\": \"x\\u0000y\"}", "s1",
         "field 'title': the string holds a NUL character (\\u0000), which a text column "
         "cannot store"},
        {"{\"id\": \"s2\", \"title\": \"\\ud800\"}", "s2",
         "field 'title': the string holds an escaped UTF-16 surrogate without its pair, which "
         "is no character"},
        {"{\"id\": \"s3\", \"title\": \"a\", \"title\": \"b\"}", "s3",
         "field 'title': the record holds 'title' twice"},
        {"{\"id\": \"a\\u0000b\", \"title\": \"t\"}", "",
         "unreadable id (field 'id'): the string holds a NUL character (\\u0000), which a text "
         "column cannot store"},
        {"{\"id\": \" a\", \"title\": \"t\"}", " a", NULL},
    };
    (void)state;

    mapped_init(&row, cfg);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct jdoc *d = jparse(cases[i].text);
        struct src_item item = {.json = jdoc_root(d), .location = "page 1, record 1"};
        int rc = mapper_apply(m, &item, &row, &why);
        assert_string_equal(row.source_id.data ? row.source_id.data : "", cases[i].id);
        if (cases[i].reason == NULL) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, 1);
            assert_string_equal(why.reason, cases[i].reason);
        }
        if (i == 0) {
            assert_string_equal(row.values[2], "9007199254740993");
            assert_string_equal(row.payload.data, "{\"id\":9007199254740992,\"title\":\"a\","
                                                  "\"n\":9007199254740993}");
        }
        if (i == 1)
            assert_string_equal(row.payload.data, "{\"id\":9007199254740993,\"title\":\"b\","
                                                  "\"x\":1e400}");
        jdoc_free(d);
    }
    /* an optional value that cannot be text is nulled and reported, not cut */
    struct jdoc *d = jparse("{\"id\": 1, \"title\": \"t\", \"note\": \"x\\u0000y\"}");
    struct src_item item = {.json = jdoc_root(d), .location = "page 1, record 8"};
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_null(row.values[1]);
    assert_string_equal(row.payload.data, "{\"id\":1,\"title\":\"t\",\"note\":\"x\\u0000y\"}");
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "NUL character"));
    cJSON_free(text);
    cJSON_Delete(drift);
    jdoc_free(d);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* A source without map. lines: each field reads the column or top-level key
 * of its own name, exactly first, else in any case; a CSV header, or the
 * JSON records read so far, with none of them stop the read with a message
 * naming what was expected. A JSON record without them is judged with the
 * ones after it. */
static void test_automatic_mapping(void **state)
{
    struct config *cfg = config_from(
        "[schema]\ntitle = text\nyear = integer\nnote = text\n"
        "[source c]\nkind = csv\npath = x.csv\nid = id\n"
        "[source j]\nkind = http_json\nurl = http://x/\nid = id\n");
    struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
    const char *header[] = {"ID", "Title", "YEAR", "genre"};
    const char *cols[] = {"7", "Heat", "1995", "crime"};
    size_t lens[] = {1, 4, 4, 5};
    struct src_item item = {.ncols = 4, .cols = cols, .col_lens = lens, .nheader = 4,
                            .header = header, .location = "line 2"};
    struct mapped row;
    struct reject why;

    (void)state;
    mapped_init(&row, cfg);
    assert_int_equal(mapper_apply(m, &item, &row, &why), 0);
    assert_string_equal(row.values[0], "Heat");
    assert_string_equal(row.values[1], "1995");
    assert_null(row.values[2]);
    cJSON *drift = mapper_drift(m);
    char *text = cJSON_PrintUnformatted(drift);
    assert_non_null(strstr(text, "field 'genre' is in the data but not mapped"));
    assert_null(strstr(text, "was in no record")); /* a source lacks some fields */
    cJSON_free(text);
    cJSON_Delete(drift);
    mapper_free(m);

    m = mapper_new(cfg, &cfg->sources[1]);
    struct jdoc *d = jparse("{\"id\": 1, \"Title\": \"b\", \"title\": \"a\", \"NOTE\": \"n\","
                            " \"Year\": 1, \"YEAR\": 2, \"titel\": 3}");
    struct src_item json = {.json = jdoc_root(d), .location = "page 1, record 1"};
    assert_int_equal(mapper_apply(m, &json, &row, &why), 0);
    assert_string_equal(row.values[0], "a"); /* the exact name wins */
    assert_null(row.values[1]);              /* two cases, never exact: unreadable */
    assert_string_equal(row.values[2], "n");
    drift = mapper_drift(m);
    text = cJSON_PrintUnformatted(drift);
    assert_null(strstr(text, "'NOTE'"));
    assert_null(strstr(text, "'Title'"));
    assert_non_null(strstr(text, "the record holds 'year' twice"));
    cJSON_free(text);
    cJSON_Delete(drift);
    jdoc_free(d);
    mapper_free(m);

    m = mapper_new(cfg, &cfg->sources[1]);
    d = jparse("{\"id\": 1, \"name\": \"x\", \"when\": 2}");
    json.json = jdoc_root(d);
    assert_int_equal(mapper_apply(m, &json, &row, &why), 0);
    assert_int_equal(mapper_unmapped(m), -1);
    char *refused = mapper_refusal(m, "nothing was loaded");
    assert_string_equal(refused, "no map. lines, so each field of [schema] reads the key "
                        "of its own name, but the one record of http://x/ (page 1, record 1) "
                        "has none of them: expected 'title', 'year' or 'note' (in any case); it "
                        "has 'id', 'name', 'when'; nothing was loaded: map the source's own "
                        "names with map.KEY = FIELD lines in [source j]");
    free(refused);
    mapper_free(m);

    /* {"id": 1} first, a record with a field after it: no refusal */
    m = mapper_new(cfg, &cfg->sources[1]);
    assert_int_equal(mapper_apply(m, &json, &row, &why), 0);
    assert_int_equal(mapper_unmapped(m), -1);
    struct jdoc *d2 = jparse("{\"id\": 2, \"year\": 2001}");
    struct src_item second = {.json = jdoc_root(d2), .location = "page 1, record 2"};
    assert_int_equal(mapper_apply(m, &second, &row, &why), 0);
    assert_string_equal(row.values[1], "2001");
    assert_int_equal(mapper_unmapped(m), 0);
    jdoc_free(d2);
    jdoc_free(d);
    mapper_free(m);

    /* a CSV header names every line's columns: refused at once */
    m = mapper_new(cfg, &cfg->sources[0]);
    const char *other[] = {"ID", "Name", "When", "genre"};
    item.header = other;
    assert_int_equal(mapper_apply(m, &item, &row, &why), -1);
    refused = mapper_refusal(m, "nothing was loaded");
    assert_non_null(strstr(refused, "x.csv has none of them: expected 'title', 'year' or "
                                    "'note' (in any case); it has 'ID', 'Name', 'When', "
                                    "'genre'; nothing was loaded: map the source's own names "
                                    "with map.COLUMN = FIELD lines in [source"));
    free(refused);
    mapped_free(&row, cfg);
    mapper_free(m);
    config_free(cfg);
}

/* A fresh load COPYs timestamps in binary: the text coerce writes, as
 * microseconds since 2000-01-01 UTC, must be what PostgreSQL reads from
 * that text (the values below are its own: extract(epoch ...)); any other
 * text is refused, and its batch goes as text. */
static void test_timestamp_as_binary(void **state)
{
    static const struct {
        const char *in;
        long long usec;
    } ok[] = {
        {"2000-01-01T00:00:00Z", 0},
        {"1970-01-01", -946684800000000LL},
        {"1000-01-01T00:00:00Z", -31556908800000000LL},
        {"9999-12-31T23:59:59Z", 252455615999000000LL},
        {"2024-02-29T13:34:56.000001+01:00", 762525296000001LL},
        {"1899-12-31T23:59:59Z", -3155673601000000LL},
        {"1600-03-01T00:00:00Z", -12617596800000000LL},
        {"0001-01-01T00:00:00Z", -63082281600000000LL},
        {"9999-12-31T23:59:59.999999Z", 252455615999999999LL},
    };
    static const char *const refused[] = {
        "0000-01-01T00:00:00Z", "2023-02-29T00:00:00Z", "1-01-01T00:00:00Z", "1900-02-29T00:00:00Z",
        "12345-01-01T00:00:00Z", "2024-01-01T00:00:00+01:00", "2024-01-01 00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T00:00:00.5Z",
    };
    int64_t usec;
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        const char *text = coerce(FT_TIMESTAMP, ok[i].in, NULL);
        assert_true(loader_stamp_usec(text, strlen(text), &usec));
        assert_int_equal(usec, ok[i].usec);
    }
    for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
        assert_false(loader_stamp_usec(refused[i], strlen(refused[i]), &usec));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coerce_types),
        cmocka_unit_test(test_number_formats),
        cmocka_unit_test(test_csv_row),
        cmocka_unit_test(test_no_id_claims_no_missing_field),
        cmocka_unit_test(test_json_item),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_json_path_spellings),
        cmocka_unit_test(test_format_misfit_quarantines),
        cmocka_unit_test(test_coalesce_passes_over_blanks_only),
        cmocka_unit_test(test_unreadable_item),
        cmocka_unit_test(test_json_exact),
        cmocka_unit_test(test_json_key_in_any_case),
        cmocka_unit_test(test_automatic_mapping),
        cmocka_unit_test(test_timestamp_as_binary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
