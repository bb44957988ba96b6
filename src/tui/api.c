/*
 * api.c — what the console-only commands do to the console (tui.h).
 *
 * `bind`, `move`, `search`, `prompt`, `confirm`, `quit` and the others are
 * ordinary entries of the command table, kept beside the console
 * (src/tui/cmd-*.c); their exec functions call these, on the UI thread,
 * with the console from ctx->console. Each
 * works on whatever has focus: the command line, then a question, then the
 * pager, then the current screen's list.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "tui-private.h"

/* ---- key bindings ---- */

static int check_table(const char *table, struct err *err)
{
    struct buf names = BUF_INIT;

    if (keys_table_known(table))
        return 0;
    for (const struct keytable_name *k = keys_tables; k->name != NULL; k++)
        buf_printf(&names, "%s%s", k == keys_tables ? "" : ", ", k->name);
    cmd_opt_error(err, "screen", "'%s' is not a key table (%s)", table, names.data);
    buf_free(&names);
    return -1;
}

static int parse_key(const char *name, struct err *err)
{
    int key = key_parse(name);
    if (key < 0)
        return err_code(err, EXIT_USAGE,
                        "unknown key '%s' (a character, Enter, Tab, BTab, "
                        "Escape, Space, BSpace, Up, Down, Left, Right, PgUp, PgDn, Home, End, "
                        "Delete, Insert, F1-F12 or C-a to C-z)",
                        name);
    return key;
}

int tui_bind(struct tui *t, const char *screen, const char *key, const char *command,
             const char *note, struct err *err)
{
    const char *table = screen ? screen : "global";
    int k;

    if (check_table(table, err) < 0 || (k = parse_key(key, err)) < 0)
        return -1;
    keys_set(&t->keys, table, k, command, note);
    return 0;
}

int tui_unbind(struct tui *t, const char *screen, const char *key, struct err *err)
{
    const char *table = screen ? screen : "global";
    int k;

    if (check_table(table, err) < 0 || (k = parse_key(key, err)) < 0)
        return -1;
    if (!keys_unset(&t->keys, table, k))
        return err_set(err, "key '%s' is not bound in the %s table", key, table);
    return 0;
}

static void add_table(const struct keys *k, const struct keytable_name *name,
                      struct table *tab)
{
    const struct keytable *kt = keys_table(k, name->name);
    char buf[32];

    for (size_t i = 0; kt != NULL && i < kt->n; i++) {
        table_row(tab);
        table_str(tab, name->name);
        table_str(tab, name->title);
        table_str(tab, key_label(kt->b[i].key, buf, sizeof buf));
        table_str(tab, kt->b[i].note);
        table_str(tab, kt->b[i].command);
    }
}

static void key_columns(struct table *tab)
{
    table_col(tab, "table", "TABLE", 0);
    table_col(tab, "title", "WHERE", COL_JSON_ONLY);
    table_col(tab, "key", "KEY", 0);
    table_col(tab, "note", "DOES", COL_WIDE);
    /* too narrow for both, what a key does reads better whole than cut
     * beside its command */
    table_col(tab, "command", "COMMAND", COL_WIDE | COL_OPTIONAL);
}

