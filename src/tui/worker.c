/*
 * worker.c — the console's command worker thread.
 *
 * DESIGN: every command that may touch the database runs here, never on
 * the UI thread. The worker owns a struct cmd_ctx with its own connection
 * (opened on first use, reopened after a loss), takes jobs from a FIFO
 * under a mutex and a condition variable, runs each command line through
 * cmd_run_line() with the output captured in memory, and appends the job
 * to a done list; then it writes one byte to the UI's non-blocking wake
 * pipe (a full pipe already means "wake up", redis bio.c style). The UI
 * swaps the whole done list out under the lock and handles the jobs after
 * unlocking. A connection the server ended while it sat idle is let go
 * before the next job (db_idle_ok), which then connects afresh: after `db
 * stop` the first command says the database is stopped and that it was not
 * done, not what the server said as it went. A read job (JOB_RETRY) that
 * failed because the connection was lost while it ran runs once more on a
 * fresh connection, so a database restart costs the screens nothing but a
 * moment. A command learns the screen's width as it was when asked (for
 * show-match's layout). The worker holds a
 * reference to the
 * configuration; a reload hands it the new one, which it takes up between
 * two jobs, so no command sees the configuration change under it. The
 * operator's own commands (JOB_ASKED: a decision, an export) are counted
 * for `quit`, which lets them finish first (worker_asked); those a stop
 * still finds are told of (worker_stop's `undone`).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/wake.h"
#include "tui-private.h"

struct worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct job *queue, *queue_tail;
    struct job *done, *done_tail;
    int pending;
    bool stop;
    char current[256];
    struct job *running; /* the job running now, or NULL */
    PGcancel *cancel; /* for the job running now, when it has a connection */
    struct cmd_ctx ctx;
    struct config *next_cfg; /* from worker_set_config, taken up before the next job */
    int width;               /* the screen's, for the jobs asked from now on */
    int wake_fd;
};

static void run_once(struct worker *w, struct job *j)
{
    char *out = NULL;
    size_t len = 0;

    w->ctx.out = open_memstream(&out, &len);
    if (w->ctx.out == NULL)
        fatal("out of memory for a command's output");
    w->ctx.width = j->width;
    out_spans_free(&j->tables);
    w->ctx.tables = &j->tables;
    err_clear(&w->ctx.err);
    if (j->fn != NULL)
        j->fn(&w->ctx, j);
    else
        j->rc = cmd_run_line(&w->ctx, j->line);
    fclose(w->ctx.out);
    w->ctx.out = NULL;
    w->ctx.tables = NULL;
    free(j->out);
    j->out = out;
    j->err = w->ctx.err;
}

/* The next command gets a new connection. */
static void drop_db(struct worker *w)
{
    db_close(w->ctx.db);
    w->ctx.db = NULL;
    w->ctx.owns_db = false;
}

static void run_job(struct worker *w, struct job *j)
{
    bool had_db = w->ctx.db != NULL;

    run_once(w, j);
    if (err_sqlstate(&j->err, SQLSTATE_CONNECTION) && w->ctx.db != NULL) {
        drop_db(w); /* the connection died under us */
        if (had_db && (j->flags & JOB_RETRY))
            run_once(w, j);
    }
    if ((j->flags & JOB_JSON) && j->rc == EXIT_OK)
        j->json = cJSON_Parse(j->out);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    log_context(0, NULL);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && w->queue == NULL)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->stop)
            break;
        struct job *j = w->queue;
        w->queue = j->next;
        if (w->queue == NULL)
            w->queue_tail = NULL;
        j->next = NULL;
        /* a read of its own (the run in progress at each piece of news, the
         * ids a completion looks up) is no command the operator waits for:
         * the status line's "working:" would flash at every notification */
        snprintf(w->current, sizeof w->current, "%s", j->fn != NULL ? "" : j->line);
        w->running = j;
        if (w->ctx.db != NULL && !db_idle_ok(w->ctx.db)) /* never blocks */
            drop_db(w);
        w->cancel = w->ctx.db != NULL ? PQgetCancel(w->ctx.db->conn) : NULL;
        struct config *old = NULL;
        if (w->next_cfg != NULL) {
            old = w->ctx.cfg;
            w->ctx.cfg = w->next_cfg;
            w->next_cfg = NULL;
        }
        pthread_mutex_unlock(&w->lock);
        config_free(old);

        run_job(w, j);

        pthread_mutex_lock(&w->lock);
        w->current[0] = '\0';
        w->running = NULL;
        PQfreeCancel(w->cancel);
        w->cancel = NULL;
        if (w->done_tail != NULL)
            w->done_tail->next = j;
        else
            w->done = j;
        w->done_tail = j;
        pthread_mutex_unlock(&w->lock);
        wake_write(w->wake_fd, 'w');
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct worker *worker_start(const struct cmd_ctx *proto, int wake_fd)
{
    struct worker *w = xcalloc(1, sizeof *w);

    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->wake_fd = wake_fd;
    w->ctx.cfg = config_ref(proto->cfg);
    w->ctx.config_path = proto->config_path;
    w->ctx.actor = proto->actor;
    w->ctx.engine = proto->engine;
    w->ctx.origin = ORIGIN_CONSOLE;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        fatal("unable to start the console's command worker: %s", strerror(errno));
    return w;
}

