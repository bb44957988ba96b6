/*
 * mouse.c — the mouse, as k9s and lazygit users expect it: a click on a row
 * of the list that has the focus selects it (as if moved there with the
 * keys, so a detail pane follows), and the wheel moves the selection three
 * rows a notch, or scrolls the pager when it is open. ncurses decodes the
 * terminal's reports (mousemask); presses are taken at once, without
 * waiting to see whether a click follows (mouseinterval 0). While the
 * command line or a question is open the mouse does nothing. Taking the
 * mouse means the terminal's own selection needs Shift (in most
 * terminals), so `mouse = no` in the configuration gives it back.
 */
#include <curses.h>

#include "tui-private.h"

#define WHEEL_ROWS 3

void mouse_apply(struct tui *t)
{
    if (t->uctx.cfg->mouse) {
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    } else {
        mousemask(0, NULL);
    }
}

static void click(struct tui *t, int y, int x)
{
    struct screen *s = ui_screen(t);
    struct list *l = s->ops->focus ? s->ops->focus(s) : NULL;
    int was = l ? l->sel : -1;

    if (t->pager != NULL || l == NULL || !list_click(l, y, x))
        return;
    if (l->sel != was && s->ops->selected != NULL)
        s->ops->selected(s);
}

void mouse_key(struct tui *t)
{
    MEVENT ev;
    struct err err = {0};

    if (getmouse(&ev) != OK || prompt_active() || t->choice != NULL)
        return;
    if (ev.bstate & BUTTON1_PRESSED)
        click(t, ev.y, ev.x);
    for (int i = 0; i < WHEEL_ROWS && (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)); i++)
        tui_move(t, ev.bstate & BUTTON4_PRESSED ? "up" : "down", &err);
}
