/*
 * progress.h — what a run is doing right now, for whoever watches.
 *
 * The run orchestrator writes into a progress board as it goes (run begun,
 * a source's counts after each batch, stage changes, the end); readers take
 * a consistent copy with progress_snapshot(). The board's lock is held only
 * for the copy. After each change the board writes one byte to its wake fd
 * (non-blocking; a full pipe already means "wake up"), which is how the
 * console learns to redraw without polling, and calls its optional
 * on_change hook (the shell's `kasparro run` prints a live line with it).
 */
#ifndef KASPARRO_PROGRESS_H
#define KASPARRO_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>

#include "kasparro/err.h"

#define PROGRESS_MAX_SOURCES 32

struct progress_source {
    char name[256]; /* a longer one cut (progress_source finds it by as much) */
    char stage[24];   /* waiting, fetching, orphans, done, failed, skipped */
    char status[16];  /* as in run_sources.status once finished */
    long long fetched, inserted, updated, unchanged, quarantined;
    long long soft_deleted, restored, held;
    long long total;  /* -1 unknown */
    long long pages;
    long long bytes, size; /* read so far, and the whole read when known (a file; else -1) */
    double started, finished; /* clock_now(); 0 when not yet */
};

struct progress {
    unsigned long generation; /* bumped on every change */
    bool active;
    long long run_id;
    char trigger[16];
    char actor[64];
    char status[16];  /* running, succeeded, partial, failed, interrupted */
    char stage[32];   /* sources, dedup, retention, done */
    char step[64];    /* what the stage does now ("scoring 12345 pairs"); "" unsaid */
    double started, finished;
    int nsources;
    struct progress_source sources[PROGRESS_MAX_SOURCES];
    char error[ERR_MSG_MAX]; /* as the run keeps it (runs.error), cut by err_copy */
};

struct progress_board {
    pthread_mutex_t lock;
    struct progress p;
    int wake_fd;                              /* -1: none */
    void (*on_change)(const struct progress *p, void *arg); /* called with a copy */
    void *arg;
};

void progress_board_init(struct progress_board *b, int wake_fd);
void progress_board_destroy(struct progress_board *b);
void progress_snapshot(struct progress_board *b, struct progress *out);

/* Writers (the orchestrator). `fn` runs under the lock on the live struct;
 * the generation is bumped and watchers are woken afterwards. */
void progress_update(struct progress_board *b, void (*fn)(struct progress *p, void *arg),
                     void *arg);
/* Finds (or adds) a source's slot by name; NULL when full. */
struct progress_source *progress_source(struct progress *p, const char *name);

/* Records per second of a source so far (0 when not started). */
double progress_rate(const struct progress_source *s, double now);

#endif
