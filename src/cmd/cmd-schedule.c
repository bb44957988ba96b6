/*
 * cmd-schedule.c — `kasparro schedule [pause | resume | trigger | set
 * CRON]`: the ingestion schedule, and an operator's hand on it.
 *
 * With no subcommand it shows the stored schedule (or, before any scheduler
 * ran, the configured one): expression, time zone, paused or not, the next
 * fire times, the last run and how many fire times were missed or skipped.
 * pause, resume and set change the stored row for every process at once
 * (audited, NOTIFYed). trigger runs the scheduled job now: in a shell, in
 * this process, like `kasparro run` (exit 3 when a run is going); in the
 * console or the daemon, on their engine. A triggered run is a scheduled
 * run (trigger 'schedule', so the after-run steps for scheduled runs apply)
 * but has no fire time: it does not move the schedule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/engine.h"
#include "kasparro/out.h"
#include "kasparro/runview.h"
#include "kasparro/sched.h"
#include "kasparro/tz.h"

static cJSON *time_json(double t)
{
    char buf[32];
    return t > 0 ? cJSON_CreateString(clock_format(t, buf, sizeof buf)) : cJSON_CreateNull();
}

static cJSON *history_json(const struct sched_history *h)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "run", (double)h->run_id);
    cJSON_AddStringToObject(o, "status", h->status);
    cJSON_AddStringToObject(o, "actor", h->actor);
    cJSON_AddItemToObject(o, "scheduled_for", time_json(h->scheduled_for));
    cJSON_AddItemToObject(o, "started_at", time_json(h->started));
    cJSON_AddItemToObject(o, "finished_at", time_json(h->finished));
    if (h->error[0])
        cJSON_AddStringToObject(o, "error", h->error);
    else
        cJSON_AddNullToObject(o, "error");
    return o;
}

static cJSON *view_json(const struct sched_view *v)
{
    cJSON *o = cJSON_CreateObject(), *up = cJSON_CreateArray(), *recent = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "job", v->job);
    cJSON_AddStringToObject(o, "cron", v->cron);
    cJSON_AddStringToObject(o, "timezone", v->timezone);
    cJSON_AddBoolToObject(o, "enabled", v->enabled);
    cJSON_AddBoolToObject(o, "stored", v->stored);
    cJSON_AddBoolToObject(o, "paused", v->paused);
    cJSON_AddNumberToObject(o, "grace_s", (double)v->grace_s);
    cJSON_AddBoolToObject(o, "coalesce", v->coalesce);
    cJSON_AddNumberToObject(o, "jitter_s", (double)v->jitter_s);
    cJSON_AddNumberToObject(o, "jitter_offset_s", (double)v->jitter_offset_s);
    cJSON_AddItemToObject(o, "last_fire_at", time_json(v->last_fire));
    cJSON_AddItemToObject(o, "next_fire_at", time_json(v->next_fire));
    cJSON_AddItemToObject(o, "next_due_at", time_json(v->next_due));
    for (int i = 0; i < v->nupcoming; i++)
        cJSON_AddItemToArray(up, time_json(v->upcoming[i]));
    cJSON_AddItemToObject(o, "upcoming", up);
    cJSON_AddItemToObject(o, "last_run",
                          v->last_run.run_id ? history_json(&v->last_run) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "missed", (double)v->missed);
    cJSON_AddNumberToObject(o, "skipped", (double)v->skipped);
    for (int i = 0; i < v->nrecent; i++)
        cJSON_AddItemToArray(recent, history_json(&v->recent[i]));
    cJSON_AddItemToObject(o, "recent", recent);
    if (v->config_cron[0])
        cJSON_AddStringToObject(o, "config_cron", v->config_cron);
    else
        cJSON_AddNullToObject(o, "config_cron");
    cJSON_AddBoolToObject(o, "config_pending", v->config_pending);
    if (v->stored) {
        cJSON_AddStringToObject(o, "updated_by", v->updated_by);
        cJSON_AddItemToObject(o, "updated_at", time_json(v->updated_at));
    }
    return o;
}

static void print_state(struct cmd_ctx *ctx, const struct sched_view *v)
{
    char when[32], grace[32], jitter[32];

    out_printf(ctx, "schedule:  %s (%s)%s\n", v->cron, v->timezone,
               !v->enabled ? ", disabled in the configuration ([scheduler] enabled = false)"
               : v->paused ? ""
                           : ", active");
    if (v->paused)
        out_printf(ctx, "paused:    since %s, by %s\n",
                   clock_format(v->updated_at, when, sizeof when), v->updated_by);
    if (!v->stored)
        out_printf(ctx, "note:      no scheduler has run yet; times are from the configuration\n");
    if (v->config_cron[0] && v->config_pending)
        out_printf(ctx,
                   "config:    the file says '%s'; a scheduler applies it when it next "
                   "starts or reloads\n",
                   v->config_cron);
    else if (v->config_cron[0])
        out_printf(ctx,
                   "config:    '%s' in the file; set with '%sschedule set', which "
                   "stands until the file changes\n",
                   v->config_cron, cmd_prefix(ctx->origin));
    out_printf(ctx, "policy:    grace %s, coalesce %s, jitter %s",
               format_duration(v->grace_s, grace, sizeof grace), v->coalesce ? "on" : "off",
               v->jitter_s ? format_duration(v->jitter_s, jitter, sizeof jitter) : "none");
    if (v->jitter_s)
        out_printf(ctx, " (this job: +%llds)", v->jitter_offset_s);
    out_printf(ctx, "\n");
}

static void print_view(struct cmd_ctx *ctx, const struct sched_view *v, double now)
{
    char when[32], ago[32];

    print_state(ctx, v);
    /* paused, no time fires: they are what resuming would give */
    for (int i = 0; i < v->nupcoming; i++) {
        double due = v->upcoming[i] + (double)v->jitter_offset_s;
        out_printf(ctx, "%-10s %s", i > 0 ? "" : v->paused ? "on resume:" : "next:",
                   clock_format(v->upcoming[i], when, sizeof when));
        if (i == 0 && !v->paused)
            out_printf(ctx, due <= now ? "  due %s ago" : "  in %s",
                       format_duration((long long)(due - now), ago, sizeof ago));
        out_printf(ctx, "\n");
    }
    if (v->last_run.run_id)
        out_printf(ctx, "last run:  %lld %s, started %s by %s\n", v->last_run.run_id,
                   v->last_run.status, clock_format(v->last_run.started, when, sizeof when),
                   v->last_run.actor);
    else
        out_printf(ctx, "last run:  none from the schedule yet\n");
    out_printf(ctx, "missed:    %lld\nskipped:   %lld\n", v->missed, v->skipped);
    if (v->nrecent == 0)
        return;
    out_printf(ctx, "\n");
    struct table *t = table_new();
    table_col(t, "scheduled_for", "FIRE TIME", 0);
    table_col(t, "status", "STATUS", 0);
    table_col(t, "run", "RUN", COL_RIGHT);
    table_col(t, "error", "NOTE", COL_WIDE);
    for (int i = 0; i < v->nrecent; i++) {
        const struct sched_history *h = &v->recent[i];
        table_row(t);
        table_str(t, h->scheduled_for > 0 ? clock_format(h->scheduled_for, when, sizeof when)
                                          : "(triggered)");
        table_str(t, h->status);
        /* a missed or skipped fire time has a row too: its id is the one
         * runs lists and show-run takes, as the console's Schedule screen
         * and --json give it */
        table_int(t, h->run_id);
        table_str(t, h->error[0] ? h->error : NULL);
    }
    table_print(t, ctx, NULL);
}

