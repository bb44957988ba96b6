/*
 * run.c — one ingestion run, from lock to final status (see run.h).
 *
 * Connections: `lock` holds the run lock (a session advisory lock) and
 * nothing else, so a long load never delays it and a dead process releases
 * it; `work` records the run and runs the per-run steps; the sources are
 * loaded by workers on connections of their own (work.c), here and in any
 * daemon that joins. Any run still marked 'running' when we hold the lock
 * belongs to a process that died: it is marked 'abandoned' — unless a
 * daemon took it over first (run_join), which is the same lock. A lock
 * lost while the run goes on (the server ended its session, a network
 * failure) would let a second run start beside it: the run looks at the
 * lock's connection while its sources load and before each per-run step,
 * and once it is gone stops and ends 'failed', saying so.
 *
 * A source is read item by item (source_run.c), and what each step of the
 * way decided is written to runs / run_sources, so `kasparro show-run` (and
 * another process's console) can always tell what happened and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/run.h"
#include "kasparro/runsrc.h"
#include "kasparro/source_names.h"
#include "kasparro/work.h"

const char *run_trigger_name(enum run_trigger t)
{
    static const char *names[] = {"manual", "schedule", "startup"};
    return names[t];
}

const char *const run_status_names[] = {
    [RUN_RUNNING] = "running", [RUN_SUCCEEDED] = "succeeded",     [RUN_PARTIAL] = "partial",
    [RUN_FAILED] = "failed",   [RUN_INTERRUPTED] = "interrupted", [RUN_ABANDONED] = "abandoned",
    [RUN_MISSED] = "missed",   [RUN_SKIPPED] = "skipped",         NULL,
};
#define NSTATUS (ARRAY_SIZE(run_status_names) - 1)

const char *run_status_name(enum run_status s) { return run_status_names[s]; }

int run_status_parse(const char *name)
{
    for (size_t i = 0; name != NULL && i < NSTATUS; i++)
        if (strcmp(run_status_names[i], name) == 0)
            return (int)i;
    return -1;
}

bool run_status_never_ran(int s) { return s == RUN_MISSED || s == RUN_SKIPPED; }

const char *run_source_error(const char *source, const char *error)
{
    size_t n = strlen(source);

    if (strncmp(error, "source '", 8) == 0 && strncmp(error + 8, source, n) == 0 &&
        strncmp(error + 8 + n, "': ", 3) == 0 && error[11 + n] != '\0')
        return error + 11 + n;
    return error;
}

void run_status_list(struct buf *b)
{
    for (size_t i = 0; i < NSTATUS; i++)
        buf_printf(b, "%s%s", i ? (i + 1 < NSTATUS ? ", " : " or ") : "", run_status_names[i]);
}

const char *source_status_name(enum source_status s)
{
    static const char *const names[] = {
        [SOURCE_SUCCEEDED] = "succeeded", [SOURCE_PARTIAL] = "partial",
        [SOURCE_FAILED] = "failed",       [SOURCE_INTERRUPTED] = "interrupted",
    };
    return names[s];
}

const char *run_warning_label(const char *kind)
{
    return str_eq(kind, "repeated_id") ? "repeated id" : "drift";
}

static const char *sql_status = "SELECT status FROM kasparro.runs WHERE id = $1";

int run_lock_check(struct db *lock, struct db *db, const char *run, struct err *err)
{
    struct err ignore = {0};
    PGresult *r;
    int rc = 0;

    if (!db_idle_ok(lock)) {
        char why[256];
        snprintf(why, sizeof why, "%s", PQerrorMessage(lock->conn));
        why[strcspn(why, "\n")] = '\0';
        return err_set(err, "the run lock was lost: its database session ended (%s); the run "
                       "stops so that no other run loads beside it", why[0] ? why : "closed");
    }
    if ((r = db_exec(db, &ignore, sql_status, DB_PARAMS(run))) == NULL)
        return 0; /* unknown: the run's own statements will say */
    if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "running") != 0)
        rc = err_set(err, "the run lock was lost: another process marked the run '%s'; the "
                     "run stops so that no other run loads beside it", PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

static const char *sql_holder =
    "SELECT id, pid, host, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
    "FROM kasparro.runs WHERE status = 'running' ORDER BY id DESC LIMIT 1";

void run_describe_holder(struct db *db, char *out, size_t len)
{
    struct err ignore = {0};
    PGresult *r = db_exec(db, &ignore, sql_holder, 0, NULL);

    if (r != NULL && PQntuples(r) == 1)
        snprintf(out, len, "run %s (pid %s on %s, started %s UTC)", PQgetvalue(r, 0, 0),
                 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
    else
        snprintf(out, len, "a run that has not recorded itself yet");
    PQclear(r);
}

static const char *sql_abandon =
    "WITH a AS (UPDATE kasparro.runs SET status = 'abandoned', finished_at = now(), "
    "  error = 'its process (pid ' || coalesce(pid::text, '?') || ' on ' || coalesce(host, '?') "
    "  || ') ended without finishing; last heartbeat ' || "
    "  to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' "
    "  WHERE status = 'running' RETURNING id), "
    "s AS (UPDATE kasparro.run_sources SET status = 'interrupted', finished_at = now() "
    "  WHERE status = 'running' AND run_id IN (SELECT id FROM a)) "
    "SELECT count(*) FROM a";

int run_mark_abandoned(struct db *db, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_abandon, 0, NULL);
    int n;

    if (r == NULL)
        return -1;
    n = (int)db_ll(r, 0, 0);
    PQclear(r);
    if (n > 0)
        log_warn("marked %d run%s abandoned: the process running %s died", n, n == 1 ? "" : "s",
                 n == 1 ? "it" : "them");
    return n;
}

/* The run, its sources as pending work in the order asked, and the news
 * for daemons that join runs (work.h). A fire time's run starts only while
 * the scheduler's claim marker still names it, under the scheduler row's
 * lock: another scheduler that found the claiming process gone settles the
 * fire time ('skipped') under the same lock, so a fire time never gets both
 * rows. */
static const char *sql_insert_run =
    "WITH claim AS (SELECT 1 FROM kasparro.scheduler "
    "  WHERE dispatched_for = to_timestamp($3::double precision) FOR UPDATE), "
    "r AS (INSERT INTO kasparro.runs (trigger, actor, scheduled_for, status, full_sync, "
    "  sources, host, pid, allow_mass_delete) SELECT $1, $2, "
    "  to_timestamp($3::double precision), 'running', $4, $5::text[], $6, $7, $8 "
    "  WHERE $3::double precision IS NULL OR EXISTS (SELECT 1 FROM claim) RETURNING id), "
    "s AS (INSERT INTO kasparro.run_sources (run_id, source, ord, config_digest) "
    "  SELECT r.id, t.source, t.ord, t.digest "
    "  FROM r, unnest($5::text[], $9::text[]) WITH ORDINALITY AS t(source, digest, ord)) "
    "SELECT id, pg_notify('kasparro', 'work:' || id) FROM r";

/* A source still open when the run ends was stopped or never taken; one
 * whose outcome could not be recorded is not left 'running' either. */
static const char *sql_finish_run =
    "WITH u AS (UPDATE kasparro.runs SET status = $2, finished_at = now(), heartbeat_at = now(), "
    "error = $3 WHERE id = $1), "
    "s AS (UPDATE kasparro.run_sources SET finished_at = now(), status = CASE WHEN status = "
    "  'pending' AND claims = 0 THEN 'skipped' ELSE 'interrupted' END "
    "  WHERE run_id = $1 AND status IN ('pending', 'running')) "
    "SELECT pg_notify('kasparro', 'run:' || $1)";

/* The sources a request names (checked against the config), or all enabled. */
static int select_sources(const struct config *cfg, const struct run_request *req,
                          const struct source_cfg ***out, int *n, struct err *err)
{
    *out = xcalloc(cfg->nsources + (size_t)req->nsources + 1, sizeof **out);
    *n = 0;
    for (int i = 0; i < req->nsources; i++) {
        const struct source_cfg *s = config_source_find(cfg, req->sources[i], err);
        if (s == NULL) {
            free(*out);
            *out = NULL;
            return -1;
        }
        bool named = false; /* `run a a` reads a once */
        for (int k = 0; k < *n && !named; k++)
            named = (*out)[k] == s;
        if (!named)
            (*out)[(*n)++] = s;
    }
    for (size_t j = 0; req->nsources == 0 && j < cfg->nsources; j++)
        if (cfg->sources[j].enabled)
            (*out)[(*n)++] = &cfg->sources[j];
    if (*n == 0) {
        free(*out);
        *out = NULL;
        return err_code(err, EXIT_USAGE, "no source to run: config '%s' declares no enabled "
                        "source", cfg->path ? cfg->path : "(defaults)");
    }
    return 0;
}

static long long insert_run(struct db *db, const struct config *cfg,
                            const struct run_request *req, const struct source_cfg **srcs, int n,
                            struct err *err)
{
    struct buf names = BUF_INIT, digests = BUF_INIT;
    char when[32], pid[16], host[256] = "";
    PGresult *r;
    long long id;

    work_source_arrays(cfg, srcs, (size_t)n, &names, &digests);
    snprintf(when, sizeof when, "%.3f", req->scheduled_for);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    gethostname(host, sizeof host - 1);
    r = db_exec(db, err, sql_insert_run,
                DB_PARAMS(run_trigger_name(req->trigger), req->actor,
                          req->scheduled_for > 0 ? when : NULL, req->full ? "true" : "false",
                          names.data, host, pid, req->allow_mass_delete ? "true" : "false",
                          digests.data));
    buf_free(&names);
    buf_free(&digests);
    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return err_code(err, EXIT_BUSY, "fire time %s was settled by another scheduler while "
                        "this run started (the process that claimed it was stopping)",
                        clock_format(req->scheduled_for, when, sizeof when));
    }
    id = db_ll(r, 0, 0);
    PQclear(r);
    return id;
}

