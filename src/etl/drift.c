/*
 * drift.c — schema drift bookkeeping (see drift.h).
 *
 * Counting is cheap (a hash map keyed by field name); guesses are computed
 * only when the report is made, once per source per run.
 */
#include "kasparro/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/similar.h"
#include "kasparro/strmap.h"
#include "kasparro/util.h"

struct drift {
    struct strmap unmapped;   /* value: first location */
    struct strmap unreadable; /* value: "reason at location" of the first */
};

struct drift *drift_new(void) { return xcalloc(1, sizeof(struct drift)); }

void drift_free(struct drift *d)
{
    if (d == NULL)
        return;
    strmap_free(&d->unmapped, free);
    strmap_free(&d->unreadable, free);
    free(d);
}

void drift_unmapped(struct drift *d, const char *field, size_t len, const char *location)
{
    struct strmap_entry *e = strmap_put(&d->unmapped, field, len);
    if (e->count++ == 0)
        e->value = xstrdup(location);
}

void drift_unreadable(struct drift *d, const char *field, const char *reason,
                      const char *location)
{
    struct strmap_entry *e = strmap_put(&d->unreadable, field, strlen(field));
    if (e->count++ == 0)
        e->value = xasprintf("%s, first at %s", reason, location);
}

static void add(cJSON *arr, const char *kind, const char *field, long long count,
                const char *message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", kind);
    cJSON_AddStringToObject(o, "field", field);
    if (count >= 0)
        cJSON_AddNumberToObject(o, "count", (double)count);
    cJSON_AddStringToObject(o, "message", message);
    cJSON_AddItemToArray(arr, o);
}

static const char *guess(const char *field, const char *const *missing, size_t nmissing,
                         const char *const *pool, size_t npool, double *score)
{
    double s1 = 0, s2 = 0;
    const char *g1 = sim_nearest(field, missing, nmissing, 0.8, &s1);
    const char *g2 = sim_nearest(field, pool, npool, 0.8, &s2);

    if (g1 != NULL && (g2 == NULL || s1 >= s2)) {
        *score = s1;
        return g1;
    }
    *score = s2;
    return g2;
}

cJSON *drift_report(const struct drift *d, const char *const *missing, size_t nmissing,
                    const char *const *pool, size_t npool)
{
    cJSON *arr = cJSON_CreateArray();
    struct strmap_entry *e;
    size_t it = 0;
    char msg[768];

    while ((e = strmap_next(&d->unmapped, &it)) != NULL) {
        double score;
        const char *g = guess(e->key, missing, nmissing, pool, npool, &score);
        if (g != NULL)
            snprintf(msg, sizeof msg, "field '%s' is in the data but not mapped (%lld record%s, "
                     "first at %s); it looks like '%s' (%.2f)", e->key, e->count,
                     e->count == 1 ? "" : "s", (char *)e->value, g, score);
        else
            snprintf(msg, sizeof msg, "field '%s' is in the data but not mapped (%lld record%s, "
                     "first at %s)", e->key, e->count, e->count == 1 ? "" : "s", (char *)e->value);
        add(arr, "unmapped", e->key, e->count, msg);
        if (g != NULL) {
            cJSON *last = cJSON_GetArrayItem(arr, cJSON_GetArraySize(arr) - 1);
            cJSON_AddStringToObject(last, "guess", g);
            cJSON_AddNumberToObject(last, "score", (double)((long)(score * 100 + 0.5)) / 100);
        }
    }
    for (size_t i = 0; i < nmissing; i++) {
        snprintf(msg, sizeof msg, "mapped field '%s' was in no record", missing[i]);
        add(arr, "missing", missing[i], -1, msg);
    }
    it = 0;
    while ((e = strmap_next(&d->unreadable, &it)) != NULL) {
        snprintf(msg, sizeof msg, "field '%s': %lld %s could not be read and %s stored as "
                 "NULL: %s", e->key, e->count, e->count == 1 ? "value" : "values",
                 e->count == 1 ? "was" : "were", (char *)e->value);
        add(arr, "unreadable", e->key, e->count, msg);
    }
    return arr;
}
