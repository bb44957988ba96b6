/*
 * state.c — the scheduler's row and the claim (see sched.h).
 *
 * The claim is the heart of "exactly one run per fire time": the row is
 * read FOR UPDATE, so a second process claiming at the same moment blocks
 * until the first commits and then finds next_fire_at already advanced.
 * Whether a run is going is asked inside that transaction: in this process
 * (the caller's busy function) and in any process (a granted run lock in
 * pg_locks; we never take the lock to find out, which would make a
 * concurrent `kasparro run` fail for no reason). Missed and skipped fire
 * times are written in the same transaction as the advanced anchor, so the
 * history and the anchor can never disagree.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/sched_internal.h"

static const char *sql_load =
    "SELECT cron, timezone, paused, extract(epoch FROM last_fire_at), "
    "extract(epoch FROM next_fire_at), extract(epoch FROM catch_up_until), "
    "extract(epoch FROM grace)::bigint, coalesce, extract(epoch FROM jitter)::bigint "
    "FROM kasparro.scheduler WHERE job = $1";
static const char *sql_load_locked =
    "SELECT cron, timezone, paused, extract(epoch FROM last_fire_at), "
    "extract(epoch FROM next_fire_at), extract(epoch FROM catch_up_until), "
    "extract(epoch FROM grace)::bigint, coalesce, extract(epoch FROM jitter)::bigint "
    "FROM kasparro.scheduler WHERE job = $1 FOR UPDATE";

int sched_state_read(struct db *db, const char *job, bool lock, struct sched_state *st,
                     struct err *err)
{
    PGresult *r = db_exec(db, err, lock ? sql_load_locked : sql_load, DB_PARAMS(job));

    memset(st, 0, sizeof *st);
    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 0;
    }
    snprintf(st->cron, sizeof st->cron, "%s", PQgetvalue(r, 0, 0));
    snprintf(st->timezone, sizeof st->timezone, "%s", PQgetvalue(r, 0, 1));
    st->paused = db_bool(r, 0, 2);
    st->last_fire = db_double(r, 0, 3);
    st->next_fire = db_double(r, 0, 4);
    st->catch_up_until = db_double(r, 0, 5);
    st->grace_s = db_ll(r, 0, 6);
    st->coalesce = db_bool(r, 0, 7);
    st->jitter_s = db_ll(r, 0, 8);
    PQclear(r);
    return 1;
}

int sched_load(struct db *db, const char *job, struct sched_state *st, struct err *err)
{
    return sched_state_read(db, job, false, st, err);
}

/* Epoch seconds as a statement parameter; NULL for 0. */
const char *sched_time_param(double t, char *buf, size_t len)
{
    if (t <= 0)
        return NULL;
    snprintf(buf, len, "%.6f", t);
    return buf;
}

static const char *sql_store =
    "UPDATE kasparro.scheduler SET last_fire_at = to_timestamp($2::float8), "
    "next_fire_at = to_timestamp($3::float8), catch_up_until = to_timestamp($4::float8) "
    "WHERE job = $1";

static int store_anchor(struct db *db, const char *job, const struct sched_state *st,
                        struct err *err)
{
    char last[40], next[40], until[40];
    return db_run(db, err, sql_store,
                  DB_PARAMS(job, sched_time_param(st->last_fire, last, sizeof last),
                            sched_time_param(st->next_fire, next, sizeof next),
                            sched_time_param(st->catch_up_until, until, sizeof until)));
}

static const char *sql_record =
    "INSERT INTO kasparro.runs (trigger, actor, scheduled_for, started_at, finished_at, "
    "heartbeat_at, status, host, pid, error) VALUES ('schedule', 'scheduler', "
    "to_timestamp($1::float8), now(), now(), now(), $2, $3, $4, $5)";

