/*
 * test_csv.c — the CSV source on the files operators actually receive:
 * semicolons, a byte order mark, latin-1, quoted newlines, CRLF, blank
 * lines, rows with the wrong number of fields, invalid UTF-8 — and resuming
 * an interrupted read at the exact record where it stopped. Malformed quoting
 * (an unclosed quote, a quote inside an unquoted field, text after a closing
 * quote) costs the line it is on and nothing else: the reader quarantines it
 * and goes on at the next line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kasparro/buf.h"
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
    /* its other columns are there, the unreadable one empty: the id names it */
    assert_int_equal(item.ncols, 2);
    assert_string_equal(item.cols[0], "2");
    assert_int_equal(item.col_lens[1], 0);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[1], "fine");
    source_csv_ops.close(src);
    unlink(path);
}

static const char *s_columns; /* `columns =` of first_item's file, or NULL: a header */

/* The first item's columns of `data` read without a delimiter setting
 * (delim 0) or with one: how many, and the second. */
static void first_item(const char *data, char delim, size_t ncols, const char *second)
{
    struct source_cfg s = csv_cfg(delim, ENC_UTF8);
    struct src_item item;
    struct err err = {0};

    s.header = s_columns == NULL;
    s.columns = (char *)s_columns;
    write_file(data, strlen(data));
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_int_equal(item.ncols, ncols);
    if (second != NULL)
        assert_string_equal(item.cols[1], second);
    source_csv_ops.close(src);
    unlink(path);
}

static void test_delimiter_from_the_first_line(void **state)
{
    (void)state;
    /* semicolons, with commas in a quoted header name and in the data */
    first_item("\xef\xbb\xbfid;\"name, full\";price\r\n1;Doe, Jane;1,50\r\n", 0, 3, "Doe, Jane");
    first_item("id\ttitle\tn\n1\tTab\t2\n", 0, 3, "Tab");
    first_item("id|title\n1|Pipe\n", 0, 2, "Pipe");
    /* commas win a tie, and a file of one column reads as one */
    first_item("id,title;x\n1,A;b\n", 0, 2, "A;b");
    first_item("title\nOne; two\n", 0, 1, NULL);
    /* without a header, the columns named say how many a line has */
    s_columns = "id,text";
    first_item("1;Hello, world, again\n", 0, 2, "Hello, world, again");
    first_item("1,Hello; world; again\n", 0, 2, "Hello; world; again");
    s_columns = NULL;
    /* a configured delimiter is used as it is */
    first_item("id;title,x\n1;A,b\n", ',', 2, "b");
}

/* Excel's "sep=;" first line names the delimiter and is no header: the
 * header is line 2, records count lines from there, a configured delimiter
 * still wins, and a resumed read finds its place. */
/* The next item of `src` is read from `location` and has `value` in
 * column `col`. */
static void expect_item(struct source *src, const char *location, size_t col, const char *value)
{
    struct src_item item;
    struct err err = {0};

    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.location, location);
    assert_string_equal(item.cols[col], value);
}

static void test_excel_sep_line(void **state)
{
    struct source_cfg s = csv_cfg('\0', ENC_UTF8);
    struct source *src;
    cJSON *pos;
    (void)state;

    write_file("\xef\xbb\xbfsep=;\r\nid;title;price\r\n1;Lamp;1,5\r\n2;Desk;2\r\n", 48);
    src = open_src(&s, NULL);
    expect_item(src, "line 3", 2, "1,5");
    pos = source_csv_ops.position(src);
    source_csv_ops.close(src);
    src = open_src(&s, pos); /* a resumed read */
    expect_item(src, "line 4", 1, "Desk");
    source_csv_ops.close(src);
    cJSON_Delete(pos);
    unlink(path);
    /* a sep= line that is not the first is data; a configured delimiter wins */
    first_item("id;title\nsep=;x\n", 0, 2, "x");
    first_item("sep=;\nid,title\n1,A;b\n", ',', 2, "A;b");
}

/* A file that is no text fails the read saying what it is, not with a
 * riddle about its header's encoding (or as one column and no records) */
