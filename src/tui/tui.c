/*
 * tui.c — opening and closing the console (tui_main).
 *
 * Opening: everything that can fail with a message (the database target,
 * the script file) is checked while the terminal is still ours to print
 * on. Then logging is turned into a sink for the Log screen (nothing may
 * write to stderr under curses; stderr itself goes to a file whose content
 * is replayed after endwin, as htop does), the host starts (host.h: engine,
 * scheduler, LISTEN connection, SIGTERM/SIGINT/SIGHUP) and SIGWINCH is
 * caught, both before initscr so ncurses leaves those signals to us, curses
 * starts, the default key bindings run as `bind` commands, and the command
 * worker starts (database commands). fatal() ends curses first.
 *
 * Closing: the history is saved and the host stops in its order; between
 * the scheduler and the run it calls back here to stop the worker (its
 * statement cancelled) and, when the operator chose to let the run finish,
 * to put the terminal back in normal mode, where a progress line shows the
 * run until it ends (Ctrl-C cancels it).
 *
 * In script mode (--script) the screen is a terminal of the given size
 * whose output goes to /dev/null: the real console, drawn but unseen, for
 * tests and sanitizer runs.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/httpd.h"
#include "kasparro/paths.h"
#include "kasparro/wake.h"
#include "tui-private.h"

static struct tui *fatal_tui;
static SCREEN *script_screen;
static FILE *script_out, *script_in;

static void fatal_hook(void)
{
    if (!isendwin())
        endwin();
    ui_stderr_restore();
}

static int open_terminal(struct tui *t, const struct tui_options *opt)
{
    if (t->script != NULL) {
        const char *term = getenv("TERM");
        char size[16];
        if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0)
            term = "xterm";
        snprintf(size, sizeof size, "%d", opt->cols > 0 ? opt->cols : 80);
        setenv("COLUMNS", size, 1);
        snprintf(size, sizeof size, "%d", opt->rows > 0 ? opt->rows : 24);
        setenv("LINES", size, 1);
        script_out = fopen("/dev/null", "w");
        script_in = fopen("/dev/null", "r");
        script_screen = newterm(term, script_out, script_in);
        if (script_screen == NULL)
            return err_set(&t->ctx->err, "unable to set up terminal '%s' for the script", term);
        set_term(script_screen);
    } else if (initscr() == NULL) {
        return err_set(&t->ctx->err, "unable to set up the terminal");
    }
    raw(); /* C-c is a key: it cancels the command line, and q quits */
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    wtimeout(stdscr, 0);
    paint_init();
    return 0;
}

static void close_terminal(void)
{
    if (!isendwin())
        endwin();
    if (script_screen != NULL) {
        delscreen(script_screen);
        fclose(script_out);
        fclose(script_in);
        script_screen = NULL;
    }
}

static char *history_path(const struct config *cfg)
{
    if (cfg->history_file != NULL && cfg->history_file[0] != '\0')
        return xstrdup(cfg->history_file);
    return xasprintf("%s/history", paths_data_dir());
}

/* The default bindings are `bind` commands, run like any other. */
void tui_keys_defaults(struct tui *t)
{
    FILE *out = t->uctx.out;

    t->uctx.out = fopen("/dev/null", "w");
    for (const char *const *line = keys_defaults; *line != NULL; line++)
        if (cmd_run_line(&t->uctx, *line) != EXIT_OK)
            BUG("default binding \"%s\": %s", *line, t->uctx.err.msg);
    fclose(t->uctx.out);
    t->uctx.out = out;
}

void tui_uctx_init(struct tui *t, struct cmd_ctx *ctx)
{
    t->ctx = ctx;
    t->uctx.cfg = ctx->cfg;
    t->uctx.config_path = ctx->config_path;
    t->uctx.actor = ctx->actor;
    t->uctx.origin = ORIGIN_CONSOLE;
    t->uctx.console = t;
}

static void set_log_level(const struct config *cfg)
{
    int level = log_parse_level(cfg->log_level);

    if (getenv("LOG_LEVEL") == NULL)
        log_set_level(level >= 0 ? (enum log_level)level : LOG_INFO);
}

/* After host_reload (`:reload`; SIGHUP stops a console): the console's own
 * parts take up the new configuration. A failed reload is logged by the
 * host and stays on the Log screen as a warning. */
static void reloaded(void *arg, struct config *cfg)
{
    struct tui *t = arg;

    t->uctx.cfg = cfg;
    worker_set_config(t->worker, cfg);
    set_log_level(cfg);
    mouse_apply(t);
    paint_theme(cfg);
    tui_refresh(t);
}

int tui_reload(struct tui *t, struct err *err) { return host_reload(t->host, err); }

static void close_terminal(void);

/* An operator's command the stop found not delivered (worker_stop). */
static void undone(const struct job *j, bool ran, void *arg)
{
    tui_quit_said(arg, j, false, ran);
}

/* In the host's stop, after the scheduler and before the run: nothing may
 * hand the engine a run any more, and a run the operator lets finish is
 * watched from a normal terminal. */
