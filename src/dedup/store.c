/*
 * store.c — writing a solved working set back: memberships, new entities
 * with their keys, and the title, canonical record and size of every entity
 * whose membership changed.
 *
 * Everything goes in set-based: rows are streamed with COPY into temporary
 * tables (dropped at commit) and merged with one statement each, so a full
 * pass over a million records costs a few statements, not a million. New
 * entity ids are reserved in one step from the entities sequence (only
 * dedup writers, serialised by dedup_lock, insert entities); keys are
 * "slug-NNN", the number per slug kept in entity_slugs and handed out with
 * one upsert ... RETURNING.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/copy.h"
#include "kasparro/dedup_internal.h"

int dedup_lock(struct db *db, struct err *err) { return db_xact_lock(db, DB_LOCK_DEDUP, err); }

int dedup_temp_table(struct db *db, const char *name, const char *columns, struct err *err)
{
    char *ident = db_quote_ident(db, name);
    char *sql = xasprintf("CREATE TEMP TABLE IF NOT EXISTS %s (%s) ON COMMIT DROP; "
                          "TRUNCATE %s", ident, columns, ident);
    PGresult *r = PQexec(db->conn, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : db_error(db, r, err);

    PQclear(r);
    free(sql);
    free(ident);
    return rc;
}

int dedup_copy_begin(struct db *db, struct copy_writer *w, const char *table,
                     const char *columns, const char *stage, const char *stage_columns,
                     struct err *err)
{
    char *sql = xasprintf("SELECT NOT EXISTS (SELECT 1 FROM %s)", table);
    PGresult *r = db_exec(db, err, sql, 0, NULL);
    free(sql);
    if (r == NULL)
        return -1;
    bool empty = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!empty && dedup_temp_table(db, stage, stage_columns, err) < 0)
        return -1;
    sql = xasprintf("COPY %s (%s) FROM STDIN", empty ? table : stage, columns);
    int rc = copy_begin(w, db, sql, err);
    free(sql);
    return rc < 0 ? -1 : empty;
}

static const char *sql_retire =
    "WITH gone AS (UPDATE kasparro.entity_members m SET live = false, seq = r.change_seq, "
    "updated_at = now() FROM kasparro.records r "
    "WHERE r.id = m.record_id AND r.is_deleted AND m.live RETURNING m.entity_id) "
    "SELECT DISTINCT entity_id FROM gone";

int store_retire_deleted(struct db *db, int64_t **entities, size_t *n, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_retire, 0, NULL);

    *entities = NULL;
    *n = 0;
    if (r == NULL)
        return -1;
    *n = (size_t)PQntuples(r);
    *entities = xmalloc((*n ? *n : 1) * sizeof **entities);
    for (size_t i = 0; i < *n; i++)
        (*entities)[i] = db_ll(r, (int)i, 0);
    PQclear(r);
    return 0;
}

/* Per entity of the working set: size and canonical record. */
struct ent {
    int64_t id;
    uint32_t size;
    uint32_t best;   /* node of the canonical record */
    bool touched;
    bool is_new;
};

struct ents {
    struct ent *e;
    size_t n, cap;
    struct idmap map;
};

static struct ent *ent_get(struct ents *es, int64_t id, bool add)
{
    uint32_t k;

    if (idmap_get(&es->map, id, &k))
        return &es->e[k];
    if (!add)
        return NULL;
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 256;
        es->e = xreallocarray(es->e, es->cap, sizeof *es->e);
    }
    es->e[es->n] = (struct ent){id, 0, UINT32_MAX, false, false};
    idmap_put(&es->map, id, (uint32_t)es->n);
    return &es->e[es->n++];
}

/* More filled fields first, then the oldest record. */
static bool better(const struct recset *rs, uint32_t a, uint32_t b)
{
    if (b == UINT32_MAX)
        return true;
    if (rs->nfilled[a] != rs->nfilled[b])
        return rs->nfilled[a] > rs->nfilled[b];
    return rs->id[a] < rs->id[b];
}

static bool moved(const struct solve *s, uint32_t i)
{
    const struct recset *rs = s->rs;
    return s->assigned[i] != rs->entity[i] || !rs->member_live[i] ||
           rs->member_seq[i] != rs->change_seq[i] || s->method[i] != rs->method[i];
}

