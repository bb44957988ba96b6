/*
 * cmd-sources.c — `kasparro sources`: the configured sources with what the
 * database knows of them: live and deleted records, the checkpoint (cursor,
 * an unfinished read's position, the last complete full sync) and how the
 * source fared in its latest run (deletions it held and an operator
 * applied or discarded since say so). Deletions an earlier run held that
 * still wait for a decision are said whatever run came after: a later
 * scheduled run that failed or held nothing must not hide them. Asked for
 * one source on a reader, it shows that source in detail instead: its
 * settings and its latest run whole, which the table cuts to the terminal.
 *
 * After the configured sources come those removed from the configuration
 * whose records are still live (no run reads them, so none ever deletes
 * them): no settings, "configured": false, and in ERROR what `retire`
 * does about them. The stored names are found by a skip scan of the
 * (source, source_id) index, one probe per source, not a pass over the
 * records.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"
#include "kasparro/run.h"
#include "kasparro/runview.h"
#include "kasparro/source.h"

/* live, deleted, ..., and (13) retired: deleted under no run, by a retire,
 * what `restore --retired` brings back */
static const char *sql_source =
    "SELECT k.live, k.deleted, "
    "c.cursor, c.position IS NOT NULL, "
    SQL_UTC_ISO("c.last_full_sync_at") ", "
    "s.run_id, s.status, s.error || CASE "
    "  WHEN h.decision = 'superseded' THEN ' (since superseded by run ' || h.superseded_by_run "
    "    || ')' "
    "  WHEN h.decision IS NOT NULL THEN ' (since ' || h.decision || ' by ' || h.decided_by || "
    "    ' at ' || " SQL_UTC_ISO("h.decided_at") " || ')' ELSE '' END, "
    "jsonb_array_length(s.drift), s.incomplete, "
    "o.run_id, o.reason, o.still, k.retired "
    "FROM (SELECT count(*) FILTER (WHERE NOT is_deleted) AS live, "
    "  count(*) FILTER (WHERE is_deleted) AS deleted, "
    "  count(*) FILTER (WHERE is_deleted AND deleted_by_run IS NULL) AS retired "
    "  FROM kasparro.records WHERE source = $1) k "
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

/* The stored source names, one index probe each. */
static const char *sql_stored =
    "WITH RECURSIVE s(source) AS (SELECT min(source) FROM kasparro.records UNION ALL "
    "SELECT (SELECT min(source) FROM kasparro.records WHERE source > s.source) FROM s "
    "WHERE s.source IS NOT NULL) SELECT source FROM s WHERE source IS NOT NULL";

/* The deletions an earlier run held that still wait for a decision (the
 * holding run's own error says so when it is the latest): false if none. */
static bool earlier_hold(const struct cmd_ctx *ctx, const PGresult *r, char *out, size_t len)
{
    if (db_str(r, 0, 10) == NULL || (db_str(r, 0, 5) != NULL && db_ll(r, 0, 5) == db_ll(r, 0, 10)))
        return false;
    held_note(out, len, cmd_prefix(ctx->origin), db_ll(r, 0, 10), db_ll(r, 0, 12),
              db_str(r, 0, 11));
    return true;
}

/* The latest run's error, and after it an earlier run's waiting hold, as
 * they read where the command runs. */
static void last_error(const struct cmd_ctx *ctx, const PGresult *r, char *out, size_t len)
{
    char *error = cmd_stored_text(ctx->origin, db_str(r, 0, 7) ? db_str(r, 0, 7) : "");
    char hold[ERR_MSG_MAX];

    if (earlier_hold(ctx, r, hold, sizeof hold))
        snprintf(out, len, "%s%s%s", error, error[0] ? "; " : "", hold);
    else
        snprintf(out, len, "%s", error);
    free(error);
}

/* What a source removed from the configuration is, and what to do about
 * it: retire it, or (the name older kasparro cut from a configured one)
 * nothing, since the next run renames it. */
