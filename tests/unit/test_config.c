/*
 * test_config.c — the configuration file: values, defaults, and the errors
 * an operator sees for a mistyped key, a bad value or a broken reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kasparro/buf.h"
#include "kasparro/config.h"

static char *write_conf(const char *text)
{
    char *path = strdup("/tmp/kasparro-conf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static struct config *load(const char *text, struct err *err)
{
    char *path = write_conf(text);
    struct config *cfg = config_load(path, err);
    unlink(path);
    free(path);
    return cfg;
}

static const char *good =
    "[kasparro]\n"
    "error_ratio = 0.2\n"
    "[schema]\n"
    "title = text, required\n"
    "published_at = timestamp\n"
    "views = integer\n"
    "\n"
    "[source api]\n"
    "kind = http_json\n"
    "url = https://example.org/articles?page={page}\n"
    "id = id\n"
    "records = data.items\n"
    "pagination = page\n"
    "page_size = 50\n"
    "timeout = 1500ms\n"
    "max_body = 2M\n"
    "map.title = title\n"
    "map.meta.published = published_at\n"
    "\n"
    "[source partner]\n"
    "kind = csv\n"
    "path = partner.csv\n"
    "delimiter = semicolon\n"
    "encoding = latin1\n"
    "id = ref\n"
    "map.headline = title\n";

static void test_good_config(void **state)
{
    struct err err = {0};
    struct config *cfg = load(good, &err);

    (void)state;
    assert_non_null(cfg);
    assert_int_equal(cfg->nfields, 3);
    assert_true(cfg->fields[0].required);
    assert_int_equal(cfg->fields[1].type, FT_TIMESTAMP);
    assert_int_equal(cfg->nsources, 2);
    const struct source_cfg *api = config_source(cfg, "api");
    assert_non_null(api);
    assert_int_equal(api->kind, SRC_HTTP_JSON);
    assert_int_equal(api->pagination, PAGE_PAGE);
    assert_int_equal(api->page_size, 50);
    assert_int_equal(api->timeout_ms, 1500);
    assert_int_equal(api->max_body, 2 * 1024 * 1024);
    assert_string_equal(api->maps[1].from, "meta.published");
    assert_string_equal(api->maps[1].to, "published_at");
    const struct source_cfg *csv = config_source(cfg, "partner");
    assert_int_equal(csv->delimiter, ';');
    assert_int_equal(csv->encoding, ENC_LATIN1);
    assert_string_equal(csv->path + strlen(csv->path) - 12, "/partner.csv");
    assert_true(csv->path[0] == '/');
    assert_true(cfg->error_ratio > 0.19 && cfg->error_ratio < 0.21);
    /* defaults */
    assert_string_equal(cfg->cron, "0 */6 * * *");
    assert_int_equal(cfg->grace_s, 900);
    assert_int_equal(cfg->retention_s, 90 * 86400);
    assert_int_equal(api->retry_deadline_ms, 120000);
    config_free(cfg);
}

/* `-c share/kasparro/kasparro.conf` from a source tree: the config's folder
 * is still absolute, for {dir} in file:// URLs and for relative paths. */
static void test_relative_config_path(void **state)
{
    struct err err = {0};
    char *path = write_conf(good);
    char cwd[4096];

    (void)state;
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir("/tmp"), 0);
    struct config *cfg = config_load(path + strlen("/tmp/"), &err);
    assert_int_equal(chdir(cwd), 0);
    unlink(path);
    free(path);
    assert_non_null(cfg);
    assert_string_equal(cfg->dir, "/tmp");
    assert_string_equal(config_source(cfg, "partner")->path, "/tmp/partner.csv");
    config_free(cfg);
}

static void expect_error(const char *text, const char *needle)
{
    struct err err = {0};
    struct config *cfg = load(text, &err);

    if (cfg != NULL || strstr(err.msg, needle) == NULL)
        fail_msg("expected an error containing \"%s\", got \"%s\"", needle, err.msg);
    assert_int_equal(err.code, EXIT_USAGE);
}

/* expect_error on `head` followed by `lines` */
static void expect_error_after(const char *head, const char *lines, const char *needle)
{
    char text[1024];

    snprintf(text, sizeof text, "%s%s", head, lines);
    expect_error(text, needle);
}

