/*
 * copy.h — streaming rows into PostgreSQL with COPY ... FROM STDIN.
 *
 * Rows are written field by field in COPY's text format (tab separated,
 * backslash escapes, \N for NULL) into a buffer that is handed to libpq in
 * 256 KiB chunks, so memory stays flat however many rows go through.
 */
#ifndef KASPARRO_COPY_H
#define KASPARRO_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kasparro/buf.h"
#include "kasparro/db.h"

struct copy_writer {
    struct db *db;
    struct buf buf;
    int fields_in_row;
    long long rows;
    bool failed;
    bool binary;
};

/* Starts `sql` ("COPY t (a, b) FROM STDIN"). */
int copy_begin(struct copy_writer *w, struct db *db, const char *sql, struct err *err);
/* s must be NUL-terminated at s[len] (a buf's data is): the scan for
 * characters to escape is strcspn. */
void copy_field(struct copy_writer *w, const char *s, size_t len);
void copy_fields(struct copy_writer *w, const char *s); /* NUL-terminated; NULL -> \N */
void copy_null(struct copy_writer *w);
/* Appends s to b escaped for COPY's text format (same rule as copy_field). */
void copy_escape(struct buf *b, const char *s, size_t len);
/* Sends already formatted rows (whole lines) through the COPY. */
int copy_put(struct copy_writer *w, const char *data, size_t len, struct err *err);
void copy_field_ll(struct copy_writer *w, long long v);
/* Ends the row; flushes to the server when the buffer is large. */
int copy_row(struct copy_writer *w, struct err *err);
/* COPY's binary format ("COPY t (a, b) FROM STDIN (FORMAT binary)"): the
 * server has no text to scan and unescape. copy_binary_begin sends the
 * header; each row is copy_binary_row with its number of fields, then the
 * fields; copy_end adds the trailer. */
int copy_binary_begin(struct copy_writer *w, struct db *db, const char *sql, struct err *err);
/* Starts a row (flushing earlier rows to the server when the buffer is
 * large). */
int copy_binary_row(struct copy_writer *w, int nfields, struct err *err);
void copy_binary_ll(struct copy_writer *w, long long v); /* bigint; timestamptz (microseconds
                                                          * since 2000-01-01 UTC) */
void copy_binary_f8(struct copy_writer *w, double v);      /* double precision */
void copy_binary_bool(struct copy_writer *w, bool v);
void copy_binary_bytes(struct copy_writer *w, const void *p, size_t len); /* a uuid's 16 */
void copy_binary_null(struct copy_writer *w);
/* A text (or json) field given as copy_escape wrote it: its bytes, unescaped. */
void copy_binary_unescape(struct copy_writer *w, const char *escaped, size_t len);
/* Binary rows prepared ahead of their COPY in any buffer (sent with
 * copy_put between copy_binary_begin and copy_end): a row's field count,
 * then its fields — an integer, bytes as they are (a uuid's 16), or text
 * (a NUL dropped, as copy_escape drops it). */
void copy_bin_row(struct buf *b, int nfields);
void copy_bin_int(struct buf *b, int32_t v);
void copy_bin_bytes(struct buf *b, const void *p, size_t len);
void copy_bin_text(struct buf *b, const char *s, size_t len);
/* Finishes the COPY; returns 0 or -1 (the server's error in err). */
int copy_end(struct copy_writer *w, struct err *err);
/* Abandons a COPY in progress (on another error). */
void copy_abort(struct copy_writer *w);

#endif
