/*
 * run_steps.c — what a run does after loading, in order.
 *
 * Per-source steps run after each source has been loaded, on the loader's
 * connection (orphan detection needs the run's seen set). Per-run steps run
 * once all sources are done (entity unification, then retention). Each
 * module adds its entry here; the orchestrator (run.c) only walks the table.
 */
#include "kasparro/run.h"

const struct run_step run_steps[] = {
    {NULL, NULL, NULL},
};
const size_t run_nsteps = 0;
