/*
 * cmd.h — the command table: one entry per command, one file per command.
 *
 * The same entry serves `kasparro NAME ...` in a shell, `:NAME ...` in the
 * console, the console's key bindings (which are command strings), tab
 * completion, `kasparro help [NAME]` and the test that every command is in
 * kasparro(1). A command is a file cmd-NAME.c defining
 *
 *     const struct cmd_entry cmd_NAME_entry = { ... };
 *
 * and nothing else needs editing: the build collects the entries of every
 * src/LAYER/cmd-*.c (tools/gen-cmd-table.sh, which fails on a file that breaks
 * this convention). A command lives in the lowest layer that can run it:
 * src/cmd/ for most, src/tui/ for those that act on the console
 * (ctx->console), src/daemon/ for `daemon`; src/cmd/ never includes a layer
 * above it. Preconditions are flags the dispatcher checks
 * once (CMD_NEEDS_DB opens the database, CMD_LISTING adds --json); a
 * command's exec only does its work and writes its output through out.h.
 *
 * One idiom for returns: exec returns EXIT_OK, or -1 with the failure in
 * ctx->err — `return err_code(&ctx->err, EXIT_USAGE, "...")`, or `return -1`
 * after a call that filled ctx->err — and cmd_run() turns -1 into the
 * error's code (err_exit_code: 1 unless the error says 2, 3 or 4). A command
 * that fails without an error (EXIT_BUSY from a count) may return the code.
 * No path returns -1 to the shell as 255.
 */
#ifndef KASPARRO_CMD_H
#define KASPARRO_CMD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/err.h"

struct cmd_ctx;
struct cmd_args;
struct engine;
struct out_spans;

enum cmd_flags {
    CMD_NEEDS_CONFIG = 1 << 0, /* load the configuration first */
    CMD_NEEDS_DB = 1 << 1,     /* open the database first (implies config) */
    CMD_LISTING = 1 << 2,      /* has --json */
    CMD_CONSOLE_ONLY = 1 << 3, /* only meaningful inside the console */
    CMD_SHELL_ONLY = 1 << 4,   /* not offered on the console's ':' line */
    CMD_JSON = 1 << 5,         /* has --json though it is not a listing */
    CMD_USES_CONSOLE = 1 << 6, /* reads ctx->console when there is one: in the console it
                                  runs on the UI thread, like CMD_CONSOLE_ONLY commands */
    CMD_KEEPS_PLACEHOLDERS = 1 << 7, /* takes a command line run later (bind): the console
                                        leaves its {id}-style placeholders for then */
};

/* What an argument names, for tab completion. */
enum cmd_arg_kind {
    ARG_NONE, ARG_WORD, ARG_COMMAND, ARG_SOURCE, ARG_RUN, ARG_CANDIDATE, ARG_ENTITY,
    ARG_RECORD, ARG_DECISION, ARG_SCREEN,
    ARG_FILE,     /* a file name (an option's placeholder FILE says it too) */
    ARG_KEYTABLE, /* a key table: a screen's name, pager, global (bind --screen) */
    ARG_OBJECT,   /* what an audit entry is about: TYPE[:ID] (audit --object) */
};

struct cmd_opt {
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 when none */
    const char *arg;   /* NULL for a flag, else the placeholder ("N") */
    const char *doc;
    enum cmd_arg_kind kind;     /* what the value names, for completion */
    const char *const *choices; /* the words the value is one of (NULL-ended), or NULL:
                                   completion offers them, cmd_opt_choice checks them */
};

struct cmd_entry {
    const char *name;
    const char *alias;      /* or NULL */
    const char *usage;      /* after the name: "[--limit N] ID..." */
    const char *summary;    /* one line, lower case, no full stop */
    const struct cmd_opt *opts; /* ends with {0}; may be NULL */
    int min_args;
    int max_args;           /* -1: any number */
    int flags;
    enum cmd_arg_kind arg_kind;
    const char *const *subcommands; /* first-argument words, for completion; NULL-ended */
    int (*exec)(struct cmd_ctx *ctx, struct cmd_args *args);
};

