/*
 * cluster.c — the private PostgreSQL cluster (see cluster.h).
 *
 * Start-up is serialised with flock() on a lock file beside the data folder,
 * so two kasparro processes starting at once never run initdb twice or race
 * pg_ctl. The server binaries come from PATH or the newest
 * /usr/lib/postgresql/N/bin. Their output goes to pg-setup.log beside the
 * data folder; when a step fails, its last lines are put in the message.
 * Running as root, initdb and pg_ctl are run as 'postgres' (fork, setgid,
 * setuid, exec): the data folder is handed to that account and must be
 * reachable by it, which is why root's default folder is under /var/lib.
 * Before each start, the managed part of kasparro's settings block is
 * written again (cluster_settings.c).
 */
#include "kasparro/cluster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "kasparro/buf.h"
#include "kasparro/db.h"
#include "kasparro/env.h"
#include "kasparro/log.h"
#include "kasparro/paths.h"

#define SERVER_ACCOUNT "postgres"
#define EXIT_UNREACHABLE 120

const char *cluster_dir(void)
{
    static char dir[PATH_MAX];
    const char *env = env_get("KASPARRO_PGDATA");

    if (dir[0] != '\0')
        return dir;
    if (env != NULL)
        snprintf(dir, sizeof dir, "%s", env);
    else if (geteuid() == 0 && env_get("XDG_STATE_HOME") == NULL)
        snprintf(dir, sizeof dir, "/var/lib/kasparro/pg");
    else
        snprintf(dir, sizeof dir, "%s/pg", paths_state_dir());
    return dir;
}

char *cluster_conninfo(void)
{
    struct buf b = BUF_INIT;

    buf_adds(&b, "host='");
    for (const char *c = cluster_dir(); *c; c++) {
        if (*c == '\'' || *c == '\\')
            buf_addc(&b, '\\');
        buf_addc(&b, *c);
    }
    buf_adds(&b, "' port='5432' user='kasparro' dbname='kasparro'");
    return buf_detach(&b);
}

static bool has_server_tools(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/pg_ctl", dir);
    if (access(path, X_OK) != 0)
        return false;
    snprintf(path, sizeof path, "%s/initdb", dir);
    return access(path, X_OK) == 0;
}

/* PATH first, then the newest /usr/lib/postgresql/N/bin. */
static bool find_bindir(char *out, size_t len)
{
    const char *path = getenv("PATH");
    int best = -1;
    DIR *d;
    struct dirent *e;

    if (path != NULL) {
        char *copy = xstrdup(path), *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            if (*p != '\0' && has_server_tools(p)) {
                snprintf(out, len, "%s", p);
                free(copy);
                return true;
            }
        }
        free(copy);
    }
    d = opendir("/usr/lib/postgresql");
    if (d == NULL)
        return false;
    while ((e = readdir(d)) != NULL) {
        char bin[PATH_MAX];
        int v = atoi(e->d_name);
        snprintf(bin, sizeof bin, "/usr/lib/postgresql/%s/bin", e->d_name);
        if (v > best && has_server_tools(bin)) {
            best = v;
            snprintf(out, len, "%s", bin);
        }
    }
    closedir(d);
    return best >= 0;
}

static long running_pid(const char *dir)
{
    char path[PATH_MAX];
    FILE *f;
    long pid = 0;

    snprintf(path, sizeof path, "%s/postmaster.pid", dir);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
        pid = 0;
    return pid;
}

int cluster_status(struct cluster_status *st, struct err *err)
{
    char path[PATH_MAX + 16];

    (void)err;
    memset(st, 0, sizeof *st);
    snprintf(st->dir, sizeof st->dir, "%s", cluster_dir());
    snprintf(path, sizeof path, "%s/PG_VERSION", st->dir);
    st->initialised = access(path, F_OK) == 0;
    st->pid = st->initialised ? running_pid(st->dir) : 0;
    st->running = st->pid > 0;
    if (!find_bindir(st->bindir, sizeof st->bindir))
        st->bindir[0] = '\0';
    return 0;
}