struct begin_arg {
    long long id;
    const struct run_request *req;
    const struct source_cfg **srcs;
    int n;
};

static void progress_begin(struct progress *p, void *arg)
{
    struct begin_arg *a = arg;

    memset(p, 0, sizeof *p);
    p->active = true;
    p->run_id = a->id;
    p->started = clock_now();
    snprintf(p->trigger, sizeof p->trigger, "%s", run_trigger_name(a->req->trigger));
    snprintf(p->actor, sizeof p->actor, "%s", a->req->actor);
    snprintf(p->status, sizeof p->status, "%s", run_status_name(RUN_RUNNING));
    snprintf(p->stage, sizeof p->stage, "sources");
    for (int i = 0; i < a->n; i++)
        progress_source(p, a->srcs[i]->name);
}

struct end_arg {
    const char *status;
    const char *stage;
    const char *error;
};

static void progress_end(struct progress *p, void *arg)
{
    struct end_arg *a = arg;

    if (a->status != NULL) {
        snprintf(p->status, sizeof p->status, "%s", a->status);
        p->active = false;
        p->finished = clock_now();
    }
    if (a->stage != NULL) {
        snprintf(p->stage, sizeof p->stage, "%s", a->stage);
        p->step[0] = '\0';
    }
    if (a->error != NULL)
        err_copy(p->error, sizeof p->error, a->error);
}

