/*
 * labels.c — operators' decisions as labels for a matching pass.
 *
 * Every must-link (an approval) says "these two are one thing", every
 * cannot-link (a rejection, a split) "these two are not"; kasparro.links
 * holds the ones in force (an undo removes its links). A pass reads them
 * once: the model learns from them (model.c), and one-to-one counts a
 * labelled pair as certain when it weighs its rivals (onetoone.c), so an
 * approval takes the rivals of its pair out of the running and a rejection
 * leaves the field to the others.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

static const char *sql_labels =
    "SELECT rec_a, rec_b, kind = 'must', decision_id FROM kasparro.links";

long labels_find_pair(const uint64_t *pairs, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pairs[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && pairs[lo] == key ? (long)lo : -1;
}

int labels_load(struct db *db, const struct recset *rs, const uint64_t *pairs, size_t npairs,
                struct labels *l, struct err *err)
{
    struct idmap ids;
    PGresult *r = db_exec(db, err, sql_labels, 0, NULL);

    memset(l, 0, sizeof *l);
    if (r == NULL)
        return -1;
    l->of_pair = xmalloc(npairs ? npairs : 1);
    memset(l->of_pair, -1, npairs);
    l->extra = xmalloc(((size_t)PQntuples(r) + 1) * sizeof *l->extra);
    l->extra_label = xmalloc((size_t)PQntuples(r) + 1);
    idmap_init(&ids, rs->n);
    for (uint32_t i = 0; i < rs->n; i++)
        idmap_put(&ids, rs->id[i], i);
    for (int i = 0; i < PQntuples(r); i++) {
        uint32_t a, b;
        int8_t label = PQgetvalue(r, i, 2)[0] == 't';
        l->count++;
        if (db_ll(r, i, 3) > l->mark)
            l->mark = db_ll(r, i, 3);
        if (!idmap_get(&ids, db_ll(r, i, 0), &a) || !idmap_get(&ids, db_ll(r, i, 1), &b))
            continue; /* a record that is deleted now */
        uint64_t key = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
        long k = labels_find_pair(pairs, npairs, key);
        if (k >= 0) {
            l->of_pair[k] = label;
        } else {
            l->extra[l->nextra] = key;
            l->extra_label[l->nextra++] = label;
        }
    }
    PQclear(r);
    idmap_free(&ids);
    return 0;
}

void labels_free(struct labels *l)
{
    free(l->of_pair);
    free(l->extra);
    free(l->extra_label);
    memset(l, 0, sizeof *l);
}
