/*
 * paths.c — XDG folders and the share folder (see paths.h).
 */
#include "kasparro/paths.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kasparro/util.h"

#ifndef KASPARRO_DATADIR
#define KASPARRO_DATADIR "/usr/local/share/kasparro"
#endif

static void xdg_dir(char *out, size_t len, const char *env, const char *fallback)
{
    const char *base = getenv(env);
    const char *home = getenv("HOME");

    if (base != NULL && base[0] == '/')
        snprintf(out, len, "%s/kasparro", base);
    else
        snprintf(out, len, "%s/%s/kasparro", home && *home ? home : "/tmp", fallback);
}

const char *paths_state_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0] == '\0')
        xdg_dir(dir, sizeof dir, "XDG_STATE_HOME", ".local/state");
    return dir;
}

const char *paths_data_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0] == '\0')
        xdg_dir(dir, sizeof dir, "XDG_DATA_HOME", ".local/share");
    return dir;
}

const char *paths_share_dir(void)
{
    static char dir[PATH_MAX];
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    const char *env = getenv("KASPARRO_SHARE");
    ssize_t n;

    if (dir[0] != '\0')
        return dir;
    if (env != NULL && *env != '\0') {
        snprintf(dir, sizeof dir, "%s", env);
        return dir;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        /* the binary sits at the top of a source tree, or in build-san/ */
        for (int up = 0; slash != NULL && up < 2; up++) {
            *slash = '\0';
            snprintf(probe, sizeof probe, "%s/share/kasparro/kasparro.conf", exe);
            if (access(probe, R_OK) == 0) {
                snprintf(dir, sizeof dir, "%s/share/kasparro", exe);
                return dir;
            }
            slash = strrchr(exe, '/');
        }
    }
    snprintf(dir, sizeof dir, "%s", KASPARRO_DATADIR);
    return dir;
}

int paths_state_mode(void)
{
    return geteuid() == 0 ? 0755 : 0700;
}

int paths_mkdirs(const char *path, int mode)
{
    char buf[PATH_MAX];
    size_t len = strlen(path);

    if (len == 0 || len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

char *paths_tilde(const char *word)
{
    const char *slash, *home = NULL;
    struct passwd *pw;

    if (word == NULL || word[0] != '~')
        return NULL;
    slash = strchr(word, '/');
    size_t n = slash != NULL ? (size_t)(slash - word - 1) : strlen(word + 1);
    if (n == 0) {
        home = getenv("HOME");
        if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())) != NULL)
            home = pw->pw_dir;
    } else {
        char *user = xstrndup(word + 1, n);
        if ((pw = getpwnam(user)) != NULL)
            home = pw->pw_dir;
        free(user);
    }
    if (home == NULL || *home == '\0')
        return NULL;
    return xasprintf("%s%s", home, word + 1 + n);
}
