/*
 * source_run.c — one source within a run (see runsrc.h).
 *
 * The decisions made here, in order:
 * - full or incremental: the source's sync mode, unless the request says
 *   --full or an incremental source is due its periodic full sync;
 * - resume: an unfinished earlier read left a position in the checkpoint;
 *   the read continues there, and (because the ids seen before the crash
 *   are not in this run's seen set) no orphan detection follows it;
 * - batches: every batch_size items the loader commits the batch with the
 *   resume position after it;
 * - the end: a read that reached the source's end clears the position and,
 *   when the quarantined share stays within error_ratio, saves the cursor; a
 *   failed read keeps its position for the next run;
 * - whether the read saw the whole source (read_gap, the one place that
 *   decides it): only then may orphan detection delete, and only then does
 *   a full read count as the last complete full sync;
 * - steps: the per-source steps (orphan detection ...) see all of this.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/runsrc.h"
#include "kasparro/source.h"
#include "kasparro/textenc.h"

struct checkpoint {
    char *cursor;
    cJSON *position;
    double last_full; /* epoch seconds, 0 never */
};

static const char *sql_checkpoint =
    "SELECT cursor, position::text, coalesce(extract(epoch FROM last_full_sync_at), 0) "
    "FROM kasparro.checkpoints WHERE source = $1";

/* The row is the run's (work.c took it for us); the read's plan. */
static const char *sql_begin_source =
    "UPDATE kasparro.run_sources SET sync = $3, resumed = resumed OR $4 "
    "WHERE run_id = $1 AND source = $2";

/* The counts of loaded records are the batches' (loader_write.c); what the
 * read adds here is its own. A read stopped while its run goes on (this
 * process stops, other workers stay) goes back to the queue, its
 * checkpoint kept: the next worker resumes it. */
static const char *sql_finish_source =
    "WITH s AS (SELECT CASE WHEN $3 = 'interrupted' AND EXISTS (SELECT 1 FROM kasparro.runs "
    "  WHERE id = $1 AND status = 'running') THEN 'pending' ELSE $3 END AS status), "
    "u AS (UPDATE kasparro.run_sources rs SET status = s.status, "
    "  finished_at = CASE WHEN s.status = 'pending' THEN NULL ELSE now() END, "
    "  soft_deleted = $4, held_deletes = $5, pages = pages + $6, requests = requests + $7, "
    "  retries = retries + $8, bytes = bytes + $9, total = nullif($10::bigint, -1), "
    "  drift = $11::jsonb, complete = $12, error = $13, incomplete = $14 "
    "  FROM s WHERE rs.run_id = $1 AND rs.source = $2 RETURNING rs.status) "
    "SELECT pg_notify('kasparro', 'work:' || $1) FROM u WHERE status = 'pending'";

static int read_checkpoint(struct db *db, const char *source, struct checkpoint *cp,
                           struct err *err)
{
    PGresult *r = db_exec(db, err, sql_checkpoint, DB_PARAMS(source));

    memset(cp, 0, sizeof *cp);
    if (r == NULL)
        return -1;
    if (PQntuples(r) == 1) {
        if (db_str(r, 0, 0) != NULL)
            cp->cursor = xstrdup(db_str(r, 0, 0));
        if (db_str(r, 0, 1) != NULL)
            cp->position = cJSON_Parse(db_str(r, 0, 1));
        cp->last_full = db_double(r, 0, 2);
    }
    PQclear(r);
    return 0;
}

int cursor_compare(enum field_type type, const char *a, const char *b)
{
    double x, y;

    if (type == FT_INTEGER || type == FT_NUMBER) {
        x = strtod(a, NULL);
        y = strtod(b, NULL);
    } else if (type == FT_TIMESTAMP && clock_parse(a, &x) == 0 && clock_parse(b, &y) == 0) {
        ;
    } else {
        int c = strcmp(a, b);
        return (c > 0) - (c < 0);
    }
    return (x > y) - (x < y);
}

