/*
 * tz.c — time zones from TZif files (see tz.h).
 *
 * A TZif file (RFC 8536) holds a version 1 block with 32-bit times and, from
 * version 2 on, the same data again with 64-bit times followed by a footer
 * line, a POSIX TZ rule for instants after the last transition. We read the
 * 64-bit block when there is one and keep three things: the transition
 * instants, the UTC offset that starts at each, and the footer rule.
 * Leap-second files ("right/...") are refused: their instants are not the
 * POSIX seconds everything else in kasparro counts.
 */
#include "kasparro/tz.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/util.h"

#define TZ_MAX_FILE (1 << 20)

struct tz {
    char *name;
    bool utc;
    int ntrans;
    long long *trans; /* ascending instants */
    long *trans_off;  /* offset in effect from trans[i] on */
    long first_off;   /* before the first transition (time type 0) */
    bool has_rule;
    struct tz_rule rule;
};

static bool name_is_utc(const char *name)
{
    static const char *utc[] = {"",     "UTC",      "Etc/UTC",   "UCT",
                                "Zulu", "Etc/Zulu", "Universal", "Etc/Universal",
                                "GMT",  "Etc/GMT",  "Z"};
    for (size_t i = 0; i < ARRAY_SIZE(utc); i++)
        if (strcmp(name, utc[i]) == 0)
            return true;
    return false;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

static struct tzif_counts tzif_header(const unsigned char *p)
{
    struct tzif_counts c = {be32(p + 20), be32(p + 24), be32(p + 28),
                            be32(p + 32), be32(p + 36), be32(p + 40)};
    return c;
}

static size_t tzif_block_len(const struct tzif_counts *c, int tsize)
{
    return (size_t)c->time * tsize + c->time + (size_t)c->type * 6 + c->chars +
           (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

/* Fills tz from the data block at p (after its header); -1 when malformed. */
static int tzif_block(struct tz *tz, const struct tzif_counts *c, const unsigned char *p, int tsize)
{
    const unsigned char *idx = p + (size_t)c->time * tsize;
    const unsigned char *types = idx + c->time;

    if (c->type == 0)
        return -1;
    tz->ntrans = (int)c->time;
    tz->trans = xcalloc(c->time + 1, sizeof *tz->trans);
    tz->trans_off = xcalloc(c->time + 1, sizeof *tz->trans_off);
    for (uint32_t i = 0; i < c->time; i++) {
        const unsigned char *t = p + (size_t)i * tsize;
        if (idx[i] >= c->type)
            return -1;
        tz->trans[i] = tsize == 8 ? be64(t) : (int32_t)be32(t);
        tz->trans_off[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
    }
    tz->first_off = (int32_t)be32(types);
    return 0;
}

/* The footer: "\nRULE\n" after the 64-bit block; an empty rule means none. */
static int tzif_footer(struct tz *tz, const unsigned char *p, const unsigned char *end)
{
    char rule[256];
    const unsigned char *nl;

    if (p >= end || *p != '\n')
        return -1;
    nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
    if (nl == NULL || nl - p - 1 >= (long)sizeof rule)
        return -1;
    memcpy(rule, p + 1, (size_t)(nl - p - 1));
    rule[nl - p - 1] = '\0';
    if (rule[0] == '\0')
        return 0;
    if (tz_rule_parse(rule, &tz->rule) < 0)
        return -1;
    tz->has_rule = true;
    return 0;
}

static int tzif_parse(struct tz *tz, const unsigned char *data, size_t len)
{
    const unsigned char *end = data + len;
    struct tzif_counts c;
    size_t v1;

    if (len < 44 || memcmp(data, "TZif", 4) != 0)
        return -1;
    c = tzif_header(data);
    v1 = tzif_block_len(&c, 4);
    if (c.leap != 0)
        return -2;
    if (data[4] == '\0') {
        if (44 + v1 > len)
            return -1;
        return tzif_block(tz, &c, data + 44, 4);
    }
    const unsigned char *h2 = data + 44 + v1;
    if (h2 + 44 > end || memcmp(h2, "TZif", 4) != 0)
        return -1;
    c = tzif_header(h2);
    if (c.leap != 0)
        return -2;
    if (h2 + 44 + tzif_block_len(&c, 8) > end || tzif_block(tz, &c, h2 + 44, 8) < 0)
        return -1;
    return tzif_footer(tz, h2 + 44 + tzif_block_len(&c, 8), end);
}

static unsigned char *read_file(const char *path, size_t *len, int *errnum)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data;

    if (f == NULL) {
        *errnum = errno;
        return NULL;
    }
    data = xmalloc(TZ_MAX_FILE);
    *len = fread(data, 1, TZ_MAX_FILE, f);
    *errnum = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (*errnum != 0) {
        free(data);
        return NULL;
    }
    return data;
}

struct tz *tz_load(const char *name, struct err *err)
{
    const char *dir = getenv("TZDIR");
    struct tz *tz = xcalloc(1, sizeof *tz);
    unsigned char *data;
    size_t len = 0;
    int errnum, rc;
    char *path;

    name = name ? name : "";
    tz->name = xstrdup(name_is_utc(name) ? "UTC" : name);
    if (name_is_utc(name)) {
        tz->utc = true;
        return tz;
    }
    if (name[0] == '/' || strstr(name, "..") != NULL || strchr(name, ' ') != NULL) {
        err_code(err, EXIT_USAGE, "time zone '%s' is not an IANA zone name (like Europe/Berlin)",
                 name);
        tz_free(tz);
        return NULL;
    }
    path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    data = read_file(path, &len, &errnum);
    if (data == NULL) {
        err_code(err, EXIT_USAGE, "time zone '%s' is unknown (unable to read '%s': %s)", name, path,
                 strerror(errnum));
        free(path);
        tz_free(tz);
        return NULL;
    }
    rc = tzif_parse(tz, data, len);
    free(data);
    if (rc < 0) {
        err_code(err, EXIT_USAGE,
                 rc == -2 ? "time zone '%s': '%s' counts leap seconds; use the "
                            "zone without them"
                          : "time zone '%s': '%s' is not a valid TZif file",
                 name, path);
        free(path);
        tz_free(tz);
        return NULL;
    }
    free(path);
    return tz;
}

void tz_free(struct tz *tz)
{
    if (tz == NULL)
        return;
    free(tz->name);
    free(tz->trans);
    free(tz->trans_off);
    free(tz);
}

const char *tz_name(const struct tz *tz) { return tz ? tz->name : "UTC"; }
bool tz_is_utc(const struct tz *tz) { return tz == NULL || tz->utc; }

long tz_offset(const struct tz *tz, long long t)
{
    int lo = 0, hi;

    if (tz_is_utc(tz))
        return 0;
    if (tz->ntrans == 0)
        return tz->has_rule ? tz_rule_offset(&tz->rule, t) : tz->first_off;
    if (t < tz->trans[0])
        return tz->first_off;
    if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
        return tz_rule_offset(&tz->rule, t);
    hi = tz->ntrans - 1; /* the last transition at or before t */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return tz->trans_off[lo];
}

long long tz_local_to_utc(const struct tz *tz, long long local, enum tz_local_kind *kind)
{
    /* Offsets a day either side bracket any transition that can touch
     * `local`: real zones never change twice within two days. */
    long before = tz_offset(tz, local - 86400), after = tz_offset(tz, local + 86400);
    long long a = local - before, b = local - after;
    bool a_ok = tz_offset(tz, a) == before, b_ok = tz_offset(tz, b) == after;

    *kind = TZ_LOCAL_EXACT;
    if (a_ok && b_ok && a != b) {
        *kind = TZ_LOCAL_FOLD;
        return a < b ? a : b;
    }
    if (a_ok || b_ok)
        return a_ok ? a : b;
    /* A gap: the transition lies in (min(a,b), max(a,b)]; find its instant. */
    long long lo = a < b ? a : b, hi = a < b ? b : a;
    long lo_off = tz_offset(tz, lo);
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        if (tz_offset(tz, mid) == lo_off)
            lo = mid;
        else
            hi = mid;
    }
    *kind = TZ_LOCAL_GAP;
    return hi;
}
