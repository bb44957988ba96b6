/*
 * config.c — reading kasparro.conf with inih (see config.h).
 *
 * inih hands us (section, key, value) triples; the section decides which
 * struct a key lands in and config_keys[] says how its value is parsed. inih
 * does not report line numbers, so we feed it through our own line reader
 * and keep the count. Values are checked as they are read (types, ranges,
 * enums); cross-references (a mapping target that is not a declared field, a
 * source with no id) are checked once the whole file is read, and the error
 * names the line of the offending key or section header.
 */
#include "kasparro/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "kasparro/buf.h"
#include "kasparro/cron.h"
#include "kasparro/jsonpath.h"
#include "kasparro/log.h"
#include "kasparro/numfmt.h"
#include "kasparro/paths.h"
#include "kasparro/similar.h"
#include "kasparro/strmap.h"

enum key_kind {
    K_STR, K_BOOL, K_INT, K_LONG, K_RATIO, K_POSNUM, K_DURATION, K_DURATION_MS, K_SIZE,
    K_CHAR, K_ENUM, K_SPECIAL
};


#define C(f) offsetof(struct config, f)
#define S(f) offsetof(struct source_cfg, f)
#define M(f) offsetof(struct match_cfg, f)
#define H(f) offsetof(struct config, http.f)
#define A(f) offsetof(struct config, anomaly.f)

const struct config_key config_keys[] = {
    {"kasparro", "log_level", K_STR, C(log_level), NULL, "debug, info, warn or error"},
    {"kasparro", "log_file", K_STR, C(log_file), NULL, "JSON-lines log file (default stderr)"},
    {"kasparro", "error_ratio", K_RATIO, C(error_ratio), NULL,
     "a source fails when more than this share of its records is quarantined"},
    {"kasparro", "batch_size", K_LONG, C(batch_size), NULL, "records per loader transaction"},
    {"kasparro", "workers", K_LONG, C(workers), NULL,
     "sources loaded at once by this process, each on its own connection"},
    {"kasparro", "history_file", K_STR, C(history_file), NULL, "console command history"},
    {"kasparro", "mouse", K_BOOL, C(mouse), NULL,
     "the console's mouse: a click selects a row, the wheel moves"},
    {"kasparro", "clipboard", K_ENUM, C(clipboard), "osc52|off",
     "how the console copies an id: OSC 52 to the terminal, or not at all"},
    {"kasparro", "color.*", K_SPECIAL, 0, NULL,
     "color.ELEMENT = FOREGROUND [BACKGROUND] [bold|underline|reverse|dim]..."},

    {"schema", "*", K_SPECIAL, 0, NULL, "FIELD = TYPE[, required]"},

    {"source", "kind", K_ENUM, S(kind), "http_json|csv", "source kind"},
    {"source", "enabled", K_BOOL, S(enabled), NULL, "run this source"},
    {"source", "url", K_STR, S(url), NULL, "http_json URL template"},
    {"source", "path", K_STR, S(path), NULL, "csv file"},
    {"source", "id", K_STR, S(id_field), NULL, "source field holding the record id"},
    {"source", "map.*", K_SPECIAL, 0, NULL,
     "map.SOURCE_FIELD = UNIFIED_FIELD (none: each field from its own name)"},
    {"source", "format.*", K_SPECIAL, 0, NULL,
     "format.FIELD = strptime pattern for a timestamp, or an example number (1.234,56)"},
    {"source", "sync", K_ENUM, S(sync), "full|incremental", "sync mode"},
    {"source", "cursor_field", K_STR, S(cursor_field), NULL, "incremental cursor field"},
    {"source", "full_sync_every", K_DURATION, S(full_sync_every), NULL,
     "incremental: interval between full syncs for delete detection"},
    {"source", "error_ratio", K_RATIO, S(max_error_ratio), NULL, "override of the error ratio"},
    {"source", "max_delete_ratio", K_RATIO, S(max_delete_ratio), NULL,
     "override of the delete guard ratio"},
    {"source", "records", K_STR, S(records_path), NULL, "path of the record array"},
    {"source", "null_records", K_ENUM, S(null_records), "error|empty",
     "a record array that is null: an error, or a page without records"},
    {"source", "pagination", K_ENUM, S(pagination), "none|page|offset|cursor|link",
     "pagination style"},
    {"source", "page_param", K_STR, S(page_param), NULL, "page number parameter"},
    {"source", "size_param", K_STR, S(size_param), NULL, "page size parameter"},
    {"source", "offset_param", K_STR, S(offset_param), NULL, "offset parameter"},
    {"source", "limit_param", K_STR, S(limit_param), NULL, "limit parameter"},
    {"source", "cursor_param", K_STR, S(cursor_param), NULL, "cursor parameter"},
    {"source", "since_param", K_STR, S(since_param), NULL, "incremental lower bound parameter"},
    {"source", "page_size", K_LONG, S(page_size), NULL, "records per page"},
    {"source", "start_page", K_LONG, S(start_page), NULL, "first page number"},
    {"source", "max_pages", K_LONG, S(max_pages), NULL, "stop after this many pages"},
    {"source", "cursor_path", K_STR, S(cursor_path), NULL, "path of the next cursor"},
    {"source", "total_path", K_STR, S(total_path), NULL, "path of the total record count"},
    {"source", "pages_path", K_STR, S(pages_path), NULL, "path of the page count"},
    {"source", "has_more_path", K_STR, S(has_more_path), NULL, "path of the has-more flag"},
    {"source", "auth_header_env", K_STR, S(auth_header_env), NULL,
     "environment variable holding the auth header value"},
    {"source", "auth_header", K_STR, S(auth_header), NULL, "auth header name"},
    {"source", "ca_file", K_STR, S(ca_file), NULL, "extra CA bundle"},
    {"source", "rate_limit", K_POSNUM, S(rate_limit), NULL, "requests per second"},
    {"source", "burst", K_LONG, S(burst), NULL, "token bucket size"},
    {"source", "connect_timeout", K_DURATION_MS, S(connect_timeout_ms), NULL, "connect timeout"},
    {"source", "timeout", K_DURATION_MS, S(timeout_ms), NULL, "total timeout per request"},
    {"source", "max_body", K_SIZE, S(max_body), NULL, "largest accepted response body"},
    {"source", "retries", K_INT, S(retries), NULL, "retries per request"},
    {"source", "retry_base", K_DURATION_MS, S(retry_base_ms), NULL, "first backoff wait"},
    {"source", "retry_max", K_DURATION_MS, S(retry_max_ms), NULL, "longest single wait"},
    {"source", "retry_deadline", K_DURATION_MS, S(retry_deadline_ms), NULL,
     "no retry of a request later than this after its first attempt"},
    {"source", "concurrency", K_INT, S(concurrency), NULL, "pages fetched at once"},
    {"source", "delimiter", K_CHAR, S(delimiter), NULL, "csv field delimiter"},
    {"source", "quote", K_CHAR, S(quote), NULL, "csv quote character"},
    {"source", "header", K_BOOL, S(header), NULL, "csv has a header row"},
    {"source", "columns", K_STR, S(columns), NULL, "csv column names without a header"},
    {"source", "encoding", K_ENUM, S(encoding), "utf-8|latin-1|windows-1252", "text encoding"},
    {"source", "strip_bom", K_BOOL, S(strip_bom), NULL, "drop a leading byte order mark"},
    {"source", "trim", K_BOOL, S(trim), NULL, "trim blanks around csv fields"},
    {"source", "unique", K_BOOL, S(unique), NULL,
     "the source lists each thing once: one-to-one matching with other unique sources"},

    {"matching", "enabled", K_BOOL, M(enabled), NULL, "run entity unification after runs"},
    {"matching", "key_fields", K_STR, M(key_fields), NULL, "exact-stage fingerprint fields"},
    {"matching", "compare.*", K_SPECIAL, 0, NULL, "compare.FIELD = COMPARATOR"},
    {"matching", "blocking", K_STR, M(blocking), NULL, "blocking keys"},
    {"matching", "auto", K_RATIO, M(auto_threshold), NULL, "automatic merge threshold"},
    {"matching", "review", K_RATIO, M(review_threshold), NULL, "review queue threshold"},
    {"matching", "review_budget", K_RATIO, M(review_budget), NULL,
     "share of the records an operator reviews (0: never merge below auto)"},
    {"matching", "within_source", K_BOOL, M(within_source), NULL,
     "match records of the same source"},
    {"matching", "prior", K_RATIO, M(prior), NULL, "prior match probability (0: estimate)"},
    {"matching", "em_iterations", K_INT, M(em_iterations), NULL, "EM iterations for m"},
    {"matching", "tf_adjust", K_BOOL, M(tf_adjust), NULL, "term-frequency adjustment"},
    {"matching", "title_field", K_STR, M(title_field), NULL, "field that titles an entity"},
    {"matching", "max_block", K_LONG, M(max_block), NULL,
     "largest block compared pair by pair"},
    {"matching", "url_tracking_params", K_STR, M(url_tracking_params), NULL,
     "query parameters url fields are compared without (name* a prefix)"},

    {"scheduler", "enabled", K_BOOL, C(sched_enabled), NULL, "run the schedule"},
    {"scheduler", "cron", K_STR, C(cron), NULL, "cron expression"},
    {"scheduler", "timezone", K_STR, C(timezone), NULL, "IANA time zone (default UTC)"},
    {"scheduler", "grace", K_DURATION, C(grace_s), NULL, "misfire grace"},
    {"scheduler", "coalesce", K_BOOL, C(coalesce), NULL, "run once for many missed times"},
    {"scheduler", "jitter", K_DURATION, C(jitter_s), NULL, "deterministic delay"},

    {"retention", "keep_deleted", K_DURATION, C(retention_s), NULL,
     "how long soft-deleted records are kept"},
    {"retention", "batch", K_LONG, C(purge_batch), NULL, "records purged per transaction"},
    {"retention", "purge_after_run", K_BOOL, C(purge_after_run), NULL,
     "purge after each scheduled run"},

    {"deletes", "max_ratio", K_RATIO, C(max_delete_ratio), NULL,
     "hold deletions above this share of live records"},
    {"deletes", "on_empty", K_BOOL, C(delete_on_empty), NULL,
     "allow deleting everything when a source returns nothing"},

    {"http", "listen", K_STR, H(listen), NULL, "address:port of the HTTP API, or off"},
    {"http", "viewer_keys_env", K_STR, H(viewer_keys_env), NULL,
     "environment variables holding viewer API keys"},
    {"http", "operator_keys_env", K_STR, H(operator_keys_env), NULL,
     "environment variables holding operator API keys"},
    {"http", "key_file", K_STR, H(key_file), NULL, "file of hashed API keys"},
    {"http", "open", K_STR, H(open), NULL, "routes served without a key (/health, /metrics)"},
    {"http", "tls_cert", K_STR, H(tls_cert), NULL, "TLS certificate (PEM)"},
    {"http", "tls_key", K_STR, H(tls_key), NULL, "TLS private key (PEM)"},
    {"http", "max_body", K_SIZE, H(max_body), NULL, "largest accepted request body"},
    {"http", "max_connections", K_LONG, H(max_connections), NULL, "connections at once"},
    {"http", "max_connections_per_client", K_LONG, H(max_connections_per_client), NULL,
     "connections at once from one client address"},
    {"http", "timeout", K_DURATION, H(timeout_s), NULL, "idle connection timeout"},
    {"http", "threads", K_LONG, H(threads), NULL, "request threads"},
    {"http", "access_log", K_BOOL, H(access_log), NULL, "one log line per request"},

    {"anomaly", "count_change", K_POSNUM, A(count_change), NULL,
     "relative count change that flags a run (0.5 = 50%)"},
    {"anomaly", "duration_factor", K_POSNUM, A(duration_factor), NULL,
     "duration above this many times the recent median flags a run"},
    {"anomaly", "min_count", K_LONG, A(min_count), NULL, "counts below this never flag"},
    {"anomaly", "duration_runs", K_LONG, A(duration_runs), NULL,
     "earlier runs the duration median is taken over"},
};

