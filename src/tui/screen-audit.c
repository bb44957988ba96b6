/*
 * screen-audit.c — the Audit screen: the operators' decisions, newest
 * first: who approved, rejected, split or undid what, when and why, and
 * which decision undid it.
 *
 * The list is `decisions --json` (its ids are what `undo` takes); f keeps
 * one action, moving past the last row loaded loads the next page. Enter
 * shows the decision's audit entries (`audit --object decision:ID`); u
 * undoes the selected decision after a question, and the list shows the
 * undo as the newest decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

#define AUDIT_PAGE 500
#define AUDIT_EMPTY "no decisions yet: approve, reject or split on the Review and Entities screens"

struct audit_screen {
    struct list list;
    char action[16]; /* "" for every action */
    char empty[64];  /* what the list says when no decision has the action */
    long long limit; /* decisions loaded at most; grows when the selection reaches the end */
};

static enum paint_attr undone_attr(const cJSON *row)
{
    return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(row, "undone_by")) ? PA_DIM
                                                                               : PA_NORMAL;
}

static const struct list_col audit_cols[] = {
    {"id", "ID", 4, LC_RIGHT, NULL, undone_attr},
    {"at", "AT (UTC)", 19, LC_TIME, NULL, undone_attr},
    {"actor", "ACTOR", 8, 0, NULL, undone_attr},
    {"action", "ACTION", 7, 0, NULL, undone_attr},
    {"undone_by", "UNDONE BY", 9, LC_RIGHT, NULL, undone_attr},
    {"what", "WHAT", 20, LC_FLEX, NULL, undone_attr},
    {"reason", "REASON", 10, LC_FLEX, NULL, undone_attr},
};

static void audit_init(struct screen *s)
{
    struct audit_screen *as = xcalloc(1, sizeof *as);

    list_init(&as->list, audit_cols, (int)ARRAY_SIZE(audit_cols), "id", AUDIT_EMPTY);
    as->limit = AUDIT_PAGE;
    s->priv = as;
}

static void audit_free(struct screen *s)
{
    struct audit_screen *as = s->priv;
    list_free(&as->list);
    free(as);
}

static void audit_draw(struct screen *s, int y, int x, int h, int w)
{
    struct audit_screen *as = s->priv;
    char count[96];

    if (as->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    paint_textf(y, x, w, PA_TITLE, "Audit%s%s \xc2\xb7 %s (Enter shows one, u undoes it)",
                as->action[0] ? " of " : "", as->action,
                screen_count_text(&as->list, "total",
                                  screen_list_total(&as->list, "total") == 1 ? "decision"
                                                                             : "decisions",
                                  count, sizeof count));
    list_draw(&as->list, y + 1, x, h - 1, w);
}

static void audit_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct audit_screen *as = s->priv;

    (void)t;
    screen_take_rows(s, j, &as->list);
}

static void audit_load(struct screen *s)
{
    struct audit_screen *as = s->priv;
    char line[128];

    if (!screen_has_command(s, "decisions", "entity unification"))
        return;
    snprintf(line, sizeof line, "decisions --json --limit %lld%s%s", as->limit,
             as->action[0] ? " --action " : "", as->action);
    screen_load(s, line, audit_loaded, 0);
}

static int audit_filter(struct screen *s, const char *arg, struct err *err)
{
    struct audit_screen *as = s->priv;
    static const char *const actions[] = {"approve", "reject", "split", "undo", NULL};
    bool known = arg == NULL || *arg == '\0';

    for (size_t i = 0; actions[i] != NULL && !known; i++)
        known = strcmp(arg, actions[i]) == 0;
    if (!known)
        return err_code(err, EXIT_USAGE,
                        "the Audit screen keeps approve, reject, split or undo, not '%s'", arg);
    snprintf(as->action, sizeof as->action, "%s", arg ? arg : "");
    snprintf(as->empty, sizeof as->empty, "no %s decisions", as->action);
    as->list.empty = as->action[0] ? as->empty : AUDIT_EMPTY;
    as->limit = AUDIT_PAGE;
    audit_load(s);
    return 0;
}

static struct list *audit_focus(struct screen *s)
{
    return &((struct audit_screen *)s->priv)->list;
}

static const char *audit_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(audit_focus(s), name, buf, len);
}

/* The selection reached the last decision loaded: load the next page too. */
static void audit_selected(struct screen *s)
{
    struct audit_screen *as = s->priv;

    if (screen_page_more(&as->list, "total", &as->limit, AUDIT_PAGE))
        audit_load(s);
}

static void audit_complete(struct screen *s, enum cmd_arg_kind kind, void (*add)(const char *word))
{
    if (kind == ARG_DECISION)
        screen_complete_list(audit_focus(s), "id", add);
}

static void audit_followed(struct screen *s, struct job *j)
{
    char first[32];

    screen_undone(s->t, j->json, first, sizeof first);
}

const struct screen_ops screen_audit_ops = {
    .init = audit_init,
    .free = audit_free,
    .draw = audit_draw,
    .load = audit_load,
    .focus = audit_focus,
    .field = audit_field,
    .filter = audit_filter,
    .selected = audit_selected,
    .complete = audit_complete,
    .follows = screen_follows_undo,
    .followed = audit_followed,
};