static void test_unknown_key_suggests(void **state)
{
    (void)state;
    expect_error("[matching]\nauto = 0.9\nreveiw = 0.5\n",
                 "line 3: unknown key 'reveiw' in [matching] (did you mean 'review'?)");
    expect_error("[schema]\ntitle = text\n[source a]\nkind = csv\npagnation = page\n",
                 "line 5: unknown key 'pagnation' in [source a] (did you mean 'pagination'?)");
    expect_error("[sceduler]\ncron = * * * * *\n", "unknown section [sceduler] (did you mean "
                                                  "'scheduler'?)");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_error("[kasparro]\nerror_ratio = 2\n", "line 2: key 'error_ratio': '2' is not a "
                                                  "number between 0 and 1");
    expect_error("[schema]\ntitle = txt\n", "line 2: field 'title': unknown type 'txt' (did you "
                                            "mean 'text'?)");
    expect_error("[schema]\nt = text\n[source a]\nkind = ftp\n", "line 4: key 'kind': 'ftp' is "
                                                                 "not one of http_json|csv");
    expect_error("[schema]\nt = text\n[source a]\nkind = csv\ntimeout = soon\n",
                 "line 5: key 'timeout': 'soon' is not a duration");
}

static void test_cross_references(void **state)
{
    (void)state;
    expect_error("[schema]\ntitle = text\n[source a]\nkind = csv\npath = x.csv\nid = id\n"
                 "map.name = titel\n",
                 "line 7: source 'a': map.name: 'titel' is not a field of [schema] (did you mean "
                 "'title'?)");
    expect_error("[schema]\ntitle = text\n[source a]\nkind = csv\npath = x.csv\nmap.t = title\n",
                 "line 3: source 'a': 'id' names no source field");
    expect_error("[schema]\ntitle = text\n[source a]\nkind = http_json\nid = id\nmap.t = title\n",
                 "source 'a': an http_json source needs 'url'");
    expect_error("[schema]\ntitle = text\n[source a]\nkind = csv\npath = a\nid = i\nmap.t = title\n"
                 "sync = incremental\n", "an incremental source needs 'cursor_field'");
    expect_error("[schema]\ntitle = text\n[source a]\nkind = csv\npath = a\nid = i\nmap.t = title\n"
                 "format.title = 1,234.56\n", "line 8: source 'a': format.title: 'title' is not a "
                 "timestamp, number or integer field of [schema]");
    expect_error("[schema]\nprice = number\n[source a]\nkind = csv\npath = a\nid = i\n"
                 "map.p = price\nformat.price = 1,234\n", "line 8: source 'a': format.price: the "
                 "example '1,234' could group thousands or start a fraction; write one like");
}

/* Column names with ':', '=', ';', '.' or quotes map when quoted; inih alone
 * would cut map.https://x.org/t at the ':'. */
