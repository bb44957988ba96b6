/*
 * arena.c — the two containers the matcher's working set is built from: a
 * string arena (a million normalised titles without a million mallocs) and
 * an open-addressing map from record id to node index (also the matcher's
 * counter of hashed values).
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define CHUNK (1u << 20)

/* len bytes aligned to `align` (a power of two) from the last chunk, or
 * from a new one. */
static char *arena_take(struct arena *a, size_t len, size_t align)
{
    if (len > CHUNK) {
        /* an oversized value gets a chunk of its own, kept before the last */
        char *big = xmalloc(len);
        a->chunks = xreallocarray(a->chunks, a->nchunks + 1, sizeof *a->chunks);
        if (a->nchunks > 0) {
            a->chunks[a->nchunks] = a->chunks[a->nchunks - 1];
            a->chunks[a->nchunks - 1] = big;
        } else {
            a->chunks[0] = big;
            a->used = CHUNK; /* full: the next value opens a new chunk */
        }
        a->nchunks++;
        return big;
    }
    size_t at = (a->used + align - 1) & ~(align - 1);
    if (a->nchunks == 0 || at + len > CHUNK) {
        a->chunks = xreallocarray(a->chunks, a->nchunks + 1, sizeof *a->chunks);
        a->chunks[a->nchunks++] = xmalloc(CHUNK);
        at = 0;
    }
    a->used = at + len;
    return a->chunks[a->nchunks - 1] + at;
}

const char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *dst = arena_take(a, len + 1, 1);

    memcpy(dst, s, len);
    dst[len] = '\0';
    return dst;
}

void *arena_alloc(struct arena *a, size_t len)
{
    return arena_take(a, len, 16);
}

void arena_free(struct arena *a)
{
    for (size_t i = 0; i < a->nchunks; i++)
        free(a->chunks[i]);
    free(a->chunks);
    memset(a, 0, sizeof *a);
}

void idmap_init(struct idmap *m, size_t expected)
{
    size_t cap = 16;

    while (cap < expected * 2)
        cap *= 2;
    m->keys = xcalloc(cap, sizeof *m->keys);
    m->vals = xmalloc(cap * sizeof *m->vals);
    m->mask = cap - 1;
}

/* Ids are positive, so 0 marks a free slot. */
static size_t slot(const struct idmap *m, int64_t key)
{
    size_t h = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ULL >> 17) & m->mask;

    while (m->keys[h] != 0 && m->keys[h] != key)
        h = (h + 1) & m->mask;
    return h;
}

void idmap_put(struct idmap *m, int64_t key, uint32_t val)
{
    size_t h = slot(m, key);

    m->keys[h] = key;
    m->vals[h] = val;
}

bool idmap_get(const struct idmap *m, int64_t key, uint32_t *val)
{
    size_t h = slot(m, key);

    if (m->keys[h] == 0)
        return false;
    *val = m->vals[h];
    return true;
}

void idmap_free(struct idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
