/*
 * screen-review.c — the Review screen: the confidence queue, and the
 * selected candidate explained.
 *
 * The list is `queue --json`, most uncertain first or by score (o), within
 * a probability range (f: "0.6-0.9"). Below it, the selected candidate from
 * `show-match ID --json`: both records side by side, field by field, the
 * values that differ highlighted, each field's comparison and weight, and a
 * text waterfall — from the prior, each field's weight moves the running
 * total left or right, ending at the total and its probability. a approves,
 * r rejects (asking for an optional reason), s skips, u undoes the last
 * decision; Space marks pairs, and a or r then decide the marked ones as
 * one decision, after one question that counts them; A approves everything
 * above a probability after a question that states how many candidates
 * that is, and approves exactly those.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

#define REVIEW_PAGE 500

struct review_screen {
    struct list list;
    bool by_score;
    double min, max;
    cJSON *match;       /* show-match of the selected candidate */
    long long match_id; /* loaded or being loaded */
    char pick[32];      /* select this candidate when the queue next loads (an undo's) */
    long long limit;    /* candidates loaded at most; grows when the selection reaches the end */
    int match_rows;     /* the most rows a pair shown so far took (match_rows) */
};

static void fmt_side(const cJSON *rec, char *buf, size_t len)
{
    const char *title = json_str(rec, "title");
    snprintf(buf, len, "%s: %s", json_str(rec, "source") ? json_str(rec, "source") : "?",
             title ? title : "-");
}

static void fmt_a(const cJSON *row, char *buf, size_t len)
{
    fmt_side(cJSON_GetObjectItemCaseSensitive(row, "a"), buf, len);
}

static void fmt_b(const cJSON *row, char *buf, size_t len)
{
    fmt_side(cJSON_GetObjectItemCaseSensitive(row, "b"), buf, len);
}

/* Never rounded to 1.000 below a certainty: the bulk threshold compares
 * with what is shown. */
static void fmt_p(const cJSON *row, char *buf, size_t len)
{
    out_prob(json_num(row, "probability", 0), buf, len);
    /* scored while a decision since undone stood, as in `queue` */
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "stale")) && strlen(buf) + 1 < len)
        strcat(buf, "~");
    /* merged already, listed to confirm (the review budget's room), as in
     * `queue`: approving keeps the merge, rejecting undoes it */
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "merged")) && strlen(buf) + 1 < len)
        strcat(buf, "=");
}

static const struct list_col queue_cols[] = {
    {"id", "ID", 5, LC_RIGHT, NULL, NULL},
    {"probability", "P", 5, LC_RIGHT, fmt_p, NULL},
    {"a", "RECORD A", 10, LC_FLEX, fmt_a, NULL},
    {"b", "RECORD B", 10, LC_FLEX, fmt_b, NULL},
};

static void review_init(struct screen *s)
{
    struct review_screen *rs = xcalloc(1, sizeof *rs);

    list_init(&rs->list, queue_cols, (int)ARRAY_SIZE(queue_cols), "id",
              "the review queue is empty");
    rs->list.markable = true;
    rs->max = 1;
    rs->limit = REVIEW_PAGE;
    s->priv = rs;
}

static void review_free(struct screen *s)
{
    struct review_screen *rs = s->priv;
    list_free(&rs->list);
    cJSON_Delete(rs->match);
    free(rs);
}

/* ---- the explanation ---- */

/* Columns of the field table and of the waterfall, for a width: field
 * names as wide as the widest (at most a quarter of the width), values
 * sharing what is left. */
struct layout {
    int field, value, weight, fall;
};

static struct layout layout_for(const cJSON *m, int w)
{
    struct layout l = {7, 0, 6, w >= 100 ? 24 : 14}; /* "(prior)" */
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(m, "fields"))
    {
        int cells = json_str(f, "field") ? (int)utf8_width(json_str(f, "field")) : 1;
        if (cells > l.field)
            l.field = cells;
    }
    if (l.field > w / 4)
        l.field = w / 4 > 7 ? w / 4 : 7;
    l.value = (w - l.field - l.weight - l.fall - 4) / 2;
    if (l.value < 8)
        l.value = 8;
    return l;
}

/* One waterfall step: the running total moves from `from` to `to`; the
 * scale maps [lo, hi] onto the cells. */
