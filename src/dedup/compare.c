/*
 * compare.c — similarity of two normalised values, by code point.
 *
 * Data needs characters: "Müller" and "Muller" differ by one letter, not
 * two bytes. Values are decoded into code-point arrays on the stack (the
 * first CMP_MAX_CHARS characters), which also keeps every comparator free of
 * allocation on the hot path; edit distance and Jaro–Winkler are the core's
 * (similar.h), run over the decoded arrays. Token and q-gram measures hash
 * their pieces and intersect sorted hash arrays.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kasparro/dedup_internal.h"
#include "kasparro/similar.h"

static size_t decode(const char *s, uint32_t *out)
{
    size_t n = 0, len = strlen(s);

    for (size_t i = 0; i < len && n < CMP_MAX_CHARS;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[n++] = c;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        out[n++] = k > 0 ? (uint32_t)cp : c;
        i += k > 0 ? (size_t)k : 1;
    }
    return n;
}

double cmp_jaro_winkler(const char *sa, const char *sb)
{
    uint32_t a[CMP_MAX_CHARS], b[CMP_MAX_CHARS];
    size_t la = decode(sa, a), lb = decode(sb, b);

    return sim_jaro_winkler_cp(a, la, b, lb);
}

double cmp_levenshtein(const char *sa, const char *sb)
{
    uint32_t a[CMP_MAX_CHARS], b[CMP_MAX_CHARS];
    size_t la = decode(sa, a), lb = decode(sb, b);

    if (la == 0 && lb == 0)
        return 1.0;
    return 1.0 - (double)sim_edit_distance(a, la, b, lb) / (double)(la > lb ? la : lb);
}

int dedup_cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static size_t unique_sorted(uint64_t *h, size_t n)
{
    size_t k = 0;

    qsort(h, n, sizeof *h, dedup_cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || h[k - 1] != h[i])
            h[k++] = h[i];
    return k;
}

static size_t common_sorted(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;

    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            c++, i++, j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return c;
}

static size_t token_hashes(const char *s, uint64_t *out, size_t max)
{
    size_t n = 0;

    while (*s != '\0' && n < max) {
        const char *end = strchr(s, ' ');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len > 0)
            out[n++] = dedup_hash(s, len, 0);
        s += len;
        while (*s == ' ')
            s++;
    }
    return unique_sorted(out, n);
}

double cmp_jaccard(const char *a, const char *b)
{
    uint64_t ha[CMP_MAX_CHARS], hb[CMP_MAX_CHARS];
    size_t na = token_hashes(a, ha, CMP_MAX_CHARS), nb = token_hashes(b, hb, CMP_MAX_CHARS);

    if (na == 0 && nb == 0)
        return 1.0;
    size_t common = common_sorted(ha, na, hb, nb);
    return (double)common / (double)(na + nb - common);
}

static size_t qgram_hashes(const uint32_t *s, size_t n, int q, uint64_t *out)
{
    size_t k = 0;

    for (size_t i = 0; i + (size_t)q <= n; i++)
        out[k++] = dedup_hash(s + i, (size_t)q * sizeof *s, 0);
    return unique_sorted(out, k);
}

double cmp_qgram(const char *sa, const char *sb, int q)
{
    uint32_t a[CMP_MAX_CHARS], b[CMP_MAX_CHARS];
    uint64_t ha[CMP_MAX_CHARS], hb[CMP_MAX_CHARS];
    size_t la = decode(sa, a), lb = decode(sb, b);

    if (q < 1)
        q = 2;
    if (la < (size_t)q || lb < (size_t)q)
        return la == lb && memcmp(a, b, la * sizeof *a) == 0 ? 1.0 : 0.0;
    size_t na = qgram_hashes(a, la, q, ha), nb = qgram_hashes(b, lb, q, hb);
    return 2.0 * (double)common_sorted(ha, na, hb, nb) / (double)(na + nb);
}

#define DAYS_PER_MONTH (365.2425 / 12)

static bool is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* n decimal digits at s[*i] into *v, moving *i past them. */
static bool read_digits(const char *s, int *i, int n, long *v)
{
    for (*v = 0; n > 0; n--, (*i)++) {
        if (s[*i] < '0' || s[*i] > '9')
            return false;
        *v = *v * 10 + (s[*i] - '0');
    }
    return true;
}

/* A date as parse_ymd reads it. */
struct ymd {
    long day;            /* since 1970-01-01 */
    long year, month;    /* month: counted from year 0 */
    bool first;          /* the first of its month */
    enum { PREC_DAY, PREC_MONTH, PREC_YEAR } prec; /* how precisely it is known */
    const char *rest;    /* after the date */
};

/* Reads "YYYY[-]MM[-]DD...". A month or a year alone ("2003-05", "2003":
 * how the matcher holds a value known only to its month or year) is its
 * first day, with prec saying so. */
static bool parse_ymd(const char *s, struct ymd *out)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long y, m = 1, d = 1;
    int i = 0;

    if (!read_digits(s, &i, 4, &y))
        return false;
    out->prec = s[i] == '\0' ? PREC_YEAR : PREC_DAY;
    if (out->prec == PREC_DAY) {
        i += s[i] == '-' || s[i] == ' ';
        if (!read_digits(s, &i, 2, &m))
            return false;
        if (s[4] == '-' && s[i] == '\0')
            out->prec = PREC_MONTH;
        i += s[i] == '-' || s[i] == ' ';
        if (out->prec == PREC_DAY && !read_digits(s, &i, 2, &d))
            return false;
    }
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && is_leap(y)))
        return false;
    out->year = y, out->month = 12 * y + m - 1, out->first = d == 1, out->rest = s + i;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    out->day = era * 146097 + doe - 719468;
    return true;
}

bool cmp_parse_day(const char *s, long *day)
{
    struct ymd t;

    if (!parse_ymd(s, &t))
        return false;
    *day = t.day;
    return true;
}

/* Whether s is a full date on the first of a month (of January, with
 * `january`) at midnight UTC: nothing after the date but zeros,
 * separators and a zero UTC offset ("00:00:00+00", normalised
 * "00 00 00"). */
static bool first_of(const char *s, bool january)
{
    struct ymd t;

    return parse_ymd(s, &t) && t.prec == PREC_DAY && t.first &&
           (!january || t.month % 12 == 0) && t.rest[strspn(t.rest, "0 :.T+-Z")] == '\0';
}

bool cmp_new_year(const char *s) { return first_of(s, true); }

bool cmp_new_month(const char *s) { return first_of(s, false); }

bool cmp_date_distance(const char *a, const char *b, double *days, bool *period_agrees)
{
    struct ymd x, y;

    if (!parse_ymd(a, &x) || !parse_ymd(b, &y))
        return false;
    int coarse = x.prec > y.prec ? x.prec : y.prec;
    *period_agrees = false;
    if (x.prec == y.prec) /* two days, months or years: first day to first day */
        *days = (double)labs(x.day - y.day);
    else if (coarse == PREC_YEAR && x.year == y.year) /* two days of it: a third of a year apart */
        *days = 365.0 / 3, *period_agrees = true;
    else if (coarse == PREC_YEAR)
        *days = 365.0 * (double)labs(x.year - y.year);
    else if (x.month == y.month) /* two days of one month: a third of it apart */
        *days = DAYS_PER_MONTH / 3, *period_agrees = true;
    else
        *days = DAYS_PER_MONTH * (double)labs(x.month - y.month);
    return true;
}
