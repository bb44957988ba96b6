/*
 * match.c — one matching pass: dedup_run and the incremental contract
 * dedup_apply_changes (see dedup.h).
 *
 * The pass runs in one transaction under the dedup lock: retire the
 * soft-deleted members, stream every live record into memory, mark the ones
 * to re-decide (all of them for a rescan, and for a pass that learns from
 * new decisions), block, compute comparison levels, estimate or load the
 * model, score, cluster under the constraints, and write memberships,
 * entities and candidates back set-based. Blocking and scoring only ever
 * touch pairs with a changed record, so an incremental pass costs the read
 * of the live records plus work proportional to what changed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/copy.h"
#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

struct pass {
    struct db *db;
    const struct config *cfg;
    struct match_plan plan;
    struct recset rs;
    uint8_t *changed;
    uint64_t *pairs;
    size_t npairs;
    uint8_t *levels;
    uint8_t *fracs;
    struct labels labels;
    struct fs_model fs;
    struct model_report report;
    struct tf_table *tf;
    uint32_t *kept;        /* pairs at or above review */
    float *prob;
    double *weight;
    float *adjust;         /* per kept pair: the one-to-one change in weight */
    float *prior_w;        /* per kept pair: the prior its weight is built on */
    uint8_t *demoted;      /* per kept pair: would merge alone, lost to rivals (DEMOTED_*) */
    size_t nkept;
    uint8_t *status_auto;  /* per kept pair: merged automatically */
    uint8_t *refused;      /* per kept pair: enum refusal */
    uint8_t *confirm;      /* per kept pair: merged, and listed for an operator to confirm */
    size_t decided;        /* pairs of a full pass the operators decided (budget.c) */
    bool rescan;
    bool learn;            /* re-estimate the model */
    bool full;             /* every record re-decided: the pass sees every pair */
    double auto_t;         /* the pass's automatic threshold (budget.c) */
    double started;        /* clock_mono() at the start */
    const char *blocked_out; /* file for the blocked pairs, or NULL */
    double mark;           /* clock_mono() at the end of the last phase */
    double cpu_mark;       /* clock_cpu() then */
    void (*on_phase)(const char *what, void *arg); /* dedup_opts' watcher, or NULL */
    void *phase_arg;
};

/* Tells the watcher (a run's progress board) what the pass begins now:
 * a pass over many records spends seconds in each phase. */
static void phase_begin(const struct pass *ps, const char *what, size_t n)
{
    char buf[64];

    if (ps->on_phase == NULL)
        return;
    if (n > 0)
        snprintf(buf, sizeof buf, "%s %zu pairs", what, n);
    else
        snprintf(buf, sizeof buf, "%s", what);
    ps->on_phase(buf, ps->phase_arg);
}

/* At debug level, how long the phase that just ended took: where a slow
 * pass spends its time, without a profiler. Beside the wall time, the CPU
 * time of all threads: on a shared machine the wall time says mostly how
 * busy the machine was. */
static void phase_done(struct pass *ps, const char *what)
{
    double now = clock_mono(), cpu = clock_cpu();

    log_debug("matching: %s in %.2fs (cpu %.2fs)", what, now - ps->mark, cpu - ps->cpu_mark);
    ps->mark = now;
    ps->cpu_mark = cpu;
}

static void pass_free(struct pass *ps)
{
    recset_free(&ps->rs);
    partner_clear(&ps->fs);
    free(ps->changed);
    free(ps->pairs);
    free(ps->levels);
    free(ps->fracs);
    labels_free(&ps->labels);
    tf_free(ps->tf);
    free(ps->kept);
    free(ps->prob);
    free(ps->weight);
    free(ps->adjust);
    free(ps->prior_w);
    free(ps->demoted);
    free(ps->status_auto);
    free(ps->refused);
    free(ps->confirm);
}

static long long mark_changed(struct pass *ps)
{
    const struct recset *rs = &ps->rs;
    long long n = 0;

    ps->changed = xcalloc(rs->n ? rs->n : 1, 1);
    for (uint32_t i = 0; i < rs->n; i++) {
        ps->changed[i] = ps->rescan || rs->entity[i] == 0 || !rs->member_live[i] ||
                         rs->member_seq[i] != rs->change_seq[i];
        n += ps->changed[i];
    }
    return n;
}

/* Every blocked pair with its final weight (one-to-one included) and
 * probability: what blocking found and how the model ranks it, so a
 * labelled set tells blocking recall and ranking apart from the threshold. */
static int write_blocked(const struct pass *ps, const double *weight, struct err *err)
{
    FILE *f = fopen(ps->blocked_out, "w");

    if (f == NULL)
        return err_code(err, EXIT_FAIL, "blocked pairs: unable to write '%s': %m",
                        ps->blocked_out);
    for (size_t k = 0; k < ps->npairs; k++)
        fprintf(f, "%lld\t%lld\t%.4f\t%.6f\n", (long long)ps->rs.id[ps->pairs[k] >> 32],
                (long long)ps->rs.id[(uint32_t)ps->pairs[k]], weight[k],
                fs_probability(weight[k]));
    if (fclose(f) != 0)
        return err_code(err, EXIT_FAIL, "blocked pairs: unable to write '%s': %m",
                        ps->blocked_out);
    return 0;
}

