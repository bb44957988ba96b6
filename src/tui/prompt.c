/*
 * prompt.c — the command line: GNU readline in callback mode, fed by
 * ncurses (the recipe verified in the console guide, §2.2).
 *
 * ncurses owns the terminal and all input. While the line is open, every key
 * read by the UI loop comes here: keypad codes are turned back into the
 * sequences readline binds (Up is ESC [ A), a UTF-8 character is queued
 * whole (its lead byte and every continuation byte) so that incremental
 * search (C-r) sees characters, not bytes, and readline is run until the
 * queue is empty. readline never touches the terminal: no prep/deprep, no
 * signal or SIGWINCH handlers, output to /dev/null; it calls back to say
 * the line changed (we redraw at the end of the loop turn) and when a line
 * is complete. The line is drawn from rl_display_prompt and rl_line_buffer
 * with the cursor column measured in display cells, since rl_point is a
 * byte offset. A lone Escape or C-c cancels.
 *
 * The answer is handed on after readline has returned, never from inside
 * its callback, so the answer may itself open the line again (a `prompt`
 * bound to a key that a prompt's answer runs).
 */
#include <curses.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/paths.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

#define HISTORY_MAX 1000

static struct {
    struct tui *t;
    bool active;
    bool history; /* keep answers in the command history */
    unsigned char queue[64];
    int qlen, qpos;
    void (*on_answer)(struct tui *t, const char *line, void *arg);
    void *arg;
    char *initial;
    char *context; /* the command line before the answer, for completion */
    bool answered; /* a line (or a cancel) waits to be handed on */
    char *answer;  /* NULL: cancelled */
    char *history_path;
    FILE *devnull;
} pr;

static int queue_getc(FILE *f)
{
    (void)f;
    return pr.qpos < pr.qlen ? pr.queue[pr.qpos++] : EOF;
}

static int queue_avail(void) { return pr.qpos < pr.qlen; }

static void mark_dirty(void) { pr.t->dirty = true; }

static void on_line(char *line)
{
    rl_callback_handler_remove();
    pr.active = false;
    pr.answered = true;
    pr.answer = line; /* readline allocated it; freed after the hand-on */
    if (line != NULL && *line != '\0' && pr.history) {
        HIST_ENTRY *last =
            history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
        if (last == NULL || strcmp(last->line, line) != 0)
            add_history(line);
    }
}

/* Puts the initial text in once the line is set up. */
static int insert_initial(void)
{
    if (pr.initial != NULL) {
        rl_insert_text(pr.initial);
        free(pr.initial);
        pr.initial = NULL;
    }
    return 0;
}

void prompt_init(struct tui *t, const char *history_path)
{
    pr.t = t;
    pr.devnull = fopen("/dev/null", "w");
    rl_readline_name = "kasparro";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = queue_getc;
    rl_input_available_hook = queue_avail;
    rl_redisplay_function = mark_dirty;
    rl_startup_hook = insert_initial;
    rl_outstream = pr.devnull;
    rl_attempted_completion_function = complete_line;
    rl_completion_display_matches_hook = complete_show;
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("enable-bracketed-paste", "off");
    using_history();
    stifle_history(HISTORY_MAX);
    if (history_path != NULL) {
        pr.history_path = xstrdup(history_path);
        read_history(history_path);
    }
}

void prompt_done(void)
{
    if (pr.active)
        prompt_cancel();
    if (pr.history_path != NULL) {
        char *dir = xstrdup(pr.history_path), *slash = strrchr(dir, '/');
        if (slash != NULL) {
            *slash = '\0';
            paths_mkdirs(dir, 0700);
        }
        if (write_history(pr.history_path) != 0)
            log_warn("unable to save the command history to '%s'", pr.history_path);
        free(dir);
    }
    free(pr.history_path);
    pr.history_path = NULL;
    free(pr.answer);
    pr.answer = NULL;
    free(pr.context);
    pr.context = NULL;
    clear_history();
    rl_callback_handler_remove();
    if (pr.devnull != NULL)
        fclose(pr.devnull);
    pr.devnull = NULL;
}

bool prompt_active(void) { return pr.active; }

void prompt_set_context(const char *before, size_t len)
{
    free(pr.context);
    pr.context = xstrndup(before, len);
}

const char *prompt_context(void) { return pr.context ? pr.context : ""; }

