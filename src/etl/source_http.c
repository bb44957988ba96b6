/*
 * source_http.c — JSON over HTTP (placeholder until the HTTP source lands).
 */
#include "kasparro/source.h"

static struct source *http_open(const struct source_open *how, struct err *err)
{
    err_set(err, "source '%s': the http_json kind is not built yet", how->src->name);
    return NULL;
}

const struct source_ops source_http_ops = {.kind = "http_json", .open = http_open};
