/*
 * screen-audit.c — the Audit screen: the operators' decisions, newest
 * first: who approved, rejected, split or undid what, when and why, and
 * which decision undid it; and, one h away, the whole audit log: every
 * deletion, restore, purge and guard decision besides the decisions.
 *
 * Two lists, one shown at a time: the decisions (`decisions --json`; its
 * ids are what `undo` takes) and the log (`audit --json`). f keeps one
 * action (of the list shown), moving past the last row loaded loads the
 * next page. Enter shows the audit entries of the selected row's object
 * ({object}: decision:7, record:259, run:2); u undoes the selected
 * decision, or on the log the decision the row belongs to ({decision}),
 * after a question, and the list shows the undo as the newest decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/audit.h"
#include "kasparro/buf.h"
#include "tui-private.h"

#define AUDIT_PAGE 500
#define AUDIT_EMPTY "no decisions yet: approve, reject or split on the Review and Entities screens"
#define LOG_EMPTY "the audit log is empty"

/* One of the two lists, with its own action filter and page. */
struct audit_list {
    struct list list;
    char action[32];  /* "" for every action */
    char empty[64];   /* what the list says when no row has the action */
    long long limit;  /* rows loaded at most; grows when the selection reaches the end */
};

struct audit_screen {
    struct audit_list decisions, log;
    bool on_log; /* the log is shown */
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

/* "record:259", as --object takes it */
static void log_object(const cJSON *row, char *buf, size_t len)
{
    snprintf(buf, len, "%s:%s",
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "object_type")),
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "object_id")));
}

static const struct list_col log_cols[] = {
    {"id", "ID", 5, LC_RIGHT, NULL, NULL},
    {"at", "AT (UTC)", 19, LC_TIME, NULL, NULL},
    {"actor", "ACTOR", 8, 0, NULL, NULL},
    {"action", "ACTION", 13, 0, NULL, NULL},
    {"object_id", "OBJECT", 12, 0, log_object, NULL},
    {"decision", "DECISION", 8, LC_RIGHT, NULL, NULL},
    {"change", "CHANGE", 20, LC_FLEX, NULL, NULL},
    {"reason", "REASON", 10, LC_FLEX, NULL, NULL},
};

static void audit_init(struct screen *s)
{
    struct audit_screen *as = xcalloc(1, sizeof *as);

    list_init(&as->decisions.list, audit_cols, (int)ARRAY_SIZE(audit_cols), "id", AUDIT_EMPTY);
    list_init(&as->log.list, log_cols, (int)ARRAY_SIZE(log_cols), "id", LOG_EMPTY);
    as->decisions.limit = as->log.limit = AUDIT_PAGE;
    s->priv = as;
}

static void audit_free(struct screen *s)
{
    struct audit_screen *as = s->priv;
    list_free(&as->decisions.list);
    list_free(&as->log.list);
    free(as);
}

static struct audit_list *shown(struct screen *s)
{
    struct audit_screen *as = s->priv;
    return as->on_log ? &as->log : &as->decisions;
}

static void audit_draw(struct screen *s, int y, int x, int h, int w)
{
    struct audit_screen *as = s->priv;
    struct audit_list *al = shown(s);
    char count[96];

    if (al->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    long long total = screen_list_total(&al->list, "total");
    if (as->on_log)
        paint_textf(y, x, w, PA_TITLE,
                    "Audit log%s%s \xc2\xb7 %s (Enter shows the object's entries, h the "
                    "decisions)",
                    al->action[0] ? " of " : "", al->action,
                    screen_count_text(&al->list, "total", total == 1 ? "entry" : "entries",
                                      count, sizeof count));
    else
        paint_textf(y, x, w, PA_TITLE,
                    "Audit%s%s \xc2\xb7 %s (Enter shows one, u undoes it, h the whole log)",
                    al->action[0] ? " of " : "", al->action,
                    screen_count_text(&al->list, "total", total == 1 ? "decision" : "decisions",
                                      count, sizeof count));
    list_draw(&al->list, y + 1, x, h - 1, w);
}

static void audit_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct audit_screen *as = s->priv;

    (void)t;
    screen_take_rows(s, j, strncmp(j->line, "audit ", 6) == 0 ? &as->log.list
                                                              : &as->decisions.list);
}

