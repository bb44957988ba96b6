/*
 * cmd-shell-complete.c — `kasparro shell-complete -- WORD...`: what a shell
 * offers for the last WORD of a command line, one candidate a line, read
 * from the command table as the console's Tab reads it (src/tui/complete.c).
 *
 * The words are the line after "kasparro" up to the one being completed
 * (empty for a new word), as share/bash-completion/kasparro passes them:
 * commands first (after a -c FILE), then a command's options when the word
 * starts with '-', an option's value by its kind or choices, subcommands,
 * and source names for a source argument or value. Sources come from the
 * configuration file only: a shell waits for the answer at each Tab, so
 * this never opens the database, and an unreadable file completes nothing.
 * With --json the candidates are one array, for other shells' scripts.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/out.h"
#include "kasparro/util.h"

static cJSON *offered; /* the --json array */

static void offer(struct cmd_ctx *ctx, const char *word, const char *cur)
{
    if (strncmp(word, cur, strlen(cur)) != 0)
        return;
    if (ctx->json)
        cJSON_AddItemToArray(offered, cJSON_CreateString(word));
    else
        out_printf(ctx, "%s\n", word);
}

static void offer_kind(struct cmd_ctx *ctx, enum cmd_arg_kind kind, const char *cur)
{
    if (kind == ARG_COMMAND) {
        for (size_t i = 0; i < cmd_count; i++)
            if (!(cmd_table[i]->flags & CMD_CONSOLE_ONLY))
                offer(ctx, cmd_table[i]->name, cur);
    } else if (kind == ARG_SOURCE && cmd_ctx_config(ctx) == 0) {
        for (size_t i = 0; i < ctx->cfg->nsources; i++)
            offer(ctx, ctx->cfg->sources[i].name, cur);
    }
}

struct offering {
    struct cmd_ctx *ctx;
    const char *cur;
};

static void offer_word(const char *word, void *arg)
{
    const struct offering *o = arg;
    offer(o->ctx, word, o->cur);
}

/* The words after the command's name: what the last of them can be. */
static void offer_args(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc, char **argv)
{
    const char *cur = argv[argc - 1];
    const struct cmd_opt *o = argc > 1 ? cmd_value_opt(e, argv[argc - 2]) : NULL;
    int positional = 0;

    if (o != NULL && o->choices != NULL) {
        for (const char *const *w = o->choices; *w != NULL; w++)
            offer(ctx, *w, cur);
    } else if (o != NULL) {
        offer_kind(ctx, o->kind, cur);
    } else if (cur[0] == '-') {
        cmd_option_words(e, offer_word, &(struct offering){ctx, cur});
    } else {
        for (int i = 0; i < argc - 1; i++) {
            if (cmd_value_opt(e, argv[i]) != NULL && strchr(argv[i], '=') == NULL)
                i++; /* its value */
            else if (argv[i][0] != '-')
                positional++;
        }
        if (positional == 0 && e->subcommands != NULL)
            for (const char *const *w = e->subcommands; *w != NULL; w++)
                offer(ctx, *w, cur);
        else
            offer_kind(ctx, e->arg_kind, cur);
    }
}

static int shell_complete_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    int argc = args->argc, i = 0;
    char **argv = args->argv;
    const struct cmd_entry *e;
    struct err err = {0};

    offered = ctx->json ? cJSON_CreateArray() : NULL;
    /* kasparro's own options before the command: -c FILE names the file */
    while (i < argc - 1 && argv[i][0] == '-') {
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
            if (i + 1 < argc - 1)
                ctx->config_path = argv[i + 1];
            i += 2;
        } else {
            if (str_starts(argv[i], "--config="))
                ctx->config_path = argv[i] + 9;
            i++;
        }
    }
    if (i == argc - 1) {
        offer_kind(ctx, ARG_COMMAND, argv[i]);
    } else if (i < argc && (e = cmd_find(argv[i], &err)) != NULL &&
               !(e->flags & CMD_CONSOLE_ONLY)) {
        offer_args(ctx, e, argc - i - 1, argv + i + 1);
    }
    if (ctx->json)
        out_json(ctx, offered); /* takes it */
    offered = NULL;
    return EXIT_OK;
}

const struct cmd_entry cmd_shell_complete_entry = {
    .name = "shell-complete",
    .usage = "[--json] -- [WORD...]",
    .summary = "print what a shell completes the last word of a command line to",
    .min_args = 1,
    .max_args = -1,
    .flags = CMD_SHELL_ONLY | CMD_JSON,
    .exec = shell_complete_exec,
};
