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

/* One line of a .env file (n bytes, its '\n' kept): its variable set
 * unless the environment has it. A NUL byte would end the value there
 * without a word (a password cut short fails far from its cause): the
 * file is refused instead, as a line that is no KEY=VALUE is. */
static int env_line(const char *path, int lineno, char *line, size_t n, struct err *err)
{
    const char *nul = memchr(line, '\0', n);
    char *s = str_trim(line), *eq, *key;

    if (nul != NULL)
        return err_code(err, EXIT_USAGE, "'%s' line %d column %zu: a NUL byte (the file is "
                        "read as text)", path, lineno, (size_t)(nul - line) + 1);
    if (*s == '\0' || *s == '#')
        return 0;
    if (str_starts(s, "export "))
        s = str_trim(s + 7);
    eq = strchr(s, '=');
    if (eq == NULL)
        return err_code(err, EXIT_USAGE, "'%s' line %d: expected KEY=VALUE", path, lineno);
    *eq = '\0';
    key = str_trim(s);
    for (char *c = key; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return err_code(err, EXIT_USAGE, "'%s' line %d: '%s' is not a variable name", path,
                            lineno, key);
    setenv(key, unquote(str_trim(eq + 1)), 0);
    return 0;
}

int env_load_dotenv(const char *path, struct err *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0, rc = 0;

    if (f == NULL)
        return errno == ENOENT ? 0 : err_set(err, "unable to read '%s': %m", path);
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        rc = env_line(path, lineno, line, (size_t)n, err);
    }
    free(line);
    fclose(f);
    return rc;
}
