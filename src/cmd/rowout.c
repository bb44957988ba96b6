/*
 * rowout.c — CSV and JSON-lines rows (see rowout.h). Quoting a CSV field
 * is libcsv's (csv_fwrite); this file only decides which fields need it.
 */
#include "kasparro/rowout.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "kasparro/err.h"
#include "kasparro/util.h"

struct rowout {
    FILE *fp;
    enum rowout_format format;
    long long rows;
    bool header; /* the CSV header is written */
    int error;   /* errno of the first failed write */
};

const char *const rowout_formats[] = {[ROWOUT_CSV] = "csv", [ROWOUT_JSONL] = "jsonl", NULL};

int rowout_format_parse(const char *name, enum rowout_format *format)
{
    if (strcasecmp(name, rowout_formats[ROWOUT_CSV]) == 0)
        *format = ROWOUT_CSV;
    else if (strcasecmp(name, rowout_formats[ROWOUT_JSONL]) == 0 || strcasecmp(name, "ndjson") == 0)
        *format = ROWOUT_JSONL;
    else
        return -1;
    return 0;
}

enum rowout_format rowout_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot != NULL && (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
                        strcasecmp(dot, ".json") == 0))
        return ROWOUT_JSONL;
    return ROWOUT_CSV;
}

struct rowout *rowout_new(FILE *fp, enum rowout_format format)
{
    struct rowout *w = xcalloc(1, sizeof *w);

    w->fp = fp;
    w->format = format;
    return w;
}

static void csv_field(FILE *fp, const char *s)
{
    size_t len = strlen(s);
    bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ' || strpbrk(s, ",\"\r\n") != NULL);

    if (quote)
        csv_fwrite(fp, s, len);
    else
        fwrite(s, 1, len, fp);
}

/* A value as CSV text: strings as they are, null empty, the rest as JSON. */
static void csv_value(FILE *fp, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        csv_field(fp, v->valuestring);
    } else if (v != NULL && !cJSON_IsNull(v)) {
        char *s = cJSON_PrintUnformatted(v);
        csv_field(fp, s);
        cJSON_free(s);
    }
}

int rowout_header(struct rowout *w, const char *const *names, size_t n)
{
    if (w->format != ROWOUT_CSV || w->header)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc(',', w->fp);
        csv_field(w->fp, names[i]);
    }
    fputc('\n', w->fp);
    w->header = true;
    if (ferror(w->fp)) {
        w->error = errno;
        return -1;
    }
    return 0;
}

int rowout_put(struct rowout *w, const cJSON *row)
{
    const cJSON *v;

    if (w->format == ROWOUT_JSONL) {
        char *s = cJSON_PrintUnformatted(row);
        fputs(s, w->fp);
        fputc('\n', w->fp);
        cJSON_free(s);
    } else {
        if (!w->header) {
            cJSON_ArrayForEach(v, row) {
                if (v != row->child)
                    fputc(',', w->fp);
                csv_field(w->fp, v->string);
            }
            fputc('\n', w->fp);
            w->header = true;
        }
        cJSON_ArrayForEach(v, row) {
            if (v != row->child)
                fputc(',', w->fp);
            csv_value(w->fp, v);
        }
        fputc('\n', w->fp);
    }
    w->rows++;
    if (ferror(w->fp)) {
        w->error = errno;
        return -1;
    }
    return 0;
}

long long rowout_rows(const struct rowout *w) { return w->rows; }

int rowout_error(const struct rowout *w) { return w->error; }

void rowout_free(struct rowout *w) { free(w); }

/* Flushes and syncs what `put` wrote; -1 with err set when any of it failed. */
static int rowout_finish(struct rowout *w, int rc, const char *path, struct err *err)
{
    int error = rowout_error(w);

    if (rc == 0 && (fflush(w->fp) != 0 || fsync(fileno(w->fp)) < 0)) {
        rc = -1;
        error = errno;
    }
    if (rc < 0 && error != 0)
        err_set(err, "unable to write '%s': %s", path, strerror(error));
    return rc;
}

int rowout_file(const char *path, enum rowout_format format,
                int (*put)(struct rowout *w, void *arg, struct err *err), void *arg,
                long long *rows, struct err *err)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");
    int rc = -1;

    *rows = 0;
    if (fp == NULL) {
        err_set(err, "unable to create a file beside '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        struct rowout *w = rowout_new(fp, format);
        rc = rowout_finish(w, put(w, arg, err), path, err);
        *rows = rowout_rows(w);
        rowout_free(w);
        if (fclose(fp) != 0 && rc == 0)
            rc = err_set(err, "unable to write '%s': %s", path, strerror(errno));
        if (rc == 0 && rename(tmp, path) < 0)
            rc = err_set(err, "unable to rename '%s' to '%s': %s", tmp, path, strerror(errno));
    }
    if (rc < 0 && fd >= 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
