/*
 * orphans.c — orphan detection and the mass-delete guard, a per-source run
 * step (see deletes.h).
 *
 * After a full read the loader's connection holds kasparro_seen, the ids
 * read in this run. What happens then, in one transaction:
 * - any full read, even a failed or resumed one, takes the ids it saw out
 *   of the source's open held sets (they are not missing after all);
 * - only a read that saw the whole source (source_run.c decides it: the
 *   source's own end, no limit, no failure, not resumed, every record
 *   identified) goes on: the live records of the source that were not seen
 *   are the orphans;
 * - the guard: more orphans than max_ratio of the live records, or a source
 *   that returned nothing (unless [deletes] on_empty), holds them in
 *   pending_deletes and ends the source 'partial' with the reason and the
 *   commands that decide; `run --allow-mass-delete` deletes anyway, audited;
 * - otherwise they are soft-deleted, one audit row each;
 * - older open holds of the source are superseded: this read decided afresh.
 * An incremental read has no seen set and never deletes.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"

static const char *sql_prune =
    "WITH p AS (DELETE FROM kasparro.pending_delete_records p USING kasparro.pending_deletes h, "
    "  kasparro.records r WHERE h.source = $1 AND h.decision IS NULL AND p.pending_id = h.id "
    "  AND r.id = p.record_id AND EXISTS (SELECT 1 FROM pg_temp.kasparro_seen s "
    "  WHERE s.source_id = r.source_id) RETURNING p.pending_id), "
    "n AS (SELECT pending_id, count(*) AS seen FROM p GROUP BY pending_id) "
    "UPDATE kasparro.run_sources rs SET held_deletes = greatest(rs.held_deletes - n.seen, 0) "
    "FROM n JOIN kasparro.pending_deletes h ON h.id = n.pending_id "
    "WHERE rs.run_id = h.run_id AND rs.source = h.source";

static const char *sql_find_orphans =
    "WITH o AS (INSERT INTO pg_temp.kasparro_doomed SELECT r.id FROM kasparro.records r "
    "  WHERE r.source = $1 AND NOT r.is_deleted AND NOT EXISTS "
    "  (SELECT 1 FROM pg_temp.kasparro_seen s WHERE s.source_id = r.source_id) RETURNING 1) "
    "SELECT count(*) FROM o";

/* The source's live records (the guard's denominator), and whether the
 * read's tally of the records it left live (loader_write.c) is theirs: the
 * same count and the same sum of id hashes. Equal, every live record was
 * seen and the anti-join above has nothing to find; one scan of the
 * source's records instead of a hash join of them with the seen set.
 * The live records are all of the source's (a) less its soft-deleted
 * ones (d): (a) needs only source and source_id, so once vacuum has
 * marked the pages all-visible (autovacuum does soon after a load) it
 * reads this source's part of the unique index on (source, source_id)
 * alone, not the table, some 13 times as large at 1M article records and
 * holding every source; (d), usually few, comes through the partial
 * indexes on is_deleted. Unvacuumed pages cost what the table's scan did. */
static const char *sql_census =
    "SELECT a.n - d.n, a.n - d.n = t.n AND a.ids - d.ids = t.ids, t.n "
    "FROM pg_temp.kasparro_tally t, "
    "(SELECT " SQL_ID_TALLY " FROM kasparro.records WHERE source = $1) a, "
    "(SELECT " SQL_ID_TALLY " FROM kasparro.records WHERE source = $1 AND is_deleted) d";

/* Ids that batches of one read loaded more than once: a later batch
 * loaded an id an earlier one had (an id repeated within a batch is
 * counted once there, and reported by the loader with its lines). How
 * many, and the first few with how often. */
static const char *sql_repeated =
    "SELECT source_id, count(*), count(*) OVER () FROM pg_temp.kasparro_seen WHERE loaded "
    "GROUP BY source_id HAVING count(*) > 1 ORDER BY source_id LIMIT 3";

