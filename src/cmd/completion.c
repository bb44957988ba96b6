/*
 * completion.c — the one decision of what a command line's last word
 * completes to (completion.h), for the console's ':' line and the shell.
 *
 * The first word is a command (the ones the face runs). After it, the
 * words before the last say where the last one stands: a word after an
 * option that takes a value is that value; "--NAME=VALUE" is the value after
 * the '='; a word starting with '-' (before a lone "--") is an option name;
 * anything else is the next positional argument, counted past the options
 * and their values — the first of them a subcommand where the command has
 * some, the second of `split ENTITY RECORD` a record. A positional beyond
 * the command's max_args completes to nothing.
 *
 * A value completes to its option's choices, to the lowercase words of its
 * placeholder ("N|all" -> all), to file names (kind ARG_FILE, or the
 * placeholder FILE), or to what its kind names through the caller. An
 * `audit --object TYPE[:ID]` value is an object type, "TYPE:" where the type
 * has ids, and after the ':' those ids.
 */
#include "kasparro/completion.h"

#include <ctype.h>
#include <dirent.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kasparro/audit.h"
#include "kasparro/buf.h"
#include "kasparro/paths.h"
#include "kasparro/util.h"

static bool all_digits(const char *s) { return *s != '\0' && s[strspn(s, "0123456789")] == '\0'; }

/* Two numbers by value (9 before 10), leading zeros aside; else bytes. */
int cmd_complete_cmp(const char *a, const char *b)
{
    if (all_digits(a) && all_digits(b)) {
        const char *x = a + strspn(a, "0"), *y = b + strspn(b, "0");
        size_t nx = strlen(x), ny = strlen(y);
        if (nx != ny)
            return nx < ny ? -1 : 1;
        if (strcmp(x, y) != 0)
            return strcmp(x, y);
    }
    return strcmp(a, b);
}

static int cmp_words(const void *a, const void *b, void *skip)
{
    /* past what every candidate starts with ("run:" of audit --object run:N) */
    size_t n = *(const size_t *)skip;
    return cmd_complete_cmp(*(char *const *)a + n, *(char *const *)b + n);
}

void cmd_offer(struct cmd_completion *c, const char *word)
{
    char *whole;

    if (word == NULL || *word == '\0' || strncmp(word, c->cur, strlen(c->cur)) != 0 ||
        (c->numbers_only && word[strspn(word, "0123456789")] != '\0'))
        return;
    whole = xasprintf("%s%s", c->before != NULL ? c->before : "", word);
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->words[i], whole) == 0) {
            free(whole);
            return;
        }
    }
    c->words = xreallocarray(c->words, c->n + 1, sizeof *c->words);
    c->words[c->n++] = whole;
}

void cmd_completion_free(struct cmd_completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->words[i]);
    free(c->words);
    free(c->before);
    c->words = NULL;
    c->before = NULL;
    c->n = 0;
}

/* The folder whose entries complete c->cur, up to its last '/': a leading
 * "~" or "~USER" read as the home folder it names, as a shell and the
 * console's line expand it when the command runs (paths_tilde). */
static char *files_dir(const struct cmd_completion *c, const char *slash)
{
    if (slash != NULL && c->cur[0] == '~') {
        char *prefix = xstrndup(c->cur, (size_t)(slash - c->cur));
        char *dir = paths_tilde(prefix);
        free(prefix);
        if (dir != NULL)
            return dir;
    }
    return slash == NULL     ? xstrdup(".")
           : slash == c->cur ? xstrdup("/")
                             : xstrndup(c->cur, (size_t)(slash - c->cur));
}

/* "~" completes to the home folder, then its files, as bash's own Tab
 * does; "~ro" to the users whose names start so ("~root/"). */
static void offer_homes(struct cmd_completion *c)
{
    struct passwd *pw;

    if (strcmp(c->cur, "~") == 0) {
        cmd_offer(c, "~/");
        return;
    }
    setpwent();
    while ((pw = getpwent()) != NULL) {
        char *word = xasprintf("~%s/", pw->pw_name);
        cmd_offer(c, word);
        free(word);
    }
    endpwent();
}

