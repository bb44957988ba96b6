/*
 * utf8.c — cell widths and conversions over UTF-8 (see utf8.h), on top of
 * utf8proc so the answer does not depend on setlocale().
 */
#include "kasparro/utf8.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "kasparro/util.h"

/* Decodes one character; returns its byte length (1 for an invalid byte). */
static size_t next_char(const char *s, size_t len, utf8proc_int32_t *cp)
{
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cp);
    if (n <= 0) {
        *cp = -1;
        return 1;
    }
    return (size_t)n;
}

static int char_width(utf8proc_int32_t cp)
{
    if (cp < 0)
        return 1;
    if (cp < 0x20 || cp == 0x7f)
        return 0;
    return utf8proc_charwidth(cp);
}

size_t utf8_nwidth(const char *s, size_t len)
{
    size_t w = 0, i = 0;
    utf8proc_int32_t cp;

    while (i < len) {
        i += next_char(s + i, len - i, &cp);
        w += (size_t)char_width(cp);
    }
    return w;
}

size_t utf8_width(const char *s) { return utf8_nwidth(s, strlen(s)); }

size_t utf8_fit(char *buf, size_t buflen, const char *s, size_t cells)
{
    size_t len = strlen(s), i = 0, w = 0, out = 0;
    utf8proc_int32_t cp;

    if (buflen == 0)
        return 0;
    if (utf8_nwidth(s, len) <= cells && len < buflen) {
        memcpy(buf, s, len + 1);
        return utf8_nwidth(s, len);
    }
    /* leave one cell (and three bytes) for the ellipsis */
    while (i < len) {
        size_t n = next_char(s + i, len - i, &cp);
        int cw = char_width(cp);
        if (w + (size_t)cw + 1 > cells || out + n + 4 > buflen)
            break;
        memcpy(buf + out, s + i, n);
        out += n;
        w += (size_t)cw;
        i += n;
    }
    if (cells > 0 && out + 4 <= buflen) {
        memcpy(buf + out, "\xe2\x80\xa6", 3);
        out += 3;
        w++;
    }
    buf[out] = '\0';
    return w;
}

size_t utf8_skip(const char *s, size_t cells)
{
    size_t len = strlen(s), i = 0, w = 0;
    utf8proc_int32_t cp;

    while (i < len && w < cells) {
        i += next_char(s + i, len - i, &cp);
        w += (size_t)char_width(cp);
    }
    return i;
}

/* The bytes of s's longest prefix at most `cells` wide, with the
 * zero-width marks that follow it, and at least one character (a row
 * always advances). A wide character that straddles the edge is left for
 * the next row, where utf8_skip steps over it. */
static size_t utf8_take(const char *s, size_t cells)
{
    size_t len = strlen(s), i = 0, w = 0;
    utf8proc_int32_t cp;

    while (i < len) {
        size_t n = next_char(s + i, len - i, &cp);
        size_t cw = (size_t)char_width(cp);
        if (i > 0 && w + cw > cells)
            break;
        i += n;
        w += cw;
    }
    return i;
}

size_t utf8_wrap(const char *s, size_t cells)
{
    size_t step = utf8_take(s, cells);

    if (s[step] == '\0' || s[step] == ' ')
        return step;
    for (size_t k = step; k > step / 2; k--)
        if (s[k - 1] == ' ')
            return k;
    return step;
}

char *utf8_from_latin1(const char *s, size_t len, size_t *outlen)
{
    char *out = xmalloc(len * 2 + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    out[o] = '\0';
    if (outlen != NULL)
        *outlen = o;
    return out;
}

int utf8_valid(const char *s, size_t len) { return utf8_valid_prefix(s, len) == len; }

size_t utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    utf8proc_int32_t cp;

    while (i < len) {
        /* ASCII runs are the common case: eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* any high bit set, or any zero byte, leaves the fast path */
            if ((w & 0x8080808080808080ULL) != 0 ||
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if ((unsigned char)s[i] < 0x80 && s[i] != '\0') {
            i++;
            continue;
        }
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

char *utf8_sanitize(const char *s, size_t len)
{
    char *out = xmalloc(len * 4 + 1);
    size_t i = 0, o = 0;
    utf8proc_int32_t cp;

    while (i < len) {
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0) {
            o += (size_t)sprintf(out + o, "\\x%02x", (unsigned char)s[i]);
            i++;
        } else {
            memcpy(out + o, s + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        }
    }
    out[o] = '\0';
    return out;
}
