/*
 * change.c — changing the scheduler's row: from the configuration file, and
 * by an operator (pause, resume, set), each audited (see sched.h).
 *
 * Every change holds the row (FOR UPDATE) like the claim does, so it can
 * never interleave with a claim in another process. The one rule that
 * matters most is in reanchor(): a changed expression recomputes the
 * next fire time from now — unless the stored one is already due, in which
 * case it stays, and the claim honours it. A reload never drops a due tick.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/sched_internal.h"

/* The expression is the row's, stored: one an earlier kasparro accepted
 * compiles as it did (cron_parse_stored); what is new was checked by
 * cron_parse where it came in (the file, schedule set). */
int sched_compile(const char *cron, const char *timezone, struct sched_compiled *cc,
                  struct err *err)
{
    memset(cc, 0, sizeof *cc);
    if (cron_parse_stored(cron, &cc->cron, err) < 0)
        return -1;
    cc->tz = tz_load(timezone, err);
    return cc->tz == NULL ? -1 : 0;
}

void sched_compiled_free(struct sched_compiled *cc)
{
    tz_free(cc->tz);
    cc->tz = NULL;
}

double sched_first_after(const struct sched_compiled *cc, double now, long long jitter)
{
    long long t = cron_next(&cc->cron, cc->tz, (long long)(now - (double)jitter));
    return t < 0 ? 0 : (double)t;
}

/* Recomputes after->next_fire for after's expression and zone: from now,
 * but (keep_due) a fire time of `st` that is already due stays, for the
 * next claim to honour. */
static int reanchor(const struct sched_state *st, struct sched_state *after, double now,
                    bool keep_due, struct err *err)
{
    long long jitter = sched_jitter_offset(SCHED_JOB, st->jitter_s);
    struct sched_compiled cc;

    if (sched_compile(after->cron, after->timezone, &cc, err) < 0)
        return -1;
    if (keep_due && st->next_fire > 0 && st->next_fire + (double)jitter <= now)
        after->next_fire = st->next_fire;
    else
        after->next_fire = sched_first_after(&cc, now, jitter);
    after->catch_up_until = 0;
    sched_compiled_free(&cc);
    return 0;
}

static cJSON *state_json(const struct sched_state *st)
{
    cJSON *o = cJSON_CreateObject();
    char when[32];

    cJSON_AddStringToObject(o, "cron", st->cron);
    cJSON_AddStringToObject(o, "timezone", st->timezone);
    cJSON_AddBoolToObject(o, "paused", st->paused);
    cJSON_AddNumberToObject(o, "grace_s", (double)st->grace_s);
    cJSON_AddBoolToObject(o, "coalesce", st->coalesce);
    cJSON_AddNumberToObject(o, "jitter_s", (double)st->jitter_s);
    if (st->next_fire > 0)
        cJSON_AddStringToObject(o, "next_fire_at", clock_format(st->next_fire, when, sizeof when));
    return o;
}

static const char *sql_audit =
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, reason, before, "
    "after) VALUES ($1, $2, 'schedule', $3, $4, $5::jsonb, $6::jsonb)";

static int audit(struct db *db, const char *actor, const char *action, const char *reason,
                 const struct sched_state *before, const struct sched_state *after, struct err *err)
{
    cJSON *b = state_json(before), *a = state_json(after);
    char *bt = cJSON_PrintUnformatted(b), *at = cJSON_PrintUnformatted(a);
    int rc = db_run(db, err, sql_audit, DB_PARAMS(actor, action, SCHED_JOB, reason, bt, at));

    cJSON_free(bt);
    cJSON_free(at);
    cJSON_Delete(b);
    cJSON_Delete(a);
    return rc;
}

static const char *sql_update =
    "UPDATE kasparro.scheduler SET cron = $2, timezone = $3, paused = $4, "
    "next_fire_at = to_timestamp($5::float8), catch_up_until = to_timestamp($6::float8), "
    "grace = make_interval(secs => $7::float8), coalesce = $8, "
    "jitter = make_interval(secs => $9::float8), config_cron = coalesce($10, config_cron), "
    "config_timezone = coalesce($11, config_timezone), updated_by = $12, "
    "updated_at = to_timestamp($13::float8) "
    "WHERE job = $1";

/* Stores `st`; config_cron/config_tz (or NULL) record what the file said. */
static int store(struct db *db, const struct sched_state *st, const char *config_cron,
                 const char *config_tz, const char *actor, double now, struct err *err)
{
    char next[40], until[40], grace[32], jitter[32], at[40];

    snprintf(grace, sizeof grace, "%lld", st->grace_s);
    snprintf(jitter, sizeof jitter, "%lld", st->jitter_s);
    return db_run(db, err, sql_update,
                  DB_PARAMS(SCHED_JOB, st->cron, st->timezone, st->paused ? "true" : "false",
                            sched_time_param(st->next_fire, next, sizeof next),
                            sched_time_param(st->catch_up_until, until, sizeof until), grace,
                            st->coalesce ? "true" : "false", jitter, config_cron, config_tz, actor,
                            sched_time_param(now, at, sizeof at)));
}

static const char *sql_create =
    "INSERT INTO kasparro.scheduler (job, cron, timezone, next_fire_at, grace, coalesce, jitter, "
    "config_cron, config_timezone, updated_by, updated_at) VALUES ($1, $2, $3, "
    "to_timestamp($4::float8), make_interval(secs => $5::float8), $6, "
    "make_interval(secs => $7::float8), $2, $3, $8, to_timestamp($9::float8)) "
    "ON CONFLICT (job) DO NOTHING";

