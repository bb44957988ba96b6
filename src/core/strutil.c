/*
 * strutil.c — small string and value parsers shared by every layer.
 *
 * Configuration values, command options and environment variables all go
 * through these, so "15m", "90d", "10M" and "yes" mean the same thing in a
 * config file, on the command line and in the console.
 */
#include "kasparro/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

bool str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

bool str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_empty(const char *s)
{
    if (s == NULL)
        return true;
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

char *str_trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

size_t str_split(char *s, char sep, char **out, size_t max)
{
    size_t n = 0;
    char *item = s;

    if (str_empty(s))
        return 0;
    for (;;) {
        char *next = strchr(item, sep);
        if (next != NULL)
            *next = '\0';
        if (n == max)
            break;
        out[n++] = str_trim(item);
        if (next == NULL)
            break;
        item = next + 1;
    }
    return n;
}

char **str_split_all(const char *s, char sep, size_t *n)
{
    size_t items = 1, len = s != NULL ? strlen(s) : 0;
    char **out;

    for (size_t i = 0; i < len; i++)
        items += s[i] == sep;
    out = xmalloc(items * sizeof *out + len + 1);
    char *copy = (char *)(out + items);
    memcpy(copy, s != NULL ? s : "", len + 1);
    *n = str_split(copy, sep, out, items);
    return out;
}

bool parse_ll(const char *s, long long *out)
{
    char *end;
    long long v;

    if (str_empty(s))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return false;
    *out = v;
    return true;
}

bool parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (str_empty(s))
        return false;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || !isfinite(v))
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return false;
    *out = v;
    return true;
}

/* A number followed by an optional unit from `units`; scale[i] is its factor. */
static long long parse_scaled(const char *s, const char *units, const long long *scale)
{
    char *end;
    double v;
    const char *u;

    if (str_empty(s))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || v < 0 || !isfinite(v))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '\0')
        return (long long)v;
    u = strchr(units, tolower((unsigned char)*end));
    if (u == NULL || *u == '\0')
        return -1;
    end++;
    /* accept "10MB"/"10mb" and "5min"-style suffixes only where unambiguous */
    if (*end == 'b' || *end == 'B')
        end++;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return -1;
    return (long long)(v * (double)scale[u - units]);
}

long long parse_duration(const char *s)
{
    static const long long scale[] = {1, 60, 3600, 86400, 604800};
    return parse_scaled(s, "smhdw", scale);
}

char *format_duration(long long seconds, char *buf, size_t len)
{
    static const struct {
        long long secs;
        char unit;
    } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    size_t used = 0;
    int parts = 0;

    if (seconds < 0)
        seconds = -seconds;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(units) && parts < 2 && used < len; i++) {
        long long n = seconds / units[i].secs;
        if (n == 0 && parts == 1)
            break; /* "1h", not "1h0m" */
        if (n == 0 && units[i].secs != 1)
            continue;
        used += (size_t)snprintf(buf + used, len - used, "%lld%c", n, units[i].unit);
        seconds -= n * units[i].secs;
        parts++;
    }
    return buf;
}

long long parse_size(const char *s)
{
    static const long long scale[] = {1024LL, 1024LL * 1024, 1024LL * 1024 * 1024};
    return parse_scaled(s, "kmg", scale);
}

int parse_bool(const char *s)
{
    static const char *yes[] = {"1", "true", "yes", "on"};
    static const char *no[] = {"0", "false", "no", "off"};

    if (s == NULL)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

const char *os_user(void)
{
    static char name[64];
    struct passwd *pw;
    const char *env;

    if (name[0] != '\0')
        return name;
    pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL)
        snprintf(name, sizeof name, "%s", pw->pw_name);
    else if ((env = getenv("USER")) != NULL && *env != '\0')
        snprintf(name, sizeof name, "%s", env);
    else
        snprintf(name, sizeof name, "uid%ld", (long)geteuid());
    return name;
}