static const char *sql_supersede =
    "WITH s AS (UPDATE kasparro.pending_deletes SET decision = 'superseded', decided_by = $2, "
    "  decided_at = now(), superseded_by_run = $3 WHERE source = $1 AND decision IS NULL "
    "  AND run_id <> $3 RETURNING id, run_id), "
    "rs AS (UPDATE kasparro.run_sources r SET held_deletes = 0 FROM s "
    "  WHERE r.run_id = s.run_id AND r.source = $1), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before, after) SELECT $2, 'supersede_deletes', 'run', s.run_id::text, $3, "
    "  'run ' || $3 || ' read source ' || $1 || ' completely and decided afresh', "
    "  '{\"decision\": null}', jsonb_build_object('decision', 'superseded', 'source', $1::text, "
    "  'superseded_by_run', $3::bigint) FROM s) "
    "SELECT count(*) FROM s";

static const char *sql_hold =
    "WITH h AS (INSERT INTO kasparro.pending_deletes (run_id, source, live, would_delete, "
    "  max_ratio, empty_read, reason) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id), "
    "p AS (INSERT INTO kasparro.pending_delete_records (pending_id, record_id) "
    "  SELECT h.id, d.id FROM h, pg_temp.kasparro_doomed d), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before, after) SELECT $8, 'hold_deletes', 'run', $1::text, $1, $7, NULL, "
    "  jsonb_build_object('source', $2::text, 'held', $4::bigint, 'live', $3::bigint, "
    "  'decision', null) FROM h) "
    "SELECT id FROM h";

/* What the guard saw. */
struct orphan_census {
    long long orphans, live;
    double max_ratio;
    bool empty;   /* the source returned no loadable record */
    bool tripped; /* the guard would hold */
};

static void census_judge(const struct run_source_ctx *ctx, struct orphan_census *c)
{
    const struct loader_counts *n = &ctx->counts;

    c->max_ratio =
        ctx->src->max_delete_ratio >= 0 ? ctx->src->max_delete_ratio : ctx->cfg->max_delete_ratio;
    c->empty = n->fetched - n->quarantined <= 0;
    /* on_empty trusts an empty read: it means the source really is empty */
    c->tripped =
        c->empty ? !ctx->cfg->delete_on_empty : (double)c->orphans > c->max_ratio * (double)c->live;
}

/* "would delete 30 of 100 live records (30%), above max_ratio 10%" */
static void census_describe(const struct orphan_census *c, const struct run_source_ctx *ctx,
                            char *out, size_t len)
{
    const char *key = ctx->src->max_delete_ratio >= 0 ? "max_delete_ratio" : "max_ratio";

    if (c->empty)
        snprintf(out, len,
                 "the source returned no records: would delete all %lld live records "
                 "([deletes] on_empty is off)",
                 c->live);
    else
        snprintf(out, len, "would delete %lld of %lld live records (%.3g%%), above %s %.3g%%",
                 c->orphans, c->live, 100.0 * (double)c->orphans / (double)c->live, key,
                 100.0 * c->max_ratio);
}

static int hold(struct run_source_ctx *ctx, const struct orphan_census *c, const char *why,
                struct err *err)
{
    char run[32], live[32], orphans[32], ratio[32];
    PGresult *r;

    snprintf(ratio, sizeof ratio, "%.17g", c->max_ratio);
    r = db_exec(ctx->db, err, sql_hold,
                DB_PARAMS(deletes_ll(run, sizeof run, ctx->run_id), ctx->src->name,
                          deletes_ll(live, sizeof live, c->live),
                          deletes_ll(orphans, sizeof orphans, c->orphans), ratio,
                          c->empty ? "true" : "false", why, ctx->req->actor));
    if (r == NULL)
        return -1;
    PQclear(r);
    ctx->held = c->orphans;
    ctx->downgraded = true;
    /* kept as the read's error; the console says it without "kasparro " */
    held_note(ctx->note, sizeof ctx->note, "kasparro ", ctx->run_id, -1, why);
    log_warn("source '%s': %s", ctx->src->name, ctx->note);
    return 0;
}

