/*
 * test_url.c — a URL cut to the page it names before it is compared:
 * scheme, "www.", the scheme's own port, a trailing slash, a fragment and
 * the parameters that track a visit go; the host's case, the query's order
 * do not matter; another path or another page parameter is another page.
 * The form compared and blocked on keeps the path's and the query's case
 * (only the scheme and the host have none). Percent-encodings are
 * normalised (RFC 3986 §6.2.2.2) and a host in another script is written
 * in punycode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/dedup_internal.h"

static char *page_of(const char *url)
{
    struct buf b = {0};

    dedup_url_page(&b, url, NULL);
    buf_addc(&b, '\0'); /* an empty page still has its string */
    return b.data;
}

static void expect_page(const char *url, const char *want)
{
    char *got = page_of(url);
    assert_string_equal(got, want);
    free(got);
}

static void expect_same_page(const char *a, const char *b)
{
    char *pa = page_of(a), *pb = page_of(b);
    assert_string_equal(pa, pb);
    free(pa);
    free(pb);
}

static void expect_other_page(const char *a, const char *b)
{
    char *pa = page_of(a), *pb = page_of(b);
    assert_string_not_equal(pa, pb);
    free(pa);
    free(pb);
}

static void test_what_goes(void **state)
{
    (void)state;
    expect_page("https://www.example.org/news/a-story/", "example.org/news/a-story");
    expect_page("http://example.org/news/a-story#comments", "example.org/news/a-story");
    expect_page("https://example.org:443/a", "example.org/a");
    expect_page("http://example.org:80/a", "example.org/a");
    expect_page("https://example.org/a?utm_source=partner&utm_medium=feed", "example.org/a");
    expect_page("https://example.org/a?fbclid=IwAR0&gclid=x&UTM_Campaign=y", "example.org/a");
    expect_page("https://example.org/", "example.org");
}

static void test_what_stays(void **state)
{
    (void)state;
    expect_page("https://example.org:8443/a", "example.org:8443/a");
    expect_page("https://example.org/a?b=2&a=1&utm_source=x", "example.org/a?a=1&b=2");
    expect_page("https://shop.example.org/item", "shop.example.org/item");
    /* a parameter whose name only begins like a tracking one is the page's */
    expect_page("https://example.org/a?utmost=1", "example.org/a?utmost=1");
}

static void test_one_page_many_spellings(void **state)
{
    (void)state;
    expect_same_page("https://www.Example.ORG/city/story?id=7&lang=en",
                     "http://example.org/city/story/?lang=en&id=7&utm_source=feed#top");
    expect_other_page("https://example.org/city/story?id=7", "https://example.org/city/story?id=8");
    expect_other_page("https://example.org/city/story", "https://example.org/city/other");
    expect_other_page("https://example.org/a", "https://example.com/a");
}

static char *form_of(const char *url)
{
    struct buf b = {0};

    dedup_url_normalize_into(&b, url, NULL);
    buf_addc(&b, '\0');
    return b.data;
}

static void expect_form(const char *url, const char *want)
{
    char *got = form_of(url);
    assert_string_equal(got, want);
    free(got);
}

static void test_path_and_query_keep_their_case(void **state)
{
    (void)state;
    expect_form("https://WWW.Example.ORG/Wiki/Apple?Lang=EN", "example org Wiki Apple Lang EN");
    expect_form("https://example.org/wiki/apple?lang=en", "example org wiki apple lang en");
    expect_form("HTTPS://EXAMPLE.ORG/a", "example org a");
    /* a '?' is the query's mark, not a character an export lost */
    expect_form("https://example.org/a?b=1", "example org a b 1");
    /* a value that is no link is text, case folded */
    expect_form("Not A URL", "not a url");
    char *a = form_of("https://example.org/wiki/Apple");
    char *b = form_of("https://example.org/wiki/APPLE");
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

static void test_percent_encodings(void **state)
{
    (void)state;
    /* an encoded unreserved character is the character */
    expect_page("https://example.org/%7Eeditor/%41b%2dc%2E%5f", "example.org/~editor/Ab-c._");
    expect_same_page("https://example.org/~editor", "https://example.org/%7eeditor");
    /* the hex of an encoding that stays is upper case */
    expect_page("https://example.org/caf%c3%a9/a%2fb", "example.org/caf%C3%A9/a%2Fb");
    expect_same_page("https://example.org/caf%C3%A9", "https://example.org/caf%c3%a9");
    /* in the query too, before its parameters are sorted and weighed */
    expect_page("https://example.org/a?q=%7e%3d&%41=1", "example.org/a?A=1&q=~%3D");
    expect_page("https://example.org/a?utm%5Fsource=x&id=1", "example.org/a?id=1");
    /* an encoded reserved character is not the character: another page */
    expect_other_page("https://example.org/a%2Fb", "https://example.org/a/b");
    /* a '%' that begins no encoding stays as written */
    expect_page("https://example.org/a?p=%zz&q=%4", "example.org/a?p=%zz&q=%4");
}

static void test_international_hosts(void **state)
{
    (void)state;
    expect_page("https://bücher.example/katalog", "xn--bcher-kva.example/katalog");
    expect_same_page("https://www.Bücher.example/katalog", "http://xn--bcher-kva.example/katalog/");
    expect_page("https://例え.テスト/", "xn--r8jz45g.xn--zckzah");
}

/* [matching] url_tracking_params: names in any case, "name*" a prefix;
 * the default list when none is configured, nothing dropped when empty. */
static void test_tracking_params_configured(void **state)
{
    char *const mine[] = {"ref", "session*", NULL}, *const none[] = {NULL};
    struct buf b = BUF_INIT;
    (void)state;

    dedup_url_page(&b, "https://example.org/a?Ref=x&sessionid=1&id=2&utm_source=y&referrer=z",
                   mine);
    buf_addc(&b, '\0');
    assert_string_equal(b.data, "example.org/a?id=2&referrer=z&utm_source=y");
    buf_reset(&b);
    dedup_url_page(&b, "https://example.org/a?utm_source=y&gclid=1", none);
    buf_addc(&b, '\0');
    assert_string_equal(b.data, "example.org/a?gclid=1&utm_source=y");
    buf_reset(&b);
    dedup_url_normalize_into(&b, "https://example.org/A?ref=x&Id=2", mine);
    buf_addc(&b, '\0');
    assert_string_equal(b.data, "example org A Id 2");
    buf_free(&b);
}

static void test_not_a_url_stays_as_written(void **state)
{
    (void)state;
    expect_page("not a url at all", "not a url at all");
    expect_page("", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_goes),
        cmocka_unit_test(test_what_stays),
        cmocka_unit_test(test_one_page_many_spellings),
        cmocka_unit_test(test_not_a_url_stays_as_written),
        cmocka_unit_test(test_path_and_query_keep_their_case),
        cmocka_unit_test(test_percent_encodings),
        cmocka_unit_test(test_international_hosts),
        cmocka_unit_test(test_tracking_params_configured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
