/*
 * cmd.c — the command table and the dispatcher (see cmd.h).
 *
 * cmd_run() is the one path every command takes, from the shell, the
 * console's ':' line, a key binding or the daemon: find the entry (exact
 * name, alias or unique prefix, tmux style), parse options, check the
 * preconditions the entry's flags declare, then exec. Usage errors carry the
 * command's usage line and exit 2.
 */
#include "kasparro/cmd.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/dedup.h"
#include "kasparro/engine.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"
#include "kasparro/out.h"
#include "kasparro/similar.h"

#define CMD_ENTRY(n) extern const struct cmd_entry cmd_##n##_entry;
#include "cmd-table.h"
#undef CMD_ENTRY

#define CMD_ENTRY(n) &cmd_##n##_entry,
const struct cmd_entry *const cmd_table[] = {
#include "cmd-table.h"
};
#undef CMD_ENTRY
const size_t cmd_count = ARRAY_SIZE(cmd_table);

const char *cmd_prefix(enum cmd_origin origin)
{
    return origin == ORIGIN_CONSOLE ? "" : "kasparro ";
}

const struct cmd_entry *cmd_find(const char *name, struct err *err)
{
    return cmd_lookup(name, ORIGIN_SHELL, err);
}

const struct cmd_entry *cmd_lookup(const char *name, enum cmd_origin origin, struct err *err)
{
    const struct cmd_entry *found = NULL;
    struct buf cands = BUF_INIT;
    size_t len = strlen(name), matches = 0;
    const char *names[256];

    for (size_t i = 0; i < cmd_count; i++) {
        const struct cmd_entry *e = cmd_table[i];
        if (strcmp(e->name, name) == 0 || str_eq(e->alias, name))
            return e;
    }
    for (size_t i = 0; i < cmd_count && len > 0; i++) {
        const struct cmd_entry *e = cmd_table[i];
        if (strncmp(e->name, name, len) == 0) {
            buf_printf(&cands, "%s%s", matches ? ", " : "", e->name);
            found = e;
            matches++;
        }
    }
    if (matches == 1) {
        buf_free(&cands);
        return found;
    }
    if (matches > 1) {
        err_code(err, EXIT_USAGE, "ambiguous command '%s', could be: %s", name, cands.data);
        buf_free(&cands);
        return NULL;
    }
    for (size_t i = 0; i < cmd_count && i < ARRAY_SIZE(names); i++)
        names[i] = cmd_table[i]->name;
    const char *best = sim_nearest(name, names, cmd_count < 256 ? cmd_count : 256, 0.8, NULL);
    if (best != NULL)
        err_code(err, EXIT_USAGE, "unknown command '%s' (did you mean '%s'?); try '%shelp'",
                 name, best, cmd_prefix(origin));
    else
        err_code(err, EXIT_USAGE, "unknown command '%s'; try '%shelp'", name,
                 cmd_prefix(origin));
    return NULL;
}

static const struct cmd_opt json_opt = {"json", 0, NULL, "print JSON for scripts"};
static const struct cmd_opt help_opt = {"help", 'h', NULL, "show this command's help"};

static const struct cmd_opt *find_opt(const struct cmd_entry *e, const char *name, char short_name)
{
    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++)
        if ((name != NULL && strcmp(o->name, name) == 0) ||
            (short_name != 0 && o->short_name == short_name))
            return o;
    if ((e->flags & (CMD_LISTING | CMD_JSON)) && name != NULL && strcmp(name, "json") == 0)
        return &json_opt;
    if ((name != NULL && strcmp(name, "help") == 0) || short_name == 'h')
        return &help_opt;
    return NULL;
}

static int usage_error(const struct cmd_entry *e, enum cmd_origin origin, struct err *err,
                       const char *fmt, const char *a)
{
    char msg[512];

    snprintf(msg, sizeof msg, fmt, a);
    return err_code(err, EXIT_USAGE, "%s: %s\nusage: %s%s %s", e->name, msg, cmd_prefix(origin),
                    e->name, e->usage ? e->usage : "");
}

