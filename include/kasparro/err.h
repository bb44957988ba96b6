/*
 * err.h — the one error convention.
 *
 * Library-like functions return -1 (or NULL) and fill a struct err with one
 * message in git's style: lower case, what failed first, the subject quoted,
 * no trailing full stop ("source 'articles-api': page 3: HTTP 503 after 5
 * attempts"). Commands report it once. `code` carries the exit status the
 * failure deserves (see enum exit_code), so a database outage deep in a call
 * chain still ends the command with 4.
 *
 * A database error also carries the server's SQLSTATE (`sqlstate`, "" for
 * other errors), and decisions on database errors read it, never the
 * message, which follows the server's lc_messages: err_sqlstate(err,
 * "23505") for one condition, err_sqlstate(err, "08") for a class (db.h
 * names the ones kasparro acts on). Like `code`, it survives err_set and
 * err_prefix adding context, and only err_clear resets it. So does
 * `timed_out`: one SQLSTATE (57014) says both that the session's
 * statement_timeout ended a statement and that a cancel request did, and
 * db_error tells them apart (conn.c).
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

/* A message holds a few KiB: a refusal naming a long path or URL is kept
 * whole (runs keep it in run_sources.error). A longer one is cut on a
 * UTF-8 character and ends in ERR_CUT (err_fit). */
#define ERR_MSG_MAX 4096
#define ERR_CUT "\xe2\x80\xa6 [cut]"

struct err {
    char msg[ERR_MSG_MAX];
    int code;        /* enum exit_code; 0 until an error is set */
    char sqlstate[6]; /* five characters from the server, or "" */
    bool timed_out;   /* 57014 at the session's statement_timeout, not a cancel */
};

/* Sets the message (code EXIT_FAIL unless already set) and returns -1. */
int err_set(struct err *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Same, with an explicit exit code. */
int err_code(struct err *err, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Prepends "PREFIX: " to the current message and returns -1. */
int err_prefix(struct err *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
void err_clear(struct err *err);
/* The one wording of an id that names nothing, whichever command or layer
 * looks it up: "no run 12; 'kasparro runs' lists them". It fails (exit 1):
 * ids are data, which change under a command. `what` is run, candidate,
 * decision, entity or record; the hint names the command that lists them
 * (the console and the HTTP API reword it for where they are read).
 * err_missing_name takes the id as typed, quoted unless it is a number (an
 * entity's key, a record's SOURCE/ID). Returns -1. */
int err_missing(struct err *err, const char *what, long long id);
int err_missing_name(struct err *err, const char *what, const char *name);
/* After snprintf of `needed` bytes into buf[size]: when it did not fit, ends
 * buf on a whole UTF-8 character followed by ERR_CUT. */
void err_fit(char *buf, size_t size, int needed);
/* snprintf into buf[size], cut as err_fit cuts: the one way a message is
 * put in a fixed buffer outside a struct err (a scheduler's snapshot, the
 * database connection's state, a fetch's error, the console's hints), so
 * no cut leaves half a character (invalid UTF-8, and JSON that does not
 * parse) where the buffer ends. */
void err_format(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
void err_vformat(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
/* err_format(buf, size, "%s", msg): what keeps an error beyond a struct
 * err (the engine's last error, a run's progress). */
void err_copy(char *buf, size_t size, const char *msg);
/* True when the error's SQLSTATE is `state` (five characters) or begins
 * with it (a two-character class such as "08"). */
bool err_sqlstate(const struct err *err, const char *state);
static inline bool err_isset(const struct err *err) { return err->msg[0] != '\0'; }
/* The exit status a failure deserves: its code, EXIT_FAIL when it has none. */
static inline int err_exit_code(const struct err *err) { return err->code > 0 ? err->code : EXIT_FAIL; }

#endif
