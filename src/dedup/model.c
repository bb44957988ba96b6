/*
 * model.c — where the Fellegi–Sunter parameters come from and where they
 * are kept.
 *
 * A full pass (and the first pass on a database) estimates them: u from
 * random pairs of the loaded records; the prior from the blocked pairs
 * whose key fields are identical (the exact stage links them anyway, so
 * they are matches by the configuration's own word), unless [matching]
 * prior sets it; m seeded from the levels of those same pairs (a field
 * whose seed is implausible keeps the defaults), then refined by EM over
 * the blocked pairs with the prior held fixed. When EM leaves any field
 * implausible, every field goes back to its seeded m (score.c and
 * model_estimate say why).
 *
 * They are stored in dedup_state.model with a signature of the
 * comparisons, so incremental passes score new records on the same scale,
 * and a change to [matching] compare keys triggers a fresh estimate.
 * Operator approvals are labelled matches: every load blends their levels
 * into m, so the model learns from the review queue between rescans.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define U_SAMPLE 200000
#define EM_SAMPLE 300000
#define EM_MIN_PAIRS 30
#define DECISION_STRENGTH 50.0
/* How many pseudo-pairs the default m counts for when identical-key pairs
 * seed it: a few, so that a handful of such pairs already speak, yet levels
 * those pairs cannot show (a typo in a key field) keep some probability. */
#define SEED_STRENGTH 10.0

static const char *sql_model = "SELECT model FROM kasparro.dedup_state WHERE id = 1";
static const char *sql_approved =
    "SELECT fields FROM kasparro.match_candidates WHERE status = 'approved'";

/* Blends the levels of approved candidates into m. */
static int blend_decisions(struct db *db, const struct match_plan *p, struct fs_model *fs,
                           struct err *err)
{
    long long counts[FS_MAX_FIELDS][MAX_LEVELS] = {{0}};
    PGresult *r = db_exec(db, err, sql_approved, 0, NULL);

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_Parse(PQgetvalue(r, i, 0));
        for (int f = 0; f < p->ncmp && o != NULL; f++) {
            cJSON *lv = cJSON_GetObjectItem(cJSON_GetObjectItem(o, p->cmps[f].field), "level");
            if (cJSON_IsNumber(lv) && lv->valueint >= 0 && lv->valueint < fs->nlevels[f])
                counts[f][lv->valueint]++;
        }
        cJSON_Delete(o);
    }
    fs_update_m(fs, counts, PQntuples(r), DECISION_STRENGTH);
    PQclear(r);
    return 0;
}

static void read_levels(cJSON *arr, double *dst, int n)
{
    for (int k = 0; k < n; k++) {
        cJSON *v = cJSON_GetArrayItem(arr, k);
        if (cJSON_IsNumber(v))
            dst[k] = v->valuedouble;
    }
}

int model_load(struct db *db, const struct match_plan *p, struct fs_model *fs, struct err *err)
{
    struct buf sig = BUF_INIT;
    PGresult *r = db_exec(db, err, sql_model, 0, NULL);

    fs_model_defaults(fs, p->cmps, p->ncmp, p->cfg->match.prior);
    if (r == NULL)
        return -1;
    cJSON *o = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? cJSON_Parse(PQgetvalue(r, 0, 0))
                                                          : NULL;
    PQclear(r);
    match_plan_signature(p, &sig);
    cJSON *s = cJSON_GetObjectItem(o, "signature"), *fields = cJSON_GetObjectItem(o, "fields");
    if (cJSON_IsString(s) && strcmp(s->valuestring, sig.data) == 0 &&
        cJSON_GetArraySize(fields) == p->ncmp) {
        for (int f = 0; f < p->ncmp; f++) {
            cJSON *fo = cJSON_GetArrayItem(fields, f);
            read_levels(cJSON_GetObjectItem(fo, "m"), fs->m[f], fs->nlevels[f]);
            read_levels(cJSON_GetObjectItem(fo, "u"), fs->u[f], fs->nlevels[f]);
        }
        cJSON *prior = cJSON_GetObjectItem(o, "prior");
        if (cJSON_IsNumber(prior) && p->cfg->match.prior <= 0)
            fs->prior = prior->valuedouble;
        fs->estimated = cJSON_IsTrue(cJSON_GetObjectItem(o, "estimated"));
        fs->em_pairs = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "em_pairs"));
    }
    cJSON_Delete(o);
    buf_free(&sig);
    return blend_decisions(db, p, fs, err);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void estimate_u(const struct match_plan *p, const struct recset *rs, struct fs_model *fs)
{
    long long counts[FS_MAX_FIELDS][MAX_LEVELS] = {{0}};
    uint8_t lv[FS_MAX_FIELDS];
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    double all = (double)rs->n * (rs->n - 1) / 2;
    long samples = all < U_SAMPLE ? (long)all : U_SAMPLE;

    if (rs->n < 2)
        return;
    for (long k = 0; k < samples; k++) {
        uint32_t a = (uint32_t)(xorshift(&seed) % rs->n), b = (uint32_t)(xorshift(&seed) % rs->n);
        if (a == b)
            b = (a + 1) % rs->n;
        pair_levels(p, rs, a, b, lv);
        for (int f = 0; f < p->ncmp; f++)
            counts[f][lv[f]]++;
    }
    fs_set_u(fs, counts);
}

struct key_pairs {
    long long n;                                 /* blocked pairs identical in the key fields */
    long long counts[FS_MAX_FIELDS][MAX_LEVELS]; /* their levels per field */
};

