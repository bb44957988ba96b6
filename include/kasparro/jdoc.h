/*
 * jdoc.h — exact JSON: a document as a source sent it, parsed strictly.
 *
 * Source pages are parsed with yajl, not cJSON: cJSON reads every number
 * into a double (9007199254740993 becomes ...992, 1e400 becomes null) and
 * every string into a C string (a \u0000 ends it), and it accepts what
 * RFC 8259 does not (-01, 2., raw control characters). yajl is strict,
 * hands numbers over as the text the source wrote and strings with their
 * length; a jdoc keeps both, and for every value the token as written.
 *
 * What yajl lets through is checked here: the text must be valid UTF-8
 * (no overlong forms, no encoded surrogates, no NUL byte) without a
 * vertical tab or form feed (yajl's whitespace, not JSON's), and an escaped
 * UTF-16 surrogate without its pair (\ud800 alone), which is no character
 * and which yajl would turn into '?' or invalid UTF-8, marks its string
 * `unpaired`: the token stays exact, the decoded text is not to be used.
 * Nesting deeper than JDOC_MAX_DEPTH is refused.
 *
 * Values are read through paths (jsonpath.h's syntax: "data.items",
 * "meta.\"x.y\"", "items.0.id"); an object that holds the key a path asks
 * for twice answers "ambiguous" rather than picking one.
 */
#ifndef KASPARRO_JDOC_H
#define KASPARRO_JDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "kasparro/buf.h"

#define JDOC_MAX_DEPTH 1000

enum jtype { JT_NULL, JT_FALSE, JT_TRUE, JT_NUMBER, JT_STRING, JT_ARRAY, JT_OBJECT };

struct jval {
    enum jtype type;
    const char *tok;  /* as written: a scalar's token, a container's whole text */
    size_t toklen;
    const char *str;  /* string: decoded, NUL-terminated at len, may hold NUL;
                         number: its text as written */
    size_t len;
    bool unpaired;    /* string: holds an unpaired surrogate escape (no text) */
    /* in an object: the member's name, decoded and as written */
    const char *key;
    size_t keylen;
    const char *ktok;
    size_t ktoklen;
    bool key_unpaired;
    struct jval *child; /* first element or member */
    struct jval *next;  /* the next one in the same container */
    size_t n;           /* elements or members */
};

struct jdoc;

/* Parses len bytes of text (copied). NULL with why ("malformed JSON near
 * byte 12: invalid char in json text") when it is not one RFC 8259 value. */
struct jdoc *jdoc_parse(const char *text, size_t len, char *why, size_t whylen);
const struct jval *jdoc_root(const struct jdoc *d);
void jdoc_free(struct jdoc *d);

/* The value at `path` (NULL or "": v itself), NULL when absent; *ambiguous
 * (when not NULL) says whether an object on the way holds the key twice. A
 * segment that is a number indexes an array; keys match exactly, else
 * ignoring case. */
const struct jval *jval_path(const struct jval *v, const char *path, bool *ambiguous);
/* Appends v as written, without the whitespace between its tokens: every
 * number's digits, every string's escapes, the members' order. */
void jval_compact(const struct jval *v, struct buf *out);
/* "an object", "a string", ... for messages. */
const char *jval_kind(const struct jval *v);

#endif
