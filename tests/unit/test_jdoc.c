/*
 * test_jdoc.c — exact JSON (jdoc.h): a conformance suite in the manner of
 * JSONTestSuite, written for kasparro — every y_ text is accepted and
 * written back token for token, every n_ text is refused — and the
 * exactness the source pages need: numbers keep their digits, strings their
 * bytes (NUL included), surrogate escapes without their pair are flagged,
 * keys given twice are ambiguous, nesting has a bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/jdoc.h"

struct sample {
    const char *name;
    const char *text;
    size_t len;          /* 0: strlen(text) */
    const char *compact; /* y_: what jval_compact writes (NULL: the text itself) */
};

#define Y(name, text, compact)                                                                     \
    {                                                                                              \
        name, text, 0, compact                                                                     \
    }
#define N(name, text)                                                                              \
    {                                                                                              \
        name, text, 0, NULL                                                                        \
    }
#define NB(name, text)                                                                             \
    {                                                                                              \
        name, text, sizeof text - 1, NULL                                                          \
    } /* holds a NUL byte */

static const struct sample accepted[] = {
    Y("y_array_empty", "[]", NULL),
    Y("y_array_empty_with_spaces", " [ ] ", "[]"),
    Y("y_array_heterogeneous", "[null, 1, \"1\", {}]", "[null,1,\"1\",{}]"),
    Y("y_array_nested", "[[[]],[[1]]]", NULL),
    Y("y_array_with_trailing_space", "[2] ", "[2]"),
    Y("y_array_newlines_tabs", "[\n\t1\r\n,\t2\n]", "[1,2]"),
    Y("y_object_empty", "{}", NULL),
    Y("y_object_empty_key", "{\"\":0}", NULL),
    Y("y_object_basic", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}", "{\"asd\":\"sdf\",\"dfg\":\"fgh\"}"),
    Y("y_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}", NULL),
    Y("y_object_escaped_key", "{\"\\u0061b\\n\":1}", NULL),
    Y("y_object_long_strings", "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}",
      "{\"x\":[{\"id\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}"),
    Y("y_number_0", "[0]", NULL),
    Y("y_number_minus_zero", "[-0]", NULL),
    Y("y_number_negative_int", "[-123]", NULL),
    Y("y_number_real_capital_e", "[1E22]", NULL),
    Y("y_number_real_exponent_plus", "[1e+2]", NULL),
    Y("y_number_real_exponent_minus", "[1.5e-3]", NULL),
    Y("y_number_real_fraction_exponent", "[123.456e78]", NULL),
    Y("y_number_after_space", "[ 4]", "[4]"),
    Y("y_number_huge_exp", "[1e400]", NULL),
    Y("y_number_very_big_int", "[123456789012345678901234567890]", NULL),
    Y("y_number_2_pow_53_plus_1", "[9007199254740993]", NULL),
    Y("y_number_many_digits_fraction", "[0.10000000000000000555111512312578]", NULL),
    Y("y_string_empty", "[\"\"]", NULL),
    Y("y_string_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", NULL),
    Y("y_string_null_escape", "[\"\\u0000\"]", NULL),
    Y("y_string_surrogate_pair", "[\"\\uD801\\udc37\"]", NULL),
    Y("y_string_utf8", "[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]", NULL),
    Y("y_string_unicode_escape", "[\"\\u00e9\\u20AC\"]", NULL),
    Y("y_string_del_character",
      "[\"a\x7f"
      "a\"]",
      NULL),
    Y("y_string_in_array_with_spaces", "[ \"asd\"]", "[\"asd\"]"),
    Y("y_string_lone_top_level", "\"x\"", NULL),
    Y("y_structure_lonely_int", "42", NULL),
    Y("y_structure_lonely_negative_real", "-0.1", NULL),
    Y("y_structure_lonely_int_spaces", " 42 ", "42"),
    Y("y_structure_lonely_true", "true", NULL),
    Y("y_structure_lonely_null", "null", NULL),
    Y("y_structure_true_in_array", "[true, false, null]", "[true,false,null]"),
    Y("y_structure_whitespace_array", " [] ", "[]"),
    Y("y_structure_deep_999",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
      "]]]]]]]]]",
      NULL),
};

