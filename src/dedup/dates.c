/*
 * dates.c — which dates of the working set are known only to their year.
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
 * year; every other value, and every source writing days, is left as it
 * is. The counts are over the working set, every live record, so a full
 * and an incremental pass decide alike.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

static void mark_column(struct recset *rs, int col)
{
    uint32_t *filled = xcalloc(rs->nsources ? rs->nsources : 1, sizeof *filled);
    uint32_t *jan1 = xcalloc(rs->nsources ? rs->nsources : 1, sizeof *jan1);

    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (v == NULL)
            continue;
        filled[rs->source[i]]++;
        jan1[rs->source[i]] += cmp_new_year(v);
    }
    for (uint32_t i = 0; i < rs->n; i++) {
        uint16_t src = rs->source[i];
        const char **slot = &rs->val[(size_t)i * (size_t)rs->ncols + (size_t)col];
        if (jan1[src] >= DATES_YEARS_MIN && (uint64_t)jan1[src] * DATES_YEARS_SHARE >= filled[src] &&
            *slot != NULL && cmp_new_year(*slot))
            *slot = arena_strndup(&rs->arena, *slot, 4);
    }
    free(filled);
    free(jan1);
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
