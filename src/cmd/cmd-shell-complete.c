/*
 * cmd-shell-complete.c — `kasparro shell-complete -- WORD...`: what a shell
 * offers for the last WORD of a command line, one candidate a line, decided
 * by cmd_complete (completion.h) as the console's Tab decides it.
 *
 * The words are the line after "kasparro" up to the one being completed
 * (empty for a new word), as share/bash-completion/kasparro passes them,
 * a "--NAME=VALUE" or "TYPE:ID" whole (the script joins what bash split at
 * COMP_WORDBREAKS); each candidate is a whole word too. kasparro's own -c
 * FILE comes first and names the configuration the sources are read from;
 * its value completes to file names.
 *
 * What the command table does not hold comes from here: the console's key
 * tables (kasparro/screens.h), source names from the configuration, and —
 * only when the database answers at once — the ids a user picks from: the
 * pending candidates at the head of the review queue (approve, reject,
 * show-match), the latest runs, the decisions an undo can revert, entity
 * keys, a source's record ids after "SOURCE/", and the sources that runs
 * read but the configuration no longer names (a removed or retired one:
 * restore --retired, --source filters). A shell
 * waits on every Tab, so the database is never started, migrated or
 * waited for: a connection that takes longer than a second, or a statement
 * longer than half a second, and the ids are left out (no message).
 * With --json the candidates are one array, for other shells' scripts.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/completion.h"
#include "kasparro/out.h"
#include "kasparro/screens.h"
#include "kasparro/util.h"

#define IDS_LIMIT "50"
#define ANSWER_S 1.0 /* seconds a connection may take */

struct shell {
    struct cmd_ctx *ctx;
    bool tried_db;
};

/* Whether the server answers a connection within ANSWER_S: libpq's own
 * connect_timeout is kasparro's (10 s), long for a Tab. */
