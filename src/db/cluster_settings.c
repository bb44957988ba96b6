/*
 * cluster_settings.c — the settings block kasparro keeps in its private
 * cluster's postgresql.conf (see cluster.h).
 *
 * After initdb, kasparro appends a block that opens with the mark (which is
 * how it tells its own cluster from someone else's) and ends with an end
 * line: the socket in the data folder and no TCP port, the checkpoint
 * spacing. Part of it, the managed lines (MANAGED_KEYS), is written again
 * every time kasparro starts the server, so a cluster made by an older
 * kasparro gets what a new one would; the rest of the block and every line
 * outside it are left as they are. PostgreSQL takes the last value it reads
 * for a setting, and it reads postgresql.auto.conf (ALTER SYSTEM) after
 * postgresql.conf, so an operator overrides a managed value with ALTER
 * SYSTEM (or a line below the block); an edit inside the managed part is
 * replaced at the next start.
 *
 * The managed line: JIT compilation off. kasparro's statements are short or
 * read few rows per call; the few that cross jit_above_cost are scans of
 * the records, where compiling cost 18-73 ms a statement and saved nothing
 * measurable. shared_buffers stays PostgreSQL's default (128 MB): sized to
 * a quarter of memory it made a first load of 1M records cost a third more
 * CPU (every page the load wrote took a fresh page of shared memory) and
 * no re-sync measurably faster (docs/architecture.md, "The private
 * cluster's settings").
 */
#include "kasparro/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kasparro/buf.h"
#include "kasparro/db.h"
#include "kasparro/log.h"

#define MANAGED_COMMENT "# kasparro: written again at each start"
static const char *const MANAGED_KEYS[] = {"jit", NULL};
/* what kasparro's blocks held before they had an end line */
static const char *const OLD_KEYS[] = {"listen_addresses", "unix_socket_directories",
                                       "unix_socket_permissions", "port", "max_wal_size",
                                       "checkpoint_timeout", "checkpoint_completion_target",
                                       "log_min_messages", NULL};

int cluster_settings_write(const char *dir, struct err *err)
{
    char path[PATH_MAX];
    FILE *f;

    snprintf(path, sizeof path, "%s/postgresql.conf", dir);
    f = fopen(path, "a");
    if (f == NULL)
        return err_code(err, EXIT_DB, "unable to write '%s': %m", path);
    fprintf(f, "\n" CLUSTER_SETTINGS_MARK "\n"
               "listen_addresses = ''\n"
               "unix_socket_directories = '%s'\n"
               "unix_socket_permissions = 0700\n"
               "port = 5432\n"
               "max_wal_size = '4GB'\n"
               "checkpoint_timeout = '15min'\n"
               "checkpoint_completion_target = 0.9\n"
               "log_min_messages = warning\n" CLUSTER_SETTINGS_END "\n",
            dir);
    return fclose(f) == 0 ? 0 : err_code(err, EXIT_DB, "unable to write '%s': %m", path);
}

/* Whether LINE sets one of KEYS ("key = value", "key=value", "key value"). */
static bool sets_key(const char *line, const char *const *keys)
{
    line += strspn(line, " \t");
    for (const char *const *k = keys; *k; k++) {
        size_t n = strlen(*k);
        if (strncmp(line, *k, n) == 0 && strchr(" \t=", line[n]) != NULL && line[n] != '\0')
            return true;
    }
    return false;
}

static void add_managed(struct buf *b)
{
    buf_adds(b, MANAGED_COMMENT "; ALTER SYSTEM overrides them\n"
                "jit = off\n" CLUSTER_SETTINGS_END "\n");
}

/* Where LINE stands in the block: kasparro's block opens with the mark and,
 * since it has managed lines, closes with an end line; an older kasparro's
 * block has no end line and ends at the first line that is none of its
 * keys, so a managed key there is an operator's, below the block, and
 * stays. */
enum where { BEFORE, IN, AFTER };

static enum where next_where(enum where w, const char *line, bool has_end, bool *drop)
{
    *drop = false;
    if (w == BEFORE)
        return strncmp(line, CLUSTER_SETTINGS_MARK, strlen(CLUSTER_SETTINGS_MARK)) == 0 ? IN
                                                                                         : BEFORE;
    if (w == AFTER)
        return AFTER;
    if (has_end && strncmp(line, CLUSTER_SETTINGS_END, strlen(CLUSTER_SETTINGS_END)) == 0) {
        *drop = true;
        return AFTER;
    }
    if (has_end && (sets_key(line, MANAGED_KEYS) ||
                    strncmp(line, MANAGED_COMMENT, strlen(MANAGED_COMMENT)) == 0)) {
        *drop = true;
        return IN;
    }
    return has_end || sets_key(line, OLD_KEYS) ? IN : AFTER;
}

/* TEXT (postgresql.conf) with kasparro's block's managed lines written
 * again; NULL when TEXT holds no block of kasparro's. */
char *cluster_settings_rewrite(const char *text)
{
    struct buf b = BUF_INIT;
    const char *p = text, *mark = strstr(text, CLUSTER_SETTINGS_MARK);
    bool has_end = mark != NULL && strstr(mark, "\n" CLUSTER_SETTINGS_END) != NULL;
    enum where w = BEFORE;

    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        char line[1024];
        enum where was = w;
        bool drop;
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        w = next_where(w, line, has_end, &drop);
        if (was == IN && w == AFTER)
            add_managed(&b);
        if (!drop) {
            buf_add(&b, p, len);
            if (p[len - 1] != '\n')
                buf_addc(&b, '\n');
        }
        p += len;
    }
    if (w == IN)
        add_managed(&b);
    if (w == BEFORE) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static char *read_all(const char *path, struct stat *st)
{
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    FILE *f = fopen(path, "r");

    if (f == NULL)
        return NULL;
    if (fstat(fileno(f), st) < 0) {
        fclose(f);
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    if (ferror(f)) {
        fclose(f);
        buf_free(&b);
        return NULL;
    }
    fclose(f);
    buf_addc(&b, '\0');
    return buf_detach(&b);
}

/* Writes TEXT over PATH through a new file renamed into place, with the
 * old file's owner (the server's account, when kasparro runs as root) and
 * mode, so a crash leaves one whole file or the other. */
static int replace_file(const char *path, const char *text, const struct stat *st, struct err *err)
{
    char tmp[PATH_MAX + 16];
    size_t len = strlen(text);
    int fd;

    snprintf(tmp, sizeof tmp, "%s.kasparro", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st->st_mode & 07777);
    if (fd < 0)
        return err_code(err, EXIT_DB, "unable to write '%s': %m", tmp);
    if ((geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) < 0) ||
        fchmod(fd, st->st_mode & 07777) < 0 || write(fd, text, len) != (ssize_t)len ||
        fsync(fd) < 0) {
        err_code(err, EXIT_DB, "unable to write '%s': %m", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        err_code(err, EXIT_DB, "unable to replace '%s': %m", path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

int cluster_settings_update(const char *dir, struct err *err)
{
    char path[PATH_MAX];
    struct stat st;
    char *old, *new;
    int rc = 0;

    snprintf(path, sizeof path, "%s/postgresql.conf", dir);
    if ((old = read_all(path, &st)) == NULL)
        return err_code(err, EXIT_DB, "unable to read '%s': %m", path);
    new = cluster_settings_rewrite(old);
    if (new != NULL && strcmp(old, new) != 0) {
        log_info("private database: kasparro's settings written again in '%s'", path);
        rc = replace_file(path, new, &st, err);
    }
    free(old);
    free(new);
    return rc;
}
