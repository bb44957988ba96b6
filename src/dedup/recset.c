/*
 * recset.c — the matcher's working set: live records with their entity
 * membership, the compared fields already normalised.
 *
 * A full or incremental pass reads every live record with one streamed
 * COPY (SELECT ...) TO STDOUT, decoding rows as they arrive, so memory
 * holds the normalised values (in an arena) and never the result set.
 * Decisions re-cluster a handful of entities and read their records with
 * an ordinary query; both paths share the row handler.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define FIXED_COLS 7 /* id, source, change_seq, entity, live, seq, method */

static const char *const method_names[] = {"", "single", "auto", "exact", "manual"};

const char *member_method_name(int method) { return method_names[method]; }

static int method_parse(const char *s)
{
    for (int i = 1; i < (int)ARRAY_SIZE(method_names); i++)
        if (s != NULL && strcmp(s, method_names[i]) == 0)
            return i;
    return METHOD_NONE;
}

static void recset_grow(struct recset *rs)
{
    uint32_t cap = rs->cap ? rs->cap * 2 : 1024;

    rs->id = xreallocarray(rs->id, cap, sizeof *rs->id);
    rs->source = xreallocarray(rs->source, cap, sizeof *rs->source);
    rs->change_seq = xreallocarray(rs->change_seq, cap, sizeof *rs->change_seq);
    rs->entity = xreallocarray(rs->entity, cap, sizeof *rs->entity);
    rs->member_seq = xreallocarray(rs->member_seq, cap, sizeof *rs->member_seq);
    rs->member_live = xreallocarray(rs->member_live, cap, sizeof *rs->member_live);
    rs->method = xreallocarray(rs->method, cap, sizeof *rs->method);
    rs->val = xreallocarray(rs->val, (size_t)cap * (size_t)rs->ncols, sizeof *rs->val);
    rs->title = xreallocarray(rs->title, cap, sizeof *rs->title);
    rs->nfilled = xreallocarray(rs->nfilled, cap, sizeof *rs->nfilled);
    rs->fp = xreallocarray(rs->fp, cap, sizeof *rs->fp);
    rs->cap = cap;
}

static uint16_t source_index(struct recset *rs, const struct match_plan *p, const char *name)
{
    for (uint16_t i = 0; i < rs->nsources; i++)
        if (strcmp(rs->sources[i], name) == 0)
            return i;
    if (rs->nsources == ARRAY_SIZE(rs->sources))
        return (uint16_t)(rs->nsources - 1); /* absurdly many sources: share the last slot */
    const struct source_cfg *src = config_source(p->cfg, name);
    rs->sources[rs->nsources] = xstrdup(name);
    rs->source_unique[rs->nsources] = src != NULL && src->unique;
    return rs->nsources++;
}

static uint64_t fingerprint(const struct match_plan *p, const struct recset *rs, uint32_t i)
{
    uint64_t h = 0;

    if (p->nkeys == 0)
        return 0;
    for (int k = 0; k < p->nkeys; k++) {
        const char *v = rs_val(rs, i, p->key_cols[k]);
        if (v == NULL)
            return 0;
        h = dedup_hash(v, strlen(v), h + (uint64_t)k);
    }
    return h | 1;
}

/* One row: vals[FIXED_COLS + ncols], NULL for SQL NULL. */
static void recset_add(struct recset *rs, const struct match_plan *p, char **vals,
                       struct buf *scratch)
{
    uint32_t i = rs->n;
    long long ll;

    if (rs->n == rs->cap)
        recset_grow(rs);
    rs->id[i] = parse_ll(vals[0], &ll) ? ll : 0;
    rs->source[i] = source_index(rs, p, vals[1] ? vals[1] : "");
    rs->change_seq[i] = parse_ll(vals[2], &ll) ? ll : 0;
    rs->entity[i] = vals[3] && parse_ll(vals[3], &ll) ? ll : 0;
    rs->member_live[i] = vals[4] != NULL && vals[4][0] == 't';
    rs->member_seq[i] = vals[5] && parse_ll(vals[5], &ll) ? ll : -1;
    rs->method[i] = (uint8_t)method_parse(vals[6]);
    rs->nfilled[i] = 0;
    for (int c = 0; c < p->ncols; c++) {
        const char *v = vals[FIXED_COLS + c];
        const char **slot = &rs->val[(size_t)i * (size_t)rs->ncols + (size_t)c];
        *slot = NULL;
        if (v == NULL)
            continue;
        buf_reset(scratch);
        if (p->col_url[c])
            dedup_url_normalize_into(scratch, v, p->cfg->match.tracking);
        else if (p->col_text[c])
            dedup_normalize_into(scratch, v, strlen(v));
        else
            buf_adds(scratch, v); /* numbers and times as the database prints them */
        if (scratch->len > 0) {
            *slot = arena_strndup(&rs->arena, scratch->data, scratch->len);
            rs->nfilled[i]++;
        }
    }
    const char *t = NULL; /* as match_plan_label_sql: the first value not empty */
    for (int k = 0; k < p->nlabels && (t == NULL || *t == '\0'); k++)
        t = vals[FIXED_COLS + p->label_cols[k]];
    rs->title[i] = t != NULL && *t != '\0' ? arena_strndup(&rs->arena, t, strlen(t)) : NULL;
    rs->n++;
    rs->fp[i] = fingerprint(p, rs, i);
}

