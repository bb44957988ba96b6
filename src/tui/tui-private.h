/*
 * tui-private.h — what the console's files share (src/tui/ only).
 *
 * The console is one UI thread, a face on the host (host.h: the engine,
 * the scheduler, the LISTEN connection, signals, reload, the stop order),
 * plus helpers that never touch curses:
 *
 *   worker.c   the command worker thread: runs command lines on its own
 *              database connection, hands finished jobs back (wake pipe)
 *   logq.c     the log sink: any thread's log lines, queued for the UI
 *
 * and on the UI thread, through the worker:
 *
 *   elsewhere.c the run another process carries, read on its news
 *
 * and the UI thread's parts, which do:
 *
 *   ui.c       the poll loop, dispatch of command lines, redraw once
 *   input.c    keys from the terminal or a script, in one queue
 *   script.c   the non-interactive driver (--script)
 *   paint.c    attributes (colour or monochrome) and width-aware text
 *   keys.c     key names and the key tables (bindings are command strings)
 *   prompt.c   GNU readline in callback mode, fed by ncurses
 *   complete.c Tab on the command line: the console's words for cmd_complete
 *   list.c     the list widget: rows are JSON objects from --json commands
 *   marks.c    marks (Space): the rows an action applies to at once
 *   pager.c    the overlay for multi-line output and help
 *   detail.c   a record in full in the pager, with keys that act on it
 *   status.c   the tab bar, the status line and the message line
 *   screen.c   screen switching, loading screen data through the worker
 *   screen-*.c one file per screen
 */
#ifndef KASPARRO_TUI_PRIVATE_H
#define KASPARRO_TUI_PRIVATE_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "kasparro/buf.h"
#include "kasparro/cmd.h"
#include "kasparro/db.h"
#include "kasparro/engine.h"
#include "kasparro/host.h"
#include "kasparro/log.h"
#include "kasparro/out.h"
#include "kasparro/progress.h"
#include "kasparro/sched.h"
#include "kasparro/screens.h"
#include "kasparro/tui.h"

struct tui;

/* ---- worker.c ------------------------------------------------------- */

struct job;
typedef void (*job_done_fn)(struct tui *t, struct job *j);

enum job_flags {
    JOB_JSON = 1 << 0,  /* parse the output as JSON into j->json */
    JOB_RETRY = 1 << 1, /* a read: run again once after a lost connection */
    /* `arg` is the caller's allocation, freed by its done callback: a job
     * the console quits before delivering frees it with free() instead */
    JOB_OWNS_ARG = 1 << 2,
    /* the operator's command (a decision, an export): `quit` lets it
     * finish, or says it did not */
    JOB_ASKED = 1 << 3,
};

struct job {
    char *line;
    /* instead of running `line`: a read on the worker's context that
     * fills rc, err and json itself (line then only names it) */
    void (*fn)(struct cmd_ctx *ctx, struct job *j);
    int flags;
    job_done_fn done; /* on the UI thread; NULL: show the output */
    void *arg;
    long long tag;
    int width; /* the screen's when asked: the output's layout */
    /* filled by the worker */
    int rc;
    char *out;
    struct out_spans tables; /* where out holds tables (the pager cuts them) */
    cJSON *json;
    struct err err;
    struct job *next;
};

struct worker;
/* `proto` gives the configuration, engine and actor; the worker opens its
 * own database connection on first use. */
struct worker *worker_start(const struct cmd_ctx *proto, int wake_fd);
void worker_submit(struct worker *w, const char *line, int flags, job_done_fn done, void *arg,
                   long long tag);
/* A job that runs fn(ctx, job) on the worker, `what` naming it. */
void worker_submit_fn(struct worker *w, const char *what, void (*fn)(struct cmd_ctx *, struct job *),
                      job_done_fn done, void *arg);
/* The screen's width, for the text of the commands asked from now on. */
void worker_set_width(struct worker *w, int cells);
/* Finished jobs, oldest first (a list through ->next); free with job_free. */
struct job *worker_take_done(struct worker *w);
void job_free(struct job *j);
/* The bytes of j->line that are the operator's command (without the
 * " --json" a followed command was asked with). */