static void test_quoted_map_keys(void **state)
{
    struct err err = {0};
    struct config *cfg = load(
        "[schema]\ntitle = text\nname = text\nyear = integer\nnote = text\nplain = text\n"
        "[source m]\nkind = csv\npath = m.csv\nid = id\n"
        "map.\"https://www.scads.de/movieBenchmark/ontology/title\" = title\n"
        "map.\"a:b=c ;d\"   :  name ; a comment\n"
        "map.meta.\"x.y\" = year\n"
        "map.\"say \\\"hi\\\"\" = note\n"
        "map.\"plain\" = plain\n"
        "id_note = x\n", &err);

    (void)state;
    assert_null(cfg); /* the last line is a real mistake, reported with its own name */
    assert_non_null(strstr(err.msg, "line 16: unknown key 'id_note' in [source m]"));
    err = (struct err){0};
    cfg = load("[schema]\ntitle = text\nname = text\nyear = integer\nnote = text\n"
               "plain = text\n[source m]\nkind = csv\npath = m.csv\nid = id\n"
               "map.\"https://www.scads.de/movieBenchmark/ontology/title\" = title\n"
               "map.\"a:b=c ;d\"   :  name ; a comment\n"
               "map.meta.\"x.y\" = year\n"
               "map.\"say \\\"hi\\\"\" = note\n"
               "map.\"plain\" = plain\n", &err);
    if (cfg == NULL)
        fail_msg("%s", err.msg);
    const struct source_cfg *m = config_source(cfg, "m");
    assert_int_equal(m->nmaps, 5);
    assert_string_equal(m->maps[0].from, "\"https://www.scads.de/movieBenchmark/ontology/title\"");
    assert_string_equal(m->maps[0].to, "title");
    assert_int_equal(m->maps[0].line, 11);
    assert_string_equal(m->maps[1].from, "\"a:b=c ;d\"");
    assert_string_equal(m->maps[1].to, "name");
    assert_string_equal(m->maps[2].from, "meta.\"x.y\"");
    assert_string_equal(m->maps[3].from, "\"say \\\"hi\\\"\"");
    assert_string_equal(m->maps[4].from, "plain"); /* quotes only where needed */
    config_free(cfg);

    const char *head = "[schema]\nt = text\n[source a]\nkind = csv\npath = a\nid = i\n";
    char text[512];
    snprintf(text, sizeof text, "%smap.\"https://x.org/t = t\n", head);
    expect_error(text, "line 7: key 'map.\"https': a quote is not closed");
    snprintf(text, sizeof text, "%smap.a\"b\" = t\n", head);
    expect_error(text, "line 7: key 'map.a\"b\"': a quote may only enclose a whole segment");
    snprintf(text, sizeof text, "%smap.\"x\"y = t\n", head);
    expect_error(text, "line 7: key 'map.\"x\"y': a closing quote must end the segment");
    snprintf(text, sizeof text, "%smap.\"\" = t\n", head);
    expect_error(text, "line 7: key 'map.\"\"': a segment is empty");
    snprintf(text, sizeof text, "%smap.\"https://x.org/t\" = titel\n", head);
    expect_error(text, "line 7: source 'a': map.\"https://x.org/t\": 'titel' is not a field");
}

/* inih would merge two sections of one name and let a repeated key's last
 * value win; both are errors that name both lines. */
static void test_said_twice(void **state)
{
    const char *src = "[schema]\nt = text\n[source a]\nkind = csv\npath = a.csv\nid = i\n"
                      "map.t = t\n";
    char text[512];
    (void)state;

    snprintf(text, sizeof text, "%s[matching]\nenabled = false\n[source a]\nkind = csv\n", src);
    expect_error(text, "line 10: [source a] is declared twice (first on line 3)");
    snprintf(text, sizeof text, "%s[source  a ]\n", src);
    expect_error(text, "line 8: [source  a ] is declared twice (first on line 3)");
    expect_error("[schema]\nt = text\n[deletes]\n[schema]\nu = text\n",
                 "line 4: [schema] is declared twice (first on line 1)");
    snprintf(text, sizeof text, "%spath = b.csv\n", src);
    expect_error(text, "line 8: key 'path' is given twice in [source a] (first on line 5)");
    expect_error("[schema]\nt = text\nt = integer\n",
                 "line 3: key 't' is given twice in [schema] (first on line 2)");
    snprintf(text, sizeof text, "%smap.\"t\" = t\n", src);
    expect_error(text, "line 8: map.\"t\" names the source field of map.t on line 7 again");
    /* an indented line is a key of its own, not the tail of the one before */
    snprintf(text, sizeof text, "%s  path = b.csv\n", src);
    expect_error(text, "line 8: key 'path' is given twice in [source a] (first on line 5)");
    struct err err = {0};
    struct config *cfg = load("[schema]\n  t = text\n  u = integer\n", &err);
    assert_non_null(cfg);
    assert_int_equal(cfg->nfields, 2);
    config_free(cfg);
}

