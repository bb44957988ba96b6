/*
 * cmd-config.c — `kasparro config [check|keys]`: check the configuration
 * file and summarise it, or list every key kasparro understands (the table
 * kasparro.conf(5) is checked against).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/out.h"

static int config_keys_list(struct cmd_ctx *ctx)
{
    struct table *t = table_new();

    table_col(t, "section", "SECTION", 0);
    table_col(t, "key", "KEY", 0);
    table_col(t, "doc", "MEANING", COL_WIDE);
    for (size_t i = 0; i < config_nkeys; i++) {
        table_row(t);
        table_str(t, config_keys[i].section);
        table_str(t, config_keys[i].name);
        table_str(t, config_keys[i].doc);
    }
    table_print(t, ctx, NULL);
    return EXIT_OK;
}

/* What the file cannot know but a run will meet: a csv file that is not
 * there (yet), a credential's variable not set. Warnings on standard error (into `warnings` with --json);
 * the file is still valid. */
static cJSON *config_warnings(struct cmd_ctx *ctx)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < ctx->cfg->nsources; i++) {
        char *w = config_source_warning(ctx->cfg, &ctx->cfg->sources[i]);
        if (w == NULL)
            continue;
        if (!ctx->json)
            fprintf(stderr, "warning: %s\n", w);
        cJSON_AddItemToArray(list, cJSON_CreateString(w));
        free(w);
    }
    return list;
}

/* With --json, a file that fails the check is an object too: its path and
 * every mistake, one string each (the lines standard error has), so an
 * editor or a CI step reads them without parsing the text. */
static void config_check_failed_json(struct cmd_ctx *ctx, const char *path, const char *all)
{
    cJSON *o = cJSON_CreateObject(), *errors = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "path", path);
    for (const char *c = all; c != NULL && *c != '\0'; c = strchr(c, '\n') + 1) {
        char *line = xstrndup(c, strcspn(c, "\n"));
        cJSON_AddItemToArray(errors, cJSON_CreateString(line));
        free(line);
    }
    if (cJSON_GetArraySize(errors) == 0) /* one mistake, or a file that does not open */
        cJSON_AddItemToArray(errors, cJSON_CreateString(ctx->err.msg));
    cJSON_AddItemToObject(o, "errors", errors);
    out_json(ctx, o);
}

/* The file, read once (unless the console has it already). A file with
 * several wrong lines: each on standard error, then how many (ctx->err),
 * so one check shows everything to fix. */
static int config_check_load(struct cmd_ctx *ctx)
{
    const char *path = ctx->config_path ? ctx->config_path : config_default_path();
    struct buf all = BUF_INIT;
    size_t n = 0;

    if (ctx->cfg != NULL)
        return 0;
    ctx->cfg = config_load_listing(path, &ctx->err, &all);
    ctx->owns_cfg = ctx->cfg != NULL;
    for (const char *c = buf_str(&all); *c != '\0'; c = strchr(c, '\n') + 1)
        n++;
    for (const char *c = buf_str(&all); n > 1 && *c != '\0'; c = strchr(c, '\n') + 1)
        fprintf(stderr, "kasparro: %.*s\n", (int)strcspn(c, "\n"), c);
    if (ctx->cfg == NULL && ctx->json)
        config_check_failed_json(ctx, path, n > 1 ? buf_str(&all) : NULL);
    buf_free(&all);
    return ctx->cfg != NULL ? 0 : -1;
}

static int config_check(struct cmd_ctx *ctx)
{
    struct config *cfg;

    if (config_check_load(ctx) < 0)
        return EXIT_USAGE;
    if (config_require_ingest(ctx->cfg, &ctx->err) < 0) {
        if (ctx->json)
            config_check_failed_json(ctx, ctx->cfg->path ? ctx->cfg->path : "", NULL);
        return EXIT_USAGE;
    }
    cfg = ctx->cfg;
    cJSON *warnings = config_warnings(ctx);
    if (ctx->json) {
        cJSON *o = cJSON_CreateObject(), *fields = cJSON_CreateArray(),
              *sources = cJSON_CreateArray();
        cJSON_AddStringToObject(o, "path", cfg->path ? cfg->path : "");
        for (size_t i = 0; i < cfg->nfields; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "name", cfg->fields[i].name);
            cJSON_AddStringToObject(f, "type", field_type_name(cfg->fields[i].type));
            cJSON_AddBoolToObject(f, "required", cfg->fields[i].required);
            cJSON_AddItemToArray(fields, f);
        }
        for (size_t i = 0; i < cfg->nsources; i++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "name", cfg->sources[i].name);
            cJSON_AddStringToObject(s, "kind", source_kind_name(cfg->sources[i].kind));
            cJSON_AddBoolToObject(s, "enabled", cfg->sources[i].enabled);
            cJSON_AddBoolToObject(s, "unique", cfg->sources[i].unique);
            cJSON_AddStringToObject(s, "mapping",
                                    cfg->sources[i].nmaps == 0 ? "automatic" : "explicit");
            cJSON_AddItemToArray(sources, s);
        }
        cJSON_AddItemToObject(o, "fields", fields);
        cJSON_AddItemToObject(o, "sources", sources);
        cJSON *m = cJSON_AddObjectToObject(o, "matching");
        cJSON_AddBoolToObject(m, "enabled", cfg->match.enabled);
        cJSON_AddBoolToObject(m, "within_source", cfg->match.within_source);
        cJSON_AddItemToObject(o, "warnings", warnings);
        out_json(ctx, o);
        return EXIT_OK;
    }
    cJSON_Delete(warnings);
    out_printf(ctx, "config '%s' is valid: %zu field%s, %zu source%s\n",
               cfg->path ? cfg->path : "(defaults)", cfg->nfields, cfg->nfields == 1 ? "" : "s",
               cfg->nsources, cfg->nsources == 1 ? "" : "s");
    for (size_t i = 0; i < cfg->nfields; i++)
        out_printf(ctx, "  field  %-16s %s%s\n", cfg->fields[i].name,
                   field_type_name(cfg->fields[i].type),
                   cfg->fields[i].required ? ", required" : "");
    for (size_t i = 0; i < cfg->nsources; i++)
        out_printf(ctx, "  source %-16s %s%s%s%s\n", cfg->sources[i].name,
                   source_kind_name(cfg->sources[i].kind),
                   cfg->sources[i].nmaps == 0 ? ", mapping automatic (each field from the "
                                                "column or key of its name)" : "",
                   cfg->sources[i].unique ? ", unique" : "",
                   cfg->sources[i].enabled ? "" : " (disabled)");
    out_printf(ctx, "  matching %s\n", !cfg->match.enabled       ? "off"
                                      : cfg->match.within_source ? "across and within sources"
                                                                 : "across sources");
    return EXIT_OK;
}

static const char *const config_subcommands[] = {"check", "keys", NULL};

static int config_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *sub = args->argc > 0 ? args->argv[0] : "check";

    if (strcmp(sub, "keys") == 0)
        return config_keys_list(ctx);
    if (strcmp(sub, "check") == 0)
        return config_check(ctx);
    return cmd_subcommand_error(&ctx->err, "config", config_subcommands, sub);
}

const struct cmd_entry cmd_config_entry = {
    .name = "config",
    .usage = "[check | keys] [--json]",
    .summary = "check the configuration file, or list every configuration key",
    .max_args = 1,
    .flags = CMD_LISTING,
    .arg_kind = ARG_WORD,
    .subcommands = config_subcommands,
    .exec = config_exec,
};
