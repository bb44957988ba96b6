/*
 * daemon.h — headless mode: the engine and the scheduler with no terminal,
 * for servers and containers (`kasparro daemon`).
 *
 * The daemon logs JSON lines (info and above unless LOG_LEVEL or
 * [kasparro] log_level say otherwise). SIGTERM and SIGINT stop it: the
 * scheduler first, then the current run at its next batch boundary (the
 * batch commits, the run ends 'interrupted'), exit 0; if the run does not
 * stop within the stop timeout it exits 1 and the run is later marked
 * 'abandoned'. SIGHUP reloads the configuration; a configuration that does
 * not load is logged and the running one kept. At start it waits for the
 * database for a bounded time and exits 4 when it stays unreachable; once
 * running, it rides out database restarts (each run opens fresh
 * connections, the scheduler reconnects). It LISTENs on channel 'kasparro'
 * so changes made elsewhere (`kasparro schedule pause` in a shell) reach its
 * scheduler at once.
 *
 * All of that is the host's (host.h), which the console shares; the daemon
 * is its face without a terminal: logging, the wait for the database, and a
 * loop that polls the host until a signal stops it.
 */
#ifndef KASPARRO_DAEMON_H
#define KASPARRO_DAEMON_H

#include <stdbool.h>

#include "kasparro/cmd.h"

struct daemon_opts {
    bool once;           /* claim what is due, run it, exit */
    long long wait_db_s; /* how long to wait for the database at start */
    long long stop_timeout_s;
};

/* Returns the exit code. */
int daemon_run(struct cmd_ctx *ctx, const struct daemon_opts *opts);

#endif