/* Everything one source read carries along. */
struct reading {
    struct db *db;
    const struct config *cfg;
    const struct source_cfg *src;
    const struct run_request *req;
    long long run_id;
    struct progress_board *board;
    const atomic_bool *cancel;
    const struct source_ops *ops;
    struct source *source;
    struct mapper *mapper;
    struct loader *loader;
    enum field_type cursor_type;
    char *max_cursor;
    bool full, resumed, cancelled;
    bool ended;                   /* the source returned its end (its own, or a limit's) */
    bool refused;                 /* the mapper stopped the read before any record */
    struct source_stats stats;
    double started;
    double finished;  /* clock_now() when the source was done with; 0 before */
    char stage[24];
    long long soft_deleted, held; /* from the per-source steps */
    long long items, rejected;    /* read so far, and quarantined of them */
    long long unidentified;       /* quarantined without an id */
    char *first_unidentified;     /* "line 12 (PATH): malformed CSV: ...", whole: a path or
                                     URL has no length a buffer could promise */
    char *gap;                    /* why the read did not see the whole source */
};

static void publish(struct progress *p, void *arg)
{
    struct reading *rd = arg;
    struct progress_source *ps = progress_source(p, rd->src->name);
    if (ps == NULL)
        return;
    snprintf(ps->stage, sizeof ps->stage, "%s", rd->stage);
    ps->started = rd->started;
    if (rd->finished > 0) { /* what progress.h promises once a source is finished */
        ps->finished = rd->finished;
        snprintf(ps->status, sizeof ps->status, "%s",
                 strcmp(rd->stage, "done") == 0 ? "succeeded" : rd->stage);
    }
    if (rd->loader != NULL) {
        struct loader_counts c = loader_counts(rd->loader);
        ps->fetched = rd->items;
        ps->inserted = c.inserted;
        ps->updated = c.updated;
        ps->unchanged = c.unchanged;
        ps->quarantined = rd->rejected;
        ps->restored = c.restored;
    }
    ps->soft_deleted = rd->soft_deleted;
    ps->held = rd->held;
    ps->total = rd->stats.total;
    ps->pages = rd->stats.pages;
    ps->bytes = rd->stats.bytes;
    ps->size = rd->stats.size;
}

static void refresh_stats(struct reading *rd)
{
    memset(&rd->stats, 0, sizeof rd->stats);
    rd->stats.total = rd->stats.size = -1;
    if (rd->source != NULL && rd->ops->stats != NULL)
        rd->ops->stats(rd->source, &rd->stats);
}

static void track_cursor(struct reading *rd, const struct mapped *row)
{
    const char *v = mapper_cursor_value(rd->mapper, row);

    if (v == NULL)
        return;
    if (rd->max_cursor == NULL || cursor_compare(rd->cursor_type, v, rd->max_cursor) > 0) {
        free(rd->max_cursor);
        rd->max_cursor = xstrdup(v);
    }
}

static int flush_batch(struct reading *rd, struct err *err)
{
    cJSON *pos = rd->ops->position(rd->source);
    int rc = loader_flush(rd->loader, pos, NULL, false, err);

    cJSON_Delete(pos);
    refresh_stats(rd);
    progress_update(rd->board, publish, rd);
    return rc;
}

static bool stopping(const struct reading *rd)
{
    return rd->cancel != NULL && atomic_load(rd->cancel);
}

/* A record that cannot be loaded goes to the quarantine table, named by
 * where it was read: a CSV line with the file's path (a source's path
 * changes, and the operator opens the file at that line), or an API's page
 * and record with the page's URL, which the operator can fetch again (a
 * cursor's "request 4" alone cannot be). */
static void quarantine_item(struct reading *rd, const struct src_item *item,
                            const struct mapped *row, const struct reject *why)
{
    char *where = item->origin != NULL ? xasprintf("%s (%s)", item->location, item->origin)
                                       : xstrdup(item->location);

    if (row->source_id.len == 0 && rd->unidentified++ == 0)
        rd->first_unidentified = xasprintf("%s: %s", where, why->reason);
    /* the raw text in UTF-8, as its fields were loaded: an operator reads
     * "Björn", not the file's latin-1 byte escaped; a byte the encoding
     * does not define keeps the file's text (escaped by the loader) */
    size_t raw_len = item->raw_len;
    unsigned char bad;
    char *raw = item->raw != NULL && item->raw_encoding != NULL
                    ? textenc_to_utf8(item->raw_encoding, item->raw, item->raw_len, &raw_len, &bad)
                    : NULL;
    loader_quarantine(rd->loader, where, row->source_id.data, why->field, why->reason,
                      raw != NULL ? raw : item->raw, raw != NULL ? raw_len : item->raw_len);
    free(raw);
    free(where);
}

