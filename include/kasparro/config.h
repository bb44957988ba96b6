/*
 * config.h — the configuration: unified schema, sources, matching, scheduler,
 * retention and the delete guard, read from one INI file with inih.
 *
 * Precedence (DESIGN §8): command-line flags > environment > .env > file >
 * defaults; this module handles the file and the defaults, env.h the
 * environment. Every key lives in one table (config_keys), which the parser,
 * the "did you mean" suggestions and the documentation test all read, so
 * kasparro.conf(5) can never fall behind. Errors name file:line:
 *   config 'kasparro.conf' line 12: unknown key 'treshold' in [matching]
 *   (did you mean 'threshold'?)
 * Secrets are never literal in the file: a source names the environment
 * variable that holds its header (auth_header_env).
 */
#ifndef KASPARRO_CONFIG_H
#define KASPARRO_CONFIG_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kasparro/err.h"

enum field_type { FT_TEXT, FT_INTEGER, FT_NUMBER, FT_BOOLEAN, FT_TIMESTAMP, FT_URL };

/* A field is a column of kasparro.records, and PostgreSQL keeps the first
 * 63 bytes of a column's name (NAMEDATALEN - 1): a longer field name is
 * refused, never cut. */
#define CONFIG_FIELD_NAME_MAX 63

struct schema_field {
    char *name;
    enum field_type type;
    bool required; /* a record without it is quarantined */
    int line;
};

enum source_kind { SRC_HTTP_JSON, SRC_CSV };
enum pagination { PAGE_NONE, PAGE_PAGE, PAGE_OFFSET, PAGE_CURSOR, PAGE_LINK };
enum sync_mode { SYNC_FULL, SYNC_INCREMENTAL };
enum csv_encoding { ENC_UTF8, ENC_LATIN1, ENC_CP1252 };
/* http_json: what a record array that is null means */
enum null_records { NULL_RECORDS_ERROR, NULL_RECORDS_EMPTY };
/* [kasparro] clipboard: how the console's y copies an id. */
enum clipboard_mode { CLIPBOARD_OSC52, CLIPBOARD_OFF };

/* [kasparro] color.ELEMENT = FOREGROUND [BACKGROUND] [ATTRIBUTE...]: how the
 * console draws one element. The elements are named in config_color_names,
 * in the order of the console's own list of them. */
#define CONFIG_NCOLORS 15
enum color_attr { COLOR_ATTR_BOLD = 1, COLOR_ATTR_UNDERLINE = 2, COLOR_ATTR_REVERSE = 4,
                  COLOR_ATTR_DIM = 8 };
struct color_spec {
    bool set;
    short fg, bg;   /* -1: the terminal's default; 0-255: a colour number */
    unsigned attrs; /* enum color_attr bits */
    int line;
};
extern const char *const config_color_names[CONFIG_NCOLORS];
/* Parses a color.ELEMENT value; -1 with why when it is not one. */
int config_color_parse(const char *value, struct color_spec *out, char *why, size_t len);

/* map.SOURCE_FIELD = UNIFIED_FIELD; SOURCE_FIELD is a dotted path into JSON. */
struct field_map {
    char *from;
    char *to;
    int line;
};

struct source_cfg {
    char *name;
    int line; /* of the [source NAME] header */
    int name_at; /* where the name begins in the header's text: 7 after "source " */
    enum source_kind kind;
    bool kind_given; /* kind has no default: a csv source without it would read as http_json */
    bool enabled;
    char *url;      /* http_json: URL template ({page} {offset} {limit} {cursor}); file:// works */
    char *path;     /* csv: file path, relative to the config file's folder */
    int path_line;  /* of the path key (the section's when it has none) */
    int auth_env_line; /* of the auth_header_env key, likewise */
    char *id_field; /* source field holding the record id */
    struct field_map *maps;
    size_t nmaps;
    struct field_map *formats; /* format.FIELD = strptime pattern (from = field) */
    size_t nformats;
    enum sync_mode sync;
    char *cursor_field;      /* incremental: unified field whose maximum is the cursor */
    long long full_sync_every; /* incremental: seconds between full syncs (0 never) */
    double max_error_ratio;  /* < 0: use [kasparro] error_ratio */
    double max_delete_ratio; /* < 0: use [deletes] max_ratio */

