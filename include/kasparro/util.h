/*
 * util.h — allocation that never fails, fatal exits and small string helpers.
 *
 * Every allocation in kasparro goes through x* wrappers: running out of memory
 * is fatal, so callers never check for NULL. fatal() is the only way the
 * program exits on an error; the console installs a hook so the terminal is
 * restored (endwin) before the message is printed.
 */
#ifndef KASPARRO_UTIL_H
#define KASPARRO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
char *xvasprintf(const char *fmt, va_list ap);

/* Prints "kasparro: MESSAGE" and exits 1, after the registered hook. */
_Noreturn void fatal(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* An impossible state: a bug in kasparro, not in the input. */
#define BUG(...) fatal("BUG: " __VA_ARGS__)
void fatal_set_hook(void (*hook)(void));

/* String helpers. */
bool str_eq(const char *a, const char *b);           /* NULL-safe */
bool str_starts(const char *s, const char *prefix);
char *str_trim(char *s);                             /* in place; returns s moved past blanks */
/* s split at sep in place, each item trimmed: the first `max` items into
 * out, and their number (never more than max: a caller that must refuse
 * more passes one above its limit; one that takes any number calls
 * str_split_all). */
size_t str_split(char *s, char sep, char **out, size_t max);
/* Every item of s split at sep, trimmed (none when s is blank): the array
 * and the items' text in one allocation, for one free(). */
char **str_split_all(const char *s, char sep, size_t *n);
bool str_empty(const char *s);                       /* NULL or only blanks */

/* "90d", "15m", "6h", "30s", "2w" or plain seconds -> seconds; -1 when invalid. */
long long parse_duration(const char *s);
/* The other way, at most two units: 0s, 45s, 15m, 2h10m, 3d4h; returns buf. */
char *format_duration(long long seconds, char *buf, size_t len);
/* "10M", "512k", "1G" or plain bytes -> bytes; -1 when invalid. */
long long parse_size(const char *s);
/* "true/false/yes/no/on/off/1/0" -> 1/0; -1 when invalid. */
int parse_bool(const char *s);
/* Strict integer parse of the whole string; false when not an integer. */
bool parse_ll(const char *s, long long *out);
bool parse_double(const char *s, double *out);

/* The OS user running kasparro (for run actors and audit rows). */
const char *os_user(void);

#endif
