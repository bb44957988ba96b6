/*
 * test_tz.c — time zones read from the TZif files: offsets agree with
 * glibc's localtime_r for many zones from 1901 to 2099 (the years after the
 * files' tables come from the POSIX rule in their footer), wall-clock times
 * in gaps and folds resolve as documented, and bad zone names are refused
 * with a message that names the zone.
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
#include "kasparro/tz.h"

static long long at(const char *iso)
{
    double t;
    if (clock_parse(iso, &t) < 0)
        fail_msg("bad test time '%s'", iso);
    return (long long)t;
}

static const char *const zones[] = {
    "Europe/Berlin",     "America/New_York",  "Australia/Sydney",   "Australia/Lord_Howe",
    "Asia/Kolkata",      "America/Sao_Paulo", "Pacific/Apia",       "Europe/Dublin",
    "Africa/Casablanca", "Asia/Tehran",       "Pacific/Chatham",    "America/Santiago",
    "Europe/London",     "America/St_Johns",  "Pacific/Kiritimati", "Antarctica/Troll",
};

static void test_offsets_agree_with_libc(void **state)
{
    (void)state;
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        struct err err = {0};
        struct tz *tz = tz_load(zones[z], &err);
        if (tz == NULL)
            fail_msg("%s", err.msg);
        setenv("TZ", zones[z], 1);
        tzset();
        /* every 19 hours 13 minutes, so every hour of the day comes round */
        for (long long t = at("1901-12-14T00:00:00Z"); t < at("2099-12-31T00:00:00Z");
             t += 19 * 3600 + 13 * 60) {
            time_t tt = (time_t)t;
            struct tm tm;
            localtime_r(&tt, &tm);
            if (tm.tm_gmtoff != tz_offset(tz, t)) {
                char when[32];
                fail_msg("%s at %s: libc %ld, tz_offset %ld", zones[z],
                         clock_format((double)t, when, sizeof when), tm.tm_gmtoff,
                         tz_offset(tz, t));
            }
        }
        tz_free(tz);
    }
    setenv("TZ", "UTC", 1);
    tzset();
}

static void expect_local(const char *zone, const char *local, enum tz_local_kind kind,
                         const char *utc)
{
    struct err err = {0};
    struct tz *tz = tz_load(zone, &err);
    enum tz_local_kind got_kind;
    char got[32];

    assert_non_null(tz);
    long long t = tz_local_to_utc(tz, at(local), &got_kind);
    clock_format((double)t, got, sizeof got);
    if (strcmp(got, utc) != 0 || got_kind != kind)
        fail_msg("%s %s: expected %s (kind %d), got %s (kind %d)", zone, local, utc, kind, got,
                 got_kind);
    tz_free(tz);
}

static void test_gaps_and_folds(void **state)
{
    (void)state;
    expect_local("Europe/Berlin", "2026-06-01T12:00:00Z", TZ_LOCAL_EXACT, "2026-06-01T10:00:00Z");
    expect_local("Europe/Berlin", "2026-03-29T02:30:00Z", TZ_LOCAL_GAP, "2026-03-29T01:00:00Z");
    expect_local("Europe/Berlin", "2026-10-25T02:30:00Z", TZ_LOCAL_FOLD, "2026-10-25T00:30:00Z");
    expect_local("America/New_York", "2026-03-08T02:59:00Z", TZ_LOCAL_GAP, "2026-03-08T07:00:00Z");
    expect_local("America/New_York", "2026-11-01T01:00:00Z", TZ_LOCAL_FOLD, "2026-11-01T05:00:00Z");
    expect_local("Australia/Lord_Howe", "2026-10-04T02:10:00Z", TZ_LOCAL_GAP,
                 "2026-10-03T15:30:00Z");
    /* after the files' tables (2037): from the footer rule */
    expect_local("Europe/Berlin", "2070-03-30T02:30:00Z", TZ_LOCAL_GAP, "2070-03-30T01:00:00Z");
    expect_local("UTC", "2026-03-29T02:30:00Z", TZ_LOCAL_EXACT, "2026-03-29T02:30:00Z");
}

static void test_rules(void **state)
{
    struct tz_rule r;

    (void)state;
    assert_int_equal(tz_rule_parse("CET-1CEST,M3.5.0,M10.5.0/3", &r), 0);
    assert_int_equal(r.std_off, 3600);
    assert_int_equal(r.dst_off, 7200);
    assert_int_equal(tz_rule_offset(&r, at("2050-07-01T00:00:00Z")), 7200);
    assert_int_equal(tz_rule_offset(&r, at("2050-12-01T00:00:00Z")), 3600);
    /* southern hemisphere: daylight time spans the new year */
    assert_int_equal(tz_rule_parse("AEST-10AEDT,M10.1.0,M4.1.0/3", &r), 0);
    assert_int_equal(tz_rule_offset(&r, at("2050-01-15T00:00:00Z")), 11 * 3600);
    assert_int_equal(tz_rule_offset(&r, at("2050-06-15T00:00:00Z")), 10 * 3600);
    assert_int_equal(tz_rule_parse("<+0530>-5:30", &r), 0);
    assert_int_equal(tz_rule_offset(&r, at("2050-06-15T00:00:00Z")), 5 * 3600 + 1800);
    /* Julian days and "all year daylight time" */
    assert_int_equal(tz_rule_parse("EST5EDT,J60/2,J300/2", &r), 0);
    assert_int_equal(tz_rule_offset(&r, at("2050-05-01T00:00:00Z")), -4 * 3600);
    assert_int_equal(tz_rule_parse("XXX3EDT4,0/0,J365/25", &r), 0);
    assert_int_equal(tz_rule_offset(&r, at("2050-05-01T00:00:00Z")), -4 * 3600);
    assert_int_equal(tz_rule_offset(&r, at("2050-12-31T12:00:00Z")), -4 * 3600);
    assert_int_equal(tz_rule_parse("EST", &r), -1);
    assert_int_equal(tz_rule_parse("EST5EDT,M3.2", &r), -1);
    assert_int_equal(tz_rule_parse("EST5EDT,M13.2.0,M11.1.0", &r), -1);
}

static void expect_load_error(const char *zone, const char *needle)
{
    struct err err = {0};
    struct tz *tz = tz_load(zone, &err);
    if (tz != NULL || strstr(err.msg, needle) == NULL)
        fail_msg("zone '%s': expected an error containing \"%s\", got \"%s\"", zone, needle,
                 err.msg);
    assert_int_equal(err.code, EXIT_USAGE);
}

static void test_bad_zones(void **state)
{
    struct err err = {0};
    struct tz *tz;

    (void)state;
    expect_load_error("Europe/Berln", "time zone 'Europe/Berln' is unknown (unable to read "
                                      "'/usr/share/zoneinfo/Europe/Berln': No such file");
    expect_load_error("../../etc/passwd", "time zone '../../etc/passwd' is not an IANA zone name");
    expect_load_error("/etc/localtime", "is not an IANA zone name");
    expect_load_error("Europe", "time zone 'Europe' is unknown (unable to read "
                                "'/usr/share/zoneinfo/Europe': Is a directory)");
    tz = tz_load("Etc/UTC", &err);
    assert_true(tz_is_utc(tz));
    assert_string_equal(tz_name(tz), "UTC");
    tz_free(tz);
    tz = tz_load(NULL, &err);
    assert_true(tz_is_utc(tz));
    tz_free(tz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets_agree_with_libc),
        cmocka_unit_test(test_gaps_and_folds),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_bad_zones),
    };
    unsetenv("TZDIR");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