static int schedule_show(struct cmd_ctx *ctx)
{
    struct sched_view *v = xmalloc(sizeof *v);
    double now = clock_now();

    if (sched_view_load(ctx->db, ctx->cfg, now, v, &ctx->err) < 0) {
        free(v);
        return -1;
    }
    if (ctx->json)
        out_json(ctx, view_json(v));
    else
        print_view(ctx, v, now);
    free(v);
    return EXIT_OK;
}

static int schedule_pause(struct cmd_ctx *ctx, bool pause)
{
    bool changed;

    if (sched_pause(ctx->db, ctx->cfg, pause, ctx->actor, clock_now(), &changed, &ctx->err) < 0)
        return -1;
    out_ok(ctx, NULL, "schedule %s%s", changed ? "" : "already ", pause ? "paused" : "resumed");
    return EXIT_OK;
}

static int schedule_set(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct buf expr = BUF_INIT;
    struct sched_view v;
    struct cron cron;
    bool changed;
    char when[32];
    int rc = EXIT_OK;

    if (args->argc < 2)
        return err_code(&ctx->err, EXIT_USAGE,
                        "schedule set: give a cron expression, quoted: "
                        "kasparro schedule set '0 */6 * * *'");
    /* a zone that does not load is a bad value of --timezone, said as
     * every bad option value is, naming the option */
    if (cmd_opt(args, "timezone") != NULL) {
        struct err zerr = {0};
        struct tz *tz = tz_load(cmd_opt(args, "timezone"), &zerr);
        if (tz == NULL)
            return cmd_opt_error(&ctx->err, "timezone", "%s", zerr.msg);
        tz_free(tz);
    }
    for (int i = 1; i < args->argc; i++) /* unquoted words join up: set 0 6 * * * */
        buf_printf(&expr, "%s%s", i > 1 ? " " : "", args->argv[i]);
    if (cron_parse(expr.data, &cron, &ctx->err) < 0 ||
        sched_set_cron(ctx->db, ctx->cfg, expr.data, cmd_opt(args, "timezone"), ctx->actor,
                       clock_now(), &changed, &ctx->err) < 0 ||
        sched_view_load(ctx->db, ctx->cfg, clock_now(), &v, &ctx->err) < 0) {
        rc = ctx->err.code;
    } else {
        cJSON *extra = cJSON_CreateObject();
        cJSON_AddItemToObject(extra, "next_fire_at", time_json(v.next_fire));
        out_ok(ctx, extra, "schedule %s '%s' (%s); next fire time %s",
               changed ? "set to" : "already", v.cron, v.timezone,
               clock_format(v.next_fire, when, sizeof when));
    }
    buf_free(&expr);
    return rc;
}