static void draw_step(int y, int x, int cells, double lo, double hi, double from, double to)
{
    double span = hi - lo > 1e-9 ? hi - lo : 1;
    int zero = (int)lround((0 - lo) / span * (cells - 1));
    int a = (int)lround(((from < to ? from : to) - lo) / span * (cells - 1));
    int b = (int)lround(((from < to ? to : from) - lo) / span * (cells - 1));
    char bar[128];

    for (int i = 0; i < cells && i < (int)sizeof bar - 1; i++)
        bar[i] = i >= a && i <= b && fabs(to - from) > 1e-9 ? (to >= from ? '+' : '-')
                 : i == zero                                ? '|'
                                                            : ' ';
    bar[cells < (int)sizeof bar - 1 ? cells : (int)sizeof bar - 1] = '\0';
    paint_text(y, x, cells, bar, to >= from ? PA_GOOD : PA_BAD);
}

static void waterfall_range(const cJSON *m, double *lo, double *hi)
{
    double run = json_num(m, "prior_weight", 0);
    const cJSON *f;

    *lo = run < 0 ? run : 0;
    *hi = run > 0 ? run : 0;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(m, "fields"))
    {
        run += json_num(f, "weight", 0);
        *lo = run < *lo ? run : *lo;
        *hi = run > *hi ? run : *hi;
    }
}

static void draw_record_line(int y, int x, int w, const char *label, const cJSON *r)
{
    char buf[64];
    paint_textf(y, x, w, PA_NORMAL, "%s record %s \xc2\xb7 %s '%s'%s%s%s", label,
                json_text(cJSON_GetObjectItemCaseSensitive(r, "id"), buf, sizeof buf),
                json_str(r, "source") ? json_str(r, "source") : "?",
                json_str(r, "source_id") ? json_str(r, "source_id") : "?",
                json_str(r, "entity_key") ? " \xc2\xb7 entity " : "",
                json_str(r, "entity_key") ? json_str(r, "entity_key") : "",
                cJSON_IsTrue(cJSON_GetObjectItem(r, "deleted")) ? " (deleted)" : "");
}

static int draw_field_row(int y, int x, const struct layout *l, const char *name, const cJSON *a,
                          const cJSON *b, double weight, bool has_weight)
{
    char ba[512], bb[512];
    const char *va = a ? json_text(a, ba, sizeof ba) : "",
               *vb = b ? json_text(b, bb, sizeof bb) : "";
    bool differ = a != NULL && strcmp(va, vb) != 0;
    int cx = x;

    paint_cell(y, cx, l->field, name, false, PA_NORMAL);
    cx += l->field + 1;
    paint_cell(y, cx, l->value, va, false, differ ? PA_DIFF : PA_NORMAL);
    cx += l->value + 1;
    paint_cell(y, cx, l->value, vb, false, differ ? PA_DIFF : PA_NORMAL);
    cx += l->value + 1;
    if (has_weight)
        paint_textf(y, cx, l->weight, weight < 0 ? PA_BAD : PA_GOOD, "%+6.2f", weight);
    return cx + l->weight + 1;
}

/* The fields that do not fit, as one row: how many, and their weight
 * together, so the waterfall still ends at the total. */
static int draw_more_fields(int y, int x, const struct layout *l, const cJSON *f, int n,
                            double *run, double lo, double hi)
{
    double sum = 0;
    char label[64];
    int fx;

    for (; f != NULL; f = f->next)
        sum += json_num(f, "weight", 0);
    snprintf(label, sizeof label, "\xe2\x80\xa6 %d more field%s (Enter shows all)", n,
             n == 1 ? "" : "s");
    fx = draw_field_row(y, x, l, "", NULL, NULL, sum, true);
    paint_text(y, x, fx - l->weight - 1 - x, label, PA_DIM);
    draw_step(y, fx, l->fall, lo, hi, *run, *run + sum);
    *run += sum;
    return fx;
}

static int count_empty(const cJSON *fields)
{
    const cJSON *f;
    int n = 0;

    cJSON_ArrayForEach(f, fields)
        n += dedup_field_empty(f);
    return n;
}

