/*
 * config_describe.c — how a source reads, in words, for people: the CSV
 * dialect or the HTTP paging, pacing and retries its configuration asks
 * for. `kasparro sources SOURCE` and the console's Sources screen show it;
 * both read it from the loaded configuration, so it says what a run would
 * do now, not what the last one did.
 */
#include "kasparro/config.h"

#include "kasparro/buf.h"

static void describe_csv(const struct source_cfg *src, struct buf *b)
{
    if (src->delimiter == '\0')
        buf_printf(b, "delimiter from the file");
    else if (config_char_name(src->delimiter) != NULL)
        buf_printf(b, "delimiter %s", config_char_name(src->delimiter));
    else
        buf_printf(b, "delimiter '%c'", src->delimiter);
    buf_printf(b, " \xc2\xb7 %s", src->encoding == ENC_LATIN1 ? "latin-1" : "utf-8");
    if (src->header)
        buf_printf(b, " \xc2\xb7 header row");
    else
        buf_printf(b, " \xc2\xb7 no header row (columns %s)", src->columns ? src->columns : "-");
}

static void describe_http(const struct source_cfg *src, struct buf *b)
{
    buf_printf(b, "pagination %s", pagination_name(src->pagination));
    if (src->rate_limit > 0)
        buf_printf(b, " \xc2\xb7 at most %g requests/s (burst %ld)", src->rate_limit, src->burst);
    else
        buf_printf(b, " \xc2\xb7 no rate limit");
    if (pagination_ahead(src->pagination) && src->concurrency > 1)
        buf_printf(b, " \xc2\xb7 %d pages at once", src->concurrency);
    else
        buf_printf(b, " \xc2\xb7 one page at a time");
    buf_printf(b, " \xc2\xb7 %d retr%s \xc2\xb7 timeout %gs", src->retries,
               src->retries == 1 ? "y" : "ies", (double)src->timeout_ms / 1000);
    if (src->auth_header_env != NULL)
        buf_printf(b, " \xc2\xb7 %s from $%s", src->auth_header ? src->auth_header : "Authorization",
                   src->auth_header_env);
}

void config_source_describe(const struct source_cfg *src, struct buf *b)
{
    if (src->kind == SRC_CSV)
        describe_csv(src, b);
    else
        describe_http(src, b);
}
