/*
 * test_cron.c — cron expressions: next fire times across day, month and
 * year boundaries, leap days, Vixie cron's day-of-month/day-of-week rule,
 * steps, ranges and names; time zones with skipped and repeated hours; and
 * the messages an operator sees for a mistyped expression. A minute-by-day
 * brute force built on libc's gmtime checks the field-skipping walk on many
 * generated expressions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "kasparro/clock.h"
#include "kasparro/cron.h"

static long long at(const char *iso)
{
    double t;
    if (clock_parse(iso, &t) < 0)
        fail_msg("bad test time '%s'", iso);
    return (long long)t;
}

static const char *iso(long long t, char *buf, size_t len)
{
    if (t < 0)
        return "never";
    return clock_format((double)t, buf, len);
}

/* Checks that the fire times after `start` are `expected...` (NULL-ended). */
static void expect_fires(const char *expr, const char *zone, const char *start, ...)
{
    struct err err = {0};
    struct cron c;
    struct tz *tz = NULL;
    long long t = at(start);
    char got[32];
    va_list ap;

    if (cron_parse(expr, &c, &err) < 0)
        fail_msg("'%s' did not parse: %s", expr, err.msg);
    if (zone != NULL && (tz = tz_load(zone, &err)) == NULL)
        fail_msg("zone '%s': %s", zone, err.msg);
    va_start(ap, start);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;) {
        t = cron_next(&c, tz, t);
        iso(t, got, sizeof got);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' in %s: expected %s, got %s", expr, zone ? zone : "UTC", want, got);
    }
    va_end(ap);
    tz_free(tz);
}

static void test_every_six_hours(void **state)
{
    (void)state;
    expect_fires("0 */6 * * *", NULL, "2026-11-28T10:00:00Z", "2026-11-28T12:00:00Z",
                 "2026-11-28T18:00:00Z", "2026-11-29T00:00:00Z", "2026-11-29T06:00:00Z", NULL);
    /* strictly after: a fire time is not its own successor */
    expect_fires("0 */6 * * *", NULL, "2026-11-28T12:00:00Z", "2026-11-28T18:00:00Z", NULL);
    expect_fires("0 */6 * * *", NULL, "2026-11-28T11:59:59Z", "2026-11-28T12:00:00Z", NULL);
    /* month, year and leap-day boundaries */
    expect_fires("0 */6 * * *", NULL, "2026-11-30T18:00:00Z", "2026-12-01T00:00:00Z", NULL);
    expect_fires("0 */6 * * *", NULL, "2026-12-31T18:00:00Z", "2027-01-01T00:00:00Z",
                 "2027-01-01T06:00:00Z", NULL);
    expect_fires("0 */6 * * *", NULL, "2028-02-28T18:30:00Z", "2028-02-29T00:00:00Z", NULL);
    expect_fires("0 */6 * * *", NULL, "2027-02-28T18:30:00Z", "2027-03-01T00:00:00Z", NULL);
    expect_fires("0 0,6,12,18 * * *", NULL, "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z", NULL);
}

static void test_leap_day(void **state)
{
    (void)state;
    expect_fires("0 0 29 2 *", NULL, "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z",
                 "2032-02-29T00:00:00Z", NULL);
    /* 2100 is not a leap year: eight years between two February 29ths */
    expect_fires("0 0 29 2 *", NULL, "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z", NULL);
    expect_fires("@yearly", NULL, "2027-06-01T00:00:00Z", "2028-01-01T00:00:00Z", NULL);
}

static void test_day_of_month_or_day_of_week(void **state)
{
    (void)state;
    /* both restricted: the 13th OR any Friday (December 13, 2026 is a Sunday) */
    expect_fires("0 0 13 * FRI", NULL, "2026-12-01T00:00:00Z", "2026-12-04T00:00:00Z",
                 "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z", "2026-12-18T00:00:00Z", NULL);
    /* the classic surprise: days 1-7 OR Mondays, not "the first Monday" */
    expect_fires("0 0 1-7 * MON", NULL, "2026-11-05T12:00:00Z", "2026-11-06T00:00:00Z",
                 "2026-11-07T00:00:00Z", "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z", NULL);
    /* a field starting with '*' makes it AND (Vixie's DOM_STAR) */
    expect_fires("0 0 */2 * MON", NULL, "2026-11-01T00:00:00Z", "2026-11-09T00:00:00Z",
                 "2026-11-23T00:00:00Z", "2026-12-07T00:00:00Z", NULL);
    expect_fires("0 0 13 * *", NULL, "2026-12-01T00:00:00Z", "2026-12-13T00:00:00Z", NULL);
    expect_fires("0 0 * * FRI", NULL, "2026-12-01T00:00:00Z", "2026-12-04T00:00:00Z", NULL);
}