/* What the pair's headline may say beyond its numbers: its note (a
 * one-to-one pair's "a record of it already has a better match"), what made
 * it stale, and the decision that keeps its records apart, as show-match
 * says it with the console's commands. At most MATCH_NOTES of them. */
#define MATCH_NOTES 3
#define NOTE_ROWS 2 /* a note wider than the pane wraps onto this many rows */

static int match_notes(const cJSON *m, char notes[MATCH_NOTES][512])
{
    const cJSON *apart = cJSON_GetObjectItemCaseSensitive(m, "kept_apart");
    int n = 0;

    if (json_str(m, "note") != NULL)
        snprintf(notes[n++], sizeof notes[0], "%s", json_str(m, "note"));
    if (json_str(m, "stale_note") != NULL)
        snprintf(notes[n++], sizeof notes[0], "stale: %s", json_str(m, "stale_note"));
    if (cJSON_IsObject(apart)) {
        char *text = dedup_apart_text(apart, ""); /* the console's commands: no "kasparro " */
        snprintf(notes[n++], sizeof notes[0], "%s", text);
        free(text);
    }
    return n;
}

static void match_headline(const cJSON *m, char *buf, size_t len)
{
    char prob[32];

    snprintf(buf, len, "candidate %.0f \xc2\xb7 %s \xc2\xb7 probability %s \xc2\xb7 weight %+.2f bits",
             json_num(m, "id", 0), json_str(m, "status") ? json_str(m, "status") : "?",
             out_prob(json_num(m, "probability", 0), prob, sizeof prob),
             json_num(m, "weight", 0));
}

/* The headline and its notes: the notes on the headline when they all fit
 * it (as before), else each on rows of its own, wrapped, never cut at the
 * pane's edge (the one-to-one note at 80 columns was). Rows used, or
 * counted only when y < 0. */
static int draw_headline(const cJSON *m, int y, int x, int w, int max)
{
    char head[256], notes[MATCH_NOTES][512];
    int n = match_notes(m, notes), rows = 1;
    struct buf line = BUF_INIT;

    match_headline(m, head, sizeof head);
    buf_adds(&line, head);
    for (int i = 0; i < n; i++)
        buf_printf(&line, " \xc2\xb7 %s", notes[i]);
    bool inline_notes = (int)utf8_width(buf_str(&line)) <= w;
    if (y >= 0)
        paint_text(y, x, w, inline_notes ? buf_str(&line) : head, PA_TITLE);
    buf_free(&line);
    for (int i = 0; !inline_notes && i < n && rows < max; i++)
        rows += paint_wrap(y >= 0 ? y + rows : -1, x, w,
                          NOTE_ROWS < max - rows ? NOTE_ROWS : max - rows, notes[i],
                          strncmp(notes[i], "kept apart", 10) == 0 ? PA_WARN : PA_NORMAL);
    return rows;
}

