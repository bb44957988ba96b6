/*
 * view.c — the schedule as people see it: `kasparro schedule` and the
 * console's Schedule screen (through the thread's snapshot).
 *
 * Read-only: when no scheduler has stored the job yet, the view is worked
 * out from the configuration, so a fresh install still shows its next fire
 * times.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/sched_internal.h"

static const char *sql_row =
    "SELECT cron, timezone, paused, extract(epoch FROM last_fire_at), "
    "extract(epoch FROM next_fire_at), extract(epoch FROM grace)::bigint, coalesce, "
    "extract(epoch FROM jitter)::bigint, updated_by, extract(epoch FROM updated_at), "
    "config_cron, config_timezone FROM kasparro.scheduler WHERE job = $1";

static void view_from_config(struct sched_view *v, const struct config *cfg)
{
    snprintf(v->cron, sizeof v->cron, "%s", cfg->cron);
    snprintf(v->timezone, sizeof v->timezone, "%s",
             str_empty(cfg->timezone) ? "UTC" : cfg->timezone);
    v->grace_s = cfg->grace_s;
    v->coalesce = cfg->coalesce;
    v->jitter_s = cfg->jitter_s;
}

static int view_row(struct db *db, const struct config *cfg, struct sched_view *v, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_row, DB_PARAMS(SCHED_JOB));
    const char *cfg_zone = str_empty(cfg->timezone) ? "UTC" : cfg->timezone;

    if (r == NULL)
        return -1;
    v->stored = PQntuples(r) == 1;
    if (!v->stored) {
        PQclear(r);
        view_from_config(v, cfg);
        return 0;
    }
    snprintf(v->cron, sizeof v->cron, "%s", PQgetvalue(r, 0, 0));
    snprintf(v->timezone, sizeof v->timezone, "%s", PQgetvalue(r, 0, 1));
    v->paused = db_bool(r, 0, 2);
    v->last_fire = db_double(r, 0, 3);
    v->next_fire = db_double(r, 0, 4);
    v->grace_s = db_ll(r, 0, 5);
    v->coalesce = db_bool(r, 0, 6);
    v->jitter_s = db_ll(r, 0, 7);
    snprintf(v->updated_by, sizeof v->updated_by, "%s", PQgetvalue(r, 0, 8));
    v->updated_at = db_double(r, 0, 9);
    if (strcmp(cfg->cron, v->cron) != 0 || strcmp(cfg_zone, v->timezone) != 0) {
        snprintf(v->config_cron, sizeof v->config_cron, "%s", cfg->cron);
        v->config_pending =
            !str_eq(db_str(r, 0, 10), cfg->cron) || !str_eq(db_str(r, 0, 11), cfg_zone);
    }
    PQclear(r);
    return 0;
}

/* Fire times from the anchor (or, paused, from now: what resuming gives). */
static int view_upcoming(struct sched_view *v, double now, struct err *err)
{
    struct sched_compiled cc;
    double t;

    if (sched_compile(v->cron, v->timezone, &cc, err) < 0)
        return err_prefix(err, "scheduler job '%s'", v->job);
    t = v->stored && !v->paused ? v->next_fire : sched_first_after(&cc, now, v->jitter_offset_s);
    if (!v->stored)
        v->next_fire = t;
    v->next_due = v->next_fire + (double)v->jitter_offset_s;
    for (v->nupcoming = 0; t > 0 && v->nupcoming < SCHED_UPCOMING;) {
        v->upcoming[v->nupcoming++] = t;
        long long next = cron_next(&cc.cron, cc.tz, (long long)t);
        t = next < 0 ? 0 : (double)next;
    }
    sched_compiled_free(&cc);
    return 0;
}

#define HISTORY_COLS                                                                               \
    "id, status, actor, extract(epoch FROM scheduled_for), extract(epoch FROM started_at), "       \
    "extract(epoch FROM finished_at), coalesce(error, '')"

static const char *sql_last_run =
    "SELECT " HISTORY_COLS " FROM kasparro.runs WHERE trigger = 'schedule' "
    "AND status NOT IN ('missed', 'skipped') ORDER BY id DESC LIMIT 1";
static const char *sql_recent =
    "SELECT " HISTORY_COLS " FROM kasparro.runs WHERE trigger = 'schedule' "
    "ORDER BY coalesce(scheduled_for, started_at) DESC, id DESC LIMIT $1";
static const char *sql_counts =
    "SELECT count(*) FILTER (WHERE status = 'missed'), count(*) FILTER (WHERE status = 'skipped') "
    "FROM kasparro.runs WHERE trigger = 'schedule'";

static void history_row(const PGresult *r, int i, struct sched_history *h)
{
    h->run_id = db_ll(r, i, 0);
    snprintf(h->status, sizeof h->status, "%s", PQgetvalue(r, i, 1));
    snprintf(h->actor, sizeof h->actor, "%s", PQgetvalue(r, i, 2));
    h->scheduled_for = db_double(r, i, 3);
    h->started = db_double(r, i, 4);
    h->finished = db_double(r, i, 5);
    snprintf(h->error, sizeof h->error, "%s", PQgetvalue(r, i, 6));
}

static int view_history(struct db *db, struct sched_view *v, struct err *err)
{
    char limit[16];
    PGresult *r;

    if ((r = db_exec(db, err, sql_last_run, 0, NULL)) == NULL)
        return -1;
    if (PQntuples(r) == 1)
        history_row(r, 0, &v->last_run);
    PQclear(r);
    snprintf(limit, sizeof limit, "%d", SCHED_RECENT);
    if ((r = db_exec(db, err, sql_recent, DB_PARAMS(limit))) == NULL)
        return -1;
    for (v->nrecent = 0; v->nrecent < PQntuples(r) && v->nrecent < SCHED_RECENT; v->nrecent++)
        history_row(r, v->nrecent, &v->recent[v->nrecent]);
    PQclear(r);
    if ((r = db_exec(db, err, sql_counts, 0, NULL)) == NULL)
        return -1;
    v->missed = db_ll(r, 0, 0);
    v->skipped = db_ll(r, 0, 1);
    PQclear(r);
    return 0;
}

int sched_view_load(struct db *db, const struct config *cfg, double now, struct sched_view *v,
                    struct err *err)
{
    memset(v, 0, sizeof *v);
    snprintf(v->job, sizeof v->job, "%s", SCHED_JOB);
    v->enabled = cfg->sched_enabled;
    if (view_row(db, cfg, v, err) < 0)
        return -1;
    v->jitter_offset_s = sched_jitter_offset(SCHED_JOB, v->jitter_s);
    if (view_upcoming(v, now, err) < 0)
        return -1;
    return view_history(db, v, err);
}
