/*
 * export.c — `export-view FILE`: the rows a list shows, for other programs.
 *
 * What an operator narrowed and ordered on a screen (`/`, `s`, a screen's
 * own filter) is what goes to the file, in that order, with every field
 * the screen's listing has (`runs --json` and the others), not only the
 * columns that fit. CSV columns are the union of the rows' fields, so a
 * field only some rows carry still lines up; the listing's own counts
 * (`total`, `total_exact`, `in_range`) describe the listing, not a row,
 * and are left out.
 * The file is written whole or not at all (rowout_file). A list that holds
 * only a page of a larger listing says so: the file has what is loaded.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/rowout.h"
#include "tui-private.h"

static bool listing_count(const char *key)
{
    return strcmp(key, "total") == 0 || strcmp(key, "total_exact") == 0 ||
           strcmp(key, "in_range") == 0;
}

/* The fields of every row, in the order first seen (an object used as an
 * ordered set). */
static cJSON *view_fields(const cJSON *rows)
{
    cJSON *fields = cJSON_CreateObject();
    const cJSON *r, *v;

    cJSON_ArrayForEach(r, rows) {
        cJSON_ArrayForEach(v, r) {
            if (!listing_count(v->string) && !cJSON_HasObjectItem(fields, v->string))
                cJSON_AddTrueToObject(fields, v->string);
        }
    }
    return fields;
}

static int put_view(struct rowout *w, void *arg, struct err *err)
{
    const cJSON *rows = arg, *r, *f;
    cJSON *fields = view_fields(rows);
    int rc = 0;

    (void)err; /* a failed write is rowout_error's */
    cJSON_ArrayForEach(r, rows) {
        cJSON *out = cJSON_CreateObject();
        cJSON_ArrayForEach(f, fields) {
            cJSON *v = cJSON_GetObjectItemCaseSensitive(r, f->string);
            if (v != NULL)
                cJSON_AddItemReferenceToObject(out, f->string, v);
            else
                cJSON_AddNullToObject(out, f->string);
        }
        rc = rowout_put(w, out);
        cJSON_Delete(out); /* the references only */
        if (rc < 0)
            break;
    }
    cJSON_Delete(fields);
    return rc;
}

/* The listing's size when the list holds only part of it; 0 otherwise. */
static long long listing_total(const struct list *l)
{
    const cJSON *first = l->all != NULL ? l->all->child : NULL;
    double total = first ? json_num(first, "total", json_num(first, "in_range", 0)) : 0;

    return total > cJSON_GetArraySize(l->all) ? (long long)total : 0;
}

int tui_export_view(struct tui *t, const char *path, const char *format, char *said,
                    size_t len, struct err *err)
{
    struct screen *s = ui_screen(t);
    struct list *l = s->ops->focus ? s->ops->focus(s) : NULL;
    enum rowout_format fmt = rowout_format_of(path);
    long long rows = 0, total;
    char n[32], all[32], loaded[32];

    if (format != NULL && rowout_format_parse(format, &fmt) < 0)
        return cmd_opt_error(err, "format", "'%s' is not a format (csv, jsonl)", format);
    if (l == NULL)
        return err_set(err, "the %s screen has no list to write", s->name);
    if (l->n == 0)
        return err_set(err, "the %s screen shows no rows: nothing written to '%s'", s->name,
                       path);
    if (rowout_file(path, fmt, put_view, l->rows, &rows, err) < 0)
        return -1;
    out_count(rows, n, sizeof n);
    int at = snprintf(said, len, "%s %s written to '%s' (%s)", n, rows == 1 ? "row" : "rows",
                      path, fmt == ROWOUT_JSONL ? "JSON lines" : "CSV");
    if (l->filter != NULL && at > 0 && (size_t)at < len)
        at += snprintf(said + at, len - (size_t)at, ", those containing '%s'", l->filter);
    if ((total = listing_total(l)) > 0 && at > 0 && (size_t)at < len)
        snprintf(said + at, len - (size_t)at,
                 "; the list holds %s of %s: its last row loads more",
                 out_count(cJSON_GetArraySize(l->all), loaded, sizeof loaded),
                 out_count(total, all, sizeof all));
    return 0;
}