const size_t config_nkeys = ARRAY_SIZE(config_keys);


static const char *sections[] = {"kasparro", "schema", "source", "matching", "scheduler",
                                 "retention", "deletes", "http", "anomaly"};

static const char *type_names[] = {"text", "integer", "number", "boolean", "timestamp", "url"};

const char *field_type_name(enum field_type type) { return type_names[type]; }

const char *field_sql_type(enum field_type type)
{
    switch (type) {
    case FT_INTEGER: return "bigint";
    case FT_NUMBER: return "double precision";
    case FT_BOOLEAN: return "boolean";
    case FT_TIMESTAMP: return "timestamp with time zone";
    case FT_TEXT:
    case FT_URL: return "text";
    }
    return "text";
}
const char *source_kind_name(enum source_kind kind) { return kind == SRC_CSV ? "csv" : "http_json"; }
const char *pagination_name(enum pagination p)
{
    static const char *names[] = {"none", "page", "offset", "cursor", "link"};
    return names[p];
}
bool pagination_ahead(enum pagination p) { return p == PAGE_PAGE || p == PAGE_OFFSET; }

/* One wrong line: a pass over the file collects them all. */
struct parse_error {
    int line; /* INT_MAX: a check of several lines that names none */
    size_t seq;
    int code;
    char *msg;
};

struct parser {
    struct config *cfg;
    struct err *err; /* the current line's error */
    struct err line_err;
    struct parse_error *errors;
    size_t nerrors;
    int err_line; /* the line p->err names */
    bool entered, section_bad; /* the current [section] was wrong, and said so */
    bool section_again; /* the current [section] repeats an earlier one's name */
    int entered_line;   /* the header of the section parse_key is in */
    const char *file;
    FILE *fp;
    int read_errno; /* why reading the file stopped short (a folder: EISDIR), or 0 */
    int line;
    int section_line; /* of the last [section] header */
    bool section_unclosed; /* ... which lacks its ']' (unclosed_header) */
    char *header;  /* ... its name, whole (inih, which keeps 49 bytes of it, is given "[]") */
    char *pending; /* the line read_line hands inih, from pending_off on */
    size_t pending_len, pending_off;
    char section[256];
    struct source_cfg *source; /* current [source NAME], or NULL */
    char *quoted_key; /* the last line's key with quotes, hidden from inih */
    struct buf text;  /* what inih was given: read again past a malformed line */
    struct strmap declared; /* "[section" and "section]key" -> count: the line */
};

static void source_defaults(struct source_cfg *s)
{
    s->enabled = true;
    s->sync = SYNC_FULL;
    s->max_error_ratio = -1;
    s->max_delete_ratio = -1;
    s->pagination = PAGE_NONE;
    s->page_size = 100;
    s->start_page = 1;
    s->burst = 1;
    s->connect_timeout_ms = 10000;
    s->timeout_ms = 60000;
    s->max_body = 64LL * 1024 * 1024;
    s->retries = 5;
    s->retry_base_ms = 500;
    s->retry_max_ms = 60000;
    s->retry_deadline_ms = 120000;
    s->concurrency = 4;
    s->delimiter = '\0'; /* found in the file (source_csv.c) */
    s->quote = '"';
    s->header = true;
    s->encoding = ENC_UTF8;
    s->strip_bom = true;
    s->trim = true;
}

struct config *config_defaults(void)
{
    struct config *cfg = xcalloc(1, sizeof *cfg);

    cfg->refs = 1;
    cfg->dir = xstrdup(".");
    cfg->error_ratio = 0.10;
    cfg->batch_size = 10000;
    cfg->workers = 1;
    cfg->mouse = true;
    cfg->match.enabled = true;
    cfg->match.auto_threshold = 0.95;
    cfg->match.review_threshold = 0.60;
    cfg->match.review_budget = 0.10;
    cfg->match.em_iterations = 10;
    cfg->match.tf_adjust = true;
    cfg->match.max_block = 100;
    cfg->sched_enabled = true;
    cfg->cron = xstrdup("0 */6 * * *");
    cfg->grace_s = 15 * 60;
    cfg->coalesce = true;
    cfg->retention_s = 90LL * 86400;
    cfg->purge_batch = 1000;
    cfg->purge_after_run = true;
    cfg->max_delete_ratio = 0.10;
    cfg->http.max_body = 1024 * 1024;
    cfg->http.max_connections = 256;
    cfg->http.max_connections_per_client = 128;
    cfg->http.timeout_s = 30;
    cfg->http.threads = 4;
    cfg->http.access_log = true;
    cfg->anomaly.count_change = 0.5;
    cfg->anomaly.duration_factor = 3;
    cfg->anomaly.min_count = 10;
    cfg->anomaly.duration_runs = 10;
    return cfg;
}

