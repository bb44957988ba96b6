/*
 * sched.h — the scheduler: runs the ingestion job on its cron schedule,
 * never misses a fire time silently and never runs twice at once.
 *
 * State lives in PostgreSQL (kasparro.scheduler, one row per job), so any
 * number of consoles and daemons can schedule against one database. The
 * row's next_fire_at is the anchor: fire times are computed from it, never
 * from a process's start, and a process acts on a fire time only by
 * claiming it — advancing next_fire_at in a transaction that holds the row —
 * so exactly one process decides each fire time. Every decision is a row in
 * kasparro.runs with trigger 'schedule' and scheduled_for = the fire time:
 * the run itself, or 'missed' (found too late, or folded into a later run),
 * or 'skipped' (a run was still going: never queued, never overlapped).
 *
 * The rules, for fire times that are due (fire time + jitter <= now):
 *   coalesce on   one run for the latest, if it is within grace; every other
 *                 due fire time is recorded 'missed'.
 *   coalesce off  each fire time within grace gets its own run, oldest
 *                 first, one after another; one that waited beyond grace by
 *                 the time its turn comes is recorded 'missed'. While such a
 *                 catch-up lasts, fire times that fall due join it.
 *   busy          otherwise, a fire time that falls due while a run is going
 *                 (in this process, or any process holds the run lock) is
 *                 'skipped': never queued, never overlapped.
 *   paused        nothing is decided while paused; resuming starts again at
 *                 the next fire time after the moment of resuming.
 *   changed cron  next_fire_at is recomputed from now, unless it is already
 *                 due: a due fire time is still honoured, and the times
 *                 after it follow the new expression.
 *
 * Jitter is a fixed per-job delay between 0 and [scheduler] jitter, from a
 * hash of the job name: the same in every process, so they agree on when a
 * fire time is due.
 *
 * The scheduler thread (sched_start) sleeps on a condition variable with
 * the monotonic clock, until the next fire time or at most SCHED_MAX_SLEEP
 * seconds, and re-reads the wall clock and the row on every wake, so clock
 * steps, suspends and changes made by other processes are all noticed.
 * sched_kick() wakes it at once: call it when a NOTIFY on channel
 * 'kasparro' carries a payload starting with "sched" (every change to the
 * row sends one).
 */
#ifndef KASPARRO_SCHED_H
#define KASPARRO_SCHED_H

#include <stdbool.h>

#include "kasparro/config.h"
#include "kasparro/cron.h"
#include "kasparro/db.h"
#include "kasparro/run.h"

#define SCHED_JOB "ingest"
#define SCHED_UPCOMING 5
#define SCHED_RECENT 8
#define SCHED_MAX_SLEEP 60.0 /* the tick: the longest sleep, in real seconds */
/* A pass, or a sleep overrun, longer than this many ticks is a stuck thread. */
#define SCHED_STALL_TICKS 2
#define SCHED_MAX_RECORDED 1000 /* missed fire times recorded one by one, per decision */

/* One stored job (a row of kasparro.scheduler); times in epoch seconds, 0
 * for none. */
struct sched_state {
    char cron[128];
    char timezone[64];
    bool paused;
    double last_fire;
    double next_fire;
    double catch_up_until;
    long long grace_s;
    long long jitter_s;
    bool coalesce;
};

/* --- Decisions (plan.c): pure, no database ----------------------------- */

enum sched_outcome { SCHED_RUN, SCHED_MISSED, SCHED_SKIPPED };

struct sched_decision {
    double at; /* the fire time */
    enum sched_outcome outcome;
    char why[256]; /* for runs.error; "" for a run */
};

struct sched_plan {
    struct sched_decision *decisions; /* oldest first; at most one SCHED_RUN */
    int ndecisions;
    bool wait;               /* due fire times wait for the running run (no coalesce) */
    struct sched_state next; /* the state to store */
};

/* What is due at `now` and what becomes of it. `busy` says a run is going;
 * `busy_why` says which ("run 12 was still in progress"). */
void sched_plan(const struct sched_state *st, const struct cron *cron, const struct tz *tz,
                double now, bool busy, const char *busy_why, struct sched_plan *plan);
void sched_plan_free(struct sched_plan *plan);
/* The job's fixed delay after each fire time, in [0, jitter_s]. */
long long sched_jitter_offset(const char *job, long long jitter_s);
const char *sched_outcome_name(enum sched_outcome o);

/* --- Stored state (state.c) ------------------------------------------- */

/* Loads the job's row; 1 found, 0 none, -1 error. */
int sched_load(struct db *db, const char *job, struct sched_state *st, struct err *err);
/* Creates the row from the configuration if there is none, and applies the
 * configuration's cron, time zone, grace, coalesce and jitter to it (a cron
 * or zone only when the file changed since the row last took it). Audited
 * when the cron or zone changes. */
int sched_sync_config(struct db *db, const struct config *cfg, const char *actor, double now,
                      struct err *err);

/* Is a run going? Asked inside the claim, with the row held. */
typedef bool (*sched_busy_fn)(void *arg, char *why, size_t len);

struct sched_claim {
    bool claimed; /* something was decided (and stored) */
    double run;   /* the fire time to run now; 0 none */
    bool wait;    /* a caught-up fire time waits for a run to finish */
    int missed, skipped;
    double next_due; /* when the next fire time is due (jitter included) */
    bool paused;
};

