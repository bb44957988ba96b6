/*
 * engine.h — the engine thread: runs ingestion in the background for the
 * console and the daemon.
 *
 * The engine owns one worker thread and a small request queue. Callers
 * (console commands, key bindings, the scheduler thread) submit run
 * requests; the worker takes them one at a time and executes them with
 * run_execute() on connections of its own, publishing progress on its
 * board, whose wake fd the console polls. Submitting while a run is active
 * or queued is refused with EXIT_BUSY (no queueing behind a running run:
 * the scheduler records such a fire time as 'skipped'). A person's run
 * (engine_submit_started) is answered once it has begun or failed to.
 */
#ifndef KASPARRO_ENGINE_H
#define KASPARRO_ENGINE_H

#include <stdbool.h>

#include "kasparro/config.h"
#include "kasparro/progress.h"
#include "kasparro/run.h"

struct engine;

/* Starts the worker, which takes a reference to cfg. `wake_fd` (or -1) gets
 * a byte on every progress change. */
struct engine *engine_start(struct config *cfg, int wake_fd, struct err *err);
/* Queues a run; -1 with EXIT_BUSY when one is running or queued. The
 * request is copied. */
int engine_submit(struct engine *e, const struct run_request *req, struct err *err);
/* Queues a run and waits until it has begun (its runs row exists: *run_id)
 * or failed to begin: then -1 with the reason and its exit code (busy: 3,
 * database unreachable or stopped: 4), so whoever asked is told at once. */
int engine_submit_started(struct engine *e, const struct run_request *req, long long *run_id,
                          struct err *err);
/* When idle, joins a run in progress elsewhere that has sources left, or
 * takes over one whose process died (run_join); a no-op when busy. The
 * daemon calls it on news of such a run and now and then. */
void engine_join(struct engine *e);
/* Asks the current run to stop: it cancels its statement at the server
 * (db_watch) and ends 'interrupted'. Returns at once. */
void engine_cancel(struct engine *e);
/* This process stops: cancels as engine_cancel, but a run that other
 * processes are loading sources of goes on with them (run_request.leaving). */
void engine_leave(struct engine *e);
bool engine_busy(struct engine *e);
void engine_snapshot(struct engine *e, struct progress *out);
/* The result of the last finished run (run_id 0 when none yet). */
void engine_last_result(struct engine *e, struct run_result *out, char *error, size_t len);
/* Replaces the configuration used by later runs (SIGHUP, :reload); takes a
 * reference to cfg; a run in progress keeps the one it started with. */
void engine_set_config(struct engine *e, struct config *cfg);
/* Waits for the current run to finish (if `finish`) or cancels it, then
 * joins the worker and frees the engine. */
void engine_stop(struct engine *e, bool finish);

#endif