/* Ingesting needs fields and a source; an empty file says what is missing. */
static void test_nothing_to_ingest(void **state)
{
    struct err err = {0};
    struct config *cfg = load("", &err);
    (void)state;

    assert_non_null(cfg);
    assert_int_equal(config_require_ingest(cfg, &err), -1);
    assert_int_equal(err.code, EXIT_USAGE);
    assert_non_null(strstr(err.msg, "has nothing to ingest: no [schema] declares the unified "
                                    "fields (FIELD = TYPE) and no [source NAME]"));
    config_free(cfg);
    err = (struct err){0};
    cfg = load("[schema]\nt = text\n", &err);
    assert_int_equal(config_require_ingest(cfg, &err), -1);
    assert_non_null(strstr(err.msg, "declares no source: add a [source NAME] section"));
    config_free(cfg);
    err = (struct err){0};
    expect_error("[source a]\nkind = csv\npath = a.csv\nid = i\nmap.t = t\n",
                 "sources are declared but [schema] declares no field");
    cfg = load(good, &err);
    assert_int_equal(config_require_ingest(cfg, &err), 0);
    config_free(cfg);
}

static void test_missing_file(void **state)
{
    struct err err = {0};
    (void)state;
    assert_null(config_load("/nonexistent/kasparro.conf", &err));
    assert_non_null(strstr(err.msg, "unable to open config '/nonexistent/kasparro.conf'"));
}

/* The lines of `all` hold at[0..n-1], in order, and nothing else. */
static void expect_listed(const struct buf *all, const char *const *at, size_t n)
{
    const char *c = buf_str(all);

    for (size_t i = 0; i < n; i++) {
        const char *nl = strchr(c, '\n');
        if (nl == NULL)
            fail_msg("line %zu missing: expected '%s'", i + 1, at[i]);
        char *line = strndup(c, (size_t)(nl - c));
        if (strstr(line, at[i]) == NULL)
            fail_msg("wrong line %zu: expected '%s' in '%s'", i + 1, at[i], line);
        free(line);
        c = nl + 1;
    }
    if (*c != '\0')
        fail_msg("more listed than expected: '%s'", c);
}

/* One pass names every wrong line, in the file's order: an unknown section
 * once (not for each of its keys), a source whose header is wrong once (its
 * keys are not blamed for it), the first line in the error with a count. */
static void test_every_wrong_line_named(void **state)
{
    static const char text[] = "[kasparro]\n"          /* 1 */
                               "log_level = chatty\n"  /* 2 */
                               "[scheme]\n"            /* 3 */
                               "a = text\n"
                               "b = text\n"
                               "[schema]\n"            /* 6 */
                               "t = money\n"           /* 7 */
                               "not a key\n"           /* 8 */
                               "[source x y]\n"        /* 9 */
                               "kind = csv\n"
                               "path = a.csv\n"
                               "[matching]\n"          /* 12 */
                               "auto = 1.5\n";         /* 13 */
    char *path = write_conf(text);
    struct buf all = BUF_INIT;
    struct err err = {0};
    (void)state;

    assert_null(config_load(path, &err));
    assert_non_null(strstr(err.msg, "line 2: key 'log_level': 'chatty' is not debug"));
    assert_non_null(strstr(err.msg, "(and 5 more wrong lines: 'kasparro config check' lists"));
    assert_null(config_load_listing(path, &err, &all));
    const char *at[] = {"line 2: key 'log_level'", "line 3: unknown section [scheme]",
                        "line 7: field 't': unknown type 'money'",
                        "line 8: not a 'key = value' line",
                        "line 9: source name 'x y' may hold only", "line 13: key 'auto'"};
    expect_listed(&all, at, sizeof at / sizeof *at);
    buf_free(&all);
    unlink(path);
    free(path);
}

/* Every line inih cannot read is listed, not only the first it reports,
 * at its own line among the rest; a key inih is handed in disguise (one
 * with quotes) moves no line number. A header without its ']' is said as
 * such, and a malformed line under it is still one. */
