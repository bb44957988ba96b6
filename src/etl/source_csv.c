/*
 * source_csv.c — CSV files, streamed through libcsv.
 *
 * The file is read a line at a time (getdelim) and each line handed to
 * libcsv, whose callbacks collect fields into the record being assembled.
 * Reading by lines costs nothing in speed and buys three things libcsv alone
 * cannot give: the line number where each record starts ("line 12"), the
 * record's exact raw text for the quarantine table, and the byte offset
 * after each record, which is the resume point of an interrupted read.
 * Memory does not grow with the file: completed records go into a few
 * reusable slots (more than one only when a line holds several records).
 * A file whose first line ends with a bare '\r' (old Mac line ends) is read
 * by '\r' instead: read by '\n', the whole file would be one line, every
 * record would say "line 1", and a malformed record would make the resync
 * skip every record after it. A bare '\r' inside a line of a '\n' file,
 * which libcsv takes for the end of a record outside quotes, splits the
 * line into pieces fed one at a time: the record after it starts on the
 * same line, keeps its own raw text and resumes from the '\r'.
 *
 * Quirks handled here: delimiter and quote from the config (without a
 * delimiter, the one an Excel "sep=;" first line names, else the one the
 * file's first line uses most), an optional
 * header row (or configured column names), a UTF-8 byte order mark, latin-1
 * and windows-1252 files (converted to UTF-8 field by field by textenc.h;
 * a latin-1 file holding windows-1252's printable bytes 0x80-0x9F,
 * which latin-1 reads as control characters, is warned of once, and so is
 * a latin-1 or windows-1252 file holding valid UTF-8 characters), invalid
 * UTF-8 and rows with the
 * wrong number of fields (both become quarantined items, the read goes on),
 * quoted newlines, CRLF, blank lines, trimming on or off.
 *
 * libcsv runs in strict mode: a quote inside an unquoted field, text after a
 * closing quote, or a file that ends inside a quoted field is a structural
 * error, never data. The record being assembled is given up, its first line
 * becomes a quarantined item naming the line and the fault, and reading
 * starts again at the line after it (resync) — so a stray quote costs one
 * line, not every line up to the next quote or the end of the file. (A
 * record that parses but spans lines with the wrong number of fields is
 * quarantined whole, all its lines in its raw text: its quotes balanced, and
 * reading its inner lines as records could load prose as records.)
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <csv.h>

#include "kasparro/buf.h"
#include "kasparro/log.h"
#include "kasparro/source.h"
#include "kasparro/strmap.h"
#include "kasparro/textenc.h"
#include "kasparro/utf8.h"

struct csv_record {
    struct buf data;       /* field bytes, each NUL-terminated */
    size_t *starts;        /* offset of each field in data */
    size_t *lens;
    size_t n, cap;
    struct buf raw;
    long long line;        /* where the record starts */
    long long end_offset;  /* resume offset after it */
    long long end_line;
    char error[320];       /* a structural error: the record is its first line */
};

struct source {
    const struct source_cfg *cfg;
    FILE *fp;
    struct csv_parser parser;
    unsigned char delim;   /* configured, or found on the first line */
    char eol;              /* what ends a line: '\n', or '\r' in an old Mac file */
    char *line;
    size_t line_cap;
    ssize_t peeked;        /* > 0: line holds the first line, read to find the delimiter */
    long long offset;      /* bytes read so far */
    long long line_no;     /* lines read so far */
    struct csv_record *slots;
    size_t nslots;         /* allocated */
    size_t ready;          /* completed records waiting, slots[head .. head+ready) */
    size_t head;
    struct csv_record *open_rec; /* the one being assembled (slot index head+ready) */
    struct buf pending_raw;      /* lines fed since the last record ended */
    long long pending_line;      /* first line of pending_raw */
    long long pending_offset;    /* file offset of pending_raw's first byte */
    long long line_start_offset; /* of the line being fed (after a byte order mark) */
    long long piece_end;         /* offset after the piece of the line being fed */
    char **header;
    size_t nheader;
    bool header_done;
    bool eof;
    long long after_offset, after_line; /* resume point after the last yielded record */
    long long yielded;
    struct stat st;
    /* item storage */
    const char **cols;
    size_t *col_lens;
    size_t cols_cap;
    struct buf conv;       /* latin-1 or windows-1252 conversions of the current item */
    struct textenc *conv_from; /* latin-1 or windows-1252 to UTF-8, or NULL */
    bool c1_warned;        /* latin-1: a byte 0x80-0x9F was warned of */
    bool utf8_warned;      /* latin-1, windows-1252: a UTF-8 sequence was warned of */
    char error[512];
};

static struct csv_record *slot(struct source *s, size_t i)
{
    return &s->slots[(s->head + i) % s->nslots];
}