int job_command_len(const struct job *j);
int worker_pending(struct worker *w);
/* The command line running now, or "" (also for a read of its own, fn) */
void worker_current(struct worker *w, char *buf, size_t len);
/* The configuration the next jobs run with (the worker takes a reference). */
void worker_set_config(struct worker *w, struct config *cfg);
/* The operator's commands (JOB_ASKED) not yet done, and the first's line
 * (its command) into buf. */
int worker_asked(struct worker *w, char *buf, size_t len);
/* Stops the worker: the command running has its statement cancelled, the
 * queued ones never run. `undone` hears of each of the operator's that
 * was not delivered: `ran` when it ran (its rc and err say how it ended:
 * cancelled, or done just before), else it never started. */
void worker_stop(struct worker *w, void (*undone)(const struct job *j, bool ran, void *arg),
                 void *arg);

/* ---- logq.c --------------------------------------------------------- */

struct log_entry {
    double time;
    enum log_level level;
    long long run_id;
    char *source;
    char *msg;
    struct log_entry *next;
};
struct logq;
struct logq *logq_new(int wake_fd);
/* The log sink (log_set_sink(logq_sink, q)); safe from any thread. */
void logq_sink(const struct log_line *line, void *arg);
struct log_entry *logq_take(struct logq *q);
void log_entry_free(struct log_entry *e);
void logq_free(struct logq *q);

/* ---- paint.c -------------------------------------------------------- */

enum paint_attr {
    PA_NORMAL,
    PA_TAB,
    PA_TAB_ACTIVE,
    PA_STATUS,
    PA_STATUS_BAD,
    PA_HEADER,
    PA_SELECTED,
    PA_DIM,
    PA_GOOD,
    PA_BAD,
    PA_WARN,
    PA_DIFF,
    PA_MATCH,
    PA_BAR,
    PA_TITLE,
    PA_COUNT
};
void paint_init(void);
/* The configuration's color.ELEMENT lines; again after a reload. */
void paint_theme(const struct config *cfg);
bool paint_color(void);
int paint_attr(enum paint_attr a);
/* Draws s at (y, x) in at most w cells after skipping `skip` cells, cut
 * with "…" when longer; returns the cells drawn. */
int paint_text(int y, int x, int w, const char *s, enum paint_attr a);
int paint_text_skip(int y, int x, int w, const char *s, size_t skip, enum paint_attr a);
int paint_textf(int y, int x, int w, enum paint_attr a, const char *fmt, ...) PRINTF_LIKE(5, 6);
/* `text` over at most `max` rows of `w` cells, wrapped between words; the
 * last row is cut at the edge. Rows used (1 for ""); with y < 0 only
 * counted. */
int paint_wrap(int y, int x, int w, int max, const char *text, enum paint_attr a);
/* Blanks w cells in attribute a. */
void paint_fill(int y, int x, int w, enum paint_attr a);
/* Left text padded to w cells (right-aligned when right). */
void paint_cell(int y, int x, int w, const char *s, bool right, enum paint_attr a);
/* [#####-----] for a fraction in 0..1. */
void paint_bar(int y, int x, int w, double frac);
/* A sparkline: n cells from x, each v[i]'s height in eighths of max (0 a
 * blank, a negative value "not known"), in attribute a[i]. */
void paint_spark(int y, int x, const double *v, const enum paint_attr *a, int n, double max);

/* ---- mouse.c -------------------------------------------------------- */

/* Asks the terminal for mouse events, or stops, as [kasparro] mouse says. */
void mouse_apply(struct tui *t);
/* A KEY_MOUSE: a click on the focused list's row selects it, the wheel
 * moves the selection (or scrolls the pager). */
void mouse_key(struct tui *t);

/* ---- keys.c --------------------------------------------------------- */

struct binding {
    int key;
    char *command;
    char *note;
};
struct keytable {
    char *name; /* "global", "pager" or a screen's name */
    struct binding *b;
    size_t n;
};
struct keys {
    struct keytable *tables;
    size_t n;
};
extern const char *const keys_defaults[]; /* "bind ..." command strings, NULL-ended */
/* Key names: "a", "A", "Enter", "Tab", "BTab", "Escape", "Space", "Up",
 * "PgDn", "Home", "F1", "C-r" ... -1 when unknown. */