/* DEMOTED_PAIRED: below review alone, kept for review because neither
 * record's alternatives are likely (one_to_one_adjust's paired) */
enum { DEMOTED_OUTRANKED = 1, DEMOTED_TIED = 2, DEMOTED_PAIRED = 3 };

/* Which demoted pairs lost to rivals none of which has more evidence: two
 * listings of one thing in a source, namesakes. Their note must not tell
 * the operator that a better match exists. w: the weights after the
 * one-to-one change, adjust: that change; a decided rival counts as
 * certain either way, as it does in the change itself. */
static void mark_tied(struct pass *ps, const double *w, const float *adjust)
{
    double *raw = xmalloc(ps->npairs * sizeof *raw);
    uint8_t *outranked = xmalloc(ps->npairs);

    for (size_t k = 0; k < ps->npairs; k++)
        raw[k] = one_to_one_evidence(ps->labels.of_pair, k, w[k] - adjust[k]);
    one_to_one_outranked(&ps->rs, ps->pairs, ps->npairs, raw, outranked);
    for (size_t i = 0; i < ps->nkept; i++)
        if (ps->demoted[i] && ps->demoted[i] != DEMOTED_PAIRED)
            ps->demoted[i] = outranked[ps->kept[i]] ? DEMOTED_OUTRANKED : DEMOTED_TIED;
    free(raw);
    free(outranked);
}

/* A report line at warn level, kept for the run's report: in the slot the
 * model's warnings leave free (model.c), so that it is never the one
 * dropped. */
static void pass_warn(struct pass *ps, const char *msg)
{
    log_warn("matching: %s", msg);
    if (ps->report.nwarnings < MODEL_MAX_WARNINGS)
        snprintf(ps->report.warnings[ps->report.nwarnings++], sizeof ps->report.warnings[0],
                 "%s", msg);
    else
        ps->report.ndropped++;
}

/* The pass's automatic threshold: a full pass asks the review budget
 * (budget.c) and keeps what it found with the model; an incremental one,
 * which sees only its changed records' pairs, takes what the last full
 * pass found, within the configured thresholds. */
static int pass_auto_threshold(struct pass *ps, const double *w, const float *adjust,
                               const float *paired, struct err *err)
{
    const struct match_cfg *m = &ps->cfg->match;
    struct budget_out out;

    ps->auto_t = m->auto_threshold;
    if (!ps->full) {
        if (ps->fs.auto_budget > 0 && m->review_budget > 0)
            ps->auto_t = fmin(fmax(ps->fs.auto_budget, m->review_threshold), m->auto_threshold);
        return 0;
    }
    struct budget_in in = {w, adjust, paired, ps->labels.of_pair, ps->npairs, ps->rs.n,
                           m->auto_threshold, m->review_threshold, m->review_budget};
    ps->auto_t = budget_auto_threshold(&in, &out);
    ps->decided = out.decided;
    if (out.merged > 0) {
        char msg[DEDUP_WARNING_LEN], spent[48] = "";
        if (out.decided > 0) /* what operators decided came off the budget */
            snprintf(spent, sizeof spent, ", less %zu decided", out.decided);
        snprintf(msg, sizeof msg, "the queue would hold %zu pairs, more than the %zu an operator "
                 "reviews (review_budget %g of the %u records%s, at least %d); its %zu most "
                 "probable merged automatically, down to p = %.3f (the automatic merges' expected "
                 "precision %.3f)", out.queued_before, out.left, m->review_budget,
                 (unsigned)ps->rs.n, spent, REVIEW_BUDGET_MIN,
                 out.merged, ps->auto_t, out.precision);
        pass_warn(ps, msg);
    }
    return ps->fs.estimated ? model_save_budget(ps->db, out.merged > 0 ? ps->auto_t : 0, err) : 0;
}