struct cmd_args {
    int argc;               /* positional arguments */
    char **argv;
    const struct cmd_opt **opt;  /* parsed options, in order */
    char **val;                  /* their values (NULL for flags) */
    int nopts;
};

enum cmd_origin { ORIGIN_SHELL, ORIGIN_CONSOLE, ORIGIN_DAEMON };

struct cmd_ctx {
    struct config *cfg;       /* loaded by the dispatcher when needed */
    const char *config_path;
    bool owns_cfg;
    struct db *db;            /* opened by the dispatcher for CMD_NEEDS_DB */
    bool owns_db;
    FILE *out;                /* stdout in a shell; a buffer in the console */
    int width;                /* cells the reader sees (the console's); 0: ask
                                 stdout's terminal, if it is one */
    bool json;                /* --json */
    const char *actor;        /* who acts: the OS user, or "scheduler" */
    enum cmd_origin origin;
    struct engine *engine;    /* the running engine (console, daemon) or NULL */
    void *console;            /* the console, for console-only commands */
    struct out_spans *tables; /* set by a reader that asks where tables
                                 are printed (the console's pager); NULL */
    struct err err;
};

extern const struct cmd_entry *const cmd_table[];
extern const size_t cmd_count;

/* What a command is typed after where it runs, for messages that name a
 * command: "kasparro " in a shell (and the daemon's logs), "" on the
 * console's ':' line, where 'help' is typed, not 'kasparro help'. */
const char *cmd_prefix(enum cmd_origin origin);
/* In the console a command is typed without "kasparro ": drops it from the
 * hints ("'kasparro runs' lists them") that the layers below put in their
 * messages, which do not know where they are read. The dispatcher applies
 * it to a console command's error; the console to what the engine
 * publishes. */
void cmd_console_hints(char *msg);
/* A text the database keeps (a run's or a read's error), whose hints name
 * commands as a shell types them ('kasparro apply-deletes 12'), as it reads
 * where `origin` shows it: a copy, with cmd_console_hints in the console.
 * NULL for NULL; caller frees. */
char *cmd_stored_text(enum cmd_origin origin, const char *text);

/* Exact name, alias or unique prefix. NULL with a message when unknown or
 * ambiguous ("ambiguous command 'ap', could be: apply-deletes, approve");
 * an unknown one points at help as it is typed from `origin`. cmd_find is
 * cmd_lookup from the shell, for callers that do not show the message. */
const struct cmd_entry *cmd_lookup(const char *name, enum cmd_origin origin, struct err *err);
const struct cmd_entry *cmd_find(const char *name, struct err *err);

/* Parses argv (after the command name) into args. On a usage error returns
 * -1 with the message and the command's usage, as typed from `origin`, in
 * err (EXIT_USAGE). */
int cmd_parse_args(const struct cmd_entry *e, enum cmd_origin origin, int argc, char **argv,
                   struct cmd_args *args, bool *help, struct err *err);
void cmd_args_free(struct cmd_args *args);

/* Runs argv[0] with its arguments: lookup, parsing, preconditions, exec.
 * Returns the exit code (0-4, never negative); the message, if any, is in
 * ctx->err. */
int cmd_run(struct cmd_ctx *ctx, int argc, char **argv);
/* Splits a command line with shell-like quoting ('..', "..", \) and runs it.
 * Used by the console's ':' line and by key bindings. */
int cmd_run_line(struct cmd_ctx *ctx, const char *line);
/* Splits `line` into words; returns count or -1 (unterminated quote). */
int cmd_split_line(const char *line, char ***argv);
/* How a line cut at a cursor ends: inside a word (a blank escaped or
 * quoted is the word's), and the quote left open, or 0. */
struct cmd_split_end {
    bool in_word;
    char quote;
};
/* cmd_split_line, or with `end` a line cut at a cursor: a quote left open
 * ends the last word there instead of failing, and *end says how the line
 * ended. */
int cmd_split_words(const char *line, char ***argv, struct cmd_split_end *end);
/* cmd_split_line, and in *spans (NULL without words; the caller frees it)
 * where each word's raw form starts and ends in the line: (*spans)[2i] and
 * (*spans)[2i + 1]. */
