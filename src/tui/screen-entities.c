/*
 * screen-entities.c — the Entities screen: entities, searchable, and the
 * members of the selected one with their sources.
 *
 * The list is `entities --json` (with --search after / or `filter TEXT`);
 * below it, `show-entity KEY --json`: every member record, its source and
 * id there, how it joined (exact, auto, manual) and with what confidence;
 * remembered members that were deleted are marked. h moves the focus to
 * the members and back; x splits a record out of the entity, asking which
 * with the selected member already on the line (Tab completes the others).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

#define ENTITIES_PAGE 500

struct entities_screen {
    struct list list;
    struct list members;
    char search[256];    /* asked for */
    char submitted[256]; /* of the load in flight */
    char shown[256];     /* of the rows on screen */
    cJSON *entity;       /* show-entity of the selected one */
    char loaded[128];    /* its key, loaded or being loaded */
    long long limit;     /* entities loaded at most; grows when the selection reaches the end */
    bool on_members;     /* the focus is on the selected entity's members (h) */
};

static const struct list_col entity_cols[] = {
    {"id", "ID", 6, LC_RIGHT, NULL, NULL},
    {"key", "KEY", 24, LC_SHARES, NULL, NULL},
    {"size", "RECORDS", 7, LC_RIGHT, NULL, NULL},
    {"title", "TITLE", 10, LC_FLEX, NULL, NULL},
};

static void fmt_method(const cJSON *row, char *buf, size_t len)
{
    const char *m = json_str(row, "method");
    snprintf(buf, len, "%s",
             !cJSON_IsTrue(cJSON_GetObjectItem(row, "live")) ? "deleted"
             : m                                             ? m
                                                             : "-");
}

/* three decimals, as show-entity prints it: an exact member's 1 reads as
 * 1.000 beside an automatic one's 0.9998, not as 1 */
static void fmt_confidence(const cJSON *row, char *buf, size_t len)
{
    const cJSON *c = cJSON_GetObjectItem(row, "confidence");
    if (cJSON_IsNumber(c))
        snprintf(buf, len, "%.3f", c->valuedouble);
    else
        snprintf(buf, len, "-");
}

static enum paint_attr member_attr(const cJSON *row)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(row, "live")) ? PA_NORMAL : PA_DIM;
}

static const struct list_col member_cols[] = {
    {"record", "RECORD", 7, LC_RIGHT, NULL, member_attr},
    {"source", "SOURCE", 16, 0, NULL, member_attr},
    {"source_id", "SOURCE ID", 12, 0, NULL, member_attr},
    {"method", "METHOD", 7, 0, fmt_method, member_attr},
    {"confidence", "CONF", 5, LC_RIGHT, fmt_confidence, member_attr},
    {"title", "TITLE", 10, LC_FLEX, NULL, member_attr},
};

static void entities_init(struct screen *s)
{
    struct entities_screen *es = xcalloc(1, sizeof *es);

    list_init(&es->list, entity_cols, (int)ARRAY_SIZE(entity_cols), "id", "no entities");
    list_init(&es->members, member_cols, (int)ARRAY_SIZE(member_cols), "record", "no members");
    es->limit = ENTITIES_PAGE;
    s->priv = es;
}

static void entities_free(struct screen *s)
{
    struct entities_screen *es = s->priv;
    list_free(&es->list);
    list_free(&es->members);
    cJSON_Delete(es->entity);
    free(es);
}

static void entities_draw(struct screen *s, int y, int x, int h, int w)
{
    struct entities_screen *es = s->priv;
    int top = screen_split(h - 1);
    const cJSON *sel = list_selected(&es->list);

    if (es->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    char count[96];
    paint_textf(y, x, w, es->on_members ? PA_DIM : PA_TITLE,
                "Entities%s%s%s \xc2\xb7 %s (/ searches, h goes to the members, x splits)",
                es->shown[0] ? " matching '" : "", es->shown, es->shown[0] ? "'" : "",
                screen_count_text(&es->list, "total", "entities", count, sizeof count));
    list_draw(&es->list, y + 1, x, top, w);
    if (sel == NULL || h - top - 2 < 3)
        return;
    if (es->entity == NULL || !str_eq(json_str(es->entity, "key"), json_str(sel, "key"))) {
        paint_text(y + top + 2, x, w, "loading\xe2\x80\xa6", PA_DIM);
        return;
    }
    paint_textf(y + top + 2, x, w, es->on_members ? PA_TITLE : PA_DIM,
                "%s \xc2\xb7 %s \xc2\xb7 %.0f live record%s%s",
                json_str(es->entity, "key"), json_str(es->entity, "title"),
                json_num(es->entity, "size", 0), json_num(es->entity, "size", 0) == 1 ? "" : "s",
                cJSON_IsTrue(cJSON_GetObjectItem(es->entity, "deleted")) ? " (deleted)" : "");
    list_draw(&es->members, y + top + 3, x, h - top - 3, w);
}

static void entity_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct entities_screen *es = s->priv;

    (void)t;
    if (j->rc != EXIT_OK || j->json == NULL || !str_eq(json_str(j->json, "key"), es->loaded))
        return;
    cJSON_Delete(es->entity);
    es->entity = j->json;
    j->json = NULL;
    list_set_rows(&es->members, cJSON_DetachItemFromObjectCaseSensitive(es->entity, "members"));
}