static int score_pairs(struct pass *ps, struct err *err)
{
    const struct match_plan *p = &ps->plan;
    const struct match_cfg *m = &ps->cfg->match;
    size_t F = (size_t)p->ncmp;

    phase_begin(ps, "blocking", 0);
    ps->pairs = block_pairs(p, &ps->rs, ps->rescan ? NULL : ps->changed, m->within_source,
                            m->max_block, &ps->npairs);
    phase_done(ps, "pairs blocked");
    ps->levels = xmalloc((ps->npairs ? ps->npairs : 1) * F);
    ps->fracs = xmalloc((ps->npairs ? ps->npairs : 1) * F);
    phase_begin(ps, "comparing", ps->npairs);
    int threads = pairs_compare_all(p, &ps->rs, ps->pairs, ps->npairs, ps->levels, ps->fracs);
    log_debug("matching: %zu pairs compared in %d thread%s", ps->npairs, threads,
              threads == 1 ? "" : "s");
    phase_done(ps, "pairs compared");
    if (labels_load(ps->db, &ps->rs, ps->pairs, ps->npairs, &ps->labels, err) < 0)
        return -1;
    if ((ps->learn || !ps->fs.estimated) && ps->npairs > 0) {
        struct pass_pairs pp = {&ps->rs, ps->pairs, ps->levels, ps->npairs, &ps->labels};
        phase_begin(ps, "learning the model from", ps->npairs);
        if (model_estimate(ps->db, p, &pp, &ps->fs, &ps->report, err) < 0)
            return -1;
        ps->learn = true;
    }
    phase_done(ps, "model ready");
    if (m->tf_adjust)
        ps->tf = tf_build(p, &ps->rs, ps->rescan ? NULL : ps->changed);
    phase_done(ps, "term frequencies counted");
    phase_begin(ps, "scoring", ps->npairs);
    size_t n = ps->npairs ? ps->npairs : 1;
    double *w = xmalloc(n * sizeof *w);
    float *adjust = xmalloc(n * sizeof *adjust);
    /* per pair only where records have partner rates: a pass without
     * them keeps its memory */
    float *prior = ps->fs.npartner > 0 ? xmalloc(n * sizeof *prior) : NULL;
    float *paired = ps->fs.npartner > 0 ? xmalloc(n * sizeof *paired) : NULL;
    for (size_t k = 0; k < ps->npairs; k++)
        w[k] = pair_weight(p, &ps->fs, ps->tf, &ps->rs, (uint32_t)(ps->pairs[k] >> 32),
                           ps->levels + k * F, ps->fracs + k * F);
    bool adjusted = one_to_one_adjust(&ps->fs, &ps->rs, ps->pairs, ps->npairs,
                                      ps->labels.of_pair, w, adjust, prior, paired);
    if (pass_auto_threshold(ps, w, adjusted ? adjust : NULL, paired, err) < 0 ||
        (ps->blocked_out != NULL && write_blocked(ps, w, err) < 0)) {
        free(w);
        free(adjust);
        free(prior);
        free(paired);
        return -1;
    }
    ps->kept = xmalloc(n * sizeof *ps->kept);
    ps->prob = xmalloc(n * sizeof *ps->prob);
    ps->weight = xmalloc(n * sizeof *ps->weight);
    ps->adjust = xmalloc(n * sizeof *ps->adjust);
    ps->prior_w = xmalloc(n * sizeof *ps->prior_w);
    ps->demoted = xcalloc(n, 1);
    bool any_lost = false;
    for (size_t k = 0; k < ps->npairs; k++) {
        double prob = fs_probability(w[k]);
        /* a pair strong enough to merge on its own that lost to a rival
         * goes to the queue, however low the rival left it; strong enough
         * by the configured threshold, which the review budget lowers to
         * shorten the queue, not to lengthen it with more such pairs */
        bool lost = adjusted && prob < ps->auto_t &&
                    fs_probability(w[k] - adjust[k]) >= m->auto_threshold;
        /* an operator sees what both records' alternatives make likely;
         * merging unseen still asks each record alone */
        bool lifted = paired != NULL && prob < m->review_threshold &&
                      fs_probability(w[k] + paired[k]) >= m->review_threshold;
        if (prob < m->review_threshold && !lost && !lifted)
            continue;
        ps->demoted[ps->nkept] = lost ? DEMOTED_OUTRANKED : lifted ? DEMOTED_PAIRED : 0;
        any_lost |= lost;
        ps->kept[ps->nkept] = (uint32_t)k;
        ps->prob[ps->nkept] = (float)prob;
        ps->adjust[ps->nkept] = adjusted ? adjust[k] : 0;
        ps->prior_w[ps->nkept] = prior != NULL ? prior[k] : (float)fs_prior_weight(&ps->fs);
        ps->weight[ps->nkept++] = w[k];
    }
    if (any_lost)
        mark_tied(ps, w, adjust);
    free(w);
    free(adjust);
    free(prior);
    free(paired);
    return 0;
}

/* Two records of one source that a chain across sources would put into one
 * entity: alike when the model, asked about them directly, would merge them
 * too — at the pass's automatic threshold, since the chain merges them
 * unseen. Merely queueing them let a shop's two lamps of other codes (p
 * 0.8-0.9 between them) join the market's one lamp that matches both.
 * Term frequencies are left out: an incremental pass counts them for its
 * changed records only. */
