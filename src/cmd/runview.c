/*
 * runview.c — one run, as text and JSON (see runview.h).
 *
 * The JSON is built first and the text is printed from it, so the two can
 * never disagree.
 */
#include "kasparro/runview.h"

#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"
#include "kasparro/run.h"

static const char *sql_run =
    "SELECT id, trigger, actor, status, full_sync, "
    SQL_UTC_ISO("started_at") ", "
    SQL_UTC_ISO("finished_at") ", "
    "extract(epoch FROM coalesce(finished_at, now()) - started_at), "
    SQL_UTC_ISO("scheduled_for") ", "
    "host, pid, error, matching::text, stage, step, " SQL_RUN_SILENT("r") ", "
    SQL_UTC_ISO("heartbeat_at") " FROM kasparro.runs r WHERE id = $1";

_Static_assert(RUNVIEW_LOCK_RUN == DB_LOCK_RUN, "SQL_RUN_SILENT names the run lock");

/* A hold's columns (hold_json) from pending_deletes h and the holding
 * read's run_sources s: the records still held (later reads take out what
 * they saw again), then the hold's own. */
#define SQL_HOLD                                                                                  \
    "coalesce(s.held_deletes, 0), h.would_delete, h.decision, h.decided_by, "                    \
    SQL_UTC_ISO("h.decided_at") ", h.superseded_by_run, h.applied, h.id"

/* With the deletions the read held, if it did, and what became of them:
 * its error says "held" and how to decide as the run ended it, which a
 * later apply-deletes, discard-deletes or read of the source settles. */
static const char *sql_sources =
    "SELECT s.source, s.status, s.sync, s.fetched, s.inserted, s.updated, s.unchanged, "
    "s.quarantined, s.soft_deleted, s.restored, s.held_deletes, s.pages, s.requests, s.retries, "
    "s.bytes, s.total, s.resumed, s.complete, "
    "extract(epoch FROM coalesce(s.finished_at, now()) - s.started_at), s.drift::text, s.error, "
    "s.incomplete, s.owner, s.claims, " SQL_HOLD " "
    "FROM kasparro.run_sources s LEFT JOIN kasparro.pending_deletes h "
    "  ON h.run_id = s.run_id AND h.source = s.source "
    "WHERE s.run_id = $1 ORDER BY s.ord, s.source";

/* The first column of the hold in sql_sources. */
enum { C_HOLD = 24 };

/* The holds of some runs' reads (of one source, $2, when given), for a
 * listing: the run, the read's error as the run ended, the source, then
 * SQL_HOLD. */
static const char *sql_holds =
    "SELECT h.run_id, s.error, h.source, " SQL_HOLD " FROM kasparro.pending_deletes h "
    "LEFT JOIN kasparro.run_sources s ON s.run_id = h.run_id AND s.source = h.source "
    "WHERE h.run_id = ANY ($1::bigint[]) AND ($2::text IS NULL OR h.source = $2) "
    "ORDER BY h.run_id, s.ord, h.source";

static const char *sql_quarantine =
    "SELECT count(*) OVER (), source, location, coalesce(field, ''), reason "
    "FROM kasparro.quarantine WHERE run_id = $1 ORDER BY id LIMIT 5";

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v == NULL)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddStringToObject(o, key, v);
}

/* The SQL_HOLD columns from `col` on as {"held" (records still held),
 * "would_delete", "decision" (null while held), "by", "at",
 * "superseded_by_run", "applied"}, or null when the read held nothing. */
static cJSON *hold_json(const PGresult *r, int i, int col)
{
    static const char *keys[] = {"held", "would_delete", "decision", "by", "at",
                                 "superseded_by_run", "applied"};
    cJSON *h;

    if (PQgetisnull(r, i, col + (int)ARRAY_SIZE(keys))) /* no h.id */
        return cJSON_CreateNull();
    h = cJSON_CreateObject();
    for (int k = 0; k < (int)ARRAY_SIZE(keys); k++) {
        int c = col + k;
        if (PQgetisnull(r, i, c))
            cJSON_AddNullToObject(h, keys[k]);
        else if (k <= 1 || k >= 5)
            cJSON_AddNumberToObject(h, keys[k], (double)db_ll(r, i, c));
        else
            cJSON_AddStringToObject(h, keys[k], db_str(r, i, c));
    }
    return h;
}

