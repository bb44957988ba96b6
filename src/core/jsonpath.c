/*
 * jsonpath.c — dotted-path lookup and spelling (see jsonpath.h). Every
 * reader of a path walks it with json_path_next(), so quoting means the same
 * thing to the configuration, the mapper, the drift report and the lookup
 * (jval_path in jdoc.c).
 */
#include "kasparro/jsonpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int malformed(char *why, size_t whylen, const char *msg)
{
    if (why != NULL)
        snprintf(why, whylen, "%s", msg);
    return -1;
}

int json_path_next(const char **path, char *seg, size_t cap, char *why, size_t whylen)
{
    const char *c = *path;
    size_t n = 0;

    if (*c == '\0')
        return 0;
    if (*c == '"') {
        for (c++; *c != '"'; c++) {
            if (*c == '\0')
                return malformed(why, whylen, "a quote is not closed");
            if (*c == '\\' && (c[1] == '"' || c[1] == '\\'))
                c++;
            if (n + 1 >= cap)
                return malformed(why, whylen, "a segment is too long");
            seg[n++] = *c;
        }
        c++;
        if (*c != '\0' && *c != '.')
            return malformed(why, whylen, "a closing quote must end the segment");
    } else {
        n = strcspn(c, ".\"");
        if (c[n] == '"')
            return malformed(why, whylen, "a quote may only enclose a whole segment "
                             "(\"like.this\".name)");
        if (n + 1 > cap)
            return malformed(why, whylen, "a segment is too long");
        memcpy(seg, c, n);
        c += n;
    }
    seg[n] = '\0';
    if (*c == '.' && *++c == '\0')
        return malformed(why, whylen, "the path ends with a '.'");
    *path = c;
    return 1;
}

/* Whether `key` must be quoted: it holds what splits a path, or what the
 * configuration's INI lines would split or cut (so canonical paths can be
 * written back as map.PATH keys). */
static bool needs_quotes(const char *key, size_t len)
{
    if (len == 0 || key[0] == ' ' || key[len - 1] == ' ' || key[0] == '\t' ||
        key[len - 1] == '\t')
        return true;
    for (size_t i = 0; i < len; i++)
        if (strchr(".\":=;", key[i]) != NULL && key[i] != '\0')
            return true;
    return false;
}

void json_path_append(struct buf *path, const char *key, size_t len)
{
    if (path->len > 0)
        buf_addc(path, '.');
    if (!needs_quotes(key, len)) {
        buf_add(path, key, len);
        return;
    }
    buf_addc(path, '"');
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '"' || key[i] == '\\')
            buf_addc(path, '\\');
        buf_addc(path, key[i]);
    }
    buf_addc(path, '"');
}

/* `path` respelled: canonically (quotes where needed), or as one plain name
 * (segments unquoted, joined by '.'). */
static char *rewrite(const char *path, bool canon, char *why, size_t whylen)
{
    struct buf out = BUF_INIT;
    char *seg = xmalloc(strlen(path) + 1);
    int rc;

    buf_adds(&out, "");
    while ((rc = json_path_next(&path, seg, strlen(path) + 1, why, whylen)) > 0) {
        if (!canon) {
            if (out.len > 0)
                buf_addc(&out, '.');
            buf_adds(&out, seg);
        } else if (*seg == '\0') {
            rc = malformed(why, whylen, "a segment is empty");
            break;
        } else {
            json_path_append(&out, seg, strlen(seg));
        }
    }
    free(seg);
    if (rc < 0) {
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out);
}

char *json_path_canon(const char *path, char *why, size_t whylen)
{
    return rewrite(path, true, why, whylen);
}

char *json_path_name(const char *path) { return rewrite(path, false, NULL, 0); }
