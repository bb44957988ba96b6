/*
 * similar.c — edit distance and Jaro–Winkler (see similar.h).
 *
 * The measures are written once, over code-point arrays: the matcher feeds
 * them decoded Unicode values, and the identifier helpers below feed them
 * ASCII-folded bytes. Buffers stay on the stack up to SIM_STACK characters
 * so that the matcher's hot path does not allocate.
 */
#include "kasparro/similar.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/util.h"

#define SIM_STACK 256

size_t sim_edit_distance(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
    size_t stack[SIM_STACK + 1];
    size_t *row = lb < SIM_STACK ? stack : xmalloc((lb + 1) * sizeof *row);

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t result = row[lb];
    if (row != stack)
        free(row);
    return result;
}

/* Jaro similarity of two non-empty arrays; ma/mb are zeroed flags. */
static double jaro(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, bool *ma, bool *mb)
{
    size_t window = (la > lb ? la : lb) / 2;
    size_t matches = 0, transpositions = 0;

    window = window > 0 ? window - 1 : 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0, hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0)
        return 0.0;
    for (size_t i = 0, j = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        transpositions += a[i] != b[j];
        j++;
    }
    double m = (double)matches;
    return (m / (double)la + m / (double)lb + (m - (double)transpositions / 2.0) / m) / 3.0;
}

double sim_jaro_winkler_cp(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
    bool stack[2 * SIM_STACK] = {0};
    size_t prefix = 0;

    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    bool *flags = la + lb <= 2 * SIM_STACK ? stack : xcalloc(la + lb, sizeof *flags);
    double j = jaro(a, la, b, lb, flags, flags + la);
    if (flags != stack)
        free(flags);
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return j + (double)prefix * 0.1 * (1.0 - j);
}

/* An identifier as ASCII-case-folded code points (bytes, really). */
static uint32_t *fold(const char *s, size_t *n)
{
    *n = strlen(s);
    uint32_t *out = xmalloc((*n + 1) * sizeof *out);
    for (size_t i = 0; i < *n; i++)
        out[i] = (uint32_t)tolower((unsigned char)s[i]);
    return out;
}

size_t sim_levenshtein(const char *a, const char *b)
{
    size_t la, lb;
    uint32_t *fa = fold(a, &la), *fb = fold(b, &lb);
    size_t d = sim_edit_distance(fa, la, fb, lb);

    free(fa);
    free(fb);
    return d;
}

double sim_jaro_winkler(const char *a, const char *b)
{
    size_t la, lb;
    uint32_t *fa = fold(a, &la), *fb = fold(b, &lb);
    double s = sim_jaro_winkler_cp(fa, la, fb, lb);

    free(fa);
    free(fb);
    return s;
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