static bool pass_alike(void *ctx, uint32_t a, uint32_t b)
{
    const struct pass *ps = ctx;
    uint8_t lv[FS_MAX_FIELDS], fr[FS_MAX_FIELDS];

    pair_levels(&ps->plan, &ps->rs, a, b, lv, fr);
    double w = pair_weight(&ps->plan, &ps->fs, NULL, &ps->rs, a, lv, fr);
    return fs_probability(w) >= ps->auto_t;
}

static bool pass_decided(const struct pass *ps, size_t i)
{
    return ps->labels.of_pair != NULL && ps->labels.of_pair[ps->kept[i]] >= 0;
}

/* How contested kept pair i is (budget_contest): its fields' bits for and
 * against, as pair_explain counts them, and a one-to-one loss against. */
static float pass_contest(const struct pass *ps, size_t i)
{
    size_t k = ps->kept[i], F = (size_t)ps->plan.ncmp;
    uint32_t a = (uint32_t)(ps->pairs[k] >> 32);
    double bits_for = 0, against = ps->adjust[i] < 0 ? -ps->adjust[i] : 0;

    for (size_t f = 0; f < F; f++) {
        double w = field_weight(&ps->plan, &ps->fs, ps->tf, &ps->rs, a, (int)f,
                                ps->levels[k * F + f], ps->fracs[k * F + f]);
        if (w > 0)
            bits_for += w;
        else
            against -= w;
    }
    return budget_contest(bits_for, against);
}

/* A pass whose queue leaves the review budget room lists automatic merges
 * there too, still merged: the most contested, then the least sure
 * (budget.c says why, and how sure is too sure to list). An incremental
 * pass counts the queue beside its own pairs from what the table holds
 * (store.c). */
static int pass_confirm(struct pass *ps, struct err *err)
{
    const struct match_cfg *m = &ps->cfg->match;
    size_t queued = 0, decided = ps->decided;

    ps->confirm = xcalloc(ps->nkept ? ps->nkept : 1, 1);
    if (!ps->full && store_queue_beside(ps->db, &queued, &decided, err) < 0)
        return -1;
    uint8_t *open = xcalloc(ps->nkept ? ps->nkept : 1, 1);
    for (size_t i = 0; i < ps->nkept; i++) {
        open[i] = ps->status_auto[i] && !pass_decided(ps, i);
        queued += !ps->status_auto[i] && !pass_decided(ps, i);
    }
    size_t room = budget_confirm_room(ps->rs.n, m->review_budget, decided, queued);
    float *contest = room > 0 ? xcalloc(ps->nkept ? ps->nkept : 1, sizeof *contest) : NULL;
    for (size_t i = 0; contest != NULL && i < ps->nkept; i++)
        if (open[i] && ps->weight[i] < CONFIRM_MAX_BITS)
            contest[i] = pass_contest(ps, i);
    size_t n = room > 0 ? budget_confirm_pick(ps->prob, ps->weight, contest, open, ps->nkept,
                                              room, ps->confirm)
                        : 0;
    free(contest);
    if (n > 0)
        log_info("matching: the queue holds %zu pairs, fewer than an operator reviews "
                 "(review_budget %g of the %u records); %zu automatic merges, the most "
                 "contested and least probable, wait there too, merged, for an operator "
                 "to confirm",
                 queued, m->review_budget, (unsigned)ps->rs.n, n);
    free(open);
    return 0;
}

static int cluster(struct pass *ps, struct solve *s, const int64_t *retired, size_t nretired,
                   struct dedup_stats *st, struct err *err)
{
    struct idmap ids;
    const struct match_cfg *m = &ps->cfg->match;
    struct store_stats ss = {0};

    solve_init(s, &ps->rs);
    memcpy(s->changed, ps->changed, ps->rs.n);
    s->premerge = !ps->rescan;
    if (!m->within_source) { /* within sources, such pairs were compared */
        s->alike = pass_alike;
        s->alike_ctx = ps;
    }
    idmap_init(&ids, ps->rs.n);
    for (uint32_t i = 0; i < ps->rs.n; i++)
        idmap_put(&ids, ps->rs.id[i], i);
    int rc = solve_load_links(s, ps->db, &ids, err);
    idmap_free(&ids);
    if (rc < 0)
        return -1;
    solve_exact_edges(s, m->within_source);
    for (size_t k = 0; k < ps->nkept; k++)
        if (ps->prob[k] >= ps->auto_t) {
            uint64_t pr = ps->pairs[ps->kept[k]];
            solve_edge(s, (uint32_t)(pr >> 32), (uint32_t)pr, ps->prob[k], ps->weight[k],
                       EDGE_AUTO, (uint32_t)k);
        }
    solve_run(s);
    ps->status_auto = xcalloc(ps->nkept ? ps->nkept : 1, 1);
    ps->refused = xcalloc(ps->nkept ? ps->nkept : 1, 1);
    for (size_t k = 0; k < ps->nkept; k++)
        if (ps->demoted[k])
            ps->refused[k] = ps->demoted[k] == DEMOTED_TIED     ? REFUSED_TIED
                             : ps->demoted[k] == DEMOTED_PAIRED ? REFUSED_PAIRED
                                                                : REFUSED_UNIQUE;
    for (size_t i = 0; i < s->nedges; i++) {
        const struct edge *e = &s->edges[i];
        if (e->kind == EDGE_AUTO) {
            ps->status_auto[e->tag] = !e->refused;
            ps->refused[e->tag] = e->refused;
        } else if (e->refused) {
            log_warn("matching: records %lld and %lld are %s but %s keeps them apart",
                     (long long)ps->rs.id[e->a], (long long)ps->rs.id[e->b],
                     e->kind == EDGE_MUST ? "approved as one" : "identical in the key fields",
                     e->refused == REFUSED_CANNOT ? "a cannot-link" : "one-to-one");
        }
    }
    if (pass_confirm(ps, err) < 0)
        return -1;
    if (store_solution(ps->db, &ps->plan, s, retired, nretired, &ss, err) < 0)
        return -1;
    st->entities_created = ss.entities_created;
    st->entities_updated = ss.entities_updated;
    st->entities_emptied = ss.entities_emptied;
    return 0;
}