static void removed_note(const struct cmd_ctx *ctx, const char *name, const PGresult *r,
                         char *out, size_t len)
{
    const struct source_cfg *cut = config_source_cut(ctx->cfg, name, NULL);
    long long live = db_ll(r, 0, 0), deleted = db_ll(r, 0, 1), retired = db_ll(r, 0, 13);

    if (cut != NULL)
        snprintf(out, len, "the name older kasparro stored for source '%s': the next run "
                 "renames it", cut->name);
    else if (live == 0 && deleted == 0) /* retired (or deleted by its reads), then purged */
        snprintf(out, len, "removed from the configuration; no record left");
    else if (live == 0 && retired > 0) /* retired, not purged yet: still restorable */
        snprintf(out, len, "removed from the configuration; no live record left: "
                 "'%srestore --retired %s' brings back its %lld retired record%s",
                 cmd_prefix(ctx->origin), name, retired, retired == 1 ? "" : "s");
    else if (live == 0)
        snprintf(out, len, "removed from the configuration; no live record left");
    else
        snprintf(out, len, "removed from the configuration: '%sretire %s' soft-deletes its "
                 "%lld live record%s", cmd_prefix(ctx->origin), name, live, live == 1 ? "" : "s");
}

/* The source's settings, or nulls for one removed (and its note as the
 * error in *error). */
static void add_settings(struct cmd_ctx *ctx, struct table *t, const char *name,
                         const struct source_cfg *src, const PGresult *r, char *error,
                         size_t len)
{
    table_row(t);
    table_str(t, name);
    if (src == NULL) {
        removed_note(ctx, name, r, error, len);
        for (int i = 0; i < 4; i++)
            table_null(t);
        return;
    }
    char *where = source_location(ctx->cfg, src);
    last_error(ctx, r, error, len);
    table_str(t, source_kind_name(src->kind));
    table_str(t, src->sync == SYNC_FULL ? "full" : "incremental");
    table_bool(t, src->enabled);
    table_str(t, where);
    free(where);
}

static void add_row(struct cmd_ctx *ctx, struct table *t, const char *name,
                    const struct source_cfg *src, const PGresult *r)
{
    char error[ERR_MSG_MAX];

    add_settings(ctx, t, name, src, r, error, sizeof error);
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
    table_bool(t, src != NULL);
}

static void print_mapping(struct cmd_ctx *ctx, const struct source_cfg *src)
{
    if (src->nmaps == 0) {
        out_printf(ctx, "  mapping     automatic: each field from the column or key of its name\n");
        return;
    }
    out_printf(ctx, "  mapping     ");
    for (size_t i = 0; i < src->nmaps; i++)
        out_printf(ctx, "%s%s \xe2\x86\x92 %s", i ? ", " : "", src->maps[i].from, src->maps[i].to);
    out_printf(ctx, "\n");
}

/* What a source reads and how, from the configuration as loaded now. */
static void print_config(struct cmd_ctx *ctx, const struct source_cfg *src)
{
    struct buf how = BUF_INIT;
    char every[32], *where = source_location(ctx->cfg, src);

    config_source_describe(src, &how);
    out_printf(ctx, "source %s \xc2\xb7 %s, %s sync%s\n", src->name, source_kind_name(src->kind),
               src->sync == SYNC_FULL ? "full" : "incremental", src->enabled ? "" : ", disabled");
    out_printf(ctx, "  location    %s\n  reading     %s\n  id          %s\n", where,
               buf_str(&how), src->id_field ? src->id_field : "-");
    print_mapping(ctx, src);
    if (src->sync == SYNC_INCREMENTAL && src->full_sync_every > 0)
        out_printf(ctx, "  cursor      the largest %s read; a full sync every %s\n",
                   src->cursor_field ? src->cursor_field : "-",
                   format_duration(src->full_sync_every, every, sizeof every));
    else if (src->sync == SYNC_INCREMENTAL)
        out_printf(ctx, "  cursor      the largest %s read; no full sync but 'run --full'\n",
                   src->cursor_field ? src->cursor_field : "-");
    if (src->unique)
        out_printf(ctx, "  unique      lists each thing once (matched to at most one record of "
                        "each other unique source)\n");
    buf_free(&how);
    free(where);
}

/* The source's part of its latest run, whole: the table cuts errors and
 * warnings to the terminal's width. */
