/*
 * model.c — where the Fellegi–Sunter parameters come from and where they
 * are kept.
 *
 * A full pass (the first on a database, `dedup --rescan`, and a pass after
 * operators decided something since the model last learnt) estimates
 * them: EM over the blocked pairs (score.c), m, u and the prior together,
 * with the operators' decisions as labelled pairs. Every must-link and
 * cannot-link in kasparro.links is a label — approvals say "match";
 * rejections and splits say "not a match" — whether or not blocking found
 * the pair. EM starts from u as the blocked pairs look as a whole (nearly
 * all of them are non-matches), m from the defaults, and a prior of half
 * what the records could hold (each record of the smaller sources matching
 * one other); a start like that converges to the class of pairs that agree
 * on their fields, on products as on persons.
 *
 * They are stored in dedup_state.model with a signature of the
 * comparisons, so incremental passes score new records on the same scale,
 * and a change to the comparisons triggers a fresh estimate over every
 * record (match.c). What the
 * estimate found doubtful is logged as a warning and kept in `warnings`
 * for the run's report.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define EM_SAMPLE 300000
#define U_SAMPLE 200000
#define EM_MIN_PAIRS 30
#define EM_ITERATIONS_MIN 200
/* How many unlabelled pairs one operator decision counts as. */
#define LABEL_WEIGHT 1.0

static const char *sql_model = "SELECT model FROM kasparro.dedup_state WHERE id = 1";
static const char *sql_label_mark =
    "SELECT count(*), coalesce(max(decision_id), 0) FROM kasparro.links";

static void read_levels(cJSON *arr, double *dst, int n)
{
    for (int k = 0; k < n; k++) {
        cJSON *v = cJSON_GetArrayItem(arr, k);
        if (cJSON_IsNumber(v))
            dst[k] = v->valuedouble;
    }
}

/* The configured source a stored partner rate names by `stored`: itself,
 * or the one older kasparro stored under that name cut short (the rename
 * source_names.c makes at a run's start); NULL when none is. */
static const char *partner_name(const struct config *cfg, const char *stored)
{
    const struct source_cfg *s = config_source(cfg, stored);

    if (s == NULL && (s = config_source_cut(cfg, stored, NULL)) != NULL &&
        config_source_cut(cfg, stored, s) != NULL)
        return NULL; /* two were cut to it: whose it is is unknown */
    return s != NULL ? s->name : NULL;
}

static bool partner_known(const struct fs_model *fs, const char *src, const char *other)
{
    for (int d = 0; d < fs->npartner; d++)
        if (strcmp(fs->partner[d].source, src) == 0 && strcmp(fs->partner[d].other, other) == 0)
            return true;
    return false;
}

/* The stored partner rates, each under the configured names. A rate that
 * names no configured source is dropped, and so is a second one for the
 * same two: older kasparro kept the names in 64 bytes and stored a rate
 * per record under a longer name cut there (junk a pass never finds); a
 * source removed from the configuration has no records to score. Returns
 * whether the stored list changed. */
static bool read_partners(cJSON *arr, const struct config *cfg, struct fs_model *fs)
{
    cJSON *po;
    int dropped = 0, renamed = 0;
    const char *first_src = NULL, *first_other = NULL;

    partner_clear(fs);
    cJSON_ArrayForEach(po, arr) {
        const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(po, "source"));
        const char *other = cJSON_GetStringValue(cJSON_GetObjectItem(po, "other"));
        cJSON *q = cJSON_GetObjectItem(po, "q"), *n = cJSON_GetObjectItem(po, "n");
        if (src == NULL || other == NULL || !cJSON_IsNumber(q) || !cJSON_IsNumber(n))
            continue;
        const char *s = partner_name(cfg, src), *o = partner_name(cfg, other);
        if (s == NULL || o == NULL || partner_known(fs, s, o)) {
            if (dropped++ == 0)
                first_src = src, first_other = other;
            continue;
        }
        renamed += strcmp(s, src) != 0 || strcmp(o, other) != 0;
        int d = partner_add(fs, s, o);
        fs->partner[d].q = q->valuedouble;
        fs->partner[d].n = n->valuedouble;
    }
    if (dropped > 0)
        log_warn("matching model: %d stored partner rate%s dropped, naming no configured source "
                 "or said twice (the first: '%s' towards '%s'); 'kasparro dedup --rescan' "
                 "estimates the rates of the configured ones again", dropped, dropped == 1 ? "" : "s", first_src, first_other);
    if (renamed > 0)
        log_info("matching model: %d stored partner rate%s under a source's name cut by older "
                 "kasparro now carry its whole name", renamed, renamed == 1 ? "" : "s");
    return dropped + renamed > 0;
}