static cJSON *source_json(const PGresult *r, int i)
{
    static const char *counts[] = {"fetched", "inserted", "updated", "unchanged", "quarantined",
                                   "soft_deleted", "restored", "held_deletes", "pages",
                                   "requests", "retries", "bytes"};
    cJSON *s = cJSON_CreateObject();

    add_str(s, "source", db_str(r, i, 0));
    add_str(s, "status", db_str(r, i, 1));
    add_str(s, "sync", db_str(r, i, 2));
    for (int c = 0; c < (int)ARRAY_SIZE(counts); c++)
        cJSON_AddNumberToObject(s, counts[c], (double)db_ll(r, i, 3 + c));
    if (db_str(r, i, 15) != NULL)
        cJSON_AddNumberToObject(s, "total", (double)db_ll(r, i, 15));
    else
        cJSON_AddNullToObject(s, "total");
    cJSON_AddBoolToObject(s, "resumed", db_bool(r, i, 16));
    cJSON_AddBoolToObject(s, "complete", db_bool(r, i, 17));
    cJSON_AddNumberToObject(s, "seconds", db_double(r, i, 18));
    cJSON *drift = cJSON_Parse(db_str(r, i, 19) ? db_str(r, i, 19) : "[]");
    cJSON_AddItemToObject(s, "drift", drift ? drift : cJSON_CreateArray());
    add_str(s, "error", db_str(r, i, 20));
    add_str(s, "incomplete", db_str(r, i, 21));
    add_str(s, "owner", db_str(r, i, 22));
    cJSON_AddNumberToObject(s, "claims", (double)db_ll(r, i, 23));
    cJSON_AddItemToObject(s, "hold", hold_json(r, i, C_HOLD));
    return s;
}

cJSON *runview_json(struct db *db, long long run_id, struct err *err)
{
    char id[32];
    PGresult *r;
    cJSON *run, *sources, *q;

    snprintf(id, sizeof id, "%lld", run_id);
    if ((r = db_exec(db, err, sql_run, DB_PARAMS(id))) == NULL)
        return NULL;
    if (PQntuples(r) == 0) {
        PQclear(r);
        err_missing(err, "run", run_id);
        return NULL;
    }
    run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "id", (double)db_ll(r, 0, 0));
    add_str(run, "trigger", db_str(r, 0, 1));
    add_str(run, "actor", db_str(r, 0, 2));
    add_str(run, "status", db_str(r, 0, 3));
    cJSON_AddBoolToObject(run, "full", db_bool(r, 0, 4));
    add_str(run, "started_at", db_str(r, 0, 5));
    add_str(run, "finished_at", db_str(r, 0, 6));
    if (run_status_never_ran(run_status_parse(db_str(r, 0, 3))))
        cJSON_AddNullToObject(run, "seconds"); /* a fire time that never ran took none */
    else
        cJSON_AddNumberToObject(run, "seconds", db_double(r, 0, 7));
    add_str(run, "scheduled_for", db_str(r, 0, 8));
    add_str(run, "host", db_str(r, 0, 9));
    if (db_str(r, 0, 10))
        cJSON_AddNumberToObject(run, "pid", (double)db_ll(r, 0, 10));
    add_str(run, "error", db_str(r, 0, 11));
    cJSON *matching = db_str(r, 0, 12) ? cJSON_Parse(db_str(r, 0, 12)) : NULL;
    cJSON_AddItemToObject(run, "matching", matching ? matching : cJSON_CreateNull());
    /* while it runs: the per-run step it is in and that step's phase, as
     * the process carrying it wrote them (null while the sources load) */
    add_str(run, "stage", db_str(r, 0, 13));
    add_str(run, "step", db_str(r, 0, 14));
    /* a run its process left 'running': how long it has been silent */
    add_str(run, "heartbeat_at", db_str(r, 0, 17));
    if (db_str(r, 0, 15) != NULL)
        cJSON_AddNumberToObject(run, "silent_seconds", db_double(r, 0, 15));
    else
        cJSON_AddNullToObject(run, "silent_seconds");
    cJSON_AddBoolToObject(run, "run_lock_held", db_bool(r, 0, 16));
    PQclear(r);

    sources = cJSON_AddArrayToObject(run, "sources");
    if ((r = db_exec(db, err, sql_sources, DB_PARAMS(id))) == NULL) {
        cJSON_Delete(run);
        return NULL;
    }
    for (int i = 0; i < PQntuples(r); i++)
        cJSON_AddItemToArray(sources, source_json(r, i));
    PQclear(r);

    q = cJSON_AddObjectToObject(run, "quarantine");
    if ((r = db_exec(db, err, sql_quarantine, DB_PARAMS(id))) == NULL) {
        cJSON_Delete(run);
        return NULL;
    }
    cJSON_AddNumberToObject(q, "count", PQntuples(r) ? (double)db_ll(r, 0, 0) : 0);
    cJSON *first = cJSON_AddArrayToObject(q, "first");
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *e = cJSON_CreateObject();
        add_str(e, "source", db_str(r, i, 1));
        add_str(e, "location", db_str(r, i, 2));
        add_str(e, "field", db_str(r, i, 3));
        add_str(e, "reason", db_str(r, i, 4));
        cJSON_AddItemToArray(first, e);
    }
    PQclear(r);
    return run;
}

