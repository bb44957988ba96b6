/*
 * test_util.c — value parsers, buffers, JSON escaping, clock parsing, UTF-8
 * widths, DSN masking, command-line splitting and errors' SQLSTATE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/cmd.h"
#include "kasparro/db.h"
#include "kasparro/fold.h"
#include "kasparro/similar.h"
#include "kasparro/utf8.h"

static void test_durations_and_sizes(void **state)
{
    (void)state;
    assert_int_equal(parse_duration("90d"), 90 * 86400);
    assert_int_equal(parse_duration("15m"), 900);
    assert_int_equal(parse_duration("6h"), 21600);
    assert_int_equal(parse_duration("30"), 30);
    assert_int_equal(parse_duration("2w"), 14 * 86400);
    assert_int_equal(parse_duration("soon"), -1);
    assert_int_equal(parse_duration("-5m"), -1);
    assert_int_equal(parse_size("10M"), 10 * 1024 * 1024);
    assert_int_equal(parse_size("512k"), 512 * 1024);
    assert_int_equal(parse_size("1GB"), 1024LL * 1024 * 1024);
    assert_int_equal(parse_size("12"), 12);
    assert_int_equal(parse_size("3x"), -1);
    assert_int_equal(parse_bool("Yes"), 1);
    assert_int_equal(parse_bool("off"), 0);
    assert_int_equal(parse_bool("maybe"), -1);
}

static void test_json_escape(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    const char *in = "a\"b\\c\nd\x01" "é";
    buf_add_json_str(&b, in, strlen(in));
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001é\"");
    buf_free(&b);
}

static void test_clock_parse(void **state)
{
    double t;
    char out[32];
    (void)state;
    assert_int_equal(clock_parse("2026-11-28T10:00:00Z", &t), 0);
    assert_string_equal(clock_format(t, out, sizeof out), "2026-11-28T10:00:00Z");
    assert_int_equal(clock_parse("2026-11-28T12:00:00+02:00", &t), 0);
    assert_string_equal(clock_format(t, out, sizeof out), "2026-11-28T10:00:00Z");
    assert_int_equal(clock_parse("2024-02-29", &t), 0);
    assert_int_equal(clock_parse("2023-02-29", &t), -1);
    assert_int_equal(clock_parse("2026-13-01", &t), -1);
    assert_int_equal(clock_parse("yesterday", &t), -1);
}

static void test_utf8_width(void **state)
{
    char buf[64];
    (void)state;
    assert_int_equal(utf8_width("Zürich"), 6);
    assert_int_equal(utf8_width("東京"), 4);
    assert_int_equal(utf8_width("e\xcc\x81"), 1); /* e + combining acute */
    assert_int_equal(utf8_fit(buf, sizeof buf, "東京タワー", 5), 5);
    assert_string_equal(buf, "東京…");
    assert_int_equal(utf8_fit(buf, sizeof buf, "short", 10), 5);
    assert_string_equal(buf, "short");
}

/* Rows end between words (a word longer than half a row is cut); a value
 * under its label keeps its column on every row and every line. */
static void test_wrap(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    assert_int_equal(utf8_wrap("the quick brown fox", 12), 10); /* "the quick " */
    assert_int_equal(utf8_wrap("short", 12), 5);
    assert_int_equal(utf8_wrap("a https://example.org/very/long", 12), 12); /* cut */
    assert_int_equal(utf8_wrap("Zürich über alles", 8), 8); /* "Zürich " in cells */
    /* a wide character that would straddle the edge begins the next row */
    assert_int_equal(utf8_wrap("ab東京", 3), 2);
    assert_int_equal(utf8_wrap("東京", 1), 3); /* one character at least */
    assert_int_equal(utf8_wrap("e\xcc\x81x", 1), 3); /* an accent stays with its letter */

    buf_adds(&b, "  A: ");
    buf_add_indented(&b, "one two three four five six seven eight nine ten", 5, false, 30);
    assert_string_equal(buf_str(&b), "  A: one two three four five\n"
                                     "     six seven eight nine ten\n");
    buf_free(&b);
    buf_adds(&b, "  A: ");
    buf_add_indented(&b, "first line\nsecond", 5, false, 0);
    assert_string_equal(buf_str(&b), "  A: first line\n     second\n");
    buf_free(&b);
}

