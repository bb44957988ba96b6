/*
 * log.h — JSON-lines logging shared by the engine, the scheduler and commands.
 *
 * One line per event: {"time","level","run","source","msg", ...fields}.
 * The run and source come from a per-thread context, so the engine thread
 * sets them once per source and every message below it carries them.
 * Lines go to stderr (or a file) and to an optional sink: the console keeps
 * a ring of recent lines for its Log screen and turns stderr off while curses
 * owns the terminal. LOG_LEVEL (debug|info|warn|error) sets the threshold.
 * Secrets never reach a log line: callers mask DSNs (db_dsn_mask) and never
 * log header values.
 */
#ifndef KASPARRO_LOG_H
#define KASPARRO_LOG_H

#include <cjson/cJSON.h>

#include "kasparro/util.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct log_line {
    double time;              /* seconds since the epoch */
    enum log_level level;
    long long run_id;         /* 0 when none */
    const char *source;       /* NULL when none */
    const char *msg;
    const char *json;         /* the whole line as written, without newline */
};

typedef void (*log_sink_fn)(const struct log_line *line, void *arg);

/* Reads LOG_LEVEL; called by main before anything logs. */
void log_init(void);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
int log_parse_level(const char *s); /* -1 when unknown */
const char *log_level_name(enum log_level level);
/* Append to `path` instead of stderr (NULL: back to stderr). */
int log_set_file(const char *path, char *errbuf, size_t errlen);
void log_set_stderr(bool on);
void log_set_sink(log_sink_fn sink, void *arg);

/* Per-thread context stamped on every line from this thread. */
void log_context(long long run_id, const char *source);

/* `fields` (may be NULL) is merged into the line and freed. */
void log_fields(enum log_level level, cJSON *fields, const char *fmt, ...) PRINTF_LIKE(3, 4);
void log_msg(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
