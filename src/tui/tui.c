/*
 * tui.c — opening and closing the console (tui_main).
 *
 * Opening: everything that can fail with a message (the database target,
 * the script file) is checked while the terminal is still ours to print
 * on. Then logging is turned into a sink for the Log screen (nothing may
 * write to stderr under curses; stderr itself goes to a file whose content
 * is replayed after endwin, as htop does), signal handlers are installed
 * before initscr so ncurses leaves SIGWINCH to us, curses starts, the
 * default key bindings run as `bind` commands, and the threads start: the
 * engine (runs), the command worker (database commands), and the LISTEN
 * connection (in the UI thread's poll set). fatal() ends curses first.
 *
 * Closing: the history is saved, the worker stops (its statement
 * cancelled), the engine stops — cancelling a run in progress at its next
 * batch, or, when the operator chose to let it finish, waiting for it with
 * the terminal back in normal mode and a progress line on it.
 *
 * In script mode (--script) the screen is a terminal of the given size
 * whose output goes to /dev/null: the real console, drawn but unseen, for
 * tests and sanitizer runs.
 */
#include <curses.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/paths.h"
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

int tui_reload(struct tui *t, struct err *err)
{
    if (cmd_ctx_reload_config(t->ctx, err) < 0) {
        log_warn("%s", err->msg); /* stays on the Log screen after the message line clears */
        return -1;
    }
    struct config *cfg = t->uctx.cfg = t->ctx->cfg;
    /* A run going on keeps the configuration it started with (the engine
     * holds a reference per run); the next ones use this one. */
    engine_set_config(t->engine, cfg);
    if (t->sched != NULL)
        sched_set_config(t->sched, cfg);
    worker_set_config(t->worker, cfg);
    set_log_level(cfg);
    log_info("reload: configuration '%s' loaded (%zu sources, schedule '%s')", cfg->path,
             cfg->nsources, cfg->cron);
    tui_refresh(t);
    return 0;
}

static int start(struct tui *t, const struct tui_options *opt)
{
    struct db_target target;
    char *hist;

    if (pipe2(t->wake, O_NONBLOCK | O_CLOEXEC) < 0)
        return err_set(&t->ctx->err, "unable to create the console's wake pipe: %m");
    if (db_target_resolve(&target, &t->ctx->err) < 0)
        return -1;
    listen_init(&t->listen, &target);
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
    ui_signals_install(t->wake[1]);
    fatal_tui = t;
    fatal_set_hook(fatal_hook);
    if (open_terminal(t, opt) < 0)
        return -1;

    tui_uctx_init(t, t->ctx);
    tui_keys_defaults(t);
    t->engine = engine_start(t->ctx->cfg, t->wake[1], &t->ctx->err);
    if (t->engine == NULL)
        return -1;
    t->uctx.engine = t->engine;
    /* The console schedules like the daemon does; without its thread it is
     * still a console, so a failure here is a warning on the Schedule screen. */
    struct err serr = {0};
    if ((t->sched = sched_start(t->ctx->cfg, t->engine, t->wake[1], &serr)) == NULL)
        log_warn("the scheduler did not start: %s", serr.msg);
    t->worker = worker_start(&t->uctx, t->wake[1]);
    hist = history_path(t->ctx->cfg);
    prompt_init(t, hist);
    free(hist);
    complete_init(t);
    screens_init(t);
    for (int i = 1; i < NSCREENS; i++)
        t->screens[i].ops->load(&t->screens[i]);
    screen_show(t, 0);
    log_info("console started");
    return 0;
}

/* The operator chose to let the run finish: the terminal is back to normal
 * and shows the run's progress until it ends. */
static void finish_run(struct tui *t)
{
    struct progress p;
    double last = 0;

    fprintf(stderr, "kasparro: the console is closed; waiting for the run to finish "
                    "(Ctrl-C cancels it)\n");
    while (engine_busy(t->engine)) {
        struct pollfd pfd = {t->wake[0], POLLIN, 0};
        char buf[256];
        poll(&pfd, 1, 1000);
        while (read(t->wake[0], buf, sizeof buf) > 0)
            ;
        if (ui_take_stop())
            engine_cancel(t->engine); /* C-c (the terminal is back in normal mode) */
        engine_snapshot(t->engine, &p);
        if (p.active && clock_mono() - last >= 1) {
            long long fetched = 0;
            for (int i = 0; i < p.nsources; i++)
                fetched += p.sources[i].fetched;
            fprintf(stderr, "\r\033[Krun %lld: %s, %lld records", p.run_id, p.stage, fetched);
            last = clock_mono();
        }
    }
    engine_snapshot(t->engine, &p);
    fprintf(stderr, "\r\033[Krun %lld %s\n", p.run_id, p.status);
}

static void stop(struct tui *t)
{
    prompt_done();
    complete_done();
    if (t->sched != NULL)
        sched_stop(t->sched); /* first: it must not start a run while we close */
    t->sched = NULL;
    worker_stop(t->worker);
    t->worker = NULL;
    if (t->engine != NULL && t->quit_mode == TUI_QUIT_FINISH && engine_busy(t->engine)) {
        close_terminal();
        ui_stderr_restore();
        finish_run(t);
    }
    engine_stop(t->engine, false);
    t->engine = NULL;
    listen_close(&t->listen);
    screens_free(t);
    keys_free(&t->keys);
    pager_free(t->pager);
    close_terminal();
    ui_signals_restore();
    ui_stderr_restore();
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
        rc = ctx->err.code ? ctx->err.code : EXIT_FAIL;
        stop(t);
    } else {
        ui_loop(t);
        stop(t);
        rc = t->exit_code; /* a failed script left its message in ctx->err */
    }
    if (t->choice != NULL)
        ui_choice_free(t);
    for (int i = 0; i < 2; i++)
        if (t->wake[i] >= 0)
            close(t->wake[i]);
    free(t);
    return rc;
}