int key_parse(const char *name);
const char *key_label(int key, char *buf, size_t len);
bool keys_table_known(const char *table);
const struct binding *keys_lookup(const struct keys *k, const char *table, int key);
void keys_set(struct keys *k, const char *table, int key, const char *command, const char *note);
bool keys_unset(struct keys *k, const char *table, int key);
const struct keytable *keys_table(const struct keys *k, const char *table);
void keys_free(struct keys *k);

/* ---- list.c --------------------------------------------------------- */

enum list_col_flags {
    LC_RIGHT = 1 << 0,
    LC_FLEX = 1 << 1,
    LC_TIME = 1 << 2, /* an ISO 8601 time from --json, shown "YYYY-MM-DD HH:MM:SS" */
    /* left out of a list too wide for its pane, rank by rank (COL_RANK) as
     * the shell's tables leave their COL_OPTIONAL columns (out_cols_drop),
     * until the flexible columns keep room to say what they are about */
    LC_OPTIONAL = COL_OPTIONAL,
    /* a cut keeps the cell's last clause, as the shell's COL_KEEPS_END
     * columns do (out_fit_end): a held read's "'apply-deletes 4' or ..." */
    LC_KEEPS_END = COL_KEEPS_END,
    /* never narrower than its declared width, whatever the rows hold: a
     * count that grows (a run in progress) moves no column sideways until
     * it outgrows that */
    LC_STEADY = 1 << 14,
    /* as LC_STEADY where that leaves no column out, else as wide as its
     * widest cell: at 80 columns TRIGGER is worth more than UPD's room
     * for digits it may never need */
    LC_ROOMY = 1 << 15,
    /* a name-like id (an entity's key, up to 44 cells) that shares the
     * room with the flexible columns: never more than half of what the
     * others leave them both, nor less than its declared width; a longer
     * value is cut in its middle, its end ("-001") kept. (Else at 80
     * columns the key took 40 cells and the title the rest.) */
    LC_SHARES = 1 << 13,
};

struct list_col {
    const char *key; /* field of the row object */
    const char *title;
    int width; /* cells; LC_FLEX columns share what is left */
    int flags;
    /* optional: the text of the cell, and its attribute */
    void (*format)(const cJSON *row, char *buf, size_t len);
    enum paint_attr (*attr)(const cJSON *row);
};

struct list {
    const struct list_col *cols;
    int ncols;
    const char *id_key; /* keeps the selection on the same row across reloads */
    const char *empty;  /* shown when there are no rows */
    cJSON *all;         /* the rows as loaded: an array of objects; owned */
    /* the rows shown: `all`, or while a text filter or an order is set, a
     * view of it (an array of references to its objects; owned) */
    cJSON *rows;
    int n, sel, top;
    int height;     /* rows shown at the last draw (for page moves) */
    char *filter;   /* the text filter as typed, or NULL */
    int sort_col;   /* the column the view is ordered by; -1: as loaded */
    bool sort_desc;
    bool own_rows;  /* the screen changes `rows` itself (Log): no view */
    bool markable;  /* Space marks its rows (marks.c) */
    cJSON *marks;   /* the marked rows' ids, as an object's keys; or NULL */
    int rows_y, rows_x, rows_w; /* where the last draw put the first row */
};
void list_init(struct list *l, const struct list_col *cols, int ncols, const char *id_key,
               const char *empty);
/* Takes `rows` (an array, or NULL for none); keeps the selected id. */
void list_set_rows(struct list *l, cJSON *rows);
const cJSON *list_selected(const struct list *l);
/* Selects the row whose id_key field reads `id`; false when none does. */
bool list_select(struct list *l, const char *id);
/* Moves *pos by `how` (up, down, page-up, page-down, top, bottom) within
 * 0..last, a page being `shown` rows; false when `how` is unknown. */
bool move_step(const char *how, int *pos, int shown, int last);
/* The same for the selection (left and right do nothing in a list). */
bool list_move(struct list *l, const char *how);
/* Next row (from the selection, wrapping) whose cells contain text,
 * case-insensitively; false when none does. */
bool list_search(struct list *l, const char *text, bool backward);
/* Shows only the rows one of whose cells contains `text` (case and accents
 * ignored), over every row loaded; NULL or "" shows all again. */
int list_filter(struct list *l, const char *text, struct err *err);
/* Orders the rows by a column, named by its title or key (the same again:
 * the other way round), or without one the next in turn: each column up,
 * then down, then the order as loaded. */