/* The stage and phase in the run's row; the row another transaction holds
 * (none should: the per-run steps write it only at their end) is skipped
 * rather than waited for, on a connection that must never wait. */
static const char *sql_publish_phase =
    "WITH u AS (UPDATE kasparro.runs SET stage = $2, step = $3 WHERE id = "
    "  (SELECT id FROM kasparro.runs WHERE id = $1 AND status = 'running' "
    "   FOR UPDATE SKIP LOCKED) RETURNING id) "
    "SELECT pg_notify('kasparro', 'run:' || id) FROM u";

static void publish_phase(struct progress *p, void *arg)
{
    const char *const *a = arg;

    snprintf(p->stage, sizeof p->stage, "%s", a[0]);
    snprintf(p->step, sizeof p->step, "%s", a[1] ? a[1] : "");
}

void run_publish_phase(const struct run_ctx *ctx, const char *stage, const char *step)
{
    const char *a[] = {stage, step};
    struct err err = {0};
    char id[32];

    progress_update(ctx->board, publish_phase, (void *)a);
    if (ctx->lock == NULL)
        return;
    snprintf(id, sizeof id, "%lld", ctx->run_id);
    if (db_run(ctx->lock, &err, sql_publish_phase, DB_PARAMS(id, stage, step)) < 0)
        log_debug("run %lld: its stage '%s' not written for other consoles: %s", ctx->run_id,
                  stage, err.msg);
}