static void test_not_text(void **state)
{
    static const struct {
        const char *data;
        size_t len;
        const char *what;
    } files[] = {
        {"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10, "is gzip-compressed: decompress it first"},
        {"PK\x03\x04\x14\x00\x06\x00", 8, "is a ZIP archive (an Excel .xlsx workbook?)"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "is an Excel 97 (.xls) workbook"},
        {"BZh91AY&SY", 10, "is bzip2-compressed"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        struct source_cfg s = csv_cfg('\0', ENC_UTF8);
        struct source_open how = {.src = &s};
        struct err err = {0};
        write_file(files[i].data, files[i].len);
        assert_null(source_csv_ops.open(&how, &err));
        assert_non_null(strstr(err.msg, files[i].what));
        assert_non_null(strstr(err.msg, path));
        unlink(path);
    }
    /* text that starts like one is text */
    first_item("BZhang,name\n1,Li\n", 0, 2, "Li");
}

/* A pipe cannot be read twice: the line that named the delimiter is the
 * header the parser reads. */
static void test_delimiter_of_a_pipe(void **state)
{
    static const char data[] = "id;title\n1;Piped\n";
    struct source_cfg s = csv_cfg('\0', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    int status;
    (void)state;

    snprintf(path, sizeof path, "/tmp/kasparro-csv-fifo-%d", (int)getpid());
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t writer = fork();
    if (writer == 0) {
        int fd = open(path, O_WRONLY);
        _exit(fd >= 0 && write(fd, data, sizeof data - 1) == (ssize_t)(sizeof data - 1) ? 0 : 1);
    }
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.header[1], "title");
    assert_string_equal(item.cols[1], "Piped");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    assert_int_equal(waitpid(writer, &status, 0), writer);
    assert_int_equal(status, 0);
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

/* Reads every item; returns how many, counting the ones with an error in
 * *bad and remembering the first error item's location, raw text and reason. */
struct tally {
    int ok, bad;
    char location[64], raw[256], error[512];
    char last_id[32];
};

static struct tally read_all(struct source *src)
{
    struct tally t = {0};
    struct src_item item;
    struct err err = {0};
    int rc;

    while ((rc = source_csv_ops.next(src, &item, &err)) == 1) {
        if (item.error != NULL) {
            if (t.bad++ == 0) {
                snprintf(t.location, sizeof t.location, "%s", item.location);
                snprintf(t.raw, sizeof t.raw, "%.*s", (int)item.raw_len, item.raw);
                snprintf(t.error, sizeof t.error, "%s", item.error);
            }
        } else {
            t.ok++;
            snprintf(t.last_id, sizeof t.last_id, "%s", item.cols[0]);
        }
    }
    if (rc < 0)
        fail_msg("read: %s", err.msg);
    return t;
}

static void test_unclosed_quote_costs_one_line(void **state)
{
    struct buf data = BUF_INIT;
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    (void)state;

    buf_adds(&data, "id,title,body\n");
    for (int i = 1; i <= 1000; i++)
        if (i == 500)
            buf_printf(&data, "%d,\"title %d,body\n", i, i);
        else
            buf_printf(&data, "%d,title %d,body %d\n", i, i, i);
    write_file(data.data, data.len);
    struct source *src = open_src(&s, NULL);
    struct tally t = read_all(src);
    assert_int_equal(t.ok, 999);
    assert_int_equal(t.bad, 1);
    assert_string_equal(t.last_id, "1000");
    assert_string_equal(t.location, "line 501"); /* the header is line 1 */
    assert_string_equal(t.raw, "500,\"title 500,body");
    assert_non_null(strstr(t.error, "opened on line 501 is never closed"));
    assert_non_null(strstr(t.error, "read on from line 502"));
    source_csv_ops.close(src);
    unlink(path);
    buf_free(&data);
}

static void test_quote_faults_are_quarantined(void **state)
{
    /* a quote inside an unquoted field; text after a closing quote; an
     * unclosed quote that a later quote closes, followed by text */
    static const char data[] = "id,t\n"
                               "1,he said \"hi\"\n"
                               "2,\"ok\"x\n"
                               "3,fine\n"
                               "4,\"open\n"
                               "5,a\n"
                               "6,\"b\"\n"
                               "7,last\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 2");
    assert_non_null(strstr(item.error, "a quote inside an unquoted field"));
    assert_string_equal(item.raw, "1,he said \"hi\"");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 3");
    assert_non_null(strstr(item.error, "text follows the closing quote"));
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.cols[1], "fine");
    /* line 5 opens a quote that line 7 closes; the 'b' after it is the fault */
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 5");
    assert_string_equal(item.raw, "4,\"open");
    assert_non_null(strstr(item.error, "opened on line 5 is not closed properly (on line 7"));
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.cols[0], "5");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "6");
    assert_string_equal(item.cols[1], "b");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "7");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    unlink(path);
}

