/*
 * test_sched_plan.c — the scheduler's decisions with an injected clock, no
 * database: misfire inside and outside grace, coalescing several missed
 * fire times into one run, a fire time during a running run recorded
 * 'skipped', catching up one run after another without coalesce, jitter,
 * pause, and the summary row after a very long outage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/clock.h"
#include "kasparro/sched.h"

static double at(const char *iso)
{
    double t;
    if (clock_parse(iso, &t) < 0)
        fail_msg("bad test time '%s'", iso);
    return t;
}

static struct sched_state state(const char *cron, const char *next, long long grace, bool coalesce)
{
    struct sched_state st = {0};
    snprintf(st.cron, sizeof st.cron, "%s", cron);
    snprintf(st.timezone, sizeof st.timezone, "UTC");
    st.next_fire = at(next);
    st.grace_s = grace;
    st.coalesce = coalesce;
    return st;
}

static void plan_at(const struct sched_state *st, const char *now, bool busy,
                    struct sched_plan *plan)
{
    struct cron c;
    struct err err = {0};
    assert_int_equal(cron_parse(st->cron, &c, &err), 0);
    sched_plan(st, &c, NULL, at(now), busy, busy ? "run 7 was still in progress" : NULL, plan);
}

/* Checks decision i: "RUN 2026-..Z", "MISSED ...", "SKIPPED ..." and a
 * fragment of its reason (or NULL). */
static void expect_decision(const struct sched_plan *p, int i, enum sched_outcome o,
                            const char *when, const char *why)
{
    char got[32];
    if (i >= p->ndecisions)
        fail_msg("decision %d missing (%d decisions)", i, p->ndecisions);
    const struct sched_decision *d = &p->decisions[i];
    clock_format(d->at, got, sizeof got);
    if (d->outcome != o || strcmp(got, when) != 0)
        fail_msg("decision %d: expected %s %s, got %s %s", i, sched_outcome_name(o), when,
                 sched_outcome_name(d->outcome), got);
    if (why != NULL && strstr(d->why, why) == NULL)
        fail_msg("decision %d: expected the reason to contain \"%s\", got \"%s\"", i, why, d->why);
}

static void expect_time(double t, const char *want)
{
    char got[32];
    clock_format(t, got, sizeof got);
    assert_string_equal(got, want);
}

static void test_nothing_due(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T12:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T11:59:59Z", false, &p);
    assert_int_equal(p.ndecisions, 0);
    assert_true(p.next.next_fire == st.next_fire);
    sched_plan_free(&p);
}

static void test_misfire_within_grace_runs(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T12:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T12:14:59Z", false, &p);
    assert_int_equal(p.ndecisions, 1);
    expect_decision(&p, 0, SCHED_RUN, "2026-11-28T12:00:00Z", NULL);
    expect_time(p.next.next_fire, "2026-11-28T18:00:00Z");
    expect_time(p.next.last_fire, "2026-11-28T12:00:00Z");
    sched_plan_free(&p);
}

static void test_misfire_beyond_grace_is_missed(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T12:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T12:20:00Z", false, &p);
    assert_int_equal(p.ndecisions, 1);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-28T12:00:00Z",
                    "missed: found 20m after its time, beyond the 15m grace");
    expect_time(p.next.next_fire, "2026-11-28T18:00:00Z");
    sched_plan_free(&p);
}

static void test_coalesce_runs_the_latest_once(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T00:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T18:05:00Z", false, &p);
    assert_int_equal(p.ndecisions, 4);
    for (int i = 0; i < 3; i++)
        assert_int_equal(p.decisions[i].outcome, SCHED_MISSED);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-28T00:00:00Z",
                    "coalesced into the fire time 2026-11-28T18:00:00Z");
    expect_decision(&p, 2, SCHED_MISSED, "2026-11-28T12:00:00Z", "coalesced");
    expect_decision(&p, 3, SCHED_RUN, "2026-11-28T18:00:00Z", NULL);
    expect_time(p.next.next_fire, "2026-11-29T00:00:00Z");
    sched_plan_free(&p);

    /* the latest itself too late: nothing runs, all four are missed */
    plan_at(&st, "2026-11-28T18:30:00Z", false, &p);
    assert_int_equal(p.ndecisions, 4);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-28T00:00:00Z", "found 18h30m after its time");
    expect_decision(&p, 3, SCHED_MISSED, "2026-11-28T18:00:00Z", "found 30m after its time");
    sched_plan_free(&p);
}

static void test_busy_fire_time_is_skipped(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T06:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T12:00:01Z", true, &p);
    assert_int_equal(p.ndecisions, 2);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-28T06:00:00Z", "coalesced");
    expect_decision(&p, 1, SCHED_SKIPPED, "2026-11-28T12:00:00Z",
                    "skipped: run 7 was still in progress");
    expect_time(p.next.next_fire, "2026-11-28T18:00:00Z"); /* never queued */
    sched_plan_free(&p);
}

