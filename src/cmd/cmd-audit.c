/*
 * cmd-audit.c — `kasparro audit`: the audit log, newest first. Every
 * deletion, restore, purge and guard decision (and every matching decision)
 * is a row: who, when, what, on which object, in which run, why, and the
 * object before and after. A text line summarises the change ("record 259:
 * entity 183 → 106", "is_deleted: false → true"); --json has before and
 * after whole. Rows of an operator decision carry its id, so `undo 7` and
 * the approve it reverted are both found by --object decision:7.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/audit.h"
#include "kasparro/buf.h"
#include "kasparro/out.h"

static const char *sql_audit =
    "SELECT a.id, " SQL_UTC_ISO("a.at") ", a.actor, a.action, "
    "a.object_type, a.object_id, a.run_id, a.decision_id, a.reason, a.before::text, "
    "a.after::text, count(*) OVER () "
    "FROM kasparro.audit_log a WHERE ($1::text IS NULL "
    "OR (a.object_type = $1 AND ($2::text IS NULL OR a.object_id = $2)) "
    "OR ($1 = 'decision' AND a.decision_id::text = $2) "
    "OR ($1 = 'candidate' AND a.decision_id IN (SELECT d.id FROM kasparro.decisions d "
    "  WHERE d.candidate_id::text = $2 OR EXISTS (SELECT 1 FROM "
    "  jsonb_array_elements(d.before->'candidates') c WHERE c->>'id' = $2)))) "
    "AND ($3::double precision IS NULL OR a.at >= to_timestamp($3)) "
    "AND ($4::text IS NULL OR a.action = $4) AND ($5::bigint IS NULL OR a.run_id = $5) "
    "AND ($7::bigint IS NULL OR a.id < $7) "
    "ORDER BY a.id DESC LIMIT $6";

/* Cells of a value in the CHANGE line: a field's whole text would make
 * one row of a page of them; the footer says where the rest is. */
#define AUDIT_VALUE_CELLS 40

/* A value as short text: strings bare, the rest as JSON, cut on a whole
 * character at AUDIT_VALUE_CELLS, ending in "…" (*cut then set). */
static void add_value(struct buf *b, const cJSON *v, bool *cut)
{
    char *s = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v), when[32];
    char fit[AUDIT_VALUE_CELLS * 4 + 8];
    /* a time reads as the text of every other table does */
    const char *text = s ? s : out_time(v->valuestring, when, sizeof when);

    if (utf8_width(text) > AUDIT_VALUE_CELLS) {
        utf8_fit(fit, sizeof fit, text, AUDIT_VALUE_CELLS);
        *cut = true;
        text = fit;
    }
    buf_adds(b, text);
    cJSON_free(s);
}

/* Which records changed entity between two [[record, entity], ...] lists. */
static void summarise_members(struct buf *b, const cJSON *before, const cJSON *after)
{
    const cJSON *a, *m;
    int moved = 0;

    cJSON_ArrayForEach(a, after) {
        double rec = cJSON_GetNumberValue(cJSON_GetArrayItem(a, 0));
        double to = cJSON_GetNumberValue(cJSON_GetArrayItem(a, 1)), from = to;
        cJSON_ArrayForEach(m, before)
            if (cJSON_GetNumberValue(cJSON_GetArrayItem(m, 0)) == rec)
                from = cJSON_GetNumberValue(cJSON_GetArrayItem(m, 1));
        if (from == to)
            continue;
        if (moved++ < 4)
            buf_printf(b, "%srecord %.0f: entity %.0f → %.0f", b->len ? ", " : "", rec, from, to);
    }
    if (moved > 4)
        buf_printf(b, " and %d more", moved - 4);
    else if (moved == 0 && before != NULL)
        buf_printf(b, "%sno record changed entity", b->len ? ", " : "");
    else if (moved == 0)
        buf_printf(b, "%s%d records' entities recorded", b->len ? ", " : "",
                   cJSON_GetArraySize(after));
}