static const struct sample refused[] = {
    N("n_number_-01", "[-01]"),
    N("n_number_012", "[012]"),
    N("n_number_2.", "[2.]"),
    N("n_number_.123", "[.123]"),
    N("n_number_1.e1", "[1.e1]"),
    N("n_number_+1", "[+1]"),
    N("n_number_hex", "[0x1]"),
    N("n_number_1e", "[1e]"),
    N("n_number_1e+", "[1e+]"),
    N("n_number_-", "[-]"),
    N("n_number_--1", "[--1]"),
    N("n_number_Inf", "[Infinity]"),
    N("n_number_NaN", "[NaN]"),
    N("n_number_-NaN", "[-NaN]"),
    N("n_number_1_000", "[1 000]"),
    N("n_number_1.2.3", "[1.2.3]"),
    N("n_number_0e", "[0e]"),
    N("n_number_real_without_fractional_part", "[1.]"),
    N("n_number_with_alpha", "[1.2a-3]"),
    N("n_string_unescaped_tab", "[\"a\tb\"]"),
    N("n_string_unescaped_newline", "[\"new\nline\"]"),
    N("n_string_unescaped_ctrl", "[\"a\x01"
                                 "b\"]"),
    N("n_string_escape_x", "[\"\\x00\"]"),
    N("n_string_escaped_apostrophe", "[\"\\'\"]"),
    N("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]"),
    N("n_string_incomplete_escape", "[\"\\u00A\"]"),
    N("n_string_backslash_at_end", "[\"\\\"]"),
    N("n_string_single_quote", "['single quote']"),
    N("n_string_no_quotes", "[abc]"),
    N("n_string_unclosed", "[\"asd]"),
    N("n_string_invalid_utf8_ff", "[\"\xff\"]"),
    N("n_string_overlong_utf8", "[\"\xc0\x80\"]"),
    N("n_string_utf8_surrogate_bytes", "[\"\xed\xa0\x80\"]"),
    N("n_string_truncated_utf8", "[\"\xe2\x82\"]"),
    NB("n_string_raw_nul", "[\"a\0b\"]"),
    NB("n_structure_nul_outside_string", "[1]\0"),
    N("n_array_trailing_comma", "[1,]"),
    N("n_array_double_comma", "[1,,2]"),
    N("n_array_leading_comma", "[,1]"),
    N("n_array_missing_comma", "[1 2]"),
    N("n_array_unclosed", "[1"),
    N("n_array_extra_close", "[1]]"),
    N("n_array_colon_instead_of_comma", "[\"\": 1]"),
    N("n_object_trailing_comma", "{\"id\":0,}"),
    N("n_object_missing_colon", "{\"a\" b}"),
    N("n_object_double_colon", "{\"x\"::\"b\"}"),
    N("n_object_non_string_key", "{1:1}"),
    N("n_object_unquoted_key", "{a: \"b\"}"),
    N("n_object_single_quoted_key", "{'a':0}"),
    N("n_object_unclosed", "{\"a\":1"),
    N("n_object_missing_value", "{\"a\":}"),
    N("n_object_comma_instead_of_colon", "{\"x\", null}"),
    N("n_structure_empty", ""),
    N("n_structure_whitespace_only", " \n\t "),
    N("n_structure_two_values", "[] []"),
    N("n_structure_trailing_garbage", "{\"a\":1} x"),
    N("n_structure_comment", "[1] // c"),
    N("n_structure_block_comment", "[/* c */ 1]"),
    N("n_structure_bom", "\xef\xbb\xbf{}"),
    N("n_structure_capitalized_true", "[True]"),
    N("n_structure_misspelled_null", "[nul]"),
    N("n_structure_truncated_false", "[fals]"),
    N("n_structure_unclosed_open_array", "["),
    N("n_structure_lone_close", "]"),
    /* found by fuzzing: yajl takes \v and \f for whitespace */
    N("n_structure_vertical_tab_after_number", "{\"id\":1\v,\"t\":2}"),
    N("n_structure_form_feed", "[\f]"),
    N("n_string_raw_vertical_tab", "[\"a\vb\"]"),
};

static void test_accepted(void **state)
{
    char why[256];
    (void)state;

    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
        const struct sample *c = &accepted[i];
        struct jdoc *d = jdoc_parse(c->text, c->len ? c->len : strlen(c->text), why, sizeof why);
        if (d == NULL)
            fail_msg("%s: refused: %s", c->name, why);
        struct buf out = BUF_INIT;
        jval_compact(jdoc_root(d), &out);
        if (strcmp(buf_str(&out), c->compact ? c->compact : c->text) != 0)
            fail_msg("%s: written back as %s", c->name, buf_str(&out));
        buf_free(&out);
        jdoc_free(d);
    }
}

static void test_refused(void **state)
{
    char why[256];
    (void)state;

    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        const struct sample *c = &refused[i];
        struct jdoc *d = jdoc_parse(c->text, c->len ? c->len : strlen(c->text), why, sizeof why);
        if (d != NULL)
            fail_msg("%s: accepted", c->name);
        if (strncmp(why, "malformed JSON near byte ", 25) != 0)
            fail_msg("%s: says '%s'", c->name, why);
    }
}

static struct jdoc *parse(const char *text, size_t len)
{
    char why[256];
    struct jdoc *d = jdoc_parse(text, len, why, sizeof why);
    if (d == NULL)
        fail_msg("%s", why);
    return d;
}

