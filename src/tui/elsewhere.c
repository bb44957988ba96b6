/*
 * elsewhere.c — the run another process carries (a shell's `kasparro run`,
 * a daemon), as a board like the one of this console's own runs.
 *
 * DESIGN: no polling. The process carrying a run writes its sources'
 * counts batch by batch (run_sources), its stage and matching's phase
 * (runs.stage, runs.step: run_publish_phase), each with a NOTIFY; the
 * host's LISTEN connection hears them and the console's loop calls
 * ui_changed, which asks here for the run again: one read on the command
 * worker (runview_running), the run going now or, once it ended, the one
 * watched, with how it ended. A read asked while one is in flight is done
 * once after it, so a burst of news costs one read. The answer becomes a
 * struct progress as the engine's board would hold it, so the Runs
 * screen and the status line draw it with the same code; between two
 * reads only the clock moves (elapsed time, ETA), on the loop's one-second
 * tick while the run goes. While this console's engine carries a run (the
 * run lock lets one go at a time), the same read says how far the daemons
 * that joined it are with the sources they took, which the engine's board
 * learns only at the end: their rows join the board (elsewhere_board).
 * A process that died sends no news: its run stays 'running' until the
 * next run marks it abandoned. So the read keeps the run's heartbeat, one
 * more read is due when the heartbeat grows older than RUN_ADOPT_WITHIN_S
 * (elsewhere_tick), and then the board says "no heartbeat for 12m" rather
 * than a stage the run is no longer in; show-run says how it is cleared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/run.h"
#include "kasparro/runview.h"
#include "tui-private.h"

/* On the worker: it alone touches rd->watched and rd->at while the read
 * is in flight (one at a time). */
static void read_run(struct cmd_ctx *ctx, struct job *j)
{
    struct elsewhere *rd = j->arg;
    bool none = false;

    if (cmd_ctx_db(ctx) < 0) {
        j->rc = EXIT_FAIL;
        return;
    }
    j->json = runview_running(ctx->db, rd->watched, &none, &ctx->err);
    rd->at = clock_now();
    j->rc = j->json != NULL || none ? EXIT_OK : EXIT_FAIL;
}

static double num(const cJSON *o, const char *key) { return json_num(o, key, 0); }

static void copy_str(char *dst, size_t len, const cJSON *o, const char *key, const char *dflt)
{
    const char *v = json_str(o, key);
    snprintf(dst, len, "%s", v != NULL ? v : dflt);
}

/* A source's row as the engine's board keeps it: its stage from its
 * status (pending: waiting; running: fetching; else done), its times from
 * how long it has taken as of the read. */
static void source_from_json(struct progress_source *ps, const cJSON *s, double at)
{
    const char *st = json_str(s, "status");
    bool pending = st == NULL || strcmp(st, "pending") == 0;
    bool running = st != NULL && strcmp(st, "running") == 0;

    snprintf(ps->stage, sizeof ps->stage, "%s",
             pending ? "waiting" : running ? "fetching" : "done");
    snprintf(ps->status, sizeof ps->status, "%s", pending || running ? "" : st);
    ps->fetched = (long long)num(s, "fetched");
    ps->inserted = (long long)num(s, "inserted");
    ps->updated = (long long)num(s, "updated");
    ps->unchanged = (long long)num(s, "unchanged");
    ps->quarantined = (long long)num(s, "quarantined");
    ps->soft_deleted = (long long)num(s, "soft_deleted");
    ps->restored = (long long)num(s, "restored");
    ps->held = (long long)num(s, "held_deletes");
    ps->total = cJSON_IsNumber(cJSON_GetObjectItem(s, "total")) ? (long long)num(s, "total") : -1;
    ps->pages = (long long)num(s, "pages");
    ps->bytes = (long long)num(s, "bytes");
    ps->size = -1; /* a file's size is the reading process's to know */
    ps->started = pending ? 0 : at - num(s, "seconds");
    ps->finished = pending || running ? 0 : at;
}

static void progress_from_json(struct progress *p, const cJSON *run, double at)
{
    const cJSON *s;
    unsigned long generation = p->generation;

    memset(p, 0, sizeof *p);
    p->generation = generation + 1;
    p->run_id = (long long)num(run, "id");
    copy_str(p->status, sizeof p->status, run, "status", "running");
    p->active = run_status_parse(p->status) == RUN_RUNNING;
    copy_str(p->trigger, sizeof p->trigger, run, "trigger", "");
    copy_str(p->actor, sizeof p->actor, run, "actor", "");
    copy_str(p->stage, sizeof p->stage, run, "stage", "sources");
    copy_str(p->step, sizeof p->step, run, "step", "");
    copy_str(p->error, sizeof p->error, run, "error", "");
    p->started = at - num(run, "seconds");
    p->finished = p->active ? 0 : at;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(run, "sources")) {
        const char *name = json_str(s, "source");
        struct progress_source *ps = name ? progress_source(p, name) : NULL;
        if (ps != NULL)
            source_from_json(ps, s, at);
    }
}

