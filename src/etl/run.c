/*
 * run.c — one ingestion run, from lock to final status (see run.h).
 *
 * Connections: `lock` holds the run lock (a session advisory lock) and
 * nothing else, so a long load never delays it and a dead process releases
 * it; `work` does everything else. Any run still marked 'running' when we
 * hold the lock belongs to a process that died: it is marked 'abandoned'.
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

const char *run_trigger_name(enum run_trigger t)
{
    static const char *names[] = {"manual", "schedule", "startup"};
    return names[t];
}

static const char *const run_status_names[] = {
    [RUN_RUNNING] = "running",         [RUN_SUCCEEDED] = "succeeded", [RUN_PARTIAL] = "partial",
    [RUN_FAILED] = "failed",           [RUN_INTERRUPTED] = "interrupted",
    [RUN_ABANDONED] = "abandoned",     [RUN_MISSED] = "missed",       [RUN_SKIPPED] = "skipped",
};

const char *run_status_name(enum run_status s) { return run_status_names[s]; }

int run_status_parse(const char *name)
{
    for (size_t i = 0; name != NULL && i < ARRAY_SIZE(run_status_names); i++)
        if (strcmp(run_status_names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *source_status_name(enum source_status s)
{
    static const char *const names[] = {
        [SOURCE_SUCCEEDED] = "succeeded", [SOURCE_PARTIAL] = "partial",
        [SOURCE_FAILED] = "failed",       [SOURCE_INTERRUPTED] = "interrupted",
    };
    return names[s];
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

static const char *sql_insert_run =
    "INSERT INTO kasparro.runs (trigger, actor, scheduled_for, status, full_sync, sources, host, "
    "pid) VALUES ($1, $2, to_timestamp($3::double precision), 'running', $4, $5::text[], $6, $7) "
    "RETURNING id";

/* A source whose outcome could not be recorded is not left 'running'. */
static const char *sql_finish_run =
    "WITH u AS (UPDATE kasparro.runs SET status = $2, finished_at = now(), heartbeat_at = now(), "
    "error = $3 WHERE id = $1), "
    "s AS (UPDATE kasparro.run_sources SET status = 'interrupted', finished_at = now() "
    "  WHERE run_id = $1 AND status = 'running') "
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

static long long insert_run(struct db *db, const struct run_request *req,
                            const struct source_cfg **srcs, int n, struct err *err)
{
    struct buf names = BUF_INIT;
    char when[32], pid[16], host[256] = "";
    PGresult *r;
    long long id;

    buf_addc(&names, '{');
    for (int i = 0; i < n; i++)
        buf_printf(&names, "%s\"%s\"", i ? "," : "", srcs[i]->name);
    buf_addc(&names, '}');
    snprintf(when, sizeof when, "%.3f", req->scheduled_for);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    gethostname(host, sizeof host - 1);
    r = db_exec(db, err, sql_insert_run,
                DB_PARAMS(run_trigger_name(req->trigger), req->actor,
                          req->scheduled_for > 0 ? when : NULL, req->full ? "true" : "false",
                          names.data, host, pid));
    buf_free(&names);
    if (r == NULL)
        return -1;
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
    if (a->stage != NULL)
        snprintf(p->stage, sizeof p->stage, "%s", a->stage);
    if (a->error != NULL)
        snprintf(p->error, sizeof p->error, "%s", a->error);
}

static void set_stage(struct progress_board *b, const char *stage)
{
    struct end_arg a = {NULL, stage, NULL};
    progress_update(b, progress_end, &a);
}

/* After all sources: the per-run steps, in table order. */
static void run_after_steps(struct run_ctx *ctx, struct buf *errors)
{
    for (size_t i = 0; i < run_nsteps; i++) {
        struct err err = {0};
        if (run_steps[i].per_run == NULL)
            continue;
        if (ctx->cancel != NULL && atomic_load(ctx->cancel))
            return;
        set_stage(ctx->board, run_steps[i].name);
        if (run_steps[i].per_run(ctx, &err) < 0) {
            log_error("%s: %s", run_steps[i].name, err.msg);
            buf_printf(errors, "%s%s: %s", errors->len ? "; " : "", run_steps[i].name, err.msg);
        }
    }
}

static enum run_status overall_status(const struct source_outcome *o, int n, bool cancelled)
{
    int ok = 0, failed = 0;