/* Nothing of this source is what the schema names: no record is added
 * (the batch being built is never written) and the checkpoint stays as it
 * was. */
static int refuse_read(struct reading *rd, struct err *err)
{
    char *why = mapper_refusal(rd->mapper, "nothing was loaded");

    err_set(err, "%s", why);
    free(why);
    rd->refused = true;
    return -1;
}

/* Pulls items to the end; 0 at the end or when cancelled, -1 on failure. */
static int read_items(struct reading *rd, struct err *err)
{
    struct src_item item;
    struct mapped row;
    struct reject why;
    int rc = 0;

    mapped_init(&row, rd->cfg);
    for (;;) {
        if (stopping(rd)) {
            rd->cancelled = true;
            break;
        }
        rc = rd->ops->next(rd->source, &item, err);
        if (rc <= 0)
            break;
        rd->items++;
        int mapped = mapper_apply(rd->mapper, &item, &row, &why);
        if (mapped < 0) {
            rc = refuse_read(rd, err);
            break;
        }
        if (mapped != 0) {
            rd->rejected++;
            quarantine_item(rd, &item, &row, &why);
        } else {
            track_cursor(rd, &row);
            if (loader_add(rd->loader, &row, item.location, err) < 0) {
                rc = -1;
                break;
            }
        }
        if (loader_batch_full(rd->loader) &&
            (mapper_unmapped(rd->mapper) < 0 ? refuse_read(rd, err) : flush_batch(rd, err)) < 0) {
            rc = -1;
            break;
        }
    }
    mapped_free(&row, rd->cfg);
    if (rc < 0 && stopping(rd)) {
        /* a source aborts its wait (an HTTP transfer, a backoff) and the
         * server cancels the loader's statement when the run is stopped:
         * that is a stop, not a failure */
        err_clear(err);
        rd->cancelled = true;
        rc = 0;
    }
    /* a stop before the records were judged writes none of them: the next
     * read judges them afresh */
    if (rc == 0 && mapper_unmapped(rd->mapper) < 0) {
        if (rd->cancelled)
            rd->refused = true;
        else
            rc = refuse_read(rd, err);
    }
    if (rc == 0 && !rd->cancelled)
        rd->ended = true;
    return rc < 0 ? -1 : 0;
}

static double error_share(const struct reading *rd)
{
    return rd->items > 0 ? (double)rd->rejected / (double)rd->items : 0;
}

/* Whether this read saw the whole source: the one place that decides it.
 * Deletions, and whether a full read counts as the last complete full sync,
 * follow from it. A read is whole only when the source said it ended (its
 * last page, the end of the file), nothing cut it short (a failure, a
 * cancelled run, a page limit), it did not resume an interrupted read
 * (whose seen set lacks what was read before), and every record it
 * returned could be identified (a malformed line or a record without an id
 * might be any stored record). NULL when whole, else why not. */
static const char *read_gap(struct reading *rd, const struct source_outcome *out)
{
    char *g;

    if (rd->cancelled)
        g = xstrdup("the run was stopped before the source ended");
    else if (!rd->ended || out->status != SOURCE_SUCCEEDED)
        g = xstrdup("the read failed");
    else if (rd->resumed)
        g = xstrdup("it resumed an interrupted read, so the records read before the "
                    "interruption are not known to this one");
    else if (rd->stats.cut_short[0] != '\0')
        g = xstrdup(rd->stats.cut_short);
    else if (rd->unidentified > 0)
        g = rd->unidentified == 1
                ? xasprintf("1 record could not be identified (%s)", rd->first_unidentified)
                : xasprintf("%lld records could not be identified (the first, %s)",
                            rd->unidentified, rd->first_unidentified);
    else
        g = NULL;
    free(rd->gap);
    return rd->gap = g;
}

/* The last batch, and the checkpoint that says how the read ended. */
static int finish_read(struct reading *rd, bool whole, bool ratio_ok, struct err *err)
{
    bool done = rd->ended && ratio_ok;
    cJSON *pos = rd->ended ? NULL : rd->ops->position(rd->source);
    int rc = loader_flush(rd->loader, pos, done ? rd->max_cursor : NULL, whole && rd->full, err);

    cJSON_Delete(pos);
    return rc < 0 ? -1 : loader_wait(rd->loader, err);
}

