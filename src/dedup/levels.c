/*
 * levels.c — the comparison levels of every blocked pair, on all cores.
 *
 * Comparing is the matcher's biggest CPU cost (a million records give
 * millions of pairs, each run through every configured comparator), and
 * each pair is independent: its levels depend only on the two records and
 * land in their own row of `levels`. So the pairs are cut into one
 * contiguous slice per core and compared by worker threads; the result is
 * the same as in one thread, byte for byte. Small passes (incremental runs)
 * stay in the calling thread, where a thread start would cost more than it
 * saves.
 */
#include <pthread.h>
#include <unistd.h>

#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define LEVELS_MIN_PER_THREAD 20000
#define LEVELS_MAX_THREADS 16

struct slice {
    const struct match_plan *p;
    const struct recset *rs;
    const uint64_t *pairs;
    uint8_t *levels, *fracs;
    size_t from, to;
};

static void *compare_slice(void *arg)
{
    const struct slice *s = arg;
    size_t F = (size_t)s->p->ncmp;

    for (size_t k = s->from; k < s->to; k++)
        pair_levels(s->p, s->rs, (uint32_t)(s->pairs[k] >> 32), (uint32_t)s->pairs[k],
                    s->levels + k * F, s->fracs + k * F);
    return NULL;
}

static size_t thread_count(size_t npairs)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = npairs / LEVELS_MIN_PER_THREAD;

    if (cores < 1)
        cores = 1;
    if (n > (size_t)cores)
        n = (size_t)cores;
    if (n > LEVELS_MAX_THREADS)
        n = LEVELS_MAX_THREADS;
    return n < 1 ? 1 : n;
}

int pairs_compare_all(const struct match_plan *p, const struct recset *rs,
                      const uint64_t *pairs, size_t npairs, uint8_t *levels, uint8_t *fracs)
{
    struct slice s[LEVELS_MAX_THREADS];
    pthread_t tid[LEVELS_MAX_THREADS];
    bool started[LEVELS_MAX_THREADS] = {false};
    size_t n = thread_count(npairs);
    int ran = 1;

    for (size_t t = 0; t < n; t++) {
        s[t] = (struct slice){p, rs, pairs, levels, fracs, npairs * t / n, npairs * (t + 1) / n};
        /* slice 0 is this thread's; a slice whose thread cannot start is too */
        started[t] = t > 0 && pthread_create(&tid[t], NULL, compare_slice, &s[t]) == 0;
        if (t > 0 && !started[t])
            log_debug("matching: no thread for comparison slice %zu; comparing it here", t);
    }
    for (size_t t = 0; t < n; t++)
        if (!started[t])
            compare_slice(&s[t]);
    for (size_t t = 1; t < n; t++)
        if (started[t]) {
            pthread_join(tid[t], NULL);
            ran++;
        }
    return ran;
}
