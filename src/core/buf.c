/*
 * buf.c — growable byte buffer. Growth doubles, so appending n bytes one at a
 * time costs O(n); the hot loaders append millions of fields through here.
 */
#include "kasparro/buf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/utf8.h"

void buf_grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
    buf_grow(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_addc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        fatal("invalid format string '%s'", fmt);
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* The bytes a JSON string escapes; filled once, before any thread reads it
 * (sources are mapped on several worker threads at once). */
static bool json_special[256];
static pthread_once_t json_special_once = PTHREAD_ONCE_INIT;

static void json_special_init(void)
{
    for (int c = 0; c < 0x20; c++)
        json_special[c] = true;
    json_special['"'] = json_special['\\'] = true;
}

void buf_add_json_str(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;

    pthread_once(&json_special_once, json_special_init);
    buf_grow(b, len + 2);
    buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        /* skip eight plain bytes at a time: none below 0x20, no '"' or '\\' */
        while (i + 8 <= len) {
            uint64_t w, q, bs;
            memcpy(&w, s + i, 8);
            q = w ^ 0x2222222222222222ULL;
            bs = w ^ 0x5c5c5c5c5c5c5c5cULL;
#define HAS_ZERO(x) (((x) - 0x0101010101010101ULL) & ~(x) & 0x8080808080808080ULL)
            if (((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL) || HAS_ZERO(q) ||
                HAS_ZERO(bs))
                break;
#undef HAS_ZERO
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (!json_special[c])
            continue;
        buf_add(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': buf_add(b, "\\\"", 2); break;
        case '\\': buf_add(b, "\\\\", 2); break;
        case '\n': buf_add(b, "\\n", 2); break;
        case '\r': buf_add(b, "\\r", 2); break;
        case '\t': buf_add(b, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, u, 6);
        }
        }
    }
    buf_add(b, s + run, len - run);
    buf_addc(b, '"');
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void buf_add_wrapped(struct buf *b, const char *line, int indent, size_t room)
{
    for (;;) {
        size_t n = room > 0 ? utf8_wrap(line, room) : strlen(line), keep = n;
        if (line[n] == '\0')
            break;
        while (keep > 0 && line[keep - 1] == ' ')
            keep--;
        buf_add(b, line, keep);
        buf_printf(b, "\n%*s", indent, "");
        line += n;
        while (*line == ' ')
            line++;
    }
    buf_adds(b, line);
}

void buf_add_indented(struct buf *b, const char *text, int indent, bool first, size_t width)
{
    size_t room = width > (size_t)indent + 20 ? width - (size_t)indent : 0;

    for (bool head = true;; head = false) {
        size_t len = strcspn(text, "\n");
        char *line = xstrndup(text, len);
        if ((!head || first) && len > 0) /* a blank line stays blank */
            buf_printf(b, "%*s", indent, "");
        buf_add_wrapped(b, line, indent, room);
        free(line);
        buf_addc(b, '\n');
        text += len;
        if (*text == '\0' || text[1] == '\0')
            break;
        text++;
    }
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(struct buf *b)
{
    char *s = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}
