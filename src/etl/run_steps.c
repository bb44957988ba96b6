/*
 * run_steps.c — what a run does after loading, in order.
 *
 * Per-source steps run after each source has been loaded, on the loader's
 * connection (orphan detection needs the run's seen set). Per-run steps run
 * once all sources are done (entity unification, then retention: a purge
 * must see the memberships unification has just updated). Each module adds
 * its entry here; the orchestrator (run.c) only walks the table.
 */
#include <stdio.h>

#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/log.h"
#include "kasparro/progress.h"
#include "kasparro/run.h"
#include "kasparro/runcompare.h"

/* Matching's phases on the run's board and in its row (run_publish_phase):
 * a big pass spends seconds in each, which the consoles show beside the
 * stage, this process's and the others'. */
static void dedup_phase(const char *what, void *arg)
{
    run_publish_phase(arg, "dedup", what);
}

/* Entity unification: match what this run changed. */
static int step_dedup(struct run_ctx *ctx, struct err *err)
{
    struct dedup_opts opts = {.on_phase = dedup_phase, .phase_arg = ctx};

    return dedup_apply_changes_opts(ctx->db, ctx->cfg, &opts, ctx->req->actor, ctx->run_id,
                                    err);
}

/* A run whose numbers moved far from the previous run's says so in the log
 * (the Runs screen and compare-runs show the same). Never fails the run. */
static int step_anomalies(struct run_ctx *ctx, struct err *err)
{
    struct err why = {0};
    cJSON *list = runcompare_anomalies(ctx->db, &ctx->cfg->anomaly, &ctx->run_id, 1, &why), *a;

    (void)err;
    if (list == NULL) {
        log_warn("run %lld: not compared with the previous run: %s", ctx->run_id, why.msg);
        return 0;
    }
    cJSON_ArrayForEach(a, cJSON_GetArrayItem(list, 0))
        log_warn("run %lld: anomaly: %s ('kasparro compare-runs' shows the comparison)",
                 ctx->run_id, a->valuestring);
    cJSON_Delete(list);
    return 0;
}

const struct run_step run_steps[] = {
    {"orphans", orphans_step, NULL},
    {"dedup", NULL, step_dedup},
    {"retention", NULL, retention_step},
    {"anomalies", NULL, step_anomalies},
};
const size_t run_nsteps = ARRAY_SIZE(run_steps);
