/*
 * test_http_page.c — from a fetched body to its record array, or to the
 * message an operator reads instead: HTML where JSON was expected, JSON
 * broken at a byte, a body cut short, no records where 'records' says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/http.h"

static char why[512];
static bool null_empty; /* the source's null_records = empty */

static long status = 200;

static int parse(const char *body, const char *ctype, const char *path, struct jdoc **doc,
                 const struct jval **records)
{
    struct http_response r = {.status = status, .content_type = (char *)ctype};
    int rc;

    buf_adds(&r.body, body);
    rc = http_page_parse(&r, path, null_empty, doc, records, why, sizeof why);
    buf_free(&r.body);
    return rc;
}

static void test_records(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    assert_int_equal(parse("{\"data\":{\"items\":[{\"id\":1},{\"id\":2}]}}",
                           "application/json; charset=utf-8", "data.items", &doc, &recs),
                     0);
    assert_int_equal((int)recs->n, 2);
    jdoc_free(doc);
    /* the body is the array; no Content-Type (file://) is taken on trust */
    assert_int_equal(parse(" [{\"id\":1}]\n", NULL, "", &doc, &recs), 0);
    assert_int_equal((int)recs->n, 1);
    jdoc_free(doc);
    assert_int_equal(parse("{\"data\":[]}", "application/vnd.api+json", "data", &doc, &recs), 0);
    assert_int_equal((int)recs->n, 0);
    jdoc_free(doc);
}

/* The body decides, not its label: a JSON file from an object store comes
 * as application/octet-stream, a web app's JSON often as text/html. */
static void test_json_under_another_type(void **state)
{
    static const char *types[] = {"application/octet-stream", "binary/octet-stream",
                                  "text/html; charset=UTF-8", "text/plain"};
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        assert_int_equal(parse("{\"data\":[{\"id\":1},{\"id\":2}]}", types[i], "data", &doc,
                               &recs),
                         0);
        assert_int_equal((int)recs->n, 2);
        jdoc_free(doc);
    }
    /* what is not JSON is named by its type, not by the byte it broke at */
    assert_int_equal(parse("Service Unavailable", "text/plain", "data", &doc, &recs), -1);
    assert_string_equal(why, "expected JSON, got text/plain: 'Service Unavailable'");
    assert_int_equal(parse("id,title\n1,Lamp\n", "application/octet-stream", "data", &doc, &recs),
                     -1);
    assert_string_equal(why, "expected JSON, got application/octet-stream: 'id,title 1,Lamp'");
    /* JSON that says it is JSON and breaks is named by its byte */
    assert_int_equal(parse("{\"data\": [}", "application/json", "data", &doc, &recs), -1);
    assert_string_equal(why, "malformed JSON near byte 11: unallowed token at this point in JSON "
                             "text");
    assert_null(doc);
}

static void test_not_json(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    assert_int_equal(parse("<html><head><title>Bad Gateway</title></head><body>x</body>",
                           "text/html", "data", &doc, &recs),
                     -1);
    assert_null(doc);
    assert_string_equal(why, "expected JSON, got text/html: 'Bad Gateway x'");
    /* markup without a Content-Type, and no title */
    assert_int_equal(parse("\n  <?xml version=\"1.0\"?><items/>", NULL, "", &doc, &recs), -1);
    assert_string_equal(why, "expected JSON, got markup: '<?xml version=\"1.0\"?><items/>'");
    assert_int_equal(parse("", "application/json", "", &doc, &recs), -1);
    assert_string_equal(why, "empty response, expected JSON");
}