/* The partner rates as the model stores them, every one. */
static cJSON *partners_json(const struct fs_model *fs)
{
    cJSON *partners = cJSON_CreateArray();

    for (int d = 0; d < fs->npartner; d++) {
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "source", fs->partner[d].source);
        cJSON_AddStringToObject(po, "other", fs->partner[d].other);
        cJSON_AddNumberToObject(po, "q", fs->partner[d].q);
        cJSON_AddNumberToObject(po, "n", fs->partner[d].n);
        cJSON_AddItemToArray(partners, po);
    }
    return partners;
}

/* The stored model's partner rates as read_partners left them, the rest
 * of it (and when it learnt) as it was. */
static const char *sql_partners =
    "UPDATE kasparro.dedup_state SET model = jsonb_set(model, '{partners}', $1::jsonb) "
    "WHERE id = 1";

static int store_partners(struct db *db, const struct fs_model *fs, struct err *err)
{
    cJSON *a = partners_json(fs);
    char *text = cJSON_PrintUnformatted(a);
    int rc = db_run(db, err, sql_partners, DB_PARAMS(text));

    free(text);
    cJSON_Delete(a);
    return rc;
}

static long long json_ll(cJSON *o, const char *key)
{
    return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

/* Whether the plan has two unique sources, between which the model keeps
 * the per-record partner rates (partner.c). */
static bool plan_has_unique_pair(const struct match_plan *p)
{
    size_t unique = 0;

    for (size_t i = 0; i < p->cfg->nsources; i++)
        unique += p->cfg->sources[i].unique;
    return unique >= 2;
}

/* Why a stored model does not fit the plan's comparisons, written to why
 * (empty when it fits). Its signature names the comparisons; the number of
 * levels of each is checked apart, so that a build that adds a level to a
 * comparison (the title's numbers gained "a rare code shared") does not
 * score the new level with default m and u until a rescan; and a model
 * stored before the partner rates between unique sources were kept lacks
 * the `partners` key (a newer one has it, empty when there was nothing to
 * estimate them from, so a set that has none is not estimated again at
 * every pass); nor are rates that leave out a unique source added since
 * (partners_misfit). */
/* A url field's m and u hold for links cut to one form (url.c): a model
 * estimated on another (stored before the form was, or with other
 * tracking parameters) is estimated again rather than scoring the new
 * form's agreements with the old one's rates. */
static void url_misfit(cJSON *o, const struct match_plan *p, char *why, size_t n)
{
    struct buf form = BUF_INIT;
    cJSON *stored = cJSON_GetObjectItem(o, "url_form");
    const char *had = cJSON_IsString(stored) ? stored->valuestring : "";

    match_plan_url_form(p, &form);
    if (strcmp(had, form.len > 0 ? form.data : "") != 0)
        snprintf(why, n, "url fields are cut to their page in form %s, the stored model's %s",
                 form.len > 0 ? form.data : "(none)", *had != '\0' ? had : "1");
    buf_free(&form);
}

/* Whether the stored model's partner rates were estimated with `name`
 * among the unique sources: its "unique_sources", or for a model stored
 * before it kept them, a rate that names the source. */
static bool partners_cover(cJSON *o, const struct config *cfg, const char *name)
{
    cJSON *list = cJSON_GetObjectItem(o, "unique_sources"), *x;

    if (cJSON_IsArray(list)) {
        cJSON_ArrayForEach(x, list) {
            const char *had = cJSON_IsString(x) ? partner_name(cfg, x->valuestring) : NULL;
            if (had != NULL && strcmp(had, name) == 0)
                return true;
        }
        return false;
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(o, "partners")) {
        const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(x, "source"));
        const char *had = src != NULL ? partner_name(cfg, src) : NULL;
        if (had != NULL && strcmp(had, name) == 0)
            return true;
    }
    return false;
}