/* The record libcsv is filling: the slot after the ready ones. */
static struct csv_record *record_open(struct source *s)
{
    if (s->open_rec != NULL)
        return s->open_rec;
    if (s->ready + 1 > s->nslots) {
        /* grow the ring, keeping order */
        size_t n = s->nslots ? s->nslots * 2 : 2;
        struct csv_record *slots = xcalloc(n, sizeof *slots);
        for (size_t i = 0; i < s->nslots; i++)
            slots[i] = *slot(s, i);
        free(s->slots);
        s->slots = slots;
        s->nslots = n;
        s->head = 0;
    }
    struct csv_record *r = slot(s, s->ready);
    buf_reset(&r->data);
    buf_reset(&r->raw);
    r->n = 0;
    r->error[0] = '\0';
    s->open_rec = r;
    return r;
}

static void on_field(void *field, size_t len, void *arg)
{
    struct source *s = arg;
    struct csv_record *r = record_open(s);

    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->starts = xreallocarray(r->starts, r->cap, sizeof *r->starts);
        r->lens = xreallocarray(r->lens, r->cap, sizeof *r->lens);
    }
    r->starts[r->n] = r->data.len;
    r->lens[r->n] = len;
    buf_add(&r->data, field ? field : "", field ? len : 0);
    buf_addc(&r->data, '\0');
    r->n++;
}

/* Drops blank lines from the front of the pending raw text: they can never
 * belong to a record (a record's first line holds at least one character of
 * its first field), and they must not shift the record's line number. */
static void skip_blank_lines(struct source *s)
{
    char *p = s->pending_raw.data;
    size_t len = s->pending_raw.len, cut = 0;

    while (cut < len) {
        size_t i = cut;
        while (i < len && (p[i] == ' ' || p[i] == '\t' || (p[i] == '\r' && s->eol != '\r')))
            i++;
        if (i < len && p[i] == s->eol) {
            s->pending_offset += (long long)(i + 1 - cut);
            cut = i + 1;
            s->pending_line++;
        } else {
            break;
        }
    }
    if (cut > 0) {
        memmove(p, p + cut, len - cut);
        s->pending_raw.len = len - cut;
        p[s->pending_raw.len] = '\0';
    }
}

static void on_record(int term, void *arg)
{
    struct source *s = arg;
    struct csv_record *r = record_open(s);

    (void)term;
    skip_blank_lines(s);
    buf_add(&r->raw, buf_str(&s->pending_raw), s->pending_raw.len);
    while (r->raw.len > 0 && (r->raw.data[r->raw.len - 1] == '\n' ||
                              r->raw.data[r->raw.len - 1] == '\r'))
        r->raw.data[--r->raw.len] = '\0';
    r->line = s->pending_line;
    buf_reset(&s->pending_raw);
    if (s->piece_end < s->offset) {
        /* ended by a bare '\r': the next record starts on this line, after it */
        r->end_offset = s->piece_end;
        r->end_line = s->line_no - 1;
        s->pending_line = s->line_no;
        s->pending_offset = s->piece_end;
    } else {
        /* a record that ends inside a line resumes from that line's start
         * (read_line moves it after the line when the line's end ended it) */
        r->end_offset = s->line_start_offset;
        r->end_line = s->line_no - 1;
        s->pending_line = s->line_no + 1;
        s->pending_offset = s->offset;
    }
    s->open_rec = NULL;
    s->ready++;
}

static void parser_init(struct source *s);

/* Reading starts again at `offset`, the start of line `line` + 1, with a
 * fresh parser and nothing pending (a resync, a resumed read). */
static int restart_at(struct source *s, long long offset, long long line, struct err *err)
{
    if (fseeko(s->fp, offset, SEEK_SET) < 0)
        return err_set(err, "source '%s': seeking in '%s': %m", s->cfg->name, s->cfg->path);
    csv_free(&s->parser);
    parser_init(s);
    s->peeked = 0;
    s->open_rec = NULL;
    s->offset = s->pending_offset = offset;
    s->line_no = line;
    s->pending_line = line + 1;
    s->eof = false;
    buf_reset(&s->pending_raw);
    return 0;
}

/* A structural error in the record that starts at pending_line: the record
 * is given up, its first line is queued as a quarantined item saying why
 * (`fault`, detected on line `at`; -1: the file ended inside a quote), and
 * reading resumes at the next line. */