static int perr(struct parser *p, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int perr(struct parser *p, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->err_line = p->line;
    return err_code(p->err, EXIT_USAGE, "config '%s' line %d: %s", p->file, p->line, msg);
}

static void suggest(struct buf *out, const char *name, const char *const *cands, size_t n)
{
    const char *best = sim_nearest(name, cands, n, 0.75, NULL);
    if (best != NULL)
        buf_printf(out, " (did you mean '%s'?)", best);
}

static int unknown_key(struct parser *p, const char *section, const char *key)
{
    const char *cands[ARRAY_SIZE(config_keys)];
    size_t n = 0;
    struct buf hint = BUF_INIT;
    int rc;

    for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
        if (strcmp(config_keys[i].section, section) == 0 && strchr(config_keys[i].name, '*') == NULL)
            cands[n++] = config_keys[i].name;
    suggest(&hint, key, cands, n);
    rc = perr(p, "unknown key '%s' in [%s]%s", key, p->section, buf_str(&hint));
    buf_free(&hint);
    return rc;
}

static const struct { const char *name; char c; } char_names[] = {
    {"comma", ','}, {"semicolon", ';'}, {"tab", '\t'}, {"\\t", '\t'}, {"pipe", '|'},
    {"space", ' '}, {"double-quote", '"'}, {"single-quote", '\''}, {"none", '\0'},
};

const char *config_char_name(char c)
{
    for (size_t i = 0; i < ARRAY_SIZE(char_names); i++)
        if (char_names[i].c == c)
            return char_names[i].name;
    return NULL;
}

static int parse_char(const char *v, char *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(char_names); i++)
        if (strcasecmp(v, char_names[i].name) == 0) {
            *out = char_names[i].c;
            return 0;
        }
    if (strlen(v) == 1) {
        *out = v[0];
        return 0;
    }
    return -1;
}

static int parse_enum(const char *v, const char *enums)
{
    char copy[256], *items[16];
    size_t n;

    snprintf(copy, sizeof copy, "%s", enums);
    n = str_split(copy, '|', items, ARRAY_SIZE(items));
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(v, items[i]) == 0)
            return (int)i;
    if (strcmp(enums, "utf-8|latin-1|windows-1252") == 0)
        return config_encoding_named(v);
    return -1;
}

int config_encoding_named(const char *name)
{
    /* the names, then their common spellings (IANA's among them: an HTTP
     * charset says ISO-8859-1, US-ASCII, UTF-8) */
    static const struct {
        const char *name;
        enum csv_encoding enc;
    } names[] = {
        {"utf-8", ENC_UTF8},      {"utf8", ENC_UTF8},           {"us-ascii", ENC_UTF8},
        {"latin-1", ENC_LATIN1},  {"latin1", ENC_LATIN1},       {"iso-8859-1", ENC_LATIN1},
        {"iso_8859-1", ENC_LATIN1}, {"windows-1252", ENC_CP1252}, {"cp1252", ENC_CP1252},
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcasecmp(name, names[i].name) == 0)
            return (int)names[i].enc;
    return -1;
}

/* Milliseconds from "500ms", "1.5s", "2m" or plain seconds. */
static long long parse_duration_ms(const char *v)
{
    double d;
    char *end;
    size_t len = strlen(v);

    if (len > 2 && strcasecmp(v + len - 2, "ms") == 0) {
        d = strtod(v, &end);
        return (end == v + len - 2 && d >= 0) ? (long long)d : -1;
    }
    d = strtod(v, &end);
    if (end != v && d >= 0 && (*end == '\0' || strcasecmp(end, "s") == 0))
        return (long long)(d * 1000);
    long long s = parse_duration(v);
    return s < 0 ? -1 : s * 1000;
}

static int set_value(struct parser *p, const struct config_key *k, void *base, const char *v)
{
    char *field = (char *)base + k->off;
    long long ll;
    double d;
    int b;

    switch (k->kind) {
    case K_STR:
        free(*(char **)field);
        *(char **)field = xstrdup(v);
        return 0;
    case K_BOOL:
        if ((b = parse_bool(v)) < 0)
            return perr(p, "key '%s': '%s' is not a boolean (true or false)", k->name, v);
        *(bool *)field = b;
        return 0;
    case K_INT:
    case K_LONG:
        if (!parse_ll(v, &ll) || ll < 0 || ll > INT_MAX)
            return perr(p, "key '%s': '%s' is not a non-negative integer", k->name, v);
        if (k->kind == K_INT)
            *(int *)field = (int)ll;
        else
            *(long *)field = (long)ll;
        return 0;
    case K_RATIO:
        if (!parse_double(v, &d) || d < 0 || d > 1)
            return perr(p, "key '%s': '%s' is not a number between 0 and 1", k->name, v);
        *(double *)field = d;
        return 0;
    case K_POSNUM:
        if (!parse_double(v, &d) || d < 0)
            return perr(p, "key '%s': '%s' is not a non-negative number", k->name, v);
        *(double *)field = d;
        return 0;
    case K_DURATION:
        if ((ll = parse_duration(v)) < 0)
            return perr(p, "key '%s': '%s' is not a duration (like 30s, 15m, 6h, 90d)",
                        k->name, v);
        *(long long *)field = ll;
        return 0;
    case K_DURATION_MS:
        if ((ll = parse_duration_ms(v)) < 0)
            return perr(p, "key '%s': '%s' is not a duration (like 500ms, 10s, 2m)", k->name, v);
        *(long *)field = (long)ll;
        return 0;
    case K_SIZE:
        if ((ll = parse_size(v)) <= 0)
            return perr(p, "key '%s': '%s' is not a size (like 512k, 10M, 1G)", k->name, v);
        *(long long *)field = ll;
        return 0;
    case K_CHAR:
        if (*v == '\0') /* inih cut "delimiter = ;" at the comment */
            return perr(p, "key '%s' has no value (after a blank, ';' starts a comment: write "
                        "'semicolon')", k->name);
        if (parse_char(v, field) < 0)
            return perr(p, "key '%s': '%s' is not one character (or comma, semicolon, tab, pipe)",
                        k->name, v);
        return 0;
    case K_ENUM:
        if ((b = parse_enum(v, k->enums)) < 0)
            return perr(p, "key '%s': '%s' is not one of %s", k->name, v, k->enums);
        *(int *)field = b;
        return 0;
    case K_SPECIAL:
        break;
    }
    BUG("config key '%s' has no parser", k->name);
}

/* A field declared before under `name` in any case, or NULL. */
static const struct schema_field *field_in_any_case(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nfields; i++)
        if (strcasecmp(cfg->fields[i].name, name) == 0)
            return &cfg->fields[i];
    return NULL;
}

static int schema_field(struct parser *p, const char *name, const char *value)
{
    struct config *cfg = p->cfg;
    char copy[256], *parts[4];
    size_t n;
    int type = -1;
    bool required = false;

    static const char *reserved[] = {"id", "source", "source_id", "content_hash",
                                     "first_seen_run", "last_changed_run", "change_seq",
                                     "is_deleted", "deleted_at", "deleted_by_run", "created_at",
                                     "updated_at"};

    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return perr(p, "field name '%s' is reserved for kasparro's own columns; choose "
                        "another (e.g. '%s_value')", name, name);
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return perr(p, "field name '%s' may hold only letters, digits and '_'", name);
    /* cut, two fields sharing their first 63 bytes would be one column */
    if (strlen(name) > CONFIG_FIELD_NAME_MAX)
        return perr(p, "field name '%.20s…' is %zu characters long; a field is a column, whose "
                    "name PostgreSQL keeps to %d: shorten it", name, strlen(name),
                    CONFIG_FIELD_NAME_MAX);
    snprintf(copy, sizeof copy, "%s", value);
    n = str_split(copy, ',', parts, ARRAY_SIZE(parts));
    for (size_t i = 0; n > 0 && i < ARRAY_SIZE(type_names); i++)
        if (strcasecmp(parts[0], type_names[i]) == 0)
            type = (int)i;
    if (type < 0) {
        struct buf hint = BUF_INIT;
        suggest(&hint, n > 0 ? parts[0] : "", type_names, ARRAY_SIZE(type_names));
        perr(p, "field '%s': unknown type '%s'%s; types are text, integer, number, boolean, "
             "timestamp, url", name, n > 0 ? parts[0] : "", buf_str(&hint));
        buf_free(&hint);
        return -1;
    }
    for (size_t i = 1; i < n && i < ARRAY_SIZE(parts); i++) {
        if (strcasecmp(parts[i], "required") != 0)
            return perr(p, "field '%s': unknown flag '%s' (the only flag is 'required')", name,
                        parts[i]);
        required = true;
    }
    /* a second [schema] section's keys are not the first's to declare_once.
     * Names in two cases are two columns to PostgreSQL (quoted), yet one
     * name to every lookup that takes a column or key in any case: mapped
     * automatically, both fields would read the same column. */
    const struct schema_field *first = field_in_any_case(cfg, name);
    if (first != NULL && strcmp(first->name, name) == 0)
        return perr(p, "field '%s' is declared twice in [schema] (first on line %d); each field "
                    "once", name, first->line);
    if (first != NULL)
        return perr(p, "field '%s' is field '%s' (line %d) in another case: kasparro finds "
                    "columns and keys in any case, so both would read the same one; rename one",
                    name, first->name, first->line);
    cfg->fields = xreallocarray(cfg->fields, cfg->nfields + 1, sizeof *cfg->fields);
    cfg->fields[cfg->nfields++] = (struct schema_field){xstrdup(name), type, required, p->line};
    return 0;
}

