/*
 * test_out.c — fitting a text table to its reader's width (out.c): label
 * columns cut by display cells with "…", optional columns left out one at
 * a time, every cell whole (however long) for a reader without a width
 * and with --json. The reader here is the console's pager (ctx->width and ctx->tables set),
 * so no terminal is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/out.h"
#include "kasparro/util.h"

static const char *long_title = "東京 Tokyo to Zürich by the night train";

/* A table of ids and titles, one of them wide; `extra` adds two optional
 * columns before the title. */
static struct table *titles(bool extra)
{
    struct table *t = table_new();

    table_col(t, "id", "ID", COL_RIGHT);
    if (extra) {
        table_col(t, "run", "RUN", COL_RIGHT | COL_OPTIONAL);
        table_col(t, "state", "STATE", COL_OPTIONAL);
    }
    table_col(t, "title", "TITLE", COL_ELASTIC);
    table_row(t);
    table_int(t, 1234);
    if (extra) {
        table_int(t, 7);
        table_str(t, "held");
    }
    table_str(t, long_title);
    table_row(t);
    table_int(t, 5);
    if (extra) {
        table_int(t, 8);
        table_str(t, "applied");
    }
    table_str(t, "short");
    return t;
}

/* The text table_print writes for a reader `width` cells wide (0: none). */
static char *printed(struct table *t, int width, bool json)
{
    struct out_spans spans = {0};
    struct cmd_ctx ctx = {.width = width, .json = json, .tables = width ? &spans : NULL};
    char *text = NULL;
    size_t len = 0;

    ctx.out = open_memstream(&text, &len);
    assert_non_null(ctx.out);
    table_print(t, &ctx, "none");
    fclose(ctx.out);
    out_spans_free(&spans);
    return text;
}

/* The widest line of `text`, in cells. */
static size_t widest(const char *text)
{
    size_t most = 0;

    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (utf8_nwidth(p, n) > most)
            most = utf8_nwidth(p, n);
        p += n + (p[n] == '\n');
    }
    return most;
}

static void test_label_cut_to_width(void **state)
{
    char *text = printed(titles(false), 24, false);

    (void)state;
    /* ID (4) and two spaces leave 18 cells: 17 of the title and "…"; the
     * wide characters count two cells each, and none is split */
    assert_string_equal(text, "  ID  TITLE\n"
                              "1234  東京 Tokyo to Zür…\n"
                              "   5  short\n");
    assert_int_equal(widest(text), 24);
    free(text);
}

static void test_whole_without_width(void **state)
{
    char *text = printed(titles(false), 0, false);

    (void)state;
    assert_non_null(strstr(text, long_title));
    assert_null(strstr(text, "…"));
    free(text);
    text = printed(titles(false), 24, true);
    assert_non_null(strstr(text, long_title));
    free(text);
}

/* A cell longer than any buffer a line might be built in (a run's error
 * is kept up to 4 KiB) is written whole where nothing is cut. */
static void test_long_cell_whole(void **state)
{
    struct table *t = table_new();
    char *text, *cell = xmalloc(3001);

    (void)state;
    memset(cell, 'x', 3000);
    cell[3000] = '\0';
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "error", "ERROR", COL_WIDE);
    table_row(t);
    table_int(t, 1);
    table_str(t, cell);
    text = printed(t, 0, false);
    assert_non_null(strstr(text, cell));
    assert_null(strstr(text, "…"));
    free(text);
    free(cell);
}

