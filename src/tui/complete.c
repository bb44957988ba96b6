/*
 * complete.c — Tab completion on the command line, from the command table.
 *
 * The first word completes to command names (every command the console
 * offers). After it: options of that command when the word starts with
 * '-', its subcommands for the first argument, and otherwise what its
 * arguments name (the entry's arg_kind): source names from the
 * configuration, screen and command names, and ids — runs, candidates,
 * entities, records — from what the screens last loaded from the database.
 * Completion never queries the database itself: it runs on the UI thread,
 * inside readline, and must not wait.
 */
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

static struct tui *completing;

static struct {
    char **words;
    size_t n;
    size_t next; /* generator position */
} cand;

static void cand_clear(void)
{
    for (size_t i = 0; i < cand.n; i++)
        free(cand.words[i]);
    free(cand.words);
    memset(&cand, 0, sizeof cand);
}

static void cand_add(const char *w)
{
    if (w == NULL || *w == '\0')
        return;
    for (size_t i = 0; i < cand.n; i++)
        if (strcmp(cand.words[i], w) == 0)
            return;
    cand.words = xreallocarray(cand.words, cand.n + 1, sizeof *cand.words);
    cand.words[cand.n++] = xstrdup(w);
}

static char *generate(const char *text, int state)
{
    size_t len = strlen(text);

    if (state == 0)
        cand.next = 0;
    while (cand.next < cand.n) {
        const char *w = cand.words[cand.next++];
        if (strncmp(w, text, len) == 0)
            return xstrdup(w);
    }
    return NULL;
}

static void add_commands(void)
{
    for (size_t i = 0; i < cmd_count; i++)
        if (!(cmd_table[i]->flags & CMD_SHELL_ONLY))
            cand_add(cmd_table[i]->name);
}

static void add_options(const struct cmd_entry *e)
{
    char buf[80];

    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++) {
        snprintf(buf, sizeof buf, "--%s", o->name);
        cand_add(buf);
    }
    if (e->flags & (CMD_LISTING | CMD_JSON))
        cand_add("--json");
    cand_add("--help");
}

/* Ids the screens show: whatever each last loaded from the database. */
static void add_from_screens(struct tui *t, enum cmd_arg_kind kind)
{
    for (int i = 0; i < NSCREENS; i++) {
        struct screen *s = &t->screens[i];
        if (s->ops->complete == NULL)
            continue;
        s->ops->complete(s, kind, cand_add);
        if (s->stale)
            s->ops->load(s); /* better next time */
    }
}

static void add_kind(struct tui *t, enum cmd_arg_kind kind)
{
    switch (kind) {
    case ARG_COMMAND:
        add_commands();
        break;
    case ARG_SOURCE:
        for (size_t i = 0; t->ctx->cfg != NULL && i < t->ctx->cfg->nsources; i++)
            cand_add(t->ctx->cfg->sources[i].name);
        break;
    case ARG_SCREEN:
        for (const char *const *n = tui_screen_names(); *n != NULL; n++)
            cand_add(*n);
        cand_add("next");
        cand_add("previous");
        break;
    default:
        add_from_screens(t, kind);
        break;
    }
}

char **complete_line(const char *text, int start, int end)
{
    /* in a prompt with a template, the answer is the template's next word */
    char *before = xasprintf("%s%.*s", prompt_context(), start, rl_line_buffer), **argv = NULL;
    int argc = cmd_split_line(before, &argv);
    struct err err = {0};
    char **matches = NULL;

    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    cand_clear();
    if (argc == 0) {
        add_commands();
    } else if (argc > 0) {
        const struct cmd_entry *e = cmd_find(argv[0], &err);
        if (e != NULL && text[0] == '-')
            add_options(e);
        else if (e != NULL && argc == 1 && e->subcommands != NULL)
            for (const char *const *w = e->subcommands; *w != NULL; w++)
                cand_add(*w);
        else if (e != NULL && e->arg_kind == ARG_ENTITY && argc > 1)
            add_kind(completing, ARG_RECORD); /* split ENTITY RECORD: the entity's members */
        else if (e != NULL)
            add_kind(completing, e->arg_kind);
    }
    if (cand.n > 0)
        matches = rl_completion_matches(text, generate);
    cmd_free_argv(argc > 0 ? argc : 0, argv);
    free(before);
    return matches;
}

void complete_show(char **matches, int n, int max_len)
{
    struct buf b = BUF_INIT;

    (void)max_len;
    for (int i = 1; i <= n; i++)
        buf_printf(&b, "%s%s", i > 1 ? "  " : "", matches[i]);
    snprintf(completing->hint, sizeof completing->hint, "%s", buf_str(&b));
    completing->dirty = true;
    buf_free(&b);
}

void complete_init(struct tui *t) { completing = t; }

void complete_done(void) { cand_clear(); }
