/*
 * marks.c — marks (Space): a set of rows an action applies to at once.
 *
 * A list that takes marks (Review's queue, Deleted's records) keeps the
 * ids (its id_key) of the rows the operator marked, so the marks survive a
 * reload wherever their rows are still loaded; a row that left the list
 * (approved, restored, by this console or another) loses its mark, which is
 * how the marks clear once their action is done, and why a failed action
 * leaves them to try again. While any row is marked the list draws a mark
 * column and the screen's headline counts them ("3 marked").
 *
 * Actions reach the marks through `marked COMMAND` (bound to a, r, ...):
 * {ids} in COMMAND becomes the marked ids (or, with none marked, the
 * selected row's), and a set is asked about once, with its count, before
 * the one command line runs — `approve 3 8 12` is one decision, one undo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

static const char *row_id(const struct list *l, const cJSON *row, char *buf, size_t len)
{
    return json_text(cJSON_GetObjectItemCaseSensitive(row, l->id_key), buf, len);
}

int list_marks_count(const struct list *l) { return l->marks ? cJSON_GetArraySize(l->marks) : 0; }

bool list_marked(const struct list *l, const cJSON *row)
{
    char buf[256];
    return l->marks != NULL &&
           cJSON_GetObjectItemCaseSensitive(l->marks, row_id(l, row, buf, sizeof buf)) != NULL;
}

static void mark_set(struct list *l, const cJSON *row, bool on)
{
    char buf[256];
    const char *id = row_id(l, row, buf, sizeof buf);

    if (l->marks == NULL)
        l->marks = cJSON_CreateObject();
    if (!on)
        cJSON_DeleteItemFromObjectCaseSensitive(l->marks, id);
    else if (cJSON_GetObjectItemCaseSensitive(l->marks, id) == NULL)
        cJSON_AddTrueToObject(l->marks, id);
}

void list_marks_clear(struct list *l)
{
    cJSON_Delete(l->marks);
    l->marks = NULL;
}

void list_marks_prune(struct list *l)
{
    cJSON *keep;

    if (list_marks_count(l) == 0)
        return;
    keep = cJSON_CreateObject();
    for (const cJSON *r = l->all ? l->all->child : NULL; r != NULL; r = r->next) {
        char buf[256];
        const char *id = row_id(l, r, buf, sizeof buf);
        if (cJSON_GetObjectItemCaseSensitive(l->marks, id) != NULL &&
            cJSON_GetObjectItemCaseSensitive(keep, id) == NULL)
            cJSON_AddTrueToObject(keep, id);
    }
    cJSON_Delete(l->marks);
    l->marks = keep;
}

int list_marks_gutter(const struct list *l) { return list_marks_count(l) > 0 ? 2 : 0; }

void list_mark_draw(const struct list *l, const cJSON *row, int y, int x, bool selected)
{
    enum paint_attr a = row == NULL ? PA_HEADER : selected ? PA_SELECTED : PA_WARN;
    paint_text(y, x, 2, row != NULL && list_marked(l, row) ? "* " : "  ", a);
}

const char *list_marks_text(const struct list *l, char *buf, size_t len)
{
    int n = list_marks_count(l);

    buf[0] = '\0';
    if (n > 0)
        snprintf(buf, len, " \xc2\xb7 %d marked", n);
    return buf;
}

/* ---- the console's side: `mark` and `marked` ---- */

static struct list *markable_list(struct tui *t, struct err *err)
{
    struct screen *s = ui_screen(t);
    struct list *l = s->ops->focus ? s->ops->focus(s) : NULL;

    if (l == NULL || !l->markable) {
        err_set(err, "rows are not marked here (Space marks the pairs on Review and the "
                     "records on Deleted)");
        return NULL;
    }
    return l;
}

int tui_mark(struct tui *t, const char *how, struct err *err)
{
    struct list *l = markable_list(t, err);

    if (l == NULL)
        return -1;
    t->dirty = true;
    if (how != NULL && strcmp(how, "none") == 0) {
        list_marks_clear(l);
    } else if (how != NULL && strcmp(how, "all") == 0) {
        /* every row shown; when they all are already: none */
        bool all = true;
        for (const cJSON *r = l->rows ? l->rows->child : NULL; r != NULL && all; r = r->next)
            all = list_marked(l, r);
        for (const cJSON *r = l->rows ? l->rows->child : NULL; r != NULL; r = r->next)
            mark_set(l, r, !all);
    } else {
        const cJSON *sel = list_selected(l);
        if (sel == NULL)
            return err_set(err, "no row to mark");
        mark_set(l, sel, !list_marked(l, sel));
        return tui_move(t, "down", err); /* Space Space Space marks a run of rows */
    }
    return 0;
}

/* `text` with {ids} and {n} replaced. */
static char *fill(const char *text, const char *ids, int n)
{
    struct buf b = BUF_INIT;

    for (const char *p = text; *p; p++) {
        if (strncmp(p, "{ids}", 5) == 0) {
            buf_adds(&b, ids);
            p += 4;
        } else if (strncmp(p, "{n}", 3) == 0) {
            buf_printf(&b, "%d", n);
            p += 2;
        } else {
            buf_addc(&b, *p);
        }
    }
    return buf_detach(&b);
}

int tui_marked(struct tui *t, const char *question, const char *one_question,
               const char *command, struct err *err)
{
    struct list *l = markable_list(t, err);
    struct buf ids = BUF_INIT;
    char buf[256];
    int n = 0;

    if (l == NULL)
        return -1;
    for (const cJSON *r = l->all ? l->all->child : NULL; r != NULL; r = r->next)
        if (list_marked(l, r))
            buf_printf(&ids, "%s%s", n++ ? " " : "", row_id(l, r, buf, sizeof buf));
    if (n == 0) { /* none marked: the selected row */
        const cJSON *sel = list_selected(l);
        if (sel == NULL) {
            buf_free(&ids);
            return err_set(err, "nothing selected on the %s screen", ui_screen(t)->name);
        }
        buf_adds(&ids, row_id(l, sel, buf, sizeof buf));
    }
    char *line = fill(command, buf_str(&ids), n ? n : 1);
    /* a command that cannot be undone asks on the selected row too */
    if (n > 0 ? question != NULL : one_question != NULL) {
        char *q = fill(n > 0 ? question : one_question, buf_str(&ids), n ? n : 1);
        tui_confirm(t, q, line, err);
        free(q);
    } else {
        ui_dispatch(t, line, true);
    }
    free(line);
    buf_free(&ids);
    return 0;
}