static void draw_match(const cJSON *m, int y, int x, int h, int w)
{
    struct layout l = layout_for(m, w);
    double lo, hi, run = json_num(m, "prior_weight", 0), p = json_num(m, "probability", 0);
    const cJSON *f, *a = cJSON_GetObjectItemCaseSensitive(m, "a");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(m, "b");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(m, "fields");
    int end = y + h, fx, nfields = cJSON_GetArraySize(fields), shown = 0;
    char prob[32];

    out_prob(p, prob, sizeof prob);
    y += draw_headline(m, y, x, w, h - 3 > 1 ? h - 3 : 1);
    draw_record_line(y++, x, w, "A", a);
    draw_record_line(y++, x, w, "B", b);
    if (y >= end)
        return;
    waterfall_range(m, &lo, &hi);
    fx = draw_field_row(y, x, &l, "FIELD", NULL, NULL, 0, false);
    paint_cell(y, x + l.field + 1, l.value, "A", false, PA_HEADER);
    paint_cell(y, x + l.field + l.value + 2, l.value, "B", false, PA_HEADER);
    paint_cell(y, x, l.field, "FIELD", false, PA_HEADER);
    paint_cell(y, fx - l.weight - 1, l.weight, "WEIGHT", true, PA_HEADER);
    paint_cell(y++, fx, l.fall, "WATERFALL", false, PA_HEADER);
    if (y < end) {
        fx = draw_field_row(y, x, &l, "(prior)", NULL, NULL, run, true);
        draw_step(y++, fx, l.fall, lo, hi, 0, run);
    }
    /* rows left for fields, the total keeping the last one and the empty
     * fields' row the one before */
    int empty = count_empty(fields), ninfo = nfields - empty;
    int room = end - y - 1 - (empty > 0);
    f = fields != NULL ? fields->child : NULL;
    for (; f != NULL && room > 0; f = f->next) {
        double wt = json_num(f, "weight", 0);
        if (dedup_field_empty(f))
            continue;
        if (room == 1 && shown < ninfo - 1)
            break; /* the last row says what did not fit */
        fx = draw_field_row(y, x, &l, json_str(f, "field") ? json_str(f, "field") : "?",
                            cJSON_GetObjectItemCaseSensitive(f, "a"),
                            cJSON_GetObjectItemCaseSensitive(f, "b"), wt, true);
        draw_step(y++, fx, l.fall, lo, hi, run, run + wt);
        run += wt;
        shown++, room--;
    }
    while (f != NULL && dedup_field_empty(f))
        f = f->next;
    if (f != NULL && room > 0)
        fx = draw_more_fields(y++, x, &l, f, ninfo - shown, &run, lo, hi);
    if (empty > 0 && y < end - 1)
        paint_textf(y++, x, w, PA_DIM, "(%d field%s empty on both sides)", empty,
                    empty == 1 ? "" : "s");
    if (y < end) {
        /* the total of every field, drawn or not: the candidate's weight */
        fx = draw_field_row(y, x, &l, "(total)", NULL, NULL, json_num(m, "weight", run), true);
        paint_textf(y, fx, x + w - fx, PA_TITLE, "= p %s", prob);
    }
}

/* The rows draw_match takes for the pair whole: its three lines, the
 * fields' header, the prior, a row per field (one for those empty on both
 * sides) and the total. */
static int match_rows(const cJSON *m, int w)
{
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(m, "fields");
    int empty = count_empty(fields);

    return 5 + draw_headline(m, -1, 0, w, MATCH_NOTES * NOTE_ROWS + 1) +
           cJSON_GetArraySize(fields) - empty + (empty > 0);
}

/* ---- the screen ---- */

static void review_load(struct screen *s);

/* The headline, with the model's labels and when it last learnt (every
 * row carries them). At 80 columns the whole line ("... labelled pairs,
 * 2026-12-07T14:55:03Z") was cut inside what the model had learnt: a
 * narrow pane gets the short line, which keeps it whole. */
static void review_headline(struct review_screen *rs, int y, int x, int w)
{
    const cJSON *first = cJSON_GetArrayItem(rs->list.rows, 0);
    const char *learned = first ? json_str(first, "learned_at") : NULL;
    char model[2][96] = {"", ""}, count[96], marks[32], when[16] = "", line[2][320];
    double learnt = first ? json_num(first, "labels", 0) : 0;
    double now = first ? json_num(first, "decisions", 0) : 0;

    if (learned != NULL && strlen(learned) >= 16) /* 2026-12-07T14:55:03Z: 12-07 14:55 */
        snprintf(when, sizeof when, ", %.5s %.5s", learned + 5, learned + 11);
    if (first != NULL && learnt < 1 && now < 1) {
        snprintf(model[0], sizeof model[0], " \xc2\xb7 model: no decisions yet");
        snprintf(model[1], sizeof model[1], "%s", model[0]);
    } else if (first != NULL) {
        snprintf(model[0], sizeof model[0], " \xc2\xb7 model: learnt %.0f of %.0f labelled pairs%s%s",
                 learnt, now, learned ? ", " : "", learned ? learned : "");
        snprintf(model[1], sizeof model[1], " \xc2\xb7 model: %.0f/%.0f labels%s", learnt, now,
                 when);
    }
    /* the probability range only when f narrowed it: the model's line
     * needs the room on a narrow screen */
    char range[48] = "";
    if (rs->min > 0 || rs->max < 1)
        snprintf(range, sizeof range, " \xc2\xb7 probability %.2f-%.2f", rs->min, rs->max);
    screen_count_text(&rs->list, "in_range", "pending", count, sizeof count);
    list_marks_text(&rs->list, marks, sizeof marks);
    for (int i = 0; i < 2; i++)
        snprintf(line[i], sizeof line[i], "Review \xc2\xb7 %s%s \xc2\xb7 %s first%s%s", count, marks,
                 rs->by_score ? "highest score" : "most uncertain", range, model[i]);
    paint_text(y, x, w, (int)utf8_width(line[0]) <= w ? line[0] : line[1], PA_TITLE);
}

