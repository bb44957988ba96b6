/*
 * jsonpath.h — dotted paths into JSON documents: "data.items",
 * "author.name", "meta.pages", "items.0.id". Used by source configuration
 * (records, cursor_path, total_path ...) and by field mappings; jdoc.h's
 * jval_path looks them up.
 *
 * A segment that holds a '.' or a '"' — a key or CSV column named like a URL
 * — is written in double quotes, with \" and \\ for a quote and a backslash
 * inside: meta."https://x.org/onto/title". Any segment may be quoted;
 * json_path_canon() writes the quotes only where they are needed (a '.',
 * '"', ':', '=' or ';', or blanks at either end), so two spellings of one
 * path compare equal and a canonical path is also a valid map.PATH key.
 */
#ifndef KASPARRO_JSONPATH_H
#define KASPARRO_JSONPATH_H

#include <stddef.h>

#include "kasparro/buf.h"

/* The next segment of *path, unquoted, into seg (NUL-terminated; a segment
 * is never longer than its path, so strlen(path) + 1 bytes always suffice);
 * *path moves past it and its dot. 1: a segment; 0: the end; -1: malformed
 * or longer than seg (why, when not NULL, says how). */
int json_path_next(const char **path, char *seg, size_t cap, char *why, size_t whylen);

/* Appends `key` to `path` as one more segment, quoted when it must be. */
void json_path_append(struct buf *path, const char *key, size_t len);

/* The canonical spelling of `path` (caller frees), or NULL with a reason
 * when it is malformed or has an empty segment. */
char *json_path_canon(const char *path, char *why, size_t whylen);

/* The path as one plain name, its segments unquoted and joined by '.':
 * how a CSV column is addressed (caller frees; NULL when malformed). */
char *json_path_name(const char *path);

#endif
