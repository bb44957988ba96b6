/*
 * runview.h — how a run is shown to people and scripts: used by
 * `kasparro show-run`, by `kasparro run` when it ends, and by the console's
 * run detail. Reads runs, run_sources and quarantine.
 */
#ifndef KASPARRO_RUNVIEW_H
#define KASPARRO_RUNVIEW_H

#include <cjson/cJSON.h>

#include "kasparro/cmd.h"

/* The run as JSON: the run's row, "sources" (per-source counts, drift,
 * errors) and "quarantine" (count and the first few). NULL with err when
 * there is no such run. */
cJSON *runview_json(struct db *db, long long run_id, struct err *err);
/* Prints the run (text or JSON per ctx->json); returns an exit code. */
int runview_print(struct cmd_ctx *ctx, long long run_id);

#endif
