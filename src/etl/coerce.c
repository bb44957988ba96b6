/*
 * coerce.c — reading a source's value as a declared type (mapper_coerce).
 *
 * Each type has one canonical text form, so the content hash and the
 * database see the same value however the source wrote it: integers as
 * digits, numbers with 17 significant digits, booleans true/false,
 * timestamps as UTC "YYYY-MM-DDTHH:MM:SS[.ffffff]Z", URLs and text as
 * given. Timestamps without a zone are taken as UTC; their fraction of a
 * second is read as whole microseconds, and one outside the years 1 to
 * 9999 (UTC), which that form cannot write, is refused like an unreadable
 * one (drift or quarantine, as the source says), as is one longer than
 * any timestamp (TIMESTAMP_MAX), saying its length. strptime runs in the C
 * locale (month names are English whatever LANG says) on this thread only.
 */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "kasparro/calendar.h"
#include "kasparro/clock.h"
#include "kasparro/mapper.h"
#include "kasparro/numfmt.h"
#include "kasparro/utf8.h"

static int fail(char *why, size_t len, const char *what, const char *in, size_t inlen)
{
    snprintf(why, len, "'%.*s' is not %s", (int)(inlen > 80 ? 80 : inlen), in, what);
    return -1;
}

static int coerce_integer(const char *s, struct buf *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || errno != 0)
        return -1;
    /* "12.0" from a JSON number or a spreadsheet is still the integer 12 */
    if (*end == '.') {
        const char *z = end + 1;
        while (*z == '0')
            z++;
        if (*z != '\0')
            return -1;
    } else if (*end != '\0') {
        return -1;
    }
    buf_printf(out, "%lld", v);
    return 0;
}

/* strtod, decimal and finite only: it also reads C's hexadecimal ("0x10"
 * is 16), "nan" and "inf", which no source means by a number. */
static bool decimal(const char *s, double *v)
{
    char *end;

    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && strpbrk(s, "xX") == NULL && isfinite(*v);
}

static int coerce_number(const char *s, struct buf *out)
{
    double v;

    if (!decimal(s, &v))
        return -1;
    buf_printf(out, "%.17g", v);
    return 0;
}

/* An integer or number, written plainly or in the source's format.FIELD
 * notation (numfmt.h): "1.299,00 €" with format 1.234,56 is 1299. */
static int coerce_numeric(enum field_type type, const char *s, const char *format,
                          struct buf *out, char *why, size_t whylen)
{
    const char *what = type == FT_INTEGER ? "an integer" : "a number";
    struct buf plain = BUF_INIT;
    struct numfmt fmt;
    int rc;

    if (format == NULL)
        return (type == FT_INTEGER ? coerce_integer(s, out) : coerce_number(s, out)) < 0
                   ? fail(why, whylen, what, s, strlen(s))
                   : 0;
    if (numfmt_compile(format, &fmt, why, whylen) < 0)
        BUG("format '%s' passed config checks: %s", format, why);
    rc = numfmt_read(&fmt, s, &plain);
    if (rc == 0)
        rc = type == FT_INTEGER ? coerce_integer(plain.data, out) : coerce_number(plain.data, out);
    buf_free(&plain);
    if (rc < 0) {
        char like[160];
        snprintf(like, sizeof like, "%s written like '%s'", what, format);
        return fail(why, whylen, like, s, strlen(s));
    }
    return 0;
}

static int coerce_boolean(const char *s, struct buf *out)
{
    static const char *yes[] = {"true", "t", "yes", "y", "1", "on"};
    static const char *no[] = {"false", "f", "no", "n", "0", "off"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            buf_adds(out, "true");
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            buf_adds(out, "false");
            return 0;
        }
    }
    return -1;
}