static void test_optional_one_at_a_time(void **state)
{
    char *text;

    (void)state;
    /* room for every column with a title of 15 cells or more: all stay */
    text = printed(titles(true), 36, false);
    assert_non_null(strstr(text, "  ID  RUN  STATE    TITLE\n"));
    assert_int_equal(widest(text), 36);
    free(text);
    /* not at 31: RUN goes first, which leaves STATE and a title of 16 */
    text = printed(titles(true), 31, false);
    assert_non_null(strstr(text, "  ID  STATE    TITLE\n"));
    assert_non_null(strstr(text, "1234  held     東京 Tokyo to Z…\n"));
    assert_int_equal(widest(text), 31);
    free(text);
    /* at 28 STATE goes too, rather than the title be cut to 13 cells */
    text = printed(titles(true), 28, false);
    assert_non_null(strstr(text, "  ID  TITLE\n"));
    assert_int_equal(widest(text), 28);
    free(text);
    /* wide enough for all, nothing cut */
    text = printed(titles(true), 80, false);
    assert_non_null(strstr(text, "RUN  STATE"));
    assert_non_null(strstr(text, long_title));
    free(text);
}

/* A column of a higher rank leaves after every optional column of a lower
 * one, wherever it is declared. */
static void test_optional_by_rank(void **state)
{
    struct table *t = table_new();
    char *text;

    (void)state;
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "kind", "KIND", COL_OPTIONAL | COL_RANK(1));
    table_col(t, "cursor", "CURSOR", COL_OPTIONAL);
    table_col(t, "title", "TITLE", COL_ELASTIC);
    table_row(t);
    table_int(t, 1);
    table_str(t, "http_json");
    table_str(t, "page-7");
    table_str(t, long_title);
    /* 1 + 9 + 6 + 15 and the gaps: 37 cells; at 33 CURSOR goes, not KIND */
    text = printed(t, 33, false);
    assert_non_null(strstr(text, "ID  KIND       TITLE\n"));
    assert_int_equal(widest(text), 33);
    free(text);
}

/* A yielding label gives its cells up first: the other keeps its text
 * while there is room, and the yielding one keeps its narrowest. */
static void test_label_yields(void **state)
{
    struct table *t = table_new();
    char *text;

    (void)state;
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "what", "WHAT", COL_ELASTIC);
    table_col(t, "reason", "REASON", COL_ELASTIC | COL_YIELDS);
    table_row(t);
    table_int(t, 1);
    table_str(t, "candidate 90: articles/12 ↔ partner/PF-23");
    table_str(t, "the same study: the partner reordered its title");
    /* 2 + 41 + 2 + 2 leave 13 cells to the reason */
    text = printed(t, 60, false);
    assert_non_null(strstr(text, " 1  candidate 90: articles/12 ↔ partner/PF-23  the same stu…\n"));
    free(text);
}

/* A COL_KEEPS_END text cut keeps its last clause: after "; ", else ", ";
 * alone after "…" when too little of the start would show; a plain cut
 * when the clause itself does not fit. */
static void test_fit_end(void **state)
{
    const char *held = "notes: deletions held: would delete 48; 'apply-deletes 4' or "
                       "'discard-deletes 4'";
    const char *why = "would delete 48 of 71 live records (67.6%), above max_ratio 10%";
    char buf[256];

    (void)state;
    assert_int_equal(out_fit_end(buf, sizeof buf, held, 60), 60);
    assert_string_equal(buf, "notes: deletions …; 'apply-deletes 4' or 'discard-deletes 4'");
    assert_int_equal(out_fit_end(buf, sizeof buf, why, 40), 40);
    assert_string_equal(buf, "would delete 48 of…, above max_ratio 10%");
    assert_int_equal(out_fit_end(buf, sizeof buf, why, 25), 20);
    assert_string_equal(buf, "…above max_ratio 10%");
    out_fit_end(buf, sizeof buf, why, 12);
    assert_string_equal(buf, "would delet…");
    out_fit_end(buf, sizeof buf, why, 80);
    assert_string_equal(buf, why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_cut_to_width),
        cmocka_unit_test(test_whole_without_width),
        cmocka_unit_test(test_long_cell_whole),
        cmocka_unit_test(test_optional_one_at_a_time),
        cmocka_unit_test(test_optional_by_rank),
        cmocka_unit_test(test_label_yields),
        cmocka_unit_test(test_fit_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
