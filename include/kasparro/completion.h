/*
 * completion.h — what a command line's last word completes to, decided once
 * from the command table for the console's ':' line (src/tui/complete.c)
 * and the shell (`kasparro shell-complete`, share/bash-completion/kasparro).
 *
 * cmd_complete() reads the words and says what the last one is — a command,
 * an option name, an option's value, a subcommand or a positional argument —
 * and offers the words the table holds for it (command names, options,
 * an option's choices, the lowercase words of its placeholder: `N|all`
 * offers "all"). Words the table does not hold (source names, ids, screen
 * names) come from the caller's `kind` callback, each face from what it
 * has: the shell from the configuration file and a bounded read of the
 * database, the console from what its screens loaded. File names (an
 * ARG_FILE kind or a FILE placeholder) are listed here.
 *
 * The candidates are the whole word as typed (`--source=books` after
 * `--source=`), without duplicates, in one order whatever the locale:
 * cmd_complete_cmp, numbers by value (run 9 before run 10, after a
 * "run:" too) and all else in the C collation (byte order: "Zeta" before
 * "alpha"). Both faces keep it (readline and bash would sort again by
 * the locale's collation): the same line completes the same way in every
 * terminal, and a list a bounded lookup cut short (the first ids of a
 * source, walked in the database's C-collated index: "books/10" before
 * "books/9", words that are not numbers) is the head of the whole list,
 * with nothing missing in between.
 */
#ifndef KASPARRO_COMPLETION_H
#define KASPARRO_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>

#include "kasparro/cmd.h"

struct cmd_completion {
    enum cmd_origin origin; /* whose commands: the shell's or the console's */
    /* Offers (cmd_offer) the words of `kind` that may complete `cur`, the
     * value typed so far (after a "--NAME=" or "TYPE:" already typed). */
    void (*kind)(struct cmd_completion *c, enum cmd_arg_kind kind, const char *cur);
    void *arg; /* the caller's */

    /* filled by cmd_complete */
    const char *cur;   /* the value completed */
    bool numbers_only; /* offer only ids that are numbers (audit --object run:) */
    char *before;      /* put before each word offered: "--source=", "run:" */
    char **words;      /* the candidates, whole words, sorted */
    size_t n;
};

/* Completes the last of argv[0..argc-1] (the command's name first; the last
 * word may be ""), into c->words. */
void cmd_complete(struct cmd_completion *c, int argc, char **argv);
/* A line up to the cursor as cmd_complete's words (cmd_split_line's rules):
 * the last is "" when the line ends outside a word, after a blank neither
 * escaped nor quoted ("foo\\ " ends in the word "foo "), and a quote left
 * open is taken as closed at the cursor (*open_quote: that quote, or 0).
 * The count, or -1. */
int cmd_complete_split(const char *line, char ***argv, char *open_quote);
/* A candidate's text as the line must hold it after the cursor, read back
 * by cmd_split_line: inside the quote left open (a '"' and a backslash
 * escaped) or, outside one, its blanks, quotes and backslashes escaped.
 * Allocated. */
char *cmd_complete_quote(const char *word, char open_quote);
/* A candidate: kept when it starts with c->cur (and is new). */
void cmd_offer(struct cmd_completion *c, const char *word);
/* The files and directories (with a '/') whose path starts with c->cur. */
void cmd_offer_files(struct cmd_completion *c);
void cmd_completion_free(struct cmd_completion *c);
/* Puts c->words in cmd_complete_cmp's order (cmd_complete does). */
void cmd_complete_sort(struct cmd_completion *c);
/* The order of candidates, in every locale: two numbers (digits alone) by
 * value, else bytes (the C collation). */
int cmd_complete_cmp(const char *a, const char *b);

#endif
