/*
 * test_normalize.c — the text form used for fingerprints, blocking and
 * comparison: case, compatibility forms, accents and punctuation fold
 * away; scripts without case (CJK) survive; slugs for entity keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/dedup_internal.h"

static void expect_norm(const char *in, const char *want)
{
    char *got = dedup_normalize(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_case_and_accents_collide(void **state)
{
    (void)state;
    expect_norm("Café", "cafe");
    expect_norm("CAFE", "cafe");
    expect_norm("café", "cafe");
    expect_norm("Cafe\xcc\x81", "cafe"); /* decomposed e + combining acute */
    expect_norm("STRASSE", "strasse");
    expect_norm("Straße", "strasse"); /* case folding expands sharp s */
    expect_norm("ＰＹＴＨＯＮ　Guide", "python guide"); /* full-width forms (NFKC) */
    expect_norm("ﬁle", "file");                       /* ligature */
}

static void test_punctuation_and_blanks(void **state)
{
    (void)state;
    expect_norm("  The  Python—Guide!!  ", "the python guide");
    expect_norm("C'est «bon», non?", "c est bon non");
    expect_norm("a\tb\nc", "a b c");
    expect_norm("$100 & more", "100 more");
    expect_norm("", "");
    expect_norm("!!!", "");
}

/* A question mark (or U+FFFD) between letters is a character an export
 * could not encode; elsewhere it is punctuation. */
static void test_lost_characters(void **state)
{
    (void)state;
    expect_norm("Hugo P?rez", "hugo p?rez");
    expect_norm("Ko??ak \"?Hit\"", "ko??ak hit");
    expect_norm("Sh\xef\xbf\xbdsuke Tanihara", "sh?suke tanihara");
    expect_norm("Ji?? Schmitzer", "ji schmitzer");
    expect_norm("Who? Me?", "who me");
    expect_norm("B\xc3\xa9la ?? Kiss", "bela kiss");
    char *s = dedup_slug("Hugo P?rez", 4);
    assert_string_equal(s, "hugo-prez");
    free(s);
}

static void test_cjk_survives(void **state)
{
    (void)state;
    expect_norm("東京の天気", "東京の天気");
    expect_norm("東京 の 天気。", "東京 の 天気");
    expect_norm("Ｐython 入門", "python 入門");
    char *a = dedup_normalize("東京"), *b = dedup_normalize("京都");
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

static void test_slug(void **state)
{
    char *s;
    (void)state;
    s = dedup_slug("The Python Guide: Advanced Topics, Part 2", 4);
    assert_string_equal(s, "the-python-guide-advanced");
    free(s);
    s = dedup_slug("Café crème", 4);
    assert_string_equal(s, "cafe-creme");
    free(s);
    s = dedup_slug("!!!", 4);
    assert_string_equal(s, "entity");
    free(s);
    s = dedup_slug(NULL, 4);
    assert_string_equal(s, "entity");
    free(s);
    s = dedup_slug("東京の天気", 4);
    assert_string_equal(s, "東京の天気");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_and_accents_collide),
        cmocka_unit_test(test_punctuation_and_blanks),
        cmocka_unit_test(test_cjk_survives),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_lost_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
