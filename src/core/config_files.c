/*
 * config_files.c — what `config check` says about what a run will find
 * outside the file: a csv source's `path` that is not there, is a folder,
 * or cannot be read; an API's credential variable (auth_header_env) that is
 * not set.
 *
 * These are warnings, not errors: a configuration is valid whatever is on
 * disk when it is read (a partner's export may land there an hour before
 * the first run, and a daemon must start without it), and the daemon's
 * environment is not the shell's that checks the file, so config_load
 * never looks. `config check` is where an operator asks "will this work?", and
 * there a misspelt path should be noticed before the night's run fails on
 * it: the warning names the line of the `path` key and, when the folder
 * holds a file of a similar name, suggests it.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kasparro/config.h"
#include "kasparro/similar.h"

/* " (did you mean 'NAME'?)" for the file in `path`'s folder whose name is
 * nearest its own, or "". */
static void nearest_file(const char *path, char *out, size_t len)
{
    char *dcopy = xstrdup(path), *bcopy = xstrdup(path);
    const char *dir = dirname(dcopy), *base = basename(bcopy), *names[1024], *best;
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    out[0] = '\0';
    while (d != NULL && n < ARRAY_SIZE(names) && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            names[n++] = xstrdup(e->d_name);
    best = sim_nearest(base, names, n, 0.8, NULL);
    if (best != NULL)
        snprintf(out, len, " (did you mean '%s'?)", best);
    for (size_t i = 0; i < n; i++)
        free((char *)names[i]);
    if (d != NULL)
        closedir(d);
    free(dcopy);
    free(bcopy);
}

/* The API's: its credential's variable, unset or empty here. */
static char *env_warning(const char *file, const struct source_cfg *s)
{
    const char *v = getenv(s->auth_header_env);

    if (v != NULL && v[0] != '\0')
        return NULL;
    return xasprintf("config '%s' line %d: source '%s': auth_header_env names '%s', which is %s "
                     "here; a run in this environment fails on it", file, s->auth_env_line,
                     s->name, s->auth_header_env, v == NULL ? "not set" : "empty");
}

char *config_source_warning(const struct config *cfg, const struct source_cfg *s)
{
    const char *file = cfg->path ? cfg->path : "(no file)";
    char why[400] = "", hint[300];
    struct stat st;

    if (!s->enabled)
        return NULL;
    if (s->kind == SRC_HTTP_JSON && !str_empty(s->auth_header_env))
        return env_warning(file, s);
    if (s->kind != SRC_CSV || str_empty(s->path))
        return NULL;
    if (stat(s->path, &st) < 0 && errno == ENOENT) {
        nearest_file(s->path, hint, sizeof hint);
        snprintf(why, sizeof why, "no file '%s'%s; a run fails on it unless it is there by then",
                 s->path, hint);
    } else if (stat(s->path, &st) < 0 || access(s->path, R_OK) < 0) {
        snprintf(why, sizeof why, "'%s' cannot be read: %s", s->path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        snprintf(why, sizeof why, "'%s' is a folder, not a file", s->path);
    }
    if (why[0] == '\0')
        return NULL;
    return xasprintf("config '%s' line %d: source '%s': %s", file, s->path_line, s->name, why);
}