static void test_spanning_record_with_wrong_count(void **state)
{
    /* its quotes balance, so it is one record of the wrong size: quarantined
     * whole, the lines inside its quotes not read as records of their own */
    static const char data[] = "id,t,u\n"
                               "1,a,b\n"
                               "2,\"two\n"
                               "3,c,d\n"
                               "lines\"\n"
                               "5,f,g\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "1");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 3");
    assert_string_equal(item.raw, "2,\"two\n3,c,d\nlines\"");
    assert_string_equal(item.error, "2 fields, expected 3 as in the header");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.cols[0], "5");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    unlink(path);
}

/* A quarantined line is a resume point like any record. */
static void test_resume_after_a_malformed_line(void **state)
{
    static const char data[] = "id,t\n1,a\n2,\"b\n3,c\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.location, "line 3");
    assert_non_null(item.error);
    cJSON *pos = source_csv_ops.position(src);
    source_csv_ops.close(src);
    src = open_src(&s, pos);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_string_equal(item.location, "line 4");
    assert_string_equal(item.cols[0], "3");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    cJSON_Delete(pos);
    unlink(path);
}

/* A bare '\r' inside a line ends a record: the one after it starts on the
 * same line, with its own raw text, and a read stopped after the first
 * resumes at the '\r', the second still on that line. */
static void test_resume_after_a_bare_cr(void **state)
{
    static const char data[] = "id,t\n1,a\n2,b\r3,c\n4,d\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "2");
    assert_string_equal(item.location, "line 3");
    assert_int_equal((int)item.raw_len, 3);
    cJSON *pos = source_csv_ops.position(src);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "3");
    assert_string_equal(item.location, "line 3");
    assert_int_equal((int)item.raw_len, 3);
    source_csv_ops.close(src);

    src = open_src(&s, pos);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "3");
    assert_string_equal(item.location, "line 3");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.cols[0], "4");
    assert_string_equal(item.location, "line 4");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    cJSON_Delete(pos);
    unlink(path);
}

static void test_malformed_header_fails_the_read(void **state)
{
    static const char data[] = "id,\"title\n1,a\n";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct source_open how = {.src = &s};
    struct err err = {0};
    (void)state;

    write_file(data, sizeof data - 1);
    assert_null(source_csv_ops.open(&how, &err));
    assert_non_null(strstr(err.msg, "line 1, the header: malformed CSV"));
    unlink(path);
}

static void test_latin1_header_fails_the_read(void **state)
{
    /* a latin-1 export whose only accent is in a column name ("Größe"):
     * the rows are ASCII, so only the header can say what is wrong */
    static const char data[] = "id;Gr\xf6\xdf" "e;title\n1;10;a\n";
    struct source_cfg s = csv_cfg(';', ENC_UTF8);
    struct source_open how = {.src = &s};
    struct src_item item;
    struct err err = {0};
    char want[256];
    (void)state;

    write_file(data, sizeof data - 1);
    assert_null(source_csv_ops.open(&how, &err));
    snprintf(want, sizeof want, "source 't': '%s' line 1, the header: invalid UTF-8 in column 2 "
             "(is the file latin-1? then set encoding = latin-1 in [source t])", path);
    assert_string_equal(err.msg, want);

    s.encoding = ENC_LATIN1; /* and with the hint followed, it reads */
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.header[1], "Gr\xc3\xb6\xc3\x9f" "e");
    source_csv_ops.close(src);
    unlink(path);
}

/* Windows "ANSI" text: its quotes, dashes and euro sign are bytes 0x80-0x9F,
 * which latin-1 reads as control characters; windows-1252 reads them, and
 * a byte it has no character for makes the row unreadable, saying which. */