static bool answers_now(const struct db_target *t)
{
    PGconn *conn = db_connect_start(t);
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    double end = clock_mono() + ANSWER_S;

    while (PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
           st != PGRES_POLLING_FAILED) {
        struct pollfd p = {PQsocket(conn), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
        int left = (int)((end - clock_mono()) * 1000);
        if (p.fd < 0 || left <= 0 || poll(&p, 1, left) <= 0)
            break;
        st = PQconnectPoll(conn);
    }
    PQfinish(conn);
    return st == PGRES_POLLING_OK;
}

/* The database if it answers now, else NULL (asked once per completion),
 * never started or migrated. */
static struct db *shell_db(struct shell *sh)
{
    struct db_target t;
    struct err err = {0};
    PGresult *r;

    if (sh->tried_db)
        return sh->ctx->db;
    sh->tried_db = true;
    if (db_target_resolve(&t, &err) < 0)
        return NULL;
    if (answers_now(&t))
        sh->ctx->db = db_connect(&t, &err);
    sh->ctx->owns_db = sh->ctx->db != NULL;
    db_target_free(&t);
    if (sh->ctx->db != NULL &&
        (r = db_exec(sh->ctx->db, &err, "SET statement_timeout = 500", 0, NULL)) != NULL)
        PQclear(r);
    return sh->ctx->db;
}

/* Each ID bigint column prefixed by cur, bounded by IDS_LIMIT. */
static const char *sql_candidates =
    "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' AND "
    "starts_with(id::text, $1) ORDER BY abs(probability - 0.5), id LIMIT " IDS_LIMIT;
static const char *sql_runs = "SELECT id FROM kasparro.runs WHERE starts_with(id::text, $1) "
                              "ORDER BY id DESC LIMIT " IDS_LIMIT;
static const char *sql_decisions =
    "SELECT id FROM kasparro.decisions WHERE undone_by IS NULL AND action <> 'undo' AND "
    "starts_with(id::text, $1) ORDER BY id DESC LIMIT " IDS_LIMIT;
/* the unique index on key is walked from the prefix */
static const char *sql_entities =
    "SELECT key FROM (SELECT key FROM kasparro.entities WHERE key >= $1 ORDER BY key LIMIT "
    IDS_LIMIT ") e WHERE starts_with(key, $1)";
static const char *sql_entity_ids =
    "SELECT id FROM kasparro.entities WHERE deleted_at IS NULL AND starts_with(id::text, $1) "
    "ORDER BY id DESC LIMIT " IDS_LIMIT;
static const char *sql_sources = "SELECT DISTINCT source FROM kasparro.run_sources "
                                 "WHERE starts_with(source, $1) LIMIT " IDS_LIMIT;

static void offer_rows(struct cmd_completion *c, struct shell *sh, const char *sql,
                       const char *cur)
{
    struct db *db = shell_db(sh);
    struct err err = {0};
    PGresult *r = db != NULL ? db_exec(db, &err, sql, DB_PARAMS(cur)) : NULL;

    for (int i = 0; r != NULL && i < PQntuples(r); i++)
        cmd_offer(c, db_str(r, i, 0));
    PQclear(r);
}

/* SOURCE/ for each source; after the '/', that source's ids. */
static void offer_records(struct cmd_completion *c, struct shell *sh, const char *cur)
{
    const char *slash = strchr(cur, '/');
    struct cmd_ctx *ctx = sh->ctx;
    char word[256];
    bool more;

    if (slash == NULL) {
        for (size_t i = 0; ctx->cfg != NULL && i < ctx->cfg->nsources; i++) {
            snprintf(word, sizeof word, "%s/", ctx->cfg->sources[i].name);
            cmd_offer(c, word);
        }
        return;
    }
    char *source = xstrndup(cur, (size_t)(slash - cur));
    cJSON *ids = shell_db(sh) != NULL ? cmd_record_ids(ctx, source, slash + 1, 50, &more) : NULL;
    const cJSON *id;
    cJSON_ArrayForEach(id, ids) {
        snprintf(word, sizeof word, "%s/%s", source, cJSON_GetStringValue(id));
        cmd_offer(c, word);
    }
    cJSON_Delete(ids);
    free(source);
}

/* The console's key tables (`keys --screen`), named below the console. */
static void offer_key_tables(struct cmd_completion *c)
{
#define OTHER_TABLE(name, title) #name,
#define SCREEN_TABLE(id, name, title) #name,
    static const char *const tables[] = {
        KASPARRO_KEY_TABLES(OTHER_TABLE) KASPARRO_SCREENS(SCREEN_TABLE) NULL,
    };
#undef SCREEN_TABLE
#undef OTHER_TABLE

    for (const char *const *t = tables; *t != NULL; t++)
        cmd_offer(c, *t);
}

static void offer_kind(struct cmd_completion *c, enum cmd_arg_kind kind, const char *cur)
{
    struct shell *sh = c->arg;
    struct cmd_ctx *ctx = sh->ctx;

    if (kind == ARG_KEYTABLE) {
        offer_key_tables(c);
        return;
    }
    if (kind != ARG_SOURCE && kind != ARG_RECORD && kind != ARG_RUN && kind != ARG_CANDIDATE &&
        kind != ARG_DECISION && kind != ARG_ENTITY)
        return;
    if (cmd_ctx_config(ctx) < 0) { /* no sources and no database: nothing to offer */
        err_clear(&ctx->err);
        return;
    }
    switch (kind) {
    case ARG_SOURCE:
        for (size_t i = 0; i < ctx->cfg->nsources; i++)
            cmd_offer(c, ctx->cfg->sources[i].name);
        offer_rows(c, sh, sql_sources, cur);
        break;
    case ARG_RECORD:
        offer_records(c, sh, cur);
        break;
    case ARG_RUN:
        offer_rows(c, sh, sql_runs, cur);
        break;
    case ARG_CANDIDATE:
        offer_rows(c, sh, sql_candidates, cur);
        break;
    case ARG_DECISION:
        offer_rows(c, sh, sql_decisions, cur);
        break;
    default: /* ARG_ENTITY: a key, or an id in audit --object entity: */
        offer_rows(c, sh, c->numbers_only ? sql_entity_ids : sql_entities, cur);
        break;
    }
}

/* kasparro's own options before the command: -c FILE names the file. The
 * index of the command's name; *file when the last word is -c's value. */
static int own_options(struct cmd_ctx *ctx, int argc, char **argv, bool *file)
{
    int i = 0;

    *file = false;
    while (i < argc - 1 && argv[i][0] == '-') {
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
            if (i + 1 == argc - 1)
                *file = true;
            else
                ctx->config_path = argv[i + 1];
            i += 2;
        } else {
            if (str_starts(argv[i], "--config="))
                ctx->config_path = argv[i] + 9;
            i++;
        }
    }
    return i;
}

static int shell_complete_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct shell sh = {ctx, false};
    struct cmd_completion c = {.origin = ORIGIN_SHELL, .kind = offer_kind, .arg = &sh};
    int argc = args->argc;
    char **argv = args->argv;
    bool file;
    int i = own_options(ctx, argc, argv, &file);

    if (file) {
        c.cur = argv[argc - 1];
        cmd_offer_files(&c);
    } else if (i == argc - 1 && str_starts(argv[i], "--config=")) {
        c.cur = argv[i] + 9;
        c.before = xstrdup("--config=");
        cmd_offer_files(&c);
    } else if (i < argc) {
        cmd_complete(&c, argc - i, argv + i);
    }
    cmd_complete_sort(&c);
    cJSON *offered = ctx->json ? cJSON_CreateArray() : NULL;
    for (size_t k = 0; k < c.n; k++) {
        if (offered != NULL)
            cJSON_AddItemToArray(offered, cJSON_CreateString(c.words[k]));
        else
            out_printf(ctx, "%s\n", c.words[k]);
    }
    if (offered != NULL)
        out_json(ctx, offered); /* takes it */
    cmd_completion_free(&c);
    return EXIT_OK;
}

const struct cmd_entry cmd_shell_complete_entry = {
    .name = "shell-complete",
    .usage = "[--json] -- [WORD...]",
    .summary = "print what a shell completes the last word of a command line to",
    .min_args = 1,
    .max_args = -1,
    .flags = CMD_SHELL_ONLY | CMD_JSON,
    .exec = shell_complete_exec,
};
