/*
 * normalize.c — the text form records are fingerprinted, blocked and
 * compared on.
 *
 * NFKC with case folding (utf8proc), accents stripped, every punctuation,
 * symbol, separator and control character turned into a blank, and blanks
 * collapsed and trimmed: "Café — the GUIDE!" and "cafe the guide" are one
 * string. Letters and digits of every script survive, so CJK titles keep
 * their meaning. Plain ASCII, the common case, takes a byte loop that gives
 * the same result without utf8proc's allocation.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "kasparro/dedup_internal.h"

static void put_blank(struct buf *out, size_t start)
{
    if (out->len > start && out->data[out->len - 1] != ' ')
        buf_addc(out, ' ');
}

static void trim_end(struct buf *out, size_t start)
{
    if (out->len > start && out->data[out->len - 1] == ' ') {
        out->len--;
        out->data[out->len] = '\0';
    }
}

static bool ascii_only(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static void normalize_ascii(struct buf *out, const char *s, size_t len)
{
    size_t start = out->len;

    buf_grow(out, len + 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            buf_addc(out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            buf_addc(out, (char)c);
        else
            put_blank(out, start);
    }
    trim_end(out, start);
}

static bool keeps(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false; /* punctuation, symbols, separators, controls, marks */
    }
}

void dedup_normalize_into(struct buf *out, const char *s, size_t len)
{
    utf8proc_uint8_t *mapped = NULL;
    size_t start = out->len;

    if (ascii_only(s, len)) {
        normalize_ascii(out, s, len);
        return;
    }
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                          UTF8PROC_IGNORE);
    if (n < 0) {
        /* invalid UTF-8: keep what the ASCII rules make of it */
        normalize_ascii(out, s, len);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, n - i, &cp);
        if (k <= 0)
            break;
        if (keeps(cp))
            buf_add(out, mapped + i, (size_t)k);
        else
            put_blank(out, start);
        i += k;
    }
    free(mapped);
    trim_end(out, start);
}

char *dedup_normalize(const char *s)
{
    struct buf b = BUF_INIT;

    buf_adds(&b, "");
    if (s != NULL)
        dedup_normalize_into(&b, s, strlen(s));
    return buf_detach(&b);
}

char *dedup_slug(const char *title, int max_words)
{
    char *norm = dedup_normalize(title);
    struct buf b = BUF_INIT;
    int words = 0;

    for (char *w = strtok(norm, " "); w != NULL && words < max_words; w = strtok(NULL, " ")) {
        if (b.len > 0 && b.len + strlen(w) > 40)
            break;
        if (b.len > 0)
            buf_addc(&b, '-');
        size_t n = strlen(w);
        while (n > 40 || (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80))
            n--; /* at most 40 bytes, never half a character */
        buf_add(&b, w, n);
        words++;
    }
    free(norm);
    if (b.len == 0)
        buf_adds(&b, "entity");
    return buf_detach(&b);
}

uint64_t dedup_hash(const void *data, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, len, seed);
}