static int source_map(struct parser *p, const char *from, const char *to)
{
    struct source_cfg *s = p->source;
    char why[128], *path;

    if (*from == '\0')
        return perr(p, "key 'map.' names no source field");
    if ((path = json_path_canon(from, why, sizeof why)) == NULL)
        return perr(p, "key 'map.%s': %s", from, why);
    for (size_t i = 0; i < s->nmaps; i++)
        if (strcmp(s->maps[i].from, path) == 0) {
            free(path);
            return perr(p, "map.%s names the source field of map.%s on line %d again; map "
                        "each source field once", from, s->maps[i].from, s->maps[i].line);
        }
    s->maps = xreallocarray(s->maps, s->nmaps + 1, sizeof *s->maps);
    s->maps[s->nmaps++] = (struct field_map){path, xstrdup(to), p->line};
    return 0;
}

static int source_format(struct parser *p, const char *field, const char *format)
{
    struct source_cfg *s = p->source;

    if (*field == '\0')
        return perr(p, "key 'format.' names no field");
    s->formats = xreallocarray(s->formats, s->nformats + 1, sizeof *s->formats);
    s->formats[s->nformats++] = (struct field_map){xstrdup(field), xstrdup(format), p->line};
    return 0;
}

static int console_color(struct parser *p, const char *element, const char *value)
{
    char why[200];
    size_t i = 0;

    while (i < CONFIG_NCOLORS && strcmp(element, config_color_names[i]) != 0)
        i++;
    if (i == CONFIG_NCOLORS) {
        struct buf hint = BUF_INIT;
        suggest(&hint, element, config_color_names, CONFIG_NCOLORS);
        perr(p, "color.%s: unknown element '%s'%s; elements are normal, tab, tab-active, status, "
             "status-bad, header, selected, dim, good, bad, warn, diff, match, bar, title",
             element, element, buf_str(&hint));
        buf_free(&hint);
        return -1;
    }
    if (config_color_parse(value, &p->cfg->colors[i], why, sizeof why) < 0)
        return perr(p, "color.%s: %s", element, why);
    p->cfg->colors[i].line = p->line;
    return 0;
}

static int match_compare(struct parser *p, const char *field, const char *cmp)
{
    struct match_cfg *m = &p->cfg->match;
    bool known = false;
    char name[64];

    snprintf(name, sizeof name, "%s", cmp);
    /* "date:3" or "numeric:0.1" carry a tolerance after the colon */
    char *colon = strchr(name, ':');
    if (colon != NULL)
        *colon = '\0';
    size_t ncomparators = 0;
    for (; match_comparators[ncomparators] != NULL; ncomparators++)
        known |= strcmp(name, match_comparators[ncomparators]) == 0;
    if (!known) {
        struct buf hint = BUF_INIT;
        suggest(&hint, name, match_comparators, ncomparators);
        perr(p, "compare.%s: unknown comparator '%s'%s", field, name, buf_str(&hint));
        buf_free(&hint);
        return -1;
    }
    m->fields = xreallocarray(m->fields, m->nfields + 1, sizeof *m->fields);
    m->fields[m->nfields++] = (struct match_field){xstrdup(field), xstrdup(cmp), p->line};
    return 0;
}

static int begin_source(struct parser *p, const char *name)
{
    struct config *cfg = p->cfg;

    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
            return perr(p, "source name '%s' may hold only letters, digits, '-', '_' and '.'",
                        name);
    if (*name == '\0')
        return perr(p, "[source] needs a name: [source NAME]");
    cfg->sources = xreallocarray(cfg->sources, cfg->nsources + 1, sizeof *cfg->sources);
    p->source = &cfg->sources[cfg->nsources++];
    memset(p->source, 0, sizeof *p->source);
    source_defaults(p->source);
    p->source->name = xstrdup(name);
    p->source->line = p->section_line;
    return 0;
}

/* How p->declared names a section (`key` NULL) or a key of it: spacing
 * inside the brackets does not make another section. */
static void declared_id(struct buf *id, const char *section, const char *key)
{
    for (const char *c = section; *c != '\0'; c++)
        if (!isspace((unsigned char)*c))
            buf_addc(id, *c);
        else if (id->len > 0 && id->data[id->len - 1] != ' ' && c[strspn(c, " \t")] != '\0')
            buf_addc(id, ' ');
    buf_addc(id, key != NULL ? ']' : '[');
    buf_adds(id, key != NULL ? key : "");
}

/* A section or a key said twice is an error naming both lines: inih would
 * merge the sections and let the last value win, silently. `key` NULL: the
 * section itself. */
static int declare_once(struct parser *p, const char *section, const char *key)
{
    struct buf id = BUF_INIT;
    struct strmap_entry *e;

    declared_id(&id, section, key);
    if (key != NULL && p->section_again) /* its keys are its own, not the first's */
        buf_printf(&id, "#%d", p->section_line);
    e = strmap_put(&p->declared, id.data, id.len);
    buf_free(&id);
    if (e->count == 0) {
        e->count = p->line;
        return 0;
    }
    if (key == NULL)
        return perr(p, "[%s] is declared twice (first on line %lld); one section each", section,
                    e->count);
    return perr(p, "key '%s' is given twice in [%s] (first on line %lld); each key once", key,
                section, e->count);
}

/* A checker's message in p->err, with the file and line in front. */
static int setting_err(struct parser *p)
{
    p->err->code = EXIT_USAGE;
    p->err_line = p->line;
    return err_prefix(p->err, "config '%s' line %d", p->file, p->line);
}

/* The values whose validity is more than their type's, checked where they
 * are read so the message names the line (a bad schedule never replaces a
 * good one on reload: the whole file is refused). */
static int check_setting(struct parser *p, const char *kind, const char *key)
{
    const struct config *cfg = p->cfg;
    struct cron cron;
    struct tz *tz;
    char why[256];

    if (strcmp(kind, "source") == 0 && strcmp(key, "kind") == 0)
        p->source->kind_given = true;
    if (strcmp(kind, "kasparro") == 0 && strcmp(key, "log_level") == 0 &&
        log_parse_level(cfg->log_level) < 0)
        return perr(p, "key 'log_level': '%s' is not debug, info, warn or error", cfg->log_level);
    if (strcmp(kind, "kasparro") == 0 && strcmp(key, "workers") == 0 &&
        (cfg->workers < 1 || cfg->workers > CONFIG_MAX_WORKERS))
        return perr(p, "key 'workers': %ld is not 1 to %d", cfg->workers, CONFIG_MAX_WORKERS);
    if (strcmp(kind, "scheduler") == 0 && strcmp(key, "cron") == 0 &&
        cron_parse(cfg->cron, &cron, p->err) < 0)
        return setting_err(p);
    if (strcmp(kind, "scheduler") == 0 && strcmp(key, "timezone") == 0) {
        if ((tz = tz_load(cfg->timezone, p->err)) == NULL)
            return setting_err(p);
        tz_free(tz);
    }
    if (strcmp(kind, "http") == 0 && config_http_check(cfg, key, why, sizeof why) < 0)
        return perr(p, "key '%s': %s", key, why);
    return 0;
}

/* The kind of a section: "source" for [source NAME]. */
static void section_kind(const char *section, char *kind, size_t len)
{
    const char *space = strchr(section, ' ');
    snprintf(kind, len, "%.*s", (int)(space ? space - section : (long)strlen(section)), section);
}

/* A new [section]: known, and for [source NAME] a valid name. A wrong one
 * is said once, on its own line, and its keys are passed over (their own
 * mistakes would only repeat it). */