    /* http_json */
    char *records_path; /* dotted path to the record array; empty: the body is the array */
    enum null_records null_records;
    enum pagination pagination;
    char *page_param, *size_param, *offset_param, *limit_param, *cursor_param, *since_param;
    long page_size;
    long start_page;
    long max_pages;     /* 0: no limit */
    char *cursor_path;  /* cursor: path of the next cursor in the response */
    char *total_path;   /* page/offset: path of the total record count, when the API gives it */
    char *pages_path;   /* page: path of the total page count */
    char *has_more_path;
    char *auth_header_env;  /* NAME of the variable holding the header value */
    char *auth_header;      /* header name, default Authorization */
    char *ca_file;          /* extra CA bundle; verification is always on */
    double rate_limit;      /* requests per second, 0 unlimited */
    long burst;
    long connect_timeout_ms;
    long timeout_ms;
    long long max_body;
    int retries;
    long retry_base_ms;
    long retry_max_ms;      /* cap on one wait, Retry-After included */
    long retry_deadline_ms; /* no retry later than this after a request's first attempt */
    int concurrency;        /* pages in flight */

    /* csv */
    char delimiter;
    char quote;
    bool header;
    char *columns;          /* without a header row: comma-separated names */
    enum csv_encoding encoding;
    bool strip_bom;
    bool trim;

    bool unique; /* lists each real-world thing once: matches at most one record of
                    each other unique source */
    uint64_t load_digest; /* its section's lines, chained (config_source_digest) */
};

struct match_field {
    char *field;
    char *comparator; /* one of match_comparators, optionally ":TOLERANCE" */
    int line;
};

#define MATCH_MAX_FIELDS 16 /* compare.FIELD keys, and fields compared by default */
#define MATCH_MAX_KEYS 16   /* blocking keys */

/* The comparator names compare.FIELD accepts, NULL-terminated. */
extern const char *const match_comparators[];

/* One blocking key: parts joined by '+', each FIELD[:FUNC] (config_match.c). */
enum block_fn { BK_VALUE, BK_PREFIX, BK_SUFFIX, BK_SORTED, BK_TOKENS, BK_DAY, BK_YEAR };

struct block_part {
    const char *field; /* the [schema] field's name */
    enum block_fn fn;
    int n;             /* prefixN, suffixN, sortedN */
};

#define BLOCK_MAX_PARTS 4

struct block_key {
    struct block_part parts[BLOCK_MAX_PARTS];
    int nparts;
};

struct match_cfg {
    bool enabled;
    char *key_fields;        /* exact-stage fingerprint fields, comma separated */
    struct match_field *fields;
    size_t nfields;
    char *blocking;          /* blocking keys, comma separated */
    double auto_threshold;   /* >= merges automatically */
    double review_threshold; /* >= goes to the confidence queue */
    double review_budget;    /* share of the records an operator reviews; 0: auto as set */
    bool within_source;      /* also match records of the same source; not given:
                              * yes when one source, not unique, is declared */
    double prior;            /* prior match probability; 0: estimate */
    int em_iterations;
    bool tf_adjust;
    char *title_field;       /* the field entities are titled by (default: first key field) */
    long max_block;          /* larger blocks are compared by sorted neighbourhood */
    char *url_tracking_params; /* query parameters a url field is compared without; NULL:
                                * match_tracking_default */

    /* checked and resolved against [schema] when the file is loaded */
    struct block_key *block_keys; /* parsed `blocking`; none: derived from the data */
    size_t nblock_keys;
    const char **key_names;       /* parsed `key_fields` ([schema] names) */
    size_t nkey_names;
    char **tracking;              /* parsed `url_tracking_params`, NULL-terminated; "name*"
                                   * a prefix */
    int blocking_line, key_fields_line, title_field_line, within_source_line;
    int url_tracking_params_line, review_line;
};

#define MATCH_MAX_TRACKING 64 /* url_tracking_params entries */

/* The query parameters that track a visit rather than name a page, when
 * [matching] url_tracking_params is not given: campaign tags and the
 * click ids advertising and mail platforms append. NULL-terminated. */
extern const char *const match_tracking_default[];

/* [http]: the HTTP API (src/http, httpd.h). Paths are relative to the
 * configuration file's folder. */
struct http_cfg {
    char *listen;            /* "127.0.0.1:8000", "[::1]:8000", "off"; NULL: the face decides */
    int listen_line;         /* where the file says it (0: it does not) */
    char *viewer_keys_env;   /* names of variables holding viewer keys, comma separated */
    char *operator_keys_env; /* ... operator keys */
    char *key_file;          /* lines "NAME ROLE sha256:HEX" */
    char *open;              /* routes served without a key: "/health, /metrics" */
    char *tls_cert, *tls_key;
    long long max_body;
    long max_connections;
    long max_connections_per_client; /* from one address at once */
    long long timeout_s;
    long threads;
    bool access_log;
};

