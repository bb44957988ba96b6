/*
 * jsonpath.h — dotted paths into cJSON documents: "data.items",
 * "author.name", "meta.pages", "items.0.id". Used by source configuration
 * (records, cursor_path, total_path ...) and by field mappings.
 */
#ifndef KASPARRO_JSONPATH_H
#define KASPARRO_JSONPATH_H

#include <cjson/cJSON.h>

/* The node at `path` (NULL or "" is the root itself), or NULL when absent.
 * A segment that is a number indexes an array. Keys match exactly first,
 * then case-insensitively. */
const cJSON *json_path(const cJSON *root, const char *path);

#endif
