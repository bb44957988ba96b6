/*
 * cmd-sources.c — `kasparro sources`: the configured sources with what the
 * database knows of them: live and deleted records, the checkpoint (cursor,
 * an unfinished read's position, the last complete full sync) and how the
 * source fared in its latest run (deletions it held and an operator
 * applied or discarded since say so). Deletions an earlier run held that
 * still wait for a decision are said whatever run came after: a later
 * scheduled run that failed or held nothing must not hide them.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/deletes.h"
#include "kasparro/out.h"

static const char *sql_source =
    "SELECT (SELECT count(*) FROM kasparro.records WHERE source = $1 AND NOT is_deleted), "
    "(SELECT count(*) FROM kasparro.records WHERE source = $1 AND is_deleted), "
    "c.cursor, c.position IS NOT NULL, "
    SQL_UTC_ISO("c.last_full_sync_at") ", "
    "s.run_id, s.status, s.error || CASE "
    "  WHEN h.decision = 'superseded' THEN ' (since superseded by run ' || h.superseded_by_run "
    "    || ')' "
    "  WHEN h.decision IS NOT NULL THEN ' (since ' || h.decision || ' by ' || h.decided_by || "
    "    ' at ' || " SQL_UTC_ISO("h.decided_at") " || ')' ELSE '' END, "
    "jsonb_array_length(s.drift), s.incomplete, "
    "o.run_id, o.reason, o.still "
    "FROM (SELECT 1) one "
    "LEFT JOIN kasparro.checkpoints c ON c.source = $1 "
    "LEFT JOIN LATERAL (SELECT run_id, status, error, drift, incomplete FROM kasparro.run_sources "
    "  WHERE source = $1 ORDER BY run_id DESC LIMIT 1) s ON true "
    /* a hold the latest run left, decided since: its message says so */
    "LEFT JOIN kasparro.pending_deletes h ON h.run_id = s.run_id AND h.source = $1 "
    /* the hold that waits for a decision, whichever run left it */
    "LEFT JOIN LATERAL (SELECT p.run_id, p.reason, "
    "    coalesce(r.held_deletes, p.would_delete) AS still "
    "  FROM kasparro.pending_deletes p LEFT JOIN kasparro.run_sources r "
    "    ON r.run_id = p.run_id AND r.source = p.source "
    "  WHERE p.source = $1 AND p.decision IS NULL ORDER BY p.run_id DESC LIMIT 1) o ON true";

/* The latest run's error, and after it the deletions an earlier run held
 * that still wait (the holding run's own error says so when it is the
 * latest). */
static void last_error(const PGresult *r, char *out, size_t len)
{
    const char *error = db_str(r, 0, 7);
    size_t n;

    snprintf(out, len, "%s", error != NULL ? error : "");
    if (db_str(r, 0, 10) == NULL || (db_str(r, 0, 5) != NULL && db_ll(r, 0, 5) == db_ll(r, 0, 10)))
        return;
    n = strlen(out);
    if (n > 0 && n + 2 < len)
        n += (size_t)snprintf(out + n, len - n, "; ");
    held_note(out + n, len - n, db_ll(r, 0, 10), db_ll(r, 0, 12), db_str(r, 0, 11));
}

static void add_row(struct cmd_ctx *ctx, struct table *t, const struct source_cfg *src,
                    const PGresult *r)
{
    char error[ERR_MSG_MAX];

    last_error(r, error, sizeof error);
    table_row(t);
    table_str(t, src->name);
    table_str(t, source_kind_name(src->kind));
    table_str(t, src->sync == SYNC_FULL ? "full" : "incremental");
    table_bool(t, src->enabled);
    table_str(t, src->kind == SRC_CSV ? src->path : src->url);
    table_int(t, db_ll(r, 0, 0));
    table_int(t, db_ll(r, 0, 1));
    table_str(t, db_str(r, 0, 2));
    table_bool(t, db_bool(r, 0, 3));
    table_time(t, db_str(r, 0, 4));
    if (db_str(r, 0, 5) != NULL)
        table_int(t, db_ll(r, 0, 5));
    else
        table_null(t);
    table_str(t, db_str(r, 0, 6));
    table_int(t, db_ll(r, 0, 8));
    table_str(t, error[0] != '\0' ? error : NULL);
    table_str(t, db_str(r, 0, 9));
    if (db_str(r, 0, 10) != NULL)
        table_int(t, db_ll(r, 0, 10));
    else
        table_null(t);
    (void)ctx;
}

static int sources_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct table *t = table_new();

    table_col(t, "name", "SOURCE", 0);
    table_col(t, "kind", "KIND", 0);
    table_col(t, "sync", "SYNC", 0);
    table_col(t, "enabled", "ON", 0);
    table_col(t, "location", "LOCATION", COL_WIDE);
    table_col(t, "records", "RECORDS", COL_RIGHT);
    table_col(t, "deleted", "DELETED", COL_RIGHT);
    table_col(t, "cursor", "CURSOR", 0);
    table_col(t, "resumable", "RESUME", 0);
    table_col(t, "last_full_sync", "LAST FULL SYNC (UTC)", 0);
    table_col(t, "last_run", "RUN", COL_RIGHT);
    table_col(t, "last_status", "STATUS", 0);
    table_col(t, "drift_warnings", "DRIFT", COL_RIGHT);
    table_col(t, "last_error", "ERROR", COL_WIDE);
    /* why the latest read was not whole (nothing deleted, no full sync) */
    table_col(t, "last_incomplete", "INCOMPLETE", COL_JSON_ONLY);
    /* the run whose held deletions wait for apply-deletes or discard-deletes */
    table_col(t, "held_run", "HELD", COL_JSON_ONLY);
    if (args->argc == 1 && config_source_find(ctx->cfg, args->argv[0], &ctx->err) == NULL) {
        table_free(t);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < ctx->cfg->nsources; i++) {
        const struct source_cfg *src = &ctx->cfg->sources[i];
        if (args->argc == 1 && strcmp(src->name, args->argv[0]) != 0)
            continue;
        PGresult *r = db_exec(ctx->db, &ctx->err, sql_source, DB_PARAMS(src->name));
        if (r == NULL) {
            table_free(t);
            return -1;
        }
        add_row(ctx, t, src, r);
        PQclear(r);
    }
    table_print(t, ctx, "no sources are configured");
    return EXIT_OK;
}

const struct cmd_entry cmd_sources_entry = {
    .name = "sources",
    .usage = "[--json] [SOURCE]",
    .summary = "the configured sources, their checkpoints and how their last run went",
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .arg_kind = ARG_SOURCE,
    .exec = sources_exec,
};
