/*
 * host.h — the background machinery every face of kasparro shares.
 *
 * The console (src/tui/), the daemon (src/daemon/) and the HTTP server
 * are faces: they show and take requests. What runs behind them is the
 * same and lives here, once:
 *
 *   - the engine thread (runs) and the scheduler thread (fire times);
 *   - the one LISTEN kasparro connection, driven without ever blocking, that
 *     hears other processes' changes, kicks the scheduler on a "sched..."
 *     notification and tells the face, and is the face's sense of the
 *     database being there (up, down, or the private cluster stopped);
 *   - signals: SIGTERM and SIGINT stop, SIGHUP reloads (or stops, for the
 *     console, whose terminal is gone), through a self-pipe;
 *   - reload: the configuration is read again and handed to the engine, the
 *     scheduler, every service and the face — all of them, once every
 *     service has read what it needs of it — or the running one is kept;
 *   - services started with the host (the HTTP server): started last,
 *     reloaded with it, stopped first;
 *   - the stop order: services, scheduler (no new run may start), the
 *     face's own threads (its hook), then the run — cancelled at its next
 *     batch, or let finish — and the engine.
 *
 * The host has no thread of its own: the face's loop polls the host's
 * descriptors (host_pollfds) with its own and calls host_service(), which
 * returns what happened (enum host_event). The daemon's loop is nothing
 * else; the console adds the terminal and its wake pipe.
 */
#ifndef KASPARRO_HOST_H
#define KASPARRO_HOST_H

#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "kasparro/cmd.h"
#include "kasparro/progress.h"

struct host;
struct engine;
struct sched;

/* What host_service() reports, as bits. */
enum host_event {
    HOST_NOTIFIED = 1 << 0, /* another process changed something (NOTIFY kasparro) */
    HOST_DB_UP = 1 << 1,    /* the LISTEN connection came (back) up: what was sent
                               while it was down is lost, so reload everything */
    HOST_DB_DOWN = 1 << 2,  /* it went down, or how it is down changed (host_db) */
    HOST_STOP = 1 << 3,     /* a signal asks the process to stop */
    HOST_RELOADED = 1 << 4, /* SIGHUP reloaded the configuration (or failed to: logged) */
};

struct host_options {
    int wake_fd;              /* gets a byte on engine progress and scheduler news; -1 none */
    bool hangup_stops;        /* SIGHUP stops (a console's terminal went away); else reloads */
    bool scheduler_required;  /* without its scheduler the host does not start (daemon);
                                 else it starts without one and logs why (console) */
    bool join_runs;           /* when idle, join runs in progress elsewhere (daemon): on
                                 "work:" news, when the database comes back, and every
                                 HOST_JOIN_EVERY_S (host.c) for a source whose worker died */
    bool columns_busy;        /* the face's own try at [schema]'s columns found
                                 kasparro.records busy (cmd_ctx_add_columns, which said
                                 so): the host tries again every 15 s (columns.c) */
    bool label_index;         /* the face serves GET /data?q= (daemon): as it starts and
                                 at every reload its columns thread brings the index of
                                 the records' label in step (label_index.c) */
    /* After a reload reached the engine, the scheduler and the services:
     * the face takes up the new configuration too (logging, its workers). */
    void (*reloaded)(void *arg, struct config *cfg);
    /* In host_stop, after the scheduler and services stopped and before the
     * run is cancelled or awaited: the face stops its threads that may still
     * hand the engine work (the console's command worker). */
    void (*stopping)(void *arg);
    void *arg;
};

/* A service runs beside the engine for as long as the host does (the HTTP
 * server, httpd.h: httpd_service). */
