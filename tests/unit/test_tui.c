/*
 * test_tui.c — the console's logic that needs no terminal: key names, key
 * tables, moving a selection, the list keeping its selection by id across
 * reloads, list search, cell text of JSON values, utf8_skip, and the
 * default bindings (every one parses, and `kasparro keys` lists them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/tui/tui-private.h"
#include "kasparro/utf8.h"

static void test_key_names(void **state)
{
    const char *names[] = {"a",     "?",      "Enter",  "Tab",  "BTab", "Escape",
                           "Space", "BSpace", "Up",     "Down", "PgUp", "PgDn",
                           "Home",  "End",    "Delete", "F1",   "F12",  "C-r"};
    char buf[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        int key = key_parse(names[i]);
        assert_true(key >= 0);
        assert_string_equal(key_label(key, buf, sizeof buf), names[i]);
    }
    assert_int_equal(key_parse("Return"), key_parse("Enter"));
    assert_int_equal(key_parse("c-R"), 18);
    assert_int_equal(key_parse("NPage"), key_parse("PgDn"));
    assert_int_equal(key_parse("\n"), -1);
    assert_int_equal(key_parse("Hyper"), -1);
    assert_int_equal(key_parse("F13"), -1);
    assert_int_equal(key_parse(""), -1);
}

static void test_key_tables(void **state)
{
    struct keys k = {0};
    const struct binding *b;

    (void)state;
    keys_set(&k, "global", 'q', "quit", "quit");
    keys_set(&k, "review", 'a', "approve {id}", NULL);
    keys_set(&k, "global", '\n', "prompt", NULL); /* Enter in another form */
    assert_non_null(b = keys_lookup(&k, "global", '\r'));
    assert_string_equal(b->command, "prompt");
    assert_null(keys_lookup(&k, "global", 'a'));
    assert_string_equal(keys_lookup(&k, "review", 'a')->command, "approve {id}");
    keys_set(&k, "global", 'q', "quit --cancel", NULL); /* rebinding replaces */
    assert_string_equal(keys_lookup(&k, "global", 'q')->command, "quit --cancel");
    assert_int_equal(keys_table(&k, "global")->n, 2);
    assert_true(keys_unset(&k, "global", 'q'));
    assert_false(keys_unset(&k, "global", 'q'));
    assert_null(keys_lookup(&k, "global", 'q'));
    assert_true(keys_table_known("pager"));
    assert_true(keys_table_known("entities"));
    assert_false(keys_table_known("nowhere"));
    keys_free(&k);
}

static void test_move_step(void **state)
{
    int pos = 0;

    (void)state;
    assert_true(move_step("up", &pos, 10, 99));
    assert_int_equal(pos, 0);
    assert_true(move_step("page-down", &pos, 10, 99));
    assert_int_equal(pos, 9);
    assert_true(move_step("bottom", &pos, 10, 99));
    assert_int_equal(pos, 99);
    assert_true(move_step("down", &pos, 10, 99));
    assert_int_equal(pos, 99);
    assert_true(move_step("top", &pos, 10, 99));
    assert_int_equal(pos, 0);
    assert_false(move_step("sideways", &pos, 10, 99));
    pos = 3;
    assert_true(move_step("down", &pos, 10, -1)); /* an empty list */
    assert_int_equal(pos, 0);
}

static const struct list_col cols[] = {
    {"id", "ID", 4, LC_RIGHT, NULL, NULL},
    {"title", "TITLE", 10, LC_FLEX, NULL, NULL},
};