int list_sort(struct list *l, const char *column, struct err *err);
void list_draw(struct list *l, int y, int x, int h, int w);
/* Selects the row drawn at screen cell (y, x); false when none is there. */
bool list_click(struct list *l, int y, int x);
void list_free(struct list *l);
/* A JSON value as cell text: strings as they are, integers without a
 * fraction, booleans yes/no, null "-". */
const char *json_text(const cJSON *v, char *buf, size_t len);

/* ---- tilde.c -------------------------------------------------------- */

/* The line with "~" and "~USER" at the start of its path arguments (as
 * e's table marks them) expanded as a shell would. Allocated. */
char *tilde_expand_line(const struct cmd_entry *e, const char *line);

/* ---- marks.c -------------------------------------------------------- */

/* The rows an action applies to at once, by id; kept across reloads for
 * the rows still loaded (list_set_rows prunes the others). */
int list_marks_count(const struct list *l);
bool list_marked(const struct list *l, const cJSON *row);
void list_marks_prune(struct list *l);
void list_marks_clear(struct list *l);
/* Cells the mark column takes (0 while nothing is marked), and one cell of
 * it (row NULL: the header). */
int list_marks_gutter(const struct list *l);
void list_mark_draw(const struct list *l, const cJSON *row, int y, int x, bool selected);
/* " · 3 marked" for a headline, or "". */
const char *list_marks_text(const struct list *l, char *buf, size_t len);

/* ---- pager.c -------------------------------------------------------- */

struct pager {
    char *title;
    char **lines;
    int n;
    /* rows on screen: line row_line[r], row_len[r] bytes from byte
     * row_off[r], drawn row_indent[r] cells in (a wrapped line's hanging
     * indent); top is a row */
    int *row_line;
    size_t *row_off, *row_len;
    int *row_indent;
    /* per line: a table's, the cell at which its last column begins
     * (wrapped under it when it begins in the first half, else cut at the
     * edge); -1 for other lines */
    int *table_col;
    int nrows, rows_w; /* rows_w: the width they wrap at, -1 unwrapped */
    int top, xoff, height;
    /* a detail view (detail.c): its key table, tried before the pager's,
     * and the values of the placeholders its keys use ({record}, ...) */
    const char *keys;
    cJSON *subject;
    /* a detail whose key asked first (a question, a reason): it stays open
     * until the answer, which closes it when its command goes ahead */
    bool closes_on_answer;
    /* the detail this pager opened over (? in a record, help): closing
     * this one shows it again; NULL: the screen */
    struct pager *under;
};
/* tables: where text holds tables (out.h), whose lines wrap only under
 * their last column, else are cut at the pane's edge; NULL: none. */
struct pager *pager_new(const char *title, const char *text, const struct out_spans *tables);
/* A placeholder's value in a detail's subject; NULL when it has none. */
const char *pager_field(const struct pager *p, const char *name);
void pager_draw(struct pager *p, int y, int x, int h, int w);
bool pager_move(struct pager *p, const char *how);
bool pager_search(struct pager *p, const char *text, bool backward);
void pager_free(struct pager *p);

/* ---- prompt.c ------------------------------------------------------- */

void prompt_init(struct tui *t, const char *history_path);
void prompt_done(void);
bool prompt_active(void);
/* Opens the line; `on_answer` gets the line (NULL when cancelled). */
void prompt_open(const char *prompt, const char *initial, bool history,
                 void (*on_answer)(struct tui *t, const char *line, void *arg), void *arg);
/* One key from ncurses (a byte of UTF-8 text or a KEY_* code); `more`
 * returns the next pending byte or -1, for whole UTF-8 sequences. */
void prompt_key(int key, int (*more)(void *arg), void *more_arg);
/* The open prompt's answer completes as if typed after these `len` bytes
 * of a command line (a template's text before its %%): "split KEY ". */
void prompt_set_context(const char *before, size_t len);
const char *prompt_context(void);
void prompt_cancel(void);
/* Draws the line at row y and leaves the cursor where readline's point is. */
void prompt_draw(int y, int w);

/* ---- complete.c ----------------------------------------------------- */