static int resync(struct source *s, const char *fault, long long at, struct err *err)
{
    skip_blank_lines(s);
    const char *p = buf_str(&s->pending_raw);
    const char *nl = memchr(p, s->eol, s->pending_raw.len);
    size_t first = nl != NULL ? (size_t)(nl + 1 - p) : s->pending_raw.len;
    long long line = s->pending_line;
    long long next = s->pending_offset + (long long)first;
    /* a first line cut at a bare '\r': reading resumes inside the line */
    long long resume_line =
        nl == NULL && first > 0 && p[first - 1] == '\r' && s->eol != '\r' ? line - 1 : line;
    struct csv_record *r = record_open(s);

    buf_reset(&r->data);
    r->n = 0;
    buf_reset(&r->raw);
    buf_add(&r->raw, p, first);
    while (r->raw.len > 0 && (r->raw.data[r->raw.len - 1] == '\n' ||
                              r->raw.data[r->raw.len - 1] == '\r'))
        r->raw.data[--r->raw.len] = '\0';
    if (at < 0)
        snprintf(r->error, sizeof r->error,
                 "malformed CSV: the quoted field opened on line %lld is never closed (the "
                 "file ends inside it); read on from line %lld", line, line + 1);
    else if (at > line)
        snprintf(r->error, sizeof r->error,
                 "malformed CSV: the quoted field opened on line %lld is not closed properly "
                 "(on line %lld: %s); read on from line %lld", line, at, fault, line + 1);
    else
        snprintf(r->error, sizeof r->error, "malformed CSV: %s", fault);
    r->line = line;
    r->end_offset = next;
    r->end_line = resume_line;
    s->open_rec = NULL;
    s->ready++;
    return restart_at(s, next, resume_line, err);
}

/* What libcsv's strict mode stopped at: its state says which rule broke. */
static const char *parse_fault(const struct source *s)
{
    return s->parser.quoted ? "text follows the closing quote of a quoted field (a quote "
                              "inside it must be doubled)"
                            : "a quote inside an unquoted field (quote the field and double "
                              "the quote)";
}

/* Where the piece of line data[0..n) starting at `at` ends: after a bare
 * '\r' (not the line's end, nor the '\r' of its "\r\n"), else at n. */
static size_t piece_end(const struct source *s, const char *data, size_t n, size_t at)
{
    const char *cr;

    if (s->eol == '\r')
        return n;
    while ((cr = memchr(data + at, '\r', n - at)) != NULL) {
        at = (size_t)(cr - data) + 1;
        if (at < n && data[at] != '\n')
            return at;
    }
    return n;
}

/* Feeds data[0..n), a line, to libcsv a piece at a time (piece_end): a
 * record ends, if at all, at the end of a piece, so on_record knows where.
 * Returns 1 after a resync (the rest of the line is read again from the
 * file), -1 on error. */
static int parse_line(struct source *s, const char *data, size_t n, struct err *err)
{
    for (size_t at = 0, end; at < n; at = end) {
        end = piece_end(s, data, n, at);
        s->piece_end = s->line_start_offset + (long long)end;
        buf_add(&s->pending_raw, data + at, end - at);
        if (csv_parse(&s->parser, data + at, end - at, on_field, on_record, s) != end - at) {
            if (csv_error(&s->parser) != CSV_EPARSE)
                return err_set(err, "source '%s': '%s' line %lld: %s", s->cfg->name,
                               s->cfg->path, s->line_no, csv_strerror(csv_error(&s->parser)));
            return resync(s, parse_fault(s), s->line_no, err) < 0 ? -1 : 1;
        }
    }
    return 0;
}

static int read_line(struct source *s, struct err *err)
{
    ssize_t n = s->peeked > 0 ? s->peeked : getdelim(&s->line, &s->line_cap, s->eol, s->fp);
    const char *data = s->line;

    s->peeked = 0;
    if (n < 0) {
        if (ferror(s->fp))
            return err_set(err, "source '%s': reading '%s' at line %lld: %m", s->cfg->name,
                           s->cfg->path, s->line_no + 1);
        s->piece_end = s->offset;
        if (csv_fini(&s->parser, on_field, on_record, s) != 0) {
            if (csv_error(&s->parser) != CSV_EPARSE)
                return err_set(err, "source '%s': '%s': %s", s->cfg->name, s->cfg->path,
                               csv_strerror(csv_error(&s->parser)));
            return resync(s, NULL, -1, err);
        }
        s->eof = true;
        return 0;
    }
    s->line_start_offset = s->offset;
    s->line_no++;
    s->offset += n;
    if (s->line_no == 1 && n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 && s->cfg->strip_bom) {
        data += 3;
        n -= 3;
        s->line_start_offset += 3;
    }
    if (s->pending_raw.len == 0) {
        s->pending_line = s->line_no;
        s->pending_offset = s->line_start_offset;
    }
    size_t before = s->ready;
    /* libcsv grows a field by blk_size at a time: growing by at least the
     * line, and by at least what the field holds, keeps a field of many
     * megabytes linear instead of quadratic */
    size_t blk = csv_get_buffer_size(&s->parser);
    if (blk < (size_t)n)
        blk = (size_t)n;
    csv_set_blk_size(&s->parser, blk < 65536 ? 65536 : blk);
    int rc = parse_line(s, data, (size_t)n, err);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    /* the record that the line's own terminator ended resumes after the line */
    if (s->ready > before && n > 0 && data[n - 1] == s->eol &&
        slot(s, s->ready - 1)->end_offset == s->line_start_offset) {
        slot(s, s->ready - 1)->end_offset = s->offset;
        slot(s, s->ready - 1)->end_line = s->line_no;
    }
    return 0;
}

