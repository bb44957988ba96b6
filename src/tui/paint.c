/*
 * paint.c — how the console looks: attributes and width-aware text.
 *
 * Every piece of the console draws through these helpers, on stdscr (one
 * window, redrawn once per loop turn; ncurses sends only what changed).
 * Attributes are named by meaning (PA_DIFF, PA_BAD, ...) and mapped once:
 * to colours when the terminal has them and NO_COLOR is not set, otherwise
 * to bold, underline, reverse and dim, so a monochrome terminal loses no
 * information. Text is measured in terminal cells (utf8.h), so a CJK title
 * takes two cells per character and columns stay aligned; control
 * characters from data are shown as blanks and never reach the terminal.
 * Charts (paint_spark) draw with Unicode blocks when the locale's
 * character set is UTF-8 and with ASCII otherwise. The configuration's
 * color.ELEMENT lines (a theme) replace an attribute's colours and
 * attributes when colours are in use (paint_theme).
 */
#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/utf8.h"
#include "tui-private.h"

_Static_assert(PA_COUNT == CONFIG_NCOLORS, "config_color_names follows enum paint_attr");

static int attrs[PA_COUNT];
static bool use_color;
static bool use_blocks; /* the locale is UTF-8: ▁▂▃▄▅▆▇█ */

/* colour pair, attribute with colour, attribute without */
static const struct {
    short fg, bg;
    int color_attr;
    int mono_attr;
} looks[PA_COUNT] = {
    [PA_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [PA_TAB] = {-1, -1, A_NORMAL, A_NORMAL},
    [PA_TAB_ACTIVE] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
    [PA_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [PA_STATUS_BAD] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [PA_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [PA_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [PA_DIM] = {-1, -1, A_DIM, A_DIM},
    [PA_GOOD] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [PA_BAD] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [PA_WARN] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
    [PA_DIFF] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [PA_MATCH] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [PA_BAR] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE},
    [PA_TITLE] = {-1, -1, A_BOLD, A_BOLD},
};

static int theme_attrs(unsigned bits)
{
    return (bits & COLOR_ATTR_BOLD ? A_BOLD : 0) | (bits & COLOR_ATTR_UNDERLINE ? A_UNDERLINE : 0) |
           (bits & COLOR_ATTR_REVERSE ? A_REVERSE : 0) | (bits & COLOR_ATTR_DIM ? A_DIM : 0);
}

/* One attribute: the built-in look, or the theme's line for it. A colour the
 * terminal lacks (a number past COLORS) leaves the built-in look. */
static void paint_set(enum paint_attr a, const struct color_spec *theme)
{
    short fg = looks[a].fg, bg = looks[a].bg;
    int attr = looks[a].color_attr;

    if (!use_color) {
        attrs[a] = looks[a].mono_attr;
        return;
    }
    if (theme != NULL && theme->set && theme->fg < COLORS && theme->bg < COLORS) {
        fg = theme->fg, bg = theme->bg;
        attr = theme_attrs(theme->attrs);
    }
    attrs[a] = attr;
    if ((fg != -1 || bg != -1) && init_pair((short)(a + 1), fg, bg) == OK)
        attrs[a] |= (int)COLOR_PAIR(a + 1);
}

void paint_init(void)
{
    const char *no_color = getenv("NO_COLOR");

    use_color = has_colors() && (no_color == NULL || no_color[0] == '\0');
    use_blocks = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    if (use_color) {
        start_color();
        use_default_colors();
    }
    for (int a = 0; a < PA_COUNT; a++)
        paint_set((enum paint_attr)a, NULL);
}

void paint_theme(const struct config *cfg)
{
    for (int a = 0; a < PA_COUNT; a++)
        paint_set((enum paint_attr)a, &cfg->colors[a]);
}

bool paint_color(void) { return use_color; }

int paint_attr(enum paint_attr a) { return attrs[a]; }

/* Data may hold tabs and newlines; on screen they are blanks. */
static const char *printable(const char *s, char **copy)
{
    *copy = NULL;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *copy = xstrdup(s);
            for (char *q = *copy; *q; q++)
                if ((unsigned char)*q < 0x20 || *q == 0x7f)
                    *q = ' ';
            return *copy;
        }
    }
    return s;
}

int paint_text_skip(int y, int x, int w, const char *s, size_t skip, enum paint_attr a)
{
    char fitted[4096], *copy;
    size_t cells;

    if (w <= 0 || s == NULL)
        return 0;
    s = printable(s, &copy);
    s += utf8_skip(s, skip);
    cells = utf8_fit(fitted, sizeof fitted, s, (size_t)w);
    attrset(attrs[a]);
    mvaddstr(y, x, fitted);
    attrset(A_NORMAL);
    free(copy);
    return (int)cells;
}

int paint_text(int y, int x, int w, const char *s, enum paint_attr a)
{
    return paint_text_skip(y, x, w, s, 0, a);
}

int paint_wrap(int y, int x, int w, int max, const char *text, enum paint_attr a)
{
    int rows = 0;

    for (size_t at = 0; text[at] != '\0' && rows < max; rows++) {
        size_t n = rows + 1 < max && w > 0 ? utf8_wrap(text + at, (size_t)w) : strlen(text + at);
        if (y >= 0) {
            char *row = xstrndup(text + at, n);
            paint_text(y + rows, x, w, row, a);
            free(row);
        }
        at += n;
        while (text[at] == ' ') /* a row does not begin with the space it broke at */
            at++;
    }
    return rows > 0 ? rows : 1;
}

int paint_textf(int y, int x, int w, enum paint_attr a, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    n = paint_text(y, x, w, s, a);
    free(s);
    return n;
}

void paint_fill(int y, int x, int w, enum paint_attr a)
{
    if (w <= 0)
        return;
    attrset(attrs[a]);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

void paint_cell(int y, int x, int w, const char *s, bool right, enum paint_attr a)
{
    char fitted[4096], *copy;
    size_t cells;

    if (w <= 0)
        return;
    s = printable(s ? s : "", &copy);
    cells = utf8_fit(fitted, sizeof fitted, s, (size_t)w);
    paint_fill(y, x, w, a);
    attrset(attrs[a]);
    mvaddstr(y, right ? x + w - (int)cells : x, fitted);
    attrset(A_NORMAL);
    free(copy);
}

void paint_bar(int y, int x, int w, double frac)
{
    int inner = w - 2, full;

    if (inner <= 0)
        return;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    full = (int)(frac * inner + 0.5);
    mvaddch(y, x, '[');
    for (int i = 0; i < inner; i++)
        mvaddch(y, x + 1 + i, i < full ? '#' | (chtype)attrs[PA_BAR] : '.');
    mvaddch(y, x + w - 1, ']');
}

void paint_spark(int y, int x, const double *v, const enum paint_attr *a, int n, double max)
{
    static const char *const blocks[] = {" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                         "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                         "\xe2\x96\x87", "\xe2\x96\x88"};
    static const char ascii[] = " _.-:=+*#";

    for (int i = 0; i < n; i++) {
        int level = v[i] <= 0 || max <= 0 ? 0 : 1 + (int)(v[i] / max * 7 + 0.5);
        char cell[2] = {ascii[level > 8 ? 8 : level], '\0'};
        if (level > 8)
            level = 8;
        if (v[i] < 0) /* not known */
            paint_text(y, x + i, 1, use_blocks ? "\xc2\xb7" : "?", PA_DIM);
        else
            paint_text(y, x + i, 1, use_blocks ? blocks[level] : cell, a[i]);
    }
}