static const char *config_zone(const struct config *cfg)
{
    return str_empty(cfg->timezone) ? "UTC" : cfg->timezone;
}

/* Begins a transaction holding the row, created from cfg if missing. */
static int begin_held(struct db *db, const struct config *cfg, const char *actor, double now,
                      struct sched_state *st, struct err *err)
{
    struct sched_compiled cc;
    char next[40], grace[32], jitter[32], at[40];

    if (sched_compile(cfg->cron, config_zone(cfg), &cc, err) < 0)
        return err_prefix(err, "config [scheduler]");
    double first = sched_first_after(&cc, now, sched_jitter_offset(SCHED_JOB, cfg->jitter_s));
    sched_compiled_free(&cc);
    snprintf(grace, sizeof grace, "%lld", cfg->grace_s);
    snprintf(jitter, sizeof jitter, "%lld", cfg->jitter_s);
    if (db_begin(db, err) < 0)
        return -1;
    if (db_run(db, err, sql_create,
               DB_PARAMS(SCHED_JOB, cfg->cron, config_zone(cfg),
                         sched_time_param(first, next, sizeof next), grace,
                         cfg->coalesce ? "true" : "false", jitter, actor,
                         sched_time_param(now, at, sizeof at))) < 0 ||
        sched_state_read(db, SCHED_JOB, true, st, err) <= 0) {
        db_rollback(db);
        return err_isset(err) ? -1 : err_set(err, "scheduler job '%s' vanished", SCHED_JOB);
    }
    return 0;
}

/* Audits, notifies and commits a change; rolls back on error. */
static int finish(struct db *db, const char *actor, const char *action, const char *reason,
                  const struct sched_state *before, const struct sched_state *after,
                  const char *config_cron, const char *config_tz, double now, struct err *err)
{
    if (store(db, after, config_cron, config_tz, actor, now, err) < 0 ||
        audit(db, actor, action, reason, before, after, err) < 0 ||
        db_notify(db, "sched:" SCHED_JOB, err) < 0 || db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

static const char *sql_config_said =
    "SELECT config_cron, config_timezone FROM kasparro.scheduler WHERE job = $1";

int sched_sync_config(struct db *db, const struct config *cfg, const char *actor, double now,
                      struct err *err)
{
    struct sched_state st, after;
    PGresult *r;
    bool file_changed;

    if (begin_held(db, cfg, actor, now, &st, err) < 0)
        return -1;
    if ((r = db_exec(db, err, sql_config_said, DB_PARAMS(SCHED_JOB))) == NULL) {
        db_rollback(db);
        return -1;
    }
    file_changed =
        !str_eq(db_str(r, 0, 0), cfg->cron) || !str_eq(db_str(r, 0, 1), config_zone(cfg));
    PQclear(r);
    after = st;
    after.grace_s = cfg->grace_s;
    after.coalesce = cfg->coalesce;
    after.jitter_s = cfg->jitter_s;
    if (file_changed) {
        snprintf(after.cron, sizeof after.cron, "%s", cfg->cron);
        snprintf(after.timezone, sizeof after.timezone, "%s", config_zone(cfg));
    }
    if (memcmp(&after, &st, sizeof st) == 0) {
        /* nothing to apply; remember what the file says, so an edit shows */
        if (file_changed && store(db, &after, cfg->cron, config_zone(cfg), actor, now, err) < 0) {
            db_rollback(db);
            return -1;
        }
        return db_commit(db, err);
    }
    if (strcmp(after.cron, st.cron) != 0 || strcmp(after.timezone, st.timezone) != 0) {
        if (reanchor(&st, &after, now, true, err) < 0) {
            db_rollback(db);
            return -1;
        }
        log_info("schedule '%s' (%s) from config '%s', was '%s' (%s)", after.cron, after.timezone,
                 cfg->path ? cfg->path : "(defaults)", st.cron, st.timezone);
    }
    char reason[512];
    snprintf(reason, sizeof reason, "config '%s'", cfg->path ? cfg->path : "(defaults)");
    return finish(db, actor, "schedule.config", reason, &st, &after, cfg->cron, config_zone(cfg),
                  now, err);
}

int sched_pause(struct db *db, const struct config *cfg, bool pause, const char *actor, double now,
                bool *changed, struct err *err)
{
    struct sched_state st, after;

    *changed = false;
    if (begin_held(db, cfg, actor, now, &st, err) < 0)
        return -1;
    if (st.paused == pause)
        return db_commit(db, err);
    after = st;
    after.paused = pause;
    if (!pause && reanchor(&st, &after, now, false, err) < 0) {
        db_rollback(db); /* fire times during the pause are not caught up */
        return -1;
    }
    *changed = true;
    return finish(db, actor, pause ? "schedule.pause" : "schedule.resume", NULL, &st, &after, NULL,
                  NULL, now, err);
}

int sched_set_cron(struct db *db, const struct config *cfg, const char *cron, const char *timezone,
                   const char *actor, double now, bool *changed, struct err *err)
{
    struct sched_state st, after;

    *changed = false;
    if (begin_held(db, cfg, actor, now, &st, err) < 0)
        return -1;
    after = st;
    snprintf(after.cron, sizeof after.cron, "%s", cron);
    if (timezone != NULL)
        snprintf(after.timezone, sizeof after.timezone, "%s", timezone);
    if (strcmp(after.cron, st.cron) == 0 && strcmp(after.timezone, st.timezone) == 0)
        return db_commit(db, err);
    if (reanchor(&st, &after, now, true, err) < 0) {
        db_rollback(db);
        return -1;
    }
    *changed = true;
    return finish(db, actor, "schedule.set", NULL, &st, &after, NULL, NULL, now, err);
}