/* The run lock is gone: the reason joins the run's errors. */
static bool lock_lost(struct db *lock, struct run_ctx *ctx, struct buf *errors)
{
    struct err err = {0};
    char id[32];

    snprintf(id, sizeof id, "%lld", ctx->run_id);
    if (run_lock_check(lock, ctx->db, id, &err) == 0)
        return false;
    if (strstr(buf_str(errors), err.msg) == NULL) /* else the sources' errors say it */
        buf_printf(errors, "%s%s", errors->len ? "; " : "", err.msg);
    return true;
}

/* After all sources: the per-run steps, in table order, each only while
 * the run lock is still held. False when it was lost. */
static bool run_after_steps(struct run_ctx *ctx, struct db *lock, struct buf *errors)
{
    for (size_t i = 0; i < run_nsteps; i++) {
        struct err err = {0};
        if (run_steps[i].per_run == NULL)
            continue;
        if (ctx->cancel != NULL && atomic_load(ctx->cancel))
            return true;
        if (lock_lost(lock, ctx, errors))
            return false;
        run_publish_phase(ctx, run_steps[i].name, NULL);
        if (run_steps[i].per_run(ctx, &err) < 0) {
            if (ctx->cancel != NULL && atomic_load(ctx->cancel))
                return true; /* the stop cancelled its statement: the run is interrupted */
            log_error("%s: %s", run_steps[i].name, err.msg);
            buf_printf(errors, "%s%s: %s", errors->len ? "; " : "", run_steps[i].name, err.msg);
        }
    }
    return !lock_lost(lock, ctx, errors); /* before the end is recorded */
}

static const char *sql_outcomes =
    "SELECT source, status, error, fetched, inserted, updated, unchanged, quarantined, "
    "soft_deleted, restored, held_deletes FROM kasparro.run_sources WHERE run_id = $1 "
    "ORDER BY ord";

/* A helper leaves the run: it goes on elsewhere. */
static void progress_left(struct progress *p, void *arg)
{
    (void)arg;
    p->active = false;
    p->finished = clock_now();
    snprintf(p->stage, sizeof p->stage, "left");
}

/* Who else is loading a source of the run right now: a 'running' row whose
 * lease (work.c) another session holds. Rows of a process that died hold
 * no lease. */
static const char *sql_others_loading =
    "SELECT string_agg(DISTINCT rs.owner, ', ') FROM kasparro.run_sources rs "
    "JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
    "  AND l.classid = $2::oid AND l.objid = hashtext(rs.source)::oid "
    "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "WHERE rs.run_id = $1 AND rs.status = 'running' AND l.pid <> pg_backend_pid()";

/* Sources still open once every worker of the run's own process ended
 * without being stopped: no worker was left to load them. */
static const char *sql_orphaned_work =
    "UPDATE kasparro.run_sources SET status = 'failed', finished_at = now(), "
    "error = coalesce(error || '; ', '') || $2 WHERE run_id = $1 AND status IN ('pending', "
    "'running')";

/* What became of a source, whoever loaded it, for the run's board. */
static void publish_outcome(struct progress *p, void *arg)
{
    const PGresult *r = ((const void **)arg)[0];
    int row = *(const int *)((const void **)arg)[1];
    struct progress_source *ps = progress_source(p, PQgetvalue(r, row, 0));

    if (ps == NULL || ps->finished > 0)
        return; /* this process loaded it and said so */
    long long *n[] = {&ps->fetched, &ps->inserted, &ps->updated, &ps->unchanged,
                      &ps->quarantined, &ps->soft_deleted, &ps->restored, &ps->held};
    snprintf(ps->status, sizeof ps->status, "%s", PQgetvalue(r, row, 1));
    snprintf(ps->stage, sizeof ps->stage, "%s",
             strcmp(ps->status, "succeeded") == 0 ? "done" : ps->status);
    for (int i = 0; i < 8; i++)
        *n[i] = db_ll(r, row, 3 + i);
    ps->finished = clock_now();
}