static void add_opt(struct cmd_args *args, const struct cmd_opt *o, const char *value)
{
    args->opt = xreallocarray(args->opt, (size_t)args->nopts + 1, sizeof *args->opt);
    args->val = xreallocarray(args->val, (size_t)args->nopts + 1, sizeof *args->val);
    args->opt[args->nopts] = o;
    args->val[args->nopts] = value ? xstrdup(value) : NULL;
    args->nopts++;
}

int cmd_parse_args(const struct cmd_entry *e, enum cmd_origin origin, int argc, char **argv,
                   struct cmd_args *args, bool *help, struct err *err)
{
    bool only_positional = false;

    memset(args, 0, sizeof *args);
    *help = false;
    args->argv = xcalloc((size_t)argc + 1, sizeof *args->argv);
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        const struct cmd_opt *o;
        const char *value = NULL;

        if (only_positional || a[0] != '-' || a[1] == '\0' ||
            (a[1] >= '0' && a[1] <= '9')) {
            args->argv[args->argc++] = xstrdup(a);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (a[1] == '-') {
            char name[128];
            const char *eq = strchr(a + 2, '=');
            snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - (a + 2) : (long)strlen(a + 2)),
                     a + 2);
            o = find_opt(e, name, 0);
            if (o == NULL)
                return usage_error(e, origin, err, "unknown option '--%s'", name);
            if (eq != NULL)
                value = eq + 1;
        } else {
            o = find_opt(e, NULL, a[1]);
            if (o == NULL)
                return usage_error(e, origin, err, "unknown option '%s'", a);
            if (a[2] != '\0')
                value = a + 2;
        }
        if (o == &help_opt) {
            *help = true;
            continue;
        }
        if (o->arg != NULL && value == NULL) {
            if (i + 1 >= argc)
                return usage_error(e, origin, err, "option '--%s' needs a value", o->name);
            value = argv[++i];
        } else if (o->arg == NULL && value != NULL) {
            return usage_error(e, origin, err, "option '--%s' takes no value", o->name);
        }
        add_opt(args, o, value);
    }
    if (*help)
        return 0;
    if (args->argc < e->min_args)
        return usage_error(e, origin, err, "%s", e->min_args == 1 ? "missing argument"
                                                           : "missing arguments");
    if (e->max_args >= 0 && args->argc > e->max_args)
        return usage_error(e, origin, err, "unexpected argument '%s'", args->argv[e->max_args]);
    return 0;
}

void cmd_args_free(struct cmd_args *args)
{
    for (int i = 0; i < args->argc; i++)
        free(args->argv[i]);
    for (int i = 0; i < args->nopts; i++)
        free(args->val[i]);
    free(args->argv);
    free(args->opt);
    free(args->val);
    memset(args, 0, sizeof *args);
}

const char *cmd_opt(const struct cmd_args *args, const char *name)
{
    for (int i = args->nopts - 1; i >= 0; i--)
        if (strcmp(args->opt[i]->name, name) == 0)
            return args->val[i] ? args->val[i] : "";
    return NULL;
}

bool cmd_flag(const struct cmd_args *args, const char *name) { return cmd_opt(args, name) != NULL; }

const struct cmd_opt *cmd_value_opt(const struct cmd_entry *e, const char *word)
{
    size_t n = strlen(word);

    if (n < 2 || word[0] != '-')
        return NULL;
    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++) {
        if (o->arg == NULL)
            continue;
        if (word[1] == '-' && strcmp(word + 2, o->name) == 0)
            return o;
        if (n == 2 && o->short_name != 0 && word[1] == o->short_name)
            return o;
    }
    return NULL;
}

void cmd_option_words(const struct cmd_entry *e, void (*fn)(const char *word, void *arg),
                      void *arg)
{
    char word[80];

    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++) {
        snprintf(word, sizeof word, "--%s", o->name);
        fn(word, arg);
    }
    if (e->flags & (CMD_LISTING | CMD_JSON))
        fn("--json", arg);
    fn("--help", arg);
}