int sched_record(struct db *db, double at, enum sched_outcome outcome, const char *why,
                 struct err *err)
{
    char when[40], pid[16], host[256] = "", stamp[32];

    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    if (db_run(db, err, sql_record,
               DB_PARAMS(sched_time_param(at, when, sizeof when), sched_outcome_name(outcome), host,
                         pid, why)) < 0)
        return -1;
    cJSON *fields = cJSON_CreateObject();
    cJSON_AddStringToObject(fields, "scheduled_for", clock_format(at, stamp, sizeof stamp));
    cJSON_AddStringToObject(fields, "outcome", sched_outcome_name(outcome));
    log_fields(LOG_WARN, fields, "fire time %s %s", stamp, why ? why : "");
    return 0;
}

static const char *sql_recorded =
    "SELECT EXISTS (SELECT 1 FROM kasparro.runs WHERE trigger = 'schedule' AND "
    "scheduled_for = to_timestamp($1::float8))";

int sched_recorded(struct db *db, double at, struct err *err)
{
    char when[40];
    PGresult *r =
        db_exec(db, err, sql_recorded, DB_PARAMS(sched_time_param(at, when, sizeof when)));
    int found;

    if (r == NULL)
        return -1;
    found = db_bool(r, 0, 0);
    PQclear(r);
    return found;
}

/* Another session of this database holds the run lock (granted). */
static const char *sql_run_lock_held =
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND classid = 0 AND objid = $1::bigint::oid AND objsubid = 1)";

static int run_lock_held(struct db *db, char *why, size_t len, struct err *err)
{
    char key[16], holder[256];
    PGresult *r;
    int held;

    snprintf(key, sizeof key, "%d", (int)DB_LOCK_RUN);
    if ((r = db_exec(db, err, sql_run_lock_held, DB_PARAMS(key))) == NULL)
        return -1;
    held = db_bool(r, 0, 0);
    PQclear(r);
    if (held) {
        run_describe_holder(db, holder, sizeof holder);
        snprintf(why, len, "%s was still in progress", holder);
    }
    return held;
}

/* The claim marker: a fire time handed to a run that has not recorded
 * itself yet. Its claimer still connected means the run is starting (busy);
 * a run row means it started (the marker goes); neither, and no run going,
 * means the claimer stopped or died in between: recorded 'skipped'. */
static const char *sql_marker =
    "SELECT extract(epoch FROM s.dispatched_for), "
    "EXISTS (SELECT 1 FROM kasparro.runs r WHERE r.trigger = 'schedule' "
    "  AND r.scheduled_for = s.dispatched_for), "
    "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.dispatched_backend "
    "  AND a.backend_start <= s.dispatched_at) "
    "FROM kasparro.scheduler s WHERE s.job = $1 AND s.dispatched_for IS NOT NULL";
static const char *sql_set_marker =
    "UPDATE kasparro.scheduler SET dispatched_for = to_timestamp($2::float8), "
    "dispatched_backend = pg_backend_pid(), dispatched_at = now() WHERE job = $1";
static const char *sql_clear_marker =
    "UPDATE kasparro.scheduler SET dispatched_for = NULL, dispatched_backend = NULL, "
    "dispatched_at = NULL WHERE job = $1 AND dispatched_for = to_timestamp($2::float8)";

int sched_clear_marker(struct db *db, const char *job, double at, struct err *err)
{
    char when[40];
    return db_run(db, err, sql_clear_marker,
                  DB_PARAMS(job, sched_time_param(at, when, sizeof when)));
}

int sched_settle_unstarted(struct db *db, double at, const char *why, struct err *err)
{
    int found = sched_recorded(db, at, err);

    if (found < 0 || (!found && sched_record(db, at, SCHED_SKIPPED, why, err) < 0) ||
        sched_clear_marker(db, SCHED_JOB, at, err) < 0)
        return -1;
    return !found;
}