/* Search folding: case and accents go, in C and in the translate() table
 * PostgreSQL applies, which must say the same. */
static void test_fold(void **state)
{
    const char *from, *to;
    char *f;
    (void)state;
    assert_string_equal(f = fold_text("Ñúñez"), "nunez");
    free(f);
    assert_string_equal(f = fold_text("ñúñez"), "nunez");
    free(f);
    assert_string_equal(f = fold_text("MÜLLER Straße"), "muller straße"); /* ß stays one */
    free(f);
    assert_string_equal(f = fold_text("n\xcc\x83u"), "nu"); /* combining tilde dropped */
    free(f);
    assert_string_equal(f = fold_text("Ωμέγα Ёлка 東京"), "ωμεγα елка 東京");
    free(f);
    assert_true(fold_contains("Café de Flore", "cafe de"));
    assert_false(fold_contains("Cafe", "cafe de"));
    fold_sql(&from, &to);
    assert_non_null(strstr(from, "Ñ"));
    /* each character of `from` becomes what fold_text makes of it: the one
     * at the same place in `to`, or nothing past its end */
    const utf8proc_uint8_t *a = (const utf8proc_uint8_t *)from, *b = (const utf8proc_uint8_t *)to;
    size_t pairs = 0;
    while (*a) {
        utf8proc_int32_t ca, cb = -1;
        char one[8] = {0}, want[8] = {0};
        utf8proc_ssize_t na = utf8proc_iterate(a, -1, &ca);
        memcpy(one, a, (size_t)na);
        if (*b) {
            utf8proc_ssize_t nb = utf8proc_iterate(b, -1, &cb);
            memcpy(want, b, (size_t)nb);
            b += nb;
            pairs++;
        }
        f = fold_text(one);
        assert_string_equal(f, want);
        free(f);
        a += na;
    }
    assert_true(pairs > 500);
}

/* A needle narrows a trigram search when fold_trigrams() leaves three word
 * characters in a row, as pg_trgm sees them in a C-ctype database. */
static void test_search_narrows(void **state)
{
    (void)state;
    assert_true(db_search_narrows("muller"));
    assert_true(db_search_narrows("москва")); /* made ASCII letters */
    assert_true(db_search_narrows("ab1"));
    assert_true(db_search_narrows("ne\xcc\x83" "e")); /* a dropped mark joins them */
    assert_false(db_search_narrows("ab"));
    assert_false(db_search_narrows("a b c"));
    assert_false(db_search_narrows("50%"));
    assert_false(db_search_narrows("東京タワー")); /* kept: no word to pg_trgm */
    assert_false(db_search_narrows("東京ab"));
    assert_true(db_search_narrows("東京abc"));
    assert_false(db_search_narrows("a\xff\xfe" "b"));
}

/* The literals of kasparro.fold() and kasparro.fold_trigrams() in the SQL
 * that makes them ($t$...$t$: from, to, from, to), into lit[4]. */
static void fold_literals(const char *sql, char *lit[4])
{
    const char *p = sql;

    for (int i = 0; i < 4; i++) {
        const char *a = strstr(p, "$t$"), *b = a ? strstr(a + 3, "$t$") : NULL;
        assert_non_null(b);
        lit[i] = strndup(a + 3, (size_t)(b - a - 3));
        p = b + 3;
    }
    assert_null(strstr(p, "$t$"));
}

/* Searching an index of fold_trigrams(text) for fold_trigrams(needle) is
 * right only when folding folded text changes nothing (the needle is
 * folded in C, then again in SQL; a key is folded once) and when the
 * trigram table makes each character what fold() makes it, then ASCII. */