/* false when the run was stopped before the steps were done */
static bool run_source_steps(struct reading *rd, struct run_source_ctx *ctx)
{
    for (size_t i = 0; i < run_nsteps; i++) {
        struct err err = {0};
        if (run_steps[i].per_source == NULL)
            continue;
        if (stopping(rd))
            return false;
        snprintf(rd->stage, sizeof rd->stage, "%s", run_steps[i].name);
        progress_update(rd->board, publish, rd);
        if (run_steps[i].per_source(ctx, &err) < 0) {
            if (stopping(rd)) /* its statement was cancelled */
                return false;
            log_error("%s: %s", run_steps[i].name, err.msg);
            ctx->downgraded = true;
            snprintf(ctx->note, sizeof ctx->note, "%s: %s", run_steps[i].name, err.msg);
        }
    }
    return true;
}

/* Ids the read met twice, as a warning of the run's report: the later
 * record replaced the earlier one, which the source's owner should hear of
 * (a bad export, an API whose pages shifted while they were read). */
static void report_repeats(const struct reading *rd, cJSON *warnings)
{
    const struct loader_repeats *r = rd->loader ? loader_repeats(rd->loader) : NULL;
    struct buf msg = BUF_INIT;

    if (r == NULL || r->count == 0)
        return;
    if (r->count == 1)
        buf_printf(&msg, "id '%s' was read twice, at %s and at %s: the later record was loaded",
                   r->ex[0].id, r->ex[0].first, r->ex[0].again);
    else
        buf_printf(&msg, "%lld records repeat the id of a record read before them, and the "
                   "later was loaded each time:", r->count);
    for (int i = 0; i < r->n && r->count > 1; i++)
        buf_printf(&msg, "%s id '%s' at %s and at %s", i ? "," : "", r->ex[i].id, r->ex[i].first,
                   r->ex[i].again);
    if (r->count > r->n && r->count > 1)
        buf_printf(&msg, ", and %lld more", r->count - r->n);
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "kind", "repeated_id");
    cJSON_AddStringToObject(w, "field", rd->src->id_field);
    cJSON_AddNumberToObject(w, "count", (double)r->count);
    cJSON_AddStringToObject(w, "message", buf_str(&msg));
    cJSON_AddItemToArray(warnings, w);
    buf_free(&msg);
}

/* A source's end in the log: its counts as fields too (the message says
 * them for people), a failed source at error, a partial or interrupted one
 * at warn. */
static void log_source_end(const char *name, enum source_status status,
                           const struct loader_counts *c)
{
    cJSON *f = cJSON_CreateObject();
    enum log_level level = status == SOURCE_SUCCEEDED ? LOG_INFO
                           : status == SOURCE_FAILED  ? LOG_ERROR
                                                      : LOG_WARN;

    cJSON_AddStringToObject(f, "status", source_status_name(status));
    cJSON_AddNumberToObject(f, "fetched", (double)c->fetched);
    cJSON_AddNumberToObject(f, "inserted", (double)c->inserted);
    cJSON_AddNumberToObject(f, "updated", (double)c->updated);
    cJSON_AddNumberToObject(f, "unchanged", (double)c->unchanged);
    cJSON_AddNumberToObject(f, "quarantined", (double)c->quarantined);
    log_fields(level, f, "source '%s' %s: %lld fetched, %lld inserted, %lld updated, "
               "%lld unchanged, %lld quarantined", name, source_status_name(status), c->fetched,
               c->inserted, c->updated, c->unchanged, c->quarantined);
}

/* Ids loaded again by a later batch of the read: the later record
 * replaced the earlier. A re-sync names them (the orphans step found them
 * in the seen set); a first read keeps no seen set, but every record it
 * updated or found unchanged is one it had loaded before. */