static void stopping(void *arg)
{
    struct tui *t = arg;

    worker_stop(t->worker, undone, t);
    t->worker = NULL;
    if (t->quit_mode == TUI_QUIT_FINISH && engine_busy(t->engine)) {
        close_terminal();
        ui_stderr_restore();
        fprintf(stderr, "kasparro: the console is closed; waiting for the run to finish "
                        "(Ctrl-C cancels it)\n");
    }
}

/* While a run the operator lets finish goes on: a progress line, then how
 * it ended. */
static void finish_tick(const struct progress *p, void *arg)
{
    long long fetched = 0;

    (void)arg;
    for (int i = 0; i < p->nsources; i++)
        fetched += p->sources[i].fetched;
    if (p->active)
        fprintf(stderr, "\r\033[Krun %lld: %s, %lld records", p->run_id, p->stage, fetched);
    else if (p->run_id > 0)
        fprintf(stderr, "\r\033[Krun %lld %s\n", p->run_id, p->status);
}

static int start(struct tui *t, const struct tui_options *opt)
{
    struct host_options ho = {.hangup_stops = true, .reloaded = reloaded, .stopping = stopping,
                              .arg = t};
    char *hist;

    if (wake_pipe(t->wake, &t->ctx->err) < 0)
        return -1;
    if (opt->script != NULL && (t->script = script_open(opt->script, &t->ctx->err)) == NULL)
        return -1;
    if (getenv("KASPARRO_CONSOLE_TRACE") != NULL)
        t->trace = fopen(getenv("KASPARRO_CONSOLE_TRACE"), "a");
    if (t->trace != NULL)
        setvbuf(t->trace, NULL, _IOLBF, 0);
    t->max_iterations = opt->max_iterations;

    set_log_level(t->ctx->cfg);
    t->logq = logq_new(t->wake[1]);
    log_set_sink(logq_sink, t->logq);
    log_set_stderr(false);
    if (t->script == NULL)
        ui_stderr_redirect();
    /* The console schedules like the daemon does; without its scheduler it
     * is still a console, so a failure there is a warning (Schedule screen). */
    ho.wake_fd = t->wake[1];
    if ((t->host = host_start(t->ctx, &ho, &t->ctx->err)) == NULL)
        return -1;
    /* the HTTP API only when [http] listen asks; if it cannot serve, the
     * console still can (the reason is on the Log screen) */
    struct err herr = {0};
    if (host_add_service(t->host, &httpd_service, NULL, &herr) < 0)
        log_warn("%s", herr.msg);
    t->engine = host_engine(t->host);
    t->sched = host_sched(t->host);
    ui_signals_install(t->wake[1]);
    fatal_tui = t;
    fatal_set_hook(fatal_hook);
    if (open_terminal(t, opt) < 0)
        return -1;

    tui_uctx_init(t, t->ctx);
    tui_keys_defaults(t);
    t->uctx.engine = t->engine;
    t->worker = worker_start(&t->uctx, t->wake[1]);
    hist = history_path(t->ctx->cfg);
    prompt_init(t, hist);
    free(hist);
    complete_init(t);
    screens_init(t);
    for (int i = 1; i < NSCREENS; i++)
        t->screens[i].ops->load(&t->screens[i]);
    screen_show(t, 0);
    elsewhere_load(t); /* a run already going, started by another process */
    log_info("console started");
    return 0;
}

static void stop(struct tui *t)
{
    prompt_done();
    complete_done();
    if (t->host != NULL) {
        bool finish = t->quit_mode == TUI_QUIT_FINISH;
        host_stop(t->host, finish ? HOST_STOP_FINISH : HOST_STOP_CANCEL, 0,
                  finish ? finish_tick : NULL, t);
    }
    worker_stop(t->worker, undone, t); /* the host did not start: it had no stop to do it */
    t->worker = NULL;
    t->host = NULL;
    t->engine = NULL;
    t->sched = NULL;
    screens_free(t);
    keys_free(&t->keys);
    pager_free(t->pager);
    close_terminal();
    ui_signals_restore();
    ui_stderr_restore();
    if (t->quit_said.len > 0) /* the operator's commands `quit` waited for */
        fputs(buf_str(&t->quit_said), stderr);
    buf_free(&t->quit_said);
    fatal_set_hook(NULL);
    log_set_sink(NULL, NULL);
    logq_free(t->logq);
    script_free(t->script);
    if (t->trace != NULL)
        fclose(t->trace);
}

int tui_main(struct cmd_ctx *ctx, const struct tui_options *opt)
{
    struct tui *t = xcalloc(1, sizeof *t);
    int rc;

    t->ctx = ctx;
    t->wake[0] = t->wake[1] = -1;
    if (start(t, opt) < 0) {
        rc = err_exit_code(&ctx->err);
        stop(t);
    } else {
        ui_loop(t);
        stop(t);
        rc = t->exit_code; /* a failed script left its message in ctx->err */
    }
    if (t->choice != NULL)
        ui_choice_free(t);
    wake_close(t->wake);
    free(t);
    return rc;
}