/* Claims the fire times due at `now` in one transaction: decides them,
 * records missed and skipped ones in runs, advances the row, NOTIFYs. The
 * caller then starts the run for claim->run (and settles it with
 * sched_settle_unstarted if it cannot start). */
int sched_claim(struct db *db, const char *job, double now, sched_busy_fn busy, void *busy_arg,
                struct sched_claim *claim, struct err *err);
/* Records a fire time's outcome as a runs row (trigger 'schedule'). */
int sched_record(struct db *db, double at, enum sched_outcome outcome, const char *why,
                 struct err *err);
/* True when a runs row exists for this fire time. */
int sched_recorded(struct db *db, double at, struct err *err);
/* The claimed fire time `at` is settled (its run recorded itself, or its
 * failure to start was recorded): forget the claim marker. */
int sched_clear_marker(struct db *db, const char *job, double at, struct err *err);
/* The claimed fire time's run did not start: recorded 'skipped' with
 * `why`, unless it has its row already (its run recorded itself, or
 * another scheduler settled it while the run was starting), and the marker
 * forgotten. 1 when it recorded the row, 0 when there was one, -1 on
 * error. */
int sched_settle_unstarted(struct db *db, double at, const char *why, struct err *err);

/* Operator changes, audited in kasparro.audit_log and NOTIFYed. `changed`
 * is false when there was nothing to change (already paused, same cron). */
int sched_pause(struct db *db, const struct config *cfg, bool pause, const char *actor, double now,
                bool *changed, struct err *err);
int sched_set_cron(struct db *db, const struct config *cfg, const char *cron, const char *timezone,
                   const char *actor, double now, bool *changed, struct err *err);

/* --- What people see (view.c) ----------------------------------------- */

struct sched_history {
    long long run_id;
    char status[16];
    char actor[64];
    double scheduled_for; /* 0 for a triggered run */
    double started, finished;
    char error[200];
};

struct sched_view {
    bool stored;  /* a scheduler has stored the job yet */
    bool enabled; /* [scheduler] enabled */
    char job[32];
    char cron[128];
    char timezone[64];
    bool paused;
    char updated_by[64];
    double updated_at;
    double last_fire, next_fire, next_due;
    long long grace_s, jitter_s, jitter_offset_s;
    bool coalesce;
    double upcoming[SCHED_UPCOMING]; /* fire times, jitter not included */
    int nupcoming;
    char config_cron[128];         /* the config file's, when it differs from cron */
    bool config_pending;           /* ... because the file changed since a scheduler
                                      last read it (else: 'schedule set' overrode it) */
    struct sched_history last_run; /* run_id 0: none */
    long long missed, skipped;     /* all time */
    struct sched_history recent[SCHED_RECENT];
    int nrecent;
};

int sched_view_load(struct db *db, const struct config *cfg, double now, struct sched_view *v,
                    struct err *err);

/* --- The scheduler thread (thread.c) ---------------------------------- */

/* How the thread starts runs: the console and the daemon hand it their
 * engine (sched_start); tests and `daemon --once` run in-line. */
struct sched_ops {
    /* Starts a run; -1 with err (EXIT_BUSY when a run is going). */
    int (*dispatch)(void *arg, const struct run_request *req, struct err *err);
    /* A run started by this process is queued or going. */
    bool (*busy)(void *arg, char *why, size_t len);
    /* Why the last dispatched run did not start ("" when it did). */
    void (*last_error)(void *arg, char *out, size_t len);
    void *arg;
};

struct sched_snapshot {
    unsigned long generation;
    bool enabled;
    bool connected;
    char state[24];       /* waiting, paused, disabled, disconnected, stopped */
    char last_event[256]; /* "fire time 12:00: run requested" */
    char error[256];
    struct sched_view view;
    double heartbeat; /* clock_mono() of the thread's last sign of life */
    double beat_by;   /* ... and by when it will give the next one */
};

struct sched;
struct engine;

/* Starts the thread; it takes a reference to cfg. `wake_fd` (or -1) gets a
 * byte whenever the snapshot changes. */
struct sched *sched_start(struct config *cfg, struct engine *engine, int wake_fd,
                          struct err *err);
struct sched *sched_start_ops(struct config *cfg, const struct sched_ops *ops, int wake_fd,
                              struct err *err);
void sched_kick(struct sched *s);
/* A new configuration (SIGHUP, :reload): applied by the thread. */
void sched_set_config(struct sched *s, struct config *cfg);
void sched_snapshot(struct sched *s, struct sched_snapshot *out);
/* The tick: SCHED_MAX_SLEEP, or KASPARRO_SCHED_TICK seconds when that is
 * shorter (tests). */
double sched_tick(void);
/* Seconds since the thread's last heartbeat when it is overdue at `now`
 * (clock_mono): the thread is stuck. 0 when it is on time. */
double sched_stalled(const struct sched_snapshot *snap, double now);
/* Stops and joins the thread (within the database connect timeout). */
void sched_stop(struct sched *s);

/* One pass without a thread: sync the configuration, claim what is due,
 * run it to the end in this thread. For `kasparro daemon --once`. Returns
 * an exit code. */
int sched_once(const struct config *cfg, const atomic_bool *cancel, struct err *err);

#endif
