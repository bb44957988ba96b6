/*
 * fuzz_json.c — a source page on any bytes: the exact JSON reader, the
 * record array, and the mapper over every record. A page it accepts must
 * write back (compact) into text it accepts again, the same; every record
 * must map or be rejected with a reason.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "kasparro/http.h"
#include "kasparro/mapper.h"

static struct config *cfg;

static struct config *load_config(void)
{
    static const char text[] =
        "[schema]\ntitle = text, required\nn = number\ni = integer\nb = boolean\n"
        "ts = timestamp\nu = url\nnested = text\n"
        "[source api]\nkind = http_json\nurl = http://127.0.0.1/\nrecords = data\nid = id\n"
        "map.title = title\nmap.n = n\nmap.i = i\nmap.b = b\nmap.ts = ts\nmap.u = u\n"
        "map.a.\"b.c\".0 = nested\n";
    char path[64];
    struct err err = {0};
    int fd = fuzz_file(text, sizeof text - 1, path, sizeof path);
    struct config *c = config_load(path, &err);

    close(fd);
    if (c == NULL)
        abort();
    return c;
}

static void roundtrip(const struct jval *root)
{
    struct buf once = BUF_INIT, twice = BUF_INIT;
    char why[256];

    jval_compact(root, &once);
    struct jdoc *again = jdoc_parse(once.data, once.len, why, sizeof why);
    if (again == NULL)
        abort(); /* what it wrote must read back */
    jval_compact(jdoc_root(again), &twice);
    if (once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0)
        abort();
    jdoc_free(again);
    buf_free(&once);
    buf_free(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_response r = {.status = 200};
    struct jdoc *doc;
    const struct jval *records;
    char why[512];

    if (cfg == NULL)
        cfg = load_config();
    buf_add(&r.body, data, size);
    if (http_page_parse(&r, (size & 1) ? "data" : "", false, &doc, &records, why, sizeof why) == 0) {
        struct mapper *m = mapper_new(cfg, &cfg->sources[0]);
        struct mapped row;
        struct reject rej;
        roundtrip(jdoc_root(doc));
        mapped_init(&row, cfg);
        for (const struct jval *rec = records->child; rec != NULL; rec = rec->next) {
            struct src_item item = {.json = rec->type == JT_OBJECT ? rec : NULL,
                                    .error = rec->type == JT_OBJECT ? NULL : "not an object",
                                    .location = "page 1"};
            int rc = mapper_apply(m, &item, &row, &rej);
            char *refused = rc < 0 ? mapper_refusal(m, "nothing was loaded") : NULL;
            if ((rc > 0 && rej.reason[0] == '\0') || (rc < 0 && refused == NULL))
                abort(); /* a rejected record, a refused read, says why */
            free(refused);
        }
        mapped_free(&row, cfg);
        cJSON_Delete(mapper_drift(m));
        mapper_free(m);
        jdoc_free(doc);
    } else if (doc != NULL || why[0] == '\0') {
        abort();
    }
    buf_free(&r.body);
    return 0;
}
