/*
 * run.h — one ingestion run: every selected source, then the after-run
 * steps, under the run lock.
 *
 * run_execute() takes the run lock (a PostgreSQL advisory lock on a
 * connection of its own: one run at a time across all processes), marks
 * runs left 'running' by dead processes as 'abandoned', records the run,
 * then its workers (work.h; and any daemon's that join) take the sources:
 * open one, pull items, map, load in batches with checkpoints, and run the
 * per-source steps (orphan detection after a complete full read). Once no
 * source is open, the per-run steps (entity unification, then
 * retention). Progress goes to a progress board; a NOTIFY on channel
 * 'kasparro' follows every commit others should see.
 *
 * The steps are a table (run_steps.c) that the soft-delete, matching and
 * retention modules fill in: the orchestrator calls them in order and knows
 * nothing of what they do.
 */
#ifndef KASPARRO_RUN_H
#define KASPARRO_RUN_H

#include <stdatomic.h>
#include <stdbool.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/loader.h"
#include "kasparro/progress.h"

enum run_trigger { TRIGGER_MANUAL, TRIGGER_SCHEDULE, TRIGGER_STARTUP };
const char *run_trigger_name(enum run_trigger t);

/* What became of a run (kasparro.runs.status) and of one source in it
 * (kasparro.run_sources.status). Decisions compare the enums; the names,
 * from one table each, are what the database, JSON and screens carry. */
enum run_status {
    RUN_RUNNING, RUN_SUCCEEDED, RUN_PARTIAL, RUN_FAILED, RUN_INTERRUPTED,
    RUN_ABANDONED, /* its process died; marked by the next run */
    RUN_MISSED,    /* a fire time found too late, or folded into a later run */
    RUN_SKIPPED,   /* a fire time that fell due while a run was going */
};
const char *run_status_name(enum run_status s);
extern const char *const run_status_names[]; /* by enum run_status, NULL-ended */
int run_status_parse(const char *name); /* enum run_status, or -1 */
/* Whether a run of status `s` (enum run_status, or -1) is a fire time that
 * never ran (missed, skipped): a row that says why, with no duration and no
 * counts, which runs and show-run give as "-" (null). */
bool run_status_never_ran(int s);
/* A source's error as a line that already names the source ("NAME: ..."):
 * without the "source 'NAME': " its reader put in front of it, which would
 * name it twice; any other error as it is. */
const char *run_source_error(const char *source, const char *error);
struct buf;
void run_status_list(struct buf *b); /* "running, succeeded, … or skipped" */

enum source_status { SOURCE_SUCCEEDED, SOURCE_PARTIAL, SOURCE_FAILED, SOURCE_INTERRUPTED };
/* In SQL, whether a source's read (run_sources r) loaded its records:
 * it succeeded, or was partial (the mass-delete guard held its deletions,
 * or a step after the load failed). */
#define RUN_SQL_LOADED(r) r ".status IN ('succeeded', 'partial')"
/* ... and whether its counts and duration are whole: it loaded and did
 * not take up another's interrupted read (compare-runs, stats). */
#define RUN_SQL_WHOLE(r) RUN_SQL_LOADED(r) " AND NOT " r ".resumed"
const char *source_status_name(enum source_status s);
/* What a warning of a source's report (run_sources.drift) is called where it
 * is shown: "repeated id" for the kind repeated_id, "drift" for the rest. */
const char *run_warning_label(const char *kind);

struct run_request {
    enum run_trigger trigger;
    const char *actor;          /* OS user, or "scheduler" */
    char **sources;             /* NULL/0: every enabled source */
    int nsources;
    bool full;                  /* full read even for incremental sources */
    bool allow_mass_delete;     /* skip the mass-delete guard this once */
    double scheduled_for;       /* the fire time that caused it; 0 none */
    /* Set (with the cancel) when this process stops rather than the run: a
     * run other processes are loading sources of is left to them (NULL:
     * a stop always ends the run). */
    const atomic_bool *leaving;
};

struct run_result {
    long long run_id;           /* 0 when no run was recorded (lock busy) */
    enum run_status status;     /* succeeded, partial, failed, interrupted */
    int exit_code;              /* EXIT_OK, EXIT_FAIL, EXIT_BUSY, EXIT_DB */
};