/* The routes [http] open may serve without a key. */
#define CONFIG_HTTP_NOPENABLE 3
extern const char *const config_http_openable[CONFIG_HTTP_NOPENABLE];
bool config_http_is_openable(const char *path);
/* Checks the [http] value `key` was just given (config_http.c): -1 with
 * why when the HTTP server would refuse it. */
struct config;
int config_http_check(const struct config *cfg, const char *key, char *why, size_t len);
/* Checks the [http] keys that only work together, once the file is read:
 * -1 with the key given (`*key`, for its line) and why. */
int config_http_check_all(const struct config *cfg, const char **key, char *why, size_t len);

/* [anomaly]: when a run's numbers differ enough from the previous run's. */
struct anomaly_cfg {
    double count_change;     /* relative change of a count, 0.5 = 50% */
    double duration_factor;  /* duration above this many times the recent median */
    long min_count;          /* counts below this on both sides never flag */
    long duration_runs;      /* how many earlier runs the median is taken over */
};

/* [kasparro] workers: each holds a database connection of its own. */
#define CONFIG_MAX_WORKERS 64
/* The {NAME} placeholders of an http_json url, in this order: page, offset,
 * limit, cursor, since, dir (the loader pairs them with values; config
 * check refuses any other {word}). */
#define CONFIG_URL_PLACEHOLDERS 6
extern const char *const config_url_placeholders[CONFIG_URL_PLACEHOLDERS];

struct config {
    atomic_int refs; /* config_ref / config_free */
    char *path; /* NULL when only defaults */
    char *dir;  /* folder relative paths resolve against */
    uint64_t load_digest; /* the lines every source loads by, chained (config_digest.c) */

    /* [kasparro] */
    char *log_level;
    char *log_file;
    double error_ratio;
    long batch_size;
    long workers;            /* threads loading sources at once (work.h) */
    char *history_file;
    int clipboard; /* enum clipboard_mode */
    bool mouse;    /* the console takes clicks and the wheel */
    struct color_spec colors[CONFIG_NCOLORS]; /* color.ELEMENT, by config_color_names */

    struct schema_field *fields;
    size_t nfields;
    struct source_cfg *sources;
    size_t nsources;
    struct match_cfg match;

    /* [scheduler] */
    bool sched_enabled;
    char *cron;
    char *timezone;
    long long grace_s;
    bool coalesce;
    long long jitter_s;

    /* [retention] */
    long long retention_s;
    long purge_batch;
    bool purge_after_run;

    /* [deletes] */
    double max_delete_ratio;
    bool delete_on_empty;

    struct http_cfg http;
    struct anomaly_cfg anomaly;
};

/* One documented key. `section` is "kasparro", "schema", "source", ...; a
 * name ending in ".*" ("map.*") takes any suffix, "*" any name. */
struct config_key {
    const char *section;
    const char *name;
    int kind;          /* how the value is parsed (config.c) */
    size_t off;        /* where it is stored */
    const char *enums; /* the accepted words, "a|b|c", for enumerations */
    const char *doc;
};
extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* Loads `path` (NULL: defaults only) into a new config. Every line is
 * checked: err holds the first wrong one and how many more there are. */
struct config *config_load(const char *path, struct err *err);
struct buf;
/* The same, and every wrong line of a refused file, one per line of `all`
 * (config check lists them from the one pass); with more than one, err
 * says how many. */
struct config *config_load_listing(const char *path, struct err *err, struct buf *all);
/* Defaults with no file (for commands that need none). */
struct config *config_defaults(void);
/* Configurations are shared by threads (the engine keeps the one it runs
 * with while the console reloads): config_ref takes a reference, config_free
 * drops one and frees on the last. The count is atomic; taking a reference
 * changes it, so whoever keeps one holds a `struct config *` (a function
 * that only reads a configuration takes `const struct config *`). */
struct config *config_ref(struct config *cfg);
void config_free(struct config *cfg);

/* What ingesting needs: a [schema] field and a source. -1 with a usage
 * error that says what is missing (for run, daemon, config check). */
int config_require_ingest(const struct config *cfg, struct err *err);

