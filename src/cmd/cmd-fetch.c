/*
 * cmd-fetch.c — `kasparro fetch SOURCE`: read a source without loading it.
 *
 * A dry read for operators debugging a source's settings: every item the
 * source yields, with where it was found, its id and its record, then what
 * the read cost (pages, requests, retries, bytes) or the error that ended
 * it. Nothing touches the database, so it works before one exists; the
 * incremental cursor and the resume point, which a run would take from its
 * checkpoint, can be given with --since and --resume. In text mode items
 * are printed as they arrive; --json prints one object at the end.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/http.h"
#include "kasparro/log.h"
#include "kasparro/mapper.h"
#include "kasparro/out.h"
#include "kasparro/source.h"

static atomic_bool fetch_cancel;

static void on_sigint(int sig)
{
    (void)sig;
    atomic_store(&fetch_cancel, true);
    signal(SIGINT, SIG_DFL); /* a second Ctrl-C kills */
}

/* The item's id as text, or NULL when it has none: the id a run would load
 * it under, found by the run's own mapper (a CSV header matched as loading
 * matches it, case and all); a JSON id that loading cannot read (a NUL, a
 * lone surrogate) is shown as the source wrote it. *mapped is what
 * mapper_apply said: -1 when the run would stop its read here. */
static char *item_id(struct mapper *m, struct mapped *row, const struct source_cfg *src,
                     const struct src_item *it, int *mapped)
{
    struct reject why;

    *mapped = mapper_apply(m, it, row, &why);
    if (row->source_id.len > 0)
        return xstrndup(row->source_id.data, row->source_id.len);
    if (it->json != NULL) {
        const struct jval *id = jval_path(it->json, src->id_field, NULL);
        if (id != NULL && id->type == JT_STRING && id->toklen >= 2)
            return xstrndup(id->tok + 1, id->toklen - 2); /* as written, escapes and all */
    }
    return NULL;
}

/* The record as JSON: the object itself, or a CSV row keyed by header. */
static cJSON *item_record(const struct src_item *it)
{
    cJSON *o;

    if (it->json != NULL)
        return cJSON_CreateRaw(it->raw); /* exactly as the source wrote it */
    if (it->error != NULL)
        return cJSON_CreateString(it->raw != NULL ? it->raw : "");
    o = cJSON_CreateObject();
    for (size_t i = 0; i < it->ncols; i++) {
        char *v = xstrndup(it->cols[i], it->col_lens[i]);
        char *name = i < it->nheader ? xstrdup(it->header[i]) : xasprintf("column %zu", i + 1);
        cJSON_AddStringToObject(o, name, v);
        free(name);
        free(v);
    }
    return o;
}

/* How fetch reads each item's id: the mapper a run would use. */
struct fetch_ids {
    struct mapper *mapper;
    struct mapped row;
};

/* Where a run would stop the read because of the mapping, fetch fails the
 * same way, for the run's reasons (run_source names the source before
 * them): a CSV header whose mapped name only two other cases spell, or an
 * automatically mapped source whose header has none of the fields (at the
 * header, before the item is shown); JSON records none of which carries a
 * field (after the run's first batch, or at the end of a shorter read).
 * fetch loads nothing either way, so it says what a run would do. */
static int refuse_fetch(struct cmd_ctx *ctx, const struct source_cfg *src,
                        const struct mapper *m)
{
    char *why = mapper_refusal(m, "a run would stop here and load nothing");

    err_set(&ctx->err, "source '%s': %s", src->name, why);
    free(why);
    return -1;
}

/* --limit ended the read before a run would judge JSON records none of
 * which carried a field: a later record of the run's first batch may carry
 * one (an API may write only the keys a record has a value for), so this
 * is no failure, but a run may well refuse the source; NULL when the
 * records read carried a field. */
static char *unjudged(const struct config *cfg, struct mapper *m)
{
    char *outcome = xasprintf("a run judges its first %ld records (batch_size), more than "
                              "--limit let fetch read, and loads nothing if none of them has "
                              "one either", cfg->batch_size);
    char *why = mapper_unmapped(m) < 0 ? mapper_refusal(m, outcome) : NULL;

    free(outcome);
    return why;
}

/* 1: the item was shown; -1: the run's mapper refuses the read, and the
 * item is not shown. */