/* Every candidate of the pass is written, changed or not: updated_at = now()
 * is how store_supersede tells this pass's candidates from stale ones. A
 * score an undo left stale (stale_undo, undo.c) is current again. */
static const char *sql_merge_candidates =
    "WITH m AS (INSERT INTO kasparro.match_candidates AS c (rec_a, rec_b, probability, weight, "
    "prior_weight, fields, status, note, disagreement, to_confirm) "
    "SELECT rec_a, rec_b, probability, weight, prior_weight, fields::json, status, note, "
    "disagreement, to_confirm FROM dedup_cands ON CONFLICT (rec_a, rec_b) DO UPDATE SET "
    "probability = excluded.probability, weight = excluded.weight, "
    "prior_weight = excluded.prior_weight, fields = excluded.fields, "
    "disagreement = excluded.disagreement, "
    "status = CASE WHEN c.status IN ('approved', 'rejected') THEN c.status "
    "ELSE excluded.status END, "
    "note = CASE WHEN c.status IN ('approved', 'rejected') THEN c.note ELSE excluded.note END, "
    "to_confirm = CASE WHEN c.status IN ('approved', 'rejected') THEN c.to_confirm "
    "ELSE excluded.to_confirm END, "
    "stale_undo = NULL, updated_at = now() RETURNING c.status, c.probability, c.to_confirm) "
    "SELECT count(*) FILTER (WHERE merged), count(*) FILTER (WHERE status = 'pending'), "
    "count(*) FILTER (WHERE merged AND probability < $1::float8), "
    "count(*) FILTER (WHERE status = 'pending' AND merged) FROM (SELECT status, probability, "
    "status = 'auto' OR (status = 'pending' AND to_confirm) AS merged "
    "FROM m) m";

/* Into the table already holding candidates. A pair an operator decided
 * keeps its decision, so what was merged and queued is counted from what
 * the table then holds: the queued count is what the queue gained, and the
 * merges below auto are told by the probability as stored (to 1e-6). */
static int merge_candidates(struct db *db, struct dedup_stats *st, struct err *err)
{
    char auto_t[32];

    snprintf(auto_t, sizeof auto_t, "%.17g", st->auto_threshold);
    PGresult *r = db_exec(db, err, sql_merge_candidates, DB_PARAMS(auto_t));

    if (r == NULL)
        return -1;
    st->auto_merges = db_ll(r, 0, 0);
    st->queued_now = db_ll(r, 0, 1);
    st->below_auto = db_ll(r, 0, 2);
    st->to_confirm = db_ll(r, 0, 3);
    PQclear(r);
    return 0;
}

static const char *refusal_note(int refused)
{
    switch (refused) {
    case REFUSED_CANNOT: return DEDUP_NOTE_CANNOT;
    case REFUSED_UNIQUE: return "one-to-one: a record of it already has a better match in "
                                "the other's source";
    case REFUSED_APART: return "would put two records of one source that do not match into "
                               "one entity";
    case REFUSED_TIED: return "one-to-one: a record of it has another candidate as likely in "
                              "the other's source";
    case REFUSED_PAIRED: return "one-to-one: below review on its own, but neither record has "
                                "another candidate as likely, nor is likely to have none";
    default: return NULL;
    }
}