/* Gives the new components ids from one reservation of the sequence. */
static int reserve_ids(struct db *db, struct solve *s, int64_t *first_new, struct err *err)
{
    struct recset *rs = s->rs;
    int64_t *newid = xcalloc(rs->n ? rs->n : 1, sizeof *newid);
    long long count = 0;
    char text[32];

    for (uint32_t i = 0; i < rs->n; i++)
        if (s->assigned[i] < 0 && newid[-s->assigned[i] - 1] == 0)
            newid[-s->assigned[i] - 1] = ++count;
    *first_new = INT64_MAX;
    if (count > 0) {
        snprintf(text, sizeof text, "%lld", count);
        PGresult *r = db_exec(db, err, "SELECT setval('kasparro.entities_id_seq', "
                              "nextval('kasparro.entities_id_seq') + $1::bigint - 1)",
                              DB_PARAMS(text));
        if (r == NULL) {
            free(newid);
            return -1;
        }
        *first_new = db_ll(r, 0, 0) - count + 1;
        PQclear(r);
    }
    for (uint32_t i = 0; i < rs->n; i++)
        if (s->assigned[i] < 0)
            s->assigned[i] = *first_new + newid[-s->assigned[i] - 1] - 1;
    s->new_entities = (size_t)count;
    free(newid);
    return 0;
}

static void collect(struct solve *s, int64_t first_new, const int64_t *extra, size_t nextra,
                    struct ents *es)
{
    const struct recset *rs = s->rs;

    idmap_init(&es->map, rs->n / 2 + nextra + 16);
    for (uint32_t i = 0; i < rs->n; i++) {
        struct ent *e = ent_get(es, s->assigned[i], true);
        e->size++;
        if (better(rs, i, e->best))
            e->best = i;
        e->is_new = s->assigned[i] >= first_new;
    }
    for (uint32_t i = 0; i < rs->n; i++) {
        if (!moved(s, i))
            continue;
        ent_get(es, s->assigned[i], true)->touched = true;
        if (rs->entity[i] != 0)
            ent_get(es, rs->entity[i], true)->touched = true;
    }
    for (size_t k = 0; k < nextra; k++)
        ent_get(es, extra[k], true)->touched = true;
}

static int write_members(struct db *db, struct solve *s, struct store_stats *st, struct err *err)
{
    const struct recset *rs = s->rs;
    struct copy_writer w;
    char conf[16];

    int direct = dedup_copy_begin(db, &w, "kasparro.entity_members",
                                  "record_id, entity_id, method, confidence, seq", "dedup_members",
                                  "record_id bigint, entity_id bigint, method text, "
                                  "confidence real, seq bigint", err);
    if (direct < 0)
        return -1;
    for (uint32_t i = 0; i < rs->n; i++) {
        if (!moved(s, i))
            continue;
        copy_field_ll(&w, rs->id[i]);
        copy_field_ll(&w, s->assigned[i]);
        copy_fields(&w, member_method_name(s->method[i]));
        snprintf(conf, sizeof conf, "%.4f", s->confidence[i]);
        copy_fields(&w, conf);
        copy_field_ll(&w, rs->change_seq[i]);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
        st->members_written++;
    }
    if (copy_end(&w, err) < 0)
        return -1;
    if (direct)
        return 0;
    return db_run(db, err,
                  "INSERT INTO kasparro.entity_members AS m (record_id, entity_id, method, "
                  "confidence, live, seq) SELECT record_id, entity_id, method, confidence, true, "
                  "seq FROM dedup_members ON CONFLICT (record_id) DO UPDATE SET "
                  "entity_id = excluded.entity_id, method = excluded.method, "
                  "confidence = excluded.confidence, live = true, seq = excluded.seq, "
                  "updated_at = now()", 0, NULL);
}

/* Slug -> next free number, for the new entities' keys. */
struct slugs {
    char **name;
    int *count, *next;
    size_t n, cap;
    struct idmap map;
};

static int64_t slug_key(const char *slug)
{
    return (int64_t)(dedup_hash(slug, strlen(slug), 7) >> 1) | 1;
}

