/*
 * complete.c — Tab completion on the command line, from the command table.
 *
 * What the word at the cursor is — a command, an option, an option's
 * value, a subcommand, the next argument — is decided in src/cmd
 * (cmd_complete, completion.h), as `kasparro shell-complete` decides it for
 * a shell, from the line's words up to the cursor (after a prompt's
 * template). This file brings the console's own words for what the table
 * does not hold (add_kind): source names from the configuration and the
 * screens (a removed source with live records, a retired one's deleted
 * records), screen names and key tables, and ids — runs, candidates,
 * entities, records — from what the screens last loaded from the database.
 * cmd_complete gives whole words ("--source=books"); readline's word starts
 * after a '=' (a word break), so that much of each is left off. They come
 * in cmd_complete's order, which readline is told not to sort again.
 * Completion never queries the database itself: it runs on the UI thread,
 * inside readline, and must not wait.
 *
 * A record is also named SOURCE/ID: a record argument offers each source
 * name with its '/', and after it the ids of that source that start with
 * what is typed. Those are looked up on the worker (a bounded read of the
 * first LOOKUP_LIMIT, cmd_record_ids), kept for the next Tab, and when they
 * arrive with the word still the one that asked, the Tab is pressed again
 * for the user.
 */
#include <readline/readline.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/completion.h"
#include "tui-private.h"

static struct tui *completing;

#define LOOKUP_LIMIT 200

/* The ids of one source last looked up, for SOURCE/ID. */
static struct {
    char *source, *prefix; /* what they answer */
    cJSON *ids;            /* array of strings; NULL before the first */
    bool more;             /* the source has more ids with the prefix */
    char *asked;           /* "SOURCE/PREFIX" of the last lookup sent */
} known;

/* One lookup on the worker: a single allocation (JOB_OWNS_ARG). */
struct lookup {
    bool more;
    char *prefix; /* inside the allocation, after source */
    char source[];
};

/* The completion being made, for the screens' add callbacks. */
static struct cmd_completion *current;
/* Its candidates as readline's word ends them: `strip` bytes of each, the
 * ones before readline's word ("--source=" when it completes after '='). */
static size_t strip, next;
/* The quote the line leaves open at the cursor, or 0 (cmd_complete_split). */
static char open_quote;

static void cand_add(const char *w) { cmd_offer(current, w); }

/* The candidates as cmd_complete ordered them (rl_sort_completion_matches
 * is off: readline would sort them again by the locale's collation). */