static void enter_section(struct parser *p, const char *section)
{
    const char *space = strchr(section, ' ');
    bool known = false;
    char kind[64];

    snprintf(p->section, sizeof p->section, "%s", section);
    p->source = NULL;
    p->section_bad = true;
    section_kind(section, kind, sizeof kind);
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
        known |= strcmp(kind, sections[i]) == 0;
    if (!known || (space != NULL && strcmp(kind, "source") != 0)) {
        struct buf hint = BUF_INIT;
        suggest(&hint, kind, sections, ARRAY_SIZE(sections));
        perr(p, "unknown section [%s]%s", section, buf_str(&hint));
        buf_free(&hint);
        return;
    }
    if (strcmp(kind, "source") == 0) {
        const char *name = space ? space + 1 : "";
        while (*name == ' ')
            name++;
        if (begin_source(p, name) < 0)
            return;
        p->source->name_at = (int)(name - section);
    }
    p->section_bad = false;
}

static int parse_key(struct parser *p, const char *section, const char *key, const char *value)
{
    char kind[64];
    void *base;

    if (p->section_unclosed) /* said at its header */
        return 0;
    if (strcmp(key, "\"") == 0 && p->quoted_key != NULL)
        key = p->quoted_key;
    if (declare_once(p, section, key) < 0)
        return 0;
    if (!p->entered || p->entered_line != p->section_line) {
        int key_line = p->line;
        p->line = p->section_line > 0 ? p->section_line : key_line; /* keys before any */
        p->entered = true;
        p->entered_line = p->section_line;
        enter_section(p, section);
        if (p->section_again) /* said at its first header; this one is said twice */
            err_clear(p->err);
        p->line = key_line;
    }
    if (p->section_bad)
        return 0;
    section_kind(section, kind, sizeof kind);
    config_digest_line(p->cfg, p->source, kind, key, value);

    if (strcmp(kind, "schema") == 0)
        return schema_field(p, key, value) == 0;
    if (strcmp(kind, "source") == 0 && str_starts(key, "map."))
        return source_map(p, key + 4, value) == 0;
    if (strcmp(kind, "source") == 0 && str_starts(key, "format."))
        return source_format(p, key + 7, value) == 0;
    if (strcmp(kind, "matching") == 0 && str_starts(key, "compare."))
        return match_compare(p, key + 8, value) == 0;
    if (strcmp(kind, "kasparro") == 0 && str_starts(key, "color."))
        return console_color(p, key + 6, value) == 0;

    base = p->cfg;
    if (strcmp(kind, "source") == 0)
        base = p->source;
    else if (strcmp(kind, "matching") == 0) {
        base = &p->cfg->match;
        config_match_line(base, key, p->line);
    } else if (strcmp(kind, "http") == 0 && strcmp(key, "listen") == 0) {
        p->cfg->http.listen_line = p->line; /* resolved at start, where it is named */
    }
    for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
        if (strcmp(config_keys[i].section, kind) == 0 && strcmp(config_keys[i].name, key) == 0)
            return set_value(p, &config_keys[i], base, value) == 0 &&
                   check_setting(p, kind, key) == 0;
    unknown_key(p, kind, key);
    return 0;
}

static void note_error(struct parser *p, int line, const struct err *e)
{
    p->errors = xreallocarray(p->errors, p->nerrors + 1, sizeof *p->errors);
    p->errors[p->nerrors] = (struct parse_error){line, p->nerrors, e->code, xstrdup(e->msg)};
    p->nerrors++;
}

/* Called by inih for every key. Every line is checked, so one pass names
 * every wrong line: whoever fixes a file wants them all, not one per try. */
static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct parser *p = user;

    err_clear(p->err);
    p->err_line = p->line;
    parse_key(p, p->header != NULL ? p->header : section, key, value);
    if (err_isset(p->err))
        note_error(p, p->err_line, p->err);
    err_clear(p->err); /* what is left after the pass is read_line's */
    return 1;
}

/* Where inih finds a line's text: past a UTF-8 byte order mark on the
 * first line, then past every isspace() byte ('\r', '\f' and '\v' as well
 * as blanks). read_line must see a header where inih does: "\r[source a]"
 * was one to inih alone, which gave its keys to a source never begun. */