int cmd_split_spans(const char *line, char ***argv, size_t **spans);
void cmd_free_argv(int argc, char **argv);

/* Loads config / opens the database into ctx if not done yet. */
int cmd_ctx_config(struct cmd_ctx *ctx);
/* Reads the configuration file again (the one ctx's came from); NULL with
 * err saying "reload: ...; keeping the running configuration". */
struct config *cmd_ctx_read_config(struct cmd_ctx *ctx, struct err *err);
/* Makes cfg (one read by cmd_ctx_read_config) ctx's, releasing the running
 * one. The caller hands ctx->cfg to the threads that hold their own
 * reference. True when cfg declares a field the running one did not: the
 * caller adds its column (the host, off its face's thread). */
bool cmd_ctx_use_config(struct cmd_ctx *ctx, struct config *cfg);
/* Adds the columns of ctx's [schema] fields that kasparro.records lacks, on
 * a connection of its own: what the daemon does at start, so that listings
 * and the HTTP API answer before the first run loads it. Commands get it
 * when they open the database. Waits for the table 2 s at most: false when
 * it was busy (logged; the daemon's host tries again). */
bool cmd_ctx_add_columns(struct cmd_ctx *ctx);
int cmd_ctx_db(struct cmd_ctx *ctx);
void cmd_ctx_release(struct cmd_ctx *ctx);

/* For completion: the option of `e` whose value follows `word` on a command
 * line, "--NAME" or "-N", when it takes one; else NULL. */
const struct cmd_opt *cmd_value_opt(const struct cmd_entry *e, const char *word);

/* For completion: each option word `e` takes ("--NAME", "--json" where it
 * has it, "--help"), as the parser accepts them, passed to `fn`. */
void cmd_option_words(const struct cmd_entry *e, void (*fn)(const char *word, void *arg),
                      void *arg);

/* Option access. */
const char *cmd_opt(const struct cmd_args *args, const char *name); /* last value */
bool cmd_flag(const struct cmd_args *args, const char *name);
/* The one wording of a bad option value, a usage error (exit 2): "option
 * '--NAME': " and what is wrong with it, as "'BAD' is not an order
 * (uncertainty, score)". Returns -1. */