static void test_steps_ranges_names(void **state)
{
    (void)state;
    /* Friday 17:50 to Monday morning */
    expect_fires("5-59/15 9-17 * * MON-FRI", NULL, "2026-11-27T17:50:00Z", "2026-11-30T09:05:00Z",
                 "2026-11-30T09:20:00Z", "2026-11-30T09:35:00Z", NULL);
    expect_fires("*/20 * * * *", NULL, "2026-11-28T10:41:00Z", "2026-11-28T11:00:00Z",
                 "2026-11-28T11:20:00Z", NULL);
    expect_fires("0 0 1 jan,Jul *", NULL, "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z",
                 "2027-01-01T00:00:00Z", NULL);
    /* 7 and 0 are both Sunday; November 29, 2026 is one */
    expect_fires("0 12 * * 7", NULL, "2026-11-28T00:00:00Z", "2026-11-29T12:00:00Z", NULL);
    expect_fires("0 12 * * 0", NULL, "2026-11-28T00:00:00Z", "2026-11-29T12:00:00Z", NULL);
    expect_fires("0 12 * * fri-sun", NULL, "2026-11-27T13:00:00Z", "2026-11-28T12:00:00Z",
                 "2026-11-29T12:00:00Z", "2026-12-04T12:00:00Z", NULL);
    expect_fires("30 1 10-20/5 * *", NULL, "2026-11-10T02:00:00Z", "2026-11-15T01:30:00Z",
                 "2026-11-20T01:30:00Z", "2026-12-10T01:30:00Z", NULL);
    expect_fires("@hourly", NULL, "2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", NULL);
    expect_fires("@weekly", NULL, "2026-11-28T10:00:00Z", "2026-11-29T00:00:00Z", NULL);
    expect_fires("@monthly", NULL, "2026-11-28T10:00:00Z", "2026-12-01T00:00:00Z", NULL);
    expect_fires("@daily", NULL, "1969-12-31T12:00:00Z", "1970-01-01T00:00:00Z", NULL);
    expect_fires("  0   */6 *\t* *  ", NULL, "2026-11-28T10:00:00Z", "2026-11-28T12:00:00Z", NULL);
}

static void expect_error(const char *expr, const char *message)
{
    struct err err = {0};
    struct cron c;

    if (cron_parse(expr, &c, &err) == 0)
        fail_msg("'%s' was accepted", expr);
    if (strcmp(err.msg, message) != 0)
        fail_msg("'%s':\n  expected: %s\n  got:      %s", expr, message, err.msg);
    assert_int_equal(err.code, EXIT_USAGE);
}

