/*
 * service.c — the HTTP server as a host service (host.h): the host starts
 * it after the engine and the scheduler, hands it a reloaded configuration
 * and stops it first. The face says its default address: the daemon serves
 * on 127.0.0.1:8000 unless [http] listen says otherwise, the console only
 * when [http] listen (or KASPARRO_HTTP_LISTEN) asks.
 */
#include "kasparro/host.h"
#include "kasparro/httpd.h"

static void *service_start(struct host *h, const struct config *cfg, void *default_address,
                           struct err *err)
{
    const char *address = httpd_listen_address(cfg, default_address);

    if (address == NULL)
        return NULL; /* off */
    return httpd_start(cfg, address, host_engine(h), host_sched(h), err);
}

static void *service_prepare(void *state, const struct config *cfg, struct err *err)
{
    (void)state;
    return httpd_prepare(cfg, err);
}

static void service_apply(void *state, void *prepared) { httpd_apply(state, prepared); }
static void service_discard(void *prepared) { httpd_settings_free(prepared); }

static void service_stop(void *state) { httpd_stop(state); }

const struct host_service httpd_service = {
    .name = "http",
    .start = service_start,
    .prepare = service_prepare,
    .apply = service_apply,
    .discard = service_discard,
    .stop = service_stop,
};