int cmd_opt_error(struct err *err, const char *name, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* The one wording of a first argument that is none of a command's
 * subcommands (its entry's `subcommands`), a usage error (exit 2): "db:
 * unknown subcommand 'BAD' (status, start, stop, migrate)". Returns -1. */
int cmd_subcommand_error(struct err *err, const char *name, const char *const *subcommands,
                         const char *sub);
/* An option whose value is one of its table entry's `choices`: *out its
 * index, or `dflt` when the option is absent; any other value is a usage
 * error naming them all ("'x' is not WHAT (a, b)"). */
int cmd_opt_choice(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                   const char *what, int dflt, int *out);
/* A number as typed on a command line: digits, a '-' before them, for a
 * double a '.' and an exponent; not the blanks around it or the '+' that
 * parse_ll and parse_double take. */
bool cmd_parse_ll(const char *s, long long *out);
bool cmd_parse_double(const char *s, double *out);
/* Numeric options with a usage error naming the option on bad input. */
int cmd_opt_ll(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
               long long dflt, long long min, long long *out);
int cmd_opt_double(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                   double dflt, double min, double max, double *out);
/* --limit N (N >= 1) or --limit all (CMD_LIMIT_ALL, which SQL's LIMIT takes
 * as is); `dflt` when absent. */
#define CMD_LIMIT_ALL 9223372036854775807LL
int cmd_opt_limit(struct cmd_ctx *ctx, const struct cmd_args *args, long long dflt,
                  long long *out);
/* A point in time: ISO 8601 ("2026-11-28", "2026-11-28T10:00:00Z") or a
 * duration ago ("7d", "12h") from clock_now(). *out is 0 when the option
 * is absent. */
int cmd_opt_time(struct cmd_ctx *ctx, const struct cmd_args *args, const char *name,
                 double *out);
/* A positional id (positive integer) with an error naming what it is. */
int cmd_arg_id(struct cmd_ctx *ctx, const char *arg, const char *what, long long *out);
/* A record: its id, or SOURCE/ID as the source names it (looked up, live or
 * deleted). -1 with ctx->err: a usage error, or no such record. */
int cmd_arg_record(struct cmd_ctx *ctx, const char *arg, long long *out);
/* Why cmd_arg_record_why found no record, for a command that says more
 * about one case (restore: where deleted records are listed). */
enum cmd_record_miss {
    RECORD_MISS_NONE,      /* found, or the lookup itself failed (ctx->err says) */
    RECORD_MISS_NOT_A_NAME, /* neither an id nor SOURCE/ID: a usage error */
    RECORD_MISS_ID,        /* no record has this id, nor any source's record this own id */
    RECORD_MISS_SOURCE_ID, /* no record has this id, but a source's record has it as its own */
    RECORD_MISS_SOURCE_REC, /* SOURCE/ID: the source has no record with that id */
};
/* cmd_arg_record, and *why says which miss (RECORD_MISS_NONE otherwise). */
int cmd_arg_record_why(struct cmd_ctx *ctx, const char *arg, long long *out,
                       enum cmd_record_miss *why);
/* The source ids of SOURCE's records, live or deleted, that start with
 * `prefix`: the first `limit` in order, as a JSON array of strings (caller
 * frees); *more when others may follow. A bounded read (completion asks it
 * of a source that may hold millions). NULL with ctx->err on failure. */
cJSON *cmd_record_ids(struct cmd_ctx *ctx, const char *source, const char *prefix, int limit,
                      bool *more);
/* --source SOURCE as a filter: a configured source, or one that runs read
 * or records still carry (a source taken out of the configuration keeps its
 * history). Else a usage error naming the configured ones. *out is NULL
 * when the option is absent. */
int cmd_opt_source(struct cmd_ctx *ctx, const struct cmd_args *args, const char **out);
/* The same for another option naming a source (restore --retired). */
int cmd_opt_source_named(struct cmd_ctx *ctx, const struct cmd_args *args, const char *opt,
                         const char **out);
/* The check itself, for value `v` of option `opt` however it came (an
 * HTTP query parameter): 0 when known, else -1 with the usage error. */
int cmd_source_known(struct cmd_ctx *ctx, const char *opt, const char *v);
/* --run RUN as a filter: a run that exists (*out 0 when absent). A run id
 * that is no number is a usage error; one that no run has fails (exit 1)
 * naming it, as `held RUN` and `show-run` do. */
int cmd_opt_run(struct cmd_ctx *ctx, const struct cmd_args *args, long long *out);

/* In the console (ctx->engine): hands the run to the engine and says
 * "WHAT N started" once it has begun, or why it did not (busy, database
 * stopped, unknown source) with that failure's exit code. */
struct run_request;
int cmd_run_in_engine(struct cmd_ctx *ctx, const struct run_request *req, const char *what);

/* After a command changed which records are live (restore, apply-deletes):
 * bring entities up to date now rather than at the next run. The change is
 * already committed, so a failure here is only a warning; the next run's
 * matching pass catches up. */
void cmd_rematch(struct cmd_ctx *ctx);

/* approve / reject ID...: the candidates of one command line as one
 * decision (src/cmd/decide.c). */
int cmd_decide(struct cmd_ctx *ctx, struct cmd_args *args, bool approve);

/* The usage line: "usage: kasparro NAME USAGE" (in the console: "usage:
 * NAME USAGE"). */
void cmd_usage(const struct cmd_entry *e, enum cmd_origin origin, FILE *out);
void cmd_print_help(const struct cmd_entry *e, enum cmd_origin origin, FILE *out);
/* The options cmd_print_help lists, as `help --json` gives them: an array
 * of {"name": "--limit", "short": "-l" or null, "arg": "N" or null,
 * "doc": ...}, --json last where the command takes it. */
cJSON *cmd_opts_json(const struct cmd_entry *e);

#endif