static int write_candidates(struct pass *ps, struct dedup_stats *st, struct err *err)
{
    struct copy_writer w;
    struct buf json = BUF_INIT;
    char num[64];

    int direct = dedup_copy_begin(ps->db, &w, "kasparro.match_candidates",
                                  "rec_a, rec_b, probability, weight, prior_weight, fields, "
                                  "status, note, disagreement, to_confirm", "dedup_cands",
                                  "rec_a bigint, rec_b bigint, probability float8, weight float8, "
                                  "prior_weight float8, fields text, status text, note text, "
                                  "disagreement float4, to_confirm bool", err);
    if (direct < 0)
        return -1;
    for (size_t k = 0; k < ps->nkept; k++) {
        uint64_t pr = ps->pairs[ps->kept[k]];
        uint32_t a = (uint32_t)(pr >> 32), b = (uint32_t)pr;
        if (ps->rs.id[a] > ps->rs.id[b]) {
            uint32_t t = a;
            a = b, b = t;
        }
        buf_reset(&json);
        double disagreement = pair_explain(&ps->plan, &ps->fs, ps->tf, &ps->rs, a, b,
                                           ps->adjust[k], &json);
        copy_field_ll(&w, ps->rs.id[a]);
        copy_field_ll(&w, ps->rs.id[b]);
        snprintf(num, sizeof num, "%.6f", ps->prob[k]);
        copy_fields(&w, num);
        snprintf(num, sizeof num, "%.4f", ps->weight[k]);
        copy_fields(&w, num);
        snprintf(num, sizeof num, "%.4f", ps->prior_w[k]);
        copy_fields(&w, num);
        copy_field(&w, json.data, json.len);
        bool listed = ps->confirm[k];
        copy_fields(&w, ps->status_auto[k] && !listed ? "auto" : "pending");
        copy_fields(&w, !listed             ? refusal_note(ps->refused[k])
                        : disagreement > 0 ? DEDUP_NOTE_CONTESTED
                                           : DEDUP_NOTE_CONFIRM);
        snprintf(num, sizeof num, "%.3f", disagreement);
        copy_fields(&w, num);
        copy_fields(&w, listed ? "t" : "f");
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            buf_free(&json);
            return -1;
        }
        st->auto_merges += ps->status_auto[k];
        st->below_auto += ps->status_auto[k] && ps->prob[k] < st->auto_threshold;
        st->queued_now += !ps->status_auto[k] || listed;
        st->to_confirm += listed;
        st->one_to_one += ps->refused[k] == REFUSED_UNIQUE || ps->refused[k] == REFUSED_TIED;
    }
    buf_free(&json);
    st->candidates = (long long)ps->nkept;
    if (copy_end(&w, err) < 0)
        return -1;
    return direct ? 0 : merge_candidates(ps->db, st, err);
}

static int write_changed(struct pass *ps, struct err *err)
{
    struct copy_writer w;

    if (dedup_temp_table(ps->db, "dedup_changed", "id bigint PRIMARY KEY", err) < 0 ||
        copy_begin(&w, ps->db, "COPY dedup_changed FROM STDIN", err) < 0)
        return -1;
    for (uint32_t i = 0; i < ps->rs.n; i++) {
        if (!ps->changed[i])
            continue;
        copy_field_ll(&w, ps->rs.id[i]);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
    }
    return copy_end(&w, err);
}

static const char *sql_state =
    "UPDATE kasparro.dedup_state SET watermark = greatest(watermark, "
    "(SELECT coalesce(max(change_seq), 0) FROM kasparro.records)), last_run_at = now(), "
    "last_full_at = CASE WHEN $1 THEN now() ELSE last_full_at END, stats = $2::jsonb "
    "WHERE id = 1";
static const char *sql_run_report =
    "UPDATE kasparro.runs SET matching = $2::jsonb WHERE id = $1::bigint";
/* What `queue` lists: pending candidates whose records are both live. */
static const char *sql_queue_size =
    "SELECT count(*) FROM kasparro.match_candidates c WHERE c.status = 'pending' "
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_a AND NOT r.is_deleted) "
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_b AND NOT r.is_deleted)";

static int save_state(struct pass *ps, struct dedup_stats *st, long long run_id,
                      struct err *err)
{
    char run[24];
    PGresult *r = db_exec(ps->db, err, sql_queue_size, 0, NULL);

    if (r == NULL)
        return -1;
    st->queued = db_ll(r, 0, 0);
    PQclear(r);
    st->seconds = clock_mono() - ps->started;
    cJSON *o = dedup_stats_json(st);
    cJSON_AddNumberToObject(o, "run_id", (double)run_id);
    char *stats = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc = db_run(ps->db, err, sql_state, DB_PARAMS(ps->rescan ? "true" : "false", stats));
    if (rc == 0 && run_id > 0)
        rc = db_run(ps->db, err, sql_run_report, DB_PARAMS(dedup_lltoa(run_id, run), stats));
    free(stats);
    return rc;
}

static int audit_rescan(struct db *db, const char *actor, long long run_id,
                        const struct dedup_stats *st, struct err *err)
{
    char run[32], *after = xasprintf("{\"records\":%lld,\"entities_created\":%lld,"
                                     "\"candidates\":%lld}", st->records, st->entities_created,
                                     st->candidates);
    snprintf(run, sizeof run, "%lld", run_id);
    int rc = db_run(db, err,
                    "INSERT INTO kasparro.audit_log (actor, action, object_type, run_id, after) "
                    "VALUES ($1, 'rescan', 'entities', nullif($2, '0')::bigint, $3::jsonb)",
                    DB_PARAMS(actor, run, after));
    free(after);
    return rc;
}

