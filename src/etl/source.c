/*
 * source.c — picking the implementation of a source kind, and where a
 * source reads as `sources` and the console show it.
 */
#include "kasparro/source.h"

#include "kasparro/http.h"

const struct source_ops *source_ops_for(enum source_kind kind)
{
    return kind == SRC_CSV ? &source_csv_ops : &source_http_ops;
}

char *source_location(const struct config *cfg, const struct source_cfg *src)
{
    static const char *const names[] = {"dir"};
    const char *values[] = {cfg->dir != NULL ? cfg->dir : "."};

    if (src->kind == SRC_CSV)
        return xstrdup(src->path != NULL ? src->path : "-");
    return src->url != NULL ? http_url_expand(src->url, names, values, 1) : xstrdup("-");
}
