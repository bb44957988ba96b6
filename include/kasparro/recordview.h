/*
 * recordview.h — one record in full, for people and scripts: used by
 * `kasparro show-record` and by the console's record detail (which prints
 * the same text in its pager). Reads records, raw_records, the entity
 * tables, match_candidates, decisions and audit_log.
 */
#ifndef KASPARRO_RECORDVIEW_H
#define KASPARRO_RECORDVIEW_H

#include <cjson/cJSON.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/err.h"

/* The record as JSON: {id, source, source_id, title, deleted, deleted_at,
 * deleted_by_run, first_seen_run, last_changed_run, created_at,
 * updated_at, fields:{...every schema field}, payload (as stored),
 * payload_run, fetched_at, entity:{id, key, size, method, confidence,
 * live} or null, candidates:[{id, status, probability, other:{id, source,
 * source_id, title}}], history:[{at, actor, action, run, decision, what,
 * reason, undone_by}]}. NULL with err when there is no such record. */
cJSON *recordview_json(struct db *db, const struct config *cfg, long long id, struct err *err);
/* The same as text, several lines (caller frees); a field's value wraps
 * under its column when wider than `width` cells (0: never). */
char *recordview_text(const cJSON *rec, size_t width);

#endif
