/*
 * deletes_internal.h — what the files of the deletes module (orphans.c,
 * held.c, restore.c, retention.c, softdelete.c) share; not for other
 * modules.
 */
#ifndef KASPARRO_DELETES_INTERNAL_H
#define KASPARRO_DELETES_INTERNAL_H

#include "kasparro/db.h"

/* The pre-image of a changed record, as jsonb for its audit row: source,
 * source_id, the declared fields' values and the deletion columns, without
 * bookkeeping; deleted_at as every time kasparro shows (SQL_UTC_ISO), not
 * as jsonb writes a timestamptz. Statements name the rows they changed, as they were, `old`
 * (UPDATE ... FROM records old ... RETURNING old.*: the join reads the row
 * before the update, and through the primary key, so a bad estimate can
 * never turn it into a quadratic scan of a CTE). */
#define SQL_OLD_RECORD_KEYS                                                                    \
    "((to_jsonb(old) - '{id,content_hash,first_seen_run,last_changed_run,change_seq,"         \
    "created_at,updated_at}'::text[]) || jsonb_build_object('deleted_at', "                    \
    SQL_UTC_ISO("old.deleted_at") "))"

/* The set of record ids about to be soft-deleted: a temporary table
 * pg_temp.kasparro_doomed (id bigint), emptied, that lives until the end
 * of the caller's transaction. */
int doomed_create(struct db *db, struct err *err);
/* How doomed_delete marks what it deletes: deleted by `run_id` (0: by no
 * run, a retire) at `at` (epoch seconds; 0: clock_now()), audited under
 * `decision` (0: none). */
struct doom {
    long long run_id;
    double at;
    long long decision;
};
/* Soft-deletes the records in kasparro_doomed that are still live: one
 * statement, one audit row each (actor, `reason`, run). In the caller's
 * transaction. Returns how many, or -1. */
long long doomed_delete(struct db *db, const struct doom *how, const char *actor,
                        const char *reason, struct err *err);

/* "%lld" into a caller's buffer, for statement parameters. */
const char *deletes_ll(char *buf, size_t len, long long v);

#endif