static char *generate(const char *text, int state)
{
    (void)text;
    if (state == 0)
        next = 0;
    while (next < current->n) {
        const char *w = current->words[next++];
        if (strlen(w) >= strip) /* quoted as the line reads it back */
            return cmd_complete_quote(w + strip, open_quote);
    }
    return NULL;
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

static void lookup_run(struct cmd_ctx *ctx, struct job *j)
{
    struct lookup *l = j->arg;

    j->json = cmd_record_ids(ctx, l->source, l->prefix, LOOKUP_LIMIT, &l->more);
    j->rc = j->json != NULL ? EXIT_OK : EXIT_FAIL;
}

static int no_more(void *arg)
{
    (void)arg;
    return -1;
}

/* The word before the cursor on the open line. */
static bool word_is(const char *word)
{
    size_t n = strlen(word);
    const char *line = rl_line_buffer != NULL ? rl_line_buffer : "";

    return prompt_active() && (size_t)rl_point >= n &&
           strncmp(line + rl_point - n, word, n) == 0 &&
           ((size_t)rl_point == n || line[rl_point - n - 1] == ' ');
}

static void lookup_done(struct tui *t, struct job *j)
{
    struct lookup *l = j->arg;
    char *word = xasprintf("%s/%s", l->source, l->prefix);
    bool again = false;

    if (j->json != NULL) {
        free(known.source);
        free(known.prefix);
        cJSON_Delete(known.ids);
        known.source = xstrdup(l->source);
        known.prefix = xstrdup(l->prefix);
        known.ids = j->json;
        known.more = l->more;
        j->json = NULL;
        again = word_is(word);
    } else {
        err_format(t->hint, sizeof t->hint, "no ids of %s: %s", l->source, j->err.msg);
        t->dirty = true;
    }
    if (known.asked != NULL && strcmp(known.asked, word) == 0) {
        free(known.asked);
        known.asked = NULL;
    }
    free(word);
    free(l);
    if (again)
        prompt_key('\t', no_more, NULL); /* the Tab that asked, now answered */
}

/* An id the line can hold as one word. */
static bool one_word(const char *id) { return strpbrk(id, " \t\n\"\\'`@$><=;|&{(") == NULL; }

/* SOURCE/PREFIX: the known ids when they answer it, else a lookup. */
static void add_source_ids(struct tui *t, const char *text)
{
    const char *slash = strchr(text, '/');
    char *source = xstrndup(text, (size_t)(slash - text));
    const char *prefix = slash + 1;
    char word[512];

    if (known.ids != NULL && strcmp(known.source, source) == 0 &&
        strncmp(prefix, known.prefix, strlen(known.prefix)) == 0 &&
        (!known.more || strcmp(prefix, known.prefix) == 0)) {
        const cJSON *id;
        cJSON_ArrayForEach(id, known.ids) {
            if (cJSON_IsString(id) && one_word(id->valuestring)) {
                snprintf(word, sizeof word, "%s/%s", source, id->valuestring);
                cand_add(word);
            }
        }
    } else if (known.asked == NULL || strcmp(known.asked, text) != 0) {
        size_t n = strlen(source) + 1;
        struct lookup *l = xcalloc(1, sizeof *l + n + strlen(prefix) + 1);
        memcpy(l->source, source, n);
        l->prefix = l->source + n;
        memcpy(l->prefix, prefix, strlen(prefix) + 1);
        free(known.asked);
        known.asked = xstrdup(text);
        worker_submit_fn(t->worker, "looking up record ids", lookup_run, lookup_done, l);
        err_format(t->hint, sizeof t->hint, "looking up the ids of %s...", source);
        t->dirty = true;
    }
    free(source);
}

/* A record: ids from the screens, SOURCE/ for each source, and after a
 * source's '/' its ids. */
static void add_records(struct tui *t, const char *text)
{
    char word[256];

    add_from_screens(t, ARG_RECORD);
    if (strchr(text, '/') != NULL && text[0] != '/') {
        add_source_ids(t, text);
        return;
    }
    for (size_t i = 0; t->ctx->cfg != NULL && i < t->ctx->cfg->nsources; i++) {
        snprintf(word, sizeof word, "%s/", t->ctx->cfg->sources[i].name);
        cand_add(word);
    }
}

/* The console's words for what the command table does not hold: the
 * configuration's sources, the screens' names and key tables, and the ids
 * the screens last loaded (cmd_complete decides which kind is wanted). */
static void add_kind(struct cmd_completion *c, enum cmd_arg_kind kind, const char *cur)
{
    struct tui *t = c->arg;

    switch (kind) {
    case ARG_SOURCE: /* and the removed ones the Sources (live records) and
                      * Deleted (retired ones) screens list */
        for (size_t i = 0; t->ctx->cfg != NULL && i < t->ctx->cfg->nsources; i++)
            cand_add(t->ctx->cfg->sources[i].name);
        add_from_screens(t, kind);
        break;
    case ARG_SCREEN:
        for (const char *const *n = tui_screen_names(); *n != NULL; n++)
            cand_add(*n);
        cand_add("next");
        cand_add("previous");
        break;
    case ARG_KEYTABLE:
        for (const struct keytable_name *k = keys_tables; k->name != NULL; k++)
            cand_add(k->name);
        break;
    case ARG_RECORD:
        if (c->numbers_only)
            add_from_screens(t, kind); /* audit --object record:ID */
        else
            add_records(t, cur);
        break;
    default:
        add_from_screens(t, kind);
        break;
    }
}

/* The line up to the cursor as words, the last one the word completed ("" after a blank). */
static int line_words(int end, char ***argv)
{
    char *line = xasprintf("%s%.*s", prompt_context(), end, rl_line_buffer);
    int argc = cmd_complete_split(line, argv, &open_quote); /* "foo\ " is one word */

    free(line);
    return argc;
}

char **complete_line(const char *text, int start, int end)
{
    /* in a prompt with a template, the answer is the template's next word */
    char **argv = NULL, **matches = NULL;
    int argc = line_words(end, &argv);
    struct cmd_completion c = {.origin = ORIGIN_CONSOLE, .kind = add_kind, .arg = completing};
    size_t typed, tlen = strlen(text);

    (void)start;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    rl_sort_completion_matches = 0;   /* cmd_complete's order, whatever the locale */
    if (open_quote != 0) /* a word completed inside a quote ends it */
        rl_completion_append_character = open_quote;
    current = &c;
    if (argc > 0) {
        cmd_complete(&c, argc, argv);
        typed = strlen(argv[argc - 1]);
        /* readline's word is the end of ours: after a '=' (a word break) */
        if (c.n > 0 && typed >= tlen && strcmp(argv[argc - 1] + typed - tlen, text) == 0) {
            strip = typed - tlen;
            matches = rl_completion_matches(text, generate);
        }
    }
    /* "crm/" and "run:" are half a word: the id follows them, not a space */
    if (matches != NULL && matches[1] == NULL && *matches[0] != '\0' &&
        strchr("/:", matches[0][strlen(matches[0]) - 1]) != NULL)
        rl_completion_suppress_append = 1;
    cmd_completion_free(&c);
    current = NULL;
    cmd_free_argv(argc > 0 ? argc : 0, argv);
    return matches;
}

void complete_show(char **matches, int n, int max_len)
{
    struct buf b = BUF_INIT;

    (void)max_len;
    for (int i = 1; i <= n; i++)
        buf_printf(&b, "%s%s", i > 1 ? "  " : "", matches[i]);
    err_copy(completing->hint, sizeof completing->hint, buf_str(&b));
    completing->dirty = true;
    buf_free(&b);
}

void complete_init(struct tui *t) { completing = t; }

void complete_done(void)
{
    free(known.source);
    free(known.prefix);
    free(known.asked);
    cJSON_Delete(known.ids);
    memset(&known, 0, sizeof known);
}
