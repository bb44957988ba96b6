/*
 * source_names.c — a source's name as older kasparro stored it, made the
 * name the configuration gives it (source_names_upgrade, at a run's start).
 *
 * Older kasparro read [source NAME] through inih, which keeps 49 bytes of
 * a section header: a source named by more than 42 bytes was stored under
 * its first 42 ("source " is the other 7), or fewer where more blanks
 * follow "[source", as the configuration reader allows ("[source   NAME]":
 * 40; config_source_old_len). Now the name is read whole, and without this
 * the whole name would be a new source: its first read loads
 * every record again, and the records stored under the cut name are left
 * live for ever (no complete read of a configured source finds them), a
 * second source in every listing.
 *
 * So before a run begins, a stored source whose name is exactly what older
 * kasparro kept of a configured name longer than that, and is itself no
 * configured source, takes the whole name: its records, quarantine,
 * checkpoint, held deletions, run history and the matching model's partner
 * rates, in one transaction with an audit row (object 'source', action
 * 'rename_source'). Only when that is unambiguous: when two configured
 * names were both cut to it, or the whole name already holds records
 * or a checkpoint of its own, nothing is renamed and the run says why,
 * every run, until an operator has decided.
 * A configuration without a name longer than its cut costs nothing here;
 * one with costs a few index probes per run once renamed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/log.h"
#include "kasparro/source_names.h"

static const char *sql_held =
    "SELECT EXISTS (SELECT 1 FROM kasparro.records WHERE source = $1) "
    "  OR EXISTS (SELECT 1 FROM kasparro.checkpoints WHERE source = $1) "
    "  OR EXISTS (SELECT 1 FROM kasparro.run_sources WHERE source = $1), "
    "EXISTS (SELECT 1 FROM kasparro.records WHERE source = $2) "
    "  OR EXISTS (SELECT 1 FROM kasparro.checkpoints WHERE source = $2), "
    "(SELECT count(*) FROM kasparro.records WHERE source = $1)";

/* Every table that names a source by its name, in one statement, and the
 * audit row with what moved. The matching model (dedup_state.model) keeps
 * the rate at which a unique source's records have their partner in
 * another unique source under both names: an incremental pass looks them
 * up by name, and under the cut one they would no longer apply to the
 * source's new records until the model is estimated again. The matcher's
 * other tables name records by their id, which a rename keeps. */
static const char *sql_rename =
    "WITH r AS (UPDATE kasparro.records SET source = $2 WHERE source = $1 RETURNING 1), "
    "q AS (UPDATE kasparro.quarantine SET source = $2 WHERE source = $1 RETURNING 1), "
    "c AS (UPDATE kasparro.checkpoints SET source = $2 WHERE source = $1 RETURNING 1), "
    "rs AS (UPDATE kasparro.run_sources SET source = $2 WHERE source = $1 RETURNING 1), "
    "ru AS (UPDATE kasparro.runs SET sources = array_replace(sources, $1, $2) "
    "  WHERE $1 = ANY (sources) RETURNING 1), "
    "pd AS (UPDATE kasparro.pending_deletes SET source = $2 WHERE source = $1 RETURNING 1), "
    "rp AS (UPDATE kasparro.raw_pending SET source = $2 WHERE source = $1 RETURNING 1), "
    "m AS (UPDATE kasparro.dedup_state SET model = jsonb_set(model, '{partners}', "
    "  (SELECT jsonb_agg(p || CASE WHEN p->>'source' = $1 THEN jsonb_build_object('source', "
    "  $2::text) ELSE '{}' END || CASE WHEN p->>'other' = $1 THEN jsonb_build_object('other', "
    "  $2::text) ELSE '{}' END ORDER BY i) "
    "  FROM jsonb_array_elements(model->'partners') WITH ORDINALITY AS e (p, i))) "
    "  WHERE jsonb_typeof(model->'partners') = 'array' AND EXISTS (SELECT 1 FROM "
    "  jsonb_array_elements(model->'partners') p WHERE $1 IN (p->>'source', p->>'other')) "
    "  RETURNING 1) "
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, reason, before, "
    "  after) SELECT $3, 'rename_source', 'source', $2, $4, jsonb_build_object('name', $1::text), "
    "  jsonb_build_object('name', $2::text, 'records', (SELECT count(*) FROM r), "
    "  'quarantined', (SELECT count(*) FROM q), 'runs', (SELECT count(*) FROM ru)) "
    "RETURNING after->>'records', after->>'runs'";

static const char *why_renamed =
    "older kasparro read a source's name cut short; the configuration names it whole";

static int rename_one(struct db *db, const char *old, const char *name, const char *actor,
                      struct err *err)
{
    PGresult *r;

    if (db_begin_changes(db, err) < 0)
        return -1;
    r = db_exec(db, err, sql_rename, DB_PARAMS(old, name, actor, why_renamed));
    if (r == NULL || db_commit(db, err) < 0) {
        if (r != NULL)
            PQclear(r);
        db_rollback(db);
        return err_prefix(err, "renaming source '%s' to '%s'", old, name);
    }
    log_warn("source '%s': its %s records and %s runs, stored by older kasparro under '%s' (its "
             "name cut at %zu bytes), now carry its whole name ('kasparro audit --object source' "
             "shows the change)", name, db_str(r, 0, 0), db_str(r, 0, 1), old, strlen(old));
    PQclear(r);
    return 0;
}

/* The source cfg->sources[i] under the name older kasparro gave it: renamed
 * when unambiguous, else said. */
static int upgrade_one(struct db *db, const struct config *cfg, size_t i, const char *actor,
                       struct err *err)
{
    const struct source_cfg *src = &cfg->sources[i], *other;
    size_t len = config_source_old_len(src); /* at most 42: "source " is 7 */
    const char *name = src->name;
    char old[64];
    PGresult *r;
    bool stored, taken;

    if (len == 0 || strlen(name) <= len) /* a name is ASCII (config.c): its bytes, characters */
        return 0;
    snprintf(old, sizeof old, "%.*s", (int)len, name);
    if (config_source(cfg, old) != NULL)
        return 0;
    if ((r = db_exec(db, err, sql_held, DB_PARAMS(old, name))) == NULL)
        return -1;
    stored = db_bool(r, 0, 0);
    taken = db_bool(r, 0, 1);
    long long records = db_ll(r, 0, 2);
    PQclear(r);
    if (!stored)
        return 0;
    if ((other = config_source_cut(cfg, old, src)) != NULL) {
        log_warn("source '%s' in the database is no configured source: older kasparro read "
                 "source names cut at %zu bytes, and both '%s' and '%s' begin with it, so its "
                 "%lld records are renamed to neither (no complete read deletes them; "
                 "THE DATABASE in kasparro(1) says how to name them by hand)", old, len, name,
                 other->name, records);
        return 0;
    }
    if (taken) {
        log_warn("source '%s' in the database is no configured source: older kasparro stored "
                 "'%s' under it (its name cut at %zu bytes), but '%s' already holds records of "
                 "its own, so its %lld records are not merged into them (no complete read "
                 "deletes them; THE DATABASE in kasparro(1) says what to do)", old, name, len,
                 name, records);
        return 0;
    }
    return rename_one(db, old, name, actor, err);
}

int source_names_upgrade(struct db *db, const struct config *cfg, const char *actor,
                         struct err *err)
{
    for (size_t i = 0; i < cfg->nsources; i++)
        if (upgrade_one(db, cfg, i, actor, err) < 0)
            return -1;
    return 0;
}
