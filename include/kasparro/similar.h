/*
 * similar.h — string similarity for names: suggestions for mistyped config
 * keys, command names and schema-drift guesses ("'auther' looks like
 * 'author' (0.91)"). Byte-wise and ASCII case-insensitive, which is right for
 * identifiers; the matcher has its own Unicode-aware comparators in dedup/.
 */
#ifndef KASPARRO_SIMILAR_H
#define KASPARRO_SIMILAR_H

#include <stddef.h>

size_t sim_levenshtein(const char *a, const char *b);
double sim_jaro_winkler(const char *a, const char *b);
/* The candidate most similar to `name` (Jaro–Winkler), or NULL when none
 * reaches `min_score`; *score receives the similarity when not NULL. */
const char *sim_nearest(const char *name, const char *const *candidates, size_t n,
                        double min_score, double *score);

#endif
