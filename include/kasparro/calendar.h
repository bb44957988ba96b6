/*
 * calendar.h — proleptic Gregorian date arithmetic on day numbers.
 *
 * Cron expressions and time-zone rules both step through the calendar
 * ("the last Sunday of March", "the next day whose weekday is Monday").
 * Doing that on plain day numbers (days since 1970-01-01) keeps it exact,
 * fast and independent of libc's process-wide time zone state, which the
 * scheduler must not touch from its thread.
 */
#ifndef KASPARRO_CALENDAR_H
#define KASPARRO_CALENDAR_H

#include <stdbool.h>

struct civil {
    int year;
    int month; /* 1-12 */
    int day;   /* 1-31 */
};

long long cal_days_from_civil(int year, int month, int day);
struct civil cal_civil_from_days(long long days);
bool cal_is_leap(int year);
int cal_days_in_month(int year, int month);
/* 0 Sunday .. 6 Saturday. */
int cal_weekday(long long days);
/* Floor division and modulo for negative instants (before 1970). */
long long cal_floor_div(long long a, long long b);

#endif