/* One line for a change: the record it is about, then what changed. */
static char *summarise(const char *before_text, const char *after_text, bool *cut)
{
    cJSON *before = before_text ? cJSON_Parse(before_text) : NULL;
    cJSON *after = after_text ? cJSON_Parse(after_text) : NULL;
    const cJSON *src = cJSON_GetObjectItem(before, "source"),
                *sid = cJSON_GetObjectItem(before, "source_id"), *v;
    struct buf b = BUF_INIT;

    buf_adds(&b, "");
    if (cJSON_IsString(src) && cJSON_IsString(sid))
        buf_printf(&b, "%s/%s", src->valuestring, sid->valuestring);
    if (cJSON_IsArray(cJSON_GetObjectItem(after, "members")))
        summarise_members(&b, cJSON_GetObjectItem(before, "members"),
                          cJSON_GetObjectItem(after, "members"));
    cJSON_ArrayForEach(v, after) {
        const cJSON *old = cJSON_GetObjectItem(before, v->string);
        if (strcmp(v->string, "members") == 0 || (old != NULL && cJSON_Compare(old, v, true)))
            continue;
        buf_printf(&b, "%s%s", b.len ? ", " : "", v->string);
        if (old != NULL) {
            buf_adds(&b, ": ");
            add_value(&b, old, cut);
            buf_adds(&b, " → ");
        } else {
            buf_adds(&b, " = ");
        }
        add_value(&b, v, cut);
    }
    if (after == NULL && before != NULL)
        buf_printf(&b, "%sremoved", b.len ? ": " : "");
    cJSON_Delete(before);
    cJSON_Delete(after);
    return buf_detach(&b);
}

static void json_cell(struct table *t, const char *text)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;

    table_json(t, text ? text : "-", j ? j : cJSON_CreateNull());
}

static void id_cell(struct table *t, const PGresult *r, int i, int c)
{
    if (db_str(r, i, c) != NULL)
        table_int(t, db_ll(r, i, c));
    else
        table_null(t);
}

static struct table *audit_table(void)
{
    struct table *t = table_new();

    /* Its fixed columns take about 80 cells: a narrower terminal leaves out
     * RUN, DECISION, then CHANGE (each row's object names the run or the
     * decision it is about, and one row at a time shows them all) before
     * the notes are cut to a stub, and then cuts them, so the log still
     * reads as a table. */
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "at", "AT (UTC)", 0);
    table_col(t, "actor", "ACTOR", 0);
    table_col(t, "action", "ACTION", 0);
    table_col(t, "object_type", "TYPE", 0);
    table_col(t, "object_id", "OBJECT", 0);
    table_col(t, "run", "RUN", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "decision", "DECISION", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "reason", "REASON", COL_ELASTIC);
    table_col(t, "change", "CHANGE", COL_ELASTIC | COL_OPTIONAL);
    table_col(t, "before", "BEFORE", COL_JSON_ONLY);
    table_col(t, "after", "AFTER", COL_JSON_ONLY);
    return t;
}

/* Fills the rows; true when a value was cut in CHANGE. */
static bool audit_rows(struct table *t, const PGresult *r)
{
    bool cut = false;

    for (int i = 0; i < PQntuples(r); i++) {
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        table_time(t, db_str(r, i, 1));
        for (int c = 2; c <= 5; c++)
            table_str(t, db_str(r, i, c));
        id_cell(t, r, i, 6);
        id_cell(t, r, i, 7);
        table_str(t, db_str(r, i, 8));
        char *change = summarise(db_str(r, i, 9), db_str(r, i, 10), &cut);
        table_str(t, change);
        free(change);
        json_cell(t, db_str(r, i, 9));
        json_cell(t, db_str(r, i, 10));
    }
    return cut;
}

/* (The object id is a number but for a schedule's and a source's.) */
const char *const audit_object_types[] = {
    "record", "run", "candidate", "decision", "entity", "entities", "schedule", "source", NULL,
};
#define AUDIT_NAME(a) #a,
const char *const audit_actions[] = {
    "soft_delete", "purge", /* records (a restore is a decision) */
    "hold_deletes", "apply_deletes", "discard_deletes", "supersede_deletes",    /* the guard */
    AUDIT_DECISIONS(AUDIT_NAME, ) "rescan", /* operators' decisions, matching */
    "schedule.config", "schedule.pause", "schedule.resume", "schedule.set",
    "rename_source", /* a name older kasparro cut (source_names.c) */
    "retire_source", /* a source removed from the configuration, its records deleted */
    NULL,
};
const char *const decision_actions[] = {AUDIT_DECISIONS(AUDIT_NAME, ) NULL};

/* A row of an older or newer kasparro may carry a name not in the lists. */
static const char *sql_logged =
    "SELECT EXISTS (SELECT 1 FROM kasparro.audit_log WHERE CASE $1 WHEN 'object' "
    "THEN object_type ELSE action END = $2)";

bool audit_listed(const char *const *names, const char *v)
{
    for (; *names != NULL; names++)
        if (strcmp(*names, v) == 0)
            return true;
    return false;
}

char *audit_names(const char *const *names)
{
    struct buf all = BUF_INIT;

    for (; *names != NULL; names++)
        buf_printf(&all, "%s%s", all.len ? ", " : "", *names);
    return buf_detach(&all);
}

