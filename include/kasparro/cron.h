/*
 * cron.h — five-field cron expressions and their fire times.
 *
 *   minute hour day-of-month month day-of-week
 *
 * Each field is '*', a number, a range (1-5), a list (1,15,30) or a step
 * over a range or over '*' (0-30/10); months take JAN-DEC and weekdays
 * SUN-SAT (any case), and weekday 7 is Sunday. @yearly (@annually), @monthly, @weekly, @daily
 * (@midnight) and @hourly stand for their usual expressions. Day-of-month
 * and day-of-week combine as in Vixie cron: when either field starts with
 * '*' a day must match both, otherwise a day matching either one fires
 * ("0 0 13 * FRI" is every 13th and every Friday).
 *
 * Fire times are computed field by field (skip to the next allowed month,
 * then day, hour, minute), so the next time a year away costs a few dozen
 * steps, not half a million minutes. In a time zone, fire times are wall
 * clock times of that zone: one that falls in a daylight-saving gap fires
 * when the gap ends, and one in a repeated hour fires once, the first time.
 * An expression that can never fire (30 February) is refused when parsed.
 */
#ifndef KASPARRO_CRON_H
#define KASPARRO_CRON_H

#include <stdbool.h>
#include <stdint.h>

#include "kasparro/err.h"
#include "kasparro/tz.h"

struct cron {
    uint64_t minute; /* bit n: minute n, 0-59 */
    uint32_t hour;   /* 0-23 */
    uint32_t dom;    /* 1-31 */
    uint16_t month;  /* 1-12 */
    uint8_t dow;     /* 0-6, Sunday 0 */
    bool dom_star;   /* the day-of-month field starts with '*' */
    bool dow_star;
};

/* Errors name the expression and the field:
 *   cron '61 * * * *': minute: 61 is out of range 0-59
 * A step that selects only its range's first value ("*\/61" on minutes)
 * is refused too. */
int cron_parse(const char *expr, struct cron *c, struct err *err);
/* The same for an expression kasparro stored (the scheduler's row): one
 * an earlier kasparro accepted with such a step keeps firing as it did,
 * on the first value, rather than stopping the scheduler. */
int cron_parse_stored(const char *expr, struct cron *c, struct err *err);

/* The first fire time strictly after `after` (epoch seconds), read in `tz`
 * (NULL: UTC); -1 when there is none in the next 400 years. */
long long cron_next(const struct cron *c, const struct tz *tz, long long after);
/* The same on a naive clock: `after` and the result count seconds of the
 * wall clock as if it were UTC. */
long long cron_next_naive(const struct cron *c, long long after);

#endif
