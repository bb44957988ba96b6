/*
 * retire.c — retiring a source the configuration no longer names (see
 * deletes.h).
 *
 * A source removed from kasparro.conf is read by no run again, so no
 * complete read ever finds its records missing: without this they stay
 * live for ever, in entities, in the review queue's pairs and in exports.
 * Retiring soft-deletes every live record of it through the one
 * soft-delete statement (softdelete.c), in one transaction: each record
 * audited as a soft_delete with the actor and why, plus one
 * 'retire_source' row on the source with the counts. What happens next is
 * what follows any soft delete: entities drop the records at the next
 * matching pass (the command runs it at once), `restore` brings them back
 * (one by one, or all with --retired), the retention purge removes them
 * after keep_deleted.
 *
 * A retire is no read, so it records no run: deleted_by_run stays null,
 * and that is how a retired record is told from one a read deleted for
 * being missing (every other soft delete names its run). A run would have
 * put a fake read into every "latest run" that `runs`, `stats`, /health
 * and the schedule's history show.
 *
 * Refused: a configured source (its next run would load every record
 * again), the name older kasparro stored for a configured source (the next
 * run renames it, source_names.c), and a source a worker is loading right
 * now (a process whose configuration still names it: its lease, the
 * DB_LOCK_SOURCE advisory lock, is taken here for the transaction, so no
 * worker starts loading it meanwhile either).
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"

static const char *sql_lease = "SELECT pg_try_advisory_xact_lock($1::int, hashtext($2))";

/* The live records, locked against a restore or a purge meanwhile. */
static const char *sql_gather =
    "INSERT INTO pg_temp.kasparro_doomed SELECT id FROM kasparro.records "
    "WHERE source = $1 AND NOT is_deleted FOR UPDATE";

static const char *sql_count =
    "SELECT count(*) FILTER (WHERE NOT is_deleted), count(*) FILTER (WHERE is_deleted), "
    "EXISTS (SELECT 1 FROM kasparro.run_sources WHERE source = $1) "
    "FROM kasparro.records WHERE source = $1";

static const char *sql_audit =
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, reason, before, "
    "after) VALUES ($1, 'retire_source', 'source', $2, $3, "
    "jsonb_build_object('live', $4::bigint), jsonb_build_object('live', 0, 'deleted', "
    "$4::bigint, 'deleted_at', " SQL_UTC_ISO("to_timestamp($5::double precision)") "))";

/* -1 with why when `source` may not be retired (see the top). */
static int refuse(const struct config *cfg, const char *source, struct err *err)
{
    const struct source_cfg *src = config_source(cfg, source), *cut;

    if (src != NULL)
        return err_set(err,
                       "source '%s' is configured (%s, line %d): only a source removed from "
                       "the configuration is retired, since its next run would load every "
                       "record again; remove its section first (or, to stop reading it and "
                       "keep its records, set enabled = false there)",
                       source, cfg->path ? cfg->path : "kasparro.conf", src->line);
    if ((cut = config_source_cut(cfg, source, NULL)) != NULL)
        return err_set(err,
                       "source '%s' is what older kasparro stored for configured source '%s' "
                       "(%s, line %d), whose name it cut: the next run gives its records that "
                       "name; nothing to retire",
                       source, cut->name, cfg->path ? cfg->path : "kasparro.conf", cut->line);
    return 0;
}

/* 0 with the source's lease taken for the transaction, else -1. */
static int take_lease(struct db *db, const char *source, struct err *err)
{
    char key[16];
    PGresult *r;
    bool taken;

    snprintf(key, sizeof key, "%d", (int)DB_LOCK_SOURCE);
    if ((r = db_exec(db, err, sql_lease, DB_PARAMS(key, source))) == NULL)
        return -1;
    taken = db_bool(r, 0, 0);
    PQclear(r);
    if (!taken)
        return err_code(err, EXIT_BUSY,
                        "source '%s' is being loaded by a run right now (a process whose "
                        "configuration still names it); retire it once that run has ended and "
                        "the process has reloaded its configuration",
                        source);
    return 0;
}

/* The source's records: none, and no run that ever read it, is no source
 * (a usage error, as for --source); none live leaves nothing to retire,
 * nor does a source whose records were all purged (retired before). */
static int count(struct db *db, const char *source, struct retire_result *out, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_count, DB_PARAMS(source));
    bool read;

    if (r == NULL)
        return -1;
    out->live = db_ll(r, 0, 0);
    out->deleted_before = db_ll(r, 0, 1);
    read = db_bool(r, 0, 2);
    PQclear(r);
    if (out->live == 0 && out->deleted_before == 0 && read)
        return err_set(err,
                       "source '%s' has no record left: nothing to retire ('kasparro runs "
                       "--source %s' lists the runs that read it)",
                       source, source);
    if (out->live == 0 && out->deleted_before == 0)
        return err_code(err, EXIT_USAGE,
                        "source '%s' has no record in the database; 'kasparro sources' lists "
                        "the sources removed from the configuration whose records are live",
                        source);
    if (out->live == 0)
        return err_set(err,
                       "source '%s' has no live record left (%lld soft-deleted): nothing "
                       "to retire; 'kasparro deleted --source %s' lists them",
                       source, out->deleted_before, source);
    return 0;
}

static int retire_rows(struct db *db, const char *source, const char *actor,
                       struct retire_result *out, struct err *err)
{
    char reason[256], n[32], at[32];
    double now = clock_now();

    snprintf(reason, sizeof reason, "source '%s' retired by %s: removed from the configuration",
             source, actor);
    if (doomed_create(db, err) < 0 || db_run(db, err, sql_gather, DB_PARAMS(source)) < 0 ||
        (out->deleted = doomed_delete(db, &(struct doom){.at = now}, actor, reason, err)) < 0)
        return -1;
    snprintf(reason, sizeof reason,
             "removed from the configuration; %lld live record%s soft-deleted", out->deleted,
             out->deleted == 1 ? "" : "s");
    snprintf(at, sizeof at, "%.6f", now);
    return db_run(db, err, sql_audit,
                  DB_PARAMS(actor, source, reason, deletes_ll(n, sizeof n, out->deleted), at));
}

int deletes_retire(struct db *db, const struct config *cfg, const char *source, bool dry_run,
                   const char *actor, struct retire_result *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    if (refuse(cfg, source, err) < 0 || db_begin_changes(db, err) < 0)
        return -1;
    if (take_lease(db, source, err) < 0 || count(db, source, out, err) < 0 ||
        (!dry_run && (retire_rows(db, source, actor, out, err) < 0 ||
                      db_notify(db, "records", err) < 0 || db_commit(db, err) < 0))) {
        db_rollback(db);
        memset(out, 0, sizeof *out);
        return -1;
    }
    if (dry_run)
        db_rollback(db);
    return 0;
}
