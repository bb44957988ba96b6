/*
 * copy.c — COPY FROM STDIN writer (see copy.h).
 *
 * Escaping follows the text format: backslash, tab, newline and carriage
 * return are escaped, everything else (UTF-8 included) passes unchanged.
 * The common case, a field with nothing to escape, is one memcpy.
 */
#include "kasparro/copy.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define COPY_FLUSH_AT (256 * 1024)

int copy_begin(struct copy_writer *w, struct db *db, const char *sql, struct err *err)
{
    PGresult *r;

    memset(w, 0, sizeof *w);
    w->db = db;
    db_watch_settle(db);
    r = PQexec(db->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        db_error(db, r, err);
        PQclear(r);
        w->failed = true;
        return -1;
    }
    PQclear(r);
    return 0;
}

/* v as `bytes` bytes, most significant first, as binary COPY wants */
static void store_be(char *out, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        out[i] = (char)(v & 0xff);
}

static void put_be(struct buf *b, uint64_t v, int bytes)
{
    char out[8];

    store_be(out, v, bytes);
    buf_add(b, out, (size_t)bytes);
}

/* A binary field whose length is known only once its bytes are in: a
 * placeholder for the length, and its offset to fill in at the end. */
static size_t open_field(struct buf *b)
{
    put_be(b, 0, 4);
    return b->len;
}

static void close_field(struct buf *b, size_t at) { store_be(b->data + at - 4, b->len - at, 4); }

static void sep(struct copy_writer *w)
{
    if (w->fields_in_row++ > 0)
        buf_addc(&w->buf, '\t');
}

void copy_field(struct copy_writer *w, const char *s, size_t len)
{
    sep(w);
    copy_escape(&w->buf, s, len);
}