static void review_draw(struct screen *s, int y, int x, int h, int w)
{
    struct review_screen *rs = s->priv;
    int top = h / 3 < 5 ? 5 : h / 3;
    const cJSON *sel = list_selected(&rs->list);

    /* the list takes the rows the pair leaves, a third of the pane at
     * least: on a tall terminal it used to keep a third, the rows under
     * the pair empty. The most a pair took so far, so that the list does
     * not jump as the selection meets pairs with a row more or less. */
    if (rs->match != NULL && match_rows(rs->match, w) > rs->match_rows)
        rs->match_rows = match_rows(rs->match, w);
    if (rs->match_rows > 0 && h - 2 - rs->match_rows > top)
        top = h - 2 - rs->match_rows;
    /* a short queue keeps no empty rows above a pair cut short: with one
     * pair left at 80x24, four empty rows stood over "… 2 more fields" */
    int need = 1 + (rs->list.n > 0 ? rs->list.n : 1) + (rs->list.filter != NULL);
    if (need < top)
        top = need;

    if (rs->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    review_headline(rs, y, x, w);
    list_draw(&rs->list, y + 1, x, top, w);
    if (sel != NULL && rs->match != NULL && h - top - 2 > 3 &&
        json_num(rs->match, "id", -1) == json_num(sel, "id", -2))
        draw_match(rs->match, y + top + 2, x, h - top - 2, w);
    else if (sel != NULL)
        paint_text(y + top + 2, x, w, "loading\xe2\x80\xa6", PA_DIM);
}

static void match_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct review_screen *rs = s->priv;

    (void)t;
    if (j->rc != EXIT_OK || j->json == NULL || j->tag != rs->match_id)
        return;
    cJSON_Delete(rs->match);
    rs->match = j->json;
    j->json = NULL;
}

/* Loads the explanation of the selected candidate (once per candidate). */
static void review_selected(struct screen *s)
{
    struct review_screen *rs = s->priv;
    const cJSON *sel = list_selected(&rs->list);

    /* the selection reached the last candidate loaded: load the next page too */
    if (screen_page_more(&rs->list, "in_range", &rs->limit, REVIEW_PAGE))
        review_load(s);
    screen_load_detail(s, "show-match", sel ? (long long)json_num(sel, "id", 0) : 0, &rs->match_id,
                       match_loaded);
}

static void queue_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct review_screen *rs = s->priv;

    (void)t;
    if (!screen_take_rows(s, j, &rs->list))
        return;
    if (rs->pick[0] && !s->again) { /* a load asked for before the undo is not the one */
        list_select(&rs->list, rs->pick);
        rs->pick[0] = '\0';
    }
    rs->match_id = 0; /* the candidate may have changed (decided, rescored) */
    review_selected(s);
}

static void review_load(struct screen *s)
{
    struct review_screen *rs = s->priv;
    char line[160];

    if (!screen_has_command(s, "queue", "entity unification"))
        return;
    snprintf(line, sizeof line, "queue --json --order %s --min %g --max %g --limit %lld",
             rs->by_score ? "score" : "uncertainty", rs->min, rs->max, rs->limit);
    screen_load(s, line, queue_loaded, 0);
}

static int review_filter(struct screen *s, const char *arg, struct err *err)
{
    struct review_screen *rs = s->priv;
    double min = 0, max = 1;

    if (arg != NULL && *arg != '\0') {
        char *dash = strchr(arg, '-'), lo[64];
        snprintf(lo, sizeof lo, "%.*s", dash ? (int)(dash - arg) : (int)strlen(arg), arg);
        if (!parse_double(lo, &min) || (dash != NULL && !parse_double(dash + 1, &max)) || min < 0 ||
            max > 1 || min > max)
            return err_code(err, EXIT_USAGE,
                            "'%s' is not a probability range such as 0.6-0.9 "
                            "(or 0.8 for 0.8 and above)",
                            arg);
    }
    rs->min = min;
    rs->max = max;
    rs->limit = REVIEW_PAGE;
    review_load(s);
    return 0;
}