static int slug_index(struct slugs *sl, const char *slug)
{
    uint32_t k;

    if (idmap_get(&sl->map, slug_key(slug), &k))
        return (int)k;
    if (sl->n == sl->cap) {
        sl->cap = sl->cap ? sl->cap * 2 : 256;
        sl->name = xreallocarray(sl->name, sl->cap, sizeof *sl->name);
        sl->count = xreallocarray(sl->count, sl->cap, sizeof *sl->count);
        sl->next = xreallocarray(sl->next, sl->cap, sizeof *sl->next);
    }
    sl->name[sl->n] = xstrdup(slug);
    sl->count[sl->n] = sl->next[sl->n] = 0;
    idmap_put(&sl->map, slug_key(slug), (uint32_t)sl->n);
    return (int)sl->n++;
}

static void slugs_free(struct slugs *sl)
{
    for (size_t i = 0; i < sl->n; i++)
        free(sl->name[i]);
    free(sl->name);
    free(sl->count);
    free(sl->next);
    idmap_free(&sl->map);
}

/* Counts new entities per slug, reserves the numbers, returns per slug the
 * first number to use in sl->next. */
static int reserve_slugs(struct db *db, struct slugs *sl, struct err *err)
{
    struct copy_writer w;
    char num[16];

    if (dedup_temp_table(db, "dedup_slugs", "slug text, n integer", err) < 0 ||
        copy_begin(&w, db, "COPY dedup_slugs FROM STDIN", err) < 0)
        return -1;
    for (size_t i = 0; i < sl->n; i++) {
        copy_fields(&w, sl->name[i]);
        snprintf(num, sizeof num, "%d", sl->count[i]);
        copy_fields(&w, num);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
    }
    if (copy_end(&w, err) < 0)
        return -1;
    PGresult *r = db_exec(db, err,
                          "INSERT INTO kasparro.entity_slugs AS s (slug, last) "
                          "SELECT slug, n FROM dedup_slugs ON CONFLICT (slug) DO UPDATE "
                          "SET last = s.last + excluded.last RETURNING slug, last", 0, NULL);
    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        int k = slug_index(sl, PQgetvalue(r, i, 0));
        sl->next[k] = (int)db_ll(r, i, 1) - sl->count[k] + 1;
    }
    PQclear(r);
    return 0;
}

static int write_new_entities(struct db *db, const struct solve *s, struct ents *es,
                              struct store_stats *st, struct err *err)
{
    const struct recset *rs = s->rs;
    struct slugs sl = {0};
    struct copy_writer w;
    int *slug_of = xmalloc((es->n ? es->n : 1) * sizeof *slug_of);
    int rc = -1;

    idmap_init(&sl.map, es->n + 16);
    for (size_t k = 0; k < es->n; k++) {
        slug_of[k] = -1;
        if (!es->e[k].is_new)
            continue;
        char *slug = dedup_slug(rs->title[es->e[k].best], 4);
        slug_of[k] = slug_index(&sl, slug);
        sl.count[slug_of[k]]++;
        free(slug);
    }
    if (sl.n > 0 && reserve_slugs(db, &sl, err) < 0)
        goto out;
    if (copy_begin(&w, db, "COPY kasparro.entities (id, key, title, display_record, size) "
                   "FROM STDIN", err) < 0)
        goto out;
    for (size_t k = 0; k < es->n; k++) {
        const struct ent *e = &es->e[k];
        char key[128];
        if (!e->is_new)
            continue;
        snprintf(key, sizeof key, "%s-%03d", sl.name[slug_of[k]], sl.next[slug_of[k]]++);
        copy_field_ll(&w, e->id);
        copy_fields(&w, key);
        copy_fields(&w, rs->title[e->best]);
        copy_field_ll(&w, rs->id[e->best]);
        copy_field_ll(&w, e->size);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            goto out;
        }
        st->entities_created++;
    }
    rc = copy_end(&w, err);
out:
    free(slug_of);
    slugs_free(&sl);
    return rc;
}

static int write_touched(struct db *db, const struct solve *s, struct ents *es,
                         struct store_stats *st, struct err *err)
{
    const struct recset *rs = s->rs;
    struct copy_writer w;
    struct buf emptied = BUF_INIT;
    size_t nempty = 0;