static int print_last_run(struct cmd_ctx *ctx, const char *name, const struct source_cfg *src,
                          const PGresult *r)
{
    if (db_str(r, 0, 5) == NULL) {
        out_printf(ctx, "no run has read it yet\n");
        return EXIT_OK;
    }
    cJSON *run = runview_json(ctx->db, db_ll(r, 0, 5), &ctx->err), *s, *w;
    if (run == NULL)
        return -1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources")) {
        if (!str_eq(json_str(s, "source"), name))
            continue;
        out_printf(ctx, "last run %lld: %s, started %s\n", db_ll(r, 0, 5), db_str(r, 0, 6),
                   json_str(run, "started_at"));
        bool held = json_num(s, "held_deletes", 0) > 0;
        out_printf(ctx, "  %.0f fetched \xc2\xb7 %.0f new \xc2\xb7 %.0f updated \xc2\xb7 %.0f same "
                        "\xc2\xb7 %.0f bad \xc2\xb7 %.0f %s \xc2\xb7 %.0f restored \xc2\xb7 %.1fs\n",
                   json_num(s, "fetched", 0), json_num(s, "inserted", 0), json_num(s, "updated", 0),
                   json_num(s, "unchanged", 0), json_num(s, "quarantined", 0),
                   json_num(s, held ? "held_deletes" : "soft_deleted", 0),
                   held ? "deletions held" : "deleted", json_num(s, "restored", 0),
                   json_num(s, "seconds", 0));
        char *error = cmd_stored_text(ctx->origin, db_str(r, 0, 7)), hold[ERR_MSG_MAX];
        if (error != NULL)
            out_printf(ctx, "  error: %s\n", error);
        free(error);
        if (earlier_hold(ctx, r, hold, sizeof hold))
            out_printf(ctx, "  %s\n", hold);
        /* a failed or stopped read says why already */
        if (db_str(r, 0, 9) != NULL &&
            (str_eq(db_str(r, 0, 6), "succeeded") || str_eq(db_str(r, 0, 6), "partial")))
            out_printf(ctx, "  not a complete read%s: %s\n",
                       src == NULL || src->sync == SYNC_FULL ? ", so nothing was deleted" : "",
                       db_str(r, 0, 9));
        cJSON_ArrayForEach(w, cJSON_GetObjectItem(s, "drift"))
            out_printf(ctx, "  %s: %s\n", run_warning_label(json_str(w, "kind")),
                       json_str(w, "message"));
    }
    cJSON_Delete(run);
    return EXIT_OK;
}

/* `kasparro sources SOURCE` for a reader: the source in detail (one removed
 * from the configuration: what it left, and what to do about it). */
static int print_detail(struct cmd_ctx *ctx, const char *name, const struct source_cfg *src,
                        const PGresult *r)
{
    char at[32], note[ERR_MSG_MAX];

    if (src != NULL) {
        print_config(ctx, src);
    } else {
        removed_note(ctx, name, r, note, sizeof note);
        out_printf(ctx, "source %s \xc2\xb7 %s\n", name, note);
    }
    out_printf(ctx, "  records     %lld live, %lld deleted\n", db_ll(r, 0, 0), db_ll(r, 0, 1));
    out_printf(ctx, "  checkpoint  cursor %s \xc2\xb7 unfinished read %s \xc2\xb7 last full sync %s\n",
               db_str(r, 0, 2) ? db_str(r, 0, 2) : "-", db_bool(r, 0, 3) ? "yes" : "no",
               db_str(r, 0, 4) ? out_time(db_str(r, 0, 4), at, sizeof at) : "never");
    return print_last_run(ctx, name, src, r);
}

/* One source's row, or with `detail` the source in detail. A name the
 * configuration does not have shows only when the database knows it: it
 * has records, or a run read it (*known says which). The listing has a row
 * only for one whose records are live; asked for by name (`known` given),
 * one with none left has its row too, which says it was removed, as the
 * detail does. */
