/*
 * tz.h — IANA time zones, read straight from the TZif files.
 *
 * A cron expression may be read in a time zone ([scheduler] timezone =
 * Europe/Berlin). Converting between UTC and that zone's wall clock is done
 * here, without libc's localtime/mktime: those use one process-wide zone
 * (the TZ variable), and switching it from the scheduler thread would race
 * with every other thread. Instead tz_load() reads the zone's file from the
 * system database ($TZDIR, else /usr/share/zoneinfo) once: the table of
 * transitions and, for instants after the table, the POSIX TZ rule in the
 * file's footer (RFC 8536). The result is immutable and safe to share.
 *
 * Local to UTC is where time zones are hard: a wall-clock time can fall in a
 * gap (spring forward: 02:30 does not exist) or a fold (fall back: 01:30
 * happens twice). tz_local_to_utc() says which and picks the instant the
 * scheduler fires at: in a gap, the moment the gap ends; in a fold, the
 * first occurrence.
 */
#ifndef KASPARRO_TZ_H
#define KASPARRO_TZ_H

#include <stdbool.h>

#include "kasparro/err.h"

/* A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"): offsets east of UTC. */
struct tz_date {
    char kind;   /* 'J' (1-365, no Feb 29), 'n' (0-365), 'M' (month.week.day) */
    int a, b, c; /* J/n: a = day; M: a = month, b = week (5 = last), c = weekday */
};

struct tz_rule {
    long std_off;
    long dst_off;
    bool has_dst;
    struct tz_date start, end;
    long start_time, end_time; /* seconds after local midnight; may be negative or > 24h */
};

struct tz;

/* "UTC", "Etc/UTC" or "" give UTC. Errors name the zone:
 *   time zone 'Europe/Berln' is unknown (no file '/usr/share/zoneinfo/Europe/Berln') */
struct tz *tz_load(const char *name, struct err *err);
void tz_free(struct tz *tz);
const char *tz_name(const struct tz *tz);
bool tz_is_utc(const struct tz *tz);

/* Seconds east of UTC in effect at instant t (epoch seconds). */
long tz_offset(const struct tz *tz, long long t);

enum tz_local_kind { TZ_LOCAL_EXACT, TZ_LOCAL_FOLD, TZ_LOCAL_GAP };
/* The instant for wall-clock time `local` (seconds since 1970-01-01 00:00
 * on the zone's wall clock): the only one, the earlier of two (fold), or
 * the end of the gap the time falls in. */
long long tz_local_to_utc(const struct tz *tz, long long local, enum tz_local_kind *kind);

/* Parses a POSIX TZ string; -1 when it is not one. */
int tz_rule_parse(const char *s, struct tz_rule *rule);
long tz_rule_offset(const struct tz_rule *rule, long long t);

#endif