/* A unique source added to the configuration (or made unique) after the
 * partner rates were estimated has none towards the others: its pairs
 * would go by the pairwise prior until a rescan. The model is estimated
 * again once for it; then "unique_sources" names it, rates or not (none
 * when it has no pair with another unique source), so a source with
 * nothing to estimate from does not make every pass a full one. */
static void partners_misfit(cJSON *o, const struct match_plan *p, char *why, size_t n)
{
    if (!plan_has_unique_pair(p))
        return;
    for (size_t i = 0; i < p->cfg->nsources; i++) {
        const struct source_cfg *s = &p->cfg->sources[i];
        if (s->unique && !partners_cover(o, p->cfg, s->name)) {
            snprintf(why, n, "unique source '%s' has no partner rates: it was not unique, or "
                     "not configured, when they were estimated", s->name);
            return;
        }
    }
}

static void model_misfit(cJSON *o, const struct match_plan *p, const char *sig, char *why,
                         size_t n)
{
    cJSON *s = cJSON_GetObjectItem(o, "signature"), *fields = cJSON_GetObjectItem(o, "fields");

    why[0] = 0;
    if (!cJSON_IsString(s) || strcmp(s->valuestring, sig) != 0 ||
        cJSON_GetArraySize(fields) != p->ncmp) {
        snprintf(why, n, "the comparisons changed");
        return;
    }
    for (int f = 0; f < p->ncmp; f++) {
        cJSON *fo = cJSON_GetArrayItem(fields, f);
        int m = cJSON_GetArraySize(cJSON_GetObjectItem(fo, "m"));
        int u = cJSON_GetArraySize(cJSON_GetObjectItem(fo, "u"));
        if (m != p->cmps[f].nlevels || u != p->cmps[f].nlevels) {
            snprintf(why, n, "'%s' has %d levels, the stored model %d",
                     comparison_name(&p->cmps[f]), p->cmps[f].nlevels, m < u ? m : u);
            return;
        }
    }
    if (cJSON_GetObjectItem(o, "partners") == NULL && plan_has_unique_pair(p))
        snprintf(why, n, "the stored model has no partner rates between the unique sources");
    else
        partners_misfit(o, p, why, n);
    if (why[0] == 0)
        url_misfit(o, p, why, n);
}

int model_load(struct db *db, const struct match_plan *p, struct fs_model *fs, struct err *err)
{
    struct buf sig = BUF_INIT;
    PGresult *r = db_exec(db, err, sql_model, 0, NULL);
    bool cleaned = false;

    partner_clear(fs);
    fs_model_defaults(fs, p->cmps, p->ncmp, p->cfg->match.prior);
    if (r == NULL)
        return -1;
    cJSON *o = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? cJSON_Parse(PQgetvalue(r, 0, 0))
                                                          : NULL;
    PQclear(r);
    match_plan_signature(p, &sig);
    if (o != NULL)
        model_misfit(o, p, sig.data, fs->stale_why, sizeof fs->stale_why);
    fs->stale = fs->stale_why[0] != 0;
    if (o != NULL && !fs->stale) {
        cJSON *fields = cJSON_GetObjectItem(o, "fields");
        for (int f = 0; f < p->ncmp; f++) {
            cJSON *fo = cJSON_GetArrayItem(fields, f);
            read_levels(cJSON_GetObjectItem(fo, "m"), fs->m[f], fs->nlevels[f]);
            read_levels(cJSON_GetObjectItem(fo, "u"), fs->u[f], fs->nlevels[f]);
        }
        cJSON *prior = cJSON_GetObjectItem(o, "prior");
        if (cJSON_IsNumber(prior) && p->cfg->match.prior <= 0)
            fs->prior = prior->valuedouble;
        fs->estimated = cJSON_IsTrue(cJSON_GetObjectItem(o, "estimated"));
        fs->converged = cJSON_IsTrue(cJSON_GetObjectItem(o, "converged"));
        fs->em_pairs = json_ll(o, "em_pairs");
        fs->em_iterations_run = (int)json_ll(o, "em_iterations");
        fs->labels = json_ll(o, "labels");
        fs->label_mark = json_ll(o, "label_mark");
        cleaned = read_partners(cJSON_GetObjectItem(o, "partners"), p->cfg, fs);
        cJSON *budget = cJSON_GetObjectItem(o, "auto_budget");
        fs->auto_budget = cJSON_IsNumber(budget) ? budget->valuedouble : 0;
        const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(o, "learned_at"));
        snprintf(fs->learned_at, sizeof fs->learned_at, "%s", at ? at : "");
    }
    cJSON_Delete(o);
    buf_free(&sig);
    /* stored as read, so that what was dropped is said once */
    return cleaned ? store_partners(db, fs, err) : 0;
}

