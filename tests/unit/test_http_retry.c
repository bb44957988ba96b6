/*
 * test_http_retry.c — the retry policy of the http_json source: which
 * answers are retried, how the backoff grows and where it stops, the
 * bounds of its jitter, and Retry-After honoured but clamped (absent,
 * negative as libcurl 7.88 reports a past date, huge).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "kasparro/http.h"

static const struct retry_policy policy = {.retries = 5, .base_ms = 500, .max_ms = 60000};

static void test_retryable_statuses(void **state)
{
    (void)state;
    assert_true(http_retry_status(408));
    assert_true(http_retry_status(429));
    assert_true(http_retry_status(500));
    assert_true(http_retry_status(502));
    assert_true(http_retry_status(503));
    assert_true(http_retry_status(599));
    assert_false(http_retry_status(200));
    assert_false(http_retry_status(301));
    assert_false(http_retry_status(400));
    assert_false(http_retry_status(401));
    assert_false(http_retry_status(403));
    assert_false(http_retry_status(404));
    assert_false(http_retry_status(422));
    assert_false(http_retry_status(600));
}

static void test_retryable_transport_errors(void **state)
{
    (void)state;
    assert_true(http_retry_transport(CURLE_OPERATION_TIMEDOUT));
    assert_true(http_retry_transport(CURLE_COULDNT_CONNECT));
    assert_true(http_retry_transport(CURLE_PARTIAL_FILE));
    assert_true(http_retry_transport(CURLE_RECV_ERROR));
    assert_true(http_retry_transport(CURLE_SEND_ERROR));
    assert_true(http_retry_transport(CURLE_GOT_NOTHING));
    /* answers and mistakes that another attempt cannot change */
    assert_false(http_retry_transport(CURLE_OK));
    assert_false(http_retry_transport(CURLE_URL_MALFORMAT));
    assert_false(http_retry_transport(CURLE_PEER_FAILED_VERIFICATION));
    assert_false(http_retry_transport(CURLE_FILESIZE_EXCEEDED));
    assert_false(http_retry_transport(CURLE_WRITE_ERROR));
    assert_false(http_retry_transport(CURLE_FILE_COULDNT_READ_FILE));
    assert_false(http_retry_transport(CURLE_UNSUPPORTED_PROTOCOL));
}

/* With the random unit just below 1 the wait is the ceiling itself. */
static long ceiling(int attempt) { return http_retry_wait_ms(&policy, attempt, 0, 0.9999999); }

static void test_backoff_doubles_then_caps(void **state)
{
    (void)state;
    assert_in_range(ceiling(1), 499, 500);
    assert_in_range(ceiling(2), 999, 1000);
    assert_in_range(ceiling(3), 1999, 2000);
    assert_in_range(ceiling(4), 3999, 4000);
    assert_in_range(ceiling(7), 31999, 32000);
    assert_in_range(ceiling(8), 59999, 60000); /* 64 s capped at 60 s */
    assert_in_range(ceiling(20), 59999, 60000);
    assert_in_range(ceiling(5000), 59999, 60000); /* no overflow however many */
}

static void test_full_jitter_bounds(void **state)
{
    (void)state;
    assert_int_equal(http_retry_wait_ms(&policy, 3, 0, 0.0), 0);
    assert_int_equal(http_retry_wait_ms(&policy, 3, 0, 0.5), 1000);
    assert_int_equal(http_retry_wait_ms(&policy, 3, 0, 0.25), 500);
    /* out-of-range randomness is clamped, never beyond the ceiling */
    assert_int_equal(http_retry_wait_ms(&policy, 3, 0, -1.0), 0);
    assert_in_range(http_retry_wait_ms(&policy, 3, 0, 7.0), 1999, 2000);
    for (int i = 0; i <= 100; i++) {
        long w = http_retry_wait_ms(&policy, 2, 0, i / 101.0);
        assert_in_range(w, 0, 1000);
    }
}

static void test_retry_after_honoured(void **state)
{
    (void)state;
    /* the server's word replaces the backoff, jitter included */
    assert_int_equal(http_retry_wait_ms(&policy, 1, 3, 0.0), 3000);
    assert_int_equal(http_retry_wait_ms(&policy, 1, 3, 0.99), 3000);
    assert_int_equal(http_retry_wait_ms(&policy, 6, 1, 0.5), 1000);
    assert_int_equal(http_retry_wait_ms(&policy, 1, 60, 0.5), 60000);
}

static void test_retry_after_clamped(void **state)
{
    const struct retry_policy small = {.retries = 3, .base_ms = 100, .max_ms = 1500};
    (void)state;
    /* huge: never beyond retry_max */
    assert_int_equal(http_retry_wait_ms(&policy, 1, 3600, 0.5), 60000);
    assert_int_equal(http_retry_wait_ms(&policy, 1, 9223372036854775807LL, 0.5), 60000);
    assert_int_equal(http_retry_wait_ms(&small, 1, 2, 0.5), 1500);
    assert_int_equal(http_retry_wait_ms(&small, 1, 1, 0.5), 1000);
    /* negative (a past date, libcurl < 8.12) and absent: the backoff */
    assert_int_equal(http_retry_wait_ms(&policy, 2, -5, 0.5), 500);
    assert_int_equal(http_retry_wait_ms(&policy, 2, -9223372036854775807LL, 0.5), 500);
    assert_int_equal(http_retry_wait_ms(&policy, 2, 0, 0.5), 500);
}

/* No retry whose wait would end past retry_deadline, counted from the
 * first attempt; 0 is no deadline. */
static void test_deadline(void **state)
{
    const struct retry_policy two_min = {.retries = 5, .base_ms = 500, .max_ms = 60000,
                                         .deadline_ms = 120000};
    (void)state;
    assert_true(http_retry_in_time(&two_min, 0.2, 60000));
    assert_true(http_retry_in_time(&two_min, 60.0, 60000));
    assert_false(http_retry_in_time(&two_min, 60.5, 60000));
    assert_false(http_retry_in_time(&two_min, 121.0, 0));
    assert_true(http_retry_in_time(&policy, 3600.0, 60000));
}

static void test_degenerate_policies(void **state)
{
    const struct retry_policy zero = {.retries = 0, .base_ms = 0, .max_ms = 0};
    const struct retry_policy base_over_max = {.retries = 2, .base_ms = 5000, .max_ms = 1000};
    (void)state;
    assert_int_equal(http_retry_wait_ms(&zero, 1, 0, 0.5), 0);
    assert_int_equal(http_retry_wait_ms(&zero, 1, 10, 0.5), 0);
    assert_int_equal(http_retry_wait_ms(&base_over_max, 1, 0, 0.5), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retryable_statuses),
        cmocka_unit_test(test_retryable_transport_errors),
        cmocka_unit_test(test_backoff_doubles_then_caps),
        cmocka_unit_test(test_full_jitter_bounds),
        cmocka_unit_test(test_retry_after_honoured),
        cmocka_unit_test(test_retry_after_clamped),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_degenerate_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
