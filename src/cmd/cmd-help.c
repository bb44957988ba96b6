/*
 * cmd-help.c — `kasparro help [COMMAND]`: the command list, or one command's
 * usage, summary and options, all read from the command table.
 */
#include <string.h>

#include "kasparro/out.h"

/* What a command's arguments name, as help --json says it: scripts (and
 * the test that every id-taking command words a missing id one way) read
 * it from the table rather than from the usage's placeholders. */
static const char *arg_kind_name(enum cmd_arg_kind kind)
{
    static const char *const names[] = {
        [ARG_WORD] = "word",     [ARG_COMMAND] = "command",     [ARG_SOURCE] = "source",
        [ARG_RUN] = "run",       [ARG_CANDIDATE] = "candidate", [ARG_ENTITY] = "entity",
        [ARG_RECORD] = "record", [ARG_DECISION] = "decision",   [ARG_SCREEN] = "screen",
        [ARG_FILE] = "file",     [ARG_KEYTABLE] = "key table",  [ARG_OBJECT] = "object",
    };
    return (size_t)kind < ARRAY_SIZE(names) ? names[kind] : NULL;
}

/* The commands a caller from `origin` can run, or only `name` when given.
 * Too narrow for usages and summaries both, whole summaries say more than
 * cut usages, and 'help COMMAND' gives the usage: the usages are optional. */
static struct table *help_table(const struct cmd_ctx *ctx, const char *name)
{
    struct table *t = table_new();

    table_col(t, "name", "COMMAND", 0);
    table_col(t, "usage", "USAGE", COL_WIDE | COL_OPTIONAL);
    table_col(t, "summary", "SUMMARY", COL_WIDE);
    table_col(t, "alias", "ALIAS", COL_JSON_ONLY);
    table_col(t, "options", "OPTIONS", COL_JSON_ONLY);
    table_col(t, "argument", "ARGUMENT", COL_JSON_ONLY);
    table_col(t, "console_only", "CONSOLE ONLY", COL_JSON_ONLY);
    for (size_t i = 0; i < cmd_count; i++) {
        const struct cmd_entry *e = cmd_table[i];
        if (name != NULL && strcmp(e->name, name) != 0)
            continue;
        if (ctx->origin == ORIGIN_CONSOLE && (e->flags & CMD_SHELL_ONLY))
            continue;
        /* a shell's list leaves out what it cannot run; asked by name, it
         * answers as 'help NAME' does, saying where the command works */
        if (ctx->origin != ORIGIN_CONSOLE && (e->flags & CMD_CONSOLE_ONLY) && name == NULL)
            continue;
        table_row(t);
        table_str(t, e->name);
        table_str(t, e->usage ? e->usage : "");
        table_str(t, e->summary);
        table_str(t, e->alias);
        table_json(t, "", cmd_opts_json(e));
        table_str(t, arg_kind_name(e->arg_kind));
        table_json(t, "", cJSON_CreateBool((e->flags & CMD_CONSOLE_ONLY) != 0));
    }
    return t;
}

static int help_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *name = args->argc == 1 ? args->argv[0] : NULL;
    const struct cmd_entry *e;

    if (name != NULL) {
        if ((e = cmd_lookup(name, ctx->origin, &ctx->err)) == NULL)
            return EXIT_USAGE;
        if (!ctx->json) {
            cmd_print_help(e, ctx->origin, ctx->out);
            return EXIT_OK;
        }
    }
    struct table *t = help_table(ctx, name);
    if (!ctx->json && ctx->origin == ORIGIN_SHELL)
        out_printf(ctx, "usage: kasparro [-c FILE] COMMAND [ARGS...]\n"
                        "       kasparro [-c FILE]          (on a terminal: the console)\n\n");
    table_print(t, ctx, NULL);
    if (!ctx->json)
        out_printf(ctx, "\n'%shelp COMMAND' shows one command; kasparro(1) has them all.\n",
                   cmd_prefix(ctx->origin));
    return EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .usage = "[--json] [COMMAND]",
    .summary = "list the commands, or show one command's usage and options",
    .max_args = 1,
    .flags = CMD_LISTING,
    .arg_kind = ARG_COMMAND,
    .exec = help_exec,
};
