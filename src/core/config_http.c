/*
 * config_http.c — what [http] values must be, checked when the file is
 * read: `config check` and a reload then refuse, with the file and line,
 * what the HTTP server would refuse when it starts (src/http reads the
 * values; the routes [http] open may name are this file's list, which the
 * route table follows). Files and environment variables the section names
 * (key_file, tls_cert, the *_keys_env variables) are read by the server
 * alone: a command run by another account, or before the secrets are in
 * place, must not fail on them. Keys that only work together (tls_cert and
 * tls_key) are checked once the whole file is read (config_http_check_all).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/config.h"
#include "kasparro/util.h"

const char *const config_http_openable[CONFIG_HTTP_NOPENABLE] = {"/health", "/metrics",
                                                                 "/openapi.json"};

bool config_http_is_openable(const char *path)
{
    for (size_t i = 0; i < CONFIG_HTTP_NOPENABLE; i++)
        if (strcmp(path, config_http_openable[i]) == 0)
            return true;
    return false;
}

static int check_open(const char *value, char *why, size_t len)
{
    size_t n;
    char **items = str_split_all(value, ',', &n);
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0; i++)
        if (items[i][0] != '\0' && !config_http_is_openable(items[i])) {
            snprintf(why, len, "'%s' cannot be opened (only /health, /metrics and "
                     "/openapi.json can)", items[i]);
            rc = -1;
        }
    free(items);
    return rc;
}

/* "off", or HOST:PORT with a numeric port (the host is resolved at start). */
static int check_listen(const char *value, char *why, size_t len)
{
    const char *colon = strrchr(value, ':');
    char *end;
    long port;

    if (strcmp(value, "off") == 0 || strcmp(value, "none") == 0)
        return 0;
    if (colon != NULL && colon[1] != '\0') {
        port = strtol(colon + 1, &end, 10);
        if (*end == '\0' && port >= 0 && port <= 65535)
            return 0;
    }
    snprintf(why, len, "'%s' is not HOST:PORT with a port 0-65535 (like 127.0.0.1:8000, "
             "[::1]:8000 or :8000) or off", value);
    return -1;
}

int config_http_check(const struct config *cfg, const char *key, char *why, size_t len)
{
    const struct http_cfg *h = &cfg->http;

    if (strcmp(key, "open") == 0 && h->open != NULL)
        return check_open(h->open, why, len);
    if (strcmp(key, "listen") == 0 && h->listen != NULL)
        return check_listen(h->listen, why, len);
    const long *n = strcmp(key, "threads") == 0           ? &h->threads
                    : strcmp(key, "max_connections") == 0 ? &h->max_connections
                    : strcmp(key, "max_connections_per_client") == 0
                        ? &h->max_connections_per_client
                        : NULL;
    if (n != NULL && *n < 1) {
        snprintf(why, len, "%ld is not 1 or more", *n);
        return -1;
    }
    /* libmicrohttpd takes 0 as no timeout at all: idle connections would
     * hold their places for ever, and the file would seem to say the
     * opposite */
    if (strcmp(key, "timeout") == 0 && h->timeout_s < 1) {
        snprintf(why, len, "0s is not 1s or more (an idle connection must be closed some time)");
        return -1;
    }
    return 0;
}

int config_http_check_all(const struct config *cfg, const char **key, char *why, size_t len)
{
    const struct http_cfg *h = &cfg->http;

    if ((h->tls_cert != NULL) == (h->tls_key != NULL))
        return 0;
    *key = h->tls_cert != NULL ? "tls_cert" : "tls_key";
    snprintf(why, len, "no '%s' beside it: HTTPS needs both the certificate (tls_cert) and its "
             "private key (tls_key)", h->tls_cert != NULL ? "tls_key" : "tls_cert");
    return -1;
}
