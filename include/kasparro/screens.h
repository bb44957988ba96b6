/*
 * screens.h — the console's screens and key tables by name, below the
 * console. src/tui builds its screens (their enum, ops, tabs) and its key
 * tables from these rows; the shell's completion (src/cmd, which includes
 * nothing of src/tui) offers the same names for `kasparro keys --screen`.
 * Adding a screen is adding its row here and its src/tui/screen-NAME.c.
 */
#ifndef KASPARRO_SCREENS_H
#define KASPARRO_SCREENS_H

/* The screens in tab order, one row each: its enum, its name (`screen
 * NAME`, `bind -s NAME`, its key table, completion) and its tab's title. */
#define KASPARRO_SCREENS(X)                                                                     \
    X(RUNS, runs, "Runs")                                                                       \
    X(SCHEDULE, schedule, "Schedule")                                                           \
    X(REVIEW, review, "Review")                                                                 \
    X(ENTITIES, entities, "Entities")                                                           \
    X(DELETED, deleted, "Deleted")                                                              \
    X(SOURCES, sources, "Sources")                                                              \
    X(LOG, log, "Log")                                                                          \
    X(AUDIT, audit, "Audit")

/* The key tables that are no screen's, before the screens' own: name and
 * title (where their keys work). */
#define KASPARRO_KEY_TABLES(X)                                                                  \
    X(global, "Everywhere")                                                                     \
    X(pager, "The pager (command output, this help)")                                           \
    X(record, "A record in detail (before the pager's keys)")

#endif