void prompt_open(const char *prompt, const char *initial, bool history,
                 void (*on_answer)(struct tui *t, const char *line, void *arg), void *arg)
{
    if (pr.active)
        prompt_cancel();
    pr.on_answer = on_answer;
    pr.arg = arg;
    pr.history = history;
    free(pr.initial);
    pr.initial = initial && *initial ? xstrdup(initial) : NULL;
    free(pr.context);
    pr.context = NULL;
    pr.active = true;
    pr.qlen = pr.qpos = 0;
    rl_callback_handler_install(prompt, on_line);
    curs_set(1);
    pr.t->dirty = true;
}

/* Hands the finished line (or the cancel) to whoever opened the prompt. */
static void hand_on(void)
{
    void (*cb)(struct tui *, const char *, void *) = pr.on_answer;
    void *arg = pr.arg;
    char *answer = pr.answer;

    if (!pr.answered)
        return;
    pr.answered = false;
    pr.answer = NULL;
    pr.on_answer = NULL;
    if (!pr.active)
        curs_set(0);
    if (cb != NULL)
        cb(pr.t, answer, arg);
    free(answer);
}

void prompt_cancel(void)
{
    if (!pr.active)
        return;
    rl_callback_sigcleanup(); /* first: leaving an isearch puts its line back */
    rl_replace_line("", 1);
    rl_callback_handler_remove();
    pr.active = false;
    pr.qlen = pr.qpos = 0;
    pr.answered = true;
    pr.answer = NULL;
    pr.t->dirty = true;
    hand_on();
}

static void queue_bytes(const char *s, size_t n)
{
    if (pr.qlen + (int)n > (int)sizeof pr.queue)
        return;
    memcpy(pr.queue + pr.qlen, s, n);
    pr.qlen += (int)n;
}

/* What readline binds for the keys ncurses decoded. */
static const char *keypad_sequence(int key)
{
    switch (key) {
    case KEY_UP:
        return "\033[A";
    case KEY_DOWN:
        return "\033[B";
    case KEY_RIGHT:
        return "\033[C";
    case KEY_LEFT:
        return "\033[D";
    case KEY_HOME:
        return "\001";
    case KEY_END:
        return "\005";
    case KEY_DC:
        return "\004";
    case KEY_BACKSPACE:
        return "\177";
    case KEY_ENTER:
        return "\r";
    case KEY_BTAB:
        return "\033[Z";
    default:
        return NULL;
    }
}

static int utf8_length(int lead)
{
    if ((lead & 0xe0) == 0xc0)
        return 2;
    if ((lead & 0xf0) == 0xe0)
        return 3;
    if ((lead & 0xf8) == 0xf0)
        return 4;
    return 1;
}

void prompt_key(int key, int (*more)(void *arg), void *more_arg)
{
    char c;

    pr.t->hint[0] = '\0'; /* candidates stay until the next key */
    if (key == 27) {
        int next = more(more_arg);
        if (next < 0) {
            prompt_cancel();
            return;
        }
        queue_bytes("\033", 1);
        key = next;
    } else if (key == 3) { /* C-c */
        prompt_cancel();
        return;
    }
    if (key >= KEY_MIN) {
        const char *seq = keypad_sequence(key);
        if (seq == NULL)
            return; /* KEY_RESIZE and keys readline has no use for */
        queue_bytes(seq, strlen(seq));
    } else {
        c = (char)key;
        queue_bytes(&c, 1);
        for (int i = 1; i < utf8_length(key & 0xff); i++) {
            int b = more(more_arg);
            if (b < 0)
                break;
            c = (char)b;
            queue_bytes(&c, 1);
        }
    }
    while (pr.active && pr.qpos < pr.qlen)
        rl_callback_read_char();
    pr.qlen = pr.qpos = 0;
    hand_on();
}

void prompt_draw(int y, int w)
{
    const char *p = rl_display_prompt ? rl_display_prompt : "";
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    char *text = xasprintf("%s%s", p, line);
    int cursor = (int)(utf8_width(p) + utf8_nwidth(line, (size_t)rl_point));
    int skip = cursor >= w ? cursor - w + 1 : 0;

    paint_fill(y, 0, w, PA_NORMAL);
    paint_text_skip(y, 0, w, text, (size_t)skip, PA_NORMAL);
    move(y, cursor - skip);
    free(text);
}