int cmd_opt_error(struct err *err, const char *name, const char *fmt, ...)
{
    char what[ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    err_vformat(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_code(err, EXIT_USAGE, "option '--%s': %s", name, what);
}

int cmd_subcommand_error(struct err *err, const char *name, const char *const *subcommands,
                         const char *sub)
{
    struct buf all = BUF_INIT;

    for (const char *const *w = subcommands; *w != NULL; w++)
        buf_printf(&all, "%s%s", w == subcommands ? "" : ", ", *w);
    err_code(err, EXIT_USAGE, "%s: unknown subcommand '%s' (%s)", name, sub, all.data);
    buf_free(&all);
    return -1;
}

int cmd_opt_choice(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                   const char *what, int dflt, int *out)
{
    const char *v = NULL;
    const char *const *names = NULL;
    struct buf all = BUF_INIT;

    for (int i = args->nopts - 1; i >= 0 && v == NULL; i--) {
        if (strcmp(args->opt[i]->name, name) == 0) {
            v = args->val[i];
            names = args->opt[i]->choices; /* the table's words, which completion offers */
        }
    }
    *out = dflt;
    if (v == NULL || names == NULL)
        return 0;
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], v) == 0) {
            *out = i;
            buf_free(&all);
            return 0;
        }
        buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
    }
    cmd_opt_error(&ctx->err, name, "'%s' is not %s (%s)", v, what, all.data);
    buf_free(&all);
    return -1;
}

/* A number as a user types one on a command line: digits, a '-' before
 * them, for a fraction a '.' and an exponent. parse_ll and parse_double
 * (strtoll, strtod) would also take blanks around it, a '+', hex: "approve
 * ' 42'" or "--limit +5" is a slip (a quoted space, a pasted sign), refused
 * as any value that is no number is. */
bool cmd_parse_ll(const char *s, long long *out)
{
    const char *p = s + (*s == '-');

    return isdigit((unsigned char)*p) && p[strspn(p, "0123456789")] == '\0' && parse_ll(s, out);
}

bool cmd_parse_double(const char *s, double *out)
{
    const char *p = s + (*s == '-');

    return (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) &&
           p[strspn(p, "0123456789.eE+-")] == '\0' && parse_double(s, out);
}

int cmd_opt_ll(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
               long long dflt, long long min, long long *out)
{
    const char *v = cmd_opt(args, name);

    *out = dflt;
    if (v == NULL)
        return 0;
    if (!cmd_parse_ll(v, out) || *out < min)
        return cmd_opt_error(&ctx->err, name, "'%s' is not an integer of at least %lld", v, min);
    return 0;
}

int cmd_opt_limit(struct cmd_ctx *ctx, const struct cmd_args *args, long long dflt,
                  long long *out)
{
    const char *v = cmd_opt(args, "limit");

    *out = dflt;
    if (v == NULL)
        return 0;
    if (strcasecmp(v, "all") == 0) {
        *out = CMD_LIMIT_ALL;
        return 0;
    }
    if (!cmd_parse_ll(v, out) || *out < 1)
        return cmd_opt_error(&ctx->err, "limit", "'%s' is not a count (1 or more) or 'all'", v);
    return 0;
}

int cmd_opt_double(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                   double dflt, double min, double max, double *out)
{
    const char *v = cmd_opt(args, name);

    *out = dflt;
    if (v == NULL)
        return 0;
    if (!cmd_parse_double(v, out) || *out < min || *out > max)
        return cmd_opt_error(&ctx->err, name, "'%s' is not a number from %g to %g", v, min, max);
    return 0;
}

int cmd_opt_time(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                 double *out)
{
    const char *v = cmd_opt(args, name);
    long long ago;

    *out = 0;
    if (v == NULL || clock_parse(v, out) == 0)
        return 0;
    if ((ago = parse_duration(v)) >= 0) {
        *out = clock_now() - (double)ago;
        return 0;
    }
    return cmd_opt_error(&ctx->err, name, "'%s' is not a time (like 2026-11-28T10:00:00Z) or a "
                         "duration ago (like 7d, 12h)", v);
}

int cmd_arg_id(struct cmd_ctx *ctx, const char *arg, const char *what, long long *out)
{
    const char *s = arg[0] == '#' ? arg + 1 : arg;
    if (!cmd_parse_ll(s, out) || *out <= 0)
        return err_code(&ctx->err, EXIT_USAGE, "'%s' is not a %s id (a positive number)", arg,
                        what);
    return 0;
}