static void add_named(struct tui *t, const char *name, struct table *tab)
{
    for (const struct keytable_name *k = keys_tables; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            add_table(&t->keys, k, tab);
}

void tui_keys_here(struct tui *t, struct table *tab)
{
    key_columns(tab);
    if (t->pager != NULL && t->pager->keys != NULL)
        add_named(t, t->pager->keys, tab);
    add_named(t, t->pager != NULL ? "pager" : ui_screen(t)->name, tab);
    add_named(t, "global", tab);
}

int tui_keys_table(struct tui *t, const char *screen, struct table *tab, struct err *err)
{
    struct tui *skeleton = NULL;

    if (screen != NULL && check_table(screen, err) < 0)
        return -1;
    if (t == NULL) { /* the defaults, for `kasparro keys` in a shell */
        struct cmd_ctx ctx = {.origin = ORIGIN_CONSOLE};
        t = skeleton = xcalloc(1, sizeof *t);
        t->keys_only = true;
        tui_uctx_init(t, &ctx);
        tui_keys_defaults(t);
    }
    key_columns(tab);
    /* every table in keys_tables' order, or one screen's and then the global one */
    if (screen != NULL && strcmp(screen, keys_tables[0].name) != 0)
        add_named(t, screen, tab);
    for (const struct keytable_name *k = keys_tables; k->name != NULL; k++)
        if (screen == NULL || k == keys_tables)
            add_table(&t->keys, k, tab);
    if (skeleton != NULL) {
        keys_free(&skeleton->keys);
        free(skeleton);
    }
    return 0;
}

/* ---- moving and searching ---- */

static struct list *focus_list(struct tui *t)
{
    struct screen *s = ui_screen(t);
    return s->ops->focus ? s->ops->focus(s) : NULL;
}

int tui_move(struct tui *t, const char *how, struct err *err)
{
    struct list *l = focus_list(t);
    bool ok;

    if (t->pager != NULL) {
        ok = pager_move(t->pager, how);
    } else if (l != NULL) {
        int was = l->sel;
        ok = list_move(l, how);
        if (ok && l->sel != was && ui_screen(t)->ops->selected != NULL)
            ui_screen(t)->ops->selected(ui_screen(t));
    } else {
        ok = list_move(&(struct list){0}, how); /* nothing to move: still check the word */
    }
    if (!ok)
        return err_code(err, EXIT_USAGE,
                        "unknown move '%s' (up, down, page-up, page-down, "
                        "top, bottom, left, right)",
                        how);
    t->dirty = true;
    return 0;
}

int tui_search(struct tui *t, const char *text, bool backward, struct err *err)
{
    struct list *l = focus_list(t);
    bool found;

    if (text != NULL && *text != '\0')
        snprintf(t->last_search, sizeof t->last_search, "%s", text);
    if (t->last_search[0] == '\0')
        return err_set(err, "no search yet; / starts one");
    if (t->pager != NULL) {
        found = pager_search(t->pager, t->last_search, backward);
    } else if (l != NULL && l->n > 0) {
        int was = l->sel;
        found = list_search(l, t->last_search, backward);
        if (found && l->sel != was && ui_screen(t)->ops->selected != NULL)
            ui_screen(t)->ops->selected(ui_screen(t));
    } else {
        found = false;
    }
    t->dirty = true;
    if (!found)
        return err_set(err, "'%s' not found", t->last_search);
    return 0;
}

/* ---- the command line and questions ---- */

struct prompt_spec {
    char *template_;
    char *empty_template;
};

static void answered(struct tui *t, const char *line, void *arg)
{
    struct prompt_spec *spec = arg;
    bool ran = false;

    if (line != NULL && spec->template_ == NULL) {
        if (*line != '\0')
            ran = ui_run_line(t, line); /* typed at ':' — {id} works there too */
    } else if (line != NULL && *line == '\0') {
        if (spec->empty_template != NULL)
            ran = ui_dispatch(t, spec->empty_template, false);
    } else if (line != NULL) {
        struct buf b = BUF_INIT, word = BUF_INIT;
        buf_addc(&word, '"');
        for (const char *p = line; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_addc(&word, '\\');
            buf_addc(&word, *p);
        }
        buf_addc(&word, '"');
        for (const char *p = spec->template_; *p; p++) {
            if (p[0] == '%' && p[1] == '%') {
                buf_adds(&b, buf_str(&word));
                p++;
            } else {
                buf_addc(&b, *p);
            }
        }
        ran = ui_dispatch(t, buf_str(&b), false);
        buf_free(&b);
        buf_free(&word);
    }
    ui_answered(t, ran);
    free(spec->template_);
    free(spec->empty_template);
    free(spec);
}

int tui_prompt(struct tui *t, const char *prompt, const char *initial, const char *template_,
               const char *empty_template, struct err *err)
{
    struct prompt_spec *spec = xcalloc(1, sizeof *spec);

    (void)err;
    spec->template_ = template_ ? xstrdup(template_) : NULL;
    spec->empty_template = empty_template ? xstrdup(empty_template) : NULL;
    prompt_open(prompt ? prompt : ":", initial, template_ == NULL, answered, spec);
    if (template_ != NULL && strstr(template_, "%%") != NULL) /* Tab completes the answer's word */
        prompt_set_context(template_, (size_t)(strstr(template_, "%%") - template_));
    return 0;
}

static void ask(struct tui *t, const char *question, int n, const char *keys,
                const char *const *commands)
{
    struct choice *c = xcalloc(1, sizeof *c);

    ui_choice_free(t);
    c->question = xstrdup(question);
    c->n = n;
    for (int i = 0; i < n; i++) {
        c->keys[i] = keys[i];
        c->commands[i] = commands[i] ? xstrdup(commands[i]) : NULL;
    }
    t->choice = c;
    t->dirty = true;
}

int tui_confirm(struct tui *t, const char *question, const char *command, struct err *err)
{
    char *q = xasprintf("%s (y/n)", question);

    (void)err;
    ask(t, q, 2, "yn", (const char *const[]){command, NULL});
    free(q);
    return 0;
}

/* `q` with the operator's commands still going (a decision, an export):
 * the console closes once they are done, QUIT_WAIT_S at the latest, and
 * says on the terminal what became of each (quit_said); a second `q`
 * closes at once. Whether it waits. */
static bool wait_for_asked(struct tui *t)
{
    char what[256], more[32] = "";
    int n = t->worker != NULL ? worker_asked(t->worker, what, sizeof what) : 0;

    if (n == 0)
        return false;
    if (n > 1)
        snprintf(more, sizeof more, " and %d more", n - 1);
    t->quit_by = clock_mono() + QUIT_WAIT_S;
    ui_message(t, PA_WARN, "closing once '%s'%s %s done (%ds at most); q again: close now, "
               "cancel %s", what, more, n > 1 ? "are" : "is", QUIT_WAIT_S, n > 1 ? "them" : "it");
    t->message_until = t->quit_by;
    return true;
}

int tui_quit(struct tui *t, enum tui_quit_mode mode, struct err *err)
{
    (void)err;
    if (t->quit_by > 0) { /* asked again while waiting: now, the run as decided */
        t->quitting = true;
        return 0;
    }
    if (mode == TUI_QUIT_ASK && t->engine != NULL && engine_busy(t->engine)) {
        /* a run the scheduler or a command just asked for has no id yet */
        char *what = t->prog.active && t->prog.run_id > 0
                         ? xasprintf("run %lld is in progress", t->prog.run_id)
                         : xstrdup("a run is starting");
        char *q = xasprintf("%s: f finish it in the background, c cancel it, s stay", what);
        free(what);
        ask(t, q, 3, "fcs", (const char *const[]){"quit --finish", "quit --cancel", NULL});
        free(q);
        return 0;
    }
    t->quit_mode = mode == TUI_QUIT_ASK ? TUI_QUIT_CANCEL : mode;
    if (!wait_for_asked(t))
        t->quitting = true;
    return 0;
}

void tui_quit_said(struct tui *t, const struct job *j, bool delivered, bool ran)
{
    int n = job_command_len(j);

    if (!ran)
        buf_printf(&t->quit_said, "kasparro: '%.*s' was not done: the console closed before it "
                   "started\n", n, j->line);
    else if (j->rc != EXIT_OK && !delivered)
        buf_printf(&t->quit_said, "kasparro: '%.*s' was not done: it was still running when the "
                   "console closed, and was cancelled\n", n, j->line);
    else if (j->rc != EXIT_OK)
        buf_printf(&t->quit_said, "kasparro: '%.*s' failed: %s\n", n, j->line, j->err.msg);
    else if ((j->flags & JOB_JSON) || j->out == NULL || j->out[0] == '\0')
        buf_printf(&t->quit_said, "kasparro: '%.*s' is done\n", n, j->line);
    else
        buf_printf(&t->quit_said, "kasparro: '%.*s' is done: %.*s\n", n, j->line,
                   (int)strcspn(j->out, "\n"), j->out);
}

void tui_close(struct tui *t)
{
    if (t->choice != NULL)
        ui_choice_free(t);
    else if (t->pager != NULL) {
        struct pager *under = t->pager->under; /* the record it opened over */
        t->pager->under = NULL;
        pager_free(t->pager);
        t->pager = under;
    } else
        t->message[0] = '\0';
    t->dirty = true;
}

/* ---- screen-specific ---- */

/* The list the screen's selection is in, for the filters and orders every
 * list has; NULL (err set) when the screen has none. */
static struct list *focused_list(struct screen *s, struct err *err)
{
    struct list *l = s->ops->focus ? s->ops->focus(s) : NULL;

    if (l == NULL)
        err_set(err, "the %s screen has no list", s->name);
    return l;
}

int tui_filter(struct tui *t, const char *arg, bool text, struct err *err)
{
    struct screen *s = ui_screen(t);
    struct list *l;

    t->dirty = true;
    if (!text && s->ops->filter != NULL)
        return s->ops->filter(s, arg, err);
    if ((l = focused_list(s, err)) == NULL)
        return -1;
    return list_filter(l, arg, err) < 0 ? err_prefix(err, "the %s screen", s->name) : 0;
}

int tui_sort(struct tui *t, const char *key, struct err *err)
{
    struct screen *s = ui_screen(t);
    struct list *l;

    t->dirty = true;
    if (s->ops->sort != NULL)
        return s->ops->sort(s, key, err);
    if ((l = focused_list(s, err)) == NULL)
        return -1;
    return list_sort(l, key, err) < 0 ? err_prefix(err, "the %s screen", s->name) : 0;
}

int tui_focus(struct tui *t, struct err *err)
{
    struct screen *s = ui_screen(t);

    if (s->ops->next_focus == NULL)
        return err_set(err, "the %s screen has one list", s->name);
    t->dirty = true;
    return s->ops->next_focus(s, err);
}

void tui_refresh(struct tui *t)
{
    host_db_retry(t->host); /* and try the database again now, if it is away */
    ui_repaint(t);
    ui_changed(t);
}

void ui_screen_text(struct tui *t, struct buf *out)
{
    wchar_t line[1024];
    char mb[4096];

    ui_draw(t);
    for (int y = 0; y < LINES; y++) {
        int n = mvinnwstr(y, 0, line, COLS < 1023 ? COLS : 1023);
        size_t len;
        line[n > 0 ? n : 0] = L'\0';
        len = wcstombs(mb, line, sizeof mb - 1);
        if (len == (size_t)-1)
            len = 0;
        while (len > 0 && mb[len - 1] == ' ')
            len--;
        buf_add(out, mb, len);
        buf_addc(out, '\n');
    }
}

int tui_dump_screen(struct tui *t, const char *path, struct err *err)
{
    FILE *f = fopen(path, "w");
    struct buf text = BUF_INIT;

    if (f == NULL)
        return err_set(err, "unable to write '%s': %m", path);
    ui_screen_text(t, &text);
    fputs(buf_str(&text), f);
    buf_free(&text);
    if (fclose(f) != 0)
        return err_set(err, "unable to write '%s': %m", path);
    return 0;
}
