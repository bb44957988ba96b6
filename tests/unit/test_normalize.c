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
    /* signs NFKC would spell in letters are symbols, like ® */
    expect_norm("Quicken™ 2007", "quicken 2007");
    expect_norm("Roxio® Popcorn℠", "roxio popcorn");
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

/* Codes lose their joiners ("XR-B200" is "xrb200"), but a dot between two
 * digits is a decimal point or a version's separator: "v1.2" holds the
 * numbers 1 and 2, as "1.2" does, not 12 — in the ASCII loop and in the
 * one for other text alike. */
static void test_decimal_point_in_code(void **state)
{
    (void)state;
    expect_norm("XR-B200 xr.b200", "xrb200 xrb200");
    expect_norm("Wi-Fi 2.5", "wi fi 2 5");
    expect_norm("Soundtrack v1.2", "soundtrack v1 2");
    expect_norm("PitStop SS3.5-UG-001", "pitstop ss3 5ug001");
    expect_norm("Encore v.17.0 gold", "encore v17 0 gold");
    expect_norm("Caf\xc3\xa9 v1.2 XR-B200", "cafe v1 2 xrb200");
    expect_norm("Caf\xc3\xa9 v.17.0", "cafe v17 0");
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
        cmocka_unit_test(test_decimal_point_in_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