static void test_every_malformed_line_named(void **state)
{
    static const char text[] = "[schema]\n"             /* 1 */
                               "t = text\n"              /* 2 */
                               "no equals\n"             /* 3 */
                               "[source s]\n"            /* 4 */
                               "map.\"a=b\" = t\n"       /* 5 */
                               "neither\n"               /* 6 */
                               "kind = csv\n"            /* 7 */
                               "paht = s.csv\n"          /* 8 */
                               "id = a\n"                /* 9 */
                               "map.\"c:d\" = t\n"       /* 10 */
                               "[broken\n"               /* 11 */
                               "    ; an indented comment\n"
                               "   indented";            /* 13, no newline */
    char *path = write_conf(text);
    struct buf all = BUF_INIT;
    struct err err = {0};
    (void)state;

    assert_null(config_load(path, &err));
    assert_non_null(strstr(err.msg, "line 3: not a 'key = value' line or a [section] (and 4 "
                                    "more wrong lines"));
    assert_int_equal(err.code, EXIT_USAGE);
    assert_null(config_load_listing(path, &err, &all));
    const char *at[] = {"line 3: not a 'key = value' line", "line 6: not a 'key = value' line",
                        "line 8: unknown key 'paht'",
                        "line 11: section header '[broken' has no closing ']'",
                        "line 13: not a 'key = value' line"};
    expect_listed(&all, at, sizeof at / sizeof *at);
    assert_non_null(strstr(err.msg, ": 5 wrong lines"));
    buf_free(&all);
    unlink(path);
    free(path);
}

/* A section said twice is one mistake, its header's: the pass goes on, the
 * lines under it are checked as lines, and none is blamed for a key the
 * first section of the name gave. */
static void test_said_twice_goes_on(void **state)
{
    static const char text[] = "[kasparro]\n"       /* 1 */
                               "log_level = info\n" /* 2 */
                               "[schema]\n"         /* 3 */
                               "t = text\n"
                               "[source a]\n"       /* 5 */
                               "kind = csv\n"       /* 6 */
                               "[kasparro]\n"       /* 7 */
                               "log_level = info\n" /* 8: not a mistake of its own */
                               "workers = 0\n"      /* 9 */
                               "[source a]\n"       /* 10 */
                               "kind = csv\n"
                               "kind = csv\n"       /* 12 */
                               "[matching]\n"
                               "auto = 2\n";        /* 14 */
    const char *at[] = {"line 7: [kasparro] is declared twice (first on line 1)",
                        "line 9: key 'workers': 0 is not 1 to",
                        "line 10: [source a] is declared twice (first on line 5)",
                        "line 12: key 'kind' is given twice in [source a] (first on line 11)",
                        "line 14: key 'auto'"};
    char *path = write_conf(text);
    struct buf all = BUF_INIT;
    struct err err = {0};
    (void)state;

    assert_null(config_load_listing(path, &err, &all));
    expect_listed(&all, at, sizeof at / sizeof *at);
    assert_non_null(strstr(err.msg, ": 5 wrong lines"));
    buf_free(&all);
    unlink(path);
    free(path);
}

/* Lines that read but do not fit together: every mistake of a source and
 * of [matching] is named with its line, not only the first of each. */
static void test_every_mistake_across_lines(void **state)
{
    static const char text[] = "[schema]\n"
                               "t = text\n"
                               "n = number\n"
                               "[source a]\n"        /* 4: no id */
                               "kind = csv\n"
                               "path = a.csv\n"
                               "map.x = tt\n"        /* 7 */
                               "map.y = nn\n"        /* 8 */
                               "format.t = %Y\n"     /* 9 */
                               "[matching]\n"
                               "blocking = tt, n:prefix0\n" /* 11, twice */
                               "compare.t = exact\n"
                               "compare.x = exact\n" /* 13 */
                               "review = 0.9\n"      /* 14 */
                               "auto = 0.8\n";
    const char *at[] = {"line 4: source 'a': 'id' names no source field",
                        "line 7: source 'a': map.x: 'tt' is not a field of [schema] (did you "
                        "mean 't'?)",
                        "line 8: source 'a': map.y: 'nn' is not a field of [schema] (did you "
                        "mean 'n'?)",
                        "line 9: source 'a': format.t: 't' is not a timestamp, number or integer",
                        "line 11: [matching] blocking: 'tt' is not a field of [schema]",
                        "line 11: [matching] blocking: unknown key function 'prefix0' for 'n'",
                        "line 13: [matching] compare: 'x' is not a field of [schema]",
                        "line 14: [matching] review (0.90) is above auto (0.80)"};
    char *path = write_conf(text);
    struct buf all = BUF_INIT;
    struct err err = {0};
    (void)state;

    assert_null(config_load_listing(path, &err, &all));
    expect_listed(&all, at, sizeof at / sizeof *at);
    assert_non_null(strstr(err.msg, ": 8 mistakes on 7 lines"));
    buf_free(&all);
    assert_null(config_load(path, &err));
    assert_non_null(strstr(err.msg, "line 4: source 'a': 'id' names no source field (the record "
                           "id) (and 7 more mistakes: 'kasparro config check' lists every one)"));
    unlink(path);
    free(path);
}