/* The last few lines of the setup log, for an error message. */
static void log_tail(const char *path, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    char line[512];
    char lines[3][512] = {{0}};
    int n = 0;

    out[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] != '\0')
            snprintf(lines[n++ % 3], sizeof lines[0], "%s", line);
    }
    fclose(f);
    for (int i = n > 3 ? n - 3 : 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", used ? " / " : "", lines[i % 3]);
    }
}

/* Runs argv with output appended to `logpath`, as 'postgres' when root.
 * Returns the exit status, or -1 when it could not run. */
static int run_tool(char *const argv[], const char *logpath, const char *must_reach)
{
    struct passwd *pw = NULL;
    pid_t pid;
    int status, fd;

    if (geteuid() == 0 && (pw = getpwnam(SERVER_ACCOUNT)) == NULL)
        return -2;
    fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    pid = fork();
    if (pid < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        setsid(); /* the server must not get the console's signals */
        if (pw != NULL) {
            if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
                _exit(127);
            setenv("HOME", pw->pw_dir, 1);
            setenv("USER", pw->pw_name, 1);
        }
        if (must_reach != NULL && access(must_reach, R_OK | W_OK | X_OK) != 0)
            _exit(EXIT_UNREACHABLE);
        execv(argv[0], argv);
        _exit(127);
    }
    if (fd >= 0)
        close(fd);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int tool_error(int rc, const char *what, const char *dir, const char *logpath,
                      struct err *err)
{
    char tail[1024];

    if (rc == -2)
        return err_code(err, EXIT_DB, "running as root: PostgreSQL refuses to run as root and "
                        "there is no '%s' account to run it as; install the 'postgresql' package "
                        "or run kasparro as an unprivileged user", SERVER_ACCOUNT);
    if (rc == EXIT_UNREACHABLE)
        return err_code(err, EXIT_DB, "the '%s' account cannot reach '%s' (a parent folder is "
                        "private); set KASPARRO_PGDATA or XDG_STATE_HOME to a folder it can "
                        "reach, such as /var/lib/kasparro/pg", SERVER_ACCOUNT, dir);
    log_tail(logpath, tail, sizeof tail);
    return err_code(err, EXIT_DB, "private database '%s': %s failed (exit %d)%s%s; see '%s'", dir,
                    what, rc, tail[0] ? ": " : "", tail, logpath);
}

/* True when DIR's postgresql.conf can be read and lacks the settings block
 * cluster_init writes: a cluster someone else made, which listens where its
 * own settings say (a TCP port, another socket folder) and may serve others.
 * kasparro neither starts nor stops it. Unreadable means unknown, not foreign. */
static bool cluster_foreign(const char *dir)
{
    char path[PATH_MAX + 32], line[512];
    bool marked = false;
    FILE *f;

    snprintf(path, sizeof path, "%s/postgresql.conf", dir);
    if ((f = fopen(path, "r")) == NULL)
        return false;
    while (!marked && fgets(line, sizeof line, f) != NULL)
        marked = strncmp(line, CLUSTER_SETTINGS_MARK, sizeof CLUSTER_SETTINGS_MARK - 1) == 0;
    fclose(f);
    return !marked;
}

static int foreign_error(const char *dir, const char *verb, struct err *err)
{
    return err_code(err, EXIT_DB, "'%s' holds a PostgreSQL cluster kasparro did not create (its "
                    "postgresql.conf lacks kasparro's settings), so kasparro does not %s it; point "
                    "KASPARRO_DATABASE_URL at its server, or KASPARRO_PGDATA at a new folder",
                    dir, verb);
}

static int cluster_init(const char *bindir, const char *dir, const char *logpath,
                        struct err *err)
{
    char tool[PATH_MAX + 16], dirarg[PATH_MAX];
    int rc;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return err_code(err, EXIT_DB, "unable to create '%s': %m", dir);
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam(SERVER_ACCOUNT);
        if (pw == NULL)
            return tool_error(-2, "initdb", dir, logpath, err);
        if (chown(dir, pw->pw_uid, pw->pw_gid) < 0)
            return err_code(err, EXIT_DB, "unable to hand '%s' to '%s': %m", dir, SERVER_ACCOUNT);
    }
    log_info("creating the private database cluster in '%s'", dir);
    snprintf(tool, sizeof tool, "%s/initdb", bindir);
    snprintf(dirarg, sizeof dirarg, "%s", dir);
    char *argv[] = {tool, "-D", dirarg, "-U", "kasparro", "-A", "trust", "-E", "UTF8",
                    "--no-locale", NULL};
    rc = run_tool(argv, logpath, dir);
    if (rc != 0)
        return tool_error(rc, "initdb", dir, logpath, err);
    return cluster_settings_write(dir, err);
}