/* The run's status from every source's row (other processes loaded some),
 * and their errors. */
static enum run_status run_outcome(struct db *db, const char *run, struct progress_board *board,
                                   bool cancelled, struct buf *errors)
{
    struct err err = {0};
    PGresult *r = db_exec(db, &err, sql_outcomes, DB_PARAMS(run));
    int ok = 0, failed = 0, n;

    if (r == NULL) {
        buf_printf(errors, "%sreading the sources' outcomes: %s", errors->len ? "; " : "",
                   err.msg);
        return cancelled ? RUN_INTERRUPTED : RUN_PARTIAL;
    }
    n = PQntuples(r);
    for (int i = 0; i < n; i++) {
        const void *arg[] = {r, &i};
        ok += strcmp(PQgetvalue(r, i, 1), "succeeded") == 0;
        failed += strcmp(PQgetvalue(r, i, 1), "failed") == 0;
        if (db_str(r, i, 2) != NULL)
            buf_printf(errors, "%s%s: %s", errors->len ? "; " : "", PQgetvalue(r, i, 0),
                       run_source_error(PQgetvalue(r, i, 0), PQgetvalue(r, i, 2)));
        progress_update(board, publish_outcome, arg);
    }
    PQclear(r);
    if (cancelled)
        return RUN_INTERRUPTED;
    if (ok == n)
        return RUN_SUCCEEDED;
    return failed == n ? RUN_FAILED : RUN_PARTIAL;
}

/* This process stops while others load sources of the run: the run stays
 * 'running' for them, and the first of them to find the run lock free
 * takes it and, once its sources are done, the run (run_join), per-run
 * steps included. The sources
 * this process was loading went back to the queue when its workers
 * stopped (source_run.c). True when the run was left to them. */
static bool leave_run(struct db *work, const struct run_request *req, const char *id_text,
                      struct progress_board *board)
{
    char key[16];
    struct err err = {0};
    PGresult *r;
    bool others;

    if (req->leaving == NULL || !atomic_load(req->leaving))
        return false;
    snprintf(key, sizeof key, "%d", (int)DB_LOCK_SOURCE);
    if ((r = db_exec(work, &err, sql_others_loading, DB_PARAMS(id_text, key))) == NULL) {
        log_warn("run %s: who else loads its sources could not be read (%s); it ends here",
                 id_text, err.msg);
        return false;
    }
    others = db_str(r, 0, 0) != NULL;
    if (others) {
        log_info("run %s: this process stops; the run goes on with the workers loading its "
                 "sources (%s), and one of them takes it over", id_text, PQgetvalue(r, 0, 0));
        progress_update(board, progress_left, NULL);
    }
    PQclear(r);
    return others;
}

/* A run's end in the log: failed at error, partial or interrupted at warn,
 * the status (and the errors) as fields too, for whoever filters the log
 * on them rather than on the message. */
static void log_run_end(long long run_id, enum run_status status, const struct buf *errors)
{
    cJSON *f = cJSON_CreateObject();
    enum log_level level = status == RUN_SUCCEEDED ? LOG_INFO
                           : status == RUN_FAILED  ? LOG_ERROR
                                                   : LOG_WARN;

    cJSON_AddStringToObject(f, "status", run_status_name(status));
    if (errors->len > 0)
        cJSON_AddStringToObject(f, "error", errors->data);
    log_fields(level, f, "run %lld %s%s%s", run_id, run_status_name(status),
               errors->len ? ": " : "", buf_str(errors));
}

/* The sources (this process's workers and any that joined), then the
 * per-run steps, then the run's end; the run lock is held on `lock`. */