static int print_item(struct cmd_ctx *ctx, const struct source_cfg *src, struct fetch_ids *ids,
                      const struct src_item *it, cJSON *items)
{
    int mapped;
    char *id = item_id(ids->mapper, &ids->row, src, it, &mapped);
    cJSON *rec;

    if (mapped < 0) {
        free(id);
        return refuse_fetch(ctx, src, ids->mapper);
    }
    rec = item_record(it);

    if (ctx->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "location", it->location);
        if (id != NULL)
            cJSON_AddStringToObject(o, "id", id);
        else
            cJSON_AddNullToObject(o, "id");
        cJSON_AddItemToObject(o, "record", rec);
        if (it->error != NULL)
            cJSON_AddStringToObject(o, "error", it->error);
        cJSON_AddItemToArray(items, o);
    } else {
        char *text = cJSON_PrintUnformatted(rec);
        if (it->error != NULL)
            out_printf(ctx, "%s  -  unreadable: %s: %s\n", it->location, it->error, text);
        else
            out_printf(ctx, "%s  %s  %s\n", it->location, id ? id : "-", text);
        cJSON_free(text);
        cJSON_Delete(rec);
    }
    free(id);
    return 1;
}

static void print_summary(struct cmd_ctx *ctx, const struct source_cfg *src, long long n,
                          const struct source_stats *st, cJSON *position, cJSON *items,
                          const char *warning)
{
    if (ctx->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "source", src->name);
        cJSON_AddItemToObject(o, "items", items);
        cJSON_AddNumberToObject(o, "count", (double)n);
        cJSON_AddNumberToObject(o, "pages", (double)st->pages);
        cJSON_AddNumberToObject(o, "requests", (double)st->requests);
        cJSON_AddNumberToObject(o, "retries", (double)st->retries);
        cJSON_AddNumberToObject(o, "bytes", (double)st->bytes);
        if (st->total >= 0)
            cJSON_AddNumberToObject(o, "total", (double)st->total);
        else
            cJSON_AddNullToObject(o, "total");
        cJSON_AddItemToObject(o, "position", position);
        if (st->cut_short[0] != '\0')
            cJSON_AddStringToObject(o, "cut_short", st->cut_short);
        else
            cJSON_AddNullToObject(o, "cut_short");
        if (err_isset(&ctx->err))
            cJSON_AddStringToObject(o, "error", ctx->err.msg);
        else
            cJSON_AddNullToObject(o, "error");
        if (warning != NULL)
            cJSON_AddStringToObject(o, "warning", warning);
        else
            cJSON_AddNullToObject(o, "warning");
        out_json(ctx, o);
        return;
    }
    out_printf(ctx, "%lld item%s from source '%s': ", n, n == 1 ? "" : "s", src->name);
    if (st->requests > 0)
        out_printf(ctx, "%lld page%s, %lld request%s, %lld retr%s, ", st->pages,
                   st->pages == 1 ? "" : "s", st->requests, st->requests == 1 ? "" : "s",
                   st->retries, st->retries == 1 ? "y" : "ies");
    out_printf(ctx, "%lld byte%s", st->bytes, st->bytes == 1 ? "" : "s");
    if (st->total >= 0)
        out_printf(ctx, ", total %lld", st->total);
    if (st->cut_short[0] != '\0')
        out_printf(ctx, "; not the whole source: %s", st->cut_short);
    out_printf(ctx, "%s\n", err_isset(&ctx->err) ? "; then it failed" : "");
    if (warning != NULL)
        out_printf(ctx, "warning: source '%s': %s\n", src->name, warning);
    cJSON_Delete(position);
}

/* Whether the reader sends a --since cursor anywhere (source_http.c: in
 * since_param, or the url's {since}). */
static bool fetch_sends_cursor(const struct source_cfg *src)
{
    return src->kind == SRC_HTTP_JSON &&
           (src->since_param != NULL || http_url_has(src->url, "since"));
}