static void enqueue(struct worker *w, struct job *j)
{
    pthread_mutex_lock(&w->lock);
    j->width = w->width;
    if (w->queue_tail != NULL)
        w->queue_tail->next = j;
    else
        w->queue = j;
    w->queue_tail = j;
    w->pending++;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static struct job *job_new(const char *line, int flags, job_done_fn done, void *arg)
{
    struct job *j = xcalloc(1, sizeof *j);

    j->line = xstrdup(line);
    j->flags = flags;
    j->done = done;
    j->arg = arg;
    return j;
}

void worker_submit(struct worker *w, const char *line, int flags, job_done_fn done, void *arg,
                   long long tag)
{
    struct job *j = job_new(line, flags, done, arg);

    j->tag = tag;
    enqueue(w, j);
}

void worker_submit_fn(struct worker *w, const char *what, void (*fn)(struct cmd_ctx *, struct job *),
                      job_done_fn done, void *arg)
{
    struct job *j = job_new(what, JOB_RETRY, done, arg);

    j->fn = fn;
    enqueue(w, j);
}

void worker_set_width(struct worker *w, int cells)
{
    pthread_mutex_lock(&w->lock);
    w->width = cells;
    pthread_mutex_unlock(&w->lock);
}

void worker_set_config(struct worker *w, struct config *cfg)
{
    pthread_mutex_lock(&w->lock);
    struct config *superseded = w->next_cfg; /* a reload the worker never took up */
    w->next_cfg = config_ref(cfg);
    pthread_mutex_unlock(&w->lock);
    config_free(superseded);
}

struct job *worker_take_done(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    struct job *list = w->done;
    for (struct job *j = list; j != NULL; j = j->next)
        w->pending--;
    w->done = w->done_tail = NULL;
    pthread_mutex_unlock(&w->lock);
    return list;
}

int worker_pending(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    int n = w->pending;
    pthread_mutex_unlock(&w->lock);
    return n;
}

int job_command_len(const struct job *j)
{
    size_t n = strlen(j->line), json = strlen(" --json");

    /* a command a screen follows was asked for as JSON (ui.c follow) */
    if ((j->flags & (JOB_ASKED | JOB_JSON)) == (JOB_ASKED | JOB_JSON) && n >= json &&
        strcmp(j->line + n - json, " --json") == 0)
        n -= json;
    return (int)n;
}

/* The operator's jobs of a list, the first's command into buf when it is
 * still empty. */
static int count_asked(const struct job *j, char *buf, size_t len)
{
    int n = 0;

    for (; j != NULL; j = j->next)
        if (j->flags & JOB_ASKED) {
            if (n++ == 0 && buf[0] == '\0')
                snprintf(buf, len, "%.*s", job_command_len(j), j->line);
        }
    return n;
}

int worker_asked(struct worker *w, char *buf, size_t len)
{
    int n;

    buf[0] = '\0';
    pthread_mutex_lock(&w->lock);
    n = w->running != NULL ? count_asked(w->running, buf, len) : 0; /* its next is NULL */
    n += count_asked(w->queue, buf, len) + count_asked(w->done, buf, len);
    pthread_mutex_unlock(&w->lock);
    return n;
}

void worker_current(struct worker *w, char *buf, size_t len)
{
    pthread_mutex_lock(&w->lock);
    snprintf(buf, len, "%s", w->current);
    pthread_mutex_unlock(&w->lock);
}

void job_free(struct job *j)
{
    if (j == NULL)
        return;
    free(j->line);
    free(j->out);
    out_spans_free(&j->tables);
    cJSON_Delete(j->json);
    free(j);
}

/* Jobs never delivered to their done callback: the argument they own too;
 * the operator's are told of first. */
static void free_undelivered(struct job *j, bool ran,
                             void (*undone)(const struct job *j, bool ran, void *arg), void *arg)
{
    while (j != NULL) {
        struct job *next = j->next;
        if ((j->flags & JOB_ASKED) && undone != NULL)
            undone(j, ran, arg);
        if (j->flags & JOB_OWNS_ARG)
            free(j->arg);
        job_free(j);
        j = next;
    }
}

/* A command still running is let finish (its statement is cancelled first,
 * so a slow query does not hold up the exit). */
void worker_stop(struct worker *w, void (*undone)(const struct job *j, bool ran, void *arg),
                 void *arg)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    if (w->cancel != NULL) {
        char ebuf[256];
        PQcancel(w->cancel, ebuf, sizeof ebuf);
    }
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    free_undelivered(w->done, true, undone, arg);
    free_undelivered(w->queue, false, undone, arg);
    config_free(w->ctx.cfg);
    config_free(w->next_cfg);
    w->ctx.cfg = NULL;
    w->ctx.owns_cfg = false;
    cmd_ctx_release(&w->ctx);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
