/*
 * log.c — JSON-lines logging (see log.h).
 *
 * Any thread may log. Formatting happens outside the lock; only the write to
 * the file and the sink call are serialised, so a slow sink (the console's
 * ring copy) never interleaves half lines. The level threshold is read
 * without the lock: a stale read at worst drops or keeps one debug line.
 */
#include "kasparro/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "kasparro/buf.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int log_threshold = LOG_INFO; /* set by one thread, read by all */
static FILE *log_file;          /* NULL: stderr */
static bool log_to_stderr = true;
static log_sink_fn log_sink;
static void *log_sink_arg;

static _Thread_local long long ctx_run;
static _Thread_local char ctx_source[128];

static const char *level_names[] = {"debug", "info", "warn", "error"};

const char *log_level_name(enum log_level level) { return level_names[level]; }

int log_parse_level(const char *s)
{
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return (int)i;
    if (strcasecmp(s, "warning") == 0)
        return LOG_WARN;
    return -1;
}

void log_init(void)
{
    int level = log_parse_level(getenv("LOG_LEVEL"));
    if (level >= 0)
        atomic_store(&log_threshold, level);
}

void log_set_level(enum log_level level) { atomic_store(&log_threshold, (int)level); }
enum log_level log_get_level(void) { return (enum log_level)atomic_load(&log_threshold); }

int log_set_file(const char *path, char *errbuf, size_t errlen)
{
    FILE *f = NULL;

    if (path != NULL) {
        f = fopen(path, "a");
        if (f == NULL) {
            snprintf(errbuf, errlen, "unable to open log file '%s': %m", path);
            return -1;
        }
        setvbuf(f, NULL, _IOLBF, 0);
    }
    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fclose(log_file);
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

void log_set_stderr(bool on)
{
    pthread_mutex_lock(&log_lock);
    log_to_stderr = on;
    pthread_mutex_unlock(&log_lock);
}

void log_set_sink(log_sink_fn sink, void *arg)
{
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_sink_arg = arg;
    pthread_mutex_unlock(&log_lock);
}

void log_context(long long run_id, const char *source)
{
    ctx_run = run_id;
    snprintf(ctx_source, sizeof ctx_source, "%s", source ? source : "");
}

static void log_emit(enum log_level level, cJSON *fields, const char *msg)
{
    struct timeval tv;
    struct tm tm;
    char stamp[40];
    struct buf line = BUF_INIT;
    struct log_line ll;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    buf_printf(&line, "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\"", stamp,
               (long)(tv.tv_usec / 1000), level_names[level]);
    if (ctx_run != 0)
        buf_printf(&line, ",\"run\":%lld", ctx_run);
    if (ctx_source[0] != '\0') {
        buf_adds(&line, ",\"source\":");
        buf_add_json_str(&line, ctx_source, strlen(ctx_source));
    }
    buf_adds(&line, ",\"msg\":");
    buf_add_json_str(&line, msg, strlen(msg));
    for (cJSON *f = fields ? fields->child : NULL; f != NULL; f = f->next) {
        char *v = cJSON_PrintUnformatted(f);
        buf_addc(&line, ',');
        buf_add_json_str(&line, f->string, strlen(f->string));
        buf_addc(&line, ':');
        buf_adds(&line, v);
        cJSON_free(v);
    }
    buf_addc(&line, '}');

    ll = (struct log_line){
        .time = (double)tv.tv_sec + tv.tv_usec / 1e6,
        .level = level,
        .run_id = ctx_run,
        .source = ctx_source[0] ? ctx_source : NULL,
        .msg = msg,
        .json = line.data,
    };
    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fprintf(log_file, "%s\n", line.data);
    else if (log_to_stderr)
        fprintf(stderr, "%s\n", line.data);
    if (log_sink != NULL)
        log_sink(&ll, log_sink_arg);
    pthread_mutex_unlock(&log_lock);
    buf_free(&line);
}

void log_fields(enum log_level level, cJSON *fields, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if ((int)level < atomic_load(&log_threshold)) {
        cJSON_Delete(fields);
        return;
    }
    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    log_emit(level, fields, msg);
    free(msg);
    cJSON_Delete(fields);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if ((int)level < atomic_load(&log_threshold))
        return;
    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    log_emit(level, NULL, msg);
    free(msg);
}