/* n decimal digits of v (0 <= v < 10^n) at p. */
static void put_digits(char *p, long long v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Microseconds since the epoch as the canonical text, the year always in
 * four digits (strftime's %Y writes the year 1 as "1", which PostgreSQL
 * reads as 2001). A time outside the years 1 to 9999 (UTC) has no such
 * form and is refused (-1), as an unreadable value is. The date comes from
 * day numbers (calendar.h), the digits are written in place: every
 * timestamp of a load passes here, and gmtime_r with two printfs was a
 * sixth of the reading thread's time outside libcsv. */
static int format_utc(int64_t usec, struct buf *out)
{
    long long secs = cal_floor_div(usec, 1000000), frac = usec - secs * 1000000;
    long long days = cal_floor_div(secs, 86400), sod = secs - days * 86400;
    struct civil c = cal_civil_from_days(days);
    char s[sizeof "YYYY-MM-DDTHH:MM:SS.ffffffZ"] = "0000-00-00T00:00:00";
    size_t n = 19;

    if (c.year < 1 || c.year > 9999)
        return -1;
    put_digits(s, c.year, 4);
    put_digits(s + 5, c.month, 2);
    put_digits(s + 8, c.day, 2);
    put_digits(s + 11, sod / 3600, 2);
    put_digits(s + 14, sod / 60 % 60, 2);
    put_digits(s + 17, sod % 60, 2);
    if (frac != 0) {
        s[n++] = '.';
        put_digits(s + n, frac, 6);
        n += 6;
    }
    s[n++] = 'Z';
    buf_add(out, s, n);
    return 0;
}

/* clock_parse holds a fraction of a second in a double, which near the
 * year 9999 is good to some 30 microseconds only. The fraction after
 * "YYYY-MM-DDTHH:MM:SS" is cut out of `s` here and read as whole
 * microseconds (rounded on the seventh digit; the carry is added to the
 * seconds as an integer, so it moves the time by one microsecond, never
 * into a wrong second or year); `whole` gets the rest for clock_parse. */
static void split_fraction(const char *s, char *whole, size_t len, int64_t *usec)
{
    size_t n = strlen(s), i = 20, digits = 0;

    *usec = 0;
    if (n >= len || n < 20 || s[13] != ':' || s[16] != ':' || (s[19] != '.' && s[19] != ',')) {
        n = n < len ? n : len - 1; /* no caller passes one this long (TIMESTAMP_MAX) */
        memcpy(whole, s, n);
        whole[n] = '\0';
        return;
    }
    for (; isdigit((unsigned char)s[i]); i++, digits++) {
        if (digits < 6)
            *usec = *usec * 10 + (s[i] - '0');
        else if (digits == 6 && s[i] >= '5')
            *usec += 1;
    }
    for (; digits < 6; digits++)
        *usec *= 10;
    memcpy(whole, s, 19);
    memcpy(whole + 19, s + i, n - i + 1); /* n < len: the rest and its NUL fit */
}

/* strptime in the C locale; the whole string must match. */
static bool parse_with(const char *s, const char *format, double *t)
{
    static locale_t c_locale;
    struct tm tm = {0};
    const char *end;
    locale_t old;

    if (c_locale == (locale_t)0)
        c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    old = uselocale(c_locale);
    end = strptime(s, format, &tm);
    uselocale(old);
    if (end == NULL)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return false;
    long gmtoff = tm.tm_gmtoff;
    *t = (double)timegm(&tm) - (double)gmtoff;
    return true;
}

/* ISO 8601's reduced precision: a year ("2003") or a month ("2003-05")
 * stands for its first day at midnight UTC — not for 2,003 epoch seconds;
 * and its basic format: eight digits are a day, "20031128", never the
 * epoch second 20,031,128 of August 1970 (so "20031340" is no time at
 * all). Returns -1 for eight digits that are no day, 0 for no match. */
static int parse_reduced(const char *s, double *t)
{
    char full[16];
    size_t n = strspn(s, "0123456789");

    if (n == 8 && s[8] == '\0') {
        snprintf(full, sizeof full, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
        return clock_parse(full, t) == 0 ? 1 : -1;
    }
    if (n != 4 || (s[4] != '\0' && (s[4] != '-' || strspn(s + 5, "0123456789") != 2 ||
                                     s[7] != '\0')))
        return 0;
    snprintf(full, sizeof full, "%.4s-%.2s-01", s, s[4] != '\0' ? s + 5 : "01");
    return clock_parse(full, t) == 0 ? 1 : 0;
}

/* Epoch seconds within a sane range (1970 to 2100), or epoch milliseconds
 * written with thirteen digits (2001-09-09 to 2100), which no second of that
 * range has: what JavaScript's Date.now() and Java's currentTimeMillis()
 * write. A number between the two, eleven or twelve digits, could be
 * either unit and is refused rather than guessed. */
static bool parse_epoch(const char *s, double *t)
{
    const double last = 4102444800.0; /* 2100-01-01 */

    if (!decimal(s, t) || *t < 0)
        return false;
    if (*t <= last)
        return true;
    if (strspn(s, "0123456789") != 13 || *t / 1000 > last)
        return false;
    *t /= 1000;
    return true;
}

/* No timestamp is longer: a weekday, a month and a zone spelt out, or a
 * fraction to the nanosecond, fit several times over. A longer value is
 * refused saying its length, never cut to a head that may read as another
 * time (a fraction cut before its "+02:00" read as UTC). */
#define TIMESTAMP_MAX 256

/* Returns 0, -1 for no timestamp, -2 for one outside the years 1-9999, -3
 * for one longer than TIMESTAMP_MAX. */
static int coerce_timestamp(const char *s, const char *format, struct buf *out)
{
    char whole[TIMESTAMP_MAX + 1];
    int64_t frac;
    double t;
    int reduced = 0;

    if (strlen(s) > TIMESTAMP_MAX)
        return -3;
    split_fraction(s, whole, sizeof whole, &frac);
    if (format != NULL) {
        frac = 0;
        if (!parse_with(s, format, &t))
            return -1;
    } else if (clock_parse(whole, &t) == 0) {
        /* t is whole seconds here: exact in a double */
    } else if ((reduced = parse_reduced(s, &t)) > 0 ||
               parse_with(s, "%a, %d %b %Y %H:%M:%S %z", &t)) {
        frac = 0;
    } else if (reduced == 0 && parse_epoch(s, &t)) {
        /* within 1970-2100: a double is good to well under a microsecond */
        frac = llround((t - floor(t)) * 1e6);
        t = floor(t);
    } else {
        return -1;
    }
    /* strptime's %Y reads any number of digits: 1e13 s is some 300,000 years */
    if (fabs(t) > 1e13)
        return -2;
    return format_utc((int64_t)t * 1000000 + frac, out) < 0 ? -2 : 0;
}

static int coerce_url(const char *s, struct buf *out)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = -1;

    if (u == NULL)
        fatal("out of memory parsing a URL");
    if (curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0) && *host != '\0') {
        buf_adds(out, s);
        rc = 0;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

int mapper_coerce(enum field_type type, const char *in, size_t len, const char *format,
                  struct buf *out, char *why, size_t whylen)
{
    char small[256];
    char *s = len < sizeof small ? small : xmalloc(len + 1);
    int rc;

    memcpy(s, in, len);
    s[len] = '\0';
    /* text keeps its blanks; every other type ignores them */
    char *v = type == FT_TEXT ? s : str_trim(s);
    buf_reset(out);
    switch (type) {
    case FT_TEXT:
        buf_add(out, v, len);
        rc = 0;
        break;
    case FT_INTEGER:
    case FT_NUMBER:
        rc = coerce_numeric(type, v, format, out, why, whylen);
        break;
    case FT_BOOLEAN:
        rc = coerce_boolean(v, out) < 0 ? fail(why, whylen, "a boolean", in, len) : 0;
        break;
    case FT_TIMESTAMP:
        rc = coerce_timestamp(v, format, out);
        if (rc == -3) {
            char head[160]; /* no format would help: out of range, as far as the hint goes */
            utf8_fit(head, sizeof head, v, 40);
            snprintf(why, whylen, "'%s' is too long for a timestamp: %zu characters (at most %d)",
                     head, strlen(v), TIMESTAMP_MAX);
            rc = MAPPER_OUT_OF_RANGE;
        } else if (rc == -2) {
            fail(why, whylen, "a timestamp within the years 1 to 9999 (UTC)", in, len);
            rc = MAPPER_OUT_OF_RANGE;
        } else if (rc < 0 && format != NULL) {
            char what[160];
            snprintf(what, sizeof what, "a timestamp in the format '%s'", format);
            rc = fail(why, whylen, what, in, len);
        } else if (rc < 0) {
            rc = fail(why, whylen, "a timestamp (ISO 8601, epoch seconds or milliseconds)", in, len);
        }
        break;
    case FT_URL:
        rc = coerce_url(v, out) < 0 ? fail(why, whylen, "an absolute http(s) URL", in, len) : 0;
        break;
    default:
        BUG("unknown field type %d", (int)type);
    }
    if (s != small)
        free(s);
    return rc;
}