static void report_repeats_across(const struct reading *rd, const struct run_source_ctx *ctx,
                                  cJSON *warnings)
{
    long long first = ctx->first_read ? ctx->counts.updated + ctx->counts.unchanged : 0;
    struct buf msg = BUF_INIT;

    if (ctx->repeated > 0)
        buf_printf(&msg, "%lld id%s read again in a later batch, and the later record was "
                   "loaded each time: %s%s", ctx->repeated, ctx->repeated == 1 ? " was" : "s were",
                   ctx->repeats, ctx->repeated > 3 ? ", ..." : "");
    else if (first > 0)
        buf_printf(&msg, "%lld record%s the id of a record an earlier batch loaded, and the "
                   "later was loaded each time (a first read keeps no list of ids to name them; "
                   "the next full read names them)", first, first == 1 ? " repeats" : "s repeat");
    else
        return;
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "kind", "repeated_id");
    cJSON_AddStringToObject(w, "field", rd->src->id_field);
    cJSON_AddNumberToObject(w, "count", (double)(ctx->repeated > 0 ? ctx->repeated : first));
    cJSON_AddStringToObject(w, "message", buf_str(&msg));
    cJSON_AddItemToArray(warnings, w);
    buf_free(&msg);
}

static void record_outcome(struct reading *rd, const struct run_source_ctx *ctx,
                           const struct source_outcome *out)
{
    static const char *no = "false", *yes = "true";
    const struct loader_counts *c = &ctx->counts;
    char v[7][32], run[32];
    long long n[7] = {ctx->soft_deleted, ctx->held, rd->stats.pages, rd->stats.requests,
                      rd->stats.retries, rd->stats.bytes, rd->stats.total};
    cJSON *drift = c->fetched > 0 ? mapper_drift(rd->mapper) : cJSON_CreateArray();
    struct err err = {0};

    report_repeats(rd, drift);
    report_repeats_across(rd, ctx, drift);
    char *drift_text = cJSON_PrintUnformatted(drift);

    for (int i = 0; i < 7; i++)
        snprintf(v[i], sizeof v[i], "%lld", n[i]);
    snprintf(run, sizeof run, "%lld", rd->run_id);
    for (cJSON *w = drift->child; w != NULL; w = w->next)
        log_warn("%s: %s", run_warning_label(cJSON_GetObjectItem(w, "kind")->valuestring),
                 cJSON_GetObjectItem(w, "message")->valuestring);
    if (db_run(rd->db, &err, sql_finish_source,
               DB_PARAMS(run, rd->src->name, source_status_name(out->status), v[0], v[1], v[2],
                         v[3], v[4], v[5], v[6], drift_text, ctx->complete ? yes : no,
                         out->error[0] ? out->error : NULL, ctx->incomplete)) < 0)
        log_error("recording the outcome of source '%s': %s", rd->src->name, err.msg);
    cJSON_free(drift_text);
    cJSON_Delete(drift);
}

/* Full or incremental, and where to start. */
static void plan_read(struct reading *rd, const struct checkpoint *cp, struct source_open *how)
{
    const struct source_cfg *src = rd->src;

    rd->full = src->sync == SYNC_FULL || rd->req->full ||
               (src->full_sync_every > 0 &&
                clock_now() - cp->last_full >= (double)src->full_sync_every);
    memset(how, 0, sizeof *how);
    how->cfg = rd->cfg;
    how->src = src;
    how->cancel = rd->cancel;
    how->cursor = rd->full ? NULL : cp->cursor;
    how->resume = cp->position;
    rd->resumed = cp->position != NULL;
}

static void fail(struct source_outcome *out, enum source_status status, const char *msg)
{
    out->status = status;
    snprintf(out->error, sizeof out->error, "%s", msg);
}

#define STOPPED_BEFORE_READ "the run was stopped before this source was fully read"

/* A step that failed because the run was stopped (the stop cancels the
 * statement at the server) failed for no fault of the source: the source
 * is interrupted, and nothing is logged as an error. */
static void fail_or_stop(struct reading *rd, struct source_outcome *out, const char *msg)
{
    if (stopping(rd)) {
        rd->cancelled = true;
        fail(out, SOURCE_INTERRUPTED, STOPPED_BEFORE_READ);
        return;
    }
    fail(out, SOURCE_FAILED, msg);
    log_error("%s", msg);
}