/* What `config check` warns of for source `s` (config_files.c): an enabled
 * csv source whose file is not there, is a folder or cannot be read, with
 * the path key's line; an enabled API whose auth_header_env variable is not
 * set here, with that key's line; NULL when all is well. The caller frees
 * it. */
char *config_source_warning(const struct config *cfg, const struct source_cfg *s);

const struct source_cfg *config_source(const struct config *cfg, const char *name);
/* The bytes of s's name older kasparro kept: inih kept 49 bytes of a
 * section header's text, "source" and the blanks after it included
 * (name_at), so "[source NAME]" kept 42 and "[source   NAME]" 40. */
size_t config_source_old_len(const struct source_cfg *s);
/* The first configured source but `except` (may be NULL) that older
 * kasparro would have stored under `stored`, its name cut to
 * config_source_old_len; NULL when none. */
const struct source_cfg *config_source_cut(const struct config *cfg, const char *stored,
                                          const struct source_cfg *except);
/* The same, or NULL with a usage error that suggests the nearest name. */
const struct source_cfg *config_source_find(const struct config *cfg, const char *name,
                                            struct err *err);
const struct schema_field *config_field(const struct config *cfg, const char *name);

/* What a source loads by, as 16 hex digits (config_digest.c): its own
 * section's lines, the schema's, the delete guard's and error_ratio, its
 * file's resolved path. Two processes whose digests differ for a source
 * would load it differently; a run's workers load only the sources whose
 * digest is the run's (work.c). */
#define CONFIG_DIGEST_LEN 17
void config_source_digest(const struct config *cfg, const struct source_cfg *src,
                          char out[CONFIG_DIGEST_LEN]);
/* Chains one line of section kind `kind` into the digest it belongs to, if
 * any (the parser calls it for every line it takes). */
void config_digest_line(struct config *cfg, struct source_cfg *src, const char *kind,
                        const char *key, const char *value);
int config_field_index(const struct config *cfg, const char *name);
/* The field that titles a record wherever one is shown (entities, the
 * queue, deleted and held records): [matching] title_field, else the first
 * key field, else the first compared field, else the first text field,
 * else the first field; NULL when the schema is empty. */
const char *config_title_field(const struct config *cfg);
const char *field_type_name(enum field_type type);
/* The SQL type of its column ("bigint", "timestamp with time zone", ...). */
const char *field_sql_type(enum field_type type);
const char *source_kind_name(enum source_kind kind);
/* The name a character key accepts for `c` ("comma", "tab"), or NULL. */
const char *config_char_name(char c);
const char *pagination_name(enum pagination p);
/* Whether pages can be asked for before the one before them has come back:
 * numbered pages and offsets; a cursor or a link names the next page. */
bool pagination_ahead(enum pagination p);
struct buf;
/* How `src` reads, in words: a CSV source's delimiter, encoding and header,
 * an API's paging, rate limit, retries, timeout and credential variable. */
void config_source_describe(const struct source_cfg *src, struct buf *b);
/* The encoding a name says, as encoding = and an HTTP charset write it
 * ("utf-8", "latin1", "ISO-8859-1", "cp1252", "windows-1252", any case);
 * -1 for none of kasparro's. */
int config_encoding_named(const char *name);

/* The checks that weigh lines together report each mistake here and go
 * on, so one pass names every one: `add` gets the line a mistake names (0
 * for none) and its message; `n` counts them. */
struct config_faults {
    void (*add)(void *arg, int line, const struct err *e);
    void *arg;
    int n;
};
/* Reports one mistake (file and line already in its message) and returns -1. */
int config_fault(struct config_faults *f, int line, struct err *e);
/* Reports one mistake as "config 'FILE' line LINE: WHAT<message>" ("config
 * 'FILE': ..." when line <= 0), cut on a whole character; returns -1. */
int config_faultv(struct config_faults *f, const char *file, int line, const char *what,
                  const char *fmt, va_list ap) PRINTF_LIKE(5, 0);

/* [matching] against [schema] (config_match.c, called by config_load):
 * remembers the lines of keys checked later, checks (each mistake into
 * `f`; -1 when there was one), frees. */
void config_match_line(struct match_cfg *m, const char *key, int line);
int config_check_matching(struct config *cfg, const char *file, struct config_faults *f);
void config_match_free(struct match_cfg *m);

/* Resolves the config path: -c, KASPARRO_CONFIG, then the installed default. */
const char *config_default_path(void);

#endif
