/*
 * runsrc.h — reading one source within a run (src/etl/source_run.c): the
 * part of the orchestrator that pulls items, maps, loads and checkpoints,
 * then runs the per-source steps and records the outcome in run_sources.
 */
#ifndef KASPARRO_RUNSRC_H
#define KASPARRO_RUNSRC_H

#include "kasparro/run.h"

struct source_outcome {
    enum source_status status;
    char error[ERR_MSG_MAX]; /* why, when not succeeded: run_sources.error */
};

void source_run(struct db *work, const struct config *cfg, const struct source_cfg *src,
                const struct run_request *req, long long run_id, struct progress_board *board,
                const atomic_bool *cancel, struct source_outcome *out);

/* -1, 0, 1 as a < b, a == b, a > b for two canonical values of `type`. */
int cursor_compare(enum field_type type, const char *a, const char *b);

#endif
