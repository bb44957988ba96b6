/*
 * runcompare.h — two runs side by side, and whether the newer one is an
 * anomaly: `kasparro compare-runs`, GET /compare-runs, the marks on the
 * console's Runs screen and the warning a run logs when it ends.
 *
 * Per source, the counts (fetched, new, updated, deleted, quarantined) and
 * the duration of run B are set against run A. A count is an anomaly when
 * it moves by more than [anomaly] count_change of A's value (and either side
 * reaches min_count): fetched either way, the others only upwards (fewer new
 * or updated records after a first load is the normal course, more deleted
 * or quarantined ones is not); a duration when it exceeds duration_factor times the
 * median of the source's last duration_runs successful reads of the same
 * kind before B (at least three of them, and B's read lasted at least a
 * second). A source read by only one of the two runs is shown with nulls on
 * the other side. Counts are compared only between two reads that succeeded
 * (or were partial) without resuming an interrupted read, so their counts
 * are whole, and are of the same kind, full or incremental; otherwise the source carries a note saying why. Without
 * an A, each source of B is set against its own last such read before B
 * that succeeded outright (not one whose deletions the mass-delete guard
 * held), whichever run that was: a failed or held read, or an incremental
 * one before a full read that deletes, is never a baseline. Completed runs (the default
 * B, and the A named in the header) are those that succeeded, were partial
 * or failed; interrupted, abandoned, missed and skipped runs never are.
 */
#ifndef KASPARRO_RUNCOMPARE_H
#define KASPARRO_RUNCOMPARE_H

#include <cjson/cJSON.h>

#include "kasparro/config.h"
#include "kasparro/db.h"

/* Compares run b with run a. b = 0: the latest completed run; a = 0: the
 * completed run before b. Returns
 *   {"a":{id,status,started_at,seconds}, "b":{...}, "anomaly":bool,
 *    "anomalies":["source 'x': fetched fell 80% (1000 -> 200)", ...],
 *    "thresholds":{...},
 *    "sources":[{"source", "a_run", "compared":bool, "note",
 *                "counts":{"fetched":{"a","b","delta","change",
 *                "anomaly","reason"}, ...}, "duration":{"a","b","median",
 *                "median_reads","anomaly","reason"}, "anomaly":bool}]}
 * or NULL with err (EXIT_FAIL when a run does not exist or there are not
 * two completed runs to compare). */
cJSON *runcompare(struct db *db, const struct anomaly_cfg *t, long long a, long long b,
                  struct err *err);

/* The anomalies of each of `runs`, each source against its own last
 * successful read of the same kind (as runcompare without an A), in one
 * query: a JSON array of n arrays of reasons (empty when none, or when
 * the run has no baseline). NULL on a database error. The runs must be in
 * ascending order. */
cJSON *runcompare_anomalies(struct db *db, const struct anomaly_cfg *t, const long long *runs,
                            int n, struct err *err);

#endif