static int source_row(struct cmd_ctx *ctx, struct table *t, const char *name,
                      const struct source_cfg *src, bool detail, bool *known)
{
    PGresult *r = db_exec(ctx->db, &ctx->err, sql_source, DB_PARAMS(name));
    int rc = EXIT_OK;

    if (r == NULL)
        return -1;
    bool stored = db_ll(r, 0, 0) > 0 || db_ll(r, 0, 1) > 0 || db_str(r, 0, 5) != NULL;
    if (known != NULL)
        *known = stored;
    if (detail && (src != NULL || stored))
        rc = print_detail(ctx, name, src, r);
    else if (!detail && (src != NULL || db_ll(r, 0, 0) > 0 || (known != NULL && stored)))
        add_row(ctx, t, name, src, r);
    PQclear(r);
    return rc;
}

/* After the configured sources, those removed from the configuration
 * whose records are still live. */
static int add_removed(struct cmd_ctx *ctx, struct table *t)
{
    PGresult *r = db_exec(ctx->db, &ctx->err, sql_stored, 0, NULL);
    int rc = 0;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        const char *name = PQgetvalue(r, i, 0);
        if (config_source(ctx->cfg, name) == NULL)
            rc = source_row(ctx, t, name, NULL, false, NULL);
    }
    PQclear(r);
    return rc;
}

static int sources_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *only = args->argc == 1 ? args->argv[0] : NULL;
    struct table *t = table_new();
    int rc = 0;

    /* `sources NAME` has every field whole. A narrow terminal leaves out
     * the checkpoint, then the location, then the kind, and cuts the
     * error, as the console's Sources screen shows them */
    table_col(t, "name", "SOURCE", 0);
    table_col(t, "kind", "KIND", COL_OPTIONAL | COL_RANK(2));
    table_col(t, "sync", "SYNC", 0);
    table_col(t, "enabled", "ON", 0);
    table_col(t, "location", "LOCATION", COL_ELASTIC | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "records", "RECORDS", COL_RIGHT);
    table_col(t, "deleted", "DELETED", COL_RIGHT);
    table_col(t, "cursor", "CURSOR", COL_OPTIONAL);
    table_col(t, "resumable", "RESUME", COL_OPTIONAL);
    table_col(t, "last_full_sync", "LAST FULL SYNC (UTC)", COL_OPTIONAL);
    table_col(t, "last_run", "RUN", COL_RIGHT);
    table_col(t, "last_status", "STATUS", 0);
    table_col(t, "drift_warnings", "DRIFT", COL_RIGHT);
    table_col(t, "last_error", "ERROR", COL_ELASTIC);
    /* why the latest read was not whole (nothing deleted, no full sync) */
    table_col(t, "last_incomplete", "INCOMPLETE", COL_JSON_ONLY);
    /* the run whose held deletions wait for apply-deletes or discard-deletes */
    table_col(t, "held_run", "HELD", COL_JSON_ONLY);
    /* false: removed from the configuration (ERROR: what is left of it) */
    table_col(t, "configured", "CONFIGURED", COL_JSON_ONLY);
    if (only != NULL) {
        /* one removed from the configuration shows while the database
         * knows it: records, or runs (all purged, retired first: `stats`
         * and `runs --source` still name it), in detail or as its row
         * ("configured": false, its ERROR what is left of it); any other
         * is a usage error */
        const struct source_cfg *src = config_source(ctx->cfg, only);
        bool known;
        rc = source_row(ctx, t, only, src, !ctx->json, &known);
        if (rc == 0 && src == NULL && !known &&
            config_source_find(ctx->cfg, only, &ctx->err) == NULL)
            rc = EXIT_USAGE;
    } else {
        for (size_t i = 0; i < ctx->cfg->nsources && rc == 0; i++)
            rc = source_row(ctx, t, ctx->cfg->sources[i].name, &ctx->cfg->sources[i], false, NULL);
        if (rc == 0)
            rc = add_removed(ctx, t);
    }
    if (rc != 0 || (only != NULL && !ctx->json)) {
        table_free(t);
        return rc;
    }
    table_print(t, ctx, "no sources are configured");
    return EXIT_OK;
}

const struct cmd_entry cmd_sources_entry = {
    .name = "sources",
    .usage = "[--json] [SOURCE]",
    .summary = "the configured sources, their checkpoints and how their last run went (and "
               "those removed whose records are live), or one in detail",
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .arg_kind = ARG_SOURCE,
    .exec = sources_exec,
};
