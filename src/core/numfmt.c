/*
 * numfmt.c — reading numbers in a declared notation (see numfmt.h).
 *
 * A value is split into a prefix, a body and a suffix: the body runs from
 * the first digit to the last and holds digits and separators only; the
 * prefix and suffix hold blanks, currency symbols (Unicode category Sc, via
 * utf8proc), at most three letters and one sign. The example in the
 * configuration goes through the same split, so what the example shows is
 * what values may show.
 */
#include "kasparro/numfmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_GROUPS 64

/* The body: digit groups and the separator before each group after the
 * first (normalised: every blank is ' ', ’ is '\''). */
struct parts {
    const char *group[MAX_GROUPS];
    size_t len[MAX_GROUPS];
    char sep[MAX_GROUPS];
    size_t n;
    bool negative;
};

static size_t decode(const char *s, const char *end, utf8proc_int32_t *cp)
{
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, end - s, cp);
    if (n <= 0) {
        *cp = -1;
        return 1;
    }
    return (size_t)n;
}

/* A separator in the body, normalised, or 0. */
static char separator(utf8proc_int32_t cp)
{
    if (cp == '.' || cp == ',' || cp == '\'')
        return (char)cp;
    if (cp == 0x2019)
        return '\'';
    if (cp == ' ' || cp == 0xa0 || cp == 0x202f || cp == 0x2009)
        return ' ';
    return 0;
}

/* Checks a prefix or suffix: blanks, currency, up to three letters, one
 * sign (shared between both sides through *signs). */
static bool affix(const char *s, const char *end, int *signs, bool *negative)
{
    int letters = 0;
    utf8proc_int32_t cp;

    while (s < end) {
        s += decode(s, end, &cp);
        if (cp < 0)
            return false;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cp == '-' || cp == 0x2212 || cp == '+') {
            *negative |= cp != '+';
            if (++*signs > 1)
                return false;
        } else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                   cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO) {
            if (++letters > 3)
                return false;
        } else if (cat != UTF8PROC_CATEGORY_SC && cat != UTF8PROC_CATEGORY_ZS && cp != '\t') {
            return false;
        }
    }
    return true;
}

static bool split(const char *s, struct parts *p)
{
    const char *end = s + strlen(s), *first, *last;
    int signs = 0;

    memset(p, 0, sizeof *p);
    first = strpbrk(s, "0123456789");
    if (first == NULL)
        return false;
    for (last = end - 1; *last < '0' || *last > '9'; last--)
        ;
    /* accounting negatives: (1,234.00), with the currency inside or out */
    const char *open = memchr(s, '(', (size_t)(first - s));
    const char *close = memchr(last, ')', (size_t)(end - last));
    if ((open == NULL) != (close == NULL))
        return false;
    if (open != NULL) {
        p->negative = true;
        signs = 1;
        if (!affix(s, open, &signs, &p->negative) || !affix(close + 1, end, &signs, &p->negative))
            return false;
        s = open + 1;
        end = close;
    }
    if (!affix(s, first, &signs, &p->negative) || !affix(last + 1, end, &signs, &p->negative))
        return false;
    p->group[0] = first;
    for (const char *c = first; c <= last;) {
        utf8proc_int32_t cp;
        size_t n = decode(c, last + 1, &cp);
        char sep = separator(cp);
        if (cp >= '0' && cp <= '9') {
            p->len[p->n]++;
        } else if (sep != 0 && p->len[p->n] > 0 && p->n + 1 < MAX_GROUPS) {
            p->n++;
            p->sep[p->n] = sep;
            p->group[p->n] = c + n;
        } else {
            return false; /* a letter inside, two separators in a row, too many groups */
        }
        c += n;
    }
    p->n++;
    return true;
}

static bool is_decimal(const struct numfmt *fmt, char sep)
{
    if (fmt->decimal != 0)
        return sep == fmt->decimal;
    return (sep == '.' || sep == ',') && sep != fmt->thousands;
}

int numfmt_read(const struct numfmt *fmt, const char *s, struct buf *out)
{
    struct parts p;
    size_t whole;

    if (!split(s, &p))
        return -1;
    whole = p.n;
    if (p.n > 1 && is_decimal(fmt, p.sep[p.n - 1]))
        whole = p.n - 1;
    for (size_t i = 1; i < whole; i++)
        if (p.sep[i] != fmt->thousands || p.len[i] != 3 || p.len[0] > 3)
            return -1;
    if (p.negative)
        buf_addc(out, '-');
    for (size_t i = 0; i < whole; i++)
        buf_add(out, p.group[i], p.len[i]);
    if (whole < p.n) {
        buf_addc(out, '.');
        buf_add(out, p.group[whole], p.len[whole]);
    }
    return 0;
}

static int unclear(char *why, size_t whylen, const char *example, const char *how)
{
    snprintf(why, whylen, "the example '%s' %s; write one like 1,234.56, 1.234,56, "
             "1 234,56 or 1234,56", example, how);
    return -1;
}

int numfmt_compile(const char *example, struct numfmt *fmt, char *why, size_t whylen)
{
    struct parts p;
    struct buf check = BUF_INIT;
    size_t n;

    *fmt = (struct numfmt){0, '.'};
    if (!split(example, &p))
        return unclear(why, whylen, example, "is not a number");
    n = p.n - 1; /* separators */
    if (n == 0)
        return 0;
    char last = p.sep[p.n - 1];
    bool one_kind = true;
    for (size_t i = 1; i < p.n; i++)
        one_kind &= p.sep[i] == last;
    if (!one_kind) {
        /* the last separator starts the fraction, the others group thousands */
        if (last != '.' && last != ',')
            return unclear(why, whylen, example, "does not end in a decimal point or comma");
        *fmt = (struct numfmt){p.sep[1], last};
    } else if (last == ' ' || last == '\'') {
        *fmt = (struct numfmt){last, 0};
    } else if (n > 1) {
        *fmt = (struct numfmt){last, last == '.' ? ',' : '.'};
    } else if (p.len[1] == 3 && p.len[0] <= 3) {
        return unclear(why, whylen, example, "could group thousands or start a fraction");
    } else {
        *fmt = (struct numfmt){0, last};
    }
    int rc = numfmt_read(fmt, example, &check);
    buf_free(&check);
    return rc < 0 ? unclear(why, whylen, example, "does not group digits by three") : 0;
}
