/*
 * dispatch.c — how the scheduler starts runs: through the engine thread
 * (the console and the daemon), or in-line for a single pass (`kasparro
 * daemon --once`, which is also what an external cron or a systemd timer
 * would call).
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/engine.h"
#include "kasparro/log.h"
#include "kasparro/sched_internal.h"

static int engine_dispatch(void *arg, const struct run_request *req, struct err *err)
{
    return engine_submit(arg, req, err);
}

static bool engine_is_busy(void *arg, char *why, size_t len)
{
    struct progress p;

    if (!engine_busy(arg))
        return false;
    engine_snapshot(arg, &p);
    if (p.active)
        snprintf(why, len, "run %lld (this process) was still in progress", p.run_id);
    else
        snprintf(why, len, "a run of this process was about to start");
    return true;
}

static void engine_error(void *arg, char *out, size_t len)
{
    struct run_result r;
    engine_last_result(arg, &r, out, len);
}

struct sched *sched_start(struct config *cfg, struct engine *engine, int wake_fd,
                          struct err *err)
{
    struct sched_ops ops = {engine_dispatch, engine_is_busy, engine_error, engine};
    return sched_start_ops(cfg, &ops, wake_fd, err);
}

/* The claimed fire time, run to the end here. */
static int run_claimed(struct db *db, const struct config *cfg, double at,
                       const atomic_bool *cancel, struct err *err)
{
    struct run_request req = {
        .trigger = TRIGGER_SCHEDULE, .actor = "scheduler", .scheduled_for = at};
    struct run_result result;
    char when[32], reason[1100];
    struct err rec = {0};

    log_info("fire time %s: run starting", clock_format(at, when, sizeof when));
    if (run_execute(cfg, &req, NULL, cancel, &result, err) == 0) {
        if (sched_clear_marker(db, SCHED_JOB, at, &rec) < 0)
            log_warn("fire time %s: %s", when, rec.msg); /* the next claim clears it */
        return result.exit_code;
    }
    snprintf(reason, sizeof reason, "skipped: the run did not start: %s", err->msg);
    int settled = sched_settle_unstarted(db, at, reason, &rec);
    if (settled < 0) {
        log_error("fire time %s: %s; recording it: %s", when, reason, rec.msg);
        return EXIT_DB;
    }
    if (settled == 0) /* another scheduler recorded it first */
        log_warn("fire time %s: %s", when, reason);
    err_clear(err);
    return EXIT_OK;
}

/* A pass that ran nothing says why, so a cron job's log shows the pass
 * happened and when the next one has work. */
static void once_idle(const struct config *cfg, const struct sched_claim *claim)
{
    char next[32];

    if (!cfg->sched_enabled)
        log_info("nothing to run: the scheduler is off ([scheduler] enabled = false)");
    else if (claim->paused)
        log_info("nothing to run: the schedule is paused ('kasparro schedule resume')");
    else if (claim->wait)
        log_info("nothing to run now: a fire time waits for the run in progress");
    else if (claim->next_due > 0)
        log_info("nothing due: the next fire time is due at %s",
                 clock_format(claim->next_due, next, sizeof next));
    else
        log_info("nothing due");
}

int sched_once(const struct config *cfg, const atomic_bool *cancel, struct err *err)
{
    struct sched_claim claim;
    struct db *db = db_open(err);
    int rc = EXIT_OK;

    if (db == NULL)
        return err->code;
    db_watch(db, cancel); /* a stop cancels a claim waiting for the row */
    if (sched_sync_config(db, cfg, os_user(), clock_now(), err) < 0 ||
        (cfg->sched_enabled &&
         sched_claim(db, SCHED_JOB, clock_now(), NULL, NULL, &claim, err) < 0)) {
        rc = err->code ? err->code : EXIT_FAIL;
        if (cancel != NULL && atomic_load(cancel) && err_sqlstate(err, SQLSTATE_QUERY_CANCELED)) {
            log_info("stopping: the scheduler's statement in progress is cancelled: %s; no fire "
                     "time claimed", err->msg);
            err_clear(err);
            rc = EXIT_OK; /* stopped, as asked: the next pass claims what is due */
        }
    } else if (cfg->sched_enabled && claim.run > 0)
        rc = run_claimed(db, cfg, claim.run, cancel, err);
    else
        once_idle(cfg, &claim);
    db_close(db);
    return rc;
}
