/*
 * deletes.h — soft deletes done safely: orphan detection, the mass-delete
 * guard, held deletions, restore and the retention purge.
 *
 * A record that vanished from its source is soft-deleted (is_deleted,
 * deleted_at, deleted_by_run) only after a complete, successful, full and
 * non-resumed read of that source (orphans.c, a per-source run step): a
 * failed, partial, resumed or incremental read never deletes. When the
 * deletions would exceed the guard's share of the source's live records, or
 * the source returned nothing, they are held (pending_deletes) for an
 * operator, who applies or discards them (held.c); a later read that sees a
 * held record again takes it out of the held set, so applying deletes
 * exactly what is still missing. A source removed from the configuration
 * is read no more: an operator retires it (retire.c), soft-deleting its
 * live records under no run. Restore (restore.c) undoes deletions by
 * record or by run, as an operator decision that `undo` reverts
 * (restore_undo.c); the loader restores a record that reappears by itself.
 * Records soft-deleted longer than [retention] keep_deleted are purged with
 * their raw payloads (retention.c), in batches, under an advisory lock.
 *
 * Every change takes a new change_seq (so incremental matching notices it),
 * is audited in audit_log with the actor and the record's key fields, and
 * happens in one transaction followed by NOTIFY kasparro. Times come from
 * clock_now(), so tests move them with KASPARRO_NOW.
 */
#ifndef KASPARRO_DELETES_H
#define KASPARRO_DELETES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "kasparro/db.h"
#include "kasparro/run.h"

/* Run steps (run_steps.c): orphan detection and the guard, after each
 * source; the retention purge, after each scheduled run when
 * [retention] purge_after_run is on. */
int orphans_step(struct run_source_ctx *ctx, struct err *err);
int retention_step(struct run_ctx *ctx, struct err *err);

/* Restores soft-deleted records: the `n` ids, or (n == 0) every record run
 * `run_id` deleted, or (n == 0, run_id 0) every record of source `retired`
 * that a retire deleted, as one decision (0 when nothing was restored). An id
 * that names no record, or a record that is not deleted, fails the whole
 * restore, naming it (not_deleted, kept for --json, is then 0). A restore does not pin a record: `again` counts
 * the restored records that a complete read deleted for being missing,
 * whose source in `cfg` still reads completely (full, or incremental with
 * full_sync_every) and so deletes them again if it still lacks them;
 * `again_sources` names those sources, quoted ("'a', 'b'"; past three,
 * "and N more"). */
struct restore_result {
    long long decision;
    long long restored;
    long long not_deleted;
    long long again;
    int again_nsources;
    char again_sources[256];
};
int deletes_restore(struct db *db, const struct config *cfg, const long long *ids, size_t n,
                    long long run_id, const char *retired, const char *actor,
                    struct restore_result *out, struct err *err);

/* Retires `source`, a source the configuration `cfg` no longer names
 * (retire.c): soft-deletes every live record of it in one transaction,
 * under no run (deleted_by_run null: a retire is no read, and so a retired
 * record is told from one a read deleted), each audited as a soft_delete
 * by `actor` with why, plus one 'retire_source' row on the source.
 * Restorable (restore, or deletes_restore's `retired`) and purged after
 * keep_deleted like any soft delete. Fails, changing nothing: a configured
 * source, or the cut name older kasparro stored for one (1); a name with
 * no record at all (EXIT_USAGE); one with no live record (1); a source a
 * run is loading now (EXIT_BUSY). A dry run counts only (out->live). */
struct retire_result {
    long long live;           /* live records found */
    long long deleted_before; /* records of it soft-deleted already */
    long long deleted;        /* soft-deleted now (0 in a dry run) */
};
int deletes_retire(struct db *db, const struct config *cfg, const char *source, bool dry_run,
                   const char *actor, struct retire_result *out, struct err *err);

/* The decision `undo` reverts: `which`, or (0) the latest approve, reject
 * or split not yet undone, or with `restores_only` the latest restore not
 * yet undone (a restore only by its id or so). Returns 1 when
 * it is a restore (deletes_undo_restore undoes it), 0 when it is another
 * decision (dedup_undo's), -1 when there is none, naming what is missing. */
int deletes_undo_target(struct db *db, long long which, bool restores_only, long long *decision,
                        struct err *err);

/* Undoes restore decision `decision`: deletes again, as they were deleted
 * and audited under the undo's own decision, the records still as the
 * restore left them; the others (changed, deleted or purged since, or
 * returned again by a read of their source) stay, listed in `kept`
 * ({"record", "why"}, at most 20; `nkept` counts them all). A restore
 * older than `keep_deleted` seconds (clock_now()) is refused, and one
 * whose rows a purge removed. */
struct restore_undo {
    long long undo;    /* the undo's decision */
    long long deleted; /* records deleted again */
    long long nkept;
    cJSON *kept; /* caller frees, also on failure */
};
int deletes_undo_restore(struct db *db, long long decision, long long keep_deleted,
                         const char *actor, struct restore_undo *out, struct err *err);

/* An operator's decision on the deletions run `run_id` held, for every
 * source of the run or only `source`. Apply soft-deletes the held records
 * that are still live and were not seen since; discard deletes nothing.
 * Fails naming who decided first when the hold is already decided. */
enum held_decision { HELD_APPLY, HELD_DISCARD };
struct held_result {
    long long holds;   /* (run, source) holds decided */
    long long deleted; /* records soft-deleted (apply) */
    long long kept;    /* orphans found but not deleted: seen or changed since, or gone */
};
int held_decide(struct db *db, long long run_id, const char *source, enum held_decision d,
                const char *actor, struct held_result *out, struct err *err);

/* What an operator reads about the deletions run `run_id` held, and why
 * (`why`, the hold's reason), with the two commands that decide, each
 * after `prefix` (cmd_prefix: "kasparro " in a shell, "" in the console):
 * the note the holding run keeps as its source's error ("deletions held:
 * ...", stored as a shell reads it), or, with `still` >= 0 records still
 * held, what `sources` says of a hold that waits while later runs came
 * ("deletions held by run N (M still held): ..."). */
void held_note(char *out, size_t len, const char *prefix, long long run_id, long long still,
               const char *why);
/* How much of `note`, a note held_note kept for run `run_id`, says why
 * the run held: all of it but the two commands at its end, which fail
 * once an operator decided. */
size_t held_note_why_len(const char *note, long long run_id);

/* Hard-deletes records soft-deleted more than `older_than` seconds before
 * clock_now() with their raw payloads, `batch` per transaction, each
 * leaving an audit row with its key fields. Takes DB_LOCK_PURGE: returns -1
 * with EXIT_BUSY when another purge holds it. A dry run only counts.
 * `cancel` (may be NULL) stops it between batches. */
struct purge_request {
    long long older_than;
    long batch;
    bool dry_run;
    const char *actor;
    long long run_id; /* the run it follows, or 0 */
    const atomic_bool *cancel;
};
struct purge_result {
    double cutoff;    /* records deleted before this instant qualified */
    long long purged; /* or, for a dry run, would be purged */
    long long batches;
};
int retention_purge(struct db *db, const struct purge_request *req, struct purge_result *out,
                    struct err *err);

#endif
