/*
 * cron.c — parsing cron expressions and finding their next fire time (see
 * cron.h).
 *
 * An expression becomes five bit sets, one per field, plus Vixie cron's two
 * "starts with '*'" flags that decide how the day fields combine. The next
 * fire time walks the calendar from the largest field down: a month not in
 * the set skips to the first of the next month, a day that does not match
 * skips to the next midnight, and so on; only a fully matching minute
 * returns. The time-zone version runs the same walk on the zone's wall
 * clock and maps each candidate back to UTC (tz_local_to_utc), stepping past
 * candidates whose first occurrence already went by (a repeated hour).
 */
#include "kasparro/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kasparro/calendar.h"

struct field_spec {
    const char *name;
    int min, max;
    const char *const *names; /* names[i] is the value min_name + i */
    int min_name;
    const char *names_doc;
};

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
                                          "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

static const struct field_spec fields[5] = {
    {"minute", 0, 59, NULL, 0, NULL},
    {"hour", 0, 23, NULL, 0, NULL},
    {"day-of-month", 1, 31, NULL, 0, NULL},
    {"month", 1, 12, month_names, 1, " or a month name (JAN-DEC)"},
    {"day-of-week", 0, 7, day_names, 0, " or a day name (SUN-SAT)"},
};

static const struct {
    const char *name;
    const char *expr;
} shortcuts[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

/* One number or name of a field; fills why on error. */
static int field_value(const struct field_spec *f, const char *s, int *out, char *why, size_t len)
{
    long long v;

    if (parse_ll(s, &v)) {
        if (v < f->min || v > f->max) {
            snprintf(why, len, "%lld is out of range %d-%d", v, f->min, f->max);
            return -1;
        }
        *out = (int)v;
        return 0;
    }
    for (int i = 0; f->names != NULL && f->names[i] != NULL; i++)
        if (strcasecmp(s, f->names[i]) == 0) {
            *out = f->min_name + i;
            return 0;
        }
    snprintf(why, len, "'%s' is not a number%s", s, f->names_doc ? f->names_doc : "");
    return -1;
}

/* A step that reaches past the end of its range selects the range's first
 * value only: "*\/61" on minutes fires at minute 0 alone, "*\/25" on hours
 * at midnight alone. Cron implementations differ (some refuse it, Vixie
 * cron takes it); whoever wrote it meant a repetition that never repeats,
 * so a new expression is refused, naming the range and what it would
 * select. A range of one value selects it whatever the step. Weekday 7 is
 * Sunday again: "*\/7" on weekdays selects Sunday alone. */
static int step_too_long(const struct field_spec *f, const char *item, int lo, int hi,
                         long long step, char *why, size_t len)
{
    int last = f->max == 7 && lo == 0 && hi == 7 ? 6 : hi; /* distinct weekdays */

    if (last == lo || step <= last - lo)
        return 0;
    if (strcmp(item, "*") == 0)
        snprintf(why, len, "step %lld over '*' (%d-%d) selects only %d; a step of at most %d "
                 "repeats, or write %d if that is meant", step, f->min, f->max, lo, last - lo,
                 lo);
    else
        snprintf(why, len, "step %lld over %s selects only %d; a step of at most %d repeats, "
                 "or write %d if that is meant", step, item, lo, last - lo, lo);
    return -1;
}

/* One list item: '*', N, N-M, with an optional /STEP; ORs its bits in.
 * `strict`: a step that selects only its range's first value is refused. */
static int field_item(const struct field_spec *f, char *item, bool strict, uint64_t *bits,
                      char *why, size_t len)
{
    char *slash = strchr(item, '/'), *dash;
    int lo = f->min, hi = f->max;
    long long step = 1;

    if (slash != NULL) {
        *slash = '\0';
        if (!parse_ll(slash + 1, &step) || step < 1) {
            snprintf(why, len, "step '%s' is not a positive number", slash + 1);
            return -1;
        }
    }
    if (strcmp(item, "*") != 0) {
        dash = strchr(item, '-');
        if (dash == NULL && slash != NULL) {
            snprintf(why, len, "'%s/%s': a step needs a range or '*' (like %s-%d/%s)", item,
                     slash + 1, item, f->max, slash + 1);
            return -1;
        }
        if (dash != NULL)
            *dash = '\0';
        if (field_value(f, item, &lo, why, len) < 0 ||
            (dash != NULL && field_value(f, dash + 1, &hi, why, len) < 0))
            return -1;
        if (dash == NULL)
            hi = lo;
        else if (f->max == 7 && hi == 0 && strcasecmp(dash + 1, "SUN") == 0)
            hi = 7; /* FRI-SUN: the week's end, not its start */
        if (hi < lo) {
            snprintf(why, len, "range %s-%s goes backwards", item, dash + 1);
            return -1;
        }
        if (dash != NULL)
            *dash = '-'; /* the item as written, for step_too_long */
    }
    if (strict && slash != NULL && step_too_long(f, item, lo, hi, step, why, len) < 0)
        return -1;
    for (int v = lo; v <= hi; v += (int)(step < 64 ? step : 64))
        *bits |= 1ULL << v;
    return 0;
}

static int field_parse(const struct field_spec *f, const char *text, bool strict, uint64_t *bits,
                       char *why, size_t len)
{
    char *copy = xstrdup(text), *save = NULL;
    int rc = 0;

    *bits = 0;
    if (strstr(text, ",,") != NULL || text[0] == ',' || text[strlen(text) - 1] == ',') {
        snprintf(why, len, "empty item in list '%s'", text);
        rc = -1;
    }
    for (char *item = strtok_r(copy, ",", &save); rc == 0 && item != NULL;
         item = strtok_r(NULL, ",", &save))
        rc = field_item(f, item, strict, bits, why, len);
    free(copy);
    return rc;
}

/* A day-of-month set that no selected month can hold ("0 0 30 2 *"). */
static bool days_never_occur(const struct cron *c)
{
    for (int m = 1; m <= 12; m++) {
        if (!(c->month >> m & 1))
            continue;
        for (int d = 1; d <= cal_days_in_month(2000, m); d++) /* 2000: February has 29 */
            if (c->dom >> d & 1)
                return false;
    }
    return true;
}

static const char *expand_shortcut(const char *expr)
{
    for (size_t i = 0; i < ARRAY_SIZE(shortcuts); i++)
        if (strcasecmp(expr, shortcuts[i].name) == 0)
            return shortcuts[i].expr;
    return NULL;
}

static int parse_expr(const char *expr, bool strict, struct cron *c, struct err *err)
{
    char *copy, *words[6], *save = NULL, why[256];
    const char *text = expr;
    uint64_t bits[5];
    int n = 0;

    memset(c, 0, sizeof *c);
    while (isspace((unsigned char)*text))
        text++;
    if (text[0] == '@') {
        char name[32];
        snprintf(name, sizeof name, "%s", text);
        name[strcspn(name, " \t")] = '\0';
        if ((text = expand_shortcut(name)) == NULL)
            return err_code(err, EXIT_USAGE,
                            "cron '%s': unknown shortcut '%s' (@yearly, "
                            "@annually, @monthly, @weekly, @daily, @midnight, @hourly)",
                            expr, name);
    }
    copy = xstrdup(text);
    for (char *w = strtok_r(copy, " \t\n", &save); w != NULL; w = strtok_r(NULL, " \t\n", &save))
        words[n < 6 ? n : 5] = w, n++;
    if (n != 5) {
        free(copy);
        return err_code(err, EXIT_USAGE,
                        "cron '%s': %d field%s, expected 5 (minute hour "
                        "day-of-month month day-of-week)",
                        expr, n, n == 1 ? "" : "s");
    }
    for (int i = 0; i < 5; i++)
        if (field_parse(&fields[i], words[i], strict, &bits[i], why, sizeof why) < 0) {
            err_code(err, EXIT_USAGE, "cron '%s': %s: %s", expr, fields[i].name, why);
            free(copy);
            return -1;
        }
    c->minute = bits[0];
    c->hour = (uint32_t)bits[1];
    c->dom = (uint32_t)bits[2];
    c->month = (uint16_t)bits[3];
    c->dow = (uint8_t)((bits[4] | bits[4] >> 7) & 0x7f); /* 7 is Sunday too */
    c->dom_star = words[2][0] == '*';
    c->dow_star = words[4][0] == '*';
    free(copy);
    /* Only a day-of-month that stands alone (weekday '*') can be impossible:
     * a set starting with '*' always holds day 1, and with both fields
     * restricted any matching weekday fires. */
    if (!c->dom_star && c->dow_star && days_never_occur(c))
        return err_code(err, EXIT_USAGE,
                        "cron '%s': day-of-month: never fires, no selected "
                        "month has any of these days",
                        expr);
    return 0;
}

int cron_parse(const char *expr, struct cron *c, struct err *err)
{
    return parse_expr(expr, true, c, err);
}

int cron_parse_stored(const char *expr, struct cron *c, struct err *err)
{
    return parse_expr(expr, false, c, err);
}

static bool day_matches(const struct cron *c, long long days, int mday)
{
    bool dom = c->dom >> mday & 1, dow = c->dow >> cal_weekday(days) & 1;
    return (c->dom_star || c->dow_star) ? (dom && dow) : (dom || dow);
}

/* The lowest set bit at or above `from`, or -1. */
static int next_bit(uint64_t bits, int from, int max)
{
    for (int i = from; i <= max; i++)
        if (bits >> i & 1)
            return i;
    return -1;
}

/* Where the walk stands: a day and a minute of it. */
struct cron_pos {
    long long days;
    struct civil date;
    int hour, minute;
};

static void to_day(struct cron_pos *p, long long days)
{
    p->days = days;
    p->date = cal_civil_from_days(days);
    p->hour = p->minute = 0;
}

static void to_next_month(struct cron_pos *p, const struct cron *c)
{
    int y = p->date.year, m = next_bit(c->month, p->date.month + 1, 12);

    if (m < 0) {
        y++;
        m = next_bit(c->month, 1, 12);
    }
    to_day(p, cal_days_from_civil(y, m, 1));
}

long long cron_next_naive(const struct cron *c, long long after)
{
    long long t = (cal_floor_div(after, 60) + 1) * 60;
    struct cron_pos p;
    int last_year;

    to_day(&p, cal_floor_div(t, 86400));
    p.hour = (int)(t - p.days * 86400) / 3600;
    p.minute = (int)(t - p.days * 86400) % 3600 / 60;
    last_year = p.date.year + 400;
    while (p.date.year <= last_year) {
        if (!(c->month >> p.date.month & 1)) {
            to_next_month(&p, c);
            continue;
        }
        if (!day_matches(c, p.days, p.date.day)) {
            to_day(&p, p.days + 1);
            continue;
        }
        int h = next_bit(c->hour, p.hour, 23);
        if (h < 0) {
            to_day(&p, p.days + 1);
            continue;
        }
        if (h != p.hour)
            p.minute = 0;
        p.hour = h;
        int m = next_bit(c->minute, p.minute, 59);
        if (m < 0) {
            if (++p.hour > 23)
                to_day(&p, p.days + 1);
            else
                p.minute = 0;
            continue;
        }
        return p.days * 86400 + p.hour * 3600LL + m * 60LL;
    }
    return -1;
}

long long cron_next(const struct cron *c, const struct tz *tz, long long after)
{
    long long local;

    if (tz_is_utc(tz))
        return cron_next_naive(c, after);
    /* Walk the zone's wall clock; a candidate whose first instant is not
     * after `after` was already fired (it repeats in a fold): step on. */
    local = after + tz_offset(tz, after);
    for (int guard = 0; guard < 1000; guard++) {
        enum tz_local_kind kind;
        long long cand = cron_next_naive(c, local), fire;
        if (cand < 0)
            return -1;
        fire = tz_local_to_utc(tz, cand, &kind);
        if (fire > after)
            return fire;
        local = cand;
    }
    return -1;
}