static int delete_orphans(struct run_source_ctx *ctx, const struct orphan_census *c,
                          const char *why, struct err *err)
{
    char reason[512];
    long long n;

    if (c->tripped)
        snprintf(reason, sizeof reason,
                 "missing from a complete read of source '%s'; the guard "
                 "was overridden with --allow-mass-delete: %s",
                 ctx->src->name, why);
    else if (c->empty)
        snprintf(reason, sizeof reason,
                 "missing from a complete read of source '%s', which "
                 "returned no records ([deletes] on_empty is on)",
                 ctx->src->name);
    else
        snprintf(reason, sizeof reason, "missing from a complete read of source '%s'",
                 ctx->src->name);
    if ((n = doomed_delete(ctx->db, &(struct doom){.run_id = ctx->run_id}, ctx->req->actor, reason,
                           err)) < 0)
        return -1;
    ctx->soft_deleted = n;
    if (c->tripped)
        log_warn("source '%s': --allow-mass-delete: soft-deleted %lld record%s; the guard would "
                 "have held them: %s",
                 ctx->src->name, n, n == 1 ? "" : "s", why);
    else if (n > 0)
        log_info("source '%s': soft-deleted %lld record%s missing from the source", ctx->src->name,
                 n, n == 1 ? "" : "s");
    return 0;
}

/* The anti-join that finds orphans is a hash join whatever the statistics
 * say: after the first load of a source into a database that holds others
 * they do not know the source at all, and the planner, expecting a handful
 * of its records, picked a nested loop over every one of them (100,000
 * records took minutes); without statistics of the seen set (analysing it
 * cost 0.4 s per million ids) it sorts both sides for a merge join, sorts
 * that spilled to disk at a million ids. The costs that forbidding the
 * other joins adds to the plan would switch on JIT compilation (0.5 s) for
 * nothing: off too, for this one statement. */
static const char *sql_hash_only =
    "SELECT set_config('enable_nestloop', 'off', true), "
    "set_config('enable_mergejoin', 'off', true), set_config('jit', 'off', true)";
static const char *sql_planner_default =
    "SELECT set_config(name, reset_val, true) FROM pg_settings "
    "WHERE name IN ('enable_nestloop', 'enable_mergejoin', 'jit')";

