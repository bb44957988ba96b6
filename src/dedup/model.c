/*
 * model.c — where the Fellegi–Sunter parameters come from and where they
 * are kept.
 *
 * A full pass (and the first pass on a database) estimates them: u from
 * random pairs of the loaded records, m and the prior by EM over the
 * blocked pairs. They are stored in dedup_state.model with a signature of
 * the comparisons, so incremental passes score new records on the same
 * scale, and a change to [matching] compare keys triggers a fresh estimate.
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

int model_estimate(struct db *db, const struct match_plan *p, const struct recset *rs,
                   const uint8_t *levels, size_t npairs, struct fs_model *fs, struct err *err)
{
    fs_model_defaults(fs, p->cmps, p->ncmp, p->cfg->match.prior);
    estimate_u(p, rs, fs);
    if (npairs >= EM_MIN_PAIRS) {
        size_t stride = npairs > EM_SAMPLE ? npairs / EM_SAMPLE : 1, n = npairs / stride;
        uint8_t *copy = NULL;
        if (stride > 1) {
            copy = xmalloc(n * (size_t)p->ncmp);
            for (size_t i = 0; i < n; i++)
                memcpy(copy + i * (size_t)p->ncmp, levels + i * stride * (size_t)p->ncmp,
                       (size_t)p->ncmp);
        }
        fs_em(fs, copy ? copy : levels, n,
              p->cfg->match.em_iterations > 0 ? p->cfg->match.em_iterations : 10,
              p->cfg->match.prior > 0);
        free(copy);
    }
    log_info("matching model: prior %.4f, %lld pairs for EM, %d iterations", fs->prior,
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
