/*
 * cmd-db.c — `kasparro db status|start|stop|migrate`: the database kasparro
 * talks to. start and stop manage only the private cluster; a configured
 * server (KASPARRO_DATABASE_URL and friends) is the operator's to run.
 * status says how to reach it with psql, and exits 4 when it is unreachable
 * (stopped included) or holds a schema this kasparro refuses (a newer
 * kasparro's), so scripts and health checks can wait on it.
 */
#include <string.h>

#include "kasparro/cluster.h"
#include "kasparro/out.h"

static int db_status_exec(struct cmd_ctx *ctx, struct db_target *t)
{
    struct cluster_status st = {0};
    struct db *db;
    int version = -1, usable = -1;
    char reach[1024] = "", refused[1024] = "", psql[4200];

    if (t->private_cluster)
        cluster_status(&st, &ctx->err);
    db = db_connect(t, &ctx->err);
    if (db != NULL) {
        /* a schema this kasparro refuses is as unusable as no database */
        if ((usable = db_schema_check(db, &version, &ctx->err)) < 0)
            snprintf(refused, sizeof refused, "%s", ctx->err.msg);
        db_close(db);
    } else {
        snprintf(reach, sizeof reach, "%s", ctx->err.msg);
    }
    err_clear(&ctx->err);
    db_psql_command(t, psql, sizeof psql);
    if (ctx->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "target", t->display);
        cJSON_AddBoolToObject(o, "private", t->private_cluster);
        if (t->private_cluster) {
            cJSON_AddStringToObject(o, "directory", st.dir);
            cJSON_AddBoolToObject(o, "initialised", st.initialised);
            cJSON_AddBoolToObject(o, "running", st.running);
            if (st.running)
                cJSON_AddNumberToObject(o, "pid", (double)st.pid);
            cJSON_AddStringToObject(o, "socket_directory", st.dir);
            cJSON_AddStringToObject(o, "role", "kasparro");
            cJSON_AddStringToObject(o, "database", "kasparro");
        }
        cJSON_AddStringToObject(o, "psql", psql);
        cJSON_AddBoolToObject(o, "reachable", db != NULL);
        if (db == NULL)
            cJSON_AddStringToObject(o, "error", reach);
        if (version >= 0)
            cJSON_AddNumberToObject(o, "schema_version", version);
        cJSON_AddNumberToObject(o, "known_version", db_known_version());
        if (refused[0])
            cJSON_AddStringToObject(o, "schema_error", refused);
        out_json(ctx, o);
    } else {
        out_printf(ctx, "database:  %s\n", t->display);
        if (t->private_cluster && st.running)
            out_printf(ctx, "cluster:   %s (running)\n", st.dir);
        else if (t->private_cluster)
            out_printf(ctx, "cluster:   %s (%s; '%sdb start' starts it)\n", st.dir,
                       !st.initialised ? "not created yet" : "stopped", cmd_prefix(ctx->origin));
        if (db != NULL)
            out_printf(ctx, "schema:    version %d (this kasparro knows %d)%s%s\n", version,
                       db_known_version(), refused[0] ? ": " : "", refused);
        else
            out_printf(ctx, "reachable: no: %s\n", reach);
        out_printf(ctx, "psql:      %s\n", psql);
    }
    return db != NULL && usable >= 0 ? EXIT_OK : EXIT_DB; /* the output said why */
}

static const char *const db_subcommands[] = {"status", "start", "stop", "migrate", NULL};

static int db_exec_cmd(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *sub = args->argc > 0 ? args->argv[0] : "status";
    struct db_target t;
    int rc = EXIT_OK;

    db_target_resolve(&t, &ctx->err);
    if (strcmp(sub, "status") == 0) {
        rc = db_status_exec(ctx, &t);
    } else if (strcmp(sub, "start") == 0 || strcmp(sub, "stop") == 0) {
        if (!t.private_cluster) {
            rc = EXIT_USAGE;
            err_code(&ctx->err, rc, "db %s: the database is configured ('%s'); kasparro starts "
                     "and stops only its private cluster", sub, t.display);
        } else if (strcmp(sub, "start") == 0) {
            rc = cluster_start(&ctx->err) < 0 ? -1 : EXIT_OK;
            if (rc == EXIT_OK)
                out_ok(ctx, NULL, "private database running in '%s'", cluster_dir());
        } else {
            struct cluster_status st;
            cluster_status(&st, NULL);
            rc = cluster_stop(&ctx->err) < 0 ? -1 : EXIT_OK;
            if (rc == EXIT_OK)
                out_ok(ctx, NULL, "private database in '%s' %s", cluster_dir(),
                       st.running ? "stopped" : "was already stopped");
        }
    } else if (strcmp(sub, "migrate") == 0) {
        if (cmd_ctx_db(ctx) < 0) {
            rc = -1;
        } else {
            int v = db_schema_version(ctx->db, &ctx->err);
            rc = v < 0 ? -1 : EXIT_OK;
            if (rc == EXIT_OK)
                out_ok(ctx, NULL, "schema at version %d", v);
        }
    } else {
        rc = cmd_subcommand_error(&ctx->err, "db", db_subcommands, sub);
    }
    db_target_free(&t);
    return rc;
}

const struct cmd_entry cmd_db_entry = {
    .name = "db",
    .usage = "[status | start | stop | migrate] [--json]",
    .summary = "show, start or stop the database and bring its schema up to date",
    .max_args = 1,
    .flags = CMD_JSON,
    .arg_kind = ARG_WORD,
    .subcommands = db_subcommands,
    .exec = db_exec_cmd,
};
