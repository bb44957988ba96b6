/*
 * dedup.h — entity unification: every live record belongs to one entity;
 * records that describe the same thing share it.
 *
 * Matching (dedup_run) blocks records on cheap keys, scores the pairs with
 * a Fellegi–Sunter model and clusters them under the operators'
 * constraints: a pair at or above [matching] auto merges, one between
 * review and auto waits in the confidence queue, and a merge that would join
 * records under a cannot-link is queued instead of made. Decisions
 * (approve, reject, split, undo) are constraints that outlive re-ingestion
 * and rescans, and each leaves an audit_log row with before and after.
 * Every writer takes one transaction-scoped advisory lock, so a matching
 * pass and two operators deciding at once are serialised: exactly one
 * decision on a candidate wins; the other gets "already decided by X at T".
 *
 * The console's Review and Entities screens and the commands read through
 * the dedup_queue / dedup_candidate / dedup_entities / dedup_entity views,
 * which return cJSON, so no SQL lives outside this module.
 */
#ifndef KASPARRO_DEDUP_H
#define KASPARRO_DEDUP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/err.h"

#define DEDUP_MAX_WARNINGS 8
/* room for the longest line a pass says (the review budget's, with
 * ten-digit counts), so that none is cut mid-sentence */
#define DEDUP_WARNING_LEN 384

struct dedup_stats {
    long long records;          /* live records in the working set */
    long long changed;          /* of them re-matched in this pass */
    long long retired;          /* soft-deleted records that left their entity */
    long long pairs;            /* blocked pairs compared */
    long long candidates;       /* pairs stored (automatic or queued) */
    long long auto_merges;      /* of them merged automatically */
    long long below_auto;       /* of those, below the configured auto: at the threshold the
                                   review budget lowered it to (auto_budget) */
    double auto_threshold;      /* the configured auto */
    double auto_budget;         /* the pass's automatic threshold when the review budget
                                   lowered it, else 0 */
    long long queued_now;       /* of them sent to the review queue */
    long long one_to_one;       /* of those, held back because a unique source's record
                                   already had a better match */
    long long to_confirm;       /* of them merged automatically too, listed for an operator
                                   to confirm while the review budget has room */
    long long queued;           /* what the queue holds after the pass */
    long long superseded;
    long long entities_created, entities_updated, entities_emptied;
    bool rescan;                /* every record re-matched */
    bool learned;               /* the model was estimated in this pass */
    long long labels;           /* operators' decisions the model learnt from */
    double prior;
    double seconds;
    int nwarnings;              /* what the model estimate and the review budget found
                                   doubtful; the budget's line is always kept */
    int warnings_dropped;       /* more than DEDUP_MAX_WARNINGS: said in the log only */
    char warnings[DEDUP_MAX_WARNINGS][DEDUP_WARNING_LEN];
};

/* The statistics as JSON, for `dedup --json`, the run's report and
 * show-run. */
cJSON *dedup_stats_json(const struct dedup_stats *st);
/* What follows "N merged automatically" when `below` of them were below
 * the configured auto `auto_t`, at the review budget's threshold `budget`
 * (0 unknown): " (2 below auto 0.95, down to the review budget's p =
 * 0.912)", or "" when none was. Returns buf. */
const char *dedup_below_auto_note(char *buf, size_t size, long long below, double auto_t,
                                  double budget);
/* What opens the parenthesis after "N queued" when `to_confirm` of them
 * are automatic merges listed for an operator to confirm: "3 of them
 * merged, to confirm; ", or "" when none is. Returns buf. */
const char *dedup_confirm_note(char *buf, size_t size, long long to_confirm);

/*
 * The incremental contract, called by the run step after each run and by
 * the soft-delete commands (restore, apply-deletes) after they commit:
 *
 * processes every record change not yet matched (a record whose change_seq
 * differs from the one its membership reflects, or that has no live
 * membership), in one transaction under the dedup lock:
 *  - new, changed and restored live records are blocked and scored against
 *    every live record and clustered into the existing entities (a changed
 *    record is re-decided; a restored one prefers the entity it was in, which
 *    comes back with its id and key if it had been emptied);
 *  - soft-deleted records leave their entity's live membership (the row is
 *    kept, live = false, to remember it); an entity with no live member is
 *    marked deleted (deleted_at) but never reused;
 *  - candidates involving soft-deleted records drop out of the queue;
 * then advances dedup_state.watermark to the highest change_seq seen.
 * When operators decided something since the model was estimated, the pass
 * re-estimates it with their decisions and re-matches every record (the
 * model learns at the next run).
 * Safe to call at any time and any number of times; a no-op when nothing
 * changed, and when matching is off ([matching] enabled = false, or no
 * [schema] field). `run_id` (0 none): the run whose report (runs.matching)
 * gets the statistics. Returns 0 or -1.
 */
