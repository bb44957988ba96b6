/*
 * tzrule.c — POSIX TZ rules, the footer of a TZif file (see tz.h).
 *
 *   std offset [dst [offset] [,start[/time],end[/time]]]
 *
 * e.g. "CET-1CEST,M3.5.0,M10.5.0/3". POSIX offsets count hours west of
 * Greenwich, so "-1" is one hour east; we store seconds east. Dates are
 * Jn (day 1-365, February 29 never counted), n (day 0-365) or Mm.w.d (day d
 * of week w of month m, week 5 meaning the last). Times may be negative or
 * beyond 24 hours (RFC 8536 §3.3.1). The start time is read on the standard
 * clock and the end time on the daylight clock, as POSIX says.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/calendar.h"
#include "kasparro/tz.h"

static const char *skip_name(const char *s)
{
    if (*s == '<') {
        const char *end = strchr(s, '>');
        return end ? end + 1 : NULL;
    }
    const char *p = s;
    while (isalpha((unsigned char)*p))
        p++;
    return p - s >= 3 ? p : NULL;
}

/* [+|-]hh[:mm[:ss]] with hh up to 167; seconds, sign applied. */
static const char *parse_hms(const char *s, long *out)
{
    long sign = 1, part[3] = {0, 0, 0};
    int n = 0;

    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    while (n < 3) {
        char *end;
        if (!isdigit((unsigned char)*s))
            return NULL;
        part[n++] = strtol(s, &end, 10);
        s = end;
        if (*s != ':' || n == 3)
            break;
        s++;
    }
    if (part[0] > 167 || part[1] > 59 || part[2] > 59)
        return NULL;
    *out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    return s;
}

static const char *parse_date(const char *s, struct tz_date *d)
{
    char *end;

    memset(d, 0, sizeof *d);
    if (*s == 'J' || isdigit((unsigned char)*s)) {
        d->kind = *s == 'J' ? 'J' : 'n';
        s += *s == 'J';
        d->a = (int)strtol(s, &end, 10);
        if (end == s || d->a < (d->kind == 'J') || d->a > 365)
            return NULL;
        return end;
    }
    if (*s != 'M')
        return NULL;
    d->kind = 'M';
    d->a = (int)strtol(s + 1, &end, 10);
    if (*end != '.')
        return NULL;
    d->b = (int)strtol(end + 1, &end, 10);
    if (*end != '.')
        return NULL;
    d->c = (int)strtol(end + 1, &end, 10);
    if (d->a < 1 || d->a > 12 || d->b < 1 || d->b > 5 || d->c < 0 || d->c > 6)
        return NULL;
    return end;
}

static const char *parse_change(const char *s, struct tz_date *d, long *time)
{
    if ((s = parse_date(s, d)) == NULL)
        return NULL;
    *time = 7200;
    if (*s == '/')
        s = parse_hms(s + 1, time);
    return s;
}

int tz_rule_parse(const char *s, struct tz_rule *rule)
{
    long off;

    memset(rule, 0, sizeof *rule);
    if ((s = skip_name(s)) == NULL || (s = parse_hms(s, &off)) == NULL)
        return -1;
    rule->std_off = -off;
    if (*s == '\0')
        return 0;
    if ((s = skip_name(s)) == NULL)
        return -1;
    rule->has_dst = true;
    rule->dst_off = rule->std_off + 3600;
    if (*s != ',' && *s != '\0') {
        if ((s = parse_hms(s, &off)) == NULL)
            return -1;
        rule->dst_off = -off;
    }
    if (*s == '\0') /* POSIX's default: the US rules */
        s = ",M3.2.0,M11.1.0";
    if (*s++ != ',' || (s = parse_change(s, &rule->start, &rule->start_time)) == NULL ||
        *s++ != ',' || (s = parse_change(s, &rule->end, &rule->end_time)) == NULL)
        return -1;
    return *s == '\0' ? 0 : -1;
}

/* The day number of a rule date in `year`. */
static long long date_days(const struct tz_date *d, int year)
{
    long long jan1 = cal_days_from_civil(year, 1, 1);

    if (d->kind == 'J')
        return jan1 + d->a - 1 + (cal_is_leap(year) && d->a >= 60);
    if (d->kind == 'n')
        return jan1 + d->a;
    long long first = cal_days_from_civil(year, d->a, 1);
    long long day = first + (d->c - cal_weekday(first) + 7) % 7 + 7LL * (d->b - 1);
    while (day >= first + cal_days_in_month(year, d->a))
        day -= 7;
    return day;
}

long tz_rule_offset(const struct tz_rule *rule, long long t)
{
    if (!rule->has_dst)
        return rule->std_off;
    int year = cal_civil_from_days(cal_floor_div(t + rule->std_off, 86400)).year;
    long long start = date_days(&rule->start, year) * 86400 + rule->start_time - rule->std_off;
    long long end = date_days(&rule->end, year) * 86400 + rule->end_time - rule->dst_off;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? rule->dst_off : rule->std_off;
}
