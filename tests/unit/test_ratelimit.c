/*
 * test_ratelimit.c — the token bucket every request of an http_json source
 * passes: a full bucket lets `burst` requests go at once, then one every
 * 1/rate seconds; idle time refills it, never beyond `burst`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "kasparro/http.h"

static void test_unlimited(void **state)
{
    struct ratelimit rl;
    (void)state;
    ratelimit_init(&rl, 0, 1, 100.0);
    for (int i = 0; i < 1000; i++)
        assert_true(ratelimit_take(&rl, 100.0) == 0);
}

static void test_steady_rate(void **state)
{
    struct ratelimit rl;
    double t = 10.0;
    int started = 0;
    (void)state;
    ratelimit_init(&rl, 5, 1, t);
    assert_true(ratelimit_take(&rl, t) == 0);
    double wait = ratelimit_take(&rl, t);
    assert_true(wait > 0.199 && wait < 0.201);
    /* a caller that always waits what it is told: 10 requests take 1.8 s */
    for (started = 1; started < 10;) {
        double w = ratelimit_take(&rl, t);
        if (w == 0)
            started++;
        else
            t += w;
    }
    assert_true(t - 10.0 > 1.79 && t - 10.0 < 1.81);
}

static void test_burst_and_refill(void **state)
{
    struct ratelimit rl;
    (void)state;
    ratelimit_init(&rl, 2, 3, 0.0);
    assert_true(ratelimit_take(&rl, 0.0) == 0);
    assert_true(ratelimit_take(&rl, 0.0) == 0);
    assert_true(ratelimit_take(&rl, 0.0) == 0);
    assert_true(ratelimit_take(&rl, 0.0) > 0.49);
    /* a long idle spell refills to the burst, not beyond */
    assert_true(ratelimit_take(&rl, 100.0) == 0);
    assert_true(ratelimit_take(&rl, 100.0) == 0);
    assert_true(ratelimit_take(&rl, 100.0) == 0);
    assert_true(ratelimit_take(&rl, 100.0) > 0);
}

static void test_clock_going_back_is_harmless(void **state)
{
    struct ratelimit rl;
    (void)state;
    ratelimit_init(&rl, 1, 1, 50.0);
    assert_true(ratelimit_take(&rl, 50.0) == 0);
    double w = ratelimit_take(&rl, 40.0);
    assert_true(w > 0.99 && w <= 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unlimited),
        cmocka_unit_test(test_steady_rate),
        cmocka_unit_test(test_burst_and_refill),
        cmocka_unit_test(test_clock_going_back_is_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
