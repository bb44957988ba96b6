/*
 * fuzz_csv.c — the CSV reader on any bytes: every item it yields must be a
 * record or a quarantined item with a reason, its position must serve to
 * resume, and nothing may crash, leak or loop. The first byte picks the
 * dialect (delimiter, header, trim, encoding: bit 4 latin-1, with bit 6
 * windows-1252), the rest is the file.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "kasparro/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t', '|'};
    struct source_cfg cfg = {.name = "fuzz", .kind = SRC_CSV, .quote = '"', .strip_bom = true};
    struct err err = {0};
    char path[64];
    uint8_t mode = size > 0 ? data[0] : 0;

    if (size > 0)
        data++, size--;
    /* bit 5: no delimiter, as an unset key: found on the first line */
    cfg.delimiter = (mode & 32) ? '\0' : delims[mode & 3];
    cfg.header = !(mode & 4);
    cfg.columns = cfg.header ? NULL : (char *)"a,b,c";
    cfg.trim = mode & 8;
    cfg.encoding = !(mode & 16) ? ENC_UTF8 : (mode & 64) ? ENC_CP1252 : ENC_LATIN1;
    cfg.path = path;
    int fd = fuzz_file(data, size, path, sizeof path);
    struct source_open how = {.src = &cfg};
    struct source *s = source_csv_ops.open(&how, &err);
    cJSON *resume = NULL;
    if (s != NULL) {
        struct src_item item;
        long long n = 0;
        while (source_csv_ops.next(s, &item, &err) > 0) {
            if (item.error == NULL && item.nheader > 0 && item.ncols != item.nheader)
                abort(); /* a row of the wrong size must be quarantined */
            if (item.error != NULL && item.error[0] == '\0')
                abort(); /* a quarantined item says why */
            if (++n == 3) {
                cJSON_Delete(resume);
                resume = source_csv_ops.position(s);
            }
        }
        source_csv_ops.close(s);
    }
    if (resume != NULL) { /* resuming there reads to the end as well */
        how.resume = resume;
        if ((s = source_csv_ops.open(&how, &err)) != NULL) {
            struct src_item item;
            while (source_csv_ops.next(s, &item, &err) > 0)
                ;
            source_csv_ops.close(s);
        }
        cJSON_Delete(resume);
    }
    close(fd);
    return 0;
}
