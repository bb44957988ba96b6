/*
 * test_csv.c — the CSV source on the files operators actually receive:
 * semicolons, a byte order mark, latin-1, quoted newlines, CRLF, blank
 * lines, rows with the wrong number of fields, invalid UTF-8 — and resuming
 * an interrupted read at the exact record where it stopped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kasparro/source.h"

static char path[64];

static struct source_cfg csv_cfg(char delim, enum csv_encoding enc)
{
    struct source_cfg s = {0};
    s.name = "t";
    s.kind = SRC_CSV;
    s.path = path;
    s.delimiter = delim;
    s.quote = '"';
    s.header = true;
    s.encoding = enc;
    s.strip_bom = true;
    s.trim = true;
    return s;
}

static void write_file(const char *data, size_t len)
{
    snprintf(path, sizeof path, "/tmp/kasparro-csv-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static struct source *open_src(struct source_cfg *s, const cJSON *resume)
{
    struct source_open how = {.src = s, .resume = resume};
    struct err err = {0};
    struct source *src = source_csv_ops.open(&how, &err);
    if (src == NULL)
        fail_msg("open: %s", err.msg);
    return src;
}

static void test_quirky_partner_file(void **state)
{
    /* BOM, latin-1 'é' (0xe9), semicolons, CRLF, a quoted newline, a blank line,
     * a short row */
    static const char data[] = "\xef\xbb\xbfRef;Headline;Body\r\n"
                               "1;Caf\xe9;\"two\r\nlines\"\r\n"
                               "\r\n"
                               "2;Short\r\n"
                               "3;\"Quote \"\"here\"\"\";x\r\n";
    struct source_cfg s = csv_cfg(';', ENC_LATIN1);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_int_equal(item.nheader, 3);
    assert_string_equal(item.header[0], "Ref"); /* the BOM is gone */
    assert_null(item.error);
    assert_string_equal(item.location, "line 2");
    assert_string_equal(item.cols[1], "Café");
    assert_string_equal(item.cols[2], "two\r\nlines");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 5"); /* the blank line 4 is skipped */
    assert_non_null(item.error);
    assert_string_equal(item.error, "2 fields, expected 3 as in the header");
    assert_string_equal(item.raw, "2;Short");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 6");
    assert_string_equal(item.cols[1], "Quote \"here\"");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    unlink(path);
}

static void test_invalid_utf8_is_an_item_error(void **state)
{
    static const char data[] = "id,title\n1,ok\n2,caf\xe9\n3,fine\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_non_null(item.error);
    assert_non_null(strstr(item.error, "invalid UTF-8"));
    assert_non_null(strstr(item.error, "column 'title'"));
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[1], "fine");
    source_csv_ops.close(src);
    unlink(path);
}

static void test_resume_after_position(void **state)
{
    static const char data[] = "id,t\n1,a\n2,\"b\nb\"\n3,c\n4,d\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "2");
    cJSON *pos = source_csv_ops.position(src);
    source_csv_ops.close(src);

    src = open_src(&s, pos);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "3");
    assert_string_equal(item.location, "line 5");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "4");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);

    /* a file that changed since is read from the start */
    FILE *f = fopen(path, "a");
    fputs("5,e\n", f);
    fclose(f);
    src = open_src(&s, pos);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "1");
    source_csv_ops.close(src);
    cJSON_Delete(pos);
    unlink(path);
}

static void test_missing_file(void **state)
{
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct source_open how = {.src = &s};
    struct err err = {0};
    (void)state;

    snprintf(path, sizeof path, "/nonexistent/articles.csv");
    assert_null(source_csv_ops.open(&how, &err));
    assert_string_equal(err.msg, "source 't': unable to open '/nonexistent/articles.csv': "
                                 "No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quirky_partner_file),
        cmocka_unit_test(test_invalid_utf8_is_an_item_error),
        cmocka_unit_test(test_resume_after_position),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