/* Numbers are the text the source wrote; strings keep every byte. */
static void test_exact_values(void **state)
{
    static const char text[] = "{\"big\": [9007199254740992, 9007199254740993], \"huge\": 1e400,"
                               " \"zero\": -0.0, \"s\": \"x\\u0000y\", \"k\\u0000ey\": 1,"
                               " \"e\": \"\\u00e9\"}";
    struct jdoc *d = parse(text, sizeof text - 1);
    const struct jval *root = jdoc_root(d), *v;
    (void)state;

    assert_string_equal(jval_path(root, "big.0", NULL)->str, "9007199254740992");
    assert_string_equal(jval_path(root, "big.1", NULL)->str, "9007199254740993");
    assert_string_equal(jval_path(root, "huge", NULL)->str, "1e400");
    assert_string_equal(jval_path(root, "zero", NULL)->str, "-0.0");
    v = jval_path(root, "s", NULL);
    assert_int_equal(v->len, 3);
    assert_memory_equal(v->str, "x\0y", 3);
    assert_false(v->unpaired);
    /* a key with a NUL is kept whole and matches no configured path */
    v = root->child->next->next->next->next;
    assert_int_equal(v->keylen, 4);
    assert_memory_equal(v->key, "k\0ey", 4);
    assert_null(jval_path(root, "k", NULL));
    assert_string_equal(jval_path(root, "e", NULL)->str, "\xc3\xa9");
    assert_string_equal(jval_path(root, "E", NULL)->str, "\xc3\xa9"); /* any case */
    struct buf out = BUF_INIT;
    jval_compact(root, &out);
    assert_string_equal(buf_str(&out),
                        "{\"big\":[9007199254740992,9007199254740993],\"huge\":1e400,"
                        "\"zero\":-0.0,\"s\":\"x\\u0000y\",\"k\\u0000ey\":1,\"e\":\"\\u00e9\"}");
    buf_free(&out);
    jdoc_free(d);
}

/* An escaped surrogate without its pair is no character: the token stays,
 * the string is flagged (yajl would have decoded it to '?'). */
static void test_unpaired_surrogates(void **state)
{
    static const char *lone[] = {"\"\\ud800\"",        "\"\\udc00\"",        "\"a\\ud800b\"",
                                 "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\"", "\"\\uDBFF\""};
    static const char *fine[] = {"\"\\ud83d\\ude00\"", "\"\\\\ud800\"", "\"\\u00e9\""};
    (void)state;

    for (size_t i = 0; i < sizeof lone / sizeof *lone; i++) {
        struct jdoc *d = parse(lone[i], strlen(lone[i]));
        if (!jdoc_root(d)->unpaired)
            fail_msg("%s: not flagged", lone[i]);
        jdoc_free(d);
    }
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        struct jdoc *d = parse(fine[i], strlen(fine[i]));
        if (jdoc_root(d)->unpaired)
            fail_msg("%s: flagged", fine[i]);
        jdoc_free(d);
    }
    struct jdoc *d = parse("{\"\\udc01\": 1}", 13);
    assert_true(jdoc_root(d)->child->key_unpaired);
    jdoc_free(d);
}

static void test_paths(void **state)
{
    static const char text[] =
        "{\"id\":1,\"ID\":2,\"a\":{\"b\":[10,{\"c\":true}]},\"d\":3,\"d\":4}";
    struct jdoc *d = parse(text, sizeof text - 1);
    const struct jval *root = jdoc_root(d);
    bool twice;
    (void)state;

    assert_string_equal(jval_path(root, "id", &twice)->str, "1"); /* exact first */
    assert_false(twice);
    assert_null(jval_path(root, "Id", &twice)); /* 'id' and 'ID' both answer, ignoring case */
    assert_true(twice);
    assert_int_equal(jval_path(root, "a.b.1.c", &twice)->type, JT_TRUE);
    assert_null(jval_path(root, "a.b.2", &twice));
    assert_false(twice);
    assert_null(jval_path(root, "d", &twice));
    assert_true(twice);
    assert_ptr_equal(jval_path(root, "", NULL), root);
    assert_ptr_equal(jval_path(root, NULL, NULL), root);
    assert_string_equal(jval_kind(jval_path(root, "a", NULL)), "an object");
    jdoc_free(d);
}

/* Nesting deeper than the bound is refused, not followed down the stack. */
static void test_depth(void **state)
{
    size_t n = JDOC_MAX_DEPTH + 1;
    char *text = malloc(2 * n + 1);
    char why[256];
    (void)state;

    memset(text, '[', n);
    memset(text + n, ']', n);
    text[2 * n] = '\0';
    assert_null(jdoc_parse(text, 2 * n, why, sizeof why));
    assert_non_null(strstr(why, "nested deeper than 1000 levels"));
    struct jdoc *d = jdoc_parse(text + 1, 2 * n - 2, why, sizeof why); /* exactly 1000 */
    assert_non_null(d);
    jdoc_free(d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),     cmocka_unit_test(test_refused),
        cmocka_unit_test(test_exact_values), cmocka_unit_test(test_unpaired_surrogates),
        cmocka_unit_test(test_paths),        cmocka_unit_test(test_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