void copy_escape(struct buf *b, const char *s, size_t len)
{
    static const char *special = "\\\t\n\r";
    size_t i = 0;

    buf_grow(b, len);
    while (i < len) {
        /* strcspn is vectorised; a field's NUL (or len) ends the scan */
        size_t run = strcspn(s + i, special);
        if (i + run > len)
            run = len - i;
        buf_add(b, s + i, run);
        i += run;
        if (i >= len)
            break;
        char c = s[i++];
        if (c == '\0') {
            /* an embedded NUL: text cannot hold it, and callers validate */
            continue;
        }
        buf_addc(b, '\\');
        buf_addc(b, c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
    }
}

void copy_fields(struct copy_writer *w, const char *s)
{
    if (s == NULL)
        copy_null(w);
    else
        copy_field(w, s, strlen(s));
}

void copy_null(struct copy_writer *w)
{
    sep(w);
    buf_add(&w->buf, "\\N", 2);
}

void copy_field_ll(struct copy_writer *w, long long v)
{
    sep(w);
    buf_printf(&w->buf, "%lld", v);
}

static int flush(struct copy_writer *w, struct err *err)
{
    if (w->buf.len == 0)
        return 0;
    if (PQputCopyData(w->db->conn, w->buf.data, (int)w->buf.len) != 1) {
        w->failed = true;
        return db_error(w->db, NULL, err);
    }
    buf_reset(&w->buf);
    return 0;
}

int copy_binary_begin(struct copy_writer *w, struct db *db, const char *sql, struct err *err)
{
    static const char signature[11] = "PGCOPY\n\377\r\n";

    if (copy_begin(w, db, sql, err) < 0)
        return -1;
    w->binary = true;
    buf_add(&w->buf, signature, sizeof signature); /* the signature's NUL included */
    put_be(&w->buf, 0, 4);                          /* flags */
    put_be(&w->buf, 0, 4);                          /* header extension */
    return 0;
}

int copy_binary_row(struct copy_writer *w, int nfields, struct err *err)
{
    if (w->buf.len >= COPY_FLUSH_AT && flush(w, err) < 0)
        return -1;
    w->rows++;
    copy_bin_row(&w->buf, nfields);
    return 0;
}

void copy_binary_ll(struct copy_writer *w, long long v)
{
    put_be(&w->buf, 8, 4);
    put_be(&w->buf, (uint64_t)v, 8);
}

void copy_binary_f8(struct copy_writer *w, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    put_be(&w->buf, 8, 4);
    put_be(&w->buf, bits, 8);
}

void copy_binary_bool(struct copy_writer *w, bool v)
{
    put_be(&w->buf, 1, 4);
    buf_addc(&w->buf, v ? 1 : 0);
}

void copy_binary_bytes(struct copy_writer *w, const void *p, size_t len)
{
    copy_bin_bytes(&w->buf, p, len);
}

void copy_binary_null(struct copy_writer *w) { put_be(&w->buf, 0xffffffffu, 4); }

void copy_bin_row(struct buf *b, int nfields) { put_be(b, (uint64_t)nfields, 2); }

void copy_bin_int(struct buf *b, int32_t v)
{
    put_be(b, 4, 4);
    put_be(b, (uint32_t)v, 4);
}

void copy_bin_bytes(struct buf *b, const void *p, size_t len)
{
    put_be(b, len, 4);
    buf_add(b, p, len);
}

void copy_bin_text(struct buf *b, const char *s, size_t len)
{
    const char *end = s + len, *nul;
    size_t at = open_field(b);

    /* text cannot hold a NUL: dropped, as copy_escape drops it */
    while ((nul = memchr(s, '\0', (size_t)(end - s))) != NULL) {
        buf_add(b, s, (size_t)(nul - s));
        s = nul + 1;
    }
    buf_add(b, s, (size_t)(end - s));
    close_field(b, at);
}

void copy_binary_unescape(struct copy_writer *w, const char *s, size_t len)
{
    struct buf *b = &w->buf;
    const char *end = s + len, *bs;
    size_t at = open_field(b);

    while ((bs = memchr(s, '\\', (size_t)(end - s))) != NULL && bs + 1 < end) {
        char c = bs[1];
        buf_add(b, s, (size_t)(bs - s));
        buf_addc(b, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        s = bs + 2;
    }
    buf_add(b, s, (size_t)(end - s));
    close_field(b, at);
}

int copy_put(struct copy_writer *w, const char *data, size_t len, struct err *err)
{
    if (flush(w, err) < 0)
        return -1;
    while (len > 0) {
        int n = len > COPY_FLUSH_AT ? COPY_FLUSH_AT : (int)len;
        if (PQputCopyData(w->db->conn, data, n) != 1) {
            w->failed = true;
            return db_error(w->db, NULL, err);
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int copy_row(struct copy_writer *w, struct err *err)
{
    buf_addc(&w->buf, '\n');
    w->fields_in_row = 0;
    w->rows++;
    if (w->buf.len >= COPY_FLUSH_AT)
        return flush(w, err);
    return 0;
}

int copy_end(struct copy_writer *w, struct err *err)
{
    PGresult *r;
    int rc = 0;

    if (w->binary)
        put_be(&w->buf, 0xffff, 2); /* the trailer: a row of -1 fields */
    if (flush(w, err) < 0) {
        copy_abort(w);
        return -1;
    }
    if (PQputCopyEnd(w->db->conn, NULL) != 1) {
        buf_free(&w->buf);
        return db_error(w->db, NULL, err);
    }
    while ((r = PQgetResult(w->db->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
            rc = db_error(w->db, r, err);
        PQclear(r);
    }
    buf_free(&w->buf);
    return rc;
}

void copy_abort(struct copy_writer *w)
{
    PGresult *r;

    if (PQputCopyEnd(w->db->conn, "aborted by kasparro") == 1)
        while ((r = PQgetResult(w->db->conn)) != NULL)
            PQclear(r);
    buf_free(&w->buf);
    w->failed = true;
}
