/*
 * sched_internal.h — what the scheduler's own files share (src/sched/);
 * not for other modules, which use sched.h.
 */
#ifndef KASPARRO_SCHED_INTERNAL_H
#define KASPARRO_SCHED_INTERNAL_H

#include "kasparro/sched.h"

/* A cron expression with its time zone, ready to compute fire times. */
struct sched_compiled {
    struct cron cron;
    struct tz *tz;
};
int sched_compile(const char *cron, const char *timezone, struct sched_compiled *cc,
                  struct err *err);
void sched_compiled_free(struct sched_compiled *cc);
/* The first fire time whose due time (with the job's jitter) is after now:
 * where a schedule starts, or starts again. */
double sched_first_after(const struct sched_compiled *cc, double now, long long jitter);

int sched_state_read(struct db *db, const char *job, bool lock, struct sched_state *st,
                     struct err *err);
const char *sched_time_param(double t, char *buf, size_t len);

#endif
