/*
 * view_apart.c — why records are kept apart: the cannot-links (links of
 * kind 'cannot') that an operator's rejection or split left, each with the
 * decision that left it (its action, who, when, why). A pair whose fields
 * say "the same" but that no entity joins is explained by one: show-match
 * says it of a candidate's two records, show-entity of its members and the
 * records they are kept apart from. Both read the links by their primary
 * key or links_b_idx, one probe per record.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"
#include "kasparro/util.h"

#define SQL_APART_COLS                                                                          \
    "l.decision_id, d.action, d.actor, " SQL_UTC_ISO("d.at") ", d.reason "
#define SQL_APART_JOIN "LEFT JOIN kasparro.decisions d ON d.id = l.decision_id "

static const char *sql_pair_apart =
    "SELECT " SQL_APART_COLS "FROM kasparro.links l " SQL_APART_JOIN
    "WHERE l.kind = 'cannot' AND l.rec_a = least($1::bigint, $2::bigint) "
    "AND l.rec_b = greatest($1::bigint, $2::bigint)";

/* The entity's live members, each with the records a cannot-link keeps it
 * from, those records' source, id and live entity. */
static const char *sql_entity_apart =
    "WITH m AS (SELECT record_id FROM kasparro.entity_members WHERE entity_id = $1 AND live), "
    "l AS (SELECT l.*, m.record_id AS member, CASE WHEN l.rec_a = m.record_id THEN l.rec_b "
    "  ELSE l.rec_a END AS other FROM m JOIN kasparro.links l ON l.kind = 'cannot' "
    "  AND (l.rec_a = m.record_id OR l.rec_b = m.record_id)) "
    "SELECT " SQL_APART_COLS ", l.member, l.other, r.source, r.source_id, e.key "
    "FROM l " SQL_APART_JOIN
    "JOIN kasparro.records r ON r.id = l.other "
    "LEFT JOIN kasparro.entity_members om ON om.record_id = l.other AND om.live "
    "LEFT JOIN kasparro.entities e ON e.id = om.entity_id "
    "ORDER BY l.member, l.decision_id, l.other";

const char *dedup_action_done(const char *action)
{
    if (action == NULL)
        return "-";
    return strcmp(action, "reject") == 0 ? "rejected" : strcmp(action, "split") == 0 ? "split"
                                                                                      : action;
}

/* A string member of a kept-apart object, "-" when it has none. */
static const char *apart_str(const cJSON *apart, const char *key)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(apart, key));
    return v != NULL ? v : "-";
}

char *dedup_apart_text(const cJSON *apart, const char *prefix)
{
    long long d = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(apart, "decision"));
    const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(apart, "reason"));

    return xasprintf("kept apart by decision %lld: %s by %s at %s%s%s; '%sundo %lld' lets them be "
                     "matched again", d,
                     dedup_action_done(cJSON_GetStringValue(cJSON_GetObjectItem(apart, "action"))),
                     apart_str(apart, "actor"), apart_str(apart, "at"), reason ? ": " : "",
                     reason ? reason : "", prefix, d);
}

/* The decision's columns (from col 0) into o. */
static void add_decision(cJSON *o, const PGresult *r, int i)
{
    cJSON_AddNumberToObject(o, "decision", (double)db_ll(r, i, 0));
    const char *keys[] = {"action", "actor", "at", "reason"};
    for (int k = 0; k < 4; k++) {
        if (PQgetisnull(r, i, 1 + k))
            cJSON_AddNullToObject(o, keys[k]);
        else
            cJSON_AddStringToObject(o, keys[k], PQgetvalue(r, i, 1 + k));
    }
}

int dedup_pair_apart(struct db *db, long long rec_a, long long rec_b, cJSON **out,
                     struct err *err)
{
    char a[24], b[24];
    PGresult *r = db_exec(db, err, sql_pair_apart,
                          DB_PARAMS(dedup_lltoa(rec_a, a), dedup_lltoa(rec_b, b)));

    if (r == NULL)
        return -1;
    *out = NULL;
    if (PQntuples(r) == 1) {
        *out = cJSON_CreateObject();
        add_decision(*out, r, 0);
    }
    PQclear(r);
    return 0;
}

cJSON *dedup_entity_apart(struct db *db, long long entity, struct err *err)
{
    char id[24];
    PGresult *r = db_exec(db, err, sql_entity_apart, DB_PARAMS(dedup_lltoa(entity, id)));

    if (r == NULL)
        return NULL;
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_CreateObject(), *other = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "record", (double)db_ll(r, i, 5));
        cJSON_AddNumberToObject(other, "id", (double)db_ll(r, i, 6));
        cJSON_AddStringToObject(other, "source", PQgetvalue(r, i, 7));
        cJSON_AddStringToObject(other, "source_id", PQgetvalue(r, i, 8));
        if (PQgetisnull(r, i, 9))
            cJSON_AddNullToObject(other, "entity_key");
        else
            cJSON_AddStringToObject(other, "entity_key", PQgetvalue(r, i, 9));
        cJSON_AddItemToObject(o, "other", other);
        add_decision(o, r, i);
        cJSON_AddItemToArray(list, o);
    }
    PQclear(r);
    return list;
}