static void test_without_coalesce_each_runs_in_turn(void **state_)
{
    struct sched_state st = state("0 * * * *", "2026-11-28T00:00:00Z", 3 * 3600, false);
    struct sched_plan p;

    (void)state_;
    /* 00:00, 01:00, 02:00 due at 02:10, all within three hours */
    plan_at(&st, "2026-11-28T02:10:00Z", false, &p);
    assert_int_equal(p.ndecisions, 1);
    expect_decision(&p, 0, SCHED_RUN, "2026-11-28T00:00:00Z", NULL);
    expect_time(p.next.next_fire, "2026-11-28T01:00:00Z");
    expect_time(p.next.catch_up_until, "2026-11-28T02:00:00Z");
    st = p.next;
    sched_plan_free(&p);

    /* while that run goes, the waiting ones wait: not skipped */
    plan_at(&st, "2026-11-28T02:40:00Z", true, &p);
    assert_int_equal(p.ndecisions, 0);
    assert_true(p.wait);
    sched_plan_free(&p);

    /* 01:00 at 03:30 is still within grace: it runs; 02:00 and 03:00 wait */
    plan_at(&st, "2026-11-28T03:30:00Z", false, &p);
    expect_decision(&p, 0, SCHED_RUN, "2026-11-28T01:00:00Z", NULL);
    assert_int_equal(p.ndecisions, 1);
    st = p.next;
    sched_plan_free(&p);

    /* a long run: by 05:30, 02:00 is beyond grace, 03:00 still in it */
    plan_at(&st, "2026-11-28T05:30:00Z", false, &p);
    assert_int_equal(p.ndecisions, 2);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-28T02:00:00Z", "beyond the 3h grace");
    expect_decision(&p, 1, SCHED_RUN, "2026-11-28T03:00:00Z", NULL);
    sched_plan_free(&p);
}

static void test_without_coalesce_new_fire_time_while_busy_is_skipped(void **state_)
{
    struct sched_state st = state("0 * * * *", "2026-11-28T05:00:00Z", 900, false);
    struct sched_plan p;

    (void)state_;
    plan_at(&st, "2026-11-28T05:00:30Z", true, &p);
    assert_int_equal(p.ndecisions, 1);
    expect_decision(&p, 0, SCHED_SKIPPED, "2026-11-28T05:00:00Z", "run 7");
    expect_time(p.next.next_fire, "2026-11-28T06:00:00Z");
    sched_plan_free(&p);
}

static void test_jitter(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T12:00:00Z", 900, true);
    long long j = sched_jitter_offset(SCHED_JOB, 600);
    struct sched_plan p;
    char before[32];

    (void)state_;
    assert_true(j >= 0 && j <= 600);
    assert_int_equal(j, sched_jitter_offset(SCHED_JOB, 600)); /* the same every time */
    assert_int_equal(sched_jitter_offset(SCHED_JOB, 0), 0);
    assert_true(j > 0); /* FNV-1a of "ingest" is not a multiple of 601 */
    st.jitter_s = 600;
    clock_format(at("2026-11-28T12:00:00Z") + (double)j - 1, before, sizeof before);
    plan_at(&st, before, false, &p);
    assert_int_equal(p.ndecisions, 0);
    sched_plan_free(&p);
    clock_format(at("2026-11-28T12:00:00Z") + (double)j, before, sizeof before);
    plan_at(&st, before, false, &p);
    expect_decision(&p, 0, SCHED_RUN, "2026-11-28T12:00:00Z", NULL);
    sched_plan_free(&p);
}

static void test_paused_decides_nothing(void **state_)
{
    struct sched_state st = state("0 */6 * * *", "2026-11-28T12:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    st.paused = true;
    plan_at(&st, "2026-11-28T12:05:00Z", false, &p);
    assert_int_equal(p.ndecisions, 0);
    assert_true(p.next.next_fire == st.next_fire);
    sched_plan_free(&p);
}

static void test_long_outage_is_summarised(void **state_)
{
    struct sched_state st = state("* * * * *", "2026-11-27T00:00:00Z", 900, true);
    struct sched_plan p;

    (void)state_;
    /* 2001 minutes due: one summary row, 999 missed one by one, one run */
    plan_at(&st, "2026-11-28T09:20:30Z", false, &p);
    assert_int_equal(p.ndecisions, 1 + SCHED_MAX_RECORDED);
    expect_decision(&p, 0, SCHED_MISSED, "2026-11-27T00:00:00Z",
                    "missed: 1001 fire times from 2026-11-27T00:00:00Z to before "
                    "2026-11-27T16:41:00Z, too many to record one by one");
    expect_decision(&p, 1, SCHED_MISSED, "2026-11-27T16:41:00Z", "coalesced");
    expect_decision(&p, SCHED_MAX_RECORDED, SCHED_RUN, "2026-11-28T09:20:00Z", NULL);
    expect_time(p.next.next_fire, "2026-11-28T09:21:00Z");
    sched_plan_free(&p);
}

static void test_format_duration(void **state_)
{
    char b[32];

    (void)state_;
    assert_string_equal(format_duration(0, b, sizeof b), "0s");
    assert_string_equal(format_duration(45, b, sizeof b), "45s");
    assert_string_equal(format_duration(900, b, sizeof b), "15m");
    assert_string_equal(format_duration(3600, b, sizeof b), "1h");
    assert_string_equal(format_duration(7800, b, sizeof b), "2h10m");
    assert_string_equal(format_duration(3 * 86400 + 4 * 3600 + 5, b, sizeof b), "3d4h");
    assert_string_equal(format_duration(86400 + 30, b, sizeof b), "1d");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_due),
        cmocka_unit_test(test_misfire_within_grace_runs),
        cmocka_unit_test(test_misfire_beyond_grace_is_missed),
        cmocka_unit_test(test_coalesce_runs_the_latest_once),
        cmocka_unit_test(test_busy_fire_time_is_skipped),
        cmocka_unit_test(test_without_coalesce_each_runs_in_turn),
        cmocka_unit_test(test_without_coalesce_new_fire_time_while_busy_is_skipped),
        cmocka_unit_test(test_jitter),
        cmocka_unit_test(test_paused_decides_nothing),
        cmocka_unit_test(test_long_outage_is_summarised),
        cmocka_unit_test(test_format_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
