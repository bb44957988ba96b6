/*
 * err.h — the one error convention.
 *
 * Library-like functions return -1 (or NULL) and fill a struct err with one
 * message in git's style: lower case, what failed first, the subject quoted,
 * no trailing full stop ("source 'articles-api': page 3: HTTP 503 after 5
 * attempts"). Commands report it once. `code` carries the exit status the
 * failure deserves (see enum exit_code), so a database outage deep in a call
 * chain still ends the command with 4.
 */
#ifndef KASPARRO_ERR_H
#define KASPARRO_ERR_H

#include "kasparro/util.h"

/* Exit codes, documented in kasparro(1). */
enum exit_code {
    EXIT_OK = 0,
    EXIT_FAIL = 1,   /* the operation failed */
    EXIT_USAGE = 2,  /* usage or configuration error */
    EXIT_BUSY = 3,   /* another run holds the run lock */
    EXIT_DB = 4,     /* the database is unreachable */
};

struct err {
    char msg[1024];
    int code; /* enum exit_code; 0 until an error is set */
};

/* Sets the message (code EXIT_FAIL unless already set) and returns -1. */
int err_set(struct err *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Same, with an explicit exit code. */
int err_code(struct err *err, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Prepends "PREFIX: " to the current message and returns -1. */
int err_prefix(struct err *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
void err_clear(struct err *err);
static inline bool err_isset(const struct err *err) { return err->msg[0] != '\0'; }

#endif