void complete_init(struct tui *t);
void complete_done(void);
/* readline's attempted-completion function. */
char **complete_line(const char *text, int start, int end);
/* Candidates shown after an ambiguous Tab, as one message line. */
void complete_show(char **matches, int n, int max_len);

/* ---- screen.c and screen-*.c ---------------------------------------- */

/* The screens in tab order, one row each: its enum, its name (`screen
 * NAME`, `bind -s NAME`, its key table, completion) and its tab's title;
 * its ops are screen_NAME_ops. The tab bar, `screen` and its usage, the key
 * tables, `kasparro keys` and so the Keys list of kasparro(1)
 * (tools/man-keys.sh, checked by tests/console/man.sh) all read this one
 * table, kept below the console so that the shell's completion reads it
 * too: adding a screen is adding its row and its screen-NAME.c. */
#define TUI_SCREENS(X) KASPARRO_SCREENS(X) /* kasparro/screens.h */

#define SCREEN_ENUM(id, name, title) SCREEN_##id,
enum screen_id { TUI_SCREENS(SCREEN_ENUM) NSCREENS };
#undef SCREEN_ENUM

struct screen;
struct screen_ops {
    void (*init)(struct screen *s);
    void (*free)(struct screen *s);
    void (*draw)(struct screen *s, int y, int x, int h, int w);
    /* submit the jobs that load the screen (screen_load) */
    void (*load)(struct screen *s);
    /* optional */
    void (*enter)(struct screen *s);
    struct list *(*focus)(struct screen *s);
    /* a placeholder's value for the selection ({id}, {key}, {name}) */
    const char *(*field)(struct screen *s, const char *name, char *buf, size_t len);
    int (*filter)(struct screen *s, const char *arg, struct err *err);
    int (*sort)(struct screen *s, const char *key, struct err *err);
    void (*selected)(struct screen *s);                   /* the selection moved */
    int (*next_focus)(struct screen *s, struct err *err); /* screens with two lists */
    /* ids of `kind` this screen shows, for Tab completion */
    void (*complete)(struct screen *s, enum cmd_arg_kind kind, void (*add)(const char *word));
    void (*tick)(struct screen *s); /* new engine progress or log lines */
    /* a command this screen follows: run with --json, its result goes to
     * `followed` (which says what happened) instead of the message line */
    bool (*follows)(struct screen *s, const struct cmd_entry *e);
    void (*followed)(struct screen *s, struct job *j);
};

struct screen {
    const struct screen_ops *ops;
    enum screen_id id;
    const char *name;  /* "runs" */
    const char *title; /* "Runs" */
    struct tui *t;
    void *priv;
    bool stale;     /* the database changed since the last load */
    int loading;    /* jobs in flight */
    bool again;     /* a refresh was asked for while loading */
    char note[256]; /* why there is nothing to show ("not available yet") */
};

#define SCREEN_OPS(id, name, title) extern const struct screen_ops screen_##name##_ops;
TUI_SCREENS(SCREEN_OPS)
#undef SCREEN_OPS
/* The key tables: "global", "pager", then each screen's; their titles say
 * where the keys work ("Everywhere", ..., "Runs"). NULL-ended. */
struct keytable_name {
    const char *name, *title;
};
extern const struct keytable_name keys_tables[];
/* New log lines for the Log screen (it keeps them). */
void screen_log_append(struct screen *s, struct log_entry *list);

void screens_init(struct tui *t);
void screens_free(struct tui *t);
/* Makes screen i the current one (closing the pager), loading it if stale. */
void screen_show(struct tui *t, int i);
/* succeeded: good, failed: bad, running: title, the rest: a warning. */
enum paint_attr status_attr(const char *status);
/* Submits `line` (a --json listing) for screen s; `done` gets the job with
 * the parsed JSON in j->json and the screen in j->arg. A screen's main load has tag 0: asked for
 * while one is in flight, it only notes that another is wanted, done once afterwards. Detail loads
 * carry the id they load as their tag and always go. True when submitted
 * now, false when deferred. */
bool screen_load(struct screen *s, const char *line, job_done_fn done, long long tag);
/* True when the command exists in this build; otherwise sets s->note to
 * "not available yet: ..." and returns false. */
bool screen_has_command(struct screen *s, const char *name, const char *what);
/* The load failed: the message goes to the note (and the list stays). */
bool screen_load_failed(struct screen *s, struct job *j);
/* A listing arrived: its rows go to l (false, with the note set, when the
 * load failed). */
