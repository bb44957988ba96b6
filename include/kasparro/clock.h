/*
 * clock.h — the wall clock, injectable for tests, and the monotonic clock.
 *
 * Everything that decides by the calendar (scheduler fire times, retention
 * ages, "since" filters) asks clock_now(), never time(). Tests move time by
 * setting KASPARRO_NOW (a fixed instant: epoch seconds or
 * YYYY-MM-DDTHH:MM:SSZ) or KASPARRO_CLOCK_OFFSET (seconds added to the real
 * clock), or call clock_set() in-process. KASPARRO_CLOCK_RATE=R makes the
 * wall clock run R times faster (real seconds x R, plus the offset), so a
 * test can watch a scheduler pass many minute boundaries in a few seconds;
 * code that sleeps until a wall-clock time divides the wait by clock_rate().
 * Sleeping and timeouts use clock_mono(), which no injected clock affects.
 */
#ifndef KASPARRO_CLOCK_H
#define KASPARRO_CLOCK_H

#include <time.h>

/* Seconds since the epoch, UTC, with microseconds. */
double clock_now(void);
/* Monotonic seconds. */
double clock_mono(void);
/* CPU seconds this process has used so far, all its threads together. */
double clock_cpu(void);
/* Fix the clock at `t` (t < 0: back to the real clock plus any offset). */
void clock_set(double t);
void clock_set_offset(double seconds);
/* How many wall-clock seconds pass per real second (1 unless a test says). */
double clock_rate(void);
/* The instant `seconds` from now on clock `clk` (CLOCK_MONOTONIC or
 * CLOCK_REALTIME, as the condition variable waits on), for
 * pthread_cond_timedwait. */
void clock_deadline(clockid_t clk, double seconds, struct timespec *at);
/* Re-read KASPARRO_NOW / KASPARRO_CLOCK_OFFSET (done at first use). */
void clock_init(void);

/* "2026-11-28T10:00:00Z" (UTC); returns buf. */
char *clock_format(double t, char *buf, size_t len);
/* Parses ISO 8601 "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]" to epoch seconds;
 * returns 0 or -1 when invalid. */
int clock_parse(const char *s, double *out);

#endif