static void test_fold_sql_functions(void **state)
{
    char *sql = fold_sql_functions(), *lit[4];
    (void)state;
    assert_non_null(strstr(sql, "FUNCTION kasparro.fold(t text)"));
    assert_non_null(strstr(sql, "FUNCTION kasparro.fold_trigrams(t text)"));
    fold_literals(sql, lit);
    const utf8proc_uint8_t *from = (const utf8proc_uint8_t *)lit[2];
    const utf8proc_uint8_t *to = (const utf8proc_uint8_t *)lit[3];
    size_t n = 0;
    while (*from) {
        utf8proc_int32_t cf, ct;
        char one[8] = {0};
        utf8proc_ssize_t nf = utf8proc_iterate(from, -1, &cf);
        memcpy(one, from, (size_t)nf);
        from += nf;
        char *f = fold_text(one), *again = fold_text(f);
        assert_string_equal(again, f); /* idempotent */
        if (*to) {
            to += utf8proc_iterate(to, -1, &ct);
            assert_true(ct > 0 && ct < 0x80);
            /* an ASCII letter for a letter beyond it, else the same */
            if ((unsigned char)f[0] < 0x80)
                assert_int_equal(ct, f[0]);
            else
                assert_true(ct >= 'a' && ct <= 'z');
            n++;
        } else {
            assert_string_equal(f, ""); /* past the end of `to`: a mark, dropped */
        }
        free(again);
        free(f);
    }
    assert_true(n > 500);
    for (int i = 0; i < 4; i++)
        free(lit[i]);
    free(sql);
}

/* How far translate() walks `from` (PostgreSQL's loop: from its start to
 * the character, all of it for one it lacks) for each character of `text`,
 * on average. */
static size_t fold_walk(const char *from, const char *text)
{
    const utf8proc_uint8_t *t = (const utf8proc_uint8_t *)text;
    size_t steps = 0, chars = 0;

    while (*t) {
        utf8proc_int32_t ct, cf;
        const utf8proc_uint8_t *a = (const utf8proc_uint8_t *)from;
        t += utf8proc_iterate(t, -1, &ct);
        chars++;
        while (*a) {
            steps++;
            a += utf8proc_iterate(a, -1, &cf);
            if (cf == ct)
                break;
        }
    }
    return steps / chars;
}

/* translate() costs the place of each character in `from`: a search over
 * 400,000 titles took 21–28 s when the lower-case letters, which fold to
 * themselves, were missing from it and each cost the whole table. Text as
 * the SQL hands it over, ASCII already lowered; each character once. */
static void test_fold_sql_order(void **state)
{
    const char *from, *to;
    (void)state;
    fold_sql(&from, &to);
    assert_in_range(fold_walk(from, "crème brûlée à la façon de müller"), 1, 40);
    assert_in_range(fold_walk(from, "ёлка и москва, 2024"), 1, 120);
    assert_in_range(fold_walk(from, "ωμέγα θάλασσα"), 1, 160);
    assert_in_range(fold_walk(from, "Ωμέγα Ёлка ÀÉÎ"), 1, 400);
    for (const utf8proc_uint8_t *a = (const utf8proc_uint8_t *)from; *a;) {
        utf8proc_int32_t c;
        const utf8proc_uint8_t *next = a + utf8proc_iterate(a, -1, &c);
        char one[8] = {0};
        memcpy(one, a, (size_t)(next - a));
        assert_null(strstr((const char *)next, one));
        a = next;
    }
}

static void test_dsn_mask(void **state)
{
    char *m;
    (void)state;
    m = db_dsn_mask("postgresql://etl:s3cret@db.example:5432/articles");
    assert_string_equal(m, "postgresql://etl:***@db.example:5432/articles");
    free(m);
    m = db_dsn_mask("host=db user=etl password='a b\\'c' dbname=x");
    assert_string_equal(m, "host=db user=etl password=*** dbname=x");
    free(m);
    m = db_dsn_mask("postgresql://db/x?user=etl&password=hunter2&sslmode=require");
    assert_string_equal(m, "postgresql://db/x?user=etl&password=***&sslmode=require");
    free(m);
}

static void test_split_line(void **state)
{
    char **argv;
    (void)state;
    int n = cmd_split_line("reject 12 --reason 'not the same' \"a \\\"b\" ''", &argv);
    assert_int_equal(n, 6);
    assert_string_equal(argv[0], "reject");
    assert_string_equal(argv[3], "not the same");
    assert_string_equal(argv[4], "a \"b");
    assert_string_equal(argv[5], "");
    cmd_free_argv(n, argv);
    assert_int_equal(cmd_split_line("echo 'open", &argv), -1);
}

/* str_split stores at most `max` items and says so: a caller walking the
 * count it returns never reads past its array (a title's 300 words into 64
 * slots crashed a run). str_split_all takes any number. */
