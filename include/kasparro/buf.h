/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Used for building messages, COPY batches, JSON payloads and HTTP bodies.
 */
#ifndef KASPARRO_BUF_H
#define KASPARRO_BUF_H

#include <stddef.h>

#include "kasparro/util.h"

struct buf {
    char *data; /* NUL-terminated; NULL until the first write */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* text and a newline, each line after its first indented by `indent`
 * spaces (the first too when `first`): a value under its label. With a
 * width (0: none), a line wider than it wraps between words onto rows
 * under the same indent, so the value keeps its column. */
void buf_add_indented(struct buf *b, const char *text, int indent, bool first, size_t width);
/* One line of text in rows of at most `room` cells (0: one row), broken
 * between words, the rows after the first indented by `indent` spaces; no
 * newline at its end. */
void buf_add_wrapped(struct buf *b, const char *line, int indent, size_t room);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
void buf_add_json_str(struct buf *b, const char *s, size_t len);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
void buf_free(struct buf *b);
char *buf_detach(struct buf *b);               /* caller frees; buffer is reset */
static inline const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

#endif
