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
    /* room for every column with a title of 10 cells or more: all stay */
    text = printed(titles(true), 36, false);
    assert_non_null(strstr(text, "  ID  RUN  STATE    TITLE\n"));
    assert_int_equal(widest(text), 36);
    free(text);
    /* not at 28: RUN goes first, which leaves STATE and a title of 13 */
    text = printed(titles(true), 28, false);
    assert_non_null(strstr(text, "  ID  STATE    TITLE\n"));
    assert_non_null(strstr(text, "1234  held     東京 Tokyo t…\n"));
    assert_int_equal(widest(text), 28);
    free(text);
    /* narrower, STATE goes too */
    text = printed(titles(true), 24, false);
    assert_non_null(strstr(text, "  ID  TITLE\n"));
    free(text);
    /* wide enough for all, nothing cut */
    text = printed(titles(true), 80, false);
    assert_non_null(strstr(text, "RUN  STATE"));
    assert_non_null(strstr(text, long_title));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_cut_to_width),
        cmocka_unit_test(test_whole_without_width),
        cmocka_unit_test(test_long_cell_whole),
        cmocka_unit_test(test_optional_one_at_a_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