static const char *sql_record_of =
    "SELECT id FROM kasparro.records WHERE source = $1 AND source_id = $2";

/* Whether record $1 exists, and else the records of the configured sources
 * ($2) whose own id is $1: the index on (source, source_id) finds them. */
static const char *sql_record_id =
    "SELECT EXISTS (SELECT 1 FROM kasparro.records WHERE id = $1::bigint), "
    "(SELECT string_agg(format('%s/%s (record %s)', source, source_id, id), ' or ' "
    "ORDER BY source) FROM (SELECT source, source_id, id FROM kasparro.records "
    "WHERE source = ANY($2::text[]) AND source_id = $1::text ORDER BY source LIMIT 3) x)";

/* A bare number is kasparro's record id. One that names no record is
 * often a source's own id, copied from a ticket or the source itself:
 * the error names the records it is the id of (idtext as typed, leading
 * zeros and all), as SOURCE/ID. */
static int record_id_exists(struct cmd_ctx *ctx, const char *idtext, long long id,
                            enum cmd_record_miss *why)
{
    struct buf sources = BUF_INIT;
    PGresult *r;
    int rc = 0;

    /* a console command run on its input thread has no connection, and
     * must not block there on one: what it opens says so itself */
    if (ctx->db == NULL)
        return 0;
    /* a text[] literal: source names hold only letters, digits, '-', '_'
     * and '.' (config.c), nothing to escape */
    buf_addc(&sources, '{');
    for (size_t i = 0; i < ctx->cfg->nsources; i++)
        buf_printf(&sources, "%s\"%s\"", i ? "," : "", ctx->cfg->sources[i].name);
    buf_addc(&sources, '}');
    r = db_exec(ctx->db, &ctx->err, sql_record_id, DB_PARAMS(idtext, sources.data));
    buf_free(&sources);
    if (r == NULL)
        return -1;
    if (!db_bool(r, 0, 0)) {
        *why = PQgetisnull(r, 0, 1) ? RECORD_MISS_ID : RECORD_MISS_SOURCE_ID;
        rc = *why == RECORD_MISS_ID
                 ? err_missing(&ctx->err, "record", id)
                 : err_set(&ctx->err, "no record %lld; as the source names it, did you mean %s?",
                           id, PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return rc;
}

/* An operator knows a record from a ticket or the source itself — "crm's
 * customer 4711" — rather than by kasparro's id, so a record is named
 * either way. Source names hold no '/', so the first one splits. */
int cmd_arg_record(struct cmd_ctx *ctx, const char *arg, long long *out)
{
    enum cmd_record_miss why;

    return cmd_arg_record_why(ctx, arg, out, &why);
}

int cmd_arg_record_why(struct cmd_ctx *ctx, const char *arg, long long *out,
                       enum cmd_record_miss *why)
{
    const char *slash = strchr(arg, '/');
    PGresult *r;

    *why = RECORD_MISS_NONE;
    if (slash == NULL && cmd_parse_ll(arg[0] == '#' ? arg + 1 : arg, out) && *out > 0)
        return record_id_exists(ctx, arg[0] == '#' ? arg + 1 : arg, *out, why);
    if (slash == NULL || slash == arg || slash[1] == '\0') {
        *why = RECORD_MISS_NOT_A_NAME;
        return err_code(&ctx->err, EXIT_USAGE, "'%s' is not a record (an id, or SOURCE/ID as "
                        "the source names it)", arg);
    }
    char *source = xstrndup(arg, (size_t)(slash - arg));
    int rc = -1;
    r = db_exec(ctx->db, &ctx->err, sql_record_of, DB_PARAMS(source, slash + 1));
    if (r != NULL && PQntuples(r) == 1) {
        *out = db_ll(r, 0, 0);
        rc = 0;
    } else if (r != NULL) {
        *why = RECORD_MISS_SOURCE_REC;
        if (config_source(ctx->cfg, source) != NULL)
            err_missing_name(&ctx->err, "record", arg);
        else /* a name mistyped, or of a source taken out of the configuration */
            err_set(&ctx->err, "no record '%s' (no source '%s' is configured); 'kasparro "
                    "export records' lists them", arg, source);
    }
    free(source);
    PQclear(r);
    return rc;
}

/* The index on (source, source_id) is walked from the prefix for at most
 * $3 entries, whatever the source holds: in the C collation (kasparro's own
 * cluster) the ids that start with the prefix come first. */
static const char *sql_record_ids =
    "SELECT source_id FROM (SELECT source_id FROM kasparro.records WHERE source = $1 "
    "AND source_id >= $2 ORDER BY source_id LIMIT $3) r WHERE starts_with(source_id, $2) "
    "ORDER BY source_id";

cJSON *cmd_record_ids(struct cmd_ctx *ctx, const char *source, const char *prefix, int limit,
                      bool *more)
{
    char n[16];
    PGresult *r;
    cJSON *ids;

    *more = false;
    snprintf(n, sizeof n, "%d", limit + 1);
    if (cmd_ctx_db(ctx) < 0 ||
        (r = db_exec(ctx->db, &ctx->err, sql_record_ids, DB_PARAMS(source, prefix, n))) == NULL)
        return NULL;
    ids = cJSON_CreateArray();
    for (int i = 0; i < PQntuples(r); i++) {
        if (i == limit) {
            *more = true;
            break;
        }
        cJSON_AddItemToArray(ids, cJSON_CreateString(db_str(r, i, 0)));
    }
    PQclear(r);
    return ids;
}

static const char *sql_run_exists = "SELECT EXISTS (SELECT 1 FROM kasparro.runs WHERE id = $1)";
static const char *sql_source_known =
    "SELECT EXISTS (SELECT 1 FROM kasparro.run_sources WHERE source = $1) "
    "OR EXISTS (SELECT 1 FROM kasparro.records WHERE source = $1)";

int cmd_opt_source(struct cmd_ctx *ctx, const struct cmd_args *args, const char **out)
{
    return cmd_opt_source_named(ctx, args, "source", out);
}

int cmd_opt_source_named(struct cmd_ctx *ctx, const struct cmd_args *args, const char *opt,
                         const char **out)
{
    *out = cmd_opt(args, opt);
    return *out == NULL ? 0 : cmd_source_known(ctx, opt, *out);
}

int cmd_source_known(struct cmd_ctx *ctx, const char *opt, const char *v)
{
    struct buf names = BUF_INIT;
    PGresult *r;
    bool known;

    if (config_source(ctx->cfg, v) != NULL)
        return 0;
    if ((r = db_exec(ctx->db, &ctx->err, sql_source_known, DB_PARAMS(v))) == NULL)
        return -1;
    known = db_bool(r, 0, 0);
    PQclear(r);
    if (known)
        return 0;
    for (size_t i = 0; i < ctx->cfg->nsources; i++)
        buf_printf(&names, "%s%s", i ? ", " : "", ctx->cfg->sources[i].name);
    cmd_opt_error(&ctx->err, opt, "no source '%s' is configured or was ever read (configured: %s)",
                  v, names.len ? names.data : "none");
    buf_free(&names);
    return -1;
}

int cmd_opt_run(struct cmd_ctx *ctx, const struct cmd_args *args, long long *out)
{
    const char *v = cmd_opt(args, "run");
    char id[24];
    PGresult *r;
    bool exists;

    *out = 0;
    if (v == NULL)
        return 0;
    if (cmd_arg_id(ctx, v, "run", out) < 0)
        return err_prefix(&ctx->err, "option '--run'");
    snprintf(id, sizeof id, "%lld", *out);
    if ((r = db_exec(ctx->db, &ctx->err, sql_run_exists, DB_PARAMS(id))) == NULL)
        return -1;
    exists = db_bool(r, 0, 0);
    PQclear(r);
    return exists ? 0 : err_missing(&ctx->err, "run", *out);
}

int cmd_run_in_engine(struct cmd_ctx *ctx, const struct run_request *req, const char *what)
{
    long long run_id;

    if (engine_submit_started(ctx->engine, req, &run_id, &ctx->err) < 0)
        return err_prefix(&ctx->err, "%s not started", what);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "run", (double)run_id);
    out_ok(ctx, o, "%s %lld started", what, run_id);
    return EXIT_OK;
}

void cmd_rematch(struct cmd_ctx *ctx)
{
    struct err err = {0};

    if (ctx->cfg != NULL && dedup_apply_changes(ctx->db, ctx->cfg, ctx->actor, 0, &err) < 0)
        log_warn("entities not updated yet (the next run will): %s", err.msg);
}

int cmd_ctx_config(struct cmd_ctx *ctx)
{
    if (ctx->cfg != NULL)
        return 0;
    ctx->cfg = config_load(ctx->config_path ? ctx->config_path : config_default_path(),
                           &ctx->err);
    if (ctx->cfg == NULL)
        return -1;
    ctx->owns_cfg = true;
    return 0;
}

/* A new field's column, added before the command reads (schema.c): a
 * table another session keeps busy is said, with what happens `then`, and
 * the command goes on without it; anything else (a role that may not
 * ALTER) only in the debug log. false when the table was busy. */
static bool add_columns_with(struct db *db, const struct config *cfg, const char *then)
{
    struct err err = {0};

    if (cfg == NULL || schema_add_columns(db, cfg, &err) == 0)
        return true;
    if (!schema_table_busy(&err)) {
        log_debug("the columns of [schema] not added: %s", err.msg);
        return true;
    }
    /* one warning: the readers of the field do not say it again */
    log_warn("%s; going on without it: it reads as null until it is added (%s)", err.msg, then);
    db_fields_pending_said(db, cfg);
    return false;
}

bool cmd_ctx_add_columns(struct cmd_ctx *ctx)
{
    struct err err = {0};
    struct db *db = ctx->cfg != NULL ? db_open(&err) : NULL;
    bool done = db == NULL ||
                add_columns_with(db, ctx->cfg, "trying again every 15s; a run adds it too");

    db_close(db);
    return done;
}

struct config *cmd_ctx_read_config(struct cmd_ctx *ctx, struct err *err)
{
    const char *path = ctx->config_path ? ctx->config_path
                       : ctx->cfg != NULL && ctx->cfg->path ? ctx->cfg->path
                                                            : config_default_path();
    struct config *cfg = config_load(path, err);

