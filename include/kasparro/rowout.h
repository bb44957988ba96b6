/*
 * rowout.h — rows written for other programs: CSV (RFC 4180 quoting, a header
 * line, fields quoted only when they must be) or JSON lines (one object per
 * line). Rows are cJSON objects, so anything that has them — a streamed
 * query, a listing's JSON — can be written either way; the CSV columns are
 * the first row's keys.
 */
#ifndef KASPARRO_ROWOUT_H
#define KASPARRO_ROWOUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

enum rowout_format { ROWOUT_CSV, ROWOUT_JSONL };

/* By enum rowout_format, NULL-ended: what --format takes. */
extern const char *const rowout_formats[];
/* "csv", or "jsonl" (also "ndjson"): 0, or -1. */
int rowout_format_parse(const char *name, enum rowout_format *format);
/* The format a file name asks for: .jsonl, .ndjson and .json are JSON
 * lines, anything else CSV. */
enum rowout_format rowout_format_of(const char *path);

struct rowout;
struct rowout *rowout_new(FILE *fp, enum rowout_format format);
/* Writes one row; -1 when the stream failed (errno says why). */
int rowout_put(struct rowout *w, const cJSON *row);
/* Writes the CSV header now, from column names, so that no rows still make
 * a file that names its columns; without it the first row's keys do. */
int rowout_header(struct rowout *w, const char *const *names, size_t n);
long long rowout_rows(const struct rowout *w);
/* The errno of the write that failed, or 0. */
int rowout_error(const struct rowout *w);
void rowout_free(struct rowout *w);

/* Writes a file whole: `put` writes the rows into a temporary file beside
 * `path`, which is synced and renamed to it only when every row is there,
 * so a reader never sees half a file and a failure leaves the old one.
 * `put` returns 0 or -1 (err set, or a failed write that rowout_error
 * knows). 0 with *rows set, or -1 with err naming the file. */
struct err;
int rowout_file(const char *path, enum rowout_format format,
                int (*put)(struct rowout *w, void *arg, struct err *err), void *arg,
                long long *rows, struct err *err);

#endif