/* A run that is going outranks the one watched, which only says how it
 * ended; only one run goes at a time (the run lock), the newest row wins
 * over an older one a dead process left 'running'. */
static const char *sql_running =
    "SELECT id FROM kasparro.runs WHERE status = 'running' OR id = $1 "
    "ORDER BY status = 'running' DESC, id DESC LIMIT 1";

cJSON *runview_running(struct db *db, long long watched, bool *none, struct err *err)
{
    char id[32];
    PGresult *r;
    long long run_id;

    *none = false;
    snprintf(id, sizeof id, "%lld", watched);
    if ((r = db_exec(db, err, sql_running, DB_PARAMS(id))) == NULL)
        return NULL;
    *none = PQntuples(r) == 0;
    run_id = *none ? 0 : db_ll(r, 0, 0);
    PQclear(r);
    return *none ? NULL : runview_json(db, run_id, err);
}

static long long jnum(const cJSON *o, const char *key) { return (long long)json_num(o, key, 0); }

/* "matching: 120 pairs compared, 14 merged automatically (2 below auto
 * 0.95, down to the review budget's p = 0.912), 3 queued (the queue holds
 * 5)", then the pass's warnings and how many more only the log has. */
static void print_matching(struct cmd_ctx *ctx, const cJSON *m)
{
    const cJSON *w;
    char below[128], confirm[64];
    long long records = jnum(m, "records"), pairs = jnum(m, "pairs");
    long long dropped = jnum(m, "warnings_dropped");

    if (!cJSON_IsObject(m))
        return;
    out_printf(ctx, "matching: %lld record%s%s, %lld pair%s compared, %lld merged automatically"
               "%s, %lld queued for review (%sthe queue holds %lld)%s\n", records,
               records == 1 ? "" : "s",
               cJSON_IsTrue(cJSON_GetObjectItem(m, "rescan")) ? " re-matched" : "", pairs,
               pairs == 1 ? "" : "s", jnum(m, "auto_merges"),
               dedup_below_auto_note(below, sizeof below, jnum(m, "below_auto"),
                                     json_num(m, "auto", 0), json_num(m, "auto_budget", 0)),
               jnum(m, "queued_now"),
               dedup_confirm_note(confirm, sizeof confirm, jnum(m, "to_confirm")),
               jnum(m, "queued"),
               cJSON_IsTrue(cJSON_GetObjectItem(m, "learned")) ? "; model re-estimated" : "");
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(m, "warnings"))
        if (cJSON_IsString(w))
            out_printf(ctx, "matching: warning: %s\n", w->valuestring);
    if (dropped > 0)
        out_printf(ctx, "matching: warning: and %lld more warning%s of the model, in the log "
                   "only\n", dropped, dropped == 1 ? "" : "s");
}

