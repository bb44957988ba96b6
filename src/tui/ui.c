/*
 * ui.c — the console's event loop and command dispatch.
 *
 * DESIGN: one thread (this one) owns curses, readline and every piece of
 * UI state. It sleeps in poll() on the terminal, a non-blocking wake pipe,
 * and the host's descriptors (its signal pipe and the LISTEN socket, asked
 * for again on every turn: it changes when the connection is remade). The
 * engine's progress board, the scheduler, the command worker, the log sink
 * and the SIGWINCH handler all write one byte to the wake pipe; after a
 * wake-up the loop drains the pipe and looks at every source (a progress
 * snapshot copied under its lock, the worker's finished jobs, new log
 * lines, a resize), then lets the host service its descriptors and acts on
 * what it reports (another process's change, the database gone or back, a
 * stop signal).
 * It then reads every key ncurses has, and redraws once if anything changed
 * (tmux's redraw flags, htop's one draw per iteration). Data-driven redraws
 * are spaced at least 50 ms apart; a key redraws at once.
 *
 * The poll timeout is the nearest timer (a reconnect attempt, a message
 * expiring, the one-second tick while a run is going); with nothing to do
 * the console sleeps until something happens: no busy polling. SIGWINCH is
 * caught here (the handler only sets a flag and writes to the pipe) so a
 * resize is handled at once rather than at the next wake-up; SIGTERM,
 * SIGINT and SIGHUP are the host's, which reports them as HOST_STOP.
 *
 * A command line from a key or the ':' line is dispatched in one place
 * (ui_run_line): {id}-style placeholders are filled from the selection,
 * console-only commands (and CMD_USES_CONSOLE ones) run here, everything
 * else goes to the worker.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/paths.h"
#include "kasparro/utf8.h"
#include "kasparro/wake.h"
#include "tui-private.h"

#define DRAW_SPACING 0.05
#define MESSAGE_SECONDS 15.0
#define NOTIFY_SPACING 0.5

static volatile sig_atomic_t got_winch;
static int signal_fd = -1;
static int saved_stderr = -1;
static char stderr_path[4096];

static void on_winch(int sig)
{
    (void)sig;
    got_winch = 1;
    wake_write(signal_fd, 'r');
}

void ui_signals_install(int wake_fd)
{
    struct sigaction sa;

    signal_fd = wake_fd;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);
}

void ui_signals_restore(void)
{
    if (signal_fd < 0)
        return;
    signal(SIGWINCH, SIG_DFL);
    signal_fd = -1;
}

/* Under curses, stderr goes to a file; what landed there is shown after. */
void ui_stderr_redirect(void)
{
    int fd;

    snprintf(stderr_path, sizeof stderr_path, "%s/console.stderr", paths_state_dir());
    /* made as `db start` makes it, so that it can start the cluster here */
    paths_mkdirs(paths_state_dir(), paths_state_mode());
    fd = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    saved_stderr = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

void ui_stderr_restore(void)
{
    char buf[4096];
    ssize_t n;
    int fd;

    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    fd = open(stderr_path, O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
        if (write(STDERR_FILENO, buf, (size_t)n) < 0)
            break;
    if (fd >= 0)
        close(fd);
    unlink(stderr_path);
}

/* ---- messages and output ---- */

void ui_message(struct tui *t, enum paint_attr a, const char *fmt, ...)
{
    struct buf text = {0}, line = {0};
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(&text, fmt, ap);
    va_end(ap);
    /* one line: a message's lines (an error and its usage, or several
     * mistakes) stay told apart */
    for (const char *p = buf_str(&text); *p; p++) {
        if (*p == '\n') {
            while (p[1] == '\n' || p[1] == ' ')
                p++;
            if (p[1] != '\0' && line.len > 0)
                buf_adds(&line, " · ");
        } else {
            buf_addc(&line, *p == '\t' ? ' ' : *p);
        }
    }
    err_copy(t->message, sizeof t->message, buf_str(&line));
    buf_free(&text);
    buf_free(&line);
    t->message_attr = a;
    t->message_until = clock_mono() + MESSAGE_SECONDS;
    t->dirty = true;
}

/* A one-line result takes up to RESULT_ROWS rows of the message line,
 * wrapped between words as an error is (restore's, which says when the
 * source deletes the record again, at 80 columns): the operator reads it
 * without a key. Longer, it opens in the pager, which scrolls. */
#define RESULT_ROWS 2

static bool result_fits(const char *text)
{
    int rows = LINES / 4; /* as ui_draw gives the message line */

    if (rows > RESULT_ROWS)
        rows = RESULT_ROWS;
    if (rows < 1)
        rows = 1;
    return status_text_rows(text, COLS, rows + 1) <= rows;
}

void ui_show_output(struct tui *t, const char *title, const char *out,
                    const struct out_spans *tables)
{
    size_t len = out ? strlen(out) : 0;

    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
        len--;
    if (len == 0)
        return;
    char *text = xstrndup(out, len);
    if (memchr(text, '\n', len) == NULL && result_fits(text)) {
        ui_message(t, PA_NORMAL, "%s", text);
        free(text);
        return;
    }
    /* over a record's detail (its key list, help), the detail waits
     * underneath: closing the text returns to the record */
    struct pager *under = t->pager != NULL && t->pager->subject != NULL ? t->pager : NULL;
    if (under == NULL)
        pager_free(t->pager);
    t->pager = pager_new(title, text, tables);
    t->pager->under = under;
    free(text);
    t->dirty = true;
}

struct screen *ui_screen(struct tui *t) { return &t->screens[t->cur]; }

void ui_changed(struct tui *t)
{
    for (int i = 0; i < NSCREENS; i++)
        t->screens[i].stale = true;
    ui_screen(t)->ops->load(ui_screen(t));
    elsewhere_load(t); /* a run another process carries moved on, maybe */
}

/* ---- dispatch ---- */

/* A value as one word of a command line. */
static void add_word(struct buf *b, const char *v)
{
    if (v[0] != '\0' && strpbrk(v, " \t\"'\\") == NULL) {
        buf_adds(b, v);
        return;
    }
    buf_addc(b, '"');
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            buf_addc(b, '\\');
        buf_addc(b, *v);
    }
    buf_addc(b, '"');
}

/* Why a placeholder has no value: what the detail or the screen says of
 * it, as the field "no_NAME" (a live record's "no_deleted"), else where
 * the value may be. */
static void say_missing(struct tui *t, struct screen *s, const char *name, struct err *err)
{
    bool detail = t->pager != NULL && t->pager->subject != NULL;
    struct list *l = s->ops->focus ? s->ops->focus(s) : NULL;
    char why[40], buf[512];
    const char *said;

    snprintf(why, sizeof why, "no_%s", name);
    said = detail          ? pager_field(t->pager, why)
           : s->ops->field ? s->ops->field(s, why, buf, sizeof buf)
                           : NULL;
    if (said != NULL)
        err_set(err, "%s", said);
    else if (detail)
        err_set(err, "%s: no %s here", t->pager->title, name);
    else if (l != NULL && list_selected(l) != NULL && s->ops->next_focus != NULL)
        err_set(err, "the selected row has no %s; h (focus) moves to the %s screen's other list",
                name, s->name);
    else
        err_set(err, "nothing selected on the %s screen", s->name);
}

/* {id}, {key}, {name}, {run}: the selection's fields on the current screen;
 * while a detail view is open, its subject's ({record}, {entity}, ...). */
static char *expand(struct tui *t, const char *line, struct err *err)
{
    struct screen *s = ui_screen(t);
    struct buf b = BUF_INIT;
    char name[32], value[512];

    for (const char *p = line; *p; p++) {
        size_t n = *p == '{' ? strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") : 0;
        if (n == 0 || n >= sizeof name || p[n + 1] != '}') {
            buf_addc(&b, *p);
            continue;
        }
        snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
        bool detail = t->pager != NULL && t->pager->subject != NULL;
        const char *v = detail ? pager_field(t->pager, name)
                        : s->ops->field ? s->ops->field(s, name, value, sizeof value)
                                        : NULL;
        if (v == NULL) {
            buf_free(&b);
            say_missing(t, s, name, err);
            return NULL;
        }
        add_word(&b, v);
        p += n + 1;
    }
    return buf_detach(&b);
}

/* A command (the first `len` bytes of the job's line) failed: its message.
 * When the database was not there, the message says first what did not
 * happen: for certain when no connection could be made, perhaps when the
 * connection was lost while the command ran. */
static void command_failed(struct tui *t, const struct job *j, int len)
{
    const char *why = j->err.msg[0] ? j->err.msg : "the command failed";

    if (err_sqlstate(&j->err, SQLSTATE_CONNECTION_UNABLE))
        ui_message(t, PA_BAD, "%.*s not done: %s", len, j->line, why);
    else if (err_sqlstate(&j->err, SQLSTATE_CONNECTION))
        ui_message(t, PA_BAD, "%.*s may not have been done: %s", len, j->line, why);
    else
        ui_message(t, PA_BAD, "%s", why);
}

static void command_done(struct tui *t, struct job *j)
{
    if (t->quit_by > 0 && (j->flags & JOB_ASKED))
        tui_quit_said(t, j, true, true);
    if (j->rc != EXIT_OK)
        command_failed(t, j, (int)strlen(j->line));
    else
        ui_show_output(t, j->line, j->out, &j->tables);
    ui_changed(t);
}

/* Reentrant: a console-only command may dispatch another (`marked`).
 * Whether it succeeded; its result or its error is said. */
static bool run_here(struct tui *t, const char *line)
{
    char *out = NULL;
    size_t len = 0;
    FILE *outer = t->uctx.out;
    struct out_spans tables = {0}, *outer_tables = t->uctx.tables;
    int rc;

    t->uctx.tables = &tables;
    t->uctx.out = open_memstream(&out, &len);
    if (t->uctx.out == NULL)
        fatal("out of memory for a command's output");
    rc = cmd_run_line(&t->uctx, line);
    fclose(t->uctx.out);
    t->uctx.out = outer;
    t->uctx.tables = outer_tables;
    if (rc != EXIT_OK)
        ui_message(t, PA_BAD, "%s", t->uctx.err.msg);
    else
        ui_show_output(t, line, out, &tables);
    free(out);
    out_spans_free(&tables);
    return rc == EXIT_OK;
}

bool ui_run_line(struct tui *t, const char *line) { return ui_dispatch(t, line, true); }

#define FOLLOW_SUFFIX " --json" /* a followed command's result is read as JSON */

static void followed_done(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;

    if (t->quit_by > 0 && (j->flags & JOB_ASKED))
        tui_quit_said(t, j, true, true);
    if (j->rc != EXIT_OK)
        command_failed(t, j, (int)(strlen(j->line) - strlen(FOLLOW_SUFFIX)));
    else
        s->ops->followed(s, j);
    ui_changed(t);
}

/* The operator's command, which `quit` lets finish: all but a listing. */
static int asked(const struct cmd_entry *e) { return e->flags & CMD_LISTING ? 0 : JOB_ASKED; }

/* The screen follows the command's result (ops->follows). */
static bool follow(struct tui *t, struct screen *s, const char *line, int flags)
{
    char *json_line = xasprintf("%s" FOLLOW_SUFFIX, line);

    worker_submit(t->worker, json_line, JOB_JSON | flags, followed_done, s, 0);
    free(json_line);
    return true;
}

/* On the worker; its result on the message line or in the pager. */
static bool submit(struct tui *t, const char *line, int flags)
{
    worker_submit(t->worker, line, flags, command_done, NULL, 0);
    return true;
}

/* Whether the line went ahead (sent to the worker, or run here and
 * succeeded): false when the command or a placeholder's value was not
 * there or a command run here failed, said on the message line. */
bool ui_dispatch(struct tui *t, const char *line, bool placeholders)
{
    bool ran = false;
    struct screen *s = ui_screen(t);
    struct err err = {0};
    char *expanded = NULL, **argv = NULL;
    const struct cmd_entry *e = NULL;
    int argc = cmd_split_line(line, &argv);

    if (argc > 0 && (e = cmd_lookup(argv[0], ORIGIN_CONSOLE, &err)) == NULL) {
        ui_message(t, PA_BAD, "%s", err.msg);
        goto out;
    }
    /* a command that keeps a command line for later (bind) keeps its
     * placeholders for then too */
    if (placeholders && !(e != NULL && (e->flags & CMD_KEEPS_PLACEHOLDERS)))
        expanded = expand(t, line, &err);
    else
        expanded = xstrdup(line);
    /* ~/ in a path, as a shell expands it; a line kept for later (bind)
     * is expanded when it runs */
    if (expanded != NULL && e != NULL && !(e->flags & CMD_KEEPS_PLACEHOLDERS)) {
        char *home = tilde_expand_line(e, expanded);
        free(expanded);
        expanded = home;
    }
    if (expanded == NULL)
        ui_message(t, PA_BAD, "%s", err.msg);
    else if (argc < 0 || (e != NULL && (e->flags & (CMD_CONSOLE_ONLY | CMD_USES_CONSOLE))))
        ran = run_here(t, expanded); /* cmd_run_line reports a bad quote */
    else if (e != NULL && s->ops->follows != NULL && s->ops->follows(s, e))
        ran = follow(t, s, expanded, asked(e));
    else if (e != NULL)
        ran = submit(t, expanded, asked(e));
out:
    cmd_free_argv(argc > 0 ? argc : 0, argv);
    free(expanded);
    t->dirty = true;
    return ran;
}

/* ---- keys ---- */

void ui_choice_free(struct tui *t)
{
    struct choice *c = t->choice;

    for (int i = 0; c != NULL && i < c->n; i++)
        free(c->commands[i]);
    if (c != NULL)
        free(c->question);
    free(c);
    t->choice = NULL;
}

static void choice_key(struct tui *t, int key)
{
    struct choice *c = t->choice;
    char *command = NULL;
    bool close = key == 27 || key == 3;

    for (int i = 0; i < c->n && !close; i++)
        if (key == c->keys[i]) {
            command = c->commands[i] ? xstrdup(c->commands[i]) : NULL;
            close = true;
        }
    if (!close)
        return;
    ui_choice_free(t);
    ui_answered(t, command != NULL && ui_run_line(t, command));
    free(command);
}

/* A detail whose key asked first closes once the answer's command went
 * ahead; "n", Escape or a command that could not run leave it open, the
 * record still there to read. */
void ui_answered(struct tui *t, bool went_ahead)
{
    if (t->pager == NULL || !t->pager->closes_on_answer)
        return;
    if (went_ahead) {
        pager_free(t->pager);
        t->pager = NULL;
    } else {
        t->pager->closes_on_answer = false;
    }
}

static void trace_event(struct tui *t, const char *what, int key)
{
    if (t->trace != NULL)
        fprintf(t->trace, "%.6f %s %d\n", clock_mono(), what, key);
}

void ui_key(struct tui *t, int key)
{
    const struct binding *b = NULL;
    char name[32];

    trace_event(t, "key", key);
    t->dirty = true;
    if (key == KEY_MOUSE) {
        mouse_key(t);
        return;
    }
    if (prompt_active()) {
        prompt_key(key, input_more, t->script ? NULL : t);
        return;
    }
    if (t->choice != NULL) {
        choice_key(t, key);
        return;
    }
    /* the pager hides the screen: the screen's keys wait until it closes;
     * a detail view's own keys act on what it shows, and close it */
    bool acts = t->pager != NULL && t->pager->keys != NULL &&
                (b = keys_lookup(&t->keys, t->pager->keys, key)) != NULL;
    if (t->pager != NULL && !acts)
        b = keys_lookup(&t->keys, "pager", key);
    else if (t->pager == NULL)
        b = keys_lookup(&t->keys, ui_screen(t)->name, key);
    if (b == NULL)
        b = keys_lookup(&t->keys, "global", key);
    if (b != NULL) {
        char *command = xstrdup(b->command); /* the command may rebind this key */
        struct pager *shown = t->pager;
        bool ran = ui_run_line(t, command);
        free(command);
        /* a detail's key that could not run (no pair to approve) leaves the
         * detail open, its message below; one that asks first (restore?,
         * a reason) leaves it open until the answer (ui_answered) */
        if (acts && ran && t->pager == shown && (t->choice != NULL || prompt_active())) {
            t->pager->closes_on_answer = true;
        } else if (acts && ran && t->pager == shown) {
            pager_free(t->pager);
            t->pager = NULL;
        } else if (acts && ran && t->pager != NULL && t->pager->under == shown) {
            /* the detail's key acted (approve) and said more than a line:
             * the record it showed is done with, closing the output
             * returns to the screen */
            pager_free(shown);
            t->pager->under = NULL;
        }
    } else if (key >= 0xc0 && key < 0x100) {
        while (input_more(t->script ? NULL : t) >= 0x80) /* the rest of a character */
            ;
    } else if (key == 27) {
        t->message[0] = '\0';
    } else if (key != KEY_RESIZE) {
        ui_message(t, PA_DIM, "%s is not bound here; ? lists the keys",
                   key_label(key, name, sizeof name));
    }
}

/* ---- drawing ---- */

void ui_draw(struct tui *t)
{
    int h = LINES, w = COLS;
    struct screen *s = ui_screen(t);
    /* a long message wraps onto more rows, taken from the screen's */
    int mrows = status_message_rows(t, w, h / 4);
    int body = h - 2 - mrows;

    worker_set_width(t->worker, w);
    t->uctx.width = w; /* console-only commands run here */
    erase();
    status_draw_tabs(t, w);
    if (body > 0) {
        if (t->pager != NULL)
            pager_draw(t->pager, 1, 0, body, w);
        else
            s->ops->draw(s, 1, 0, body, w);
    }
    if (h > 1)
        status_draw_status(t, h - 1 - mrows, w);
    status_draw_message(t, h - mrows, mrows, w); /* last: it places the cursor */
    refresh();
    trace_event(t, "draw", 0);
    t->dirty = false;
}

/* The terminal's content is unknown (a resize, C-l): the next draw clears
 * it and sends every cell, not only what changed since the last draw. */
void ui_repaint(struct tui *t)
{
    clearok(curscr, TRUE);
    t->dirty = true;
}

/* ---- wake-ups ---- */

static void resize(struct tui *t)
{
    struct winsize ws;

    got_winch = 0;
    if (t->script == NULL && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        resize_term(ws.ws_row, ws.ws_col);
    ui_repaint(t);
}

static void engine_woke(struct tui *t)
{
    struct progress p;
    bool was_active = t->prog.active;

    engine_snapshot(t->engine, &p);
    if (p.generation == t->prog.generation)
        return;
    cmd_console_hints(p.error); /* a run's error, said here as a command's is */
    t->prog = p;
    t->dirty = true;
    for (int i = 0; i < NSCREENS; i++)
        if (t->screens[i].ops->tick != NULL)
            t->screens[i].ops->tick(&t->screens[i]);
    if (was_active != p.active) {
        if (!p.active && p.run_id > 0)
            ui_message(t, run_status_parse(p.status) == RUN_SUCCEEDED ? PA_GOOD : PA_WARN,
                       "run %lld %s%s%s",
                       p.run_id, p.status, p.error[0] ? ": " : "", p.error);
        else if (!p.active && p.error[0])
            ui_message(t, PA_BAD, "%s", p.error);
        ui_changed(t);
    } else if (!p.active && p.error[0]) {
        /* a run that never began (the database stopped, the run lock taken,
         * an unknown source): the engine published why */
        ui_message(t, PA_BAD, "run not started: %s", p.error);
    }
}

/* The scheduler thread's state, for the Schedule screen. */
static void sched_woke(struct tui *t)
{
    struct sched_snapshot s;

    if (t->sched == NULL)
        return;
    sched_snapshot(t->sched, &s);
    if (s.generation == t->sched_snap.generation)
        return;
    t->sched_snap = s;
    t->dirty = true;
}

static void jobs_done(struct tui *t)
{
    struct job *j = worker_take_done(t->worker), *next;

    for (; j != NULL; j = next) {
        next = j->next;
        if (j->done != NULL)
            j->done(t, j);
        else
            command_done(t, j);
        job_free(j);
    }
}

static void drain_wake(struct tui *t)
{
    wake_drain(t->wake[0]);
    if (got_winch)
        resize(t);
    engine_woke(t);
    sched_woke(t);
    jobs_done(t);
    struct log_entry *logs = logq_take(t->logq);
    if (logs != NULL)
        screen_log_append(&t->screens[SCREEN_LOG], logs);
}

/* ---- the loop ---- */

struct timers {
    double now;
    double last_draw;
    double notify_after; /* a notification waits for this moment */
    bool notified;
};

/* Seconds until the scheduler thread's heartbeat is due; once it is
 * overdue (stuck on the database), 1 s, and a redraw: its age moves on. */
static double heartbeat_due(struct tui *t, double now)
{
    struct sched_snapshot s;

    sched_snapshot(t->sched, &s);
    if (s.beat_by <= 0 || s.beat_by > now)
        return s.beat_by > 0 ? s.beat_by - now : -1;
    t->dirty = true;
    return 1.0;
}

static double min_timeout(double a, double b) { return a < 0 ? b : b < 0 ? a : a < b ? a : b; }

static int poll_timeout(struct tui *t, struct timers *tm, bool script_ready)
{
    double to = host_timeout(t->host, tm->now);

    if (script_ready || input_pending())
        return 0;
    if (t->message[0] && t->message_until > tm->now)
        to = min_timeout(to, t->message_until - tm->now);
    if (elsewhere_board(t)->active) /* this console's run or another's */
        to = min_timeout(to, 1.0);
    if (t->sched != NULL) /* its heartbeat's deadline: the Schedule screen says 'stalled' */
        to = min_timeout(to, heartbeat_due(t, tm->now));
    if (tm->notified)
        to = min_timeout(to, tm->notify_after > tm->now ? tm->notify_after - tm->now : 0);
    if (t->dirty)
        to = min_timeout(to, tm->last_draw + DRAW_SPACING - tm->now);
    if (t->script != NULL)
        to = min_timeout(to, 0.1); /* script waits check their deadlines */
    if (t->quit_by > 0)
        to = min_timeout(to, t->quit_by > tm->now ? t->quit_by - tm->now : 0);
    if (to < 0)
        return -1;
    return (int)(to * 1000) + 1;
}

static void service_host(struct tui *t, struct timers *tm, const struct pollfd *fds, int n)
{
    int ev = host_service(t->host, fds, n, tm->now);

    if (ev & HOST_STOP) /* SIGTERM, SIGINT, SIGHUP: leave, cancelling a run */
        tui_quit(t, TUI_QUIT_CANCEL, &(struct err){0});
    if (ev & (HOST_DB_UP | HOST_DB_DOWN))
        t->dirty = true;
    if (ev & HOST_DB_UP)
        ui_changed(t); /* what was sent while we were away is lost */
    if ((ev & HOST_NOTIFIED) && !tm->notified) {
        tm->notified = true;
        if (tm->notify_after < tm->now)
            tm->notify_after = tm->now;
    }
    if (tm->notified && tm->now >= tm->notify_after) {
        tm->notified = false;
        tm->notify_after = tm->now + NOTIFY_SPACING;
        ui_changed(t);
    }
}

void ui_loop(struct tui *t)
{
    struct timers tm = {0};
    bool script_ready = t->script != NULL;

    mouse_apply(t);
    paint_theme(t->uctx.cfg);
    while (!t->quitting) {
        struct pollfd pfd[2 + HOST_MAX_FDS];
        int n = 0, nhost, to;

        tm.now = clock_mono();
        if (t->message[0] && t->message_until <= tm.now) {
            t->message[0] = '\0';
            t->dirty = true;
        }
        if (t->dirty && tm.now - tm.last_draw >= DRAW_SPACING) {
            ui_draw(t);
            tm.last_draw = tm.now;
        }
        pfd[n++] = (struct pollfd){t->wake[0], POLLIN, 0};
        if (t->script == NULL)
            pfd[n++] = (struct pollfd){STDIN_FILENO, POLLIN, 0};
        nhost = host_pollfds(t->host, pfd + n);
        to = poll_timeout(t, &tm, script_ready);
        if (poll(pfd, (nfds_t)(n + nhost), to) < 0 && errno != EINTR)
            fatal("poll: %s", strerror(errno));
        tm.now = clock_mono();
        if (t->script == NULL && (pfd[1].revents & POLLIN))
            trace_event(t, "input", 0); /* the start of a key's latency */
        if (pfd[0].revents || got_winch)
            drain_wake(t);
        service_host(t, &tm, pfd + n, nhost);
        if (elsewhere_board(t)->active) {
            t->dirty = true; /* elapsed times and rates move on */
            elsewhere_tick(t);
        }
        bool typed = false;
        for (int key; (key = input_next(t->script == NULL)) >= 0; typed = true)
            ui_key(t, key);
        if (typed)
            tm.last_draw = 0; /* a key redraws at once */
        if (t->script != NULL && !t->quitting) {
            enum script_state st = script_step(t, t->script);
            if (st == SCRIPT_END)
                tui_quit(t, TUI_QUIT_CANCEL, &(struct err){0});
            script_ready = st == SCRIPT_MORE;
        }
        /* quit waits for the operator's commands, QUIT_WAIT_S at most */
        if (t->quit_by > 0 && (worker_asked(t->worker, (char[8]){0}, 8) == 0 || tm.now >= t->quit_by))
            t->quitting = true;
        if (t->max_iterations > 0 && ++t->iterations >= t->max_iterations)
            t->quitting = true;
    }
}
