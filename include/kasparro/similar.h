/*
 * similar.h — string similarity for names: suggestions for mistyped config
 * keys, command names and schema-drift guesses ("'auther' looks like
 * 'author' (0.91)"), and the measures the matcher's comparators (dedup/)
 * apply to decoded Unicode values. The char * forms are byte-wise and ASCII
 * case-insensitive, which is right for identifiers.
 */
#ifndef KASPARRO_SIMILAR_H
#define KASPARRO_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

/* Over code points, exact equality: the matcher's measures. */
size_t sim_edit_distance(const uint32_t *a, size_t la, const uint32_t *b, size_t lb);
double sim_jaro_winkler_cp(const uint32_t *a, size_t la, const uint32_t *b, size_t lb);

size_t sim_levenshtein(const char *a, const char *b);
double sim_jaro_winkler(const char *a, const char *b);
/* The candidate most similar to `name` (Jaro–Winkler), or NULL when none
 * reaches `min_score`; *score receives the similarity when not NULL. */
const char *sim_nearest(const char *name, const char *const *candidates, size_t n,
                        double min_score, double *score);

#endif