/* Whether the run's sources were shared: several workers, or a source
 * taken again after its worker ended. Then the table names the workers. */
static bool shared_run(const cJSON *run)
{
    const cJSON *s;
    const char *first = NULL;

    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources")) {
        const char *owner = json_str(s, "owner");
        if (jnum(s, "claims") > 1)
            return true;
        if (owner == NULL)
            continue;
        if (first != NULL && strcmp(first, owner) != 0)
            return true;
        first = owner;
    }
    return false;
}

void runview_hold_fate(const cJSON *hold, struct buf *b)
{
    const char *d = json_str(hold, "decision");

    if (d == NULL)
        return;
    if (str_eq(d, "applied"))
        buf_printf(b, "the held deletions were applied by %s at %s: %lld deleted",
                   json_str(hold, "by"), json_str(hold, "at"), jnum(hold, "applied"));
    else if (str_eq(d, "discarded"))
        buf_printf(b, "the held deletions were discarded by %s at %s: nothing was deleted",
                   json_str(hold, "by"), json_str(hold, "at"));
    else
        buf_printf(b, "the held deletions were superseded by run %lld at %s, which read the "
                   "source completely and decided afresh", jnum(hold, "superseded_by_run"),
                   json_str(hold, "at"));
}

/* A read's error; once its held deletions are decided, without the two
 * commands that decided them (print_hold says what became of them). */
static void print_source_error(struct cmd_ctx *ctx, const cJSON *s, long long run_id)
{
    const char *e = run_source_error(json_str(s, "source"), json_str(s, "error"));
    const cJSON *hold = cJSON_GetObjectItem(s, "hold");
    size_t n = strlen(e);

    if (hold != NULL && json_str(hold, "decision") != NULL)
        n = held_note_why_len(e, run_id);
    out_printf(ctx, "%s: %.*s\n", json_str(s, "source"), (int)n, e);
}

/* What became of the deletions a read held, once decided. */
static void print_hold(struct cmd_ctx *ctx, const cJSON *s)
{
    struct buf b = BUF_INIT;

    runview_hold_fate(cJSON_GetObjectItem(s, "hold"), &b);
    if (b.len > 0)
        out_printf(ctx, "%s: %s\n", json_str(s, "source"), b.data);
    buf_free(&b);
}

/* The i-th hold of `holds`, an array of them or one (show-run's "hold"). */
static const cJSON *hold_at(const cJSON *holds, int i)
{
    if (cJSON_IsArray(holds))
        return cJSON_GetArrayItem(holds, i);
    return i == 0 && cJSON_IsObject(holds) ? holds : NULL;
}

char *runview_deleted(long long soft_deleted, const cJSON *holds)
{
    const cJSON *h;
    long long held = 0, applied = 0;
    bool open = false, was_applied = false, discarded = false, superseded = false;
    struct buf b = BUF_INIT;

    for (int i = 0; (h = hold_at(holds, i)) != NULL; i++) {
        const char *d = json_str(h, "decision");
        if (d == NULL) {
            open = true;
            held += jnum(h, "held");
        } else if (str_eq(d, "applied")) {
            was_applied = true;
            applied += jnum(h, "applied");
        } else {
            discarded |= str_eq(d, "discarded");
            superseded |= !str_eq(d, "discarded");
        }
    }
    /* an applied hold's deletions count among the read's own */
    if (soft_deleted - applied != 0 || !(open || was_applied || discarded || superseded))
        buf_printf(&b, "%lld", soft_deleted - applied);
    if (open)
        buf_printf(&b, "%sheld %lld", b.len ? ", " : "", held);
    if (was_applied)
        buf_printf(&b, "%sapplied %lld", b.len ? ", " : "", applied);
    if (discarded)
        buf_printf(&b, "%sdiscarded", b.len ? ", " : "");
    if (superseded)
        buf_printf(&b, "%ssuperseded", b.len ? ", " : "");
    return buf_detach(&b);
}

