/*
 * auth.c — API keys: where they come from and how a presented one is
 * recognised.
 *
 * Keys come from environment variables named in [http] viewer_keys_env and
 * operator_keys_env (the key's name is the variable's; one the .env file
 * set is read from the file again at each reload, so a key rotated there
 * needs no restart), and from
 * [http] key_file, whose lines are "NAME ROLE sha256:HEX" — the file holds
 * hashes only, so reading it reveals no key. Only SHA-256 hashes are kept
 * in memory. A presented key is hashed and compared with every stored hash
 * with CRYPTO_memcmp, all of them every time, so the time taken says
 * nothing about which key, or how much of one, matched.
 */
#include <ctype.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"
#include "kasparro/env.h"

static void sha256(const char *s, unsigned char out[32])
{
    unsigned int len = 32;
    EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL);
}

/* `where` says where the key was read ("the key in 'OPS_KEY'"). A key
 * given twice is refused: only the first would ever match, so the same
 * secret set as a viewer's and an operator's key was taken as the viewer's,
 * and its requests answered 403 under the other key's name. */
static int add_key(struct http_keys *k, const char *name, enum http_role role,
                   const unsigned char hash[32], const char *where, struct err *err)
{
    for (size_t i = 0; i < k->n; i++)
        if (CRYPTO_memcmp(hash, k->v[i].hash, 32) == 0)
            return err_code(err, EXIT_USAGE, "http: %s is the key of '%s' (%s) as well; a "
                            "key has one name and one role, so give each its own", where,
                            k->v[i].name, http_role_name(k->v[i].role));
    k->v = xreallocarray(k->v, k->n + 1, sizeof *k->v);
    struct http_key *key = &k->v[k->n++];
    snprintf(key->name, sizeof key->name, "%s", name);
    key->role = role;
    memcpy(key->hash, hash, 32);
    return 0;
}

static int load_env(struct http_keys *k, const char *names, enum http_role role,
                    const char *setting, struct err *err)
{
    size_t n;
    char **items;
    int rc = 0;

    if (names == NULL)
        return 0;
    items = str_split_all(names, ',', &n); /* any number of keys */
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *v = NULL;
        unsigned char hash[32];
        if (items[i][0] == '\0')
            continue;
        /* read again at each reload: a key .env set is rotated there */
        if (env_current(items[i], &v, err) < 0)
            rc = err_prefix(err, "http: [http] %s names '%s'", setting, items[i]);
        else if (v == NULL)
            rc = err_code(err, EXIT_USAGE, "http: [http] %s names '%s', which is not set in "
                          "the environment (nor in .env)", setting, items[i]);
        else if (strlen(v) < 16)
            rc = err_code(err, EXIT_USAGE, "http: the key in '%s' is shorter than 16 "
                          "characters; use a long random one", items[i]);
        else {
            char where[96];
            snprintf(where, sizeof where, "the key in '%s'", items[i]);
            sha256(v, hash);
            rc = add_key(k, items[i], role, hash, where, err);
            OPENSSL_cleanse(hash, sizeof hash);
        }
        if (v != NULL)
            OPENSSL_cleanse(v, strlen(v));
        free(v);
    }
    free(items);
    return rc;
}

static int parse_hex(const char *s, unsigned char out[32])
{
    if (strlen(s) != 64)
        return -1;
    for (int i = 0; i < 32; i++) {
        unsigned int byte;
        if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
            sscanf(s + 2 * i, "%2x", &byte) != 1)
            return -1;
        out[i] = (unsigned char)byte;
    }
    return 0;
}

static int load_file(struct http_keys *k, const struct config *cfg, struct err *err)
{
    const char *path = cfg->http.key_file;
    char *full, *line = NULL;
    size_t cap = 0;
    ssize_t len;
    FILE *f;
    int lineno = 0, rc = 0;

    if (path == NULL)
        return 0;
    full = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", cfg->dir, path);
    if ((f = fopen(full, "r")) == NULL) {
        err_code(err, EXIT_USAGE, "http: [http] key_file: unable to open '%s': %m", full);
        free(full);
        return -1;
    }
    /* getline, not fgets: a line past a fixed buffer would be read as two,
     * and one holding a NUL byte as what comes before it (a key added
     * after a NUL on a comment's line went unread without a word) */
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        char name[64], role[32], hash[128], extra[2];
        unsigned char h[32];
        const char *nul = memchr(line, '\0', (size_t)len);
        lineno++;
        if (nul != NULL) {
            rc = err_code(err, EXIT_USAGE, "http: key file '%s' line %d column %zu: a NUL byte "
                          "(the file is read as text)", full, lineno, (size_t)(nul - line) + 1);
            break;
        }
        int n = sscanf(line, "%63s %31s %127s %1s", name, role, hash, extra);
        if (n <= 0 || name[0] == '#')
            continue;
        enum http_role r = strcmp(role, "viewer") == 0     ? ROLE_VIEWER
                           : strcmp(role, "operator") == 0 ? ROLE_OPERATOR
                                                           : ROLE_NONE;
        if (n != 3)
            rc = err_code(err, EXIT_USAGE, "http: key file '%s' line %d: expected 'NAME ROLE "
                          "sha256:HEX'", full, lineno);
        else if (r == ROLE_NONE)
            rc = err_code(err, EXIT_USAGE, "http: key file '%s' line %d: role '%s' is not "
                          "viewer or operator", full, lineno, role);
        else if (strncmp(hash, "sha256:", 7) != 0 || parse_hex(hash + 7, h) < 0)
            rc = err_code(err, EXIT_USAGE, "http: key file '%s' line %d: the hash is not "
                          "sha256: and 64 hex digits", full, lineno);
        else {
            char where[PATH_MAX + 128];
            snprintf(where, sizeof where, "key file '%s' line %d ('%s')", full, lineno, name);
            rc = add_key(k, name, r, h, where, err);
        }
    }
    free(line);
    fclose(f);
    free(full);
    return rc;
}

int apikeys_load(const struct config *cfg, struct http_keys *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    if (load_env(out, cfg->http.viewer_keys_env, ROLE_VIEWER, "viewer_keys_env", err) < 0 ||
        load_env(out, cfg->http.operator_keys_env, ROLE_OPERATOR, "operator_keys_env", err) < 0 ||
        load_file(out, cfg, err) < 0) {
        apikeys_free(out);
        return -1;
    }
    return 0;
}

void apikeys_free(struct http_keys *k)
{
    if (k->v != NULL)
        OPENSSL_cleanse(k->v, k->n * sizeof *k->v);
    free(k->v);
    memset(k, 0, sizeof *k);
}

const struct http_key *apikeys_find(const struct http_keys *k, const char *presented)
{
    unsigned char hash[32];
    const struct http_key *found = NULL;

    sha256(presented, hash);
    for (size_t i = 0; i < k->n; i++)
        if (CRYPTO_memcmp(hash, k->v[i].hash, 32) == 0 && found == NULL)
            found = &k->v[i];
    OPENSSL_cleanse(hash, sizeof hash);
    return found;
}
