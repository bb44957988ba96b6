/*
 * strmap.c — string-keyed hash map (see strmap.h): FNV-1a, linear probing,
 * grows at 70% load. No deletion: kasparro's sets only grow during a run.
 */
#include "kasparro/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/util.h"

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct strmap_entry *find(const struct strmap *m, const char *key, size_t len)
{
    size_t i = (size_t)hash(key, len) & (m->cap - 1);

    for (;;) {
        struct strmap_entry *e = &m->slots[i];
        if (e->key == NULL || (strncmp(e->key, key, len) == 0 && e->key[len] == '\0'))
            return e;
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(struct strmap *m)
{
    struct strmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key != NULL)
            *find(m, old.slots[i].key, strlen(old.slots[i].key)) = old.slots[i];
    free(old.slots);
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t keylen)
{
    if (m->cap == 0)
        return NULL;
    struct strmap_entry *e = find(m, key, keylen);
    return e->key ? e : NULL;
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t keylen)
{
    struct strmap_entry *e;

    if ((m->len + 1) * 10 > m->cap * 7)
        grow(m);
    e = find(m, key, keylen);
    if (e->key == NULL) {
        e->key = xstrndup(key, keylen);
        m->len++;
    }
    return e;
}

struct strmap_entry *strmap_next(const struct strmap *m, size_t *iter)
{
    while (*iter < m->cap) {
        struct strmap_entry *e = &m->slots[(*iter)++];
        if (e->key != NULL)
            return e;
    }
    return NULL;
}

void strmap_free(struct strmap *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        if (free_value != NULL)
            free_value(m->slots[i].value);
    }
    free(m->slots);
    memset(m, 0, sizeof *m);
}