static int review_sort(struct screen *s, const char *key, struct err *err)
{
    struct review_screen *rs = s->priv;

    if (key == NULL || *key == '\0')
        rs->by_score = !rs->by_score;
    else if (strcmp(key, "score") == 0 || strcmp(key, "uncertainty") == 0)
        rs->by_score = strcmp(key, "score") == 0;
    else
        return err_code(err, EXIT_USAGE,
                        "the review queue is ordered by uncertainty or score, "
                        "not '%s'",
                        key);
    rs->limit = REVIEW_PAGE;
    review_load(s);
    return 0;
}

static struct list *review_focus(struct screen *s)
{
    return &((struct review_screen *)s->priv)->list;
}

/* {a} and {b} are the selected pair's records (d and D show them). */
static const char *review_field(struct screen *s, const char *name, char *buf, size_t len)
{
    const cJSON *sel = list_selected(review_focus(s));

    if (sel != NULL && (strcmp(name, "a") == 0 || strcmp(name, "b") == 0))
        return json_text(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sel, name), "id"),
            buf, len);
    return screen_list_field(review_focus(s), name, buf, len);
}

static void review_complete(struct screen *s, enum cmd_arg_kind kind, void (*add)(const char *word))
{
    if (kind == ARG_CANDIDATE)
        screen_complete_list(review_focus(s), "id", add);
}

/* undo: the operator's cursor goes back to the pair that came back, so
 * the next key decides that pair and not the one after it. */

static void review_followed(struct screen *s, struct job *j)
{
    struct review_screen *rs = s->priv;

    screen_undone(s->t, j->json, rs->pick, sizeof rs->pick);
}

const struct screen_ops screen_review_ops = {
    .init = review_init,
    .free = review_free,
    .draw = review_draw,
    .load = review_load,
    .focus = review_focus,
    .field = review_field,
    .filter = review_filter,
    .sort = review_sort,
    .selected = review_selected,
    .complete = review_complete,
    .follows = screen_follows_undo,
    .followed = review_followed,
};

/* ---- bulk approval ---- */

struct bulk {
    double min;
};

static void bulk_counted(struct tui *t, struct job *j)
{
    struct bulk *bk = j->arg;
    struct buf ids = BUF_INIT;
    const cJSON *c;
    int n = 0;
    char min[32];

    t->message[0] = '\0'; /* "counting…" is over */
    out_number(bk->min, min, sizeof min);
    if (j->rc != EXIT_OK || !cJSON_IsArray(j->json)) {
        ui_message(t, PA_BAD, "%s", j->err.msg[0] ? j->err.msg : "unable to count the queue");
        free(bk);
        return;
    }
    buf_adds(&ids, "approve");
    cJSON_ArrayForEach(c, j->json)
    {
        buf_printf(&ids, " %.0f", json_num(c, "id", 0));
        n++;
    }
    if (n == 0) {
        ui_message(t, PA_NORMAL, "no pending candidate has probability %s or more", min);
    } else {
        char *q = xasprintf("approve %d candidate%s with probability %s or more?", n,
                            n == 1 ? "" : "s", min);
        tui_confirm(t, q, ids.data, &(struct err){0});
        free(q);
    }
    buf_free(&ids);
    free(bk);
}

int tui_bulk_approve(struct tui *t, double min, struct err *err)
{
    struct bulk *bk;
    char line[128];
    struct err none = {0};

    if (cmd_find("queue", &none) == NULL)
        return err_set(err, "not available yet: this build has no 'queue' command (entity "
                            "unification)");
    bk = xcalloc(1, sizeof *bk);
    bk->min = min;
    snprintf(line, sizeof line, "queue --json --order score --min %.6g --limit 1000000", min);
    worker_submit(t->worker, line, JOB_JSON | JOB_OWNS_ARG, bulk_counted, bk, 0);
    char shown[32];
    ui_message(t, PA_DIM, "counting the candidates at or above %s\xe2\x80\xa6",
               out_number(min, shown, sizeof shown));
    return 0;
}