/* Takes the next completed record, reading lines as needed; NULL at the end. */
static struct csv_record *next_record(struct source *s, struct err *err)
{
    while (s->ready == 0 && !s->eof)
        if (read_line(s, err) < 0)
            return NULL;
    if (s->ready == 0)
        return NULL;
    struct csv_record *r = slot(s, 0);
    s->head = (s->head + 1) % s->nslots;
    s->ready--;
    return r;
}

static int is_blank(unsigned char c) { return c == ' '; }
static int is_nothing(unsigned char c) { (void)c; return 0; }

/* libcsv's defaults (space and tab trimmed, CR and LF end records) are kept
 * when they fit: its per-character callbacks cost a fifth of the parse. */
static void parser_init(struct source *s)
{
    csv_init(&s->parser, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&s->parser, s->delim);
    csv_set_quote(&s->parser, (unsigned char)s->cfg->quote);
    if (!s->cfg->trim)
        csv_set_space_func(&s->parser, is_nothing);
    else if (s->delim == '\t')
        csv_set_space_func(&s->parser, is_blank);
}

/* How many columns `columns =` names (a file without a header), or 0. */
static size_t named_columns(const struct source *s)
{
    size_t n = 1;

    if (s->cfg->header || str_empty(s->cfg->columns))
        return 0;
    for (const char *c = s->cfg->columns; *c; c++)
        n += *c == ',';
    return n;
}

/* A file without `delimiter =`: of comma, semicolon, tab and pipe, the one
 * its first line holds most often outside quotes (comma on a tie, or when
 * it holds none: one column) — or, when `columns =` says how many columns
 * a line has, the first that splits it into that many. The line is kept
 * for the parser (a pipe cannot be read twice). */
static void find_delimiter(struct source *s)
{
    static const unsigned char candidates[] = {',', ';', '\t', '|'};
    size_t count[ARRAY_SIZE(candidates)] = {0}, best = 0, want = named_columns(s);
    ssize_t n = s->peeked > 0 ? s->peeked : getdelim(&s->line, &s->line_cap, s->eol, s->fp);
    bool quoted = false;

    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s->line[i];
        if (c == (unsigned char)s->cfg->quote)
            quoted = !quoted;
        for (size_t k = 0; k < ARRAY_SIZE(candidates) && !quoted; k++)
            count[k] += c == candidates[k];
    }
    for (size_t k = 1; k < ARRAY_SIZE(candidates); k++)
        if (count[k] > count[best])
            best = k;
    for (size_t k = 0; k < ARRAY_SIZE(candidates) && want > 0; k++)
        if (count[k] + 1 == want) {
            best = k;
            break;
        }
    s->delim = candidates[best];
    s->peeked = n;
    if (s->delim != ',')
        log_info("source '%s': '%s' is read as %s-separated (its first line; delimiter = in "
                 "[source %s] sets one)", s->cfg->name, s->cfg->path,
                 config_char_name((char)s->delim), s->cfg->name);
}

/* What a file that is no text starts with: read as CSV, a compressed file
 * or a workbook fails on its "header" with a riddle about encodings, or
 * reads as one column and no records. NULL for anything else. */
static const char *binary_kind(const char *p, ssize_t n)
{
    /* magic bytes (none holds a NUL), then what the file is */
    static const char *const kinds[][2] = {
        {"\x1f\x8b", "gzip-compressed: decompress it first (gunzip)"},
        {"BZh", "bzip2-compressed: decompress it first (bunzip2)"},
        {"\xfd" "7zXZ", "xz-compressed: decompress it first (unxz)"},
        {"\x28\xb5\x2f\xfd", "zstd-compressed: decompress it first (unzstd)"},
        {"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?): unzip it, or save the sheet "
                       "as CSV"},
        {"\xd0\xcf\x11\xe0", "an Excel 97 (.xls) workbook: save the sheet as CSV"},
    };

    /* a short magic followed by a letter is a word ("BZh" then "1" to "9"
     * is bzip2, "BZhang" a name) */
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        size_t len = strlen(kinds[i][0]);
        if (n >= (ssize_t)len && memcmp(p, kinds[i][0], len) == 0 &&
            (len > 3 || n == (ssize_t)len || !isalpha((unsigned char)p[3])))
            return kinds[i][1];
    }
    return NULL;
}

/* The file's first line: a file that is no text fails the read, saying
 * what it is. Excel's "sep=;" first line, which files meant for Excel in
 * locales whose lists are not comma separated carry, names the delimiter
 * (unless delimiter = says otherwise) and is no header, so it is consumed,
 * and the header is line 2. Any other first line is kept for the parser. */
