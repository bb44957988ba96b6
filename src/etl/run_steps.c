/*
 * run_steps.c — what a run does after loading, in order.
 *
 * Per-source steps run after each source has been loaded, on the loader's
 * connection (orphan detection needs the run's seen set). Per-run steps run
 * once all sources are done (entity unification, then retention: a purge
 * must see the memberships unification has just updated). Each module adds
 * its entry here; the orchestrator (run.c) only walks the table.
 */
#include "kasparro/deletes.h"
#include "kasparro/run.h"

const struct run_step run_steps[] = {
    {"orphans", orphans_step, NULL},
    {"retention", NULL, retention_step},
};
const size_t run_nsteps = ARRAY_SIZE(run_steps);
