/*
 * env.c — .env loading (see env.h). The format is the common subset the old
 * system's .env used: no variable expansion, no multi-line values.
 *
 * The file is read once into the environment, at start-up, before any
 * thread; the names it set and its full path are kept, so that a variable
 * it set can be read again from it later (env_current: an API key rotated
 * in .env, taken up by a reload) without writing the environment again,
 * which threads read.
 */
#include "kasparro/env.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
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

/* What reading a .env file does with each KEY=VALUE. */
typedef void (*env_pair_fn)(void *arg, const char *key, const char *value);

/* One line of a .env file (n bytes, its '\n' kept), its pair given to fn.
 * A NUL byte would end the value there without a word (a password cut
 * short fails far from its cause): the file is refused instead, as a line
 * that is no KEY=VALUE is. */
static int env_line(const char *path, int lineno, char *line, size_t n, env_pair_fn fn,
                    void *arg, struct err *err)
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
    fn(arg, key, unquote(str_trim(eq + 1)));
    return 0;
}

static int read_dotenv(const char *path, env_pair_fn fn, void *arg, struct err *err)
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
        rc = env_line(path, lineno, line, (size_t)n, fn, arg, err);
    }
    /* a folder opens and its first read fails: an error, not an empty file */
    if (rc == 0 && ferror(f))
        rc = err_set(err, "unable to read '%s': %m", path);
    free(line);
    fclose(f);
    return rc;
}

/* The .env file read at start-up and the variables it set. */
static struct {
    char *path;
    char **names;
    size_t n;
} dotenv;

/* A variable the environment does not have yet (the first of a name the
 * file gives twice) is set, and remembered as the file's. */
static void set_pair(void *arg, const char *key, const char *value)
{
    (void)arg;
    if (getenv(key) != NULL)
        return;
    setenv(key, value, 0);
    dotenv.names = xreallocarray(dotenv.names, dotenv.n + 1, sizeof *dotenv.names);
    dotenv.names[dotenv.n++] = xstrdup(key);
}

int env_load_dotenv(const char *path, struct err *err)
{
    char full[PATH_MAX];

    free(dotenv.path);
    dotenv.path = xstrdup(realpath(path, full) != NULL ? full : path);
    return read_dotenv(path, set_pair, NULL, err);
}

struct env_find {
    const char *name;
    char *value;
};

static void find_pair(void *arg, const char *key, const char *value)
{
    struct env_find *f = arg;

    if (f->value == NULL && strcmp(key, f->name) == 0)
        f->value = xstrdup(value);
}

int env_current(const char *name, char **value, struct err *err)
{
    const char *v;

    for (size_t i = 0; i < dotenv.n; i++) {
        if (strcmp(dotenv.names[i], name) != 0)
            continue;
        struct env_find f = {.name = name};
        int rc = read_dotenv(dotenv.path, find_pair, &f, err);
        *value = rc == 0 && f.value != NULL && f.value[0] != '\0' ? f.value : NULL;
        if (*value == NULL)
            free(f.value);
        return rc;
    }
    v = env_get(name);
    *value = v != NULL ? xstrdup(v) : NULL;
    return 0;
}
