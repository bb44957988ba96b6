/*
 * jsonpath.c — dotted-path lookup (see jsonpath.h). No wildcards and no
 * escaping: field names with dots are not addressable, which no source so
 * far has needed.
 */
#include "kasparro/jsonpath.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *step(const cJSON *node, const char *seg, size_t len)
{
    char key[256];

    if (len >= sizeof key)
        return NULL;
    memcpy(key, seg, len);
    key[len] = '\0';
    if (cJSON_IsArray(node)) {
        char *end;
        long i = strtol(key, &end, 10);
        if (*end != '\0' || end == key || i < 0)
            return NULL;
        return cJSON_GetArrayItem(node, (int)i);
    }
    if (!cJSON_IsObject(node))
        return NULL;
    const cJSON *hit = cJSON_GetObjectItemCaseSensitive(node, key);
    return hit ? hit : cJSON_GetObjectItem(node, key);
}

const cJSON *json_path(const cJSON *root, const char *path)
{
    const cJSON *node = root;

    if (path == NULL)
        return root;
    while (node != NULL && *path != '\0') {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        node = step(node, path, len);
        path += len + (dot ? 1 : 0);
    }
    return node;
}