    /* A file with nothing to ingest, which the daemon refuses to start on,
     * is refused by the reload of a process that has sources: an editor's
     * save that emptied or cut it must not drop every source, [http]'s
     * keys and the schedule with them. */
    if (cfg != NULL && ctx->cfg != NULL && ctx->cfg->nsources > 0 &&
        config_require_ingest(cfg, err) < 0) {
        config_free(cfg);
        cfg = NULL;
    }
    if (cfg == NULL) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        err_code(err, err->code, "reload: %s; keeping the running configuration", why);
    }
    return cfg;
}

bool cmd_ctx_use_config(struct cmd_ctx *ctx, struct config *cfg)
{
    bool new_field = ctx->cfg == NULL;
    for (size_t i = 0; i < cfg->nfields && !new_field; i++)
        new_field = config_field_index(ctx->cfg, cfg->fields[i].name) < 0;
    /* path may point into the running configuration: done with it now */
    if (ctx->owns_cfg)
        config_free(ctx->cfg);
    ctx->cfg = cfg;
    ctx->owns_cfg = true;
    return new_field;
}

int cmd_ctx_db(struct cmd_ctx *ctx)
{
    if (ctx->db != NULL)
        return 0;
    if (db_start_once(&ctx->err) < 0) /* the process's start; a reconnect never starts it */
        return -1;
    ctx->db = db_open(&ctx->err);
    if (ctx->db == NULL)
        return -1;
    ctx->owns_db = true;
    add_columns_with(ctx->db, ctx->cfg, "the next run adds it");
    return 0;
}