    if (dedup_temp_table(db, "dedup_entities", "id bigint, title text, display_record bigint, "
                         "size integer", err) < 0 ||
        copy_begin(&w, db, "COPY dedup_entities FROM STDIN", err) < 0)
        return -1;
    buf_addc(&emptied, '{');
    for (size_t k = 0; k < es->n; k++) {
        const struct ent *e = &es->e[k];
        if (!e->touched || e->is_new)
            continue;
        if (e->size == 0) {
            buf_printf(&emptied, "%s%lld", nempty++ ? "," : "", (long long)e->id);
            continue;
        }
        copy_field_ll(&w, e->id);
        copy_fields(&w, rs->title[e->best]);
        copy_field_ll(&w, rs->id[e->best]);
        copy_field_ll(&w, e->size);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            buf_free(&emptied);
            return -1;
        }
        st->entities_updated++;
    }
    buf_addc(&emptied, '}');
    st->entities_emptied += (long long)nempty;
    int rc = copy_end(&w, err);
    if (rc == 0)
        rc = db_run(db, err,
                    "UPDATE kasparro.entities e SET title = t.title, display_record = "
                    "t.display_record, size = t.size, updated_at = now(), deleted_at = NULL "
                    "FROM dedup_entities t WHERE e.id = t.id", 0, NULL);
    if (rc == 0 && nempty > 0)
        rc = db_run(db, err,
                    "UPDATE kasparro.entities SET size = 0, updated_at = now(), "
                    "deleted_at = coalesce(deleted_at, now()) WHERE id = ANY($1::bigint[])",
                    DB_PARAMS(emptied.data));
    buf_free(&emptied);
    return rc;
}

int store_solution(struct db *db, const struct match_plan *p, struct solve *s,
                   const int64_t *extra, size_t nextra, struct store_stats *st,
                   struct err *err)
{
    struct ents es = {0};
    int64_t first_new;
    int rc;

    (void)p;
    if (reserve_ids(db, s, &first_new, err) < 0)
        return -1;
    /* entities whose members all left are touched too: their old ids are
     * in rs->entity of moved nodes; entities of the working set with no
     * node left keep size 0 in `es` */
    collect(s, first_new, extra, nextra, &es);
    for (size_t k = 0; k < es.n; k++)
        if (es.e[k].size == 0)
            es.e[k].is_new = false;
    rc = write_members(db, s, st, err);
    if (rc == 0)
        rc = write_new_entities(db, s, &es, st, err);
    if (rc == 0)
        rc = write_touched(db, s, &es, st, err);
    free(es.e);
    idmap_free(&es.map);
    return rc;
}

/* Pending pairs whose records share an entity: settled — but for the
 * automatic merges listed for an operator to confirm, which share one by
 * being merged. The pair keeps
 * the latest approval inside that entity (decision_id; none when the model
 * alone made it), so undoing an approval finds the pairs its entity settled
 * for a later pass, which nothing else tells from the pairs old passes
 * superseded (undo.c opens them and its re-clustering settles again those
 * still in one entity). */
static const char *sql_supersede_settled =
    "UPDATE kasparro.match_candidates c SET status = 'superseded', updated_at = now(), "
    "decision_id = (SELECT max(l.decision_id) FROM kasparro.entity_members m "
    "  JOIN kasparro.links l ON l.kind = 'must' AND l.rec_a = m.record_id "
    "  JOIN kasparro.entity_members n ON n.record_id = l.rec_b AND n.live "
    "  AND n.entity_id = a.entity_id WHERE m.entity_id = a.entity_id AND m.live) "
    "FROM kasparro.entity_members a, kasparro.entity_members b "
    "WHERE c.status = 'pending' AND a.record_id = c.rec_a AND b.record_id = c.rec_b "
    "AND a.entity_id = b.entity_id AND a.live AND b.live "
    "AND NOT c.to_confirm";
static const char *sql_supersede_all =
    "UPDATE kasparro.match_candidates SET status = 'superseded', to_confirm = false "
    "WHERE status IN ('pending', 'auto') AND updated_at < now()";
static const char *sql_supersede_changed =
    "UPDATE kasparro.match_candidates c SET status = 'superseded', to_confirm = false "
    "WHERE status IN ('pending', 'auto') AND updated_at < now() AND "
    "(rec_a IN (SELECT id FROM dedup_changed) OR rec_b IN (SELECT id FROM dedup_changed))";

