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

#endif