static int schedule_trigger(struct cmd_ctx *ctx)
{
    struct run_request req = {.trigger = TRIGGER_SCHEDULE, .actor = ctx->actor};
    struct run_result result;

    if (ctx->engine != NULL)
        return cmd_run_in_engine(ctx, &req, "scheduled run");
    if (run_execute(ctx->cfg, &req, NULL, NULL, &result, &ctx->err) < 0)
        return result.exit_code;
    int rc = runview_print(ctx, result.run_id);
    if (rc != EXIT_OK)
        return rc;
    if (result.exit_code != EXIT_OK)
        err_code(&ctx->err, result.exit_code, "run %lld %s", result.run_id,
                 run_status_name(result.status));
    return result.exit_code;
}

static const char *const schedule_subcommands[] = {"show",    "pause", "resume",
                                                   "trigger", "set",   NULL};

static int schedule_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *sub = args->argc > 0 ? args->argv[0] : "show";

    if (strcmp(sub, "set") != 0 && args->argc > 1)
        return err_code(&ctx->err, EXIT_USAGE, "schedule %s: unexpected argument '%s'", sub,
                        args->argv[1]);
    if (cmd_opt(args, "timezone") != NULL && strcmp(sub, "set") != 0)
        return cmd_opt_error(&ctx->err, "timezone", "goes with 'schedule set', not 'schedule %s'",
                             sub);
    if (strcmp(sub, "show") == 0)
        return schedule_show(ctx);
    if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0)
        return schedule_pause(ctx, strcmp(sub, "pause") == 0);
    if (strcmp(sub, "set") == 0)
        return schedule_set(ctx, args);
    if (strcmp(sub, "trigger") == 0)
        return schedule_trigger(ctx);
    return cmd_subcommand_error(&ctx->err, "schedule", schedule_subcommands, sub);
}

static const struct cmd_opt schedule_opts[] = {
    {"timezone", 0, "ZONE", "with set: the IANA time zone the expression is read in"},
    {0},
};

const struct cmd_entry cmd_schedule_entry = {
    .name = "schedule",
    .usage = "[show | pause | resume | trigger | set CRON [--timezone ZONE]] [--json]",
    .summary = "show the ingestion schedule, pause or resume it, run it now, or change it",
    .opts = schedule_opts,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_WORD,
    .subcommands = schedule_subcommands,
    .exec = schedule_exec,
};