    if (cancelled)
        return RUN_INTERRUPTED;
    for (int i = 0; i < n; i++) {
        ok += o[i].status == SOURCE_SUCCEEDED;
        failed += o[i].status == SOURCE_FAILED;
    }
    if (ok == n)
        return RUN_SUCCEEDED;
    return failed == n ? RUN_FAILED : RUN_PARTIAL;
}

static int run_body(struct db *work, const struct config *cfg, const struct run_request *req,
                    struct progress_board *board, const atomic_bool *cancel,
                    struct run_result *result, struct err *err)
{
    const struct source_cfg **srcs;
    int n;
    struct buf errors = BUF_INIT;
    char id_text[32];

    if (select_sources(cfg, req, &srcs, &n, err) < 0)
        return -1;
    if (run_mark_abandoned(work, err) < 0 || schema_sync(work, cfg, err) < 0 ||
        (result->run_id = insert_run(work, req, srcs, n, err)) < 0) {
        free(srcs);
        result->run_id = 0;
        return -1;
    }
    snprintf(id_text, sizeof id_text, "%lld", result->run_id);
    log_context(result->run_id, NULL);
    log_info("run %lld started by %s (%s): %d source%s", result->run_id, req->actor,
             run_trigger_name(req->trigger), n, n == 1 ? "" : "s");
    progress_update(board, progress_begin, &(struct begin_arg){result->run_id, req, srcs, n});

    struct source_outcome *outcomes = xcalloc((size_t)n, sizeof *outcomes);
    bool cancelled = false;
    for (int i = 0; i < n && !cancelled; i++) {
        source_run(work, cfg, srcs[i], req, result->run_id, board, cancel, &outcomes[i]);
        if (outcomes[i].error[0] != '\0')
            buf_printf(&errors, "%s%s: %s", errors.len ? "; " : "", srcs[i]->name,
                       outcomes[i].error);
        cancelled = cancel != NULL && atomic_load(cancel);
    }
    log_context(result->run_id, NULL);
    enum run_status status = overall_status(outcomes, n, cancelled);
    struct run_ctx ctx = {work, cfg, req, result->run_id, status, board, cancel};
    if (!cancelled)
        run_after_steps(&ctx, &errors);
    if (cancel != NULL && atomic_load(cancel))
        status = RUN_INTERRUPTED;
    else if (status == RUN_SUCCEEDED && errors.len > 0)
        status = RUN_PARTIAL;

    struct err ferr = {0};
    db_unwatch(work); /* how the run ended is recorded whatever is asked now */
    if (db_run(work, &ferr, sql_finish_run,
               DB_PARAMS(id_text, run_status_name(status), errors.len ? errors.data : NULL)) < 0)
        log_error("recording the end of run %lld: %s", result->run_id, ferr.msg);
    result->status = status;
    result->exit_code = status == RUN_SUCCEEDED ? EXIT_OK : EXIT_FAIL;
    log_info("run %lld %s%s%s", result->run_id, run_status_name(status), errors.len ? ": " : "",
             buf_str(&errors));
    progress_update(board, progress_end, &(struct end_arg){run_status_name(status), "done",
                                                           errors.len ? errors.data : NULL});
    log_context(0, NULL);
    buf_free(&errors);
    free(outcomes);
    free(srcs);
    return 0;
}

int run_execute(const struct config *cfg, const struct run_request *req,
                struct progress_board *board, const atomic_bool *cancel,
                struct run_result *result, struct err *err)
{
    struct db *lock, *work;
    int got, rc;

    memset(result, 0, sizeof *result);
    result->exit_code = EXIT_FAIL;
    if ((lock = db_open(err)) == NULL) {
        result->exit_code = err->code;
        return -1;
    }
    got = db_try_lock(lock, DB_LOCK_RUN, err);
    if (got <= 0) {
        if (got == 0) {
            char holder[256];
            run_describe_holder(lock, holder, sizeof holder);
            err_code(err, EXIT_BUSY, "another run is in progress: %s", holder);
        }
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
    rc = run_body(work, cfg, req, board, cancel, result, err);
    if (rc < 0)
        result->exit_code = err->code ? err->code : EXIT_FAIL;
    db_close(work);
    db_close(lock); /* releases the run lock */
    return rc;
}