static void test_list_keeps_selection(void **state)
{
    struct list l;

    (void)state;
    list_init(&l, cols, 2, "id", "empty");
    list_set_rows(&l, cJSON_Parse("[{\"id\":1,\"title\":\"one\"},{\"id\":2,\"title\":\"Zürich\"},"
                                  "{\"id\":3,\"title\":\"three\"}]"));
    assert_int_equal(l.n, 3);
    assert_true(list_move(&l, "down"));
    assert_int_equal(json_num(list_selected(&l), "id", 0), 2);
    /* a reload with a new row on top: the selection follows id 2 */
    list_set_rows(&l,
                  cJSON_Parse("[{\"id\":0,\"title\":\"new\"},{\"id\":1,\"title\":\"one\"},"
                              "{\"id\":2,\"title\":\"Zürich\"},{\"id\":3,\"title\":\"three\"}]"));
    assert_int_equal(json_num(list_selected(&l), "id", 0), 2);
    /* id 2 decided and gone: the row in its place is selected */
    list_set_rows(&l, cJSON_Parse("[{\"id\":0},{\"id\":1},{\"id\":3}]"));
    assert_int_equal(json_num(list_selected(&l), "id", 0), 3);
    list_set_rows(&l, cJSON_Parse("{\"not\":\"an array\"}"));
    assert_int_equal(l.n, 0);
    assert_null(list_selected(&l));
    list_free(&l);
}

static void test_list_search(void **state)
{
    struct list l;

    (void)state;
    list_init(&l, cols, 2, "id", NULL);
    list_set_rows(&l, cJSON_Parse("[{\"id\":1,\"title\":\"Alpha\"},{\"id\":2,\"title\":\"Zürich\"},"
                                  "{\"id\":3,\"title\":\"alphabet\"}]"));
    assert_true(list_search(&l, "ALPHA", false));
    assert_int_equal(l.sel, 2);
    assert_true(list_search(&l, "alpha", false)); /* wraps around */
    assert_int_equal(l.sel, 0);
    assert_true(list_search(&l, "zürich", true));
    assert_int_equal(l.sel, 1);
    assert_false(list_search(&l, "nothing", false));
    assert_int_equal(l.sel, 1);
    list_free(&l);
}

static void test_json_text(void **state)
{
    char buf[64];
    cJSON *o = cJSON_Parse("{\"i\":150005,\"f\":0.5,\"t\":true,\"n\":null,\"s\":\"x\"}");

    (void)state;
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "i"), buf, sizeof buf), "150005");
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "f"), buf, sizeof buf), "0.500");
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "t"), buf, sizeof buf), "yes");
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "n"), buf, sizeof buf), "-");
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "missing"), buf, sizeof buf), "-");
    assert_string_equal(json_text(cJSON_GetObjectItem(o, "s"), buf, sizeof buf), "x");
    assert_null(json_str(o, "i"));
    assert_true(json_num(o, "s", -1) == -1);
    cJSON_Delete(o);
}

static void test_utf8_skip(void **state)
{
    (void)state;
    assert_int_equal(utf8_skip("Zürich", 2), 3); /* Z, ü (two bytes) */
    assert_int_equal(utf8_skip("東京x", 2), 3);  /* one wide character */
    assert_int_equal(utf8_skip("東京x", 3), 6);  /* never half of one */
    assert_int_equal(utf8_skip("ab", 5), 2);
}

static void test_default_bindings(void **state)
{
    struct table *t = table_new();
    struct err err = {0};

    (void)state;
    assert_int_equal(tui_keys_table(NULL, NULL, t, &err), 0);
    assert_true(table_rows(t) > 40);
    table_free(t);
    t = table_new();
    assert_int_equal(tui_keys_table(NULL, "nowhere", t, &err), -1);
    assert_string_equal(err.msg, "option '--screen': 'nowhere' is not a key table (global, pager, record, runs, "
                                 "schedule, review, entities, deleted, sources, log, "
                                 "audit)");
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names),   cmocka_unit_test(test_key_tables),
        cmocka_unit_test(test_move_step),   cmocka_unit_test(test_list_keeps_selection),
        cmocka_unit_test(test_list_search), cmocka_unit_test(test_json_text),
        cmocka_unit_test(test_utf8_skip),   cmocka_unit_test(test_default_bindings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