/* Mistakes an operator makes writing a source or a schedule, each named by
 * its line and said in the file's own terms. */
static void test_mistakes_named_by_line(void **state)
{
    static const char src[] = "[schema]\nt = text\n[source a]\nkind = csv\npath = a.csv\n"
                              "id = id\nmap.t = t\n";
    (void)state;
    /* inih ends a value at " ;": the value reaches kasparro empty */
    expect_error_after(src, "delimiter = ;\n", "line 8: key 'delimiter' has no value (after a "
                       "blank, ';' starts a comment: write 'semicolon')");
    /* a setting's mistake names the setting's line, not the section's */
    expect_error_after(src, "header = false\n", "line 8: source 'a': header = false needs "
                       "'columns'");
    expect_error_after(src, "columns = id,t\n", "line 8: source 'a': 'columns' names the "
                       "columns of a file without a header; add header = false");
    expect_error_after(src, "sync = incremental\ncursor_field = updated\n",
                       "line 9: source 'a': cursor_field 'updated' is not a field of [schema]");
    expect_error_after(src, "sync = incremental\n",
                       "line 8: source 'a': an incremental source needs 'cursor_field'");
    /* a time format strptime cannot read fails every value: refused before */
    expect_error("[schema]\nt = text\nu = timestamp\n[source a]\nkind = csv\npath = a.csv\n"
                 "id = id\nmap.t = t\nformat.u = %Y-%m-%dT%H:%M:%S.%f\n",
                 "line 9: source 'a': format.u: strptime(3) cannot read back a time written as "
                 "'%Y-%m-%dT%H:%M:%S.%f' (an unknown conversion, such as Python's %f?");
    static const char *const readable[] = {"%d.%m.%Y %H:%M", "%s", "%Y%m%d",
                                           "%a, %d %b %Y %H:%M:%S %z", "%d/%m/%y %I:%M %p %Z"};
    for (size_t i = 0; i < sizeof readable / sizeof readable[0]; i++) {
        char text[256];
        struct err err = {0};
        snprintf(text, sizeof text, "[schema]\nu = timestamp\n[source a]\nkind = csv\n"
                 "path = a.csv\nid = id\nmap.u = u\nformat.u = %s\n", readable[i]);
        struct config *cfg = load(text, &err);
        if (cfg == NULL)
            fail_msg("format '%s' refused: %s", readable[i], err.msg);
        config_free(cfg);
    }
    expect_error("[schema]\nt = text\n[source a]\npath = a.csv\nid = id\nmap.t = t\n",
                 "line 3: source 'a': no 'kind' (csv or http_json)");
    expect_error_after(src, "[scheduler]\ncron = 61 * * * *\n",
                       "' line 9: cron '61 * * * *': minute: 61 is out of range");
    expect_error_after(src, "[scheduler]\ncron = 0 * * * *\ntimezone = Europe/Berln\n",
                       "' line 10: time zone 'Europe/Berln' is unknown");
    expect_error_after(src, "[kasparro]\nworkers = 100\n",
                       "line 9: key 'workers': 100 is not 1 to 64");
    expect_error_after(src, "[kasparro]\nlog_level = verbose\n",
                       "line 9: key 'log_level': 'verbose' is not debug, info, warn or error");
}

/* [matching] url_tracking_params: the default list when not given, none
 * when empty, each name checked where it is written. */