cJSON *runview_holds(struct db *db, const long long *run_ids, int n, const char *source,
                     struct err *err)
{
    struct buf ids = BUF_INIT;
    cJSON *out = cJSON_CreateArray();
    PGresult *r;

    buf_addc(&ids, '{');
    for (int i = 0; i < n; i++) {
        buf_printf(&ids, "%s%lld", i ? "," : "", run_ids[i]);
        cJSON_AddItemToArray(out, cJSON_CreateArray());
    }
    buf_addc(&ids, '}');
    r = db_exec(db, err, sql_holds, DB_PARAMS(ids.data, source));
    buf_free(&ids);
    if (r == NULL) {
        cJSON_Delete(out);
        return NULL;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        int k = 0;
        while (k < n && run_ids[k] != db_ll(r, i, 0)) /* holds are few: a plain search */
            k++;
        if (k == n)
            continue;
        cJSON *h = cJSON_CreateObject();
        add_str(h, "source", db_str(r, i, 2));
        cJSON *hold = hold_json(r, i, 3);
        for (cJSON *f = hold->child; f != NULL; f = f->next)
            cJSON_AddItemToObject(h, f->string, cJSON_Duplicate(f, 1));
        cJSON_Delete(hold);
        add_str(h, "error", db_str(r, i, 1));
        cJSON_AddItemToArray(cJSON_GetArrayItem(out, k), h);
    }
    PQclear(r);
    return out;
}

/* Where a read's error `was` is in a run's error: the whole of it (a
 * listing of one source's reads), or one "SOURCE: was" of those the run
 * joined with "; " (run.c), so that two sources' like errors stay apart.
 * NULL when it is not there. */
static const char *error_part(const char *error, const char *source, const char *was)
{
    size_t n = strlen(source);

    if (strcmp(error, was) == 0)
        return error;
    for (const char *at = strstr(error, source); at != NULL; at = strstr(at + 1, source))
        if ((at == error || (at - error >= 2 && at[-2] == ';' && at[-1] == ' ')) &&
            at[n] == ':' && at[n + 1] == ' ' && strncmp(at + n + 2, was, strlen(was)) == 0)
            return at + n + 2;
    return NULL;
}

char *runview_error(const char *error, const cJSON *holds)
{
    struct buf b = BUF_INIT;
    const cJSON *h;

    if (error == NULL)
        return NULL;
    buf_adds(&b, error);
    for (int i = 0; (h = hold_at(holds, i)) != NULL; i++) {
        const char *was = json_str(h, "error"), *source = json_str(h, "source"), *at;
        if (was == NULL || was[0] == '\0' || source == NULL || json_str(h, "decision") == NULL ||
            (at = error_part(buf_str(&b), source, was)) == NULL)
            continue;
        struct buf fate = BUF_INIT;
        buf_printf(&fate, "%.*s", (int)(at - b.data), b.data);
        runview_hold_fate(h, &fate);
        buf_adds(&fate, at + strlen(was));
        buf_free(&b);
        b = fate;
    }
    char *out = xstrdup(buf_str(&b));
    buf_free(&b);
    return out;
}

