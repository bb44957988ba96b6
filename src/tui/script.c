/*
 * script.c — the non-interactive driver: the real console, run from a file.
 *
 * `kasparro console --script FILE` reads keys and commands from FILE
 * instead of a person (tig's TIG_SCRIPT, htop's -n): the whole console
 * runs — threads, database, readline, drawing into a screen of fixed size
 * whose output goes to /dev/null — which is how tests and the ASan/UBSan
 * build exercise it without a terminal. One instruction per line:
 *
 *   key NAME...     keys, named as for `bind` (j, Enter, C-r, PgDn ...)
 *   type TEXT       the bytes of TEXT as typed keys (UTF-8 welcome)
 *   :COMMAND        ':' then COMMAND then Enter, through readline
 *   wait            until no command or load is pending
 *   wait-run        until the engine is idle and its results are loaded
 *   wait-for REGEX  until the screen matches an extended regular expression
 *   resize COLS ROWS
 *   timeout SECONDS how long a wait may take (default 30)
 *   # a comment
 *
 * Keys are handled (and the screen redrawn) before the next line runs.
 * A wait that times out ends the console with exit status 1 and a message
 * naming the line. When the script ends the console quits.
 */
#include <curses.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "tui-private.h"

struct script {
    char *path;
    char **lines;
    int n, next;
    double timeout;
    double waiting_since; /* 0: not waiting */
};

struct script *script_open(const char *path, struct err *err)
{
    FILE *f = fopen(path, "r");
    struct script *s;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (f == NULL) {
        err_code(err, EXIT_USAGE, "unable to open script '%s': %m", path);
        return NULL;
    }
    s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->timeout = 30;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        s->lines = xreallocarray(s->lines, (size_t)s->n + 1, sizeof *s->lines);
        s->lines[s->n++] = xstrdup(line);
    }
    free(line);
    fclose(f);
    return s;
}

void script_free(struct script *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    free(s->path);
    free(s);
}

static enum script_state fail(struct tui *t, struct script *s, const char *why)
{
    err_code(&t->ctx->err, EXIT_FAIL, "script '%s' line %d: %s", s->path, s->next + 1, why);
    t->exit_code = EXIT_FAIL;
    s->next = s->n;
    return SCRIPT_END;
}

static bool screen_matches(struct tui *t, const char *pattern, bool *bad)
{
    struct buf text = BUF_INIT;
    regex_t re;
    bool match;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0) {
        *bad = true;
        return false;
    }
    ui_screen_text(t, &text);
    match = regexec(&re, buf_str(&text), 0, NULL, 0) == 0;
    regfree(&re);
    buf_free(&text);
    return match;
}

/* true when the wait is over; false to come back later */
static bool wait_over(struct tui *t, const char *cmd, const char *arg, bool *bad)
{
    bool idle = worker_pending(t->worker) == 0;

    if (strcmp(cmd, "wait") == 0)
        return idle;
    if (strcmp(cmd, "wait-run") == 0)
        return idle && !engine_busy(t->engine) && !t->prog.active;
    return screen_matches(t, arg, bad);
}

static enum script_state run_wait(struct tui *t, struct script *s, const char *cmd, const char *arg)
{
    bool bad = false;
    double now = clock_mono();

    if (s->waiting_since == 0)
        s->waiting_since = now;
    if (wait_over(t, cmd, arg, &bad)) {
        s->waiting_since = 0;
        s->next++;
        return SCRIPT_MORE;
    }
    if (bad)
        return fail(t, s, "not a regular expression");
    if (now - s->waiting_since > s->timeout) {
        char why[512];
        snprintf(why, sizeof why, "timed out after %.0f seconds: %s%s%s", s->timeout, cmd,
                 *arg ? " " : "", arg);
        return fail(t, s, why);
    }
    return SCRIPT_WAITING;
}

static enum script_state run_keys(struct tui *t, struct script *s, char *names)
{
    char *save = NULL;

    for (char *name = strtok_r(names, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        int key = key_parse(name);
        if (key < 0)
            return fail(t, s, "unknown key name");
        input_push(key);
    }
    s->next++;
    return SCRIPT_MORE;
}

enum script_state script_step(struct tui *t, struct script *s)
{
    while (s->next < s->n) {
        char *line = s->lines[s->next], cmd[32] = "";
        const char *arg;
        int cols, rows;

        sscanf(line, "%31s", cmd);
        arg = line + strspn(line, " \t");
        arg += strlen(cmd);
        arg += strspn(arg, " \t");
        if (cmd[0] == '\0' || cmd[0] == '#') {
            s->next++;
        } else if (line[0] == ':') {
            input_push(':');
            input_push_text(line + 1);
            input_push('\r');
            s->next++;
            return SCRIPT_MORE;
        } else if (strcmp(cmd, "key") == 0) {
            char *names = xstrdup(arg);
            enum script_state st = run_keys(t, s, names);
            free(names);
            return st;
        } else if (strcmp(cmd, "type") == 0) {
            input_push_text(arg);
            s->next++;
            return SCRIPT_MORE;
        } else if (strcmp(cmd, "wait") == 0 || strcmp(cmd, "wait-run") == 0 ||
                   strcmp(cmd, "wait-for") == 0) {
            return run_wait(t, s, cmd, arg);
        } else if (strcmp(cmd, "resize") == 0 && sscanf(arg, "%d %d", &cols, &rows) == 2) {
            resize_term(rows, cols);
            t->dirty = true;
            s->next++;
        } else if (strcmp(cmd, "timeout") == 0 && atof(arg) > 0) {
            s->timeout = atof(arg);
            s->next++;
        } else {
            return fail(t, s,
                        "unknown instruction (key, type, :, wait, wait-run, wait-for, "
                        "resize, timeout)");
        }
    }
    return SCRIPT_END;
}