static void entities_load(struct screen *s);

static void entities_selected(struct screen *s)
{
    struct entities_screen *es = s->priv;
    const char *key = json_str(list_selected(&es->list), "key");
    char *line;

    /* the selection reached the last entity loaded: load the next page too */
    if (screen_page_more(&es->list, "total", &es->limit, ENTITIES_PAGE))
        entities_load(s);
    if (key == NULL || strcmp(key, es->loaded) == 0)
        return;
    snprintf(es->loaded, sizeof es->loaded, "%s", key);
    line = xasprintf("show-entity --json '%s'", key); /* keys are slugs: no quotes in them */
    screen_load(s, line, entity_loaded, 1);
    free(line);
}

static void entities_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct entities_screen *es = s->priv;

    (void)t;
    if (!screen_take_rows(s, j, &es->list))
        return;
    snprintf(es->shown, sizeof es->shown, "%s", es->submitted);
    es->loaded[0] = '\0'; /* membership may have changed */
    entities_selected(s);
}

static void entities_load(struct screen *s)
{
    struct entities_screen *es = s->priv;
    struct buf line = BUF_INIT;

    if (!screen_has_command(s, "entities", "entity unification"))
        return;
    buf_printf(&line, "entities --json --limit %lld", es->limit);
    if (es->search[0] != '\0') {
        buf_adds(&line, " --search \"");
        for (const char *p = es->search; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_addc(&line, '\\');
            buf_addc(&line, *p);
        }
        buf_addc(&line, '"');
    }
    if (screen_load(s, buf_str(&line), entities_loaded, 0))
        snprintf(es->submitted, sizeof es->submitted, "%s", es->search);
    buf_free(&line);
}

static int entities_filter(struct screen *s, const char *arg, struct err *err)
{
    struct entities_screen *es = s->priv;

    (void)err;
    snprintf(es->search, sizeof es->search, "%s", arg ? arg : "");
    es->list.empty = es->search[0] ? "no entity matches the search" : "no entities";
    es->list.sel = 0;
    es->limit = ENTITIES_PAGE;
    entities_load(s);
    return 0;
}

static struct list *entities_focus(struct screen *s)
{
    struct entities_screen *es = s->priv;
    return es->on_members && es->members.n > 0 ? &es->members : &es->list;
}

static int entities_next_focus(struct screen *s, struct err *err)
{
    struct entities_screen *es = s->priv;

    if (es->members.n == 0 && !es->on_members)
        return err_set(err, "the selected entity has no members to go to");
    es->on_members = !es->on_members;
    return 0;
}

/* {record} is the selected member (x offers it to split); the rest are
 * the selected entity's. */
static const char *entities_field(struct screen *s, const char *name, char *buf, size_t len)
{
    struct entities_screen *es = s->priv;

    if (strcmp(name, "record") == 0)
        return screen_list_field(&es->members, name, buf, len);
    return screen_list_field(&es->list, name, buf, len);
}

static void entities_complete(struct screen *s, enum cmd_arg_kind kind,
                              void (*add)(const char *word))
{
    struct entities_screen *es = s->priv;

    if (kind == ARG_ENTITY)
        screen_complete_list(&es->list, "key", add);
    if (kind == ARG_RECORD) /* split ENTITY RECORD */
        screen_complete_list(&es->members, "record", add);
}

const struct screen_ops screen_entities_ops = {
    .init = entities_init,
    .free = entities_free,
    .draw = entities_draw,
    .load = entities_load,
    .focus = entities_focus,
    .next_focus = entities_next_focus,
    .field = entities_field,
    .filter = entities_filter,
    .selected = entities_selected,
    .complete = entities_complete,
};