static void test_malformed(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    assert_int_equal(parse("{\"data\": [{\"id\": 1},, {\"id\": 2}]}", NULL, "data", &doc, &recs),
                     -1);
    assert_string_equal(why, "malformed JSON near byte 21: unallowed token at this point in JSON "
                             "text");
    assert_int_equal(parse("{\"data\": [{\"id\": 1}, {\"id\"", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "malformed JSON near byte 26: premature EOF (the text ends early)");
    assert_int_equal(parse("{\"data\": []} trailing", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "malformed JSON near byte 15: trailing garbage");
    /* what cJSON let through */
    assert_int_equal(parse("{\"data\": [-01]}", NULL, "data", &doc, &recs), -1);
    assert_int_equal(parse("{\"data\": [\"a\tb\"]}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "malformed JSON near byte 12: invalid character inside string");
    assert_int_equal(parse("{\"data\": [\"caf\xc0\xa9\"]}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "malformed JSON near byte 14: not UTF-8");
    assert_null(doc);
}

static void test_no_records(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    assert_int_equal(parse("{\"error\":\"quota exceeded\"}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "no 'data' in the response: '{\"error\":\"quota exceeded\"}'");
    assert_int_equal(parse("{\"data\":{\"id\":1}}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "'data' is an object, not an array of records");
    assert_int_equal(parse("{\"data\":[]}", NULL, "", &doc, &recs), -1);
    assert_string_equal(why, "the response is an object, not an array of records (set "
                             "'records' to the path of the array)");
    assert_int_equal(parse("{\"data\":[],\"data\":[{\"id\":1}]}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "the response holds 'data' twice");
    assert_null(doc);
}

/* A record array that is null: an error that names the setting, unless the
 * source says its API means no records by it. */
static void test_null_records(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    assert_int_equal(parse("{\"data\":null}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "'data' is null, not an array of records (an API that answers "
                             "null for no records wants null_records = empty)");
    assert_int_equal(parse("null", NULL, "", &doc, &recs), -1);
    assert_string_equal(why, "the response is null, not an array of records (an API that "
                             "answers null for no records wants null_records = empty)");
    null_empty = true;
    assert_int_equal(parse("{\"data\":null,\"total\":0}", NULL, "data", &doc, &recs), 0);
    assert_int_equal((int)recs->n, 0);
    assert_null(recs->child);
    jdoc_free(doc);
    /* what is not there is still no page, and what is not null is read */
    assert_int_equal(parse("{\"error\":\"quota\"}", NULL, "data", &doc, &recs), -1);
    assert_string_equal(why, "no 'data' in the response: '{\"error\":\"quota\"}'");
    assert_int_equal(parse("{\"data\":[{\"id\":1}]}", NULL, "data", &doc, &recs), 0);
    assert_int_equal((int)recs->n, 1);
    jdoc_free(doc);
    null_empty = false;
}

/* 204 No Content: a page without records; an empty 200 is still an error */
static void test_no_content(void **state)
{
    struct jdoc *doc;
    const struct jval *recs;
    (void)state;

    status = 204;
    assert_int_equal(parse("", NULL, "data", &doc, &recs), 0);
    assert_int_equal((int)recs->n, 0);
    assert_null(recs->child);
    assert_non_null(doc);
    jdoc_free(doc);
    status = 200;
    assert_int_equal(parse("", "application/json", "data", &doc, &recs), -1);
    assert_string_equal(why, "empty response, expected JSON");
}

static void test_excerpt(void **state)
{
    struct http_response r = {0};
    char out[64], big[4 * HTTP_EXCERPT_CELLS];
    (void)state;

    buf_adds(&r.body, "line one\n\t\tline two\x01 and a long tail that goes on and on and on");
    http_body_excerpt(&r, out, sizeof out);
    assert_string_equal(out, "line one line two? and a long tail that goes on and on and on");
    buf_adds(&r.body, " and on and on and on and on"); /* past HTTP_EXCERPT_CELLS */
    http_body_excerpt(&r, big, sizeof big);
    assert_string_equal(big, "line one line two? and a long tail that goes on and on and on "
                             "and on and on and…");
    buf_reset(&r.body);
    buf_adds(&r.body, "caf\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9");
    http_body_excerpt(&r, out, 9);
    assert_string_equal(out, "café…");
    http_body_excerpt(&r, out, 8); /* one byte short: the é is not split */
    assert_string_equal(out, "caf…");
    buf_free(&r.body);
}

/* An error page by its words: a body's first bytes are its markup. */
static void expect_excerpt(long code, const char *body, const char *want)
{
    struct http_response r = {.status = code};
    char out[4 * HTTP_EXCERPT_CELLS];

    buf_adds(&r.body, body);
    http_body_excerpt(&r, out, sizeof out);
    buf_free(&r.body);
    if (strcmp(out, want) != 0)
        fail_msg("%s\n  expected: %s\n  got:      %s", body, want, out);
}

static void test_error_words(void **state)
{
    (void)state;
    /* Python's http.server: the title, the heading repeating it left out */
    expect_excerpt(404, "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n"
                        "        <meta charset=\"utf-8\">\n        <title>Error response</title>\n"
                        "    </head>\n    <body>\n        <h1>Error response</h1>\n"
                        "        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n"
                        "    </body>\n</html>\n",
                   "Error response Error code: 404 Message: File not found.");
    /* nginx; a title across lines; comments, scripts and styles left out */
    expect_excerpt(502, "<html>\r\n<head><title>502\n  Bad Gateway</title></head>\r\n<body>\r\n"
                        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>"
                        "<!-- a padding comment -->\r\n</body>\r\n</html>\r\n",
                   "502 Bad Gateway nginx");
    expect_excerpt(503, "<html><head><style>body { color: red }</style><script>var x = '<p>';"
                        "</script></head><body><p>Down for maintenance &amp; back at 10:00 "
                        "&#8212; sorry&nbsp;&lt;3&#x21;</p></body></html>",
                   "Down for maintenance & back at 10:00 — sorry <3!");
    /* no title; an unknown reference is its text */
    expect_excerpt(500, "  <h1>Internal &bogus; Error</h1>", "Internal &bogus; Error");
    /* JSON error bodies by their code and message */
    expect_excerpt(429, "{\"error\": \"try again\"}", "try again");
    expect_excerpt(401, "{\"error\":\"invalid_token\",\"error_description\":\"The access token "
                        "expired\"}",
                   "invalid_token: The access token expired");
    expect_excerpt(404, "{\"message\": \"Not Found\", \"documentation_url\": \"https://x\"}",
                   "Not Found");
    expect_excerpt(422, "{\"detail\": \"page must be at least 1\"}", "page must be at least 1");
    expect_excerpt(400, "{\"error\": {\"code\": 400, \"message\": \"bad cursor\"}}",
                   "bad cursor");
    expect_excerpt(400, "{\"errors\": [{\"message\": \"size is too large\"}]}",
                   "size is too large");
    /* JSON without such words, and a success's JSON: its first characters */
    expect_excerpt(500, "{\"status\": 500}", "{\"status\": 500}");
    expect_excerpt(200, "{\"error\": \"x\"}", "{\"error\": \"x\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),   cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_json_under_another_type),
        cmocka_unit_test(test_malformed), cmocka_unit_test(test_no_records),
        cmocka_unit_test(test_null_records), cmocka_unit_test(test_no_content),
        cmocka_unit_test(test_excerpt),   cmocka_unit_test(test_error_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