static int first_line(struct source *s, struct err *err)
{
    ssize_t n = getdelim(&s->line, &s->line_cap, s->eol, s->fp), len = n;
    const char *p = s->line, *binary = n > 0 ? binary_kind(p, n) : NULL;

    if (binary != NULL)
        return err_set(err, "source '%s': '%s' is %s", s->cfg->name, s->cfg->path, binary);
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 && s->cfg->strip_bom) {
        p += 3;
        len -= 3;
    }
    while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    if (len != 5 || strncasecmp(p, "sep=", 4) != 0) {
        s->peeked = n;
        return 0;
    }
    if (s->delim == '\0')
        s->delim = (unsigned char)p[4];
    s->line_no = 1;
    s->offset = n;
    log_info("source '%s': '%s' line 1 says sep=%c; the header is line 2", s->cfg->name,
             s->cfg->path, p[4]);
    return 0;
}

/* '\r' when the file's first line ends with a bare carriage return (a
 * classic Mac OS export), else '\n' (CRLF included). Only the start of the
 * file is looked at, so a file of one enormous line is not read twice. */
static int line_end_of(FILE *fp)
{
    char head[65536];
    size_t n = fread(head, 1, sizeof head, fp);
    const char *cr = memchr(head, '\r', n), *lf = memchr(head, '\n', n);

    rewind(fp);
    return cr != NULL && (lf == NULL || cr < lf) && cr + 1 < head + n && cr[1] != '\n' ? '\r'
                                                                                   : '\n';
}

/* A column as a warning names it: by its header name, else its number. */
static void column_label(const struct source *s, size_t col, char *out, size_t len)
{
    if (col < s->nheader)
        snprintf(out, len, "column '%s'", s->header[col]);
    else
        snprintf(out, len, "column %zu", col + 1);
}

/* A file said to be latin-1 or windows-1252 that holds a valid multi-byte
 * UTF-8 sequence is most likely UTF-8 (textenc_utf8_note). Said once per
 * read, with where. */
static void warn_utf8(struct source *s, const char *seq, size_t n, const char *column,
                      long long line)
{
    char note[512];

    s->utf8_warned = true;
    textenc_utf8_note(s->conv_from, seq, n, "", "the file", s->cfg->name, note, sizeof note);
    log_warn("source '%s': '%s' line %lld, %s: %s", s->cfg->name, s->cfg->path, line, column,
             note);
}

/* Why windows-1252 cannot read the field v (textenc.c words it, for an
 * API's response as for a file). */
static void csv_cp1252_fault(const struct source *s, const char *v, size_t len, unsigned char bad,
                             const char *column, char *out, size_t outlen)
{
    char where[200];

    snprintf(where, sizeof where, "in %s", column);
    textenc_cp1252_fault(v, len, bad, where, "the file", s->cfg->name, out, outlen);
}

/* Windows programs write "ANSI" text as windows-1252, whose quotes, dashes
 * and euro sign are bytes 0x80-0x9F: control characters in latin-1, so a
 * file read as latin-1 that holds one is most likely windows-1252. Said
 * once per read, with where. */
static void warn_c1(struct source *s, unsigned char c, const char *column, long long line)
{
    s->c1_warned = true;
    log_warn("source '%s': '%s' line %lld, %s: byte 0x%02X is a control character in latin-1 "
             "(is the file windows-1252, as Windows programs write it? then set encoding = "
             "windows-1252 in [source %s])", s->cfg->name, s->cfg->path, line, column, c,
             s->cfg->name);
}

/* The first byte >= 0x80 from p on, eight bytes at a time, or end. */
static const char *skip_ascii(const char *p, const char *end)
{
    uint64_t w;

    for (; end - p >= 8; p += 8) {
        memcpy(&w, p, 8);
        if ((w & 0x8080808080808080ULL) != 0)
            break;
    }
    while (p < end && (unsigned char)*p < 0x80)
        p++;
    return p;
}

/* The bytes of a field in latin-1 or windows-1252 that say the encoding
 * may be wrong: only bytes >= 0x80 are looked at, and only until both
 * warnings are said (a byte of a UTF-8 sequence is UTF-8's, not a control
 * character). A pure latin-1 file costs the skip over its ASCII and two
 * compares per letter of its own. */
static void warn_high_bytes(struct source *s, const char *v, size_t len, size_t col,
                            long long line)
{
    bool latin1 = s->cfg->encoding == ENC_LATIN1;
    const char *end = v + len;
    char column[160] = "";

    if (s->utf8_warned && (s->c1_warned || !latin1))
        return;
    for (v = skip_ascii(v, end); v < end; v = skip_ascii(v, end)) {
        unsigned char c = (unsigned char)*v;
        size_t n = textenc_utf8_at(v, (size_t)(end - v));
        bool c1 = n == 0 && latin1 && c <= 0x9f && !s->c1_warned;
        if ((n > 0 && !s->utf8_warned) || c1) {
            if (column[0] == '\0')
                column_label(s, col, column, sizeof column);
            if (c1)
                warn_c1(s, c, column, line);
            else
                warn_utf8(s, v, n, column, line);
            if (s->utf8_warned && (s->c1_warned || !latin1))
                return;
        }
        v += n > 0 ? n : 1;
    }
}