/* Runs to the end in the calling thread. `cancel` (may be NULL) stops it:
 * once set, the statement in progress is cancelled at the server (db_watch),
 * committed batches stay and the run ends 'interrupted' — unless
 * req->leaving is set too and another process is loading one of its
 * sources: then the run stays 'running' (result status RUN_RUNNING), this
 * process lets the run lock go, and the other takes the run over once its
 * sources are done (run_join).
 * Returns 0 when the run happened (whatever its status), -1 when it could
 * not (lock busy: EXIT_BUSY; database: EXIT_DB) with err filled. */
int run_execute(const struct config *cfg, const struct run_request *req,
                struct progress_board *board, const atomic_bool *cancel,
                struct run_result *result, struct err *err);

/* A run whose process died is taken over by a daemon only when it showed
 * life (started, or committed a batch) this recently; an older one is
 * marked abandoned instead, as the next run would. */
#define RUN_ADOPT_WITHIN_S 600

/* Joins a run in progress elsewhere that has sources left (work.h), with
 * this process's [kasparro] workers, and returns when none is left for
 * them (0; also when there was nothing to join). When the run's own process
 * has died (the run lock is free), takes the run over: finishes its sources,
 * runs the per-run steps and records its end (RUN_ADOPT_WITHIN_S). `found`
 * is called once there is a run to work on, before its progress is
 * announced; `leaving` is as run_request.leaving, for a run taken over.
 * -1 with err when the database could not be asked. */
int run_join(const struct config *cfg, struct progress_board *board, const atomic_bool *cancel,
             const atomic_bool *leaving, void (*found)(void *arg), void *arg, struct err *err);

/* Marks 'running' runs whose process is gone as 'abandoned'; the caller
 * must hold the run lock (or know no run is alive). Returns how many. */
int run_mark_abandoned(struct db *db, struct err *err);

/* Whether this process still holds the run lock of run `run` (its id as
 * text), taken on `lock`: -1 with err saying how it was lost when the
 * lock's session ended (the server ended it, restarted, or the network
 * failed it) or the run's row is no longer 'running' (a run started once
 * the lock went marked it abandoned). `db` is another connection, for the
 * row; `lock` is only looked at, never sent anything. */
int run_lock_check(struct db *lock, struct db *db, const char *run, struct err *err);

/* Who holds the run lock: "run 12 (pid 3456 on host h, started ...)". */
void run_describe_holder(struct db *db, char *out, size_t len);

/* Per-source step context: what a step sees and may report back. */
struct run_source_ctx {
    struct db *db;              /* the loader's connection: temp table kasparro_seen */
    const struct config *cfg;
    const struct source_cfg *src;
    const struct run_request *req;
    long long run_id;
    bool full;                  /* this read was a full sync */
    bool complete;              /* it saw the whole source (source_run.c: read_gap) */
    const char *incomplete;     /* when not complete, why */
    bool first_read;            /* the source held no records before this read */
    struct loader_counts counts;
    /* set by steps */
    long long soft_deleted, restored, held;
    long long repeated;         /* ids loaded again in a later batch of the read ... */
    char repeats[256];          /* ... the first of them, "'7' (2 times), '9' (3 times)" */
    bool downgraded;            /* a step made the source partial ... */
    char note[256];             /* ... and why, for run_sources.error */
};

struct run_ctx {
    struct db *db;
    const struct config *cfg;
    const struct run_request *req;
    long long run_id;
    enum run_status status;     /* the run's status so far */
    struct progress_board *board;
    const atomic_bool *cancel;
    /* the run lock's connection, idle while the per-run steps run: their
     * stage and phase go to the run's row on it (run_publish_phase), out
     * of the work connection's transactions */
    struct db *lock;
};

/* The run's stage and, within it, the phase ("scoring 12345 pairs"; NULL
 * for none) on its progress board and in kasparro.runs (stage, step), with
 * a NOTIFY: another process's console shows them. Never waits on the row
 * (a transaction holding it skips the write) and never fails the run. */
void run_publish_phase(const struct run_ctx *ctx, const char *stage, const char *step);

struct run_step {
    const char *name;
    /* exactly one of these is set */
    int (*per_source)(struct run_source_ctx *ctx, struct err *err);
    int (*per_run)(struct run_ctx *ctx, struct err *err);
};
extern const struct run_step run_steps[];
extern const size_t run_nsteps;

#endif