static void test_errors_name_the_field(void **state)
{
    (void)state;
    expect_error("0 */6 * *", "cron '0 */6 * *': 4 fields, expected 5 (minute hour "
                              "day-of-month month day-of-week)");
    expect_error("0 0 */6 * * *", "cron '0 0 */6 * * *': 6 fields, expected 5 (minute hour "
                                  "day-of-month month day-of-week)");
    expect_error("", "cron '': 0 fields, expected 5 (minute hour day-of-month month "
                     "day-of-week)");
    expect_error("61 * * * *", "cron '61 * * * *': minute: 61 is out of range 0-59");
    expect_error("0 24 * * *", "cron '0 24 * * *': hour: 24 is out of range 0-23");
    expect_error("0 0 0 * *", "cron '0 0 0 * *': day-of-month: 0 is out of range 1-31");
    expect_error("0 0 * 13 *", "cron '0 0 * 13 *': month: 13 is out of range 1-12");
    expect_error("0 0 * * 8", "cron '0 0 * * 8': day-of-week: 8 is out of range 0-7");
    expect_error("0 0 * FOO *", "cron '0 0 * FOO *': month: 'FOO' is not a number or a month "
                                "name (JAN-DEC)");
    expect_error("0 0 * * MONDAY", "cron '0 0 * * MONDAY': day-of-week: 'MONDAY' is not a "
                                   "number or a day name (SUN-SAT)");
    expect_error("x * * * *", "cron 'x * * * *': minute: 'x' is not a number");
    expect_error("*/0 * * * *", "cron '*/0 * * * *': minute: step '0' is not a positive number");
    expect_error("5/15 * * * *", "cron '5/15 * * * *': minute: '5/15': a step needs a range or "
                                 "'*' (like 5-59/15)");
    /* a step past its range's end selects the first value alone */
    expect_error("*/61 * * * *", "cron '*/61 * * * *': minute: step 61 over '*' (0-59) selects "
                                 "only 0; a step of at most 59 repeats, or write 0 if that "
                                 "is meant");
    expect_error("*/60 * * * *", "cron '*/60 * * * *': minute: step 60 over '*' (0-59) selects "
                                 "only 0; a step of at most 59 repeats, or write 0 if that "
                                 "is meant");
    expect_error("0 */25 * * *", "cron '0 */25 * * *': hour: step 25 over '*' (0-23) selects "
                                 "only 0; a step of at most 23 repeats, or write 0 if that "
                                 "is meant");
    expect_error("0 0 10-20/11 * *", "cron '0 0 10-20/11 * *': day-of-month: step 11 over 10-20 "
                                     "selects only 10; a step of at most 10 repeats, or write 10 "
                                     "if that is meant");
    expect_error("0 0 * * */7", "cron '0 0 * * */7': day-of-week: step 7 over '*' (0-7) selects "
                                "only 0; a step of at most 6 repeats, or write 0 if that is meant");
    expect_error("0 0 * * MON-SUN/7", "cron '0 0 * * MON-SUN/7': day-of-week: step 7 over MON-SUN "
                                      "selects only 1; a step of at most 6 repeats, or write 1 if "
                                      "that is meant");
    expect_error("0 0 1 */12 *", "cron '0 0 1 */12 *': month: step 12 over '*' (1-12) selects only "
                                 "1; a step of at most 11 repeats, or write 1 if that is meant");
    expect_error("0 17-9 * * *", "cron '0 17-9 * * *': hour: range 17-9 goes backwards");
    expect_error("0 0 * * FRI-MON", "cron '0 0 * * FRI-MON': day-of-week: range FRI-MON goes "
                                    "backwards");
    expect_error("1,,2 * * * *", "cron '1,,2 * * * *': minute: empty item in list '1,,2'");
    expect_error("0 0 30 2 *", "cron '0 0 30 2 *': day-of-month: never fires, no selected month "
                               "has any of these days");
    expect_error("@reboot", "cron '@reboot': unknown shortcut '@reboot' (@yearly, @annually, "
                            "@monthly, @weekly, @daily, @midnight, @hourly)");
}

/* A step that reaches the range's last value repeats; a range of one value
 * takes any step; an expression stored by an earlier kasparro with a step
 * past its range still parses, and fires on the range's first value. */
static void test_step_edges(void **state)
{
    struct err err = {0};
    struct cron c;

    (void)state;
    expect_fires("*/59 * * * *", NULL, "2026-11-28T10:01:00Z", "2026-11-28T10:59:00Z",
                 "2026-11-28T11:00:00Z", NULL);
    expect_fires("0 */23 * * *", NULL, "2026-11-28T01:00:00Z", "2026-11-28T23:00:00Z",
                 "2026-11-29T00:00:00Z", NULL);
    expect_fires("0 0 * * */6", NULL, "2026-11-28T01:00:00Z", "2026-11-29T00:00:00Z",
                 "2026-12-05T00:00:00Z", NULL);
    expect_fires("5-5/30 * * * *", NULL, "2026-11-28T10:01:00Z", "2026-11-28T10:05:00Z",
                 "2026-11-28T11:05:00Z", NULL);
    assert_int_equal(cron_parse_stored("*/61 * * * *", &c, &err), 0);
    assert_int_equal(cron_next(&c, NULL, 1796464800LL /* 2026-12-05T10:00:00Z */),
                     1796468400LL);
    assert_int_equal(cron_parse_stored("*/0 * * * *", &c, &err), -1);
}

/* "30 2 31 2 FRI" is fine (Fridays in February) though February 31 is not. */
static void test_impossible_day_with_weekday_is_fine(void **state)
{
    (void)state;
    expect_fires("30 2 31 2 FRI", NULL, "2026-11-28T00:00:00Z", "2027-02-05T02:30:00Z", NULL);
}

/* Europe/Berlin springs forward at 02:00 local on 2026-03-29 (to 03:00) and
 * falls back at 03:00 local on 2026-10-25 (to 02:00). */