static void run_carry(struct db *work, struct db *lock, const struct config *cfg,
                      const struct run_request *req, struct progress_board *board,
                      const atomic_bool *cancel, struct run_result *result)
{
    struct work_plan plan = {cfg, req, result->run_id, board, cancel, (int)cfg->workers, true,
                             lock, true};
    struct buf errors = BUF_INIT;
    struct err err = {0};
    char id_text[32];
    bool cancelled;

    snprintf(id_text, sizeof id_text, "%lld", result->run_id);
    int worked = work_run(work, &plan, &err);
    cancelled = cancel != NULL && atomic_load(cancel);
    if (worked < 0 && !cancelled)
        log_error("run %lld: %s", result->run_id, err.msg);
    if (!cancelled && err_isset(&err) &&
        db_run(work, &err, sql_orphaned_work, DB_PARAMS(id_text, err.msg)) < 0)
        log_error("run %lld: %s", result->run_id, err.msg);
    err_clear(&err);
    if (!cancelled && work_fail_foreign(work, cfg, result->run_id, &err) < 0)
        log_error("run %lld: %s", result->run_id, err.msg);
    if (cancelled) {
        db_unwatch(work); /* the stop is asked: what follows must still be read */
        if (leave_run(work, req, id_text, board)) {
            result->status = RUN_RUNNING;
            result->exit_code = EXIT_OK;
            log_context(0, NULL);
            return;
        }
    }
    log_context(result->run_id, NULL);
    enum run_status status = run_outcome(work, id_text, board, cancelled, &errors);
    struct run_ctx ctx = {work, cfg, req, result->run_id, status, board, cancel, lock};
    bool held = cancelled || run_after_steps(&ctx, lock, &errors);
    if (cancel != NULL && atomic_load(cancel))
        status = RUN_INTERRUPTED;
    else if (!held)
        status = RUN_FAILED;
    else if (status == RUN_SUCCEEDED && errors.len > 0)
        status = RUN_PARTIAL;

    struct err ferr = {0};
    db_unwatch(work); /* how the run ended is recorded whatever is asked now */
    if (db_run(work, &ferr, sql_finish_run,
               DB_PARAMS(id_text, run_status_name(status), errors.len ? errors.data : NULL)) < 0)
        log_error("recording the end of run %lld: %s", result->run_id, ferr.msg);
    result->status = status;
    result->exit_code = status == RUN_SUCCEEDED ? EXIT_OK : EXIT_FAIL;
    log_run_end(result->run_id, status, &errors);
    progress_update(board, progress_end, &(struct end_arg){run_status_name(status), "done",
                                                           errors.len ? errors.data : NULL});
    log_context(0, NULL);
    buf_free(&errors);
}

static void announce(struct progress_board *board, const struct run_request *req,
                     long long run_id, const struct source_cfg **srcs, int n)
{
    log_context(run_id, NULL);
    progress_update(board, progress_begin, &(struct begin_arg){run_id, req, srcs, n});
}

static int run_body(struct db *work, struct db *lock, const struct config *cfg,
                    const struct run_request *req, struct progress_board *board,
                    const atomic_bool *cancel, struct run_result *result, struct err *err)
{
    const struct source_cfg **srcs;
    int n;

    if (select_sources(cfg, req, &srcs, &n, err) < 0)
        return -1;
    if (run_mark_abandoned(work, err) < 0 || schema_sync(work, cfg, err) < 0 ||
        source_names_upgrade(work, cfg, req->actor, err) < 0 ||
        (result->run_id = insert_run(work, cfg, req, srcs, n, err)) < 0) {
        free(srcs);
        result->run_id = 0;
        return -1;
    }
    log_context(result->run_id, NULL);
    log_info("run %lld started by %s (%s): %d source%s, %ld worker%s here", result->run_id,
             req->actor, run_trigger_name(req->trigger), n, n == 1 ? "" : "s", cfg->workers,
             cfg->workers == 1 ? "" : "s");
    announce(board, req, result->run_id, srcs, n);
    free(srcs);
    run_carry(work, lock, cfg, req, board, cancel, result);
    return 0;
}

/* The run lock on a connection of its own: 1 taken, 0 busy (err says by
 * whom, EXIT_BUSY), -1 on error. */
