/*
 * target.c — deciding where the database is, and masking passwords.
 *
 * The variables are the ones DESIGN §8 lists, in that order. DB_* values are
 * quoted into a key=value conninfo, so a password with spaces or quotes
 * works. The display form is the only one that reaches messages and logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/cluster.h"
#include "kasparro/db.h"
#include "kasparro/env.h"

static void add_kv(struct buf *b, const char *key, const char *value)
{
    if (value == NULL)
        return;
    if (b->len > 0)
        buf_addc(b, ' ');
    buf_printf(b, "%s='", key);
    for (const char *c = value; *c; c++) {
        if (*c == '\'' || *c == '\\')
            buf_addc(b, '\\');
        buf_addc(b, *c);
    }
    buf_addc(b, '\'');
}

/* Masks the password in a URL ("scheme://user:PASS@host") or a key=value
 * conninfo ("password=PASS" or "password='PA SS'"). */
char *db_dsn_mask(const char *dsn)
{
    struct buf out = BUF_INIT;
    const char *scheme = strstr(dsn, "://");

    if (scheme != NULL) {
        const char *auth = scheme + 3;
        const char *at = strchr(auth, '@');
        const char *slash = strchr(auth, '/');
        const char *colon = strchr(auth, ':');
        if (at != NULL && (slash == NULL || at < slash) && colon != NULL && colon < at) {
            buf_add(&out, dsn, (size_t)(colon + 1 - dsn));
            buf_adds(&out, "***");
            buf_adds(&out, at);
        } else {
            buf_adds(&out, dsn);
        }
        /* a password may also hide in the query string */
        char *q = strstr(out.data, "password=");
        if (q != NULL) {
            char *end = strchr(q, '&');
            char *rest = xstrdup(end ? end : "");
            out.len = (size_t)(q - out.data);
            buf_adds(&out, "password=***");
            buf_adds(&out, rest);
            free(rest);
        }
        return buf_detach(&out);
    }
    for (const char *p = dsn; *p;) {
        const char *key = strstr(p, "password");
        if (key == NULL || (key != dsn && key[-1] != ' ')) {
            buf_adds(&out, p);
            break;
        }
        const char *eq = key + 8;
        while (*eq == ' ')
            eq++;
        if (*eq != '=') {
            buf_add(&out, p, (size_t)(eq - p));
            p = eq;
            continue;
        }
        buf_add(&out, p, (size_t)(eq + 1 - p));
        buf_adds(&out, "***");
        const char *v = eq + 1;
        while (*v == ' ')
            v++;
        if (*v == '\'') {
            for (v++; *v && *v != '\''; v++)
                if (*v == '\\' && v[1])
                    v++;
            if (*v == '\'')
                v++;
        } else {
            while (*v && *v != ' ')
                v++;
        }
        p = v;
    }
    return buf_detach(&out);
}

int db_target_resolve(struct db_target *t, struct err *err)
{
    const char *url = env_get("KASPARRO_DATABASE_URL");

    memset(t, 0, sizeof *t);
    t->origin = "KASPARRO_DATABASE_URL";
    if (url == NULL) {
        url = env_get("DATABASE_URL");
        t->origin = "DATABASE_URL";
    }
    if (url != NULL) {
        t->conninfo = xstrdup(url);
    } else if (env_get("DB_HOST") || env_get("DB_NAME") || env_get("DB_USER")) {
        t->origin = "DB_HOST";
        struct buf b = BUF_INIT;
        add_kv(&b, "host", env_get("DB_HOST"));
        add_kv(&b, "port", env_get("DB_PORT"));
        add_kv(&b, "user", env_get("DB_USER"));
        add_kv(&b, "password", env_get("DB_PASSWORD"));
        add_kv(&b, "dbname", env_get("DB_NAME"));
        t->conninfo = buf_detach(&b);
    } else {
        t->conninfo = cluster_conninfo();
        t->private_cluster = true;
        t->origin = "private";
    }
    if (t->private_cluster)
        t->display = xasprintf("private:%s", cluster_dir());
    else
        t->display = db_dsn_mask(t->conninfo);
    (void)err;
    return 0;
}

/* A word for a shell command line: as it is when it needs no quoting. */
static void shell_word(struct buf *b, const char *s)
{
    if (s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789_-./=:@,+%") == strlen(s)) {
        buf_adds(b, s);
        return;
    }
    buf_addc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_adds(b, "'\\''"); /* close, an escaped quote, reopen */
        else
            buf_addc(b, *s);
    }
    buf_addc(b, '\'');
}

void db_psql_command(const struct db_target *t, char *out, size_t len)
{
    struct buf b = BUF_INIT;

    if (t->private_cluster) {
        buf_adds(&b, "psql -h ");
        shell_word(&b, cluster_dir());
        buf_adds(&b, " -U kasparro -d kasparro");
    } else if (strcmp(t->origin, "DB_HOST") == 0) {
        const char *opt[] = {"-h", "-p", "-U", "-d"};
        const char *var[] = {"DB_HOST", "DB_PORT", "DB_USER", "DB_NAME"};
        buf_adds(&b, "psql");
        for (int i = 0; i < 4; i++)
            if (env_get(var[i]) != NULL) {
                buf_printf(&b, " %s ", opt[i]);
                shell_word(&b, env_get(var[i]));
            }
    } else {
        buf_printf(&b, "psql \"$%s\"", t->origin); /* the URL may hold a password */
    }
    snprintf(out, len, "%s", buf_str(&b));
    buf_free(&b);
}

void db_target_free(struct db_target *t)
{
    free(t->conninfo);
    free(t->display);
    t->conninfo = t->display = NULL;
}
