/*
 * ratelimit.c — a token bucket: at most `rate` requests a second on
 * average, `burst` at once.
 *
 * One bucket per source, owned by its fetcher, so the source's concurrent
 * page fetches and their retries share one budget. The caller passes the
 * monotonic time, which keeps this file free of clocks and testable. The
 * bucket starts full: a source's first `burst` requests go out at once.
 */
#include "kasparro/http.h"

void ratelimit_init(struct ratelimit *rl, double rate, long burst, double now)
{
    rl->rate = rate > 0 ? rate : 0;
    rl->burst = burst >= 1 ? (double)burst : 1;
    rl->tokens = rl->burst;
    rl->last = now;
}

double ratelimit_take(struct ratelimit *rl, double now)
{
    if (rl->rate <= 0)
        return 0;
    if (now > rl->last) {
        rl->tokens += (now - rl->last) * rl->rate;
        if (rl->tokens > rl->burst)
            rl->tokens = rl->burst;
        rl->last = now;
    }
    /* a caller that waited the time we said must not be sent back for a
     * rounding error's worth of token */
    if (rl->tokens >= 1 - 1e-9) {
        rl->tokens = rl->tokens > 1 ? rl->tokens - 1 : 0;
        return 0;
    }
    return (1 - rl->tokens) / rl->rate;
}