/* Loads the stored model; decisions made since it was estimated, or a
 * change to the comparisons, turn the pass into a learning one:
 * re-estimate, then re-match every record. */
static int prepare_model(struct pass *ps, struct err *err)
{
    bool labels_changed = false;

    if (model_load(ps->db, &ps->plan, &ps->fs, err) < 0 ||
        model_labels_changed(ps->db, &ps->fs, &labels_changed, err) < 0)
        return -1;
    if (labels_changed && !ps->rescan)
        log_info("matching: operators decided since the model last learnt; learning from "
                 "their decisions and re-matching every record");
    /* a model for other comparisons scores nothing right, and the changed
     * records alone (often none) are too few to estimate it again; the
     * operators' decisions are kept in kasparro.links, not in the model,
     * and the fresh estimate learns from them all */
    else if (ps->fs.stale && !ps->rescan)
        log_info("matching: the stored model does not fit the comparisons (%s); "
                 "estimating it again and re-matching every record", ps->fs.stale_why);
    ps->learn = ps->rescan || labels_changed || ps->fs.stale;
    ps->rescan = ps->learn;
    return 0;
}

static void copy_report(const struct pass *ps, struct dedup_stats *st)
{
    st->rescan = ps->rescan;
    st->learned = ps->learn;
    st->labels = ps->fs.labels;
    st->prior = ps->fs.prior;
    st->auto_threshold = ps->cfg->match.auto_threshold;
    st->auto_budget = ps->auto_t > 0 && ps->auto_t < st->auto_threshold ? ps->auto_t : 0;
    st->nwarnings = ps->report.nwarnings;
    st->warnings_dropped = ps->report.ndropped;
    for (int i = 0; i < ps->report.nwarnings && i < DEDUP_MAX_WARNINGS; i++)
        snprintf(st->warnings[i], sizeof st->warnings[i], "%s", ps->report.warnings[i]);
}

static int pass_body(struct pass *ps, const char *actor, long long run_id, struct dedup_stats *st,
                     struct err *err)
{
    int64_t *retired = NULL;
    size_t nretired = 0;
    struct solve s = {0};
    int rc = -1;

    if (dedup_lock(ps->db, err) < 0 ||
        db_run(ps->db, err, "SELECT set_config('TimeZone', 'UTC', true), "
               "set_config('DateStyle', 'ISO', true), "
               "set_config('synchronous_commit', 'off', true)", 0, NULL) < 0 ||
        match_plan_init(&ps->plan, ps->cfg, err) < 0 ||
        prepare_model(ps, err) < 0 ||
        store_retire_deleted(ps->db, &retired, &nretired, err) < 0)
        goto out;
    phase_begin(ps, "loading records", 0);
    if (recset_load_live(ps->db, &ps->plan, &ps->rs, err) < 0)
        goto out;
    st->retired = (long long)nretired;
    st->records = ps->rs.n;
    st->changed = mark_changed(ps);
    ps->full = st->changed == (long long)ps->rs.n;
    if (st->changed == 0 && nretired == 0) {
        copy_report(ps, st);
        rc = save_state(ps, st, run_id, err);
        goto out;
    }
    phase_done(ps, "records loaded");
    phase_begin(ps, "indexing texts", 0);
    dates_mark_years(&ps->plan, &ps->rs);
    comparison_spans(&ps->plan, &ps->rs);
    text_index_build(&ps->plan, &ps->rs);
    phase_done(ps, "texts indexed");
    text_variants_build(&ps->plan, &ps->rs);
    phase_done(ps, "variant words learnt");
    if (score_pairs(ps, err) < 0)
        goto out;
    phase_done(ps, "pairs scored");
    st->pairs = (long long)ps->npairs;
    copy_report(ps, st);
    phase_begin(ps, "clustering", ps->nkept);
    /* the changed records first: an incremental pass's listing counts the
     * queue beside them (pass_confirm), store_supersede settles theirs */
    if ((!ps->rescan && write_changed(ps, err) < 0) ||
        cluster(ps, &s, retired, nretired, st, err) < 0)
        goto out;
    phase_done(ps, "clusters solved and entities stored");
    phase_begin(ps, "writing candidates", 0);
    if (write_candidates(ps, st, err) < 0)
        goto out;
    phase_done(ps, "candidates written");
    if (store_supersede(ps->db, ps->cfg, ps->rescan, &st->superseded, err) < 0 ||
        save_state(ps, st, run_id, err) < 0 ||
        (ps->rescan && audit_rescan(ps->db, actor, run_id, st, err) < 0))
        goto out;
    phase_done(ps, "superseded pairs settled");
    rc = 0;
out:
    solve_free(&s);
    free(retired);
    return rc;
}