static void test_url_tracking_params(void **state)
{
    static const char src[] = "[schema]\nt = text\nu = url\n[source a]\nkind = csv\n"
                              "path = a.csv\nid = id\n[matching]\n";
    struct err err = {0};
    char text[512];
    (void)state;

    struct config *cfg = load(src, &err);
    assert_non_null(cfg);
    assert_string_equal(cfg->match.tracking[0], "utm_*");
    for (int i = 0; match_tracking_default[i] != NULL; i++)
        assert_string_equal(cfg->match.tracking[i], match_tracking_default[i]);
    config_free(cfg);
    snprintf(text, sizeof text, "%s%s", src,
             "url_tracking_params = ref, session_*, , pk_campaign\n");
    cfg = load(text, &err);
    assert_non_null(cfg);
    assert_string_equal(cfg->match.tracking[0], "ref");
    assert_string_equal(cfg->match.tracking[1], "session_*");
    assert_string_equal(cfg->match.tracking[2], "pk_campaign");
    assert_null(cfg->match.tracking[3]);
    config_free(cfg);
    snprintf(text, sizeof text, "%s%s", src, "url_tracking_params =\n");
    cfg = load(text, &err);
    assert_non_null(cfg);
    assert_null(cfg->match.tracking[0]);
    config_free(cfg);
    expect_error_after(src, "auto = 0.9\nurl_tracking_params = utm_*, *\n",
                       "line 10: [matching] url_tracking_params: '*': '*' alone would drop "
                       "every parameter");
    expect_error_after(src, "url_tracking_params = u*tm\n",
                       "line 9: [matching] url_tracking_params: 'u*tm': a '*' ends a prefix "
                       "and stands nowhere else");
    expect_error_after(src, "url_tracking_params = utm_source=x\n",
                       "line 9: [matching] url_tracking_params: 'utm_source=x': a parameter's "
                       "name holds no blank, '=', '&', ';', '#' or '?'");
}

/* A URL that cannot work is refused at config check, not on the first
 * request: curl guesses http for "host/path", and a misspelt placeholder
 * is sent as it is, braces and all (a 404, at best). */
static void test_url_checked(void **state)
{
    static const char src[] = "[schema]\nt = text\n[source a]\nkind = http_json\nid = id\n"
                              "map.t = t\nurl = ";
    char text[512];
    struct err err = {0};
    struct config *cfg;
    (void)state;
    expect_error_after(src, "localhost:8080/items\n", "line 7: source 'a': url "
                       "'localhost:8080/items' is not an http://, https:// or file:// URL");
    expect_error_after(src, "ftp://x.org/items\n",
                       "url 'ftp://x.org/items' is not an http://, https:// or file:// URL");
    expect_error_after(src, "https://x.org/items?p={pgae}\n", "line 7: source 'a': url: "
                       "'{pgae}' is no placeholder (did you mean '{page}'?) (they are {page}, "
                       "{offset}, {limit}, {cursor}, {since} and {dir})");
    expect_error_after(src, "https://x.org/items\npagination = cursor\n",
                       "line 8: source 'a': cursor pagination needs 'cursor_path'");
    expect_error_after(src, "https://x.org/items\npage_size = 0\n",
                       "line 8: source 'a': page_size must be at least 1");
    /* JSON in a query is no placeholder; the placeholders are fine */
    snprintf(text, sizeof text, "%sHTTPS://x.org/{dir}?q={\"a\":1}&o={offset}&s={since}\n", src);
    cfg = load(text, &err);
    if (cfg == NULL)
        fail_msg("%s", err.msg);
    config_free(cfg);
}

static void test_every_key_documented_in_table(void **state)
{
    (void)state;
    assert_true(config_nkeys > 40);
    for (size_t i = 0; i < config_nkeys; i++) {
        assert_non_null(config_keys[i].section);
        assert_non_null(config_keys[i].doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_config),
        cmocka_unit_test(test_relative_config_path),
        cmocka_unit_test(test_unknown_key_suggests),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_cross_references),
        cmocka_unit_test(test_quoted_map_keys),
        cmocka_unit_test(test_mistakes_named_by_line),
        cmocka_unit_test(test_url_checked),
        cmocka_unit_test(test_said_twice),
        cmocka_unit_test(test_nothing_to_ingest),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_every_wrong_line_named),
        cmocka_unit_test(test_every_malformed_line_named),
        cmocka_unit_test(test_said_twice_goes_on),
        cmocka_unit_test(test_every_mistake_across_lines),
        cmocka_unit_test(test_every_key_documented_in_table),
        cmocka_unit_test(test_url_tracking_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
