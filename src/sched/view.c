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
    "SELECT updated_by, extract(epoch FROM updated_at), config_cron, config_timezone "
    "FROM kasparro.scheduler WHERE job = $1";

static int view_row(struct db *db, const struct config *cfg, struct sched_view *v,
                    struct err *err)
{
    const char *cfg_zone = str_empty(cfg->timezone) ? "UTC" : cfg->timezone;
    struct sched_state st;
    PGresult *r;
    int found = sched_load(db, SCHED_JOB, &st, err);

    if (found <= 0) { /* none stored yet: what the configuration says */
        snprintf(st.cron, sizeof st.cron, "%s", cfg->cron);
        snprintf(st.timezone, sizeof st.timezone, "%s", cfg_zone);
        st.grace_s = cfg->grace_s;
        st.coalesce = cfg->coalesce;
        st.jitter_s = cfg->jitter_s;
    }
    if (found < 0)
        return -1;
    v->stored = found == 1;
    snprintf(v->cron, sizeof v->cron, "%s", st.cron);
    snprintf(v->timezone, sizeof v->timezone, "%s", st.timezone);
    v->paused = st.paused;
    v->last_fire = st.last_fire;
    v->next_fire = st.next_fire;
    v->grace_s = st.grace_s;
    v->coalesce = st.coalesce;
    v->jitter_s = st.jitter_s;
    if (!v->stored)
        return 0;
    if ((r = db_exec(db, err, sql_row, DB_PARAMS(SCHED_JOB))) == NULL)
        return -1;
    if (PQntuples(r) == 0) { /* rows are never deleted; be safe all the same */
        PQclear(r);
        return 0;
    }
    snprintf(v->updated_by, sizeof v->updated_by, "%s", PQgetvalue(r, 0, 0));
    v->updated_at = db_double(r, 0, 1);
    if (strcmp(cfg->cron, v->cron) != 0 || strcmp(cfg_zone, v->timezone) != 0) {
        snprintf(v->config_cron, sizeof v->config_cron, "%s", cfg->cron);
        v->config_pending = !str_eq(db_str(r, 0, 2), cfg->cron) || !str_eq(db_str(r, 0, 3), cfg_zone);
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
    err_copy(h->error, sizeof h->error, PQgetvalue(r, i, 6));
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