/* The run's heartbeat and silence (runview_json), and when to read it
 * again if it falls silent meanwhile. */
static void silence_from_json(struct elsewhere *e, const cJSON *run)
{
    const cJSON *silent = cJSON_GetObjectItem(run, "silent_seconds");

    e->silent = cJSON_IsNumber(silent);
    e->lock_held = cJSON_IsTrue(cJSON_GetObjectItem(run, "run_lock_held"));
    e->heartbeat = 0;
    if (e->silent)
        e->heartbeat = e->at - silent->valuedouble;
    else if (json_str(run, "heartbeat_at") == NULL ||
             clock_parse(json_str(run, "heartbeat_at"), &e->heartbeat) < 0)
        e->heartbeat = 0;
    e->reread = 0;
    if (e->p.active && !e->silent && e->heartbeat > 0) {
        e->reread = e->heartbeat + RUN_ADOPT_WITHIN_S + 1;
        if (e->reread < e->at + 5) /* our clock ahead of the server's: not at every tick */
            e->reread = e->at + 5;
    }
}

static void read_done(struct tui *t, struct job *j)
{
    struct elsewhere *e = &t->elsewhere;

    e->loading = false;
    if (j->rc == EXIT_OK && j->json != NULL) {
        bool was_silent = e->silent && e->p.run_id == (long long)json_num(j->json, "id", 0);
        progress_from_json(&e->p, j->json, e->at);
        silence_from_json(e, j->json);
        if (e->silent && !was_silent) /* no news came: the runs listed say it too */
            t->screens[SCREEN_RUNS].ops->load(&t->screens[SCREEN_RUNS]);
    } else if (j->rc == EXIT_OK) { /* no run at all */
        memset(&e->p, 0, sizeof e->p);
        e->silent = false;
        e->reread = 0;
    }
    /* a failed read keeps what was known: the database is away, which
     * the status line says */
    t->dirty = true;
    if (e->again) {
        e->again = false;
        elsewhere_load(t);
    }
}

void elsewhere_load(struct tui *t)
{
    struct elsewhere *e = &t->elsewhere;

    if (e->loading) {
        e->again = true;
        return;
    }
    e->watched = e->p.run_id;
    e->loading = true;
    worker_submit_fn(t->worker, "reading the run in progress", read_run, read_done, e);
}

/* This console's run, with the sources other processes load (daemons
 * that joined it) as their rows say: the engine's board learns of those
 * only when the run ends, and showed them waiting, at 0, until then. */
static const struct progress *joined(struct tui *t)
{
    struct elsewhere *e = &t->elsewhere;

    e->merged = t->prog;
    for (int i = 0; i < e->merged.nsources; i++) {
        struct progress_source *mine = &e->merged.sources[i];
        if (strcmp(mine->stage, "waiting") != 0)
            continue; /* this process loads it, or did */
        for (int k = 0; k < e->p.nsources; k++)
            if (strcmp(e->p.sources[k].name, mine->name) == 0 &&
                strcmp(e->p.sources[k].stage, "waiting") != 0)
                *mine = e->p.sources[k];
    }
    return &e->merged;
}

const struct progress *elsewhere_board(struct tui *t)
{
    const struct progress *p = &t->elsewhere.p;

    if (t->prog.active && p->run_id == t->prog.run_id)
        return joined(t);
    if (t->prog.active || p->run_id <= 0 || p->run_id <= t->prog.run_id)
        return &t->prog;
    return p;
}

bool elsewhere_silence(struct tui *t, const struct progress *p, char *buf, size_t len)
{
    const struct elsewhere *e = &t->elsewhere;

    if (p != &e->p || !p->active || !e->silent)
        return false;
    char *said = runview_silence(clock_now() - e->heartbeat, e->lock_held, NULL, NULL,
                                 ORIGIN_CONSOLE, true);
    snprintf(buf, len, "%s", said);
    free(said);
    return true;
}

void elsewhere_tick(struct tui *t)
{
    struct elsewhere *e = &t->elsewhere;

    if (e->reread > 0 && clock_now() >= e->reread && elsewhere_board(t) == &e->p) {
        e->reread = 0;
        elsewhere_load(t);
    }
}