bool screen_take_rows(struct screen *s, struct job *j, struct list *l);
/* Loads `command --json ID` for the selection's detail, unless `*loaded`
 * is that id already (it becomes the id). */
void screen_load_detail(struct screen *s, const char *command, long long id, long long *loaded,
                        job_done_fn done);
/* Draws s->note centred in the area, dimmed. */
void screen_draw_note(struct screen *s, int y, int x, int h, int w);
/* The list's selected row's field, for ops->field. */
const char *screen_list_field(struct list *l, const char *name, char *buf, size_t len);
/* Offers `key` of every row of l to `add` (ops->complete helpers). */
void screen_complete_list(const struct list *l, const char *key, void (*add)(const char *word));
/* A listing's total: its rows carry it (`key`: "total", or the queue's
 * "in_range"); the rows loaded when they do not. */
long long screen_list_total(const struct list *l, const char *key);
/* "1,682 records", or "1,000 of 1,682 records" when not all are loaded. */
const char *screen_count_text(const struct list *l, const char *key, const char *noun, char *buf,
                              size_t len);
/* Paging past a screen's cap: when the selection reaches the last loaded
 * row of a listing that has more, *limit grows by `step` and true comes
 * back (the screen loads again; the selection stays on its row). */
bool screen_page_more(const struct list *l, const char *key, long long *limit, long long step);
/* ops->follows of the screens that follow `undo` (Review, Audit); and
 * what they say once it is done: "decision 7 undone (decision 9): approve
 * of candidate 84" (`first`: the first candidate that came back, or ""). */
bool screen_follows_undo(struct screen *s, const struct cmd_entry *e);
void screen_undone(struct tui *t, const cJSON *json, char *first, size_t len);
/* Splits h rows into a list part and a detail part (at least 4 rows each). */
int screen_split(int h);

/* ---- ui.c ------------------------------------------------------------ */

struct choice {
    char *question;
    int n;
    char keys[4];
    char *commands[4];
};

struct script;

/* ---- elsewhere.c ---------------------------------------------------- */

/* The run another process carries, as the database last said. */
struct elsewhere {
    struct progress p; /* run_id 0: none known */
    bool loading, again;
    long long watched; /* the read in flight: the run it follows to its end */
    double at;         /* ... and when the database answered it */
    struct progress merged; /* this console's run with what others load of it */
    /* the run's last sign of life (clock_now() seconds; 0: unknown), and
     * whether it was silent longer than RUN_ADOPT_WITHIN_S when read
     * (SQL_RUN_SILENT): its process died or is stuck, and only the next
     * run marks it abandoned */
    double heartbeat;
    bool silent, lock_held;
    double reread; /* the silence falls due then: the run is read again */
};
/* Reads the run again (on news from the database). */
void elsewhere_load(struct tui *t);
/* The board to show: this console's run (with the sources daemons that
 * joined it load, as their rows say), or a newer one carried elsewhere. */
const struct progress *elsewhere_board(struct tui *t);
/* "no heartbeat for 12m" into buf when board `p` is another process's
 * run gone silent (its board then says that instead of its stage). */
bool elsewhere_silence(struct tui *t, const struct progress *p, char *buf, size_t len);
/* On the loop's tick while a run goes: reads the run again once its
 * heartbeat is older than RUN_ADOPT_WITHIN_S (a dead process sends no news). */
void elsewhere_tick(struct tui *t);

struct tui {
    struct cmd_ctx *ctx; /* the console command's (configuration) */
    struct cmd_ctx uctx; /* console-only commands, on this thread */
    struct host *host;
    struct engine *engine; /* the host's */
    struct worker *worker;
    struct logq *logq;
    struct keys keys;
    struct screen screens[NSCREENS];
    int cur;
    struct pager *pager;
    struct choice *choice;
    int wake[2];
    struct progress prog; /* the engine's, as of the last wake-up */
    struct elsewhere elsewhere; /* a run another process carries */
    struct sched *sched;  /* the host's scheduler thread; NULL if it did not start */
    struct sched_snapshot sched_snap; /* as of the last wake-up */
    char message[ERR_MSG_MAX + 128]; /* a run's error whole, with what it is about */
    enum paint_attr message_attr;
    char hint[1024]; /* completion candidates, shown while the line is open */
    double message_until;
    bool dirty, quitting, keys_only;
    enum tui_quit_mode quit_mode;
    double quit_by;  /* clock_mono(): quitting once the operator's commands are done,
                        or then at the latest (QUIT_WAIT_S); 0: not */
    struct buf quit_said; /* what became of them, said on the terminal at exit */
    char last_search[256];
    struct script *script;
    long iterations, max_iterations;
    FILE *trace; /* KASPARRO_CONSOLE_TRACE: key and redraw times */
    int exit_code;
};