static PGresult *find_orphans(struct run_source_ctx *ctx, struct err *err)
{
    PGresult *r;

    if (db_run(ctx->db, err, sql_hash_only, 0, NULL) < 0)
        return NULL;
    r = db_exec(ctx->db, err, sql_find_orphans, DB_PARAMS(ctx->src->name));
    if (r != NULL && db_run(ctx->db, err, sql_planner_default, 0, NULL) < 0) {
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The repeats a tally that counts more ids than the read's live records
 * can hold (count_orphans) are found by grouping the seen set, so a read
 * that repeats nothing pays no more than the census and the anti-join,
 * and the reader keeps no ids. */
static int find_repeats(struct run_source_ctx *ctx, struct err *err)
{
    PGresult *r = db_exec(ctx->db, err, sql_repeated, 0, NULL);
    size_t len = 0;

    if (r == NULL)
        return -1;
    ctx->repeated = PQntuples(r) > 0 ? db_ll(r, 0, 2) : 0;
    ctx->repeats[0] = '\0';
    for (int i = 0; i < PQntuples(r) && len < sizeof ctx->repeats; i++)
        len += (size_t)snprintf(ctx->repeats + len, sizeof ctx->repeats - len,
                                "%s'%s' (%lld times)", i ? ", " : "", db_str(r, i, 0),
                                db_ll(r, i, 1));
    PQclear(r);
    return 0;
}

/* The live records of the source, and those of them a complete read did
 * not see: none when its tally says it saw them all, else the anti-join. */
static int count_orphans(struct run_source_ctx *ctx, struct orphan_census *c, struct err *err)
{
    PGresult *r = db_exec(ctx->db, err, sql_census, DB_PARAMS(ctx->src->name));
    bool all_seen;
    long long tallied;

    if (r == NULL)
        return -1;
    c->live = db_ll(r, 0, 0);
    all_seen = db_bool(r, 0, 1);
    tallied = db_ll(r, 0, 2);
    PQclear(r);
    if (all_seen)
        return 0;
    if (doomed_create(ctx->db, err) < 0 || (r = find_orphans(ctx, err)) == NULL)
        return -1;
    c->orphans = db_ll(r, 0, 0);
    PQclear(r);
    /* the live records the read saw, each loaded once or only quarantined,
     * number at least live - orphans - quarantined: a tally above that
     * holds a repeat, and only then is the seen set grouped (records that
     * vanished alone leave the tally at or below it) */
    if (tallied > c->live - c->orphans - ctx->counts.quarantined)
        return find_repeats(ctx, err);
    return 0;
}

/* A read that added more than a tenth of the source's records (a first read
 * always does) analyses kasparro.records, so that what runs next — the
 * matcher, the next read — is planned from statistics that know the source,
 * without waiting for autovacuum. Only the columns kasparro filters and
 * joins on: the sample's rows are read either way, but the statistics of
 * long text columns cost as much again (about 1 s against 2 s at 1M rows). */
static int fresh_statistics(struct run_source_ctx *ctx, struct err *err)
{
    long long added = ctx->counts.inserted + ctx->counts.restored;
    long long read = ctx->counts.fetched - ctx->counts.quarantined;

    if (added * 10 <= read)
        return 0;
    log_debug("source '%s': %lld of its %lld records are new: analysing kasparro.records",
              ctx->src->name, added, read);
    return db_run(ctx->db, err,
                  "ANALYZE kasparro.records (id, source, source_id, is_deleted, change_seq)", 0,
                  NULL);
}

/* The orphans of a complete read: delete or hold them; then supersede. A
 * source's first read has none (every record it has came from this read)
 * and kept no seen set. */
static int judge_orphans(struct run_source_ctx *ctx, struct err *err)
{
    struct orphan_census c = {0};
    char run[32], why[256];

    if (fresh_statistics(ctx, err) < 0)
        return -1;
    if (!ctx->first_read && count_orphans(ctx, &c, err) < 0)
        return -1;
    if (c.orphans > 0) {
        census_judge(ctx, &c);
        census_describe(&c, ctx, why, sizeof why);
        if (c.tripped && !ctx->req->allow_mass_delete ? hold(ctx, &c, why, err) < 0
                                                      : delete_orphans(ctx, &c, why, err) < 0)
            return -1;
    }
    return db_run(
        ctx->db, err, sql_supersede,
        DB_PARAMS(ctx->src->name, ctx->req->actor, deletes_ll(run, sizeof run, ctx->run_id)));
}

int orphans_step(struct run_source_ctx *ctx, struct err *err)
{
    bool judge = ctx->complete;
    char payload[48];

    if (!ctx->full)
        return 0;
    if (!ctx->complete)
        log_info("source '%s': nothing is deleted: the read did not see the whole source: %s",
                 ctx->src->name, ctx->incomplete);
    snprintf(payload, sizeof payload, "run:%lld", ctx->run_id);
    if (db_begin_changes(ctx->db, err) < 0)
        return -1;
    /* an incomplete re-sync has no census to tell whether its tally holds
     * a repeat: its seen set, which a read cut short keeps small, is
     * grouped to find them all the same */
    if (db_run(ctx->db, err, sql_prune, DB_PARAMS(ctx->src->name)) < 0 ||
        (judge && judge_orphans(ctx, err) < 0) ||
        (!judge && !ctx->first_read && find_repeats(ctx, err) < 0) ||
        db_notify(ctx->db, payload, err) < 0 ||
        db_commit(ctx->db, err) < 0) {
        db_rollback(ctx->db);
        ctx->soft_deleted = ctx->held = 0;
        return err_prefix(err, "orphan detection for source '%s'", ctx->src->name);
    }
    return 0;
}