struct host_service {
    const char *name; /* for messages: "http" */
    /* Starts it with the running configuration and the face's `arg`;
     * returns its state, or NULL: with err set when it failed, with err
     * clear when the configuration turns it off. Its errors name it
     * ("http: ..."): the host passes them on as they are. */
    void *(*start)(struct host *h, const struct config *cfg, void *arg, struct err *err);
    /* A reloaded configuration applies to everything or nothing: prepare
     * reads what the service needs of it (files, variables) and returns
     * it, or NULL with err — then nothing takes the new configuration, the
     * engine and the scheduler included; once every service prepared,
     * apply takes up what prepare returned. discard drops it when another
     * service's prepare failed. Optional, all three or none. */
    void *(*prepare)(void *state, const struct config *cfg, struct err *err);
    void (*apply)(void *state, void *prepared);
    void (*discard)(void *prepared);
    void (*stop)(void *state);
};

/* Installs the signal handlers, starts the engine and the scheduler with
 * ctx->cfg and begins connecting LISTEN. ctx stays the face's: its
 * configuration is the running one (host_reload replaces it) and
 * ctx->engine is set to the host's engine. NULL with err on failure (the
 * signal handlers are then restored). */
struct host *host_start(struct cmd_ctx *ctx, const struct host_options *o, struct err *err);
/* Starts a service now (call after host_start), with the face's `arg`; on
 * failure nothing of it is left running and err names the service. */
int host_add_service(struct host *h, const struct host_service *s, void *arg, struct err *err);

struct engine *host_engine(struct host *h);
struct sched *host_sched(struct host *h); /* NULL when it did not start (console) */
const struct config *host_config(struct host *h);

/* The descriptors to poll (at most HOST_MAX_FDS) into fds; returns how many. */
#define HOST_MAX_FDS 2
int host_pollfds(struct host *h, struct pollfd *fds);
/* Seconds until host_service wants to run without an event; -1: never. */
double host_timeout(struct host *h, double now);
/* After poll(): `fds` as filled by host_pollfds (with revents), `n` of
 * them. Drives the LISTEN connection, takes signals (a SIGHUP reload is
 * done here), kicks the scheduler; returns enum host_event bits. */
int host_service(struct host *h, const struct pollfd *fds, int n, double now);

/* The database as the LISTEN connection sees it, for a status line. */
enum host_db_state { HOST_DB_CONNECTING, HOST_DB_CONNECTED, HOST_DB_RETRYING, HOST_DB_STOPPED };
struct host_db {
    enum host_db_state state;
    bool ever_up;
    double retry_in;  /* HOST_DB_RETRYING: seconds to the next attempt; -1 trying now */
    char error[256];  /* why it is not connected */
    char start[64];   /* HOST_DB_STOPPED: the command that starts it, as the
                         console's ':' line takes it */
};
void host_db(struct host *h, struct host_db *out);
/* Tries to connect again at the next host_service, not after the pause. */
void host_db_retry(struct host *h);

/* Reads the configuration file again and hands it to everyone (see
 * host_options.reloaded); on an error the running one stays, the reason is
 * logged and in err. */
int host_reload(struct host *h, struct err *err);

enum host_stop_mode {
    HOST_STOP_CANCEL, /* cancel a run in progress at its next batch */
    HOST_STOP_FINISH, /* let it finish; a stop signal meanwhile cancels it */
    HOST_STOP_LEAVE,  /* as CANCEL, but a run other processes' workers are
                       * loading goes on with them (engine_leave) */
};
/* Stops everything in order (see above) and frees the host. `wait_s` bounds
 * the wait for the run (0: no bound); `tick` (or NULL) is called about once
 * a second while waiting, with the run's progress. Returns 0, or -1 when the
 * run did not end in time (it will be marked abandoned by the next run; the
 * caller should exit without waiting for it). ctx->engine is cleared. */
int host_stop(struct host *h, enum host_stop_mode mode, double wait_s,
              void (*tick)(const struct progress *p, void *arg), void *arg);

/* Signals only, for a face that runs without the threads (`daemon --once`)
 * or before it starts them (the daemon, while it waits for the database):
 * SIGTERM and SIGINT set the returned flag (the run's cancel flag).
 * host_start keeps handlers begun this way; host_stop ends them. */
const atomic_bool *host_signals_begin(struct err *err);
void host_signals_end(void);

#endif