static char *field_utf8(struct source *s, const char *v, size_t len, unsigned char *bad)
{
    size_t n;

    if (s->cfg->encoding == ENC_UTF8)
        return xstrndup(v, len);
    return textenc_to_utf8(s->conv_from, v, len, &n, bad);
}

/* A column name as the mapping finds it: without the spaces and tabs
 * around it (a quoted name keeps them through trimming). */
static const char *name_core(const char *name, size_t *len)
{
    while (*name == ' ' || *name == '\t')
        name++;
    *len = strlen(name);
    while (*len > 0 && (name[*len - 1] == ' ' || name[*len - 1] == '\t'))
        (*len)--;
    return name;
}

/* Two columns of one name are refused before a record is read: each
 * record's payload would hold the key twice, and which of the two a
 * mapping means is not for kasparro to guess. Blanks around a name, which
 * nobody reading the file sees, do not tell two names apart; case does
 * (the payload's keys are distinct, and a mapping takes the exact name
 * first: mapper.c refuses a lookup that only cases could settle). `where`
 * says where the names come from. The names go through a hash map, each
 * to its first column: a header of 20,000 columns is one pass, not the
 * 200 million comparisons of every pair. */
static int header_unique(const struct source *s, const char *where, struct err *err)
{
    struct strmap seen = {0};
    size_t i = 0, j;

    for (j = 0; j < s->nheader; j++) {
        size_t len;
        const char *core = name_core(s->header[j], &len);
        struct strmap_entry *e = strmap_put(&seen, core, len);
        if (e->count > 0) {
            i = (size_t)e->count - 1;
            break;
        }
        e->count = (long long)j + 1;
    }
    strmap_free(&seen, NULL);
    if (j == s->nheader)
        return 0;
    if (strcmp(s->header[i], s->header[j]) == 0)
        return err_set(err, "source '%s': %s names '%s' twice (columns %zu and %zu); rename or "
                       "remove one of them", s->cfg->name, where, s->header[i], i + 1, j + 1);
    return err_set(err, "source '%s': %s names one column twice, as '%s' (column %zu) and as "
                   "'%s' (column %zu): the blanks around a name do not tell it apart; rename or "
                   "remove one of them", s->cfg->name, where, s->header[i], i + 1, s->header[j],
                   j + 1);
}

static int take_header(struct source *s, struct err *err)
{
    s->header_done = true;
    if (!s->cfg->header) {
        if (!str_empty(s->cfg->columns)) {
            size_t n;
            char **names = str_split_all(s->cfg->columns, ',', &n);
            s->header = xcalloc(n, sizeof *s->header);
            for (size_t i = 0; i < n; i++)
                s->header[s->nheader++] = xstrdup(names[i]);
            free(names);
        }
        return header_unique(s, "'columns ='", err);
    }
    struct csv_record *r = next_record(s, err);
    if (r == NULL)
        return err_isset(err) ? -1 : 0; /* an empty file: no header, no records */
    if (r->error[0] != '\0') /* every row is read by the header: nothing to go on */
        return err_set(err, "source '%s': '%s' line %lld, the header: %s", s->cfg->name,
                       s->cfg->path, r->line, r->error);
    /* a name that is not text would reach the database as it is and fail
     * the load there, far from the file: say where it is and what to do.
     * NUL bytes in a header are UTF-16 (a spreadsheet's "Unicode text"),
     * which neither encoding reads. */
    for (size_t i = 0; i < r->n; i++) {
        const char *name = r->data.data + r->starts[i];
        if (memchr(name, '\0', r->lens[i]) != NULL)
            return err_set(err, "source '%s': '%s' line %lld, the header: a NUL byte in column "
                           "%zu (is the file UTF-16? kasparro reads UTF-8, latin-1 and windows-1252: convert "
                           "it, e.g. iconv -f UTF-16 -t UTF-8)", s->cfg->name, s->cfg->path,
                           r->line, i + 1);
        if (s->cfg->encoding == ENC_UTF8 && !utf8_valid(name, r->lens[i]))
            return err_set(err, "source '%s': '%s' line %lld, the header: invalid UTF-8 in "
                           "column %zu (is the file latin-1? then set encoding = latin-1 in "
                           "[source %s])", s->cfg->name, s->cfg->path, r->line, i + 1,
                           s->cfg->name);
    }
    s->header = xcalloc(r->n, sizeof *s->header);
    for (size_t i = 0; i < r->n; i++) {
        if (s->cfg->encoding != ENC_UTF8)
            warn_high_bytes(s, r->data.data + r->starts[i], r->lens[i], i, r->line);
        unsigned char bad;
        char *name = field_utf8(s, r->data.data + r->starts[i], r->lens[i], &bad);
        if (name == NULL) {
            char column[32], why[320];
            snprintf(column, sizeof column, "column %zu", i + 1);
            csv_cp1252_fault(s, r->data.data + r->starts[i], r->lens[i], bad, column, why,
                             sizeof why);
            return err_set(err, "source '%s': '%s' line %lld, the header: %s", s->cfg->name,
                           s->cfg->path, r->line, why);
        }
        if (*name == '\0') {
            free(name);
            name = xasprintf("column %zu", i + 1);
        }
        s->header[s->nheader++] = name;
    }
    s->after_offset = r->end_offset;
    s->after_line = r->end_line;
    char *where = xasprintf("'%s' line %lld, the header,", s->cfg->path, r->line);
    int rc = header_unique(s, where, err);
    free(where);
    return rc;
}

