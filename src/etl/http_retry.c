/*
 * http_retry.c — when to try a request again, and how long to wait first.
 *
 * Pure functions with no clock and no randomness of their own, so the unit
 * tests can pin every case: the fetcher (http_fetch.c) passes the attempt
 * number, the Retry-After libcurl read, and a uniform random number.
 *
 * The wait is "full jitter" (AWS architecture blog, "Exponential Backoff
 * And Jitter"): uniform between 0 and an exponentially growing ceiling, so
 * clients that failed together do not come back together. A server's
 * Retry-After wins over the backoff, but never beyond retry_max: a server
 * asking for an hour must not stall a run for an hour. Nor may many waits:
 * a request gives up rather than retry later than retry_deadline after its
 * first attempt (an API asking for a minute five times over is out of its
 * quota, and the next run resumes from the checkpoint). libcurl before 8.12
 * returns a negative Retry-After for a date in the past; that, and 0 (no
 * header), fall back to the backoff.
 */
#include <curl/curl.h>

#include "kasparro/http.h"

bool http_retry_status(long status)
{
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

bool http_retry_transport(int code)
{
    switch ((CURLcode)code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

long http_retry_wait_ms(const struct retry_policy *p, int attempt, long long retry_after_s,
                        double unit)
{
    long max = p->max_ms > 0 ? p->max_ms : 0;
    double ceiling = p->base_ms > 0 ? (double)p->base_ms : 0;

    if (retry_after_s > 0)
        return retry_after_s > max / 1000 ? max : (long)retry_after_s * 1000;
    /* doubling in floating point cannot overflow; the cap applies after */
    for (int i = 1; i < attempt && ceiling < (double)max; i++)
        ceiling *= 2;
    if (ceiling > (double)max)
        ceiling = (double)max;
    if (unit < 0)
        unit = 0;
    if (unit >= 1)
        unit = 0.999999;
    return (long)(unit * ceiling);
}

bool http_retry_in_time(const struct retry_policy *p, double elapsed_s, long wait_ms)
{
    return p->deadline_ms <= 0 || elapsed_s * 1000 + (double)wait_ms <= (double)p->deadline_ms;
}
