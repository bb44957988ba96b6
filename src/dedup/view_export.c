/*
 * view_export.c — every live record with the entity it belongs to, and the
 * pending queue with both sides' source ids (and whether a pair is an
 * automatic merge listed to confirm): what `kasparro export` writes
 * for people and tools outside kasparro (a benchmark scoring pairs, a
 * warehouse joining on source ids). Rows are streamed, never collected.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"

static const char *sql_records =
    "SELECT r.id AS record, r.source, r.source_id, m.entity_id AS entity, e.key AS entity_key, "
    "m.method, m.confidence, %s AS title FROM kasparro.records r "
    "LEFT JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live "
    "LEFT JOIN kasparro.entities e ON e.id = m.entity_id "
    "WHERE NOT r.is_deleted ORDER BY r.id";

static const char *sql_queue =
    "SELECT c.id AS candidate, c.probability, c.weight, "
    "a.id AS a_record, a.source AS a_source, a.source_id AS a_source_id, "
    "b.id AS b_record, b.source AS b_source, b.source_id AS b_source_id, "
    "%s AS a_title, %s AS b_title, c.to_confirm, c.note "
    "FROM kasparro.match_candidates c "
    "JOIN kasparro.records a ON a.id = c.rec_a AND NOT a.is_deleted "
    "JOIN kasparro.records b ON b.id = c.rec_b AND NOT b.is_deleted "
    "WHERE c.status = 'pending' ORDER BY c.probability DESC, c.id";

int dedup_export(struct db *db, const struct config *cfg, enum dedup_export what,
                 const struct db_stream_to *to, struct err *err)
{
    const char *title = config_title_field(cfg);
    char *q, *sql;
    int rc;

    if (title == NULL)
        return err_code(err, EXIT_USAGE, "export: [schema] declares no field");
    if (what == EXPORT_QUEUE) {
        char *b = dedup_label_sql(db, cfg, "b");
        q = dedup_label_sql(db, cfg, "a");
        sql = xasprintf(sql_queue, q, b);
        free(b);
    } else {
        q = dedup_label_sql(db, cfg, "r");
        sql = xasprintf(sql_records, q);
    }
    free(q);
    rc = db_stream(db, err, sql, 0, NULL, to);
    free(sql);
    return rc;
}