void source_run(struct db *work, const struct config *cfg, const struct source_cfg *src,
                const struct run_request *req, long long run_id, struct progress_board *board,
                const atomic_bool *cancel, struct source_outcome *out)
{
    struct reading rd = {.db = work, .cfg = cfg, .src = src, .req = req, .run_id = run_id,
                         .board = board, .cancel = cancel, .ops = source_ops_for(src->kind)};
    struct checkpoint cp;
    struct source_open how;
    struct err err = {0};
    char run[32];
    int field = src->cursor_field ? config_field_index(cfg, src->cursor_field) : -1;

    out->status = SOURCE_SUCCEEDED;
    out->error[0] = '\0';
    rd.cursor_type = field >= 0 ? cfg->fields[field].type : FT_TEXT;
    rd.started = clock_now();
    snprintf(rd.stage, sizeof rd.stage, "fetching");
    snprintf(run, sizeof run, "%lld", run_id);
    log_context(run_id, src->name);
    if (read_checkpoint(work, src->name, &cp, &err) < 0) {
        fail_or_stop(&rd, out, err.msg);
        return;
    }
    plan_read(&rd, &cp, &how);
    if (db_run(work, &err, sql_begin_source,
               DB_PARAMS(run, src->name, rd.full ? "full" : "incremental",
                         rd.resumed ? "true" : "false")) < 0) {
        fail_or_stop(&rd, out, err.msg);
        goto out;
    }
    progress_update(board, publish, &rd);
    rd.source = rd.ops->open(&how, &err);
    rd.mapper = mapper_new(cfg, src);
    if (rd.source != NULL)
        rd.loader = loader_open(work, cfg, src, run_id, req->actor, rd.full, cancel, &err);
    if (rd.source == NULL || rd.loader == NULL || read_items(&rd, &err) < 0)
        fail_or_stop(&rd, out, err.msg);

    struct run_source_ctx ctx = {.db = work, .cfg = cfg, .src = src, .req = req,
                                 .run_id = run_id, .full = rd.full};
    refresh_stats(&rd);
    ctx.incomplete = read_gap(&rd, out);
    if (rd.loader != NULL) {
        double ratio = src->max_error_ratio >= 0 ? src->max_error_ratio : cfg->error_ratio;
        bool ratio_ok = error_share(&rd) <= ratio;
        struct err ferr = {0};
        if (rd.ended && !ratio_ok) {
            char msg[256];
            snprintf(msg, sizeof msg, "quarantined %lld of %lld records (%.0f%%), above "
                     "error_ratio %.0f%%", rd.rejected, rd.items, error_share(&rd) * 100,
                     ratio * 100);
            fail(out, SOURCE_FAILED, msg);
            log_error("%s", msg);
            ctx.incomplete = read_gap(&rd, out);
        }
        if (!rd.refused && finish_read(&rd, ctx.incomplete == NULL, ratio_ok, &ferr) < 0) {
            fail(out, SOURCE_FAILED, ferr.msg);
            ctx.incomplete = read_gap(&rd, out);
        }
        ctx.counts = loader_counts(rd.loader);
        ctx.restored = ctx.counts.restored;
        ctx.first_read = loader_first_read(rd.loader);
    }
    ctx.complete = ctx.incomplete == NULL;
    if (rd.cancelled)
        fail(out, SOURCE_INTERRUPTED, STOPPED_BEFORE_READ);
    refresh_stats(&rd);
    if (!rd.cancelled && rd.loader != NULL) {
        bool steps_done = run_source_steps(&rd, &ctx);
        rd.soft_deleted = ctx.soft_deleted;
        rd.held = ctx.held;
        if (ctx.downgraded && out->status == SOURCE_SUCCEEDED)
            fail(out, SOURCE_PARTIAL, ctx.note);
        if (!steps_done)
            fail(out, SOURCE_INTERRUPTED, "the run was stopped before this source's steps (orphan "
                 "detection ...) were done");
    }
    snprintf(rd.stage, sizeof rd.stage, "%s",
             out->status == SOURCE_SUCCEEDED ? "done" : source_status_name(out->status));
    rd.finished = clock_now();
    progress_update(board, publish, &rd);
    record_outcome(&rd, &ctx, out);
    log_source_end(src->name, out->status, &ctx.counts);
out:
    loader_close(rd.loader);
    if (rd.source != NULL)
        rd.ops->close(rd.source);
    mapper_free(rd.mapper);
    free(rd.first_unidentified);
    free(rd.gap);
    free(rd.max_cursor);
    free(cp.cursor);
    cJSON_Delete(cp.position);
}
