/*
 * config_color.c — the console's colours as the configuration declares
 * them: `color.selected = white blue bold` in [kasparro], in the manner of
 * tig's and mutt's colour lines. This file knows the element names and the
 * value syntax, so `config check` can refuse a wrong line with its file and
 * line; the console (src/tui/paint.c) applies what was parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kasparro/config.h"
#include "kasparro/util.h"

/* in the order of enum paint_attr (src/tui/tui-private.h) */
const char *const config_color_names[CONFIG_NCOLORS] = {
    "normal", "tab",  "tab-active", "status", "status-bad", "header", "selected", "dim",
    "good",   "bad",  "warn",       "diff",   "match",      "bar",    "title",
};

static const char *const color_words[] = {"black", "red",     "green", "yellow",
                                          "blue",  "magenta", "cyan",  "white"};
static const struct {
    const char *word;
    unsigned bit;
} attr_words[] = {
    {"bold", COLOR_ATTR_BOLD},       {"underline", COLOR_ATTR_UNDERLINE},
    {"reverse", COLOR_ATTR_REVERSE}, {"dim", COLOR_ATTR_DIM},
    {"normal", 0},
};

/* A colour word or number: 1 with *c set, 0 when the word is not a colour. */
static int color_word(const char *w, short *c)
{
    char *end;

    if (strcasecmp(w, "default") == 0) {
        *c = -1;
        return 1;
    }
    for (size_t i = 0; i < sizeof color_words / sizeof *color_words; i++)
        if (strcasecmp(w, color_words[i]) == 0) {
            *c = (short)i;
            return 1;
        }
    long n = strtol(w, &end, 10);
    if (end == w || *end != '\0' || n < 0 || n > 255)
        return 0;
    *c = (short)n;
    return 1;
}

int config_color_parse(const char *value, struct color_spec *out, char *why, size_t len)
{
    char copy[256], *words[16];
    size_t n;

    snprintf(copy, sizeof copy, "%s", value);
    n = str_split(copy, ' ', words, sizeof words / sizeof *words);
    if (n > sizeof words / sizeof *words)
        n = sizeof words / sizeof *words;
    *out = (struct color_spec){.set = true, .fg = -1, .bg = -1};
    if (n == 0 || words[0][0] == '\0' || !color_word(words[0], &out->fg)) {
        snprintf(why, len, "'%s' is not a colour: one of default, black, red, green, yellow, "
                 "blue, magenta, cyan, white, or a number 0-255", n ? words[0] : "");
        return -1;
    }
    size_t i = 1;
    if (i < n && color_word(words[i], &out->bg))
        i++;
    for (; i < n; i++) {
        if (words[i][0] == '\0')
            continue;
        size_t a = 0;
        while (a < sizeof attr_words / sizeof *attr_words &&
               strcasecmp(words[i], attr_words[a].word) != 0)
            a++;
        if (a == sizeof attr_words / sizeof *attr_words) {
            snprintf(why, len, "'%s' is not a colour or an attribute (bold, underline, reverse, "
                     "dim, normal)", words[i]);
            return -1;
        }
        out->attrs |= attr_words[a].bit;
    }
    return 0;
}
