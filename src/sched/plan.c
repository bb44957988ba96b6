/*
 * plan.c — what becomes of the fire times due at a given moment (see the
 * rules in sched.h).
 *
 * Pure: the stored state, the expression, the clock and "is a run going"
 * in; decisions and the state to store out. The claim (state.c) runs it
 * with the row held, which is what makes every process agree; the unit
 * tests run it with any clock they like.
 *
 * Due fire times are enumerated from the stored anchor. After a long
 * outage there can be very many (every minute for a month), so only the
 * latest SCHED_MAX_RECORDED are kept one by one and the older ones become a
 * single 'missed' row that says how many there were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/sched.h"

/* A missed or skipped fire time is a runs row with that status. */
const char *sched_outcome_name(enum sched_outcome o)
{
    return o == SCHED_RUN ? "run" : run_status_name(o == SCHED_MISSED ? RUN_MISSED : RUN_SKIPPED);
}

long long sched_jitter_offset(const char *job, long long jitter_s)
{
    unsigned long long h = 14695981039346656037ULL; /* FNV-1a */

    if (jitter_s <= 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)job; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (long long)(h % (unsigned long long)(jitter_s + 1));
}

/* The due fire times: a ring of the latest SCHED_MAX_RECORDED, the count
 * of older ones, and the first fire time not yet due. */
struct due {
    double ring[SCHED_MAX_RECORDED];
    int n;           /* in the ring */
    long long older; /* dropped from the ring */
    double oldest;
    double next; /* first not due; 0 when the expression never fires again */
};

static void due_list(const struct sched_state *st, const struct cron *cron, const struct tz *tz,
                     double now, long long jitter, struct due *d)
{
    double f = st->next_fire;

    memset(d, 0, sizeof *d);
    d->oldest = f;
    while (f > 0 && f + (double)jitter <= now) {
        if (d->n == SCHED_MAX_RECORDED) {
            memmove(d->ring, d->ring + 1, (SCHED_MAX_RECORDED - 1) * sizeof d->ring[0]);
            d->n--;
            d->older++;
        }
        d->ring[d->n++] = f;
        long long next = cron_next(cron, tz, (long long)f);
        f = next < 0 ? 0 : (double)next;
    }
    d->next = f;
}

static struct sched_decision *decide(struct sched_plan *plan, double at, enum sched_outcome o)
{
    struct sched_decision *d;

    plan->decisions =
        xreallocarray(plan->decisions, (size_t)plan->ndecisions + 1, sizeof *plan->decisions);
    d = &plan->decisions[plan->ndecisions++];
    memset(d, 0, sizeof *d);
    d->at = at;
    d->outcome = o;
    return d;
}

static void late_why(struct sched_decision *d, double now, long long jitter, long long grace)
{
    char late[32], g[32];
    snprintf(d->why, sizeof d->why, "missed: found %s after its time, beyond the %s grace",
             format_duration((long long)(now - d->at - (double)jitter), late, sizeof late),
             format_duration(grace, g, sizeof g));
}

/* The summary row for fire times too many to record one by one. */
static void record_older(struct sched_plan *plan, const struct due *d)
{
    char from[32], to[32];

    if (d->older == 0)
        return;
    struct sched_decision *x = decide(plan, d->oldest, SCHED_MISSED);
    snprintf(x->why, sizeof x->why,
             "missed: %lld fire times from %s to before %s, too many to "
             "record one by one",
             d->older, clock_format(d->oldest, from, sizeof from),
             clock_format(d->ring[0], to, sizeof to));
}

static void plan_coalesce(const struct sched_state *st, const struct due *d, double now,
                          long long jitter, bool busy, const char *busy_why,
                          struct sched_plan *plan)
{
    double latest = d->ring[d->n - 1];
    bool in_grace = now - latest - (double)jitter <= (double)st->grace_s;
    char when[32];

    clock_format(latest, when, sizeof when);
    for (int i = 0; i < d->n - 1; i++) {
        struct sched_decision *x = decide(plan, d->ring[i], SCHED_MISSED);
        if (in_grace)
            snprintf(x->why, sizeof x->why, "missed: coalesced into the fire time %s", when);
        else
            late_why(x, now, jitter, st->grace_s);
    }
    struct sched_decision *x = decide(plan, latest,
                                      !in_grace ? SCHED_MISSED
                                      : busy    ? SCHED_SKIPPED
                                                : SCHED_RUN);
    if (!in_grace)
        late_why(x, now, jitter, st->grace_s);
    else if (busy)
        snprintf(x->why, sizeof x->why, "skipped: %s", busy_why);
    plan->next.last_fire = latest;
    plan->next.next_fire = d->next;
    plan->next.catch_up_until = 0;
}

/* Without coalesce: the out-of-grace prefix is missed; of the rest, the
 * oldest runs now and the others wait their turn (catch_up_until). */
static void plan_each(const struct sched_state *st, const struct due *d, double now,
                      long long jitter, bool busy, const char *busy_why, struct sched_plan *plan)
{
    int first = 0;

    while (first < d->n && now - d->ring[first] - (double)jitter > (double)st->grace_s) {
        late_why(decide(plan, d->ring[first], SCHED_MISSED), now, jitter, st->grace_s);
        plan->next.last_fire = d->ring[first++];
    }
    plan->next.next_fire = first < d->n ? d->ring[first] : d->next;
    if (first == d->n)
        return;
    if (busy && d->ring[first] <= st->catch_up_until) {
        plan->wait = true; /* caught-up fire times wait for the run before them */
        return;
    }
    if (busy) {
        for (int i = first; i < d->n; i++)
            snprintf(decide(plan, d->ring[i], SCHED_SKIPPED)->why, sizeof plan->decisions->why,
                     "skipped: %s", busy_why);
        plan->next.last_fire = d->ring[d->n - 1];
        plan->next.next_fire = d->next;
        plan->next.catch_up_until = 0;
        return;
    }
    decide(plan, d->ring[first], SCHED_RUN);
    plan->next.last_fire = d->ring[first];
    plan->next.next_fire = first + 1 < d->n ? d->ring[first + 1] : d->next;
    plan->next.catch_up_until = first + 1 < d->n ? d->ring[d->n - 1] : 0;
}

void sched_plan(const struct sched_state *st, const struct cron *cron, const struct tz *tz,
                double now, bool busy, const char *busy_why, struct sched_plan *plan)
{
    long long jitter = sched_jitter_offset(SCHED_JOB, st->jitter_s);
    struct due *d;

    memset(plan, 0, sizeof *plan);
    plan->next = *st;
    if (st->paused || st->next_fire <= 0 || st->next_fire + (double)jitter > now)
        return;
    d = xmalloc(sizeof *d);
    due_list(st, cron, tz, now, jitter, d);
    record_older(plan, d);
    if (st->coalesce)
        plan_coalesce(st, d, now, jitter, busy, busy_why ? busy_why : "a run was in progress",
                      plan);
    else
        plan_each(st, d, now, jitter, busy, busy_why ? busy_why : "a run was in progress", plan);
    free(d);
}

void sched_plan_free(struct sched_plan *plan)
{
    free(plan->decisions);
    memset(plan, 0, sizeof *plan);
}
