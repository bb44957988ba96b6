/*
 * retention.c — purging records soft-deleted longer than keep_deleted (see
 * deletes.h).
 *
 * A purge hard-deletes in batches of [retention] batch records, one
 * transaction each, so a large purge never holds long locks or one huge
 * transaction, and an interrupted purge has still finished whole batches.
 * Each batch deletes the records, their raw payloads (raw_records has no
 * foreign key, so both go in the same statement), their place in held
 * sets, their rows in restores (restored_records), their entity
 * memberships, match candidates and operator links (and an entity left with
 * no member at all), and leaves one audit row per record with its key
 * fields and when it was deleted, so what was purged stays visible. The
 * rows of restores older than keep_deleted go too, whatever their records
 * became: they are what an undo of the restore would delete again, and
 * nothing deleted that long ago is kept otherwise; they used to stay for
 * ever. A session advisory lock
 * (DB_LOCK_PURGE) keeps two purges from overlapping. The cutoff is computed
 * by the caller from clock_now(), never SQL now(), so tests can move time.
 *
 * It runs by command (`kasparro purge`) and as the last per-run step after
 * each scheduled run when [retention] purge_after_run is on. It also
 * removes payloads a crashed first load left (loader_raw.c) of sources
 * nobody loads now: the source's next load would, but a source removed from
 * the configuration has none.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"

static const char *sql_count =
    "SELECT count(*) FROM kasparro.records "
    "WHERE is_deleted AND deleted_at < to_timestamp($1::double precision)";

/* clang-format off */
static const char *sql_purge_batch =
    "WITH v AS (SELECT id FROM kasparro.records WHERE is_deleted "
    "  AND deleted_at < to_timestamp($1::double precision) ORDER BY deleted_at, id LIMIT $2 "
    "  FOR UPDATE SKIP LOCKED), "
    "raw AS (DELETE FROM kasparro.raw_records WHERE record_id IN (SELECT id FROM v)), "
    "held AS (DELETE FROM kasparro.pending_delete_records WHERE record_id IN (SELECT id FROM v)), "
    "rst AS (DELETE FROM kasparro.restored_records WHERE record_id IN (SELECT id FROM v)), "
    "mem AS (DELETE FROM kasparro.entity_members WHERE record_id IN (SELECT id FROM v) "
    "  RETURNING entity_id), "
    "cand AS (DELETE FROM kasparro.match_candidates "
    "  WHERE rec_a IN (SELECT id FROM v) OR rec_b IN (SELECT id FROM v)), "
    "lnk AS (DELETE FROM kasparro.links WHERE rec_a IN (SELECT id FROM v) OR rec_b IN (SELECT id FROM v)), "
    /* an entity all of whose members are purged goes too (its key stays
     * taken in entity_slugs); the other CTEs' deletes are not visible here */
    "ent AS (DELETE FROM kasparro.entities e WHERE e.id IN (SELECT entity_id FROM mem) "
    "  AND e.deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kasparro.entity_members m "
    "  WHERE m.entity_id = e.id AND m.record_id NOT IN (SELECT id FROM v))), "
    "old AS (DELETE FROM kasparro.records r WHERE r.id IN (SELECT id FROM v) RETURNING r.*), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before) SELECT $3, 'purge', 'record', old.id::text, $4, $5, "
    SQL_OLD_RECORD_KEYS " FROM old) "
    "SELECT count(*) FROM old";
/* clang-format on */

/* The rows of restores decided before the cutoff. */
static const char *sql_prune_restores =
    "DELETE FROM kasparro.restored_records rr USING kasparro.decisions d "
    "WHERE d.id = rr.decision_id AND d.at < to_timestamp($1::double precision)";

/* One batch in its own transaction; how many were purged, or -1. */
static long long purge_batch(struct db *db, const struct purge_request *req, const char *cutoff,
                             const char *reason, struct err *err)
{
    char batch[32], run[32];
    PGresult *r;
    long long n;

    if (db_begin(db, err) < 0)
        return -1;
    r = db_exec(db, err, sql_purge_batch,
                DB_PARAMS(cutoff, deletes_ll(batch, sizeof batch, req->batch), req->actor,
                          req->run_id > 0 ? deletes_ll(run, sizeof run, req->run_id) : NULL,
                          reason));
    if (r == NULL) {
        db_rollback(db);
        return -1;
    }
    n = db_ll(r, 0, 0);
    PQclear(r);
    if ((n > 0 && db_notify(db, "records", err) < 0) || db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return n;
}

static int purge_locked(struct db *db, const struct purge_request *req, struct purge_result *out,
                        struct err *err)
{
    char cutoff[32], when[32], reason[160];
    PGresult *r;
    long long n;

    snprintf(cutoff, sizeof cutoff, "%.6f", out->cutoff);
    snprintf(reason, sizeof reason, "soft-deleted more than %.4g days ago (before %s)",
             (double)req->older_than / 86400, clock_format(out->cutoff, when, sizeof when));
    if (req->dry_run) {
        if ((r = db_exec(db, err, sql_count, DB_PARAMS(cutoff))) == NULL)
            return -1;
        out->purged = db_ll(r, 0, 0);
        PQclear(r);
        return 0;
    }
    do {
        if (req->cancel != NULL && atomic_load(req->cancel))
            break;
        if ((n = purge_batch(db, req, cutoff, reason, err)) < 0)
            return -1;
        out->purged += n;
        out->batches += n > 0;
    } while (n == req->batch);
    if (db_run(db, err, sql_prune_restores, DB_PARAMS(cutoff)) < 0)
        return -1;
    return loader_raw_sweep_idle(db, err) < 0 ? -1 : 0;
}

int retention_purge(struct db *db, const struct purge_request *req, struct purge_result *out,
                    struct err *err)
{
    struct err unlock_err = {0};
    char when[32];
    int got, rc;

    memset(out, 0, sizeof *out);
    out->cutoff = clock_now() - (double)req->older_than;
    if (req->batch < 1)
        return err_code(err, EXIT_USAGE, "[retention] batch must be at least 1, not %ld",
                        req->batch);
    if ((got = db_try_lock(db, DB_LOCK_PURGE, err)) <= 0)
        return got < 0 ? -1 : err_code(err, EXIT_BUSY, "another purge is in progress");
    rc = purge_locked(db, req, out, err);
    if (db_unlock(db, DB_LOCK_PURGE, &unlock_err) < 0)
        log_warn("releasing the purge lock: %s", unlock_err.msg);
    if (rc == 0 && !req->dry_run && out->purged > 0)
        log_info("purged %lld record%s soft-deleted before %s", out->purged,
                 out->purged == 1 ? "" : "s", clock_format(out->cutoff, when, sizeof when));
    return rc;
}

int retention_step(struct run_ctx *ctx, struct err *err)
{
    struct purge_request req = {
        .older_than = ctx->cfg->retention_s,
        .batch = ctx->cfg->purge_batch,
        .actor = ctx->req->actor,
        .run_id = ctx->run_id,
        .cancel = ctx->cancel,
    };
    struct purge_result res;

    if (ctx->req->trigger != TRIGGER_SCHEDULE || !ctx->cfg->purge_after_run)
        return 0;
    if (retention_purge(ctx->db, &req, &res, err) == 0)
        return 0;
    if (err->code != EXIT_BUSY)
        return -1;
    log_info("retention: %s; this run skips its purge", err->msg);
    err_clear(err);
    return 0;
}