int dedup_apply_changes(struct db *db, const struct config *cfg, const char *actor,
                        long long run_id, struct err *err);

/* The same pass with statistics; `rescan` re-matches every record from
 * scratch and re-estimates the model with every decision so far (ids stay
 * where membership does); `blocked_pairs` (NULL none) names a file that
 * gets every pair blocking let through: two record ids, the weight and the
 * probability, tab-separated. */
struct dedup_opts {
    bool rescan;
    const char *blocked_pairs;
    /* told what the pass does as it moves on ("blocking", "scoring 12345
     * pairs", "clustering 310 pairs"): a run's board shows it while
     * matching takes its time; NULL: nobody watches */
    void (*on_phase)(const char *what, void *arg);
    void *phase_arg;
};
int dedup_run(struct db *db, const struct config *cfg, const struct dedup_opts *opts,
              const char *actor, long long run_id, struct dedup_stats *st, struct err *err);
/* dedup_apply_changes with options (on_phase; rescan and blocked_pairs
 * are ignored). */
int dedup_apply_changes_opts(struct db *db, const struct config *cfg,
                             const struct dedup_opts *opts, const char *actor, long long run_id,
                             struct err *err);

/* Decisions. Each returns 0 with the new decision's id, or -1: a candidate
 * decided meanwhile gives "candidate N already decided by X at T (status)".
 * Approve refuses a merge that would cross a cannot-link, naming it. */
int dedup_approve(struct db *db, const struct config *cfg, long long candidate,
                  const char *actor, const char *reason, long long *decision, struct err *err);
int dedup_reject(struct db *db, const struct config *cfg, long long candidate,
                 const char *actor, const char *reason, long long *decision, struct err *err);
/* Approves (or rejects) candidates ids[0..n) as one decision, so one undo
 * reverts them all; any candidate that cannot be decided fails the whole
 * set, naming it. */
int dedup_decide(struct db *db, const struct config *cfg, const long long *ids, size_t n,
                 bool approve, const char *actor, const char *reason, long long *decision,
                 struct err *err);
/* Takes `record` out of `entity` (id or key) and remembers it (cannot-links
 * to the other members). */
int dedup_split(struct db *db, const struct config *cfg, const char *entity, long long record,
                const char *actor, const char *reason, long long *decision, struct err *err);
/* Reverts a decision (0: the latest one not yet undone) exactly: its
 * constraints go, every candidate it decided is pending again and the
 * records return to the entities they were in. */
int dedup_undo(struct db *db, const struct config *cfg, long long decision, const char *actor,
               long long *undone, long long *undo_decision, struct err *err);
/* Pending candidates at or above `min` (for the bulk confirmation). */
int dedup_count_above(struct db *db, double min, long long *count, struct err *err);
/* Approves them all as one decision (*decision; 0 when none was
 * approved), strongest first; those that would cross a cannot-link or were
 * settled meanwhile are skipped and counted. */
int dedup_approve_above(struct db *db, const struct config *cfg, double min, const char *actor,
                        const char *reason, long long *decision, long long *approved,
                        long long *skipped, struct err *err);

/* SQL that names the record `alias` for an operator: its title field, or
 * when that is empty the first text field matching reads that it has, in
 * [schema] order (as entities are titled). Freed by the caller. */
char *dedup_label_sql(struct db *db, const struct config *cfg, const char *alias);

/* Views (caller frees with cJSON_Delete; NULL and err on failure). */
enum dedup_order { ORDER_UNCERTAINTY, ORDER_SCORE };
/* Their names, as `queue --order` and /queue?order take them, by enum value,
 * NULL-terminated. */
extern const char *const dedup_orders[];
/* Pending candidates in [min, max], at most `limit` after the first
 * `offset` of them (a deep page reads their ids, not their rows): [{id,
 * probability, weight, a:{id, source, source_id, title}, b:{...}, note,
 * in_range, disagreement,
 * labels, learned_at, decisions}], in_range being how many pending
 * candidates are in [min, max] in all, labels and learned_at the
 * operators' decisions the model learnt from and when it was estimated
 * (UTC), decisions how many there are now. ORDER_UNCERTAINTY puts first
 * what teaches the model most: the most uncertain (nearest p = 0.5), and
 * among about as uncertain ones those whose fields disagree most. */
/* A pair's place in either order: its id and the values the orders sort
 * on, as the queue served them. */
struct queue_after {
    long long id;
    double probability, weight, disagreement;
};
/* `after` (NULL: from the start) lists only the pairs after that place in
 * the order, whatever became of its pair since (decided, rescored): a walk
 * by key, reading its own page's pairs whatever its depth. */
cJSON *dedup_queue(struct db *db, const struct config *cfg, double min, double max,
                   enum dedup_order order, long long offset, const struct queue_after *after,
                   long long limit, struct err *err);