int dedup_run(struct db *db, const struct config *cfg, const struct dedup_opts *opts,
              const char *actor, long long run_id, struct dedup_stats *st, struct err *err)
{
    double t0 = clock_mono();
    struct pass ps = {.db = db, .cfg = cfg, .rescan = opts->rescan,
                      .blocked_out = opts->blocked_pairs, .mark = t0, .started = t0,
                      .cpu_mark = clock_cpu(), .on_phase = opts->on_phase,
                      .phase_arg = opts->phase_arg};

    memset(st, 0, sizeof *st);
    if (db_begin(db, err) < 0)
        return -1;
    int rc = pass_body(&ps, actor, run_id, st, err);
    pass_free(&ps);
    if (rc < 0) {
        db_rollback(db);
        return err_prefix(err, "matching");
    }
    if (db_commit(db, err) < 0)
        return err_prefix(err, "matching");
    phase_done(&ps, "committed");
    st->seconds = clock_mono() - t0;
    if (st->changed > 0 || st->retired > 0)
        db_notify(db, "entities", err);
    char below[128], confirm[64];
    log_info("matching: %lld records, %lld re-matched, %lld retired, %lld pairs compared, "
             "%lld merged automatically%s, %lld queued (%sthe queue holds %lld), %lld new "
             "entities in %.2fs", st->records, st->changed, st->retired, st->pairs,
             st->auto_merges,
             dedup_below_auto_note(below, sizeof below, st->below_auto, st->auto_threshold,
                                   st->auto_budget),
             st->queued_now, dedup_confirm_note(confirm, sizeof confirm, st->to_confirm),
             st->queued, st->entities_created, st->seconds);
    return 0;
}

int dedup_apply_changes_opts(struct db *db, const struct config *cfg,
                             const struct dedup_opts *opts, const char *actor, long long run_id,
                             struct err *err)
{
    struct dedup_stats st;
    struct dedup_opts o = {.on_phase = opts->on_phase, .phase_arg = opts->phase_arg};

    if (!cfg->match.enabled || cfg->nfields == 0)
        return 0;
    return dedup_run(db, cfg, &o, actor, run_id, &st, err);
}

int dedup_apply_changes(struct db *db, const struct config *cfg, const char *actor,
                        long long run_id, struct err *err)
{
    return dedup_apply_changes_opts(db, cfg, &(struct dedup_opts){0}, actor, run_id, err);
}

cJSON *dedup_stats_json(const struct dedup_stats *st)
{
    cJSON *o = cJSON_CreateObject();
    const struct {
        const char *name;
        long long v;
    } counts[] = {
        {"records", st->records},       {"changed", st->changed},
        {"retired", st->retired},       {"pairs", st->pairs},
        {"candidates", st->candidates}, {"auto_merges", st->auto_merges},
        {"below_auto", st->below_auto},
        {"queued_now", st->queued_now}, {"one_to_one", st->one_to_one},
        {"to_confirm", st->to_confirm},
        {"queued", st->queued},         {"superseded", st->superseded},
        {"entities_created", st->entities_created},
        {"entities_emptied", st->entities_emptied},
        {"labels", st->labels},
    };

    for (size_t i = 0; i < ARRAY_SIZE(counts); i++)
        cJSON_AddNumberToObject(o, counts[i].name, (double)counts[i].v);
    cJSON_AddBoolToObject(o, "rescan", st->rescan);
    cJSON_AddBoolToObject(o, "learned", st->learned);
    cJSON_AddNumberToObject(o, "auto", st->auto_threshold);
    if (st->auto_budget > 0)
        cJSON_AddNumberToObject(o, "auto_budget", st->auto_budget);
    else
        cJSON_AddNullToObject(o, "auto_budget");
    cJSON_AddNumberToObject(o, "prior", st->prior);
    cJSON_AddNumberToObject(o, "seconds", st->seconds);
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (int i = 0; i < st->nwarnings; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(st->warnings[i]));
    cJSON_AddNumberToObject(o, "warnings_dropped", st->warnings_dropped);
    return o;
}

const char *dedup_below_auto_note(char *buf, size_t size, long long below, double auto_t,
                                  double budget)
{
    if (below <= 0)
        snprintf(buf, size, "%s", "");
    else if (budget > 0)
        snprintf(buf, size, " (%lld below auto %g, down to the review budget's p = %.3f)", below,
                 auto_t, budget);
    else
        snprintf(buf, size, " (%lld below auto %g)", below, auto_t);
    return buf;
}

const char *dedup_confirm_note(char *buf, size_t size, long long to_confirm)
{
    if (to_confirm > 0)
        snprintf(buf, size, "%lld of them merged, to confirm; ", to_confirm);
    else
        snprintf(buf, size, "%s", "");
    return buf;
}
