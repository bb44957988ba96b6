/*
 * normalize.c — the text form records are fingerprinted, blocked and
 * compared on.
 *
 * NFKC with case folding (utf8proc), accents stripped, every punctuation,
 * symbol, separator and control character turned into a blank, and blanks
 * collapsed and trimmed: "Café — the GUIDE!" and "cafe the guide" are one
 * string. The signs whose compatibility form is letters (™ is "TM") are
 * symbols too: "Quicken™" is "quicken", as "Quicken®" is. Letters and
 * digits of every script survive, so CJK titles keep their meaning. Codes
 * are the exception: a run of letters and digits joined by hyphens, dots
 * or underscores that holds both a letter and a digit loses its joiners,
 * so "XR-B200", "xr.b200" and "XRB200" are one word (model and part
 * numbers are written every way), while "Wi-Fi" and "2.5" keep their
 * blank. A dot between two digits is a decimal point, never a joiner:
 * "v1.2" is "v1 2", holding the numbers 1 and 2 as "1.2" does. A
 * question mark (or U+FFFD) inside a word and before a letter is a
 * character an export could not encode ("P?rez" for "Pérez", "Sh?suke"
 * for "Shōsuke"), not punctuation: it stays in its word as "?", which the
 * text comparator lets stand for any one character.
 * Before a blank or at the end ("non?") it is punctuation as before, and
 * so at the start of a word, where exports mostly lost a quotation mark.
 * Plain ASCII, the common case, takes a byte loop that gives the same
 * result without utf8proc's allocation.
 *
 * A link cut to its page (url.c) is normalised alike but keeps its case,
 * because a path and a query are case-sensitive (RFC 3986: only the
 * scheme and the host, which url.c lower-cases, are not), and a '?' in it
 * is the query's mark, never a lost character.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "kasparro/dedup_internal.h"

/* The output being built, and the run of joined words it ends with. */
struct norm {
    struct buf *out;
    size_t start;        /* where this value begins in out */
    bool in_run;         /* the last character kept was a letter or digit */
    bool letter, digit;  /* the run holds one */
    size_t joins[16];    /* offsets of the blanks joiners put into the run */
    int njoins;
};

static void put_blank(struct norm *n)
{
    if (n->out->len > n->start && n->out->data[n->out->len - 1] != ' ')
        buf_addc(n->out, ' ');
}

/* Ends the current run: a code (letters and digits) loses the blanks its
 * joiners left. */
static void end_run(struct norm *n)
{
    if (n->letter && n->digit && n->njoins > 0) {
        char *d = n->out->data;
        size_t w = n->joins[0];
        for (int k = 0; k < n->njoins; k++) {
            size_t from = n->joins[k] + 1, to = k + 1 < n->njoins ? n->joins[k + 1] : n->out->len;
            memmove(d + w, d + from, to - from);
            w += to - from;
        }
        n->out->len = w;
        d[w] = '\0';
    }
    n->in_run = n->letter = n->digit = false;
    n->njoins = 0;
}

static void keep(struct norm *n, const void *bytes, size_t len, bool digit)
{
    buf_add(n->out, bytes, len);
    n->in_run = true;
    n->letter |= !digit;
    n->digit |= digit;
}

static void joiner(struct norm *n)
{
    if (!n->in_run || n->njoins == (int)ARRAY_SIZE(n->joins)) {
        end_run(n);
        put_blank(n);
        return;
    }
    size_t at = n->out->len;
    put_blank(n);
    if (n->out->len > at)
        n->joins[n->njoins++] = at;
    n->in_run = false; /* a second joiner in a row ends the run */
}

static void separator(struct norm *n)
{
    end_run(n);
    put_blank(n);
}

static void finish(struct norm *n)
{
    end_run(n);
    if (n->out->len > n->start && n->out->data[n->out->len - 1] == ' ') {
        n->out->len--;
        n->out->data[n->out->len] = '\0';
    }
}

static bool ascii_only(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static bool is_joiner(utf8proc_int32_t cp)
{
    return cp == '-' || cp == '.' || cp == '_' || cp == 0x2010 || cp == 0x2011;
}

static bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* Whether the '?' at s[i], inside a word, stands for a lost character: a
 * run of them is followed by a letter. */
static bool lost_ascii(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == '?')
        i++;
    return i < len && ascii_letter(s[i]);
}