void cmd_ctx_release(struct cmd_ctx *ctx)
{
    if (ctx->owns_db)
        db_close(ctx->db);
    if (ctx->owns_cfg)
        config_free(ctx->cfg);
    ctx->db = NULL;
    ctx->cfg = NULL;
    ctx->owns_db = ctx->owns_cfg = false;
}

void cmd_usage(const struct cmd_entry *e, enum cmd_origin origin, FILE *out)
{
    fprintf(out, "usage: %s%s%s%s\n", cmd_prefix(origin), e->name,
            e->usage && *e->usage ? " " : "", e->usage ? e->usage : "");
}

static void add_opt_json(cJSON *list, const struct cmd_opt *o)
{
    cJSON *j = cJSON_CreateObject();
    char name[80], short_name[3] = {'-', o->short_name, '\0'};

    snprintf(name, sizeof name, "--%s", o->name);
    cJSON_AddStringToObject(j, "name", name);
    cJSON_AddItemToObject(j, "short", o->short_name ? cJSON_CreateString(short_name)
                                                    : cJSON_CreateNull());
    cJSON_AddItemToObject(j, "arg", o->arg ? cJSON_CreateString(o->arg) : cJSON_CreateNull());
    cJSON_AddStringToObject(j, "doc", o->doc);
    cJSON_AddItemToArray(list, j);
}

