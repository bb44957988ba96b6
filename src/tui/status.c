/*
 * status.c — the console's frame: the tab bar at the top, the status line
 * and the message line at the bottom.
 *
 * The status line says what an operator must always see: whether the
 * database is there ("disconnected — retrying" otherwise), whether a run is
 * going and how far, and whether a command is still working. The message
 * line shows one-line results and errors, a question (y/n), or the command
 * line while it is open; it is drawn last, so the cursor ends up in it. A
 * message wider than the screen wraps onto a few more rows, which the
 * screen above gives up while it is shown: an error is never cut.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

/* A tab's text in each layout: " 1 Runs " spaced, "1 Runs" tight, and
 * the number alone for the tabs not shown when even that is too wide. */
static void tab_text(struct tui *t, int i, int layout, char *buf, size_t len)
{
    if (layout == 0)
        snprintf(buf, len, " %d %s ", i + 1, t->screens[i].title);
    else if (layout == 1 || i == t->cur)
        snprintf(buf, len, "%d %s", i + 1, t->screens[i].title);
    else
        snprintf(buf, len, "%d", i + 1);
}

/* The tabs, as spaced as the width allows: every screen is always there. */
void status_draw_tabs(struct tui *t, int w)
{
    int layout = 0, gap = 1, x;
    char tab[64];

    for (; layout < 2; layout++) {
        gap = layout == 0 ? 1 : 2;
        x = layout == 0 ? 0 : 1;
        for (int i = 0; i < NSCREENS; i++) {
            tab_text(t, i, layout, tab, sizeof tab);
            x += (int)utf8_width(tab) + gap;
        }
        if (x - gap <= w)
            break;
    }
    paint_fill(0, 0, w, PA_TAB);
    x = layout == 0 ? 0 : 1;
    for (int i = 0; i < NSCREENS && x < w; i++) {
        tab_text(t, i, layout, tab, sizeof tab);
        x += paint_text(0, x, w - x, tab, i == t->cur ? PA_TAB_ACTIVE : PA_TAB);
        x += layout == 0 ? 1 : 2;
    }
}

static void run_summary(const struct progress *p, char *buf, size_t len)
{
    long long fetched = 0, total = 0;
    bool known = p->nsources > 0;
    int done = 0;

    if (p->step[0]) { /* past loading: what the stage does now */
        snprintf(buf, len, "run %lld: %s: %s", p->run_id, p->stage, p->step);
        return;
    }
    for (int i = 0; i < p->nsources; i++) {
        const struct progress_source *s = &p->sources[i];
        fetched += s->fetched;
        if (s->total < 0)
            known = false;
        else
            total += s->total;
        done += s->finished > 0;
    }
    if (known && total > 0)
        snprintf(buf, len, "run %lld: %s %d/%d sources, %lld%%", p->run_id, p->stage, done,
                 p->nsources, fetched * 100 / total);
    else
        snprintf(buf, len, "run %lld: %s %d/%d sources, %lld records", p->run_id, p->stage, done,
                 p->nsources, fetched);
}

void status_draw_status(struct tui *t, int y, int w)
{
    const char *help = " ? keys  : command  q quit ";
    char left[512], work[256];
    enum paint_attr a = PA_STATUS;
    int x;

    paint_fill(y, 0, w, PA_STATUS);
    if (prompt_active() && t->hint[0]) {
        paint_text(y, 1, w - 1, t->hint, PA_STATUS);
        return;
    }
    struct host_db db;
    host_db(t->host, &db);
    if (db.state == HOST_DB_CONNECTED) {
        snprintf(left, sizeof left, " connected");
    } else if (db.state == HOST_DB_STOPPED) {
        snprintf(left, sizeof left, " database stopped \xe2\x80\x94 '%s' starts it", db.start);
        a = PA_STATUS_BAD;
    } else if (db.state == HOST_DB_RETRYING) {
        snprintf(left, sizeof left, " disconnected \xe2\x80\x94 retrying%s",
                 db.retry_in < 0 ? "" : db.retry_in > 0.5 ? " soon" : " now");
        a = PA_STATUS_BAD;
    } else {
        snprintf(left, sizeof left, " connecting\xe2\x80\xa6");
    }
    x = paint_text(y, 0, w, left, a);
    x += 2;
    if (elsewhere_board(t)->active) { /* this console's run, or another process's */
        char silence[64];
        if (elsewhere_silence(t, elsewhere_board(t), silence, sizeof silence))
            snprintf(work, sizeof work, "run %lld: %s", elsewhere_board(t)->run_id, silence);
        else
            run_summary(elsewhere_board(t), work, sizeof work);
        x += paint_text(y, x, w - x, work, PA_STATUS) + 2;
    }
    worker_current(t->worker, work, sizeof work);
    if (work[0] != '\0') {
        char line[300];
        snprintf(line, sizeof line, "working: %s", work);
        x += paint_text(y, x, w - x - (int)utf8_width(help), line, PA_STATUS) + 2;
    }
    int hw = (int)utf8_width(help);
    if (x + hw <= w)
        paint_text(y, w - hw, hw, help, PA_STATUS);
}

/* The question asked or the message, when one is shown: NULL otherwise. */
static const char *message_text(struct tui *t, enum paint_attr *attr)
{
    if (prompt_active())
        return NULL;
    if (t->choice != NULL) {
        *attr = PA_WARN;
        return t->choice->question;
    }
    *attr = t->message_attr;
    return t->message[0] != '\0' ? t->message : NULL;
}

/* The text's rows at width w, at most max (the last cut with "…"): row r
 * is len[r] bytes from off[r]. */
static int message_layout(const char *text, int w, int max, size_t *off, size_t *len)
{
    int n = 0;
    size_t at = 0;

    while (n < max && text[at] != '\0') {
        off[n] = at;
        len[n] = w > 0 ? utf8_wrap(text + at, (size_t)w) : strlen(text + at);
        at += len[n++];
        while (text[at] == ' ' && n < max) /* a row does not begin with the space it broke at */
            at++;
    }
    return n > 0 ? n : 1;
}

int status_text_rows(const char *text, int w, int max)
{
    size_t off[STATUS_MESSAGE_MAX], len[STATUS_MESSAGE_MAX];

    if (max > STATUS_MESSAGE_MAX)
        max = STATUS_MESSAGE_MAX;
    return message_layout(text, w, max, off, len);
}

int status_message_rows(struct tui *t, int w, int max)
{
    enum paint_attr attr;
    const char *text = message_text(t, &attr);

    return text != NULL && max > 1 ? status_text_rows(text, w, max) : 1;
}

void status_draw_message(struct tui *t, int y, int rows, int w)
{
    enum paint_attr attr;
    const char *text = message_text(t, &attr);
    size_t off[STATUS_MESSAGE_MAX], len[STATUS_MESSAGE_MAX];

    if (prompt_active()) {
        prompt_draw(y, w);
        return;
    }
    for (int r = 0; r < rows; r++)
        paint_fill(y + r, 0, w, PA_NORMAL);
    if (text == NULL)
        return;
    if (rows > STATUS_MESSAGE_MAX)
        rows = STATUS_MESSAGE_MAX;
    int n = message_layout(text, w, rows, off, len);
    for (int r = 0; r < n; r++) {
        char *row = xstrndup(text + off[r], len[r]);
        paint_text(y + r, 0, w, r + 1 < n ? row : text + off[r], attr); /* the last: cut */
        free(row);
    }
}