static void normalize_ascii(struct buf *out, const char *s, size_t len, bool link)
{
    struct norm n = {.out = out, .start = out->len};

    buf_grow(out, len + 1);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z' && !link)
            c = (char)(c + 32);
        bool digit = c >= '0' && c <= '9';
        if (ascii_letter(c) || digit ||
            (c == '?' && !link && n.in_run && lost_ascii(s, len, i)))
            keep(&n, &c, 1, digit);
        else if (c == '.' && i > 0 && ascii_digit(s[i - 1]) && i + 1 < len && ascii_digit(s[i + 1]))
            separator(&n); /* a decimal point: "v1.2" holds 1 and 2, as "1.2" does */
        else if (is_joiner((unsigned char)c))
            joiner(&n);
        else
            separator(&n);
    }
    finish(&n);
}

/* 1 a letter, 2 a digit, 0 neither (punctuation, symbols, separators,
 * controls, marks). */
static int kind_of(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return 1;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 2;
    default:
        return 0;
    }
}

static bool is_lost_mark(utf8proc_int32_t cp) { return cp == '?' || cp == 0xFFFD; }

/* Whether the mark at mapped[i], inside a word, stands for a lost
 * character: a run of them is followed by a letter. */
static bool lost_mapped(const utf8proc_uint8_t *mapped, utf8proc_ssize_t nb, utf8proc_ssize_t i)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;

    while (i < nb && (k = utf8proc_iterate(mapped + i, nb - i, &cp)) > 0) {
        if (!is_lost_mark(cp))
            return kind_of(cp) == 1;
        i += k;
    }
    return false;
}

/* kind_of the character at mapped[i], 0 at the end. */
static int next_kind(const utf8proc_uint8_t *mapped, utf8proc_ssize_t nb, utf8proc_ssize_t i)
{
    utf8proc_int32_t cp;

    return i < nb && utf8proc_iterate(mapped + i, nb - i, &cp) > 0 ? kind_of(cp) : 0;
}

/* Signs whose compatibility form is letters: NFKC writes ™ as "TM",
 * which joined the word before it ("quicken™" became "quickentm"). They
 * are symbols, a blank like ® and ©. */
static utf8proc_int32_t sign_blank(utf8proc_int32_t cp, void *data)
{
    (void)data;
    return cp == 0x2122 || cp == 0x2120 || cp == 0x2121 ? ' ' : cp;
}

static void normalize(struct buf *out, const char *s, size_t len, bool link)
{
    utf8proc_uint8_t *mapped = NULL;
    struct norm n = {.out = out, .start = out->len};

    if (ascii_only(s, len)) {
        normalize_ascii(out, s, len, link);
        return;
    }
    utf8proc_ssize_t nb = utf8proc_map_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | (link ? 0 : UTF8PROC_CASEFOLD) |
            UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
        link ? NULL : sign_blank, NULL);
    if (nb < 0) {
        /* invalid UTF-8: keep what the ASCII rules make of it */
        normalize_ascii(out, s, len, link);
        return;
    }
    int prev = 0; /* kind_of the character before */
    for (utf8proc_ssize_t i = 0; i < nb;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, nb - i, &cp);
        if (k <= 0)
            break;
        int kind = kind_of(cp);
        if (kind != 0)
            keep(&n, mapped + i, (size_t)k, kind == 2);
        else if (is_lost_mark(cp) && !link && n.in_run && lost_mapped(mapped, nb, i))
            keep(&n, "?", 1, false);
        else if (cp == '.' && prev == 2 && next_kind(mapped, nb, i + k) == 2)
            separator(&n); /* a decimal point, as in the ASCII loop */
        else if (is_joiner(cp))
            joiner(&n);
        else
            separator(&n);
        prev = kind;
        i += k;
    }
    free(mapped);
    finish(&n);
}

void dedup_normalize_into(struct buf *out, const char *s, size_t len)
{
    normalize(out, s, len, false);
}

void dedup_normalize_link_into(struct buf *out, const char *s, size_t len)
{
    normalize(out, s, len, true);
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
        size_t n = 0;
        for (const char *c = w; *c != '\0'; c++) /* a lost character is no part of a key */
            if (*c != '?')
                w[n++] = *c;
        w[n] = '\0';
        if (b.len > 0 && b.len + n > 40)
            break;
        if (b.len > 0)
            buf_addc(&b, '-');
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