int model_labels_changed(struct db *db, const struct fs_model *fs, bool *changed,
                         struct err *err)
{
    PGresult *r = db_exec(db, err, sql_label_mark, 0, NULL);

    if (r == NULL)
        return -1;
    *changed = fs->estimated && (db_ll(r, 0, 0) != fs->labels || db_ll(r, 0, 1) != fs->label_mark);
    PQclear(r);
    return 0;
}

/* The EM rows: the blocked pairs (sampled evenly when there are very
 * many), then the labelled pairs blocking did not find; labels of blocked
 * pairs are set in place. */
struct em_rows {
    uint8_t *levels;
    int8_t *label;
    size_t n, cap;
};

static void rows_add(struct em_rows *e, const uint8_t *lv, int F, int8_t label)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 1024;
        e->levels = xreallocarray(e->levels, e->cap, (size_t)F);
        e->label = xreallocarray(e->label, e->cap, 1);
    }
    memcpy(e->levels + e->n * (size_t)F, lv, (size_t)F);
    e->label[e->n++] = label;
}

/* Labelled pairs EM did not sample, and those blocking did not find, as
 * rows of their own. */
static void add_labels(const struct match_plan *p, const struct pass_pairs *pp,
                       const size_t *row_of, struct em_rows *e)
{
    const struct labels *l = pp->labels;
    size_t F = (size_t)p->ncmp;
    uint8_t lv[FS_MAX_FIELDS], fr[FS_MAX_FIELDS];

    for (size_t k = 0; k < pp->npairs; k++) {
        if (l->of_pair[k] < 0)
            continue;
        if (row_of[k] != SIZE_MAX)
            e->label[row_of[k]] = l->of_pair[k];
        else
            rows_add(e, pp->levels + k * F, (int)F, l->of_pair[k]);
    }
    for (size_t k = 0; k < l->nextra; k++) {
        pair_levels(p, pp->rs, (uint32_t)(l->extra[k] >> 32), (uint32_t)l->extra[k], lv, fr);
        rows_add(e, lv, (int)F, l->extra_label[k]);
    }
}

/* Half of what the records could hold: every record of all sources but
 * the largest matching one record (across sources), or every record one
 * other (within sources); as a share of the blocked pairs. */
static double start_prior(const struct recset *rs, size_t npairs, bool within_source)
{
    long long per_source[1024] = {0}, largest = 0;

    for (uint32_t i = 0; i < rs->n; i++)
        per_source[rs->source[i]]++;
    for (uint16_t s = 0; s < rs->nsources; s++)
        if (per_source[s] > largest)
            largest = per_source[s];
    double capacity = within_source ? rs->n / 2.0 : (double)(rs->n - largest);
    double prior = 0.5 * capacity / (double)(npairs ? npairs : 1);
    return prior < 1e-4 ? 1e-4 : prior > 0.5 ? 0.5 : prior;
}

/* The most matching pairs the sources can hold, as a share of the blocked
 * pairs, or 0 when nothing bounds them (matching within a source). Across
 * two sources of which one is unique, each record of the other matches at
 * most one record of it; across two unique sources, at most the smaller's
 * count. Two sources that may both list a thing several times are held to
 * the same: a pair of sources whose duplicates on both sides outnumber
 * their records is rarer than a model whose match class has taken in every
 * pair of similar items. EM's match class may not outgrow this: on
 * products the estimate otherwise takes such pairs for matches, and
 * clustering chains them into entities of hundreds of records. */
