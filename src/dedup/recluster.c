/*
 * recluster.c — re-deciding a few entities after an operator decision.
 *
 * A decision changes the constraints between records of one or two
 * entities; their live members are loaded, every record starts alone, and
 * the evidence already stored is replayed: approved and automatic
 * candidates among them (those listed for an operator to confirm too, by
 * their to_confirm column), equal fingerprints, must- and cannot-links.
 * An automatic candidate that now crosses a cannot-link goes back to the
 * queue, no longer merged. Ids follow the majority, or a preferred assignment (an undo passes
 * the memberships from before the decision it reverts), so an undone
 * decision restores ids and keys exactly, emptied entities included.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

static const char *sql_members =
    "SELECT record_id FROM kasparro.entity_members WHERE entity_id = ANY($1::bigint[]) AND live";
static const char *sql_edges =
    "SELECT id, rec_a, rec_b, probability, status, weight FROM kasparro.match_candidates "
    "WHERE rec_a = ANY($1::bigint[]) AND rec_b = ANY($1::bigint[]) "
    "AND (status IN ('auto', 'approved') OR (status = 'pending' AND to_confirm))";
static const char *sql_requeue =
    "UPDATE kasparro.match_candidates SET status = 'pending', updated_at = now(), "
    "note = '" DEDUP_NOTE_CANNOT "', to_confirm = false "
    "WHERE id = ANY($1::bigint[]) AND (status = 'auto' OR (status = 'pending' AND to_confirm))";

static int member_ids(struct db *db, const int64_t *entities, size_t n, const int64_t *extra,
                      size_t nextra, int64_t **ids, size_t *nids, struct err *err)
{
    struct buf arr = BUF_INIT;
    PGresult *r;

    ids_array_text(&arr, entities, n);
    r = db_exec(db, err, sql_members, DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return -1;
    *nids = 0;
    *ids = xmalloc(((size_t)PQntuples(r) + nextra + 1) * sizeof **ids);
    for (int i = 0; i < PQntuples(r); i++)
        (*ids)[(*nids)++] = db_ll(r, i, 0);
    for (size_t i = 0; i < nextra; i++)
        (*ids)[(*nids)++] = extra[i];
    PQclear(r);
    return 0;
}

/* Automatic and approved candidates among the working set become edges. */
static int load_edges(struct db *db, struct solve *s, struct idmap *map, int64_t **cand,
                      struct err *err)
{
    struct buf arr = BUF_INIT;
    PGresult *r;

    ids_array_text(&arr, s->rs->id, s->rs->n);
    r = db_exec(db, err, sql_edges, DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return -1;
    *cand = xmalloc(((size_t)PQntuples(r) + 1) * sizeof **cand);
    for (int i = 0; i < PQntuples(r); i++) {
        uint32_t a, b;
        (*cand)[i] = db_ll(r, i, 0);
        if (!idmap_get(map, db_ll(r, i, 1), &a) || !idmap_get(map, db_ll(r, i, 2), &b))
            continue;
        bool approved = strcmp(PQgetvalue(r, i, 4), "approved") == 0;
        solve_edge(s, a, b, (float)db_double(r, i, 3), db_double(r, i, 5),
                   approved ? EDGE_MUST : EDGE_AUTO, (uint32_t)i);
    }
    PQclear(r);
    return 0;
}

static int requeue_refused(struct db *db, const struct solve *s, const int64_t *cand,
                           struct err *err)
{
    struct buf arr = BUF_INIT;
    size_t n = 0;
    int rc = 0;

    buf_addc(&arr, '{');
    for (size_t i = 0; i < s->nedges; i++)
        if (s->edges[i].refused && s->edges[i].tag != UINT32_MAX)
            buf_printf(&arr, "%s%lld", n++ ? "," : "", (long long)cand[s->edges[i].tag]);
    buf_addc(&arr, '}');
    if (n > 0)
        rc = db_run(db, err, sql_requeue, DB_PARAMS(arr.data));
    buf_free(&arr);
    return rc;
}

int recluster(struct db *db, const struct config *cfg, const int64_t *entities, size_t n,
              const int64_t *records, size_t nrecords, const struct preferred *pref,
              struct err *err)
{
    struct match_plan plan;
    struct recset rs = {0};
    struct solve s = {0};
    struct idmap map = {0};
    struct store_stats st = {0};
    int64_t *ids = NULL, *cand = NULL;
    size_t nids;
    long long superseded;
    int rc = -1;

    if (match_plan_init(&plan, cfg, err) < 0 ||
        member_ids(db, entities, n, records, nrecords, &ids, &nids, err) < 0 ||
        recset_load_ids(db, &plan, ids, nids, &rs, err) < 0)
        goto out;
    solve_init(&s, &rs);
    memset(s.changed, 1, rs.n);
    idmap_init(&map, rs.n);
    for (uint32_t i = 0; i < rs.n; i++)
        idmap_put(&map, rs.id[i], i);
    s.want = xmalloc((rs.n ? rs.n : 1) * sizeof *s.want);
    for (uint32_t i = 0; i < rs.n; i++) {
        uint32_t k;
        s.want[i] = pref && idmap_get(&pref->map, rs.id[i], &k) ? pref->entity[k] : rs.entity[i];
    }
    if (load_edges(db, &s, &map, &cand, err) < 0 || solve_load_links(&s, db, &map, err) < 0)
        goto out;
    solve_exact_edges(&s, cfg->match.within_source);
    solve_run(&s);
    if (requeue_refused(db, &s, cand, err) < 0 ||
        store_solution(db, &plan, &s, entities, n, &st, err) < 0 ||
        store_supersede_settled(db, cfg, &superseded, err) < 0)
        goto out;
    rc = 0;
out:
    free(ids);
    free(cand);
    if (map.keys)
        idmap_free(&map);
    solve_free(&s);
    recset_free(&rs);
    return rc;
}