static int take_run_lock(struct db *lock, struct err *err)
{
    int got = db_try_lock(lock, DB_LOCK_RUN, err);

    if (got == 0) {
        char holder[256];
        run_describe_holder(lock, holder, sizeof holder);
        err_code(err, EXIT_BUSY, "another run is in progress: %s", holder);
    }
    return got;
}

int run_execute(const struct config *cfg, const struct run_request *req,
                struct progress_board *board, const atomic_bool *cancel,
                struct run_result *result, struct err *err)
{
    struct db *lock, *work;
    int rc;

    memset(result, 0, sizeof *result);
    result->exit_code = EXIT_FAIL;
    if ((lock = db_open(err)) == NULL) {
        result->exit_code = err->code;
        return -1;
    }
    if (take_run_lock(lock, err) <= 0) {
        result->exit_code = err->code;
        db_close(lock);
        return -1;
    }
    if ((work = db_open(err)) == NULL) {
        result->exit_code = err->code;
        db_close(lock);
        return -1;
    }
    db_watch(work, cancel);
    rc = run_body(work, lock, cfg, req, board, cancel, result, err);
    if (rc < 0)
        result->exit_code = err->code ? err->code : EXIT_FAIL;
    db_close(work);
    db_close(lock); /* releases the run lock */
    return rc;
}

/* The newest run in progress that has sources left, or whose process died
 * (nobody holds the run lock), and whether it showed life lately. */
static const char *sql_joinable =
    "SELECT r.id, r.trigger, r.actor, r.full_sync, r.allow_mass_delete, "
    "coalesce(extract(epoch FROM r.scheduled_for), 0), r.pid, r.host, "
    "r.heartbeat_at > now() - make_interval(secs => $2) FROM kasparro.runs r "
    "WHERE r.status = 'running' AND (EXISTS (SELECT 1 FROM kasparro.run_sources s "
    "  WHERE s.run_id = r.id AND s.status IN ('pending', 'running')) "
    "OR NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
    "  AND l.objid = $1::oid AND l.objsubid = 1 "
    "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))) "
    "ORDER BY r.id DESC LIMIT 1";

static const char *sql_run_sources =
    "SELECT source FROM kasparro.run_sources WHERE run_id = $1 ORDER BY ord";

/* Taken over by the process that now holds the run lock. */
static const char *sql_adopt =
    "UPDATE kasparro.runs SET host = $2, pid = $3, heartbeat_at = now() "
    "WHERE id = $1 AND status = 'running' RETURNING id";

/* The request a joinable run was started with, as its row tells it. */
struct joined {
    struct run_request req;
    long long id;
    char id_text[32];
    char actor[128];
    char holder[300];  /* pid N on HOST */
    bool fresh;        /* its last batch or start is recent enough to take it over */
    const struct source_cfg **srcs;
    int n;
};

static int read_joinable(struct db *db, const struct config *cfg, struct joined *j,
                         struct err *err)
{
    char key[16], within[16];
    struct err ignore = {0};
    PGresult *r;

    snprintf(key, sizeof key, "%d", (int)DB_LOCK_RUN);
    snprintf(within, sizeof within, "%d", RUN_ADOPT_WITHIN_S);
    if ((r = db_exec(db, err, sql_joinable, DB_PARAMS(key, within))) == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 0;
    }
    j->id = db_ll(r, 0, 0);
    j->fresh = db_bool(r, 0, 8);
    snprintf(j->id_text, sizeof j->id_text, "%lld", j->id);
    for (int t = TRIGGER_MANUAL; t <= TRIGGER_STARTUP; t++)
        if (strcmp(run_trigger_name((enum run_trigger)t), PQgetvalue(r, 0, 1)) == 0)
            j->req.trigger = (enum run_trigger)t;
    snprintf(j->actor, sizeof j->actor, "%s", PQgetvalue(r, 0, 2));
    j->req.actor = j->actor;
    j->req.full = db_bool(r, 0, 3);
    j->req.allow_mass_delete = db_bool(r, 0, 4);
    j->req.scheduled_for = db_double(r, 0, 5);
    snprintf(j->holder, sizeof j->holder, "pid %s on %s", PQgetvalue(r, 0, 6),
             PQgetvalue(r, 0, 7));
    PQclear(r);
    if ((r = db_exec(db, err, sql_run_sources, DB_PARAMS(j->id_text))) == NULL)
        return -1;
    j->srcs = xcalloc((size_t)PQntuples(r) + 1, sizeof *j->srcs);
    for (int i = 0; i < PQntuples(r); i++) {
        const struct source_cfg *s = config_source_find(cfg, PQgetvalue(r, i, 0), &ignore);
        if (s != NULL)
            j->srcs[j->n++] = s;
    }
    PQclear(r);
    return 1;
}