static char *line_text(const struct parser *p, char *line)
{
    if (p->line == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
        line += 3;
    while (isspace((unsigned char)*line))
        line++;
    return line;
}

/* A key may quote what inih would split or cut: map."https://x.org/t" = t.
 * inih ends a key at the first '=' or ':' and a value at " ;", so a line
 * whose key holds a quote reaches inih with the key replaced by a lone '"'
 * (which no other line can produce) and on_key takes it from p->quoted_key.
 * A quote that is not closed is left for the key's own check to report. */
static void hide_quoted_key(struct parser *p, char *line)
{
    char *c;
    bool quoted = false, in_quote = false;

    line = line_text(p, line); /* an indented key is a key (no multi-line values) */
    if (strchr("[;#", *line) != NULL)
        return;
    c = line;
    for (; *c != '\0' && *c != '\n' && (in_quote || (*c != '=' && *c != ':')); c++) {
        if (*c == '"')
            in_quote = !in_quote, quoted = true;
        else if (in_quote && *c == '\\' && c[1] != '\0')
            c++;
    }
    if (!quoted || in_quote || *c == '\0' || *c == '\n')
        return;
    char *end = c;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    free(p->quoted_key);
    p->quoted_key = xstrndup(line, (size_t)(end - line));
    line[0] = '"';
    memmove(line + 1, c, strlen(c) + 1);
}

/* The longest line kasparro reads, its line end aside. inih would cut a
 * longer one where its buffer ends and read the tail as a line of its own
 * (the value cut short without a word, the tail a "malformed" line, the
 * line numbers after it one off); read_line refuses it whole instead. */
#define CONFIG_MAX_LINE (64 * 1024)

/* One physical line of the file into p->pending, '\n' kept. A line over
 * CONFIG_MAX_LINE bytes, or one holding a NUL byte (where inih, and every
 * C string after it, would end the line: a value cut short without a
 * word), is read to its end, said, and left blank (inih and the reading
 * again past a malformed line count it all the same). */
static int take_line(struct parser *p)
{
    size_t cap = CONFIG_MAX_LINE + 3, len = 0, kept, nul = 0; /* + "\r\n\0"; nul: its column */
    int c, last = 0;

    if (p->pending == NULL)
        p->pending = xmalloc(cap);
    while ((c = getc(p->fp)) != EOF && c != '\n') {
        if (len < cap - 2)
            p->pending[len] = (char)c;
        len++;
        last = c;
        if (c == '\0' && nul == 0)
            nul = len;
    }
    /* a folder opens, and its first read fails: an error, not an empty file */
    if (c == EOF && ferror(p->fp)) {
        p->read_errno = errno != 0 ? errno : EIO;
        return -1;
    }
    if (len == 0 && c == EOF)
        return -1;
    p->line++;
    kept = len < cap - 2 ? len : cap - 2;
    struct err e = {0};
    if (len - (last == '\r') > CONFIG_MAX_LINE)
        err_code(&e, EXIT_USAGE, "config '%s' line %d: line longer than %d bytes (%zu): "
                 "not read", p->file, p->line, CONFIG_MAX_LINE, len - (last == '\r'));
    else if (nul > 0)
        err_code(&e, EXIT_USAGE, "config '%s' line %d column %zu: a NUL byte (is the file "
                 "UTF-16? kasparro reads UTF-8): the line is not read", p->file, p->line, nul);
    if (err_isset(&e)) {
        note_error(p, p->line, &e);
        kept = 0;
    }
    if (c == '\n' || kept == 0)
        p->pending[kept++] = '\n';
    p->pending[kept] = '\0';
    return 0;
}

/* A header without its ']' ("[schema"): inih takes it for a malformed
 * line and the keys under it for the previous section's. It is said as
 * what it is, and inih is given an empty header in its place: parse_key
 * passes its keys over, as those of a section it does not know. */
static void unclosed_header(struct parser *p, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    err_code(p->err, EXIT_USAGE, "config '%s' line %d: section header '%s' has no closing "
             "']': the keys under it are not read", p->file, p->line, line);
    note_error(p, p->line, p->err);
    err_clear(p->err);
    p->section_line = p->line;
    p->section_unclosed = true;
    strcpy(line, "[]\n");
}

/* A [section] header: its name kept here whole, and inih given "[]" in
 * its place (inih cuts a section's name at 49 bytes: a long source name
 * was read as another, shorter one, without a word). */
static void header_line(struct parser *p, char *line)
{
    const char *end = strchr(line, ']');
    char *name;

    if (end == NULL) {
        unclosed_header(p, line);
        return;
    }
    name = xstrndup(line + 1, (size_t)(end - line - 1));
    strcpy(line, "[]\n");
    /* a section said twice is a mistake of its header's line; the pass
     * goes on, and the lines under it are checked as lines */
    p->section_again = false;
    p->section_unclosed = false;
    if (declare_once(p, name, NULL) < 0) {
        note_error(p, p->line, p->err);
        err_clear(p->err);
        p->section_again = true;
    }
    free(p->header);
    p->header = name;
    p->section_line = p->line;
}

/* inih's line reader: one physical line at a time (counted, so errors can
 * name it), handed over in as many pieces as inih's buffer asks. */
static char *read_line(char *str, int num, void *stream)
{
    struct parser *p = stream;
    size_t n;

    if (p->pending_off == p->pending_len) {
        if (take_line(p) < 0)
            return NULL;
        char *c = line_text(p, p->pending);
        if (*c == '[')
            header_line(p, c);
        hide_quoted_key(p, p->pending);
        p->pending_len = strlen(p->pending);
        p->pending_off = 0;
        buf_adds(&p->text, p->pending);
    }
    n = p->pending_len - p->pending_off;
    if (n > (size_t)num - 1)
        n = (size_t)num - 1;
    memcpy(str, p->pending + p->pending_off, n);
    str[n] = '\0';
    p->pending_off += n;
    return str;
}

static int take_nothing(void *user, const char *section, const char *key, const char *value)
{
    return 1;
}

/* inih names the first line that is neither a key nor a [section] and no
 * other (it goes on, but keeps one line number). It is asked again about
 * the text after each such line, taking none of its keys, until it names
 * no more: every malformed line is listed, in inih's own judgement. */
static void note_malformed(struct parser *p, int line)
{
    const char *rest = buf_str(&p->text);
    int before = 0; /* the lines ahead of rest */

    for (;;) {
        err_code(p->err, EXIT_USAGE, "config '%s' line %d: not a 'key = value' line or a "
                 "[section]", p->file, line);
        note_error(p, line, p->err);
        err_clear(p->err);
        for (; before < line && rest != NULL; before++)
            if ((rest = strchr(rest, '\n')) != NULL)
                rest++;
        int rc = rest != NULL ? ini_parse_string(rest, take_nothing, NULL) : 0;
        if (rc <= 0)
            return;
        line = before + rc;
    }
}

/* An http_json URL that cannot work says so at config check, not on the
 * first request: a scheme curl is not let to use (or none, which curl
 * guesses), and a {word} that is no placeholder (sent as it is, braces
 * and all). "" when the URL is fine, else why not into `why`. */
const char *const config_url_placeholders[CONFIG_URL_PLACEHOLDERS] = {
    "page", "offset", "limit", "cursor", "since", "dir"};

static const char *url_fault(const char *url, char *why, size_t len)
{
    static const char *const schemes[] = {"http://", "https://", "file://"};
    const char *const *names = config_url_placeholders;
    bool known = false;

    for (size_t i = 0; i < ARRAY_SIZE(schemes); i++)
        known |= strncasecmp(url, schemes[i], strlen(schemes[i])) == 0;
    if (!known) {
        snprintf(why, len, "url '%s' is not an http://, https:// or file:// URL", url);
        return why;
    }
    for (const char *p = strchr(url, '{'); p != NULL; p = strchr(p + 1, '{')) {
        size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
        char word[32];
        if (n == 0 || n >= sizeof word || p[1 + n] != '}')
            continue; /* not a {word}: JSON in a query, say */
        snprintf(word, sizeof word, "%.*s", (int)n, p + 1);
        bool placeholder = false;
        for (size_t i = 0; i < CONFIG_URL_PLACEHOLDERS; i++)
            placeholder |= strcmp(word, names[i]) == 0;
        if (placeholder)
            continue;
        const char *best = sim_nearest(word, names, CONFIG_URL_PLACEHOLDERS, 0.75, NULL);
        snprintf(why, len, "url: '{%s}' is no placeholder%s%s%s (they are {page}, {offset}, "
                 "{limit}, {cursor}, {since} and {dir})", word, best ? " (did you mean '{" : "",
                 best ? best : "", best ? "}'?)" : "");
        return why;
    }
    return "";
}

/* A timestamp format that cannot read back what strftime(3) writes with it
 * (a conversion strptime does not know, such as %Q or %f, or a lone %)
 * would fail every value of its field at run time: it is refused here. In
 * the C locale, as the mapper reads it. */
static bool time_format_reads_back(const char *format)
{
    struct tm tm = {.tm_year = 101, .tm_mon = 1, .tm_mday = 3, .tm_hour = 4, .tm_min = 5,
                    .tm_sec = 6, .tm_wday = 6, .tm_yday = 33},
              back = {0};
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0), old = uselocale(c);
    char text[512];
    size_t n = strftime(text, sizeof text, format, &tm);
    const char *end = n > 0 ? strptime(text, format, &back) : NULL;

    uselocale(old);
    freelocale(c);
    while (end != NULL && isspace((unsigned char)*end))
        end++;
    return end != NULL && *end == '\0';
}

/* The line where [section] said `key` (declare_once recorded it), else 0. */
static int declared_line(const struct strmap *declared, const char *section, const char *key)
{
    struct buf id = BUF_INIT;
    const struct strmap_entry *e;

    declared_id(&id, section, key);
    e = strmap_get(declared, id.data, id.len);
    buf_free(&id);
    return e != NULL && e->count > 0 ? (int)e->count : 0;
}

/* The line where [source NAME] said `key`, else the section's own line: a
 * message about one setting points at it. */
static int key_line(const struct strmap *declared, const struct source_cfg *s, const char *key)
{
    struct buf section = BUF_INIT;
    int line;

    buf_printf(&section, "source %s", s->name);
    line = declared_line(declared, section.data, key);
    buf_free(&section);
    return line > 0 ? line : s->line;
}

int config_fault(struct config_faults *f, int line, struct err *e)
{
    f->add(f->arg, line, e);
    f->n++;
    return -1;
}

int config_faultv(struct config_faults *f, const char *file, int line, const char *what,
                  const char *fmt, va_list ap)
{
    struct err e = {0};
    int n = line > 0 ? snprintf(e.msg, sizeof e.msg, "config '%s' line %d: %s", file, line, what)
                     : snprintf(e.msg, sizeof e.msg, "config '%s': %s", file, what);

    if (n >= 0 && (size_t)n < sizeof e.msg)
        err_vformat(e.msg + n, sizeof e.msg - (size_t)n, fmt, ap);
    e.code = EXIT_USAGE;
    return config_fault(f, line, &e);
}

/* What check_source reports on: one source, its faults. */
struct scheck {
    const struct config *cfg;
    const struct source_cfg *s;
    const struct strmap *declared;
    const char *file;
    struct config_faults *faults;
};