static int cluster_pg_ctl(const char *bindir, const char *dir, const char *action,
                          const char *logpath, struct err *err)
{
    char tool[PATH_MAX + 16], dirarg[PATH_MAX], serverlog[PATH_MAX + 32];
    int rc;

    snprintf(tool, sizeof tool, "%s/pg_ctl", bindir);
    snprintf(dirarg, sizeof dirarg, "%s", dir);
    snprintf(serverlog, sizeof serverlog, "%s/server.log", dir);
    char *start[] = {tool, "-D", dirarg, "-l", serverlog, "-w", "-t", "60", "start", NULL};
    char *stop[] = {tool, "-D", dirarg, "-m", "fast", "-w", "-t", "60", "stop", NULL};
    rc = run_tool(strcmp(action, "start") == 0 ? start : stop, logpath, dir);
    if (rc != 0)
        return tool_error(rc, strcmp(action, "start") == 0 ? "pg_ctl start" : "pg_ctl stop",
                          dir, logpath, err);
    return 0;
}

static int create_database(const char *dir, struct err *err)
{
    const char *keys[] = {"host", "port", "user", "dbname", "application_name", NULL};
    const char *vals[] = {dir, "5432", "kasparro", "postgres", "kasparro", NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 0);
    PGresult *res;
    int rc = 0;

    if (PQstatus(conn) != CONNECTION_OK) {
        rc = err_code(err, EXIT_DB, "private database '%s' is unreachable: %s", dir,
                      PQerrorMessage(conn));
        err->msg[strcspn(err->msg, "\n")] = '\0';
        PQfinish(conn);
        return rc;
    }
    res = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'kasparro'");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0) {
        PQclear(res);
        res = PQexec(conn, "CREATE DATABASE kasparro");
        if (PQresultStatus(res) != PGRES_COMMAND_OK &&
            strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE) ?: "", SQLSTATE_DUPLICATE_DATABASE) != 0)
            rc = err_code(err, EXIT_DB, "private database '%s': creating database: %s", dir,
                          PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?: "unknown error");
    }
    PQclear(res);
    PQfinish(conn);
    return rc;
}

/* flock on DIR.lock; returns the fd or -1. With `create` false, a lock
 * file that does not exist is not made: -2, and no message. */
static int lock_dir(const char *dir, bool create, struct err *err)
{
    char path[PATH_MAX + 8];
    int fd;

    snprintf(path, sizeof path, "%s.lock", dir);
    fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0 && !create && errno == ENOENT)
        return -2;
    if (fd < 0) {
        err_code(err, EXIT_DB, "unable to create '%s': %m", path);
        return -1;
    }
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR) {
            err_code(err, EXIT_DB, "unable to lock '%s': %m", path);
            close(fd);
            return -1;
        }
    return fd;
}

static int prepare_parent(const char *dir, struct err *err)
{
    char parent[PATH_MAX];
    char *slash;

    snprintf(parent, sizeof parent, "%s", dir);
    slash = strrchr(parent, '/');
    if (slash == NULL || slash == parent)
        return 0;
    *slash = '\0';
    if (paths_mkdirs(parent, paths_state_mode()) < 0)
        return err_code(err, EXIT_DB, "unable to create '%s': %m", parent);
    return 0;
}

/* A server this call started but cannot reach (its postgresql.conf moved the
 * socket or the port since) is not left running unseen: stop it again. */
static void stop_unreachable(const struct cluster_status *st, const char *logpath,
                             struct err *err)
{
    struct err ignored = {0};
    size_t len = strlen(err->msg);

