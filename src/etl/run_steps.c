/*
 * run_steps.c — what a run does after loading, in order.
 *
 * Per-source steps run after each source has been loaded, on the loader's
 * connection (orphan detection needs the run's seen set). Per-run steps run
 * once all sources are done (entity unification, then retention: a purge
 * must see the memberships unification has just updated). Each module adds
 * its entry here; the orchestrator (run.c) only walks the table.
 */
#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/run.h"

/* Entity unification: match what this run changed. */
static int step_dedup(struct run_ctx *ctx, struct err *err)
{
    return dedup_apply_changes(ctx->db, ctx->cfg, ctx->req->actor, ctx->run_id, err);
}

const struct run_step run_steps[] = {
    {"orphans", orphans_step, NULL},
    {"dedup", NULL, step_dedup},
    {"retention", NULL, retention_step},
};
const size_t run_nsteps = ARRAY_SIZE(run_steps);