static int serr(struct scheck *c, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int serr(struct scheck *c, int line, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    int rc;

    snprintf(what, sizeof what, "source '%s': ", c->s->name);
    va_start(ap, fmt);
    rc = config_faultv(c->faults, c->file, line, what, fmt, ap);
    va_end(ap);
    return rc;
}

/* The source's kind and what its kind needs: a URL, a path, a header or
 * the columns. Without a kind, there is nothing to check them against. */
static void check_source_kind(struct scheck *c)
{
    const struct source_cfg *s = c->s;
    char fault[400];

    if (!s->kind_given) {
        serr(c, s->line, "no 'kind' (csv or http_json)");
        return;
    }
    if (s->kind == SRC_HTTP_JSON && str_empty(s->url))
        serr(c, s->line, "an http_json source needs 'url'");
    else if (s->kind == SRC_HTTP_JSON && *url_fault(s->url, fault, sizeof fault) != '\0')
        serr(c, key_line(c->declared, s, "url"), "%s", fault);
    if (s->kind == SRC_CSV && str_empty(s->path))
        serr(c, s->line, "a csv source needs 'path'");
    /* a file read with the wrong idea of its first line loses a record or
     * finds none of its columns */
    if (s->kind == SRC_CSV && !s->header && str_empty(s->columns))
        serr(c, key_line(c->declared, s, "header"),
             "header = false needs 'columns' (the column names, comma separated)");
    if (s->kind == SRC_CSV && s->header && !str_empty(s->columns))
        serr(c, key_line(c->declared, s, "columns"),
             "'columns' names the columns of a file without a header; add header = false");
    if (s->kind == SRC_HTTP_JSON && s->pagination == PAGE_CURSOR && str_empty(s->cursor_path))
        serr(c, key_line(c->declared, s, "pagination"), "cursor pagination needs 'cursor_path'");
    if (s->kind == SRC_HTTP_JSON && s->page_size < 1)
        serr(c, key_line(c->declared, s, "page_size"), "page_size must be at least 1");
}

/* A file without a header gets its names from columns =, as many as it
 * says. One named twice would hold its key twice in each record's payload,
 * and which of the two a mapping means is not for kasparro to guess; one
 * without a name (a comma too many) would be the key "". The reader
 * refuses a name twice too (source_csv.c, in the same words); here it is
 * caught with its line, before any command reads the file. Case tells two
 * names apart, as in a header. */
static void check_source_columns(struct scheck *c)
{
    const struct source_cfg *s = c->s;
    struct strmap seen = {0};
    size_t n;

    if (s->kind != SRC_CSV || s->header || str_empty(s->columns))
        return;
    char **names = str_split_all(s->columns, ',', &n);
    for (size_t i = 0; i < n; i++) {
        struct strmap_entry *e = strmap_put(&seen, names[i], strlen(names[i]));
        if (*names[i] == '\0') {
            serr(c, key_line(c->declared, s, "columns"),
                 "'columns =' gives column %zu no name (nothing %s); name it or remove the "
                 "comma", i + 1, i == 0 ? "before the first comma" : i + 1 == n ?
                 "after the last comma" : "between two commas");
        } else if (e->count > 0) {
            serr(c, key_line(c->declared, s, "columns"),
                 "'columns =' names '%s' twice (columns %lld and %zu); rename or remove one of "
                 "them", names[i], e->count, i + 1);
        } else {
            e->count = (long long)i + 1;
            continue;
        }
        break;
    }
    strmap_free(&seen, NULL);
    free(names);
}

/* Each map.FROM = FIELD names a field of [schema]. */
static void check_source_maps(struct scheck *c)
{
    const struct source_cfg *s = c->s;
    const char *names[256];
    size_t n = 0;

    for (size_t j = 0; j < c->cfg->nfields && n < ARRAY_SIZE(names); j++)
        names[n++] = c->cfg->fields[j].name;
    for (size_t i = 0; i < s->nmaps; i++) {
        if (config_field(c->cfg, s->maps[i].to) != NULL)
            continue;
        const char *best = sim_nearest(s->maps[i].to, names, n, 0.75, NULL);
        serr(c, s->maps[i].line, "map.%s: '%s' is not a field of [schema]%s%s%s",
             s->maps[i].from, s->maps[i].to, best ? " (did you mean '" : "", best ? best : "",
             best ? "'?)" : "");
    }
}

/* Each format.FIELD fits its field's type and can be read back. */
static void check_source_formats(struct scheck *c)
{
    const struct source_cfg *s = c->s;

    for (size_t i = 0; i < s->nformats; i++) {
        const struct schema_field *f = config_field(c->cfg, s->formats[i].from);
        struct numfmt num;
        char why[256];
        if (f == NULL || (f->type != FT_TIMESTAMP && f->type != FT_NUMBER &&
                          f->type != FT_INTEGER))
            serr(c, s->formats[i].line, "format.%s: '%s' is not a timestamp, number or integer "
                 "field of [schema]", s->formats[i].from, s->formats[i].from);
        else if (f->type != FT_TIMESTAMP &&
                 numfmt_compile(s->formats[i].to, &num, why, sizeof why) < 0)
            serr(c, s->formats[i].line, "format.%s: %s", s->formats[i].from, why);
        else if (f->type == FT_TIMESTAMP && !time_format_reads_back(s->formats[i].to))
            serr(c, s->formats[i].line, "format.%s: strptime(3) cannot read back a time "
                 "written as '%s' (an unknown conversion, such as Python's %%f? ISO 8601 "
                 "times, fractions of a second included, need no format)",
                 s->formats[i].from, s->formats[i].to);
    }
}

/* A source's settings against each other and [schema]: every mistake is
 * reported (a wrong mapping does not hide a missing id), then, if none,
 * its paths are made absolute. */
static void check_source(struct config *cfg, struct source_cfg *s, const struct strmap *declared,
                         const char *file, struct config_faults *faults)
{
    struct scheck c = {cfg, s, declared, file, faults};
    int before = faults->n;

    check_source_kind(&c);
    check_source_columns(&c);
    if (str_empty(s->id_field))
        serr(&c, s->line, "'id' names no source field (the record id)");
    check_source_maps(&c);
    check_source_formats(&c);
    if (s->sync == SYNC_INCREMENTAL && str_empty(s->cursor_field))
        serr(&c, key_line(declared, s, "sync"), "an incremental source needs 'cursor_field'");
    else if (s->sync == SYNC_INCREMENTAL && config_field(cfg, s->cursor_field) == NULL)
        serr(&c, key_line(declared, s, "cursor_field"),
             "cursor_field '%s' is not a field of [schema]", s->cursor_field);
    if (faults->n > before)
        return;
    if (s->kind == SRC_HTTP_JSON && s->concurrency < 1)
        s->concurrency = 1;
    s->path_line = key_line(declared, s, "path");
    s->auth_env_line = key_line(declared, s, "auth_header_env");
    if (s->path != NULL && s->path[0] != '/') {
        char *abs = xasprintf("%s/%s", cfg->dir, s->path);
        free(s->path);
        s->path = abs;
    }
    if (s->ca_file != NULL && s->ca_file[0] != '/') {
        char *abs = xasprintf("%s/%s", cfg->dir, s->ca_file);
        free(s->ca_file);
        s->ca_file = abs;
    }
}

/* A mistake of the checks across lines, in the file's order with the
 * others (one that names no line after them all). */
static void fault_note(void *arg, int line, const struct err *e)
{
    note_error(arg, line > 0 ? line : INT_MAX, e);
}

/* The checks that weigh lines together: every source's and [matching]'s
 * mistakes, each apart, so that one pass names a wrong mapping, a missing
 * id and a wrong comparison alike. They run once every line reads: their
 * messages name their lines. */
static void check_config(struct config *cfg, const struct strmap *declared, const char *file,
                         struct parser *p)
{
    struct config_faults faults = {fault_note, p, 0};
    struct err e = {0};
    const char *key;
    char why[256];

    if (cfg->nsources > 0 && cfg->nfields == 0) {
        err_code(&e, EXIT_USAGE, "config '%s': sources are declared but [schema] declares no "
                 "field", file);
        config_fault(&faults, 0, &e);
        return;
    }
    for (size_t i = 0; i < cfg->nsources; i++)
        check_source(cfg, &cfg->sources[i], declared, file, &faults);
    config_check_matching(cfg, file, &faults);
    if (config_http_check_all(cfg, &key, why, sizeof why) < 0) {
        int line = declared_line(declared, "http", key);
        err_code(&e, EXIT_USAGE, "config '%s' line %d: key '%s': %s", file, line, key, why);
        config_fault(&faults, line, &e);
    }
    if (cfg->batch_size < 1)
        cfg->batch_size = 1;
}

static int by_line(const void *a, const void *b)
{
    const struct parse_error *x = a, *y = b;
    if (x->line != y->line)
        return (x->line > y->line) - (x->line < y->line);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The wrong lines in the order of the file: the first into err, saying
 * how many more there are; every one as a line of its own into `all`. */
static void report_errors(struct parser *p, struct err *err, struct buf *all)
{
    size_t n = p->nerrors, lines = 0;

    if (n == 0)
        return;
    qsort(p->errors, n, sizeof *p->errors, by_line);
    for (size_t i = 0; i < n; i++) /* a line may hold two mistakes (blocking = a:x, b:y) */
        lines += i == 0 || p->errors[i].line != p->errors[i - 1].line ||
                 p->errors[i].line == INT_MAX;
    if (n > 1 && all != NULL && lines == n)
        err_code(err, p->errors[0].code, "config '%s': %zu wrong lines", p->file, n);
    else if (n > 1 && all != NULL)
        err_code(err, p->errors[0].code, "config '%s': %zu mistakes on %zu line%s", p->file, n,
                 lines, lines > 1 ? "s" : "");
    else if (n > 1)
        err_code(err, p->errors[0].code, "%s (and %zu more %s%s: 'kasparro config check' lists "
                 "every one)", p->errors[0].msg, n - 1, lines == n ? "wrong line" : "mistake",
                 n > 2 ? "s" : "");
    else
        err_code(err, p->errors[0].code, "%s", p->errors[0].msg);
    for (size_t i = 0; i < p->nerrors; i++) {
        if (all != NULL)
            buf_printf(all, "%s\n", p->errors[i].msg);
        free(p->errors[i].msg);
    }
    free(p->errors);
}

static struct config *load(const char *path, struct err *err, struct buf *all)
{
    struct config *cfg = config_defaults();
    struct parser p = {.cfg = cfg, .file = path};
    char *copy;
    int rc;

    p.err = &p.line_err;

    if (path == NULL)
        return cfg;
    p.fp = fopen(path, "r");
    if (p.fp == NULL) {
        err_code(err, EXIT_USAGE, "unable to open config '%s': %m", path);
        config_free(cfg);
        return NULL;
    }
    cfg->path = xstrdup(path);
    copy = xstrdup(path);
    free(cfg->dir);
    /* absolute: `-c share/kasparro/kasparro.conf` must still give {dir} a
     * valid file:// URL, and paths must not depend on the working folder */
    const char *dir = dirname(copy);
    cfg->dir = realpath(dir, NULL);
    if (cfg->dir == NULL)
        cfg->dir = xstrdup(dir);
    free(copy);

    ini_use_stack = false;
    ini_allow_realloc = true;
    /* an indented line is a key of its own, not the tail of the previous
     * value (which would silently replace it) */
    ini_allow_multiline = false;
    ini_max_line = CONFIG_MAX_LINE + 3; /* never reached: see take_line */
    ini_stop_on_first_error = false;
    err_clear(p.err);
    errno = 0;
    rc = ini_parse_stream(read_line, &p, on_key, &p);
    fclose(p.fp);
    free(p.header);
    free(p.quoted_key);
    free(p.pending);
    if (p.read_errno != 0) {
        /* what was read of it is not the file: no line of it is judged */
        err_code(err, EXIT_USAGE, "unable to read config '%s': %s", path,
                 strerror(p.read_errno));
        buf_free(&p.text);
        for (size_t i = 0; i < p.nerrors; i++)
            free(p.errors[i].msg);
        free(p.errors);
        strmap_free(&p.declared, NULL);
        config_free(cfg);
        return NULL;
    }
    if (rc > 0)
        note_malformed(&p, rc);
    buf_free(&p.text);
    if (p.nerrors == 0)
        check_config(cfg, &p.declared, path, &p);
    report_errors(&p, err, all);
    strmap_free(&p.declared, NULL);
    if (err_isset(err)) {
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

struct config *config_load(const char *path, struct err *err)
{
    return load(path, err, NULL);
}

struct config *config_load_listing(const char *path, struct err *err, struct buf *all)
{
    return load(path, err, all);
}

static void source_free(struct source_cfg *s)
{
    char **strs[] = {&s->name, &s->url, &s->path, &s->id_field, &s->cursor_field,
                     &s->records_path, &s->page_param, &s->size_param, &s->offset_param,
                     &s->limit_param, &s->cursor_param, &s->since_param, &s->cursor_path,
                     &s->total_path, &s->pages_path, &s->has_more_path, &s->auth_header_env,
                     &s->auth_header, &s->ca_file, &s->columns};
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(*strs[i]);
    for (size_t i = 0; i < s->nmaps; i++) {
        free(s->maps[i].from);
        free(s->maps[i].to);
    }
    free(s->maps);
    for (size_t i = 0; i < s->nformats; i++) {
        free(s->formats[i].from);
        free(s->formats[i].to);
    }
    free(s->formats);
}

struct config *config_ref(struct config *cfg)
{
    atomic_fetch_add(&cfg->refs, 1);
    return cfg;
}

void config_free(struct config *cfg)
{
    if (cfg == NULL || atomic_fetch_sub(&cfg->refs, 1) > 1)
        return;
    for (size_t i = 0; i < cfg->nfields; i++)
        free(cfg->fields[i].name);
    free(cfg->fields);
    for (size_t i = 0; i < cfg->nsources; i++)
        source_free(&cfg->sources[i]);
    free(cfg->sources);
    config_match_free(&cfg->match);
    free(cfg->path);
    free(cfg->dir);
    free(cfg->log_level);
    free(cfg->log_file);
    free(cfg->history_file);
    free(cfg->cron);
    free(cfg->timezone);
    char **http[] = {&cfg->http.listen, &cfg->http.viewer_keys_env, &cfg->http.operator_keys_env,
                     &cfg->http.key_file, &cfg->http.open, &cfg->http.tls_cert,
                     &cfg->http.tls_key};
    for (size_t i = 0; i < ARRAY_SIZE(http); i++)
        free(*http[i]);
    free(cfg);
}

int config_require_ingest(const struct config *cfg, struct err *err)
{
    const char *file = cfg->path ? cfg->path : "(no file)";

    /* sources without fields are refused when the file is read */
    if (cfg->nsources > 0)
        return 0;
    if (cfg->nfields == 0)
        return err_code(err, EXIT_USAGE, "config '%s' has nothing to ingest: no [schema] "
                        "declares the unified fields (FIELD = TYPE) and no [source NAME] says "
                        "where records come from; kasparro.conf(5) has an example", file);
    return err_code(err, EXIT_USAGE, "config '%s' declares no source: add a [source NAME] "
                    "section (kind, path or url, id, map.FIELD)", file);
}

const struct source_cfg *config_source(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nsources; i++)
        if (strcmp(cfg->sources[i].name, name) == 0)
            return &cfg->sources[i];
    return NULL;
}

/* What inih kept of a section header's text, in bytes (its MAX_SECTION,
 * less the terminating NUL). */
#define INIH_SECTION_KEPT 49

size_t config_source_old_len(const struct source_cfg *s)
{
    return s->name_at < INIH_SECTION_KEPT ? (size_t)(INIH_SECTION_KEPT - s->name_at) : 0;
}

const struct source_cfg *config_source_cut(const struct config *cfg, const char *stored,
                                          const struct source_cfg *except)
{
    size_t len = strlen(stored);

    for (size_t i = 0; i < cfg->nsources; i++) {
        const struct source_cfg *s = &cfg->sources[i];
        if (s != except && len > 0 && len == config_source_old_len(s) && strlen(s->name) > len &&
            memcmp(s->name, stored, len) == 0)
            return s;
    }
    return NULL;
}

const struct source_cfg *config_source_find(const struct config *cfg, const char *name,
                                            struct err *err)
{
    const struct source_cfg *s = config_source(cfg, name);
    const char *names[256], *best;
    size_t n = 0;

    if (s != NULL)
        return s;
    for (size_t i = 0; i < cfg->nsources && n < ARRAY_SIZE(names); i++)
        names[n++] = cfg->sources[i].name;
    best = sim_nearest(name, names, n, 0.75, NULL);
    err_code(err, EXIT_USAGE, "unknown source '%s'%s%s%s; 'kasparro sources' lists them", name,
             best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    return NULL;
}

int config_field_index(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nfields; i++)
        if (strcmp(cfg->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct schema_field *config_field(const struct config *cfg, const char *name)
{
    int i = config_field_index(cfg, name);
    return i < 0 ? NULL : &cfg->fields[i];
}

const char *config_title_field(const struct config *cfg)
{
    const struct match_cfg *m = &cfg->match;
    const char *keys = m->key_fields ? m->key_fields : "";

    if (!str_empty(m->title_field))
        return m->title_field;
    keys += strspn(keys, " \t,");
    for (size_t i = 0; i < cfg->nfields && *keys != '\0'; i++) {
        size_t n = strlen(cfg->fields[i].name);
        if (strncmp(keys, cfg->fields[i].name, n) == 0 && strchr(" \t,", keys[n]) != NULL)
            return cfg->fields[i].name;
    }
    if (m->nfields > 0)
        return m->fields[0].field;
    for (size_t i = 0; i < cfg->nfields; i++)
        if (cfg->fields[i].type == FT_TEXT)
            return cfg->fields[i].name;
    return cfg->nfields > 0 ? cfg->fields[0].name : NULL;
}

const char *config_default_path(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("KASPARRO_CONFIG");

    if (env != NULL && *env != '\0')
        return env;
    snprintf(path, sizeof path, "%s/kasparro.conf", paths_share_dir());
    return path;
}