    if (cluster_pg_ctl(st->bindir, st->dir, "stop", logpath, &ignored) == 0)
        snprintf(err->msg + len, sizeof err->msg - len, "; kasparro stopped the server it had "
                 "started (do unix_socket_directories and port in '%s/postgresql.conf' still "
                 "name this folder and 5432?)", st->dir);
}

int cluster_start(struct err *err)
{
    struct cluster_status st;
    char logpath[PATH_MAX + 16];
    int lockfd, rc = 0;
    bool started = false;

    cluster_status(&st, err);
    if (st.initialised && st.running) { /* every command: no more than a stat */
        char sock[PATH_MAX + 32];
        snprintf(sock, sizeof sock, "%s/.s.PGSQL.5432", st.dir);
        if (access(sock, F_OK) == 0)
            return 0;
    }
    if (st.bindir[0] == '\0')
        return err_code(err, EXIT_DB, "PostgreSQL server programs (initdb, pg_ctl) not found on "
                        "PATH or under /usr/lib/postgresql/*/bin; install the 'postgresql' "
                        "package, or point KASPARRO_DATABASE_URL at a server");
    if (strlen(st.dir) + sizeof "/.s.PGSQL.5432" > 107)
        return err_code(err, EXIT_DB, "private database folder '%s' is too long for a unix socket "
                        "path; set KASPARRO_PGDATA to a shorter one", st.dir);
    /* a folder that looks foreign is someone else's unless a kasparro is
     * creating it, which holds the lock file from before initdb: without
     * one, refuse before writing anything beside it */
    bool looks_foreign = st.initialised && cluster_foreign(st.dir);
    if (!looks_foreign && prepare_parent(st.dir, err) < 0)
        return -1;
    if ((lockfd = lock_dir(st.dir, !looks_foreign, err)) < 0)
        return lockfd == -2 ? foreign_error(st.dir, "start", err) : -1;
    snprintf(logpath, sizeof logpath, "%s.setup.log", st.dir);
    cluster_status(&st, err); /* another process may have done it meanwhile */
    /* only under the lock: a process creating the cluster holds it from
     * initdb until the settings block is written, and the folder would look
     * foreign in between */
    if (st.initialised && cluster_foreign(st.dir)) {
        close(lockfd);
        return foreign_error(st.dir, "start", err);
    }
    if (!st.initialised)
        rc = cluster_init(st.bindir, st.dir, logpath, err);
    if (rc == 0 && !st.running) {
        struct err why = {0};
        /* a block it cannot rewrite keeps the settings it has */
        if (cluster_settings_update(st.dir, &why) < 0)
            log_warn("private database: settings block not brought up to date: %s", why.msg);
        log_info("starting the private database in '%s'", st.dir);
        rc = cluster_pg_ctl(st.bindir, st.dir, "start", logpath, err);
        started = rc == 0;
    }
    if (rc == 0)
        rc = create_database(st.dir, err);
    if (rc != 0 && started)
        stop_unreachable(&st, logpath, err);
    close(lockfd);
    return rc;
}

int cluster_stop(struct err *err)
{
    struct cluster_status st;
    char logpath[PATH_MAX + 16];
    int lockfd, rc;

    cluster_status(&st, err);
    if (!st.initialised)
        return err_code(err, EXIT_FAIL, "there is no private database in '%s' to stop (is "
                        "KASPARRO_PGDATA or XDG_STATE_HOME the one you meant?)", st.dir);
    if (cluster_foreign(st.dir))
        return foreign_error(st.dir, "stop", err);
    if (!st.running)
        return 0;
    if (st.bindir[0] == '\0')
        return err_code(err, EXIT_DB, "PostgreSQL server programs (pg_ctl) not found; install "
                        "the 'postgresql' package");
    if ((lockfd = lock_dir(st.dir, true, err)) < 0)
        return -1;
    snprintf(logpath, sizeof logpath, "%s.setup.log", st.dir);
    rc = cluster_pg_ctl(st.bindir, st.dir, "stop", logpath, err);
    close(lockfd);
    return rc;
}
