/*
 * dates.c — which dates of the working set are known only to their year
 * or month.
 *
 * A value known only to its year is stored as 1 January at midnight UTC
 * (the loader reads "2003" so, and some sources write "2003-01-01"
 * themselves for a birth year), which a day-by-day comparison takes for
 * a day: "different" from a full date a year later, "within 31 days" of
 * the last days of the year before. One stored value cannot tell a year
 * from a genuine New Year's Day, but a source can: where 1 January is far
 * more common than the one day in 365 it would be among days, that source
 * writes years in that field. Its values on 1 January then become the year
 * alone ("2003"), which comparisons (compare.c) and explanations take as a
 * year. A month alone ("2003-05", an issue of a periodical, a release
 * month) is stored as its first day the same way: where the first of a
 * month is far more common than one day in 30, the source writes months,
 * and its values on a first become the month alone ("2003-05"). Every
 * other value, and every source writing days, is left as it is. The
 * counts are over the working set, every live record, so a full and an
 * incremental pass decide alike.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

struct date_counts {
    uint32_t filled, jan1, first; /* values; on 1 January; on the first of a month */
};

/* Whether a source with these counts writes years, and months. A source
 * of months has a first of January in twelve of its firsts, which the
 * year share alone could take for years: years need most firsts to be
 * New Year's Days. */
static bool writes_years(const struct date_counts *c)
{
    return c->jan1 >= DATES_YEARS_MIN && (uint64_t)c->jan1 * DATES_YEARS_SHARE >= c->filled &&
           2 * (uint64_t)c->jan1 >= c->first;
}

static bool writes_months(const struct date_counts *c)
{
    uint32_t months = c->first - (writes_years(c) ? c->jan1 : 0);
    return months >= DATES_YEARS_MIN && (uint64_t)months * DATES_MONTHS_SHARE >= c->filled;
}

static void mark_column(struct recset *rs, int col)
{
    struct date_counts *n = xcalloc(rs->nsources ? rs->nsources : 1, sizeof *n);

    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (v == NULL)
            continue;
        n[rs->source[i]].filled++;
        n[rs->source[i]].jan1 += cmp_new_year(v);
        n[rs->source[i]].first += cmp_new_month(v);
    }
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct date_counts *c = &n[rs->source[i]];
        const char **slot = &rs->val[(size_t)i * (size_t)rs->ncols + (size_t)col];
        if (*slot == NULL)
            continue;
        if (writes_years(c) && cmp_new_year(*slot))
            *slot = arena_strndup(&rs->arena, *slot, 4);
        else if (writes_months(c) && cmp_new_month(*slot) && (*slot)[4] == '-')
            *slot = arena_strndup(&rs->arena, *slot, 7); /* "YYYY-MM" of "YYYY-MM-DD" */
    }
    free(n);
}

void dates_mark_years(const struct match_plan *p, struct recset *rs)
{
    for (int f = 0; f < p->ncmp; f++) {
        bool seen = false;
        if (p->cmps[f].kind != CMP_DATE)
            continue;
        for (int g = 0; g < f; g++)
            seen = seen || (p->cmps[g].kind == CMP_DATE && p->cmp_col[g] == p->cmp_col[f]);
        if (!seen)
            mark_column(rs, p->cmp_col[f]);
    }
}