cJSON *cmd_opts_json(const struct cmd_entry *e)
{
    cJSON *list = cJSON_CreateArray();

    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++)
        add_opt_json(list, o);
    if (e->flags & (CMD_LISTING | CMD_JSON))
        add_opt_json(list, &json_opt);
    return list;
}

void cmd_print_help(const struct cmd_entry *e, enum cmd_origin origin, FILE *out)
{
    cmd_usage(e, origin, out);
    fprintf(out, "\n%s\n", e->summary);
    if (e->alias != NULL)
        fprintf(out, "alias: %s\n", e->alias);
    /* the usage says 'kasparro NAME', which a shell refuses: say so first */
    if (origin == ORIGIN_SHELL && (e->flags & CMD_CONSOLE_ONLY))
        fprintf(out, "works only inside the console: on its ':' line (':%s') and in key "
                "bindings\n", e->name);
    bool any = (e->opts != NULL && e->opts[0].name != NULL) || (e->flags & (CMD_LISTING | CMD_JSON));
    if (!any)
        return;
    fputs("\noptions:\n", out);
    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : "",
                 o->short_name ? o->short_name : ' ', o->short_name ? "," : " ", o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-24s %s\n", o->short_name ? left : left + 2, o->doc);
    }
    if (e->flags & (CMD_LISTING | CMD_JSON))
        fprintf(out, "  %-24s %s\n", "--json", json_opt.doc);
}

void cmd_console_hints(char *msg)
{
    static const char shell[] = "'kasparro ";
    char *at;

    while ((at = strstr(msg, shell)) != NULL)
        memmove(at + 1, at + sizeof shell - 1, strlen(at + sizeof shell - 1) + 1);
}

char *cmd_stored_text(enum cmd_origin origin, const char *text)
{
    char *copy = text != NULL ? xstrdup(text) : NULL;

    if (copy != NULL && origin == ORIGIN_CONSOLE)
        cmd_console_hints(copy);
    return copy;
}

/* Lookup, parsing, preconditions, exec: an exit code, or -1 with the
 * failure in ctx->err. */
static int dispatch(struct cmd_ctx *ctx, int argc, char **argv)
{
    const struct cmd_entry *e;
    struct cmd_args args;
    bool help;
    int rc;

    if (argc < 1)
        return err_code(&ctx->err, EXIT_USAGE, "no command given; try '%shelp'",
                        cmd_prefix(ctx->origin));
    if ((e = cmd_lookup(argv[0], ctx->origin, &ctx->err)) == NULL)
        return -1;
    if (ctx->origin == ORIGIN_SHELL && (e->flags & CMD_CONSOLE_ONLY))
        return err_code(&ctx->err, EXIT_USAGE, "'%s' works only inside the console", e->name);
    if (ctx->origin == ORIGIN_CONSOLE && (e->flags & CMD_SHELL_ONLY))
        return err_code(&ctx->err, EXIT_USAGE, "'%s' is a shell command; run 'kasparro %s' in "
                        "a shell", e->name, e->name);
    rc = cmd_parse_args(e, ctx->origin, argc - 1, argv + 1, &args, &help, &ctx->err);
    if (rc == 0 && help) {
        cmd_print_help(e, ctx->origin, ctx->out);
    } else if (rc == 0) {
        ctx->json = cmd_flag(&args, "json");
        if (((e->flags & (CMD_NEEDS_CONFIG | CMD_NEEDS_DB)) && cmd_ctx_config(ctx) < 0) ||
            ((e->flags & CMD_NEEDS_DB) && cmd_ctx_db(ctx) < 0))
            rc = -1;
        else
            rc = e->exec(ctx, &args);
        if (ctx->origin == ORIGIN_CONSOLE)
            cmd_console_hints(ctx->err.msg);
    }
    cmd_args_free(&args);
    return rc;
}

int cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
    int rc;

    err_clear(&ctx->err);
    rc = dispatch(ctx, argc, argv);
    if (rc < 0 || (rc == EXIT_OK && err_isset(&ctx->err)))
        rc = err_exit_code(&ctx->err);
    else if (rc != EXIT_OK && ctx->err.code == 0)
        ctx->err.code = rc;
    return rc;
}

/* The lexer of every command line; with `spans`, where each word's raw
 * form starts and ends in the line ((*spans)[2i], (*spans)[2i + 1]). */
static int split_line(const char *line, char ***argv, struct cmd_split_end *end, size_t **spans)
{
    struct buf word = BUF_INIT;
    char **v = NULL;
    size_t *at = NULL, start = 0;
    int n = 0;
    bool in_word = false;
    char quote = 0;

    for (const char *p = line;; p++) {
        char c = *p;
        if (c == '\0' || (!quote && (c == ' ' || c == '\t' || c == '\n'))) {
            if (c == '\0' && end != NULL) {
                end->in_word = in_word;
                end->quote = quote; /* the last word ends here all the same */
            } else if (quote && c == '\0') {
                cmd_free_argv(n, v);
                buf_free(&word);
                free(at);
                *argv = NULL;
                return -1;
            }
            if (in_word) {
                v = xreallocarray(v, (size_t)n + 2, sizeof *v);
                if (spans != NULL) {
                    at = xreallocarray(at, (size_t)n + 1, 2 * sizeof *at);
                    at[2 * n] = start;
                    at[2 * n + 1] = (size_t)(p - line);
                }
                v[n++] = buf_detach(&word);
                v[n] = NULL;
                in_word = false;
            }
            if (c == '\0')
                break;
            continue;
        }
        if (!in_word)
            start = (size_t)(p - line);
        in_word = true;
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && p[1] != '\0')
                buf_addc(&word, *++p);
            else
                buf_addc(&word, c);
        } else if (c == '\'' || c == '"') {
            quote = c;
            buf_add(&word, "", 0); /* so that "" is a word */
        } else if (c == '\\' && p[1] != '\0') {
            buf_addc(&word, *++p);
        } else {
            buf_addc(&word, c);
        }
    }
    buf_free(&word);
    if (v == NULL)
        v = xcalloc(1, sizeof *v);
    *argv = v;
    if (spans != NULL)
        *spans = at;
    return n;
}

int cmd_split_words(const char *line, char ***argv, struct cmd_split_end *end)
{
    return split_line(line, argv, end, NULL);
}

int cmd_split_spans(const char *line, char ***argv, size_t **spans)
{
    return split_line(line, argv, NULL, spans);
}

int cmd_split_line(const char *line, char ***argv) { return split_line(line, argv, NULL, NULL); }

void cmd_free_argv(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

int cmd_run_line(struct cmd_ctx *ctx, const char *line)
{
    char **argv;
    int argc = cmd_split_line(line, &argv), rc;

    err_clear(&ctx->err);
    if (argc < 0) {
        err_code(&ctx->err, EXIT_USAGE, "unterminated quote in '%s'", line);
        return EXIT_USAGE;
    }
    if (argc == 0) {
        cmd_free_argv(argc, argv);
        return EXIT_OK;
    }
    rc = cmd_run(ctx, argc, argv);
    cmd_free_argv(argc, argv);
    return rc;
}