/* The place in the order of `pair`, an item dedup_queue listed. */
void dedup_queue_key(const cJSON *pair, struct queue_after *key);
/* One candidate with both records side by side: {id, status, probability,
 * weight, prior_weight, decided_by, decided_at, reason, note, kept_apart
 * (dedup_pair_apart's, or null), a:{id, source, source_id, entity_id,
 * entity_key}, b:{...}, fields:[{field, comparator, a, b, level, label,
 * similarity, weight}]}. */
cJSON *dedup_candidate(struct db *db, const struct config *cfg, long long id, struct err *err);
/* Whether a field of dedup_candidate's "fields" is one neither record has,
 * weighing nothing: shown as one row for all of them (show-match, the
 * Review screen), most fields of a wide, sparse schema. */
bool dedup_field_empty(const cJSON *field);
/* An entity's place in the entities listing (largest first): its size
 * as listed and its id. */
struct entity_after {
    long long id, size;
};
/* Live entities, largest first, optionally matching `search` in title or
 * key, at most `limit` after the first `offset` of them, and after the
 * place `after` when given (NULL: from the start): [{id, key, title,
 * size, updated_at}]; *total is how
 * many match in all. With `members`, each also has "members", its live
 * records: [{record, source, source_id, method, confidence, title}]. */
cJSON *dedup_entities(struct db *db, const struct config *cfg, const char *search,
                      long long offset, const struct entity_after *after, long long limit,
                      bool members, long long *total, struct err *err);
/* dedup_entities from the start, for a reader who wants the page at once:
 * a search stops counting at 1,000 matches (or the next thousand past the
 * page), unless `count_all`, and reads the page in the listing's order
 * when more match. *exact is false when it stopped: more than *total - 1
 * match. */
cJSON *dedup_entities_capped(struct db *db, const struct config *cfg, const char *search,
                             long long offset, long long limit, bool members, bool count_all,
                             long long *total, bool *exact, struct err *err);
/* The place in the listing of `entity`, an item dedup_entities listed. */
void dedup_entity_key(const cJSON *entity, struct entity_after *key);
/* Streams to `to` (db_stream: the column names, then one object per row,
 * so a file of no rows can still name its columns): EXPORT_RECORDS every live record
 * in id order {record, source, source_id, entity, entity_key, method,
 * confidence, title} (entity null when not matched yet); EXPORT_QUEUE the
 * pending candidates, strongest first {candidate, probability, weight,
 * a_record, a_source, a_source_id, b_record, b_source, b_source_id,
 * a_title, b_title, note}. */
enum dedup_export { EXPORT_RECORDS, EXPORT_QUEUE };
int dedup_export(struct db *db, const struct config *cfg, enum dedup_export what,
                 const struct db_stream_to *to, struct err *err);
/* Operator decisions, newest first, optionally only one action, one actor,
 * since a time (0: any), only those older than decision `before` (0: any;
 * the keyset a page resumes from): [{id, at, actor, action, what, reason,
 * candidates:[ids], record, entity, undoes, undone_by}]; *total counts all
 * that match, `before` included. */
cJSON *dedup_decisions(struct db *db, const char *action, const char *actor, double since,
                       long long before, long long limit, long long *total, struct err *err);
/* One decision, as a row of dedup_decisions; NULL with err when none. */
cJSON *dedup_decision(struct db *db, long long id, struct err *err);
/* One record as {id, source, source_id, entity_id, entity_key, deleted,
 * fields:{...}}: every schema field, compared or not (no "source" when
 * there is no such record). */
cJSON *dedup_record(struct db *db, const struct config *cfg, long long id, struct err *err);
/* One entity by id or key with its members (live and remembered), and
 * "kept_apart": dedup_entity_apart's list. */
cJSON *dedup_entity(struct db *db, const struct config *cfg, const char *id_or_key,
                    struct err *err);
/* What keeps two records apart (view_apart.c): the cannot-link an
 * operator's rejection or split left between them, as {decision, action,
 * actor, at, reason} in *out, or NULL in *out when none does. -1 on a
 * database error. dedup_candidate carries it as "kept_apart". */
int dedup_pair_apart(struct db *db, long long rec_a, long long rec_b, cJSON **out,
                     struct err *err);
/* The cannot-links of an entity's live members: [{record, other:{id,
 * source, source_id, entity_key}, decision, action, actor, at, reason}],
 * by member and decision. */
cJSON *dedup_entity_apart(struct db *db, long long entity, struct err *err);
/* A cannot-link's action as done: "rejected", "split" ("-" for NULL). */
const char *dedup_action_done(const char *action);
/* What keeps a pair's records apart, a dedup_pair_apart object, as one
 * sentence: "kept apart by decision 12: split by ana at ...: reason;
 * '<prefix>undo 12' lets them be matched again" (malloc'd). */
char *dedup_apart_text(const cJSON *apart, const char *prefix);

#endif