static void test_str_split_bounds(void **state)
{
    char text[] = "a, b ,c,d,e", *items[4] = {NULL, NULL, NULL, (char *)"guard"};
    size_t n;
    (void)state;

    assert_int_equal(str_split(text, ',', items, 3), 3);
    assert_string_equal(items[0], "a");
    assert_string_equal(items[1], "b");
    assert_string_equal(items[2], "c");
    assert_string_equal(items[3], "guard");
    char **all = str_split_all("a, b ,c,d,e", ',', &n);
    assert_int_equal(n, 5);
    assert_string_equal(all[4], "e");
    free(all);
}

static void test_similarity(void **state)
{
    (void)state;
    assert_int_equal(sim_levenshtein("kitten", "sitting"), 3);
    assert_true(sim_jaro_winkler("auther", "author") > 0.9);
    const char *names[] = {"title", "author", "url"};
    assert_string_equal(sim_nearest("auther", names, 3, 0.8, NULL), "author");
    assert_null(sim_nearest("zzz", names, 3, 0.8, NULL));
}

/* A database error keeps its SQLSTATE while context is added, and
 * decisions match a condition or its class, never the message. */
static void test_err_sqlstate(void **state)
{
    struct err err = {0};

    (void)state;
    assert_false(err_sqlstate(&err, SQLSTATE_UNIQUE_VIOLATION));
    err_code(&err, EXIT_FAIL, "database: doppelter Schlüsselwert");
    snprintf(err.sqlstate, sizeof err.sqlstate, "%s", SQLSTATE_UNIQUE_VIOLATION);
    err_prefix(&err, "source 'a': batch 3");
    err_set(&err, "source 'a': loading failed: %s", "again");
    assert_true(err_sqlstate(&err, SQLSTATE_UNIQUE_VIOLATION));
    assert_true(err_sqlstate(&err, "23"));
    assert_false(err_sqlstate(&err, SQLSTATE_CONNECTION));
    assert_false(err_sqlstate(&err, ""));
    snprintf(err.sqlstate, sizeof err.sqlstate, "%s", SQLSTATE_CONNECTION_FAILURE);
    assert_true(err_sqlstate(&err, SQLSTATE_CONNECTION));
    err_clear(&err);
    assert_string_equal(err.sqlstate, "");
    assert_false(err_sqlstate(&err, SQLSTATE_CONNECTION));
}

/* A message longer than ERR_MSG_MAX is cut on a whole UTF-8 character and
 * ends in ERR_CUT; one that fits is kept whole. */
static void test_err_cut(void **state)
{
    struct err err = {0};
    struct buf long_path = BUF_INIT;

    (void)state;
    for (int i = 0; i < 900; i++)
        buf_adds(&long_path, "/\xc3\xa9t\xc3\xa9"); /* "/été": 6 bytes */
    err_set(&err, "source 'a': unable to open '%.*s': gone", 3000, long_path.data);
    assert_int_equal(strlen(err.msg), strlen("source 'a': unable to open '': gone") + 3000);
    err_set(&err, "source 'a': unable to open '%s': gone", long_path.data);
    size_t n = strlen(err.msg);
    assert_true(n < sizeof err.msg);
    assert_true(n > sizeof err.msg - sizeof ERR_CUT - 4);
    assert_string_equal(err.msg + n - strlen(ERR_CUT), ERR_CUT);
    assert_true(utf8_valid(err.msg, n));
    err_prefix(&err, "run 7");
    n = strlen(err.msg);
    assert_true(strncmp(err.msg, "run 7: source 'a'", 17) == 0);
    assert_string_equal(err.msg + n - strlen(ERR_CUT), ERR_CUT);
    assert_true(utf8_valid(err.msg, n));
    buf_free(&long_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations_and_sizes), cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_clock_parse),        cmocka_unit_test(test_utf8_width),
        cmocka_unit_test(test_dsn_mask),           cmocka_unit_test(test_split_line),
        cmocka_unit_test(test_similarity),         cmocka_unit_test(test_err_sqlstate),
        cmocka_unit_test(test_err_cut),            cmocka_unit_test(test_str_split_bounds),
        cmocka_unit_test(test_fold),               cmocka_unit_test(test_fold_sql_order),
        cmocka_unit_test(test_fold_sql_functions), cmocka_unit_test(test_search_narrows),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
