/*
 * clock.c — injectable wall clock (see clock.h).
 *
 * The fixed instant and the offset are read once and then only changed by
 * clock_set*(); reads are racy-but-atomic doubles, which is fine: tests set
 * the clock before threads start or between steps.
 */
#include "kasparro/clock.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "kasparro/util.h"

static _Atomic double fixed_now = -1;
static _Atomic double offset_s = 0;
static _Atomic double rate = 1;
static atomic_bool initialised;

void clock_init(void)
{
    const char *now = getenv("KASPARRO_NOW");
    const char *off = getenv("KASPARRO_CLOCK_OFFSET");
    const char *speed = getenv("KASPARRO_CLOCK_RATE");
    double t;

    initialised = true;
    if (now != NULL && *now != '\0') {
        if (parse_double(now, &t) || clock_parse(now, &t) == 0)
            fixed_now = t;
        else
            fatal("KASPARRO_NOW '%s' is not epoch seconds or an ISO 8601 time", now);
    }
    if (off != NULL && *off != '\0') {
        if (!parse_double(off, &t))
            fatal("KASPARRO_CLOCK_OFFSET '%s' is not a number of seconds", off);
        offset_s = t;
    }
    if (speed != NULL && *speed != '\0') {
        if (!parse_double(speed, &t) || t <= 0)
            fatal("KASPARRO_CLOCK_RATE '%s' is not a positive number", speed);
        rate = t;
    }
}

double clock_now(void)
{
    struct timeval tv;

    if (!initialised)
        clock_init();
    if (fixed_now >= 0)
        return fixed_now;
    gettimeofday(&tv, NULL);
    return ((double)tv.tv_sec + tv.tv_usec / 1e6) * rate + offset_s;
}

double clock_rate(void)
{
    if (!initialised)
        clock_init();
    return fixed_now >= 0 ? 1 : rate;
}

double clock_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double clock_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void clock_set(double t)
{
    initialised = true;
    fixed_now = t;
}

void clock_set_offset(double seconds)
{
    initialised = true;
    offset_s = seconds;
}

char *clock_format(double t, char *buf, size_t len)
{
    time_t secs = (time_t)t;
    struct tm tm;

    gmtime_r(&secs, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**s))
            return -1;
        v = v * 10 + (*(*s)++ - '0');
    }
    *out = v;
    return 0;
}

int clock_parse(const char *s, double *out)
{
    struct tm tm = {0};
    int y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
    double frac = 0, offset = 0;

    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
        digits(&s, 2, &d))
        return -1;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        /* ISO 8601's reduced precision lets the minutes go as well as the
         * seconds: "2026-11-28T10" is ten o'clock */
        if (digits(&s, 2, &h))
            return -1;
        if (*s == ':') {
            s++;
            if (digits(&s, 2, &mi))
                return -1;
            if (*s == ':') {
                s++;
                if (digits(&s, 2, &sec))
                    return -1;
                if (*s == '.' || *s == ',') {
                    double scale = 0.1;
                    for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
                        frac += (*s - '0') * scale;
                }
            }
        }
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            int sign = *s++ == '-' ? -1 : 1;
            if (digits(&s, 2, &oh))
                return -1;
            /* ISO 8601 lets the minutes go ("+05"), and PostgreSQL writes
             * its timestamps so ("2026-11-28 10:00:00+00") */
            om = 0;
            if (*s == ':')
                s++;
            if ((s[-1] == ':' || isdigit((unsigned char)*s)) && digits(&s, 2, &om))
                return -1;
            offset = sign * (oh * 3600 + om * 60);
        }
    }
    if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    /* timegm normalises 31 February into March: reject it */
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1)
        return -1;
    *out = (double)t + frac - offset;
    return 0;
}

void clock_deadline(clockid_t clk, double seconds, struct timespec *at)
{
    clock_gettime(clk, at);
    at->tv_sec += (time_t)seconds;
    at->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (at->tv_nsec >= 1000000000L) {
        at->tv_sec++;
        at->tv_nsec -= 1000000000L;
    }
}