/* Pending pairs one-to-one rules out: a record of the pair is joined by
 * an operator's approval (a must-link) to another live record of the other
 * record's source, a unique one ($1): the pair is no match unless that
 * approval was wrong, and undoing it opens the pair again. The pair keeps
 * the approval's id (decision_id; the latest when several rule it out):
 * decide.c's list of what a decision settled cannot name a rival a later
 * pass finds, and the undo opens both (undo.c; its re-clustering settles
 * again a pair another approval still rules out). A pair that lost only
 * to the model's own merge stays queued: the model may be the one that is
 * wrong. */
static const char *sql_supersede_rivals =
    "UPDATE kasparro.match_candidates c SET status = 'superseded', updated_at = now(), "
    "decision_id = w.decision_id FROM kasparro.records x, kasparro.records y, LATERAL "
    "(SELECT max(l.decision_id) AS decision_id FROM (VALUES (x.id, y.id, y.source), "
    "(y.id, x.id, x.source)) s(me, them, src) JOIN kasparro.links l ON l.kind = 'must' "
    "AND s.me IN (l.rec_a, l.rec_b) JOIN kasparro.records z ON z.id = l.rec_a + l.rec_b - s.me "
    "WHERE s.src = ANY($1::text[]) AND z.source = s.src AND z.id <> s.them "
    "AND NOT z.is_deleted) w "
    "WHERE c.status = 'pending' AND x.id = c.rec_a AND y.id = c.rec_b AND x.source <> y.source "
    "AND w.decision_id IS NOT NULL";

static int run_count(struct db *db, const char *sql, long long *n, struct err *err)
{
    PGresult *r = db_exec(db, err, sql, 0, NULL);

    if (r == NULL)
        return -1;
    *n += atoll(PQcmdTuples(r));
    PQclear(r);
    return 0;
}

/* The unique sources as a text[] literal; NULL when there are none. */
static char *unique_sources(const struct config *cfg)
{
    struct buf b = BUF_INIT;

    for (size_t i = 0; i < cfg->nsources; i++)
        if (cfg->sources[i].unique)
            buf_printf(&b, "%s\"%s\"", b.len ? "," : "{", cfg->sources[i].name);
    if (b.len == 0)
        return NULL;
    buf_addc(&b, '}');
    return buf_detach(&b);
}

int store_supersede_settled(struct db *db, const struct config *cfg, long long *n,
                            struct err *err)
{
    char *unique = unique_sources(cfg);
    PGresult *r = NULL;
    int rc = run_count(db, sql_supersede_settled, n, err);

    if (rc == 0 && unique != NULL) {
        r = db_exec(db, err, sql_supersede_rivals, DB_PARAMS(unique));
        rc = r == NULL ? -1 : 0;
        *n += r ? atoll(PQcmdTuples(r)) : 0;
    }
    PQclear(r);
    free(unique);
    return rc;
}

int store_supersede(struct db *db, const struct config *cfg, bool all, long long *n,
                    struct err *err)
{
    *n = 0;
    if (run_count(db, all ? sql_supersede_all : sql_supersede_changed, n, err) < 0)
        return -1;
    return store_supersede_settled(db, cfg, n, err);
}

/* What the queue holds beside an incremental pass's own pairs, for the
 * review budget's room (budget.c): the pending pairs of records the pass
 * does not re-decide (it writes or supersedes those of the others,
 * dedup_changed), the automatic merges listed to confirm among them, and
 * every pair an operator decided, whose review is spent. Both records
 * live, as `queue` counts them. */
static const char *sql_queue_beside =
    "SELECT count(*) FILTER (WHERE c.status = 'pending' "
    "AND c.rec_a NOT IN (SELECT id FROM dedup_changed) "
    "AND c.rec_b NOT IN (SELECT id FROM dedup_changed)), "
    "count(*) FILTER (WHERE c.status IN ('approved', 'rejected')) "
    "FROM kasparro.match_candidates c WHERE c.status IN ('pending', 'approved', 'rejected') "
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_a AND NOT r.is_deleted) "
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_b AND NOT r.is_deleted)";

int store_queue_beside(struct db *db, size_t *queued, size_t *decided, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_queue_beside, 0, NULL);

    if (r == NULL)
        return -1;
    *queued = (size_t)db_ll(r, 0, 0);
    *decided = (size_t)db_ll(r, 0, 1);
    PQclear(r);
    return 0;
}
