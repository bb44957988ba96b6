/*
 * cluster.h — kasparro's private PostgreSQL cluster.
 *
 * With no database configured, kasparro runs its own cluster: initdb on
 * first use, pg_ctl start on demand, a unix socket in the data folder only
 * (no TCP), trust authentication (the folder is private to its owner). The
 * folder is $KASPARRO_PGDATA, else $XDG_STATE_HOME/kasparro/pg, else
 * ~/.local/state/kasparro/pg; for root with neither set, /var/lib/kasparro/pg.
 * PostgreSQL refuses to run as root, so when kasparro runs as root the server
 * runs as the unprivileged 'postgres' account that Debian's package creates.
 * Its postgresql.conf ends with a block of kasparro's settings
 * (cluster_settings.c), part of which is written again at each start.
 */
#ifndef KASPARRO_CLUSTER_H
#define KASPARRO_CLUSTER_H

#include <stdbool.h>

#include "kasparro/err.h"

struct cluster_status {
    char dir[4096];
    bool initialised;
    bool running;
    long pid;
    char bindir[4096]; /* where initdb/pg_ctl were found, "" when not */
};

const char *cluster_dir(void);
/* The libpq conninfo for the private cluster's "kasparro" database. */
char *cluster_conninfo(void);
int cluster_status(struct cluster_status *st, struct err *err);
/* initdb when needed, start when stopped, create the database; idempotent
 * and safe when several processes call it at once. */
int cluster_start(struct err *err);
/* Stops it (fast shutdown); 0 when it was already stopped; an error
 * (EXIT_FAIL) when the folder holds no cluster at all. */
int cluster_stop(struct err *err);

/* The block kasparro appends to its cluster's postgresql.conf: a cluster
 * without the first line is not kasparro's. */
#define CLUSTER_SETTINGS_MARK "# kasparro: private cluster, unix socket in the data folder only"
#define CLUSTER_SETTINGS_END "# kasparro: end of its settings"

/* Appends the block to DIR/postgresql.conf (after initdb). */
int cluster_settings_write(const char *dir, struct err *err);
/* TEXT with the block's managed lines written again (a new string), or
 * NULL when TEXT has no block of kasparro's. */
char *cluster_settings_rewrite(const char *text);
/* Rewrites DIR/postgresql.conf's managed lines when they differ from what
 * this kasparro writes; the server reads them when it next starts. */
int cluster_settings_update(const char *dir, struct err *err);

#endif
