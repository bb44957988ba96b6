/*
 * env.c — .env loading (see env.h). The format is the common subset the old
 * system's .env used: no variable expansion, no multi-line values.
 */
#include "kasparro/env.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *env_get(const char *name)
{
    const char *v = getenv(name);
    return (v != NULL && *v != '\0') ? v : NULL;
}

static char *unquote(char *v)
{
    size_t len = strlen(v);

    if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
        v[len - 1] = '\0';
        return v + 1;
    }
    /* an unquoted value ends at " #" */
    char *hash = strstr(v, " #");
    if (hash != NULL)
        *hash = '\0';
    return str_trim(v);
}

int env_load_dotenv(const char *path, struct err *err)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    int lineno = 0;

    if (f == NULL)
        return errno == ENOENT ? 0 : err_set(err, "unable to read '%s': %m", path);
    while (fgets(line, sizeof line, f) != NULL) {
        char *s = str_trim(line), *eq, *key;
        lineno++;
        if (*s == '\0' || *s == '#')
            continue;
        if (str_starts(s, "export "))
            s = str_trim(s + 7);
        eq = strchr(s, '=');
        if (eq == NULL) {
            fclose(f);
            return err_code(err, EXIT_USAGE, "'%s' line %d: expected KEY=VALUE", path, lineno);
        }
        *eq = '\0';
        key = str_trim(s);
        for (char *c = key; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '_') {
                fclose(f);
                return err_code(err, EXIT_USAGE, "'%s' line %d: '%s' is not a variable name",
                                path, lineno, key);
            }
        setenv(key, unquote(str_trim(eq + 1)), 0);
    }
    fclose(f);
    return 0;
}