/* 12m, 1h05m, 2d03h: a silence is ten minutes at least */
static void silence_span(double seconds, char *buf, size_t len)
{
    long s = (long)seconds;

    if (s < 3600)
        snprintf(buf, len, "%ldm", s / 60);
    else if (s < 86400)
        snprintf(buf, len, "%ldh%02ldm", s / 3600, s % 3600 / 60);
    else
        snprintf(buf, len, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
}

char *runview_silence(double seconds, bool lock_held, const char *pid, const char *host,
                      enum cmd_origin origin, bool brief)
{
    char span[32];

    silence_span(seconds, span, sizeof span);
    if (brief)
        return xasprintf("no heartbeat for %s", span);
    if (lock_held) /* alive (one long step) or hung: nothing may mark it yet */
        return xasprintf("no heartbeat for %s, yet a process (the run's, pid %s on %s, or one "
                         "taking it over) holds the run lock: busy in one long step or stuck; "
                         "once it ends, the next run ('%srun') marks this one abandoned",
                         span, pid ? pid : "?", host ? host : "?", cmd_prefix(origin));
    return xasprintf("no heartbeat for %s: its process (pid %s on %s) is gone; the next run "
                     "('%srun') marks it abandoned", span, pid ? pid : "?", host ? host : "?",
                     cmd_prefix(origin));
}

/* The line saying a run is silent (SQL_RUN_SILENT), after its first. */
static void print_silence(struct cmd_ctx *ctx, const cJSON *run)
{
    const cJSON *secs = cJSON_GetObjectItem(run, "silent_seconds");
    char pid[32], at[32];

    if (!cJSON_IsNumber(secs))
        return;
    snprintf(pid, sizeof pid, "%lld", jnum(run, "pid"));
    char *note = runview_silence(secs->valuedouble,
                                 cJSON_IsTrue(cJSON_GetObjectItem(run, "run_lock_held")),
                                 cJSON_IsNumber(cJSON_GetObjectItem(run, "pid")) ? pid : NULL,
                                 json_str(run, "host"), ctx->origin, false);
    out_printf(ctx, "warning: %s (last heartbeat %s UTC)\n", note,
               out_time(json_str(run, "heartbeat_at"), at, sizeof at));
    free(note);
}

static void print_text(struct cmd_ctx *ctx, const cJSON *run)
{
    const cJSON *s, *q = cJSON_GetObjectItem(run, "quarantine");
    struct table *t = table_new();

    const cJSON *secs = cJSON_GetObjectItem(run, "seconds");
    if (cJSON_IsNumber(secs))
        out_printf(ctx, "run %lld: %s, %s by %s, started %s, %.1fs%s\n", jnum(run, "id"),
                   json_str(run, "status"), json_str(run, "trigger"), json_str(run, "actor"),
                   json_str(run, "started_at"), secs->valuedouble,
                   cJSON_IsTrue(cJSON_GetObjectItem(run, "full")) ? " (full)" : "");
    else /* a fire time that never ran: when it was due, and when that was found */
        out_printf(ctx, "run %lld: %s, %s by %s, fire time %s, recorded %s\n", jnum(run, "id"),
                   json_str(run, "status"), json_str(run, "trigger"), json_str(run, "actor"),
                   json_str(run, "scheduled_for") ? json_str(run, "scheduled_for") : "-",
                   json_str(run, "started_at"));
    print_silence(ctx, run);
    /* the run's error repeats its sources' errors, which follow per source;
     * print it only when it says more (an after-run step failed). A run
     * recorded before run_source_error names each source twice. */
    struct buf from_sources = BUF_INIT, named_twice = BUF_INIT;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources"))
        if (json_str(s, "error") != NULL) {
            const char *src = json_str(s, "source"), *e = json_str(s, "error");
            buf_printf(&from_sources, "%s%s: %s", from_sources.len ? "; " : "", src,
                       run_source_error(src, e));
            buf_printf(&named_twice, "%s%s: %s", named_twice.len ? "; " : "", src, e);
        }
    const char *error = json_str(run, "error");
    if (error != NULL && strcmp(error, buf_str(&from_sources)) != 0 &&
        strcmp(error, buf_str(&named_twice)) != 0)
        out_printf(ctx, "error: %s\n", error);
    buf_free(&from_sources);
    buf_free(&named_twice);
    /* A narrow terminal leaves out what did not change and what was
     * restored, then the time taken, then what was updated (the JSON has
     * them all, and a row at a time brings them back): what was read,
     * new, bad and deleted stays (at 80 columns, a table) */
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "status", "STATUS", 0);
    table_col(t, "fetched", "FETCHED", COL_RIGHT);
    table_col(t, "inserted", "NEW", COL_RIGHT);
    table_col(t, "updated", "UPDATED", COL_RIGHT | COL_OPTIONAL | COL_RANK(2));
    table_col(t, "unchanged", "SAME", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "quarantined", "BAD", COL_RIGHT);
    table_col(t, "soft_deleted", "DELETED", COL_RIGHT);
    table_col(t, "restored", "RESTORED", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "seconds", "SECONDS", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    bool shared = shared_run(run);
    if (shared)
        table_col(t, "owner", "WORKER", 0);
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources")) {
        table_row(t);
        table_str(t, json_str(s, "source"));
        table_str(t, json_str(s, "status"));
        table_int(t, jnum(s, "fetched"));
        table_int(t, jnum(s, "inserted"));
        table_int(t, jnum(s, "updated"));
        table_int(t, jnum(s, "unchanged"));
        table_int(t, jnum(s, "quarantined"));
        char *deleted = runview_deleted(jnum(s, "soft_deleted"), cJSON_GetObjectItem(s, "hold"));
        table_str(t, deleted);
        free(deleted);
        table_int(t, jnum(s, "restored"));
        table_num(t, cJSON_GetObjectItem(s, "seconds")->valuedouble, 1);
        if (shared) {
            char owner[320];
            const char *who = json_str(s, "owner") ? json_str(s, "owner") : "-";
            if (jnum(s, "claims") > 1)
                snprintf(owner, sizeof owner, "%s (taken %lld times)", who, jnum(s, "claims"));
            else
                snprintf(owner, sizeof owner, "%s", who);
            table_str(t, owner);
        }
    }
    struct cmd_ctx text = *ctx;
    text.json = false;
    table_print(t, &text, "no source was read");
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources")) {
        const cJSON *w;
        if (json_str(s, "error") != NULL)
            print_source_error(ctx, s, jnum(run, "id"));
        print_hold(ctx, s);
        /* a failed or stopped read says why already */
        if (json_str(s, "incomplete") != NULL && (str_eq(json_str(s, "status"), "succeeded") ||
                                              str_eq(json_str(s, "status"), "partial")))
            out_printf(ctx, "%s: not a complete read%s: %s\n", json_str(s, "source"),
                       str_eq(json_str(s, "sync"), "full") ? ", so nothing was deleted" : "",
                       json_str(s, "incomplete"));
        cJSON_ArrayForEach(w, cJSON_GetObjectItem(s, "drift"))
            out_printf(ctx, "%s: %s: %s\n", json_str(s, "source"), run_warning_label(json_str(w, "kind")),
                       json_str(w, "message"));
    }
    print_matching(ctx, cJSON_GetObjectItem(run, "matching"));
    if (jnum(q, "count") > 0) {
        const cJSON *e;
        int listed = cJSON_GetArraySize(cJSON_GetObjectItem(q, "first"));
        char first[32] = "";

        if (jnum(q, "count") > listed)
            snprintf(first, sizeof first, ", the first %d", listed);
        out_printf(ctx, "%lld quarantined record%s%s ('%squarantine --run %lld' lists "
                   "them%s):\n", jnum(q, "count"), jnum(q, "count") == 1 ? "" : "s", first,
                   cmd_prefix(ctx->origin), jnum(run, "id"), first[0] ? " all" : "");
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(q, "first"))
            out_printf(ctx, "  %s %s: %s\n", json_str(e, "source"), json_str(e, "location"),
                       json_str(e, "reason"));
    }
}

/* An object's "error" as it reads where the command runs (cmd_stored_text). */
static void say_error(const struct cmd_ctx *ctx, cJSON *o)
{
    char *said = cmd_stored_text(ctx->origin, json_str(o, "error"));

    if (said != NULL)
        cJSON_ReplaceItemInObject(o, "error", cJSON_CreateString(said));
    free(said);
}

/* The errors a run keeps name commands as a shell types them ('kasparro
 * apply-deletes 12'): the run's and its reads', said as the reader types
 * them. */
static void say_errors(const struct cmd_ctx *ctx, cJSON *run)
{
    cJSON *s;

    say_error(ctx, run);
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources"))
        say_error(ctx, s);
}

int runview_print(struct cmd_ctx *ctx, long long run_id)
{
    cJSON *run = runview_json(ctx->db, run_id, &ctx->err);

    if (run == NULL)
        return -1;
    say_errors(ctx, run);
    if (ctx->json) {
        out_json(ctx, run);
        return EXIT_OK;
    }
    print_text(ctx, run);
    cJSON_Delete(run);
    return EXIT_OK;
}