/* `quit` waits this long at most for the operator's commands to finish. */
#define QUIT_WAIT_S 30
/* What became of the operator's command j as the console quit, for the
 * terminal at exit: `delivered` to the console, else found by the
 * worker's stop, `ran` or never started. */
void tui_quit_said(struct tui *t, const struct job *j, bool delivered, bool ran);

/* The event loop: returns when the console is to close. */
void ui_loop(struct tui *t);
/* SIGWINCH; the host takes SIGTERM, SIGINT and SIGHUP. */
void ui_signals_install(int wake_fd);
void ui_signals_restore(void);
void ui_stderr_redirect(void);
void ui_stderr_restore(void);
void ui_choice_free(struct tui *t);
/* A question or a prompt was answered; `went_ahead`: its command ran. */
void ui_answered(struct tui *t, bool went_ahead);
/* tui.c: the console-only context and the default key bindings. */
void tui_uctx_init(struct tui *t, struct cmd_ctx *ctx);
void tui_keys_defaults(struct tui *t);
/* Runs a command line from a key or the ':' line: placeholders filled from
 * the selection, console-only commands here, the rest on the worker. */
bool ui_run_line(struct tui *t, const char *line);
/* The same, with placeholders left alone (a prompt's answer: its template
 * was filled when the prompt opened, and the answer is the operator's). */
bool ui_dispatch(struct tui *t, const char *line, bool placeholders);
/* Shows a command's output: one line in the message line, more (or a line
 * wider than the screen) in the pager. */
void ui_show_output(struct tui *t, const char *title, const char *out,
                    const struct out_spans *tables);
void ui_message(struct tui *t, enum paint_attr a, const char *fmt, ...) PRINTF_LIKE(3, 4);
struct screen *ui_screen(struct tui *t);
/* Marks every screen stale and reloads the current one. */
void ui_changed(struct tui *t);
void ui_draw(struct tui *t);
/* Makes the next draw repaint the whole terminal (resize, C-l). */
void ui_repaint(struct tui *t);
/* The screen as text, one line per row, trailing blanks trimmed (drawn
 * first, so it is what the terminal shows). */
struct buf;
void ui_screen_text(struct tui *t, struct buf *out);
/* A key (from the terminal or a script). */
void ui_key(struct tui *t, int key);
/* Status line pieces (status.c). */
void status_draw_tabs(struct tui *t, int w);
void status_draw_status(struct tui *t, int y, int w);
/* A message or question wider than the screen takes up to `max` rows
 * (STATUS_MESSAGE_MAX at most) rather than being cut: the rows it needs. */
#define STATUS_MESSAGE_MAX 6
int status_message_rows(struct tui *t, int w, int max);
/* The rows a message's text takes at width w, at most max. */
int status_text_rows(const char *text, int w, int max);
void status_draw_message(struct tui *t, int y, int rows, int w);

/* ---- input.c --------------------------------------------------------- */

/* Queues keys from the script driver; the loop reads them like typed keys. */
void input_push(int key);
void input_push_text(const char *s);
bool input_pending(void);
/* Next key: queued first, then the terminal (unless script mode); -1 none. */
int input_next(bool terminal);
/* The byte after an ESC or a UTF-8 lead byte, if it is already there. */
int input_more(void *terminal);

/* ---- script.c -------------------------------------------------------- */

enum script_state { SCRIPT_MORE, SCRIPT_WAITING, SCRIPT_END };
struct script *script_open(const char *path, struct err *err);
/* Runs script lines until keys were queued (SCRIPT_MORE: call again after
 * they are handled), a wait is not over yet, or the script ends. */
enum script_state script_step(struct tui *t, struct script *s);
void script_free(struct script *s);

#endif
