/*
 * runview.h — how a run is shown to people and scripts: used by
 * `kasparro show-run`, by `kasparro run` when it ends, and by the console's
 * run detail. Reads runs, run_sources and quarantine.
 */
#ifndef KASPARRO_RUNVIEW_H
#define KASPARRO_RUNVIEW_H

#include <cjson/cJSON.h>

#include "kasparro/buf.h"
#include "kasparro/cmd.h"

/* The run as JSON: the run's row, "sources" (per-source counts, drift,
 * errors) and "quarantine" (count and the first few). NULL with err when
 * there is no such run. */
cJSON *runview_json(struct db *db, long long run_id, struct err *err);
/* The run going now (the newest 'running' one), else run `watched` (a run
 * a console showed going, now ended; 0: none), as runview_json; *none set
 * (and NULL returned) when there is neither. NULL with err on failure. */
cJSON *runview_running(struct db *db, long long watched, bool *none, struct err *err);
/* Prints the run (text or JSON per ctx->json); returns an exit code. */
int runview_print(struct cmd_ctx *ctx, long long run_id);

/* What the runs listing needs of the runs' held deletions, with the same
 * words as show-run. runview_holds: an array parallel to run_ids (n of
 * them), each an array of the run's holds (of `source` alone when not
 * NULL), each its "source" and then show-run's "hold" ("held": records still held,
 * "would_delete", "decision": null while held, "by", "at",
 * "superseded_by_run", "applied") with "error", the holding read's error
 * as the run ended. NULL with err. */
cJSON *runview_holds(struct db *db, const long long *run_ids, int n, const char *source,
                     struct err *err);
/* The DELETED cell of a read or a run: the records it deleted, then what
 * became of the deletions it held, "held 50", "applied 50", "discarded" or
 * "superseded" ("3, held 50" when another read of the run deleted 3).
 * `holds`: an array of holds, one hold, or NULL. Caller frees. */
char *runview_deleted(long long soft_deleted, const cJSON *holds);
/* What became of a decided hold, appended to b: "the held deletions were
 * applied by ... at ...: 50 deleted"; nothing while it is held. */
void runview_hold_fate(const cJSON *hold, struct buf *b);
/* The run's (or a read's) error as it is now: each decided hold's error,
 * which said how to decide, replaced by what became of the deletions
 * (runview_hold_fate). NULL for no error; caller frees. */
char *runview_error(const char *error, const cJSON *holds);

/* A run still 'running' whose process showed no life (started, committed a
 * batch) for longer than RUN_ADOPT_WITHIN_S is silent: its process died or
 * is stuck, and only the next run (or a daemon that would take it over)
 * marks it abandoned. Two columns of the runs row `r`: the seconds since its
 * heartbeat when it is silent, else NULL; and, for a run 'running',
 * whether a session holds the run lock (its process, or the one after it,
 * alive; pg_locks is read once a query, not once a row). */
#define RUNVIEW_STR_(x) #x
#define RUNVIEW_STR(x) RUNVIEW_STR_(x)
#define SQL_RUN_SILENT(r)                                                                         \
    "CASE WHEN " r ".status = 'running' AND " r ".heartbeat_at < now() - make_interval(secs => " \
    RUNVIEW_STR(RUN_ADOPT_WITHIN_S) ") THEN extract(epoch FROM now() - " r ".heartbeat_at) END, " \
    "" r ".status = 'running' AND EXISTS (SELECT 1 FROM pg_locks l "                             \
    "  WHERE l.locktype = 'advisory' AND l.granted "                                            \
    "  AND l.objid = " RUNVIEW_STR(RUNVIEW_LOCK_RUN) "::oid AND l.objsubid = 1 "                 \
    "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
#define RUNVIEW_LOCK_RUN 1801548546 /* DB_LOCK_RUN, as SQL text needs it */
/* "no heartbeat for 12m" (brief), or that and what it means and how the run
 * is cleared, as `kasparro show-run` and `runs` say it (the commands as
 * `origin` types them). Caller frees. */
char *runview_silence(double seconds, bool lock_held, const char *pid, const char *host,
                      enum cmd_origin origin, bool brief);

#endif