void cmd_offer_files(struct cmd_completion *c)
{
    const char *slash = strrchr(c->cur, '/');
    char *dir;
    size_t keep = slash == NULL ? 0 : (size_t)(slash - c->cur) + 1;

    if (c->cur[0] == '~' && slash == NULL) {
        offer_homes(c);
        return;
    }
    dir = files_dir(c, slash);
    const char *base = c->cur + keep;
    DIR *d = opendir(dir);
    struct dirent *de;

    while (d != NULL && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (de->d_name[0] == '.' && base[0] != '.'))
            continue; /* hidden files when asked for, as ls and bash do */
        char *path = xasprintf("%.*s%s", (int)keep, c->cur, de->d_name);
        char *full = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        char *word = xasprintf("%s%s", path, is_dir ? "/" : "");
        cmd_offer(c, word);
        free(word);
        free(full);
        free(path);
    }
    if (d != NULL)
        closedir(d);
    free(dir);
}

static void offer_commands(struct cmd_completion *c)
{
    int skip = c->origin == ORIGIN_CONSOLE ? CMD_SHELL_ONLY : CMD_CONSOLE_ONLY;

    for (size_t i = 0; i < cmd_count; i++)
        if (!(cmd_table[i]->flags & skip))
            cmd_offer(c, cmd_table[i]->name);
}

static void offer_kind(struct cmd_completion *c, enum cmd_arg_kind kind)
{
    if (kind == ARG_COMMAND)
        offer_commands(c);
    else if (kind == ARG_FILE)
        cmd_offer_files(c);
    else if (kind != ARG_NONE && kind != ARG_WORD && c->kind != NULL)
        c->kind(c, kind, c->cur);
}

/* Moves `n` bytes of the value into what every candidate starts with. */
static void take_before(struct cmd_completion *c, size_t n)
{
    char *b = xasprintf("%s%.*s", c->before != NULL ? c->before : "", (int)n, c->cur);

    free(c->before);
    c->before = b;
    c->cur += n;
}

/* The id of each audit object type, as its own argument names it. */
static enum cmd_arg_kind object_kind(const char *type, size_t len)
{
    static const struct {
        const char *type;
        enum cmd_arg_kind kind;
    } ids[] = {
        {"record", ARG_RECORD},     {"run", ARG_RUN},       {"candidate", ARG_CANDIDATE},
        {"decision", ARG_DECISION}, {"entity", ARG_ENTITY}, {"source", ARG_SOURCE},
    };
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
        if (strlen(ids[i].type) == len && strncmp(ids[i].type, type, len) == 0)
            return ids[i].kind;
    return ARG_NONE;
}

/* TYPE, "TYPE:" for a type with ids, and after the ':' an id of it: a
 * number, as the log keeps it (not a record's SOURCE/ID, an entity's key). */
static void offer_object(struct cmd_completion *c)
{
    const char *colon = strchr(c->cur, ':');
    char word[64];

    if (colon != NULL) {
        enum cmd_arg_kind kind = object_kind(c->cur, (size_t)(colon - c->cur));
        take_before(c, (size_t)(colon - c->cur) + 1);
        c->numbers_only = kind != ARG_SOURCE;
        offer_kind(c, kind);
        c->numbers_only = false;
        return;
    }
    for (const char *const *t = audit_object_types; *t != NULL; t++) {
        snprintf(word, sizeof word, "%s%s", *t, object_kind(*t, strlen(*t)) ? ":" : "");
        cmd_offer(c, word);
    }
}

static void offer_value(struct cmd_completion *c, const struct cmd_opt *o)
{
    const char *p = o->arg;

    if (o->kind == ARG_OBJECT) {
        offer_object(c);
        return;
    }
    for (const char *const *w = o->choices; w != NULL && *w != NULL; w++)
        cmd_offer(c, *w);
    /* "N|all": the lowercase words of the placeholder are values as typed */
    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, "|");
        char *alt = xstrndup(p, n);
        bool word = islower((unsigned char)alt[0]);
        for (const char *q = alt; word && *q != '\0'; q++)
            word = islower((unsigned char)*q) || *q == '-' || *q == '_';
        if (word)
            cmd_offer(c, alt);
        free(alt);
        p += n + (p[n] == '|');
    }
    offer_kind(c, o->kind != ARG_NONE ? o->kind : str_eq(o->arg, "FILE") ? ARG_FILE : ARG_NONE);
}

