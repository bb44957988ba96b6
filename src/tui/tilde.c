/*
 * tilde.c — "~" and "~USER" in the path arguments of a ':' line, expanded
 * as a shell expands them before kasparro sees its arguments.
 *
 * `kasparro export records -o ~/x.csv` in a shell writes $HOME/x.csv: the
 * shell expanded the word. The console's line reaches the command table
 * unexpanded, where "~/x.csv" was a folder named "~" under the current one.
 * So before a line goes to its command, each word the command table marks
 * as a path (a positional argument of kind ARG_FILE, the value of an option
 * of kind ARG_FILE or whose placeholder is FILE, given as the next word) has
 * its leading "~" or "~USER" replaced with that home folder (paths_tilde),
 * by a shell's rules: only at the start of the word, only when that prefix
 * is not quoted or escaped ('~/x' and \~/x stay as they are), "--output=~/x"
 * stays too (bash expands after '=' only in an assignment), and an unknown
 * user leaves the word alone. The home folder goes in escaped, so that the
 * line splits into the same words with the folder's blanks kept.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/paths.h"
#include "tui-private.h"

/* One word of a line as cmd_split_spans reads it: its text, and where its
 * raw form starts and ends in the line. */
struct tilde_word {
    const char *text;
    size_t start, end;
};

static bool path_opt(const struct cmd_opt *o)
{
    return o != NULL && (o->kind == ARG_FILE || (o->arg != NULL && strcmp(o->arg, "FILE") == 0));
}

/* The raw word, expanded when it starts with a "~" prefix that is neither
 * quoted nor escaped, appended to `out`. */
static void add_expanded(struct buf *out, const char *line, const struct tilde_word *w)
{
    size_t n = w->end - w->start;
    const char *raw = line + w->start;
    size_t prefix = strcspn(raw, "/ \t\n");
    char *home = NULL;

    if (prefix > n)
        prefix = n;
    if (raw[0] == '~' && strcspn(raw, "'\"\\") >= prefix) {
        char *tilde = xstrndup(raw, prefix); /* plain text: nothing in it is quoted */
        home = paths_tilde(tilde);
        free(tilde);
    }
    if (home == NULL) {
        buf_add(out, raw, n);
        return;
    }
    /* the home folder, escaped for cmd_split_line, then the raw word after
     * its prefix as it was */
    for (const char *h = home; *h != '\0'; h++) {
        if (strchr(" \t\n'\"\\", *h) != NULL)
            buf_addc(out, '\\');
        buf_addc(out, *h);
    }
    buf_add(out, raw + prefix, n - prefix);
    free(home);
}

char *tilde_expand_line(const struct cmd_entry *e, const char *line)
{
    struct buf out = BUF_INIT;
    const struct cmd_opt *pending = NULL;
    bool only_positional = false;
    size_t copied = 0, *spans = NULL;
    char **argv;
    int argc = cmd_split_spans(line, &argv, &spans);

    /* a quote left open: the command reports it, and nothing is expanded */
    for (int i = 1; i < argc; i++) {
        struct tilde_word w = {argv[i], spans[2 * i], spans[2 * i + 1]};
        bool path = false;
        const char *a = w.text;
        if (pending != NULL) {
            path = path_opt(pending);
            pending = NULL;
        } else if (!only_positional && strcmp(a, "--") == 0) {
            only_positional = true;
        } else if (!only_positional && a[0] == '-' && a[1] != '\0' && !(a[1] >= '0' && a[1] <= '9')) {
            pending = cmd_value_opt(e, a); /* "--output" or "-o": its value is the next word */
        } else {
            path = e->arg_kind == ARG_FILE;
        }
        if (!path)
            continue;
        buf_add(&out, line + copied, w.start - copied);
        add_expanded(&out, line, &w);
        copied = w.end;
    }
    cmd_free_argv(argc > 0 ? argc : 0, argv);
    free(spans);
    buf_adds(&out, line + copied);
    return buf_detach(&out);
}
