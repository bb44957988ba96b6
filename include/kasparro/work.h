/*
 * work.h — the workers of one process on one run (src/etl/work.c).
 *
 * A run's sources are units of work: one run_sources row each, 'pending'
 * until a worker takes it. A worker is a thread with a connection of its
 * own; it takes a source by holding a lease on it (a session advisory lock
 * on that connection, so the lease ends when the worker does, however it
 * ends), loads it with source_run() in the source's own transactions and
 * checkpoints, and takes the next. A source 'running' whose lease is free
 * lost its worker: the next worker resumes it from its checkpoint.
 *
 * The process that started the run (the coordinator, holding the run lock)
 * stays until no source of the run is open, whoever holds them; a process
 * that joined the run leaves when none is left for it to take, and stops
 * when the run ends — or, when the run's process stopped and left the run
 * to the workers loading it, takes the run lock and then the run over.
 */
#ifndef KASPARRO_WORK_H
#define KASPARRO_WORK_H

#include "kasparro/buf.h"
#include "kasparro/run.h"

struct work_plan {
    const struct config *cfg;
    const struct run_request *req;
    long long run_id;
    struct progress_board *board; /* may be NULL */
    const atomic_bool *cancel;    /* this process stops (may be NULL) */
    int workers;                  /* threads */
    bool coordinator;             /* stay until every source of the run is done */
    /* The connection for the run lock. A joined process takes it as soon
     * as it is free while the run still goes on (its process stopped and
     * left the run to the workers loading it), so that no other run starts
     * before this process has taken the run over. NULL: not tried. */
    struct db *run_lock;
    /* The lock is held on run_lock already (the coordinator). Whoever
     * holds it looks at it once a second while the sources load: lost, it
     * stops the workers (run_lock_check says why, in err). */
    bool run_lock_held;
};

/* Runs plan->workers threads on the run's sources until none is left for
 * them; `db` (the caller's connection) watches the run meanwhile. 1 when
 * it took the run lock on plan->run_lock, else 0; -1 when no worker could
 * start (err). err is also set when a worker gave up or the run lock was
 * lost. */
int work_run(struct db *db, const struct work_plan *plan, struct err *err);

/* The sources' names and configuration digests (config_source_digest) as
 * two text[] literals, in the same order, for the run's rows and for
 * choosing among them. */
void work_source_arrays(const struct config *cfg, const struct source_cfg *const *srcs,
                        size_t n, struct buf *names, struct buf *digests);

/* After this process's workers ended: the sources of the run still open
 * that it could not load (unknown to it, or configured differently from
 * the process that started the run) fail, saying so, rather than end the
 * run 'skipped' without a word. */
int work_fail_foreign(struct db *db, const struct config *cfg, long long run_id,
                      struct err *err);

#endif
