/*
 * httpd.h — the HTTP API: kasparro's data, runs, statistics, run
 * comparisons and metrics over HTTP/1.1, for downstream programs and
 * monitoring (libmicrohttpd, its own threads).
 *
 * One route table (src/http/routes.c) dispatches every request, says which
 * role it needs and which query parameters it takes, and generates
 * /openapi.json, so the description cannot drift from what is served.
 * Handlers call the same module APIs the commands use (dedup views and
 * decisions, runview, runcompare, runstats, the engine). Every response is
 * JSON with "meta" {request_id, api_latency_ms} and an X-Request-Id header;
 * errors are {"error":{"code","message"}} with the status they deserve.
 *
 * Keys: `Authorization: Bearer KEY`, configured in [http] as names of
 * environment variables (viewer_keys_env, operator_keys_env) or a key file
 * of hashes (key_file); kept only as SHA-256 hashes and compared in constant
 * time. Viewers read; operators also decide and trigger runs. Without a key
 * a protected route answers 401, with a key of too small a role 403.
 *
 * The faces (the daemon, the console) have their host (host.h) run it as a
 * service next to the engine and scheduler; it is stopped first.
 */
#ifndef KASPARRO_HTTPD_H
#define KASPARRO_HTTPD_H

#include "kasparro/config.h"
#include "kasparro/err.h"

struct engine;
struct sched;
struct httpd;

/* The listen address in force: KASPARRO_HTTP_LISTEN, else [http] listen,
 * else `dflt` (the face's default: "127.0.0.1:8000" for the daemon, NULL
 * for the console). NULL when the server is off. */
const char *httpd_listen_address(const struct config *cfg, const char *dflt);

/* Whether the listen address in force (httpd_listen_address) can be
 * listened on as far as can be told without binding it: its form, and its
 * host resolved. -1 with err (EXIT_USAGE) naming where it was given
 * (KASPARRO_HTTP_LISTEN, or the file and line); a face checks it before it
 * starts anything else. */
int httpd_check_listen(const struct config *cfg, const char *dflt, struct err *err);
/* Starts serving on `listen` ("HOST:PORT", "[V6]:PORT", ":PORT"; port 0
 * picks a free one). `engine` and `sched` may be NULL (then POST /runs
 * answers 503 and /health reports no scheduler). Takes a reference to cfg.
 * NULL with err (EXIT_USAGE for a bad setting, EXIT_FAIL when the address
 * cannot be bound). Logs "http: listening on ADDRESS". */
struct httpd *httpd_start(const struct config *cfg, const char *listen, struct engine *engine,
                          struct sched *sched, struct err *err);
/* The port actually bound (useful with port 0). */
int httpd_port(const struct httpd *h);
/* A reloaded configuration in two steps, so that a reload applies to
 * everything or nothing (host.h): httpd_prepare reads what the request
 * threads will use (the keys from their variables and key_file, the open
 * routes) — NULL with err when it cannot, which changes nothing; then
 * httpd_apply makes later requests use it (the address, TLS and limits
 * stay until a restart, and a warning names them when they changed) and
 * takes the settings, or httpd_settings_free drops them. */
struct httpd_settings;
struct httpd_settings *httpd_prepare(const struct config *cfg, struct err *err);
void httpd_apply(struct httpd *h, struct httpd_settings *st);
void httpd_settings_free(struct httpd_settings *st);
/* Stops accepting, finishes the requests in flight, closes connections. */
void httpd_stop(struct httpd *h);

/* The server as a host service (src/http/service.c): host_add_service(h,
 * &httpd_service, DEFAULT_ADDRESS, err), DEFAULT_ADDRESS being the face's
 * default for httpd_listen_address ("127.0.0.1:8000", or NULL). */
struct host_service;
extern const struct host_service httpd_service;

#endif
