/*
 * logq.c — log lines from every thread, queued for the console's Log screen.
 *
 * While curses owns the terminal nothing may write to stderr, so the console
 * turns stderr logging off and installs logq_sink as the log sink. The sink
 * runs on whichever thread logged (the engine, the worker, the UI), copies
 * the line into a pending list under its own mutex and writes one byte to
 * the wake pipe. The UI thread takes the whole list at once (logq_take) and
 * keeps the lines in the Log screen's ring. A flood of lines while the UI is
 * busy is bounded: beyond LOGQ_MAX pending lines the oldest are dropped and
 * counted in one line saying so.
 */
#include <pthread.h>
#include <stdlib.h>

#include "kasparro/wake.h"
#include "tui-private.h"

#define LOGQ_MAX 5000

struct logq {
    pthread_mutex_t lock;
    struct log_entry *head, *tail;
    int n;
    long dropped;
    int wake_fd;
};

struct logq *logq_new(int wake_fd)
{
    struct logq *q = xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->lock, NULL);
    q->wake_fd = wake_fd;
    return q;
}

void log_entry_free(struct log_entry *e)
{
    if (e == NULL)
        return;
    free(e->source);
    free(e->msg);
    free(e);
}

void logq_sink(const struct log_line *line, void *arg)
{
    struct logq *q = arg;
    struct log_entry *e = xcalloc(1, sizeof *e), *old = NULL;
    bool first;

    e->time = line->time;
    e->level = line->level;
    e->run_id = line->run_id;
    e->source = line->source ? xstrdup(line->source) : NULL;
    e->msg = xstrdup(line->msg);
    pthread_mutex_lock(&q->lock);
    first = q->head == NULL;
    if (q->tail != NULL)
        q->tail->next = e;
    else
        q->head = e;
    q->tail = e;
    if (++q->n > LOGQ_MAX) {
        old = q->head;
        q->head = old->next;
        q->n--;
        q->dropped++;
    }
    pthread_mutex_unlock(&q->lock);
    log_entry_free(old);
    if (first)
        wake_write(q->wake_fd, 'l');
}

struct log_entry *logq_take(struct logq *q)
{
    struct log_entry *list, *note = NULL;

    pthread_mutex_lock(&q->lock);
    list = q->head;
    q->head = q->tail = NULL;
    q->n = 0;
    if (q->dropped > 0) {
        note = xcalloc(1, sizeof *note);
        note->level = LOG_WARN;
        note->time = list ? list->time : 0;
        note->msg = xasprintf("%ld log lines were dropped while the console was busy", q->dropped);
        note->next = list;
        list = note;
        q->dropped = 0;
    }
    pthread_mutex_unlock(&q->lock);
    return list;
}

void logq_free(struct logq *q)
{
    if (q == NULL)
        return;
    for (struct log_entry *e = logq_take(q), *next; e != NULL; e = next) {
        next = e->next;
        log_entry_free(e);
    }
    pthread_mutex_destroy(&q->lock);
    free(q);
}