static bool file_unchanged(const struct source *s, const cJSON *resume)
{
    const cJSON *size = cJSON_GetObjectItem(resume, "size");
    const cJSON *mtime = cJSON_GetObjectItem(resume, "mtime");
    const cJSON *offset = cJSON_GetObjectItem(resume, "offset");

    return cJSON_IsNumber(size) && cJSON_IsNumber(mtime) && cJSON_IsNumber(offset) &&
           (long long)size->valuedouble == (long long)s->st.st_size &&
           (long long)mtime->valuedouble == (long long)s->st.st_mtime &&
           offset->valuedouble <= (double)s->st.st_size;
}

static int resume_at(struct source *s, const cJSON *resume, struct err *err)
{
    long long offset = (long long)cJSON_GetObjectItem(resume, "offset")->valuedouble;
    const cJSON *line = cJSON_GetObjectItem(resume, "line");

    if (offset <= s->after_offset)
        return 0;
    if (restart_at(s, offset, cJSON_IsNumber(line) ? (long long)line->valuedouble : 0, err) < 0)
        return -1;
    s->after_offset = offset;
    s->after_line = s->line_no;
    log_info("source '%s': resuming the interrupted read of '%s' at line %lld", s->cfg->name,
             s->cfg->path, s->line_no + 1);
    return 0;
}

static void csv_close(struct source *s);

static struct source *csv_open(const struct source_open *how, struct err *err)
{
    struct source *s = xcalloc(1, sizeof *s);

    s->cfg = how->src;
    s->fp = fopen(s->cfg->path, "r");
    if (s->fp == NULL) {
        err_set(err, "source '%s': unable to open '%s': %m", s->cfg->name, s->cfg->path);
        free(s);
        return NULL;
    }
    fstat(fileno(s->fp), &s->st);
    /* a pipe cannot be read twice: it is taken as '\n' */
    s->eol = S_ISREG(s->st.st_mode) ? (char)line_end_of(s->fp) : '\n';
    s->delim = (unsigned char)s->cfg->delimiter;
    if (first_line(s, err) < 0) {
        fclose(s->fp);
        free(s->line);
        free(s);
        return NULL;
    }
    if (s->cfg->encoding != ENC_UTF8)
        s->conv_from = textenc_open(s->cfg->encoding);
    if (s->delim == '\0')
        find_delimiter(s);
    parser_init(s);
    if (take_header(s, err) < 0) {
        csv_close(s);
        return NULL;
    }
    if (how->resume != NULL && cJSON_GetObjectItem(how->resume, "offset") != NULL) {
        if (!file_unchanged(s, how->resume))
            log_info("source '%s': '%s' changed since the interrupted read; reading it from "
                     "the start", s->cfg->name, s->cfg->path);
        else if (resume_at(s, how->resume, err) < 0) {
            csv_close(s);
            return NULL;
        }
    }
    return s;
}

static void item_reserve(struct source *s, size_t n)
{
    if (n <= s->cols_cap)
        return;
    s->cols_cap = n;
    s->cols = xreallocarray(s->cols, n, sizeof *s->cols);
    s->col_lens = xreallocarray(s->col_lens, n, sizeof *s->col_lens);
}

/* Points the item's columns at the record's fields, converting latin-1 and
 * checking UTF-8. Returns false (with s->error, the first one's) when a
 * field is unreadable; every field is pointed at all the same, an
 * unreadable one as empty, so that the others still name the record (its
 * id in the quarantine). */
