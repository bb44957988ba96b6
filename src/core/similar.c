/*
 * similar.c — edit distance and Jaro–Winkler over identifiers (see similar.h).
 */
#include "kasparro/similar.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/util.h"

static int fold(char c) { return tolower((unsigned char)c); }

size_t sim_levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = xmalloc((lb + 1) * sizeof *row);
    size_t result;

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    result = row[lb];
    free(row);
    return result;
}

double sim_jaro_winkler(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), matches = 0, transpositions = 0, prefix = 0;
    size_t window, k = 0;
    bool *ma, *mb;
    double jaro;

    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    window = (la > lb ? la : lb) / 2;
    window = window > 0 ? window - 1 : 0;
    ma = xcalloc(la, sizeof *ma);
    mb = xcalloc(lb, sizeof *mb);
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && fold(a[i]) == fold(b[j])) {
                ma[i] = mb[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0) {
        free(ma);
        free(mb);
        return 0.0;
    }
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (fold(a[i]) != fold(b[k]))
            transpositions++;
        k++;
    }
    free(ma);
    free(mb);
    jaro = ((double)matches / la + (double)matches / lb +
            (matches - transpositions / 2.0) / matches) / 3.0;
    while (prefix < 4 && prefix < la && prefix < lb && fold(a[prefix]) == fold(b[prefix]))
        prefix++;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

const char *sim_nearest(const char *name, const char *const *candidates, size_t n,
                        double min_score, double *score)
{
    const char *best = NULL;
    double best_score = -1;

    for (size_t i = 0; i < n; i++) {
        double s = sim_jaro_winkler(name, candidates[i]);
        if (s > best_score) {
            best_score = s;
            best = candidates[i];
        }
    }
    if (score != NULL)
        *score = best_score < 0 ? 0 : best_score;
    return best_score >= min_score ? best : NULL;
}
