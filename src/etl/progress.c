/*
 * progress.c — the progress board (see progress.h).
 *
 * The writer changes the live struct under the lock; watchers are told after
 * the lock is released: one byte on the wake fd, and the on_change hook with
 * a private copy, so a slow hook never holds up the engine's next update.
 */
#include "kasparro/progress.h"

#include <stdio.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/wake.h"

void progress_board_init(struct progress_board *b, int wake_fd)
{
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    b->wake_fd = wake_fd;
}

void progress_board_destroy(struct progress_board *b) { pthread_mutex_destroy(&b->lock); }

void progress_snapshot(struct progress_board *b, struct progress *out)
{
    pthread_mutex_lock(&b->lock);
    *out = b->p;
    pthread_mutex_unlock(&b->lock);
}

void progress_update(struct progress_board *b, void (*fn)(struct progress *p, void *arg),
                     void *arg)
{
    struct progress copy_for_hook;

    if (b == NULL)
        return;
    pthread_mutex_lock(&b->lock);
    fn(&b->p, arg);
    b->p.generation++;
    if (b->on_change != NULL)
        copy_for_hook = b->p;
    pthread_mutex_unlock(&b->lock);
    wake_write(b->wake_fd, 'p');
    if (b->on_change != NULL)
        b->on_change(&copy_for_hook, b->arg);
}

struct progress_source *progress_source(struct progress *p, const char *name)
{
    /* found by the name as it is kept: a name longer than the entry holds
     * was not found by its whole, and each update of its source took
     * another entry, until none was left for any source */
    size_t keep = sizeof p->sources[0].name - 1;

    for (int i = 0; i < p->nsources; i++)
        if (strncmp(p->sources[i].name, name, keep) == 0)
            return &p->sources[i];
    if (p->nsources >= PROGRESS_MAX_SOURCES)
        return NULL;
    struct progress_source *s = &p->sources[p->nsources++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->stage, sizeof s->stage, "waiting");
    s->total = -1;
    s->size = -1;
    return s;
}

double progress_rate(const struct progress_source *s, double now)
{
    double end = s->finished > 0 ? s->finished : now;
    if (s->started <= 0 || end <= s->started)
        return 0;
    return (double)s->fetched / (end - s->started);
}