/* Loads the list shown; the other is loaded when h shows it. */
static void audit_load(struct screen *s)
{
    struct audit_screen *as = s->priv;
    struct audit_list *al = shown(s);
    const char *command = as->on_log ? "audit" : "decisions";
    char line[128];

    if (!screen_has_command(s, command, as->on_log ? "the audit log" : "entity unification"))
        return;
    snprintf(line, sizeof line, "%s --json --limit %lld%s%s", command, al->limit,
             al->action[0] ? " --action " : "", al->action);
    screen_load(s, line, audit_loaded, 0);
}

static int audit_filter(struct screen *s, const char *arg, struct err *err)
{
    struct audit_screen *as = s->priv;
    struct audit_list *al = shown(s);
    bool all = arg == NULL || *arg == '\0';

    if (!all && !as->on_log && !audit_listed(decision_actions, arg)) {
        char *names = audit_names(decision_actions);
        err_code(err, EXIT_USAGE, "the Audit screen keeps the decisions (%s), not '%s' (h shows "
                 "the whole audit log)", names, arg);
        free(names);
        return -1;
    }
    if (!all && as->on_log && !audit_listed(audit_actions, arg))
        return err_code(err, EXIT_USAGE, "the audit log has no action '%s'", arg);
    snprintf(al->action, sizeof al->action, "%s", all ? "" : arg);
    snprintf(al->empty, sizeof al->empty, as->on_log ? "no %s entries" : "no %s decisions",
             al->action);
    al->list.empty = al->action[0] ? al->empty : as->on_log ? LOG_EMPTY : AUDIT_EMPTY;
    al->limit = AUDIT_PAGE;
    audit_load(s);
    return 0;
}

static int audit_next_focus(struct screen *s, struct err *err)
{
    struct audit_screen *as = s->priv;

    as->on_log = !as->on_log;
    audit_load(s);
    return 0;
}

static struct list *audit_focus(struct screen *s)
{
    return &shown(s)->list;
}

/* {object}: what Enter shows the entries of; {decision}: what u undoes.
 * On the log, {object} is the object the row is about (a restore's
 * record, not the decision that restored it: the decision's own entries
 * are one h away), and a row's decision is the one it belongs to, if any. */
static const char *audit_field(struct screen *s, const char *name, char *buf, size_t len)
{
    struct audit_screen *as = s->priv;
    struct list *l = audit_focus(s);
    const cJSON *row = list_selected(l);
    char id[32];

    if (row != NULL && strcmp(name, "object") == 0) {
        if (as->on_log)
            log_object(row, buf, len);
        else
            snprintf(buf, len, "decision:%s", screen_list_field(l, "id", id, sizeof id));
        return buf;
    }
    if (strcmp(name, "decision") == 0 && !as->on_log)
        name = "id";
    return screen_list_field(l, name, buf, len);
}

/* The selection reached the last row loaded: load the next page too. */
static void audit_selected(struct screen *s)
{
    struct audit_list *al = shown(s);

    if (screen_page_more(&al->list, "total", &al->limit, AUDIT_PAGE))
        audit_load(s);
}

static void audit_complete(struct screen *s, enum cmd_arg_kind kind, void (*add)(const char *word))
{
    struct audit_screen *as = s->priv;

    if (kind == ARG_DECISION)
        screen_complete_list(&as->decisions.list, "id", add);
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
    .next_focus = audit_next_focus,
    .selected = audit_selected,
    .complete = audit_complete,
    .follows = screen_follows_undo,
    .followed = audit_followed,
};
