/*
 * source_names.h — stored source names made the configuration's
 * (src/etl/source_names.c): what older kasparro stored under a long name
 * cut at 42 bytes takes the whole name, once, audited.
 */
#ifndef KASPARRO_SOURCE_NAMES_H
#define KASPARRO_SOURCE_NAMES_H

#include "kasparro/config.h"
#include "kasparro/db.h"

/* Renames each stored source that is the cut name of exactly one configured
 * source holding nothing yet (one transaction each, with an audit row by
 * `actor`); says why when it cannot. 0, or -1 with err filled. */
int source_names_upgrade(struct db *db, const struct config *cfg, const char *actor,
                         struct err *err);

#endif