double model_max_prior(const struct recset *rs, size_t npairs, bool within_source)
{
    long long per_source[1024] = {0}, bound = 0;

    if (within_source || npairs == 0)
        return 0;
    for (uint32_t i = 0; i < rs->n; i++)
        per_source[rs->source[i]]++;
    for (uint16_t s = 0; s < rs->nsources; s++)
        for (uint16_t t = s + 1; t < rs->nsources; t++) {
            bool us = rs->source_unique[s], ut = rs->source_unique[t];
            long long fewer = per_source[s] < per_source[t] ? per_source[s] : per_source[t];
            bound += us == ut ? fewer : us ? per_source[t] : per_source[s];
        }
    double share = (double)bound / (double)npairs;
    return share >= 0.5 ? 0 : share;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* u from random pairs of the working set, almost all non-matches (pairs
 * of one source are certainly so when matching is across sources): what a
 * model too small for EM goes by. A set of fewer than EM_MIN_PAIRS pairs in
 * all keeps the defaults' u: its pairs would be mostly the candidates
 * themselves, and two identical records alone would then look like what
 * non-matches look like. Returns whether u was counted. */
static bool random_u(const struct match_plan *p, const struct recset *rs, struct fs_model *fs)
{
    long long counts[FS_MAX_FIELDS][MAX_LEVELS] = {{0}};
    uint8_t lv[FS_MAX_FIELDS], fr[FS_MAX_FIELDS];
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    double all = (double)rs->n * (rs->n - 1) / 2;
    long samples = all < U_SAMPLE ? (long)all : U_SAMPLE;

    if (all < EM_MIN_PAIRS) {
        struct fs_model defaults;
        fs_model_defaults(&defaults, p->cmps, p->ncmp, fs->prior);
        memcpy(fs->u, defaults.u, sizeof fs->u);
        return false;
    }
    for (long k = 0; k < samples; k++) {
        uint32_t a = (uint32_t)(xorshift(&seed) % rs->n), b = (uint32_t)(xorshift(&seed) % rs->n);
        if (a == b)
            b = (a + 1) % rs->n;
        pair_levels(p, rs, a, b, lv, fr);
        for (int f = 0; f < p->ncmp; f++)
            counts[f][lv[f]]++;
    }
    fs_set_u(fs, counts);
    return true;
}

/* u as the blocked pairs look as a whole. */
static void start_u(const struct match_plan *p, const struct em_rows *e, struct fs_model *fs)
{
    long long counts[FS_MAX_FIELDS][MAX_LEVELS] = {{0}};

    for (size_t k = 0; k < e->n; k++)
        for (int f = 0; f < p->ncmp; f++)
            counts[f][e->levels[k * (size_t)p->ncmp + (size_t)f]]++;
    fs_set_u(fs, counts);
}

static void warn(struct model_report *rep, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void warn(struct model_report *rep, const char *fmt, ...)
{
    char msg[DEDUP_WARNING_LEN];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_warn("matching model: %s", msg);
    /* the last line is the review budget's: it says what the pass merged */
    if (rep->nwarnings < MODEL_MAX_WARNINGS - 1)
        snprintf(rep->warnings[rep->nwarnings++], sizeof rep->warnings[0], "%s", msg);
    else
        rep->ndropped++;
}

/* What a finished estimate should make an operator look at. A field that
 * pairs rarely both have (one source does not fill it) says nothing either
 * way and is not worth a warning. */
static void check_estimate(const struct match_plan *p, const struct recset *rs,
                           const struct em_rows *e, const struct fs_model *fs, size_t npairs,
                           struct model_report *rep)
{
    double expected = fs->prior * (double)npairs;

    if (!fs->converged)
        warn(rep, "EM did not settle in %d iterations; scores may shift at the next rescan",
             fs->em_iterations_run);
    if (expected > rs->n)
        warn(rep, "the estimate expects %.0f matching pairs among %u records: the compared "
             "fields may not tell records apart", expected, rs->n);
    for (int f = 0; f < p->ncmp; f++) {
        int top = fs->nlevels[f] - 1;
        size_t compared = 0;
        for (size_t k = 0; k < e->n; k++)
            compared += e->levels[k * (size_t)p->ncmp + (size_t)f] != LEVEL_MISSING;
        /* the numbers inside a text field come with it: nothing to configure away */
        if (compared < e->n / 100 + EM_MIN_PAIRS || p->cmps[f].kind == CMP_NUMBERS ||
            p->cmps[f].kind == CMP_VARIANTS)
            continue;
        if (fs_level_weight(fs, f, top) < 1 && fs->m[f][top] + fs->u[f][top] > 0.02)
            warn(rep, "identical values of '%s' are no evidence of a match (%.1f bits)",
                 comparison_name(&p->cmps[f]), fs_level_weight(fs, f, top));
    }
}

/* The per-record partner rates between unique sources (partner.c), from
 * every blocked pair's evidence under the model just estimated. */
static void estimate_partners(const struct match_plan *p, const struct pass_pairs *pp,
                              struct fs_model *fs)
{
    double *ev = xmalloc((pp->npairs ? pp->npairs : 1) * sizeof *ev);
    size_t F = (size_t)p->ncmp;

    for (size_t k = 0; k < pp->npairs; k++) {
        double w = 0;
        for (size_t f = 0; f < F; f++)
            w += fs_level_weight(fs, (int)f, pp->levels[k * F + f]);
        ev[k] = one_to_one_evidence(pp->labels->of_pair, k, w);
    }
    partner_estimate(fs, pp->rs, pp->pairs, pp->npairs, ev);
    for (int d = 0; d < fs->npartner; d++)
        log_info("matching model: a record of %s has its partner among its %.1f candidates "
                 "in %s with probability %.4f", fs->partner[d].source, fs->partner[d].n,
                 fs->partner[d].other, fs->partner[d].q);
    free(ev);
}

int model_estimate(struct db *db, const struct match_plan *p, const struct pass_pairs *pp,
                   struct fs_model *fs, struct model_report *rep, struct err *err)
{
    size_t F = (size_t)p->ncmp, stride = pp->npairs > EM_SAMPLE ? pp->npairs / EM_SAMPLE : 1;
    size_t *row_of = xmalloc((pp->npairs ? pp->npairs : 1) * sizeof *row_of);
    uint64_t *row_pair = xmalloc((pp->npairs / stride + 1) * sizeof *row_pair);
    struct em_rows e = {0};
    uint32_t *sa = NULL, *sb = NULL;

    partner_clear(fs); /* the loaded model's, estimated again below */
    fs_model_defaults(fs, p->cmps, p->ncmp, p->cfg->match.prior);
    for (size_t k = 0; k < pp->npairs; k++) {
        row_of[k] = SIZE_MAX;
        if (k % stride == 0) {
            row_of[k] = e.n;
            row_pair[e.n] = pp->pairs[k];
            rows_add(&e, pp->levels + k * F, (int)F, -1);
        }
    }
    size_t nblocked = e.n;
    add_labels(p, pp, row_of, &e);
    fs->labels = pp->labels->count;
    fs->label_mark = pp->labels->mark;
    start_u(p, &e, fs);
    if (p->cfg->match.prior <= 0)
        fs->prior = start_prior(pp->rs, pp->npairs, p->cfg->match.within_source);
    if (e.n >= EM_MIN_PAIRS) {
        struct em_data d = {e.levels, e.n, e.label, LABEL_WEIGHT, p->cfg->match.prior > 0,
                            model_max_prior(pp->rs, pp->npairs, p->cfg->match.within_source),
                            NULL, NULL, 0};
        if (d.max_prior > 0 && fs->prior > d.max_prior)
            fs->prior = d.max_prior;
        int iterations = p->cfg->match.em_iterations > EM_ITERATIONS_MIN
                             ? p->cfg->match.em_iterations : EM_ITERATIONS_MIN;
        fs_em(fs, &d, iterations);
        if (fs_agreement_evidence(fs) < 0)
            fs_swap_classes(fs); /* EM named the classes the other way round */
        /* then, between unique sources, rivals lower each other's posterior
         * (onetoone.c) while the prior found above holds */
        sa = xmalloc(e.n * sizeof *sa);
        sb = xmalloc(e.n * sizeof *sb);
        d.nslots = one_to_one_slots(pp->rs, row_pair, nblocked, sa, sb);
        if (d.nslots > 0) {
            for (size_t k = nblocked; k < e.n; k++)
                sa[k] = sb[k] = UINT32_MAX; /* decisions blocking did not find */
            d.slot_a = sa, d.slot_b = sb;
            d.fixed_prior = true;
            fs_em(fs, &d, iterations);
        }
        if (p->cfg->match.prior > 0)
            fs->prior = p->cfg->match.prior;
        if (d.nslots > 0)
            estimate_partners(p, pp, fs);
        check_estimate(p, pp->rs, &e, fs, pp->npairs, rep);
    } else {
        bool counted = random_u(p, pp->rs, fs);
        warn(rep, "only %zu pair%s to learn from: default m, %s", e.n, e.n == 1 ? "" : "s",
             counted ? "u from random pairs" : "default u");
    }
    log_info("matching model: prior %.5f (%s), %zu pairs and %lld decisions for EM, "
             "%d iterations%s", fs->prior, p->cfg->match.prior > 0 ? "configured" : "estimated",
             e.n, fs->labels, fs->em_iterations_run, fs->converged ? "" : " (not settled)");
    int rc = model_save(db, p, fs, err);
    free(row_of);
    free(row_pair);
    free(sa);
    free(sb);
    free(e.levels);
    free(e.label);
    return rc;
}

static cJSON *level_array(const double *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; k < n; k++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(v[k]));
    return a;
}

static const char *sql_save =
    "UPDATE kasparro.dedup_state SET model = jsonb_set($1::jsonb, '{learned_at}', "
    "to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))) "
    "WHERE id = 1";

int model_save(struct db *db, const struct match_plan *p, const struct fs_model *fs,
               struct err *err)
{
    struct buf sig = BUF_INIT;
    cJSON *o = cJSON_CreateObject(), *fields = cJSON_AddArrayToObject(o, "fields");

    match_plan_signature(p, &sig);
    cJSON_AddStringToObject(o, "signature", sig.data);
    buf_reset(&sig);
    match_plan_url_form(p, &sig);
    if (sig.len > 0)
        cJSON_AddStringToObject(o, "url_form", sig.data);
    cJSON_AddNumberToObject(o, "prior", fs->prior);
    cJSON_AddBoolToObject(o, "estimated", fs->estimated);
    cJSON_AddBoolToObject(o, "converged", fs->converged);
    cJSON_AddNumberToObject(o, "em_pairs", (double)fs->em_pairs);
    cJSON_AddNumberToObject(o, "em_iterations", fs->em_iterations_run);
    cJSON_AddNumberToObject(o, "labels", (double)fs->labels);
    cJSON_AddNumberToObject(o, "label_mark", (double)fs->label_mark);
    cJSON_AddItemToObject(o, "partners", partners_json(fs));
    /* the unique sources the rates were estimated for (partners_misfit) */
    cJSON *unique = cJSON_AddArrayToObject(o, "unique_sources");
    for (size_t i = 0; i < p->cfg->nsources; i++)
        if (p->cfg->sources[i].unique)
            cJSON_AddItemToArray(unique, cJSON_CreateString(p->cfg->sources[i].name));
    for (int f = 0; f < p->ncmp; f++) {
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "field", comparison_name(&p->cmps[f]));
        cJSON_AddStringToObject(fo, "comparator", cmp_kind_name(p->cmps[f].kind));
        cJSON_AddItemToObject(fo, "m", level_array(fs->m[f], fs->nlevels[f]));
        cJSON_AddItemToObject(fo, "u", level_array(fs->u[f], fs->nlevels[f]));
        cJSON_AddItemToArray(fields, fo);
    }
    char *text = cJSON_PrintUnformatted(o);
    int rc = db_run(db, err, sql_save, DB_PARAMS(text));
    free(text);
    cJSON_Delete(o);
    buf_free(&sig);
    return rc;
}

/* model_save writes the model before its pass scores a pair, and the
 * budget's threshold is known only after: added to the stored model
 * here, in the same transaction. */
static const char *sql_save_budget =
    "UPDATE kasparro.dedup_state SET model = model || jsonb_build_object('auto_budget', "
    "$1::float8) WHERE id = 1 AND model IS NOT NULL";

int model_save_budget(struct db *db, double threshold, struct err *err)
{
    char t[32];

    snprintf(t, sizeof t, "%.17g", threshold);
    return db_run(db, err, sql_save_budget, DB_PARAMS(t));
}