static bool fill_columns(struct source *s, struct csv_record *r, struct src_item *item)
{
    item_reserve(s, r->n);
    if (s->cfg->encoding != ENC_UTF8) {
        /* convert all fields into one buffer, then point into it */
        size_t *offs = s->col_lens; /* reuse as scratch for offsets first */
        buf_reset(&s->conv);
        for (size_t i = 0; i < r->n; i++) {
            const char *column = i < s->nheader ? s->header[i] : "?";
            size_t len;
            unsigned char bad;
            warn_high_bytes(s, r->data.data + r->starts[i], r->lens[i], i, r->line);
            char *u = textenc_to_utf8(s->conv_from, r->data.data + r->starts[i], r->lens[i],
                                      &len, &bad);
            if (u == NULL && s->error[0] == '\0') {
                char *label = xasprintf("column '%s'", column);
                csv_cp1252_fault(s, r->data.data + r->starts[i], r->lens[i], bad, label,
                                 s->error, sizeof s->error);
                free(label);
            }
            if (u != NULL && memchr(u, '\0', len) != NULL && s->error[0] == '\0')
                snprintf(s->error, sizeof s->error, "NUL byte in column '%s'", column);
            offs[i] = s->conv.len;
            if (u != NULL && memchr(u, '\0', len) == NULL)
                buf_add(&s->conv, u, len);
            buf_addc(&s->conv, '\0');
            free(u);
        }
        for (size_t i = 0; i < r->n; i++) {
            s->cols[i] = s->conv.data + offs[i];
            s->col_lens[i] = strlen(s->cols[i]);
        }
        return s->error[0] == '\0';
    }
    for (size_t i = 0; i < r->n; i++) {
        s->cols[i] = r->data.data + r->starts[i];
        s->col_lens[i] = r->lens[i];
        if (!utf8_valid(s->cols[i], s->col_lens[i])) {
            /* a NUL byte is no encoding's fault: latin-1 would read it no better */
            bool nul = s->cols[i][utf8_valid_prefix(s->cols[i], s->col_lens[i])] == '\0';
            if (s->error[0] == '\0')
                snprintf(s->error, sizeof s->error, "%s in column '%s'%s",
                         nul ? "NUL byte" : "invalid UTF-8", i < s->nheader ? s->header[i] : "?",
                         nul ? "" : " (is the file latin-1? then set encoding = latin-1)");
            s->cols[i] = "";
            s->col_lens[i] = 0;
        }
    }
    return s->error[0] == '\0';
}

static int csv_next(struct source *s, struct src_item *item, struct err *err)
{
    struct csv_record *r = next_record(s, err);

    if (r == NULL)
        return err_isset(err) ? -1 : 0;
    memset(item, 0, sizeof *item);
    s->after_offset = r->end_offset;
    s->after_line = r->end_line;
    s->yielded++;
    snprintf(item->location, sizeof item->location, "line %lld", r->line);
    item->origin = s->cfg->path;
    item->raw = r->raw.data;
    item->raw_len = r->raw.len;
    item->raw_encoding = s->conv_from;
    item->header = (const char *const *)s->header;
    item->nheader = s->nheader;
    s->error[0] = '\0';
    if (r->error[0] != '\0') {
        item->error = r->error;
        return 1;
    }
    if (s->nheader > 0 && r->n != s->nheader) {
        snprintf(s->error, sizeof s->error, "%zu field%s, expected %zu as in the header", r->n,
                 r->n == 1 ? "" : "s", s->nheader);
        item->error = s->error;
        return 1;
    }
    if (!fill_columns(s, r, item))
        item->error = s->error;
    item->ncols = r->n;
    item->cols = s->cols;
    item->col_lens = s->col_lens;
    return 1;
}

static cJSON *csv_position(struct source *s)
{
    cJSON *pos = cJSON_CreateObject();

    cJSON_AddNumberToObject(pos, "offset", (double)s->after_offset);
    cJSON_AddNumberToObject(pos, "line", (double)s->after_line);
    cJSON_AddNumberToObject(pos, "size", (double)s->st.st_size);
    cJSON_AddNumberToObject(pos, "mtime", (double)s->st.st_mtime);
    return pos;
}

static void csv_stats(struct source *s, struct source_stats *out)
{
    out->bytes = s->offset;
    out->size = (long long)s->st.st_size;
}

static void csv_close(struct source *s)
{
    if (s == NULL)
        return;
    if (s->fp != NULL)
        fclose(s->fp);
    csv_free(&s->parser);
    for (size_t i = 0; i < s->nslots; i++) {
        buf_free(&s->slots[i].data);
        buf_free(&s->slots[i].raw);
        free(s->slots[i].starts);
        free(s->slots[i].lens);
    }
    free(s->slots);
    for (size_t i = 0; i < s->nheader; i++)
        free(s->header[i]);
    free(s->header);
    free(s->line);
    free(s->cols);
    free(s->col_lens);
    buf_free(&s->conv);
    textenc_close(s->conv_from);
    buf_free(&s->pending_raw);
    free(s);
}

const struct source_ops source_csv_ops = {
    .kind = "csv",
    .open = csv_open,
    .next = csv_next,
    .position = csv_position,
    .stats = csv_stats,
    .close = csv_close,
};