static void select_list(struct db *db, const struct match_plan *p, struct buf *sql)
{
    buf_adds(sql, "SELECT r.id, r.source, r.change_seq, m.entity_id, m.live, m.seq, m.method");
    for (int c = 0; c < p->ncols; c++) {
        char *col = db_field_sql(db, config_field(p->cfg, p->cols[c]), "r");
        buf_printf(sql, ", %s::text", col);
        free(col);
    }
    buf_adds(sql, " FROM kasparro.records r LEFT JOIN kasparro.entity_members m "
                  "ON m.record_id = r.id WHERE NOT r.is_deleted");
}

/* Decodes one COPY text-format line in place into vals (NULL for \N). */
static int copy_decode(char *line, int len, char **vals, int nvals)
{
    int n = 0;
    char *out = line, *start = line;

    if (len > 0 && line[len - 1] == '\n')
        len--;
    for (int i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            *out++ = '\0';
            if (n < nvals)
                vals[n++] = strcmp(start, "\\N") == 0 ? NULL : start;
            start = out;
        } else if (line[i] == '\\' && i + 1 < len && line[i + 1] != 'N') {
            char c = line[++i];
            *out++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'b' ? '\b'
                   : c == 'f' ? '\f' : c == 'v' ? '\v' : c;
        } else {
            *out++ = line[i];
        }
    }
    return n;
}

static void recset_setup(struct recset *rs, const struct match_plan *p)
{
    memset(rs, 0, sizeof *rs);
    rs->ncols = p->ncols;
}

int recset_load_live(struct db *db, const struct match_plan *p, struct recset *rs,
                     struct err *err)
{
    struct buf sql = BUF_INIT, scratch = BUF_INIT;
    char *vals[FIXED_COLS + PLAN_MAX_COLS], *line = NULL;
    int nvals = FIXED_COLS + p->ncols, len;
    PGresult *r;

    recset_setup(rs, p);
    buf_adds(&sql, "COPY (");
    select_list(db, p, &sql);
    /* In id order, so that the same records give the same sample, the same
     * neighbours in big blocks and so the same result, run after run. */
    buf_adds(&sql, " ORDER BY r.id) TO STDOUT");
    r = PQexec(db->conn, sql.data);
    buf_free(&sql);
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        db_error(db, r, err);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    while ((len = PQgetCopyData(db->conn, &line, 0)) > 0) {
        if (copy_decode(line, len, vals, nvals) == nvals)
            recset_add(rs, p, vals, &scratch);
        PQfreemem(line);
    }
    buf_free(&scratch);
    r = PQgetResult(db->conn);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK && len == -1 ? 0 : db_error(db, r, err);
    PQclear(r);
    while ((r = PQgetResult(db->conn)) != NULL)
        PQclear(r);
    return rc;
}

void ids_array_text(struct buf *out, const int64_t *ids, size_t n)
{
    buf_addc(out, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_addc(out, '}');
}

int recset_load_ids(struct db *db, const struct match_plan *p, const int64_t *ids, size_t n,
                    struct recset *rs, struct err *err)
{
    struct buf sql = BUF_INIT, arr = BUF_INIT, scratch = BUF_INIT;
    char *vals[FIXED_COLS + PLAN_MAX_COLS];
    PGresult *r;

    recset_setup(rs, p);
    select_list(db, p, &sql);
    buf_adds(&sql, " AND r.id = ANY($1::bigint[]) ORDER BY r.id");
    ids_array_text(&arr, ids, n);
    r = db_exec(db, err, sql.data, DB_PARAMS(arr.data));
    buf_free(&sql);
    buf_free(&arr);
    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        for (int c = 0; c < FIXED_COLS + p->ncols; c++)
            vals[c] = PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
        recset_add(rs, p, vals, &scratch);
    }
    PQclear(r);
    buf_free(&scratch);
    return 0;
}

void recset_free(struct recset *rs)
{
    free(rs->id);
    free(rs->source);
    free(rs->change_seq);
    free(rs->entity);
    free(rs->member_seq);
    free(rs->member_live);
    free(rs->method);
    free(rs->val);
    free(rs->tv);
    free(rs->title);
    free(rs->nfilled);
    free(rs->fp);
    for (uint16_t i = 0; i < rs->nsources; i++)
        free(rs->sources[i]);
    arena_free(&rs->arena);
    memset(rs, 0, sizeof *rs);
}
