/*
 * test_http_url.c — URLs of the http_json source: placeholders (encoded,
 * except {dir}), parameters appended to the query, rel="next" found in Link
 * headers and resolved, and secrets kept out of the URLs we print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kasparro/http.h"

/* Compares and frees what a function returned; NULL `want`: expects NULL. */
static void expect_str(char *got, const char *want)
{
    if (want == NULL)
        assert_null(got);
    else
        assert_string_equal(got, want);
    free(got);
}

static void test_expand(void **state)
{
    const char *names[] = {"page", "cursor", "dir"};
    const char *values[] = {"3", "a b&c/=", "/srv/my data"};
    (void)state;

    expect_str(http_url_expand("file://{dir}/p-{page}.json", names, values, 3),
               "file:///srv/my data/p-3.json");
    expect_str(http_url_expand("https://x.org/a?c={cursor}&p={page}&q={unknown}", names, values, 3),
               "https://x.org/a?c=a%20b%26c%2F%3D&p=3&q={unknown}");
    expect_str(http_url_expand("", names, values, 3), "");
    assert_true(http_url_has("https://x/{page}", "page"));
    assert_false(http_url_has("https://x/{pages}", "page"));
    assert_false(http_url_has("https://x/page", "page"));
}

static void test_add_param(void **state)
{
    char *u = xstrdup("https://api.example.org/v1/items");
    (void)state;

    assert_int_equal(http_url_add_param(&u, "page", "2"), 0);
    assert_string_equal(u, "https://api.example.org/v1/items?page=2");
    assert_int_equal(http_url_add_param(&u, "since", "2026-01-01T00:00:00+01:00"), 0);
    assert_string_equal(u, "https://api.example.org/v1/items?page=2&"
                           "since=2026-01-01T00%3a00%3a00%2b01%3a00");
    free(u);
    u = xstrdup("not a url at all");
    assert_int_equal(http_url_add_param(&u, "page", "2"), -1);
    assert_string_equal(u, "not a url at all");
    free(u);
}

static void test_link_next(void **state)
{
    (void)state;
    expect_str(http_link_next("<https://api.x/items?page=2>; rel=\"next\", "
                              "<https://api.x/items?page=9>; rel=\"last\"",
                              "https://api.x/items"),
               "https://api.x/items?page=2");
    /* order, relative references, unquoted and multi-valued rel */
    expect_str(http_link_next("</items?page=1>; rel=first, </items?page=3>; rel=\"next last\"",
                              "https://api.x/v1/items?page=2"),
               "https://api.x/items?page=3");
    expect_str(http_link_next("<?page=5>; REL=Next", "https://api.x/v1/items?page=4"),
               "https://api.x/v1/items?page=5");
    expect_str(http_link_next("<https://api.x/items?page=1>; rel=\"prev\"", "https://api.x/"),
               NULL);
    expect_str(http_link_next("<https://api.x/a>; rel=\"nextpage\"", "https://api.x/"), NULL);
    expect_str(http_link_next("garbage <unterminated", "https://api.x/"), NULL);
    expect_str(http_link_next("", "https://api.x/"), NULL);
}

static void test_redact(void **state)
{
    (void)state;
    expect_str(http_url_redact("https://bob:hunter2@api.x/items?page=2&api_key=abc&Token=t&q=ok"),
               "https://api.x/items?page=2&api_key=***&Token=***&q=ok");
    expect_str(http_url_redact("https://api.x/items?access_token=zzz&signature=s&sig=1&x-auth=2"),
               "https://api.x/items?access_token=***&signature=***&sig=***&x-auth=***");
    expect_str(http_url_redact("file:///srv/api/p-1.json"), "file:///srv/api/p-1.json");
    expect_str(http_url_redact("::not a url?key=secret"), "::not a url");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_add_param),
        cmocka_unit_test(test_link_next),
        cmocka_unit_test(test_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