/* This process holds the run lock and the run is still 'running': its
 * process died. 1 adopted, 0 it ended meanwhile, or died too long ago to be
 * taken up again (then it is marked abandoned, as the next run would). */
static int adopt(struct db *work, const struct joined *j, struct err *err)
{
    char pid[16], host[256] = "";
    PGresult *r;
    int n;

    if (!j->fresh)
        return run_mark_abandoned(work, err) < 0 ? -1 : 0;
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    gethostname(host, sizeof host - 1);
    if ((r = db_exec(work, err, sql_adopt, DB_PARAMS(j->id_text, host, pid))) == NULL)
        return -1;
    n = PQntuples(r);
    PQclear(r);
    if (n == 1)
        log_warn("run %lld: its process (%s) ended before the run did; this process takes it "
                 "over", j->id, j->holder);
    return n;
}

/* Its process is alive: this one's workers help with the sources. 1 when
 * that process left the run meanwhile and this one took it over (the run
 * lock on `lock`, see work_plan.run_lock), else 0. An idle daemon looks
 * again every few seconds (HOST_JOIN_EVERY_S) while the run's sources are
 * held elsewhere: it says it joined the run once, not at every look. */
static int help(struct db *work, const struct config *cfg, struct joined *j,
                struct progress_board *board, const atomic_bool *cancel, struct db *lock)
{
    static atomic_llong said_for;
    struct work_plan plan = {cfg, &j->req, j->id, board, cancel, (int)cfg->workers, false, lock,
                             false};
    struct err err = {0};
    int got;

    if (atomic_exchange(&said_for, j->id) != j->id)
        log_info("run %lld: joining it with %ld worker%s", j->id, cfg->workers,
                 cfg->workers == 1 ? "" : "s");
    else
        log_debug("run %lld: looking again for a source to load", j->id);
    if ((got = work_run(work, &plan, &err)) < 0)
        log_error("run %lld: %s", j->id, err.msg);
    err_clear(&err);
    j->fresh = true; /* it went on until now */
    if (got == 1 && (got = adopt(work, j, &err)) < 0)
        log_error("run %lld: %s", j->id, err.msg);
    if (got != 1) {
        progress_update(board, progress_left, NULL);
        log_context(0, NULL);
    }
    return got;
}

int run_join(const struct config *cfg, struct progress_board *board, const atomic_bool *cancel,
             const atomic_bool *leaving, void (*found)(void *arg), void *arg, struct err *err)
{
    struct joined j = {.req.leaving = leaving};
    struct db *lock = NULL, *work = NULL;
    int rc = -1, got;

    if ((work = db_open(err)) == NULL || (got = read_joinable(work, cfg, &j, err)) < 0)
        goto out;
    rc = 0;
    if (got == 0 || j.n == 0)
        goto out;
    if ((lock = db_open(err)) == NULL || (got = db_try_lock(lock, DB_LOCK_RUN, err)) < 0 ||
        (got == 1 && (got = adopt(work, &j, err)) <= 0)) {
        rc = got < 0 || lock == NULL ? -1 : 0; /* adopt() 0: the run ended meanwhile */
        goto out;
    }
    if (found != NULL)
        found(arg);
    announce(board, &j.req, j.id, j.srcs, j.n);
    if (got == 1 || help(work, cfg, &j, board, cancel, lock) == 1) { /* the run is ours */
        struct run_result result = {.run_id = j.id};
        db_watch(work, cancel);
        run_carry(work, lock, cfg, &j.req, board, cancel, &result);
    }
out:
    free(j.srcs);
    db_close(work);
    db_close(lock);
    return rc;
}