/* The option of `e` named `name` (`len` bytes) that takes a value. */
static const struct cmd_opt *value_opt_named(const struct cmd_entry *e, const char *name,
                                             size_t len)
{
    for (const struct cmd_opt *o = e->opts; o != NULL && o->name != NULL; o++)
        if (o->arg != NULL && strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static bool is_option(const char *w)
{
    return w[0] == '-' && w[1] != '\0' && !isdigit((unsigned char)w[1]);
}

static void offer_option(const char *word, void *arg) { cmd_offer(arg, word); }

/* The words after the command's name, the last one completed. */
static void complete_args(struct cmd_completion *c, const struct cmd_entry *e, int argc,
                          char **argv)
{
    const struct cmd_opt *o = NULL;
    bool only_positional = false;
    int positional = 0;

    for (int i = 0; i < argc - 1; i++) {
        if (only_positional || !is_option(argv[i]))
            positional++;
        else if (strcmp(argv[i], "--") == 0)
            only_positional = true;
        else if (cmd_value_opt(e, argv[i]) != NULL && ++i == argc - 1)
            o = cmd_value_opt(e, argv[i - 1]); /* the last word is its value */
    }
    if (o != NULL) {
        offer_value(c, o);
    } else if (!only_positional && strncmp(c->cur, "--", 2) == 0 && strchr(c->cur, '=') != NULL) {
        const char *eq = strchr(c->cur, '=');
        if ((o = value_opt_named(e, c->cur + 2, (size_t)(eq - c->cur - 2))) != NULL) {
            take_before(c, (size_t)(eq - c->cur) + 1);
            offer_value(c, o);
        }
    } else if (!only_positional && c->cur[0] == '-') {
        cmd_option_words(e, offer_option, c);
    } else if (e->max_args >= 0 && positional >= e->max_args) {
        return; /* no argument more */
    } else if (positional == 0 && e->subcommands != NULL) {
        for (const char *const *w = e->subcommands; *w != NULL; w++)
            cmd_offer(c, *w);
    } else if (e->arg_kind == ARG_ENTITY && positional > 0) {
        offer_kind(c, ARG_RECORD); /* split ENTITY RECORD */
    } else {
        offer_kind(c, e->arg_kind);
    }
}

int cmd_complete_split(const char *line, char ***argv, char *open_quote)
{
    struct cmd_split_end end = {0};
    int argc = cmd_split_words(line, argv, &end);

    if (open_quote != NULL)
        *open_quote = end.quote;
    if (argc >= 0 && !end.in_word) {
        *argv = xreallocarray(*argv, (size_t)argc + 2, sizeof **argv);
        (*argv)[argc++] = xstrdup("");
        (*argv)[argc] = NULL;
    }
    return argc;
}

char *cmd_complete_quote(const char *word, char open_quote)
{
    struct buf b = BUF_INIT;
    const char *special = open_quote == '"' ? "\"\\" : open_quote != 0 ? "" : " \t\n'\"\\";

    for (const char *p = word; *p != '\0'; p++) {
        if (*special != '\0' && strchr(special, *p) != NULL)
            buf_addc(&b, '\\');
        buf_addc(&b, *p);
    }
    buf_add(&b, "", 0);
    return buf_detach(&b);
}

void cmd_complete(struct cmd_completion *c, int argc, char **argv)
{
    const struct cmd_entry *e;
    struct err err = {0};

    c->cur = argc > 0 ? argv[argc - 1] : "";
    if (argc <= 1) {
        offer_commands(c);
    } else if ((e = cmd_lookup(argv[0], c->origin, &err)) != NULL &&
               !(e->flags & (c->origin == ORIGIN_CONSOLE ? CMD_SHELL_ONLY : CMD_CONSOLE_ONLY))) {
        complete_args(c, e, argc - 1, argv + 1);
    }
    cmd_complete_sort(c);
}

void cmd_complete_sort(struct cmd_completion *c)
{
    size_t skip = c->before != NULL ? strlen(c->before) : 0;

    if (c->n > 1)
        qsort_r(c->words, c->n, sizeof *c->words, cmp_words, &skip);
}
