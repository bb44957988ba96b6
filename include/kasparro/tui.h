/*
 * tui.h — the console: an ncurses + readline workplace for operators.
 *
 * `kasparro` with no arguments on a terminal (or `kasparro console`) opens
 * it: a tab bar (Runs, Schedule, Review, Entities, Deleted, Sources, Log),
 * the current screen, a status line and a readline command line on ':'.
 * The console is a face on the host (host.h), which runs ingestion in the
 * engine thread, the scheduler, and the LISTEN connection that tells the UI
 * thread when another process changed something; a command worker thread
 * runs every database command on a connection of its own. The UI thread
 * only draws from snapshots and never waits.
 *
 * Everything a person can do is a command of the command table: keys are
 * bound to command strings (`bind -s review a 'approve {id}'`), so a key,
 * a typed ':' command and a shell command share one parser and one error
 * path. The console-only commands (src/tui/cmd-screen.c, cmd-bind.c, ...)
 * reach the console through ctx->console with the functions below; they run
 * on the UI thread. This header has no curses in it: only src/tui/ includes
 * curses and readline.
 */
#ifndef KASPARRO_TUI_H
#define KASPARRO_TUI_H

#include <stdbool.h>

#include "kasparro/cmd.h"
#include "kasparro/out.h"

struct tui;

struct tui_options {
    const char *script;  /* keys and commands from this file instead of a person */
    long max_iterations; /* stop after this many turns of the event loop; 0 no limit */
    int cols, rows;      /* script mode: the screen size (default 80x24) */
};

/* Runs the console until the operator quits; returns an exit code. */
int tui_main(struct cmd_ctx *ctx, const struct tui_options *opt);

/* Screens: "runs", "review", ..., a number 1-7, "next" or "previous". */
int tui_screen_select(struct tui *t, const char *which, struct err *err);
const char *const *tui_screen_names(void); /* NULL-ended */

/* Key bindings. `screen` NULL binds globally; `note` is the help text. */
int tui_bind(struct tui *t, const char *screen, const char *key, const char *command,
             const char *note, struct err *err);
int tui_unbind(struct tui *t, const char *screen, const char *key, struct err *err);
/* Adds the key tables (t NULL: the default bindings) to `tab` with columns
 * table, key, note, command: `screen`'s table and the global one, or with
 * `screen` NULL every table. */
int tui_keys_table(struct tui *t, const char *screen, struct table *tab, struct err *err);
/* The tables a key is looked up in now, in that order: a detail's own, the
 * pager's or the current screen's, the global one. */
void tui_keys_here(struct tui *t, struct table *tab);

/* Moves the selection of what has focus (a list, the pager): up, down,
 * page-up, page-down, top, bottom, left, right. */
int tui_move(struct tui *t, const char *how, struct err *err);
/* Searches the focused list; NULL or "" repeats the last search. */
int tui_search(struct tui *t, const char *text, bool backward, struct err *err);
/* Opens the command line. With a template, the answer replaces %% in it
 * (as one quoted word) and the result runs; an empty answer runs
 * `empty_template` when given, else nothing. Without a template the answer
 * is itself a command. */
int tui_prompt(struct tui *t, const char *prompt, const char *initial, const char *template_,
               const char *empty_template, struct err *err);
/* Asks `question` (y/n) and runs `command` on y. */
int tui_confirm(struct tui *t, const char *question, const char *command, struct err *err);
/* Screen-specific filter and order ("0.6-0.9", "warn", a search text, "score"). */
/* The screen's own filter, or with `text` (and on screens without one) its
 * list's rows containing arg. */
int tui_filter(struct tui *t, const char *arg, bool text, struct err *err);
int tui_sort(struct tui *t, const char *key, struct err *err);
/* Moves the focus to the current screen's other list (Deleted: the held
 * deletions and the deleted records). */
int tui_focus(struct tui *t, struct err *err);
/* Reloads the current screen from the database. */
void tui_refresh(struct tui *t);
/* Reads the configuration file again and hands it to the engine, the
 * scheduler and the command worker; on an error the running one stays. */
int tui_reload(struct tui *t, struct err *err);
/* Writes the screen as text, one line per row, trailing blanks trimmed. */
int tui_dump_screen(struct tui *t, const char *path, struct err *err);
/* Writes the rows the current screen's list shows (its filter and order
 * applied; every field its listing has) to `path`, as CSV or JSON lines
 * (`format` "csv"/"jsonl", or NULL: from the file's extension); `said`
 * gets what was written and whether the list holds only part of them. */
int tui_export_view(struct tui *t, const char *path, const char *format, char *said,
                    size_t len, struct err *err);
/* Puts `text` on the terminal's clipboard (OSC 52), unless the
 * configuration's clipboard is off. */
int tui_copy(struct tui *t, const char *text, struct err *err);
/* Closes the topmost overlay (pager, help). */
void tui_close(struct tui *t);
/* Marks on the focused list: how NULL toggles the selected row's (and
 * moves down), "all" marks every row shown (or, when they all are, none),
 * "none" clears them. */
int tui_mark(struct tui *t, const char *how, struct err *err);
/* Runs `command` on the marked rows, {ids} in it being their ids and {n}
 * their count: asks `question` (with {n}, {ids} filled) first. With none
 * marked, on the selected row, after `one_question` when it is not NULL. */
int tui_marked(struct tui *t, const char *question, const char *one_question,
               const char *command, struct err *err);
/* Shows one record in full (show-record) with the keys of the "record"
 * table: restore, split, and approve or reject `candidate` (0: none). */
int tui_detail(struct tui *t, long long record, long long candidate, struct err *err);
/* Counts the review queue's candidates at or above `min`, asks whether to
 * approve exactly those, and approves them on y. */
int tui_bulk_approve(struct tui *t, double min, struct err *err);

enum tui_quit_mode {
    TUI_QUIT_ASK,    /* ask when a run is in progress */
    TUI_QUIT_FINISH, /* let the run finish, then exit */
    TUI_QUIT_CANCEL, /* cancel the run at its next batch, then exit */
};
int tui_quit(struct tui *t, enum tui_quit_mode mode, struct err *err);

#endif