static void test_zone_gap_and_fold(void **state)
{
    (void)state;
    /* 02:30 does not exist on March 29: it fires when the gap ends, 03:00 CEST */
    expect_fires("30 2 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z",
                 "2026-03-30T00:30:00Z", NULL);
    /* an hourly job fires once at 03:00, not twice (gap end and 03:00 coincide) */
    expect_fires("0 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z",
                 "2026-03-29T02:00:00Z", NULL);
    /* 02:30 happens twice on October 25: it fires the first time only */
    expect_fires("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z",
                 "2026-10-26T01:30:00Z", NULL);
    /* every 30 minutes through the repeated hour: each wall time once */
    expect_fires("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:45:00Z", "2026-10-25T00:00:00Z",
                 "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z", NULL);
    /* the clock already in the second pass of the fold */
    expect_fires("45 2 * * *", "Europe/Berlin", "2026-10-25T01:10:00Z", "2026-10-26T01:45:00Z",
                 NULL);
    /* standard and daylight time */
    expect_fires("0 9 * * *", "America/New_York", "2026-01-15T00:00:00Z", "2026-01-15T14:00:00Z",
                 NULL);
    expect_fires("0 9 * * *", "America/New_York", "2026-07-15T00:00:00Z", "2026-07-15T13:00:00Z",
                 NULL);
    /* Lord Howe Island moves by 30 minutes: 02:15 falls in the gap on Oct 4 */
    expect_fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T12:00:00Z",
                 "2026-10-02T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z", NULL);
}

/* Brute force on libc's calendar: day by day, then minute by minute. */
#define BRUTE_DAYS 12000
static bool bits_has(uint64_t bits, int v) { return bits >> v & 1; }

static long long brute_next(const struct cron *c, long long after)
{
    long long day = (after / 86400) * 86400;

    for (int i = 0; i < BRUTE_DAYS; i++, day += 86400) {
        time_t t = (time_t)day;
        struct tm tm;
        gmtime_r(&t, &tm);
        bool dom = bits_has(c->dom, tm.tm_mday), dow = bits_has(c->dow, tm.tm_wday);
        bool ok = (c->dom_star || c->dow_star) ? dom && dow : dom || dow;
        if (!ok || !bits_has(c->month, tm.tm_mon + 1))
            continue;
        for (int m = 0; m < 1440; m++)
            if (bits_has(c->hour, m / 60) && bits_has(c->minute, m % 60) && day + m * 60 > after)
                return day + m * 60;
    }
    return -1;
}

static void random_field(char *out, size_t len, int min, int max, unsigned *seed)
{
    int kind = (int)(rand_r(seed) % 5), a = min + (int)(rand_r(seed) % (unsigned)(max - min + 1));
    int b = a + (int)(rand_r(seed) % (unsigned)(max - a + 1)), step = 1 + (int)(rand_r(seed) % 7);

    if (kind == 0)
        snprintf(out, len, "*");
    else if (kind == 1)
        snprintf(out, len, "*/%d", step);
    else if (kind == 2)
        snprintf(out, len, "%d-%d/%d", a, b, step);
    else if (kind == 3)
        snprintf(out, len, "%d,%d", a, b);
    else
        snprintf(out, len, "%d", a);
}

static void test_matches_brute_force(void **state)
{
    unsigned seed = 20261128;
    int compared = 0;

    (void)state;
    for (int i = 0; i < 400; i++) {
        char f[5][32], expr[200];
        struct cron c;
        struct err err = {0};
        random_field(f[0], sizeof f[0], 0, 59, &seed);
        random_field(f[1], sizeof f[1], 0, 23, &seed);
        random_field(f[2], sizeof f[2], 1, 31, &seed);
        random_field(f[3], sizeof f[3], 1, 12, &seed);
        random_field(f[4], sizeof f[4], 0, 7, &seed);
        snprintf(expr, sizeof expr, "%s %s %s %s %s", f[0], f[1], f[2], f[3], f[4]);
        /* as stored: a step past its range's end is compared too */
        if (cron_parse_stored(expr, &c, &err) < 0)
            continue; /* "never fires" combinations */
        long long after = 1700000000LL + (long long)(rand_r(&seed) % 100000000u);
        for (int k = 0; k < 3; k++) {
            long long want = brute_next(&c, after), got = cron_next(&c, NULL, after);
            if (want < 0 && got > after + BRUTE_DAYS * 86400LL)
                break; /* beyond the brute force's horizon */
            if (want != got) {
                char a[32], b[32], s[32];
                fail_msg("'%s' after %s: brute force %s, cron_next %s", expr,
                         iso(after, s, sizeof s), iso(want, a, sizeof a), iso(got, b, sizeof b));
            }
            if (got < 0)
                break;
            after = got;
            compared++;
        }
    }
    assert_true(compared > 600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_six_hours),
        cmocka_unit_test(test_leap_day),
        cmocka_unit_test(test_day_of_month_or_day_of_week),
        cmocka_unit_test(test_steps_ranges_names),
        cmocka_unit_test(test_step_edges),
        cmocka_unit_test(test_errors_name_the_field),
        cmocka_unit_test(test_impossible_day_with_weekday_is_fine),
        cmocka_unit_test(test_zone_gap_and_fold),
        cmocka_unit_test(test_matches_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