/* A filter's value: one of `names` (or one the log holds), else a usage
 * error naming them. */
static int check_name(struct cmd_ctx *ctx, const char *opt, const char *what,
                      const char *const *names, const char *v)
{
    char *all;
    PGresult *r;
    bool logged;

    if (audit_listed(names, v))
        return 0;
    if ((r = db_exec(ctx->db, &ctx->err, sql_logged, DB_PARAMS(opt, v))) == NULL)
        return -1;
    logged = db_bool(r, 0, 0);
    PQclear(r);
    if (logged)
        return 0;
    all = audit_names(names);
    cmd_opt_error(&ctx->err, opt, "'%s' is not %s (%s)", v, what, all);
    free(all);
    return -1;
}

/* --object TYPE[:ID] into its parts, checked: a known type, and an id that
 * is a number where the type's ids are. */
static int parse_object(struct cmd_ctx *ctx, const char *object, char *type, size_t len,
                        const char **id)
{
    const char *colon = strchr(object, ':');
    long long n;

    snprintf(type, len, "%.*s", colon ? (int)(colon - object) : (int)strlen(object), object);
    *id = colon && colon[1] ? colon + 1 : NULL;
    if (check_name(ctx, "object", "an object type", audit_object_types, type) < 0)
        return -1;
    if (*id != NULL && strcmp(type, "schedule") != 0 && cmd_arg_id(ctx, *id, type, &n) < 0)
        return err_prefix(&ctx->err, "option '--object'");
    return 0;
}

static int audit_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *object = cmd_opt(args, "object"), *run_opt = cmd_opt(args, "run"),
               *action = cmd_opt(args, "action");
    char type[64] = "", lim[32], since_s[32], runs[32], before_s[32];
    const char *id = NULL;
    long long limit, run = 0, before;
    double since;
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 50, &limit) < 0 ||
        cmd_opt_time(ctx, args, "since", &since) < 0 ||
        cmd_opt_ll(ctx, args, "before", 0, 1, &before) < 0)
        return EXIT_USAGE;
    if ((object != NULL && parse_object(ctx, object, type, sizeof type, &id) < 0) ||
        (action != NULL && check_name(ctx, "action", "an action", audit_actions, action) < 0) ||
        cmd_opt_run(ctx, args, &run) < 0)
        return -1;
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(since_s, sizeof since_s, "%.6f", since);
    snprintf(runs, sizeof runs, "%lld", run);
    snprintf(before_s, sizeof before_s, "%lld", before);
    r = db_exec(ctx->db, &ctx->err, sql_audit,
                DB_PARAMS(type[0] ? type : NULL, id, since > 0 ? since_s : NULL, action,
                          run_opt ? runs : NULL, lim, before > 0 ? before_s : NULL));
    if (r == NULL)
        return -1;
    struct table *t = audit_table();
    bool cut = audit_rows(t, r);
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 11) : 0, "audit entries");
    if (PQntuples(r) > 0)
        table_next(t, "before", db_ll(r, PQntuples(r) - 1, 0));
    PQclear(r);
    table_print(t, ctx,
                object || action || run_opt || since > 0 || before > 0 ? "no audit entries match"
                                                                       : "the audit log is empty");
    if (cut && !ctx->json)
        out_printf(ctx, "a value ending in … is cut at %d characters: '%saudit --json' has "
                   "before and after whole (--object TYPE:ID for one object's)\n",
                   AUDIT_VALUE_CELLS, cmd_prefix(ctx->origin));
    return EXIT_OK;
}

static const struct cmd_opt audit_opts[] = {
    {"object", 0, "TYPE[:ID]",
     "only entries about this object (record:12, run:5, candidate:40, decision:7: the "
     "decision and its undo)", .kind = ARG_OBJECT},
    {"since", 0, "TIME", "only entries since TIME (ISO 8601, or a duration ago: 7d)"},
    {"action", 0, "ACTION", "only this action (soft_delete, restore, purge, approve, undo, ...)",
     .choices = audit_actions},
    {"run", 0, "RUN", "only entries made in or about this run", .kind = ARG_RUN},
    {"before", 0, "ID", "only entries older than entry ID (the next page after it)"},
    {"limit", 'n', "N|all", "show at most N (default 50), or all"},
    {0},
};

const struct cmd_entry cmd_audit_entry = {
    .name = "audit",
    .usage = "[--object TYPE[:ID]] [--since TIME] [--action ACTION] [--run RUN] [--before ID] "
             "[--limit N|all] [--json]",
    .summary = "the audit log: who deleted, restored, purged or decided what, when and why",
    .opts = audit_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = audit_exec,
};
