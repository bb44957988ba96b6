/*
 * audit.h — the names the audit log's rows carry: what a row is about
 * (object_type) and what was done (action), as the code that writes them
 * names them. `kasparro audit` and `kasparro decisions` check their
 * --object and --action against them, and the console's Audit screen its
 * action filter.
 */
#ifndef KASPARRO_AUDIT_H
#define KASPARRO_AUDIT_H

#include <stdbool.h>

/* The operators' decisions among the actions: the one list of them, which
 * audit_actions, decision_actions and `decisions --action`'s help are made
 * from, X(name) each, SEP between two. */
#define AUDIT_DECISIONS(X, SEP) X(approve) SEP X(reject) SEP X(split) SEP X(restore) SEP X(undo)

/* NULL-ended */
extern const char *const audit_object_types[];
extern const char *const audit_actions[];
/* The operators' decisions among the actions, as `decisions --action`
 * and the Audit screen's filter of them take them. */
extern const char *const decision_actions[];

/* Whether `name` is in the NULL-ended list `names`. */
bool audit_listed(const char *const *names, const char *name);
/* "approve, reject, split, restore, undo": the list for a message (caller
 * frees). */
char *audit_names(const char *const *names);

#endif