static void count_key_pairs(const struct match_plan *p, const struct recset *rs,
                            const uint64_t *pairs, const uint8_t *levels, size_t npairs,
                            struct key_pairs *kp)
{
    memset(kp, 0, sizeof *kp);
    for (size_t k = 0; k < npairs; k++) {
        uint32_t a = (uint32_t)(pairs[k] >> 32), b = (uint32_t)pairs[k];
        if (rs->fp[a] == 0 || rs->fp[a] != rs->fp[b])
            continue; /* fp 0: a key field is missing */
        kp->n++;
        for (int f = 0; f < p->ncmp; f++)
            kp->counts[f][levels[k * (size_t)p->ncmp + (size_t)f]]++;
    }
}

/* EM on at most EM_SAMPLE of the pairs (evenly spaced), prior fixed. */
static void run_em(const struct match_plan *p, const uint8_t *levels, size_t npairs,
                   struct fs_model *fs)
{
    size_t stride = npairs > EM_SAMPLE ? npairs / EM_SAMPLE : 1, n = npairs / stride;
    uint8_t *copy = NULL;

    if (stride > 1) {
        copy = xmalloc(n * (size_t)p->ncmp);
        for (size_t i = 0; i < n; i++)
            memcpy(copy + i * (size_t)p->ncmp, levels + i * stride * (size_t)p->ncmp,
                   (size_t)p->ncmp);
    }
    fs_em(fs, copy ? copy : levels, n,
          p->cfg->match.em_iterations > 0 ? p->cfg->match.em_iterations : 10, true);
    free(copy);
}

/* How many fields of fs are implausible; says which, and what replaces them.
 * Info, not a warning: the fallback is automatic and nothing is asked of the
 * operator (the shipped sample's titles trip it on every fresh estimate). */
static int implausible(const struct match_plan *p, const struct fs_model *fs, const char *which,
                       const char *instead)
{
    int n = 0;

    for (int f = 0; f < p->ncmp; f++) {
        if (fs_plausible(fs, f))
            continue;
        log_info("matching model: the %s parameters of '%s' are implausible (agreement is no "
                 "evidence of a match, or near agreement more likely than identity); using %s",
                 which, p->cmps[f].field, instead);
        n++;
    }
    return n;
}

/* m seeded from the identical-key pairs, each field on its own counts; a
 * field whose seed is implausible keeps the defaults. */
static void seed_m(const struct match_plan *p, struct key_pairs *kp, struct fs_model *fs)
{
    struct fs_model defaults;

    fs_model_defaults(&defaults, p->cmps, p->ncmp, fs->prior);
    fs_update_m(fs, kp->counts, kp->n, SEED_STRENGTH);
    if (implausible(p, fs, "seeded", "the defaults") > 0)
        fs_guard(fs, &defaults);
}

int model_estimate(struct db *db, const struct match_plan *p, const struct recset *rs,
                   const uint64_t *pairs, const uint8_t *levels, size_t npairs, struct fs_model *fs,
                   struct err *err)
{
    struct key_pairs kp;

    fs_model_defaults(fs, p->cmps, p->ncmp, p->cfg->match.prior);
    estimate_u(p, rs, fs);
    count_key_pairs(p, rs, pairs, levels, npairs, &kp);
    if (p->cfg->match.prior <= 0)
        fs->prior = fs_key_prior(kp.n, (long long)npairs, rs->n);
    seed_m(p, &kp, fs);
    if (npairs >= EM_MIN_PAIRS) {
        struct fs_model seeded = *fs;
        run_em(p, levels, npairs, fs);
        /* One posterior estimated every field's m: a field EM made
         * implausible means the posterior followed something else than
         * matches (records from one template, say), and the other fields'
         * m learnt that too. So all fields go back to their seeds. */
        if (implausible(p, fs, "estimated", "the seeded ones for every field") > 0)
            memcpy(fs->m, seeded.m, sizeof fs->m);
    }
    log_info("matching model: prior %.4f (%s; %lld of %zu blocked pairs identical in the key "
             "fields), %lld pairs for EM, %d iterations",
             fs->prior, p->cfg->match.prior > 0 ? "configured" : "estimated", kp.n, npairs,
             fs->em_pairs, fs->em_iterations_run);
    if (model_save(db, p, fs, err) < 0)
        return -1;
    return blend_decisions(db, p, fs, err);
}

static cJSON *level_array(const double *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; k < n; k++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(v[k]));
    return a;
}

int model_save(struct db *db, const struct match_plan *p, const struct fs_model *fs,
               struct err *err)
{
    struct buf sig = BUF_INIT;
    cJSON *o = cJSON_CreateObject(), *fields = cJSON_AddArrayToObject(o, "fields");

    match_plan_signature(p, &sig);
    cJSON_AddStringToObject(o, "signature", sig.data);
    cJSON_AddNumberToObject(o, "prior", fs->prior);
    cJSON_AddBoolToObject(o, "estimated", fs->estimated);
    cJSON_AddNumberToObject(o, "em_pairs", (double)fs->em_pairs);
    for (int f = 0; f < p->ncmp; f++) {
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "field", p->cmps[f].field);
        cJSON_AddStringToObject(fo, "comparator", cmp_kind_name(p->cmps[f].kind));
        cJSON_AddItemToObject(fo, "m", level_array(fs->m[f], fs->nlevels[f]));
        cJSON_AddItemToObject(fo, "u", level_array(fs->u[f], fs->nlevels[f]));
        cJSON_AddItemToArray(fields, fo);
    }
    char *text = cJSON_PrintUnformatted(o);
    int rc = db_run(db, err, "UPDATE kasparro.dedup_state SET model = $1::jsonb WHERE id = 1",
                    DB_PARAMS(text));
    free(text);
    cJSON_Delete(o);
    buf_free(&sig);
    return rc;
}
