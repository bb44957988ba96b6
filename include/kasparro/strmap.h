/*
 * strmap.h — a string-keyed hash map (open addressing, keys copied), for
 * the small sets kasparro keeps per run: field names seen in the data,
 * drift counters, source names.
 */
#ifndef KASPARRO_STRMAP_H
#define KASPARRO_STRMAP_H

#include <stddef.h>

struct strmap_entry {
    char *key; /* NULL: empty slot */
    void *value;
    long long count;
};

struct strmap {
    struct strmap_entry *slots;
    size_t cap;
    size_t len;
};

/* The entry for key, added (value NULL, count 0) when absent. */
struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t keylen);
struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t keylen);
/* Iterate: for (i = 0; (e = strmap_next(m, &i)); ) */
struct strmap_entry *strmap_next(const struct strmap *m, size_t *iter);
/* Frees keys (and values with free_value when not NULL). */
void strmap_free(struct strmap *m, void (*free_value)(void *));

#endif
