/*
 * runstats.h — what kasparro has done, in numbers: per source and overall,
 * records live and deleted, the last success and failure, the durations
 * (p50, p95) and throughput of recent whole reads. Read by GET /stats and
 * `kasparro stats`.
 */
#ifndef KASPARRO_RUNSTATS_H
#define KASPARRO_RUNSTATS_H

#include <cjson/cJSON.h>

#include "kasparro/db.h"

/* {"overall":{records_live, records_deleted, runs:{status:count},
 *  last_success_at, last_failure_at, duration_p50, duration_p95,
 *  rows_per_second, recent_runs},
 *  "sources":[{source, records_live, records_deleted, last_success_at,
 *  last_failure_at, duration_p50, duration_p95, rows_per_second,
 *  quarantined, recent_reads}]}. The durations and the throughput are
 * those of each source's last `recent` whole reads (RUN_SQL_WHOLE; how
 * many: recent_reads), and overall of the last `recent` runs whose reads
 * were all whole (recent_runs); a success is a read whose records loaded
 * (RUN_SQL_LOADED: its deletions held too), overall a run all of whose
 * reads loaded. Times are ISO 8601 UTC or null. */
cJSON *runstats_json(struct db *db, int recent, struct err *err);
/* Adds "configured" to each source of runstats_json's `stats`: false for
 * one removed from `cfg`, which keeps its runs, and its records until
 * retired and purged, and must not read as a configured source that holds
 * nothing. */
struct config;
void runstats_mark_configured(cJSON *stats, const struct config *cfg);
/* How many recent runs /stats and `kasparro stats` take. */
#define RUNSTATS_RECENT 20

#endif