static void test_windows1252(void **state)
{
    struct source_cfg s = csv_cfg(';', ENC_CP1252);
    struct source *src;
    struct src_item item;
    struct err err = {0};
    (void)state;

    write_file("id;Gr\xf6\xdf" "e\n1;\x93" "Caf\xe9\x94 \x96 \x80" "5\n2;a\x81" "b\n", 29);
    src = open_src(&s, NULL);
    expect_item(src, "line 2", 1, "\xe2\x80\x9c" "Caf\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 \xe2\x82\xac" "5");
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_string_equal(item.header[1], "Gr\xc3\xb6\xc3\x9f" "e");
    assert_string_equal(item.error, "byte 0x81 in column 'Gr\xc3\xb6\xc3\x9f" "e' is no "
                                    "windows-1252 character (is the file latin-1? then set "
                                    "encoding = latin-1)");
    source_csv_ops.close(src);
    unlink(path);
}

static void test_utf16_fails_the_read(void **state)
{
    /* a spreadsheet's "Unicode text": UTF-16LE with its byte order mark,
     * which latin-1 would read as NULs, not the latin-1 hint */
    static const char data[] = "\xff\xfei\0d\0,\0t\0\n\0" "1\0,\0a\0\n\0";
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct source_open how = {.src = &s};
    struct err err = {0};
    char want[256];
    (void)state;

    write_file(data, sizeof data - 1);
    snprintf(want, sizeof want, "source 't': '%s' line 1, the header: a NUL byte in column 1 (is "
             "the file UTF-16? kasparro reads UTF-8, latin-1 and windows-1252: convert it, e.g. "
             "iconv -f UTF-16 -t UTF-8)", path);
    for (int enc = ENC_UTF8; enc <= ENC_CP1252; enc++) {
        s.encoding = (enum csv_encoding)enc;
        assert_null(source_csv_ops.open(&how, &err));
        assert_string_equal(err.msg, want);
        err = (struct err){0};
    }
    unlink(path);
}

static void test_field_of_megabytes(void **state)
{
    /* 8 MB in one quoted field, across 2000 lines: libcsv must grow its
     * buffer geometrically, or this takes minutes under ASan */
    struct buf data = BUF_INIT;
    struct source_cfg s = csv_cfg(',', ENC_UTF8);
    struct src_item item;
    struct err err = {0};
    (void)state;

    buf_adds(&data, "id,t\n1,\"");
    for (int i = 0; i < 2000; i++) {
        for (int j = 0; j < 4095; j++)
            buf_addc(&data, (char)('a' + (i + j) % 26));
        buf_addc(&data, '\n');
    }
    buf_adds(&data, "\"\n2,");
    for (int j = 0; j < 4 << 20; j++)
        buf_addc(&data, 'z');
    buf_adds(&data, "\n");
    write_file(data.data, data.len);
    struct source *src = open_src(&s, NULL);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_int_equal(item.col_lens[1], 2000 * 4096);
    assert_int_equal(item.cols[1][4095], '\n');
    assert_int_equal(source_csv_ops.next(src, &item, &err), 1);
    assert_null(item.error);
    assert_int_equal(item.col_lens[1], 4 << 20);
    assert_int_equal(source_csv_ops.next(src, &item, &err), 0);
    source_csv_ops.close(src);
    unlink(path);
    buf_free(&data);
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
        cmocka_unit_test(test_delimiter_from_the_first_line),
        cmocka_unit_test(test_excel_sep_line),
        cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_delimiter_of_a_pipe),
        cmocka_unit_test(test_resume_after_position),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_unclosed_quote_costs_one_line),
        cmocka_unit_test(test_quote_faults_are_quarantined),
        cmocka_unit_test(test_spanning_record_with_wrong_count),
        cmocka_unit_test(test_resume_after_a_malformed_line),
        cmocka_unit_test(test_resume_after_a_bare_cr),
        cmocka_unit_test(test_malformed_header_fails_the_read),
        cmocka_unit_test(test_latin1_header_fails_the_read),
        cmocka_unit_test(test_windows1252),
        cmocka_unit_test(test_utf16_fails_the_read),
        cmocka_unit_test(test_field_of_megabytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