/* 1 when the marked run is starting, 0 when there is none (any more). */
static int resolve_marker(struct db *db, const char *job, char *why, size_t len, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_marker, DB_PARAMS(job));
    char when[32];
    double at;
    bool started, claimer_alive;

    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 0;
    }
    at = db_double(r, 0, 0);
    started = db_bool(r, 0, 1);
    claimer_alive = db_bool(r, 0, 2);
    PQclear(r);
    clock_format(at, when, sizeof when);
    if (!started && claimer_alive) {
        snprintf(why, len, "the run for fire time %s was starting", when);
        return 1;
    }
    if (!started && sched_record(db, at, SCHED_SKIPPED,
                                 "skipped: the run did not start: the "
                                 "process that claimed it stopped first",
                                 err) < 0)
        return -1;
    return sched_clear_marker(db, job, at, err);
}

static int write_decisions(struct db *db, const struct sched_plan *plan, struct sched_claim *claim,
                           struct err *err)
{
    for (int i = 0; i < plan->ndecisions; i++) {
        const struct sched_decision *d = &plan->decisions[i];
        if (d->outcome == SCHED_RUN) {
            claim->run = d->at;
            continue;
        }
        if (sched_record(db, d->at, d->outcome, d->why, err) < 0)
            return -1;
        if (d->outcome == SCHED_MISSED)
            claim->missed++;
        else
            claim->skipped++;
    }
    return 0;
}

/* Inside the claim's transaction, with the row held. */
static int claim_held(struct db *db, const char *job, const struct sched_state *st, double now,
                      sched_busy_fn busy_fn, void *busy_arg, struct sched_claim *claim,
                      struct err *err)
{
    long long jitter = sched_jitter_offset(job, st->jitter_s);
    struct sched_compiled cc;
    struct sched_plan plan;
    char why[512] = "";
    int busy = 0, rc;

    claim->paused = st->paused;
    claim->next_due = st->next_fire + (double)jitter;
    /* settled on every look, due or not, so a dead claimer's fire time is
     * recorded as soon as any scheduler looks */
    if ((busy = resolve_marker(db, job, why, sizeof why, err)) < 0)
        return -1;
    if (st->paused || st->next_fire + (double)jitter > now)
        return 0;
    if (!busy && busy_fn != NULL && busy_fn(busy_arg, why, sizeof why))
        busy = 1;
    if (!busy && (busy = run_lock_held(db, why, sizeof why, err)) < 0)
        return -1;
    if (sched_compile(st->cron, st->timezone, &cc, err) < 0)
        return err_prefix(err, "scheduler job '%s'", job);
    sched_plan(st, &cc.cron, cc.tz, now, busy, why, &plan);
    sched_compiled_free(&cc);
    claim->claimed = plan.ndecisions > 0 || plan.next.next_fire != st->next_fire;
    claim->wait = plan.wait;
    claim->next_due = plan.next.next_fire + (double)jitter;
    rc = write_decisions(db, &plan, claim, err);
    if (rc == 0 && claim->run > 0) {
        char when[40];
        rc = db_run(db, err, sql_set_marker,
                    DB_PARAMS(job, sched_time_param(claim->run, when, sizeof when)));
    }
    if (rc == 0 && claim->claimed)
        rc = store_anchor(db, job, &plan.next, err);
    if (rc == 0 && claim->claimed)
        rc = db_notify(db, "sched:" SCHED_JOB, err);
    sched_plan_free(&plan);
    return rc;
}

int sched_claim(struct db *db, const char *job, double now, sched_busy_fn busy, void *busy_arg,
                struct sched_claim *claim, struct err *err)
{
    struct sched_state st;
    int found;

    memset(claim, 0, sizeof *claim);
    if (db_begin(db, err) < 0)
        return -1;
    found = sched_state_read(db, job, true, &st, err);
    if (found <= 0) {
        db_rollback(db);
        if (found == 0)
            err_set(err, "scheduler job '%s' is not stored yet", job);
        return -1;
    }
    if (claim_held(db, job, &st, now, busy, busy_arg, claim, err) < 0) {
        db_rollback(db);
        memset(claim, 0, sizeof *claim);
        return -1;
    }
    return db_commit(db, err);
}