static int open_how(struct cmd_ctx *ctx, struct cmd_args *args, struct source_open *how)
{
    const char *resume = cmd_opt(args, "resume");

    how->cfg = ctx->cfg;
    how->src = config_source_find(ctx->cfg, args->argv[0], &ctx->err);
    if (how->src == NULL)
        return -1;
    how->cursor = cmd_opt(args, "since");
    /* a source that has nowhere to send a cursor would be read whole while
     * the operator believes it filtered */
    if (how->cursor != NULL && !fetch_sends_cursor(how->src))
        return cmd_opt_error(&ctx->err, "since",
                        "source '%s' (config '%s' line %d) has no place for a cursor: %s",
                        how->src->name, ctx->cfg->path ? ctx->cfg->path : "(defaults)",
                        how->src->line,
                        how->src->kind == SRC_CSV
                            ? "a CSV file is read whole"
                            : "its url has no {since} and it sets no since_param");
    how->cancel = &fetch_cancel;
    if (resume != NULL && !cJSON_IsObject(how->resume = cJSON_Parse(resume))) {
        cJSON_Delete((cJSON *)how->resume);
        how->resume = NULL;
        return cmd_opt_error(&ctx->err, "resume",
                             "'%s' is not a position as 'kasparro fetch --json' prints it "
                             "(a JSON object)",
                             resume);
    }
    return 0;
}

static int fetch_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct source_open how = {0};
    const struct source_ops *ops;
    struct source *s;
    struct src_item it;
    struct source_stats st = {.total = -1, .size = -1};
    struct fetch_ids ids;
    long long limit, n = 0;
    cJSON *items = ctx->json ? cJSON_CreateArray() : NULL;
    void (*old)(int) = SIG_DFL;
    char *warning = NULL;
    int rc = 0;

    if (cmd_opt_limit(ctx, args, CMD_LIMIT_ALL, &limit) < 0 || open_how(ctx, args, &how) < 0) {
        cJSON_Delete(items);
        return -1;
    }
    ops = source_ops_for(how.src->kind);
    atomic_store(&fetch_cancel, false);
    if (ctx->origin == ORIGIN_SHELL)
        old = signal(SIGINT, on_sigint);
    log_context(0, how.src->name);
    s = ops->open(&how, &ctx->err);
    ids.mapper = mapper_new(ctx->cfg, how.src);
    mapped_init(&ids.row, ctx->cfg);
    while (s != NULL && n < limit && (rc = ops->next(s, &it, &ctx->err)) > 0) {
        if ((rc = print_item(ctx, how.src, &ids, &it, items)) < 0)
            break;
        n++;
        /* a run judges the records with each batch it writes, the ones it
         * quarantines counted */
        if (n % ctx->cfg->batch_size == 0 && mapper_unmapped(ids.mapper) < 0) {
            rc = refuse_fetch(ctx, how.src, ids.mapper);
            break;
        }
    }
    /* a whole read shorter than a batch is judged at its end, as a run's */
    if (s != NULL && rc == 0 && !atomic_load(&fetch_cancel) && mapper_unmapped(ids.mapper) < 0)
        rc = refuse_fetch(ctx, how.src, ids.mapper);
    else if (s != NULL && rc > 0 && n % ctx->cfg->batch_size != 0)
        warning = unjudged(ctx->cfg, ids.mapper);
    mapped_free(&ids.row, ctx->cfg);
    mapper_free(ids.mapper);
    if (s != NULL) {
        ops->stats(s, &st);
        print_summary(ctx, how.src, n, &st, ops->position(s), items, warning);
        ops->close(s);
    } else if (ctx->json) {
        /* a source that fails as it opens (a CSV file that is a folder, a
         * header read wrong) still answers a script with its one object,
         * the error in it, as a read that fails later does */
        print_summary(ctx, how.src, 0, &st, cJSON_CreateNull(), items, NULL);
    } else {
        cJSON_Delete(items);
    }
    log_context(0, NULL);
    if (ctx->origin == ORIGIN_SHELL)
        signal(SIGINT, old);
    cJSON_Delete((cJSON *)how.resume);
    free(warning);
    return s == NULL || rc < 0 ? -1 : EXIT_OK;
}

static const struct cmd_opt fetch_opts[] = {
    {"limit", 0, "N|all", "stop after N items (default all)"},
    {"since", 0, "CURSOR", "the incremental cursor a run would send"},
    {"resume", 0, "POSITION", "start at a position printed by an earlier fetch --json"},
    {0},
};

const struct cmd_entry cmd_fetch_entry = {
    .name = "fetch",
    .usage = "[--limit N|all] [--since CURSOR] [--resume POSITION] [--json] SOURCE",
    .summary = "read a source without loading it: its items, then pages, requests and retries",
    .opts = fetch_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_CONFIG | CMD_JSON,
    .arg_kind = ARG_SOURCE,
    .exec = fetch_exec,
};
