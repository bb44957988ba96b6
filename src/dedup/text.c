/*
 * text.c — the `text` comparator: token overlap weighted by how rare each
 * token is, forgiving small typos inside tokens (soft TF-IDF, Cohen,
 * Ravikumar and Fienberg 2003).
 *
 * Every record's value of a text comparison becomes a vector of its
 * distinct words, each weighted by its inverse document frequency over the
 * working set's values of that field, ln((N + 1) / (df + 0.5)): a model
 * number shared by two records weighs many times a shared "the" or
 * "black". The similarity of two values is the cosine of their vectors,
 * where a word without an exact partner may pair with a close one
 * (Jaro–Winkler >= 0.9, words of four characters or more), the pair counted
 * at that similarity; averaged with the overlap coefficient (the shared
 * weight over the smaller value's), since one source often writes more
 * words than the other for one thing — a maker and packaging around a
 * product's name ("northwind studio photo editor" for "photo editor"), a
 * city after a shop's name. Two values that both hold codes or numbers
 * (words with a digit) but share none of them keep half their similarity:
 * "office suite 2019" is not "office suite 2021", nor "QX3" "QX9" — unless
 * the values' numbers have a comparison of their own (the title's: below).
 * Words are normalised first (dedup_normalize), which also joins codes:
 * "XR-B200" and "XRB200" are one word. A word with a digit in it pairs only
 * with itself, or with a code that begins or ends with it (a maker's
 * prefix, a variant's suffix: "TK415A" and "ZTK415A", at 0.9): "RT101" next to
 * "RT100" names another model, not a typo. A value that is one word (a
 * code field, a number) is compared by its characters; two such codes that
 * are neither equal nor one inside the other keep half their similarity,
 * as longer values whose codes all differ do. A "?" the normaliser left
 * inside a word is a character an export lost ("p?rez"): it stands for any
 * one character, so the word pairs with "perez" at 0.95, as a near-certain
 * but not identical spelling.
 *
 * A word of one letter is an initial where the other value holds a word
 * it begins and no exact partner: "J. Smith" for "James Smith", "R.
 * Agrawal, H. Garcia-Molina" in one catalogue's authors for the full names
 * in another's. It pairs with that word at INITIAL_SIM, so its weight, a
 * letter's (small: many names share it), counts against the name's: an
 * initial agrees with the name, less than the name itself would, and tells
 * "James Smith" from "Mary Smith".
 *
 * Likewise a word that spells the initials of the other whole value is its
 * acronym: "VLDB" for "Very Large Data Bases", "HP" for "Hewlett
 * Packard", "UCLA" for "University of California Los Angeles" (words of
 * two letters, "the", "and" and "for" are passed over). It pairs with
 * those words at ACRONYM_SIM, as one word with their joint weight: one
 * catalogue's venue or maker written short, the other's long, agree.
 *
 * The numbers inside a title name its edition, version, size or model
 * ("office 2007" / "office 2010", "season 2" / "season 3", "500 GB" /
 * "1 TB"): text_numbers_level compares the runs of digits of two values,
 * whatever letters surround them, as the levels of a comparison of their
 * own, so EM learns from each data set how much agreeing or differing
 * numbers say there. Its top level is a code the two titles share and no
 * other title holds ("BV9958B" in a long title and a short one): the
 * strongest evidence a title can hold, which dilutes among the other
 * words in the text similarity — unless another compared field holds the
 * records' codes (a model number column), which weighs them already.
 * Where one record gives its code in such a field and the other leaves the
 * field empty, the code may still be in the other's title ("BV9958B" as
 * the model number of one shop, inside the other shop's title):
 * text_code_in_title finds it, the numbers' top level, since a missing
 * field says nothing and the code is the strongest evidence either record
 * holds. Only a field of codes: a maker named in one record's field and in
 * the other's title is common to the maker's every product
 * (docs/matching.md, "Evidence across fields").
 * A title's variant words (tok.variant, learnt from the data
 * by variants.c: "standard" / "deluxe", "mac" / "windows") likewise:
 * text_variants_level says whether two titles hold the same ones, one
 * adds some or each holds one the other lacks.
 *
 * The vectors are built once per pass, after the whole working set is read
 * (the frequencies need every value), and are read-only afterwards, so the
 * comparison threads share them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define TEXT_MAX_TOKENS 96  /* words per value that count (long descriptions) */
#define SOFT_MIN_LEN 4      /* shorter words match exactly or not at all */
#define SOFT_MIN_SIM 0.90
#define SOFT_MAX_WORK 1024  /* word pairs tried per comparison */
#define CODE_CONFLICT 0.5   /* the similarity left when the values' codes all differ */
#define CODE_MIN_LEN 4      /* a code this long inside another names the same model */
/* The next three must be at least SOFT_MIN_SIM, or such words never pair
 * (test_compare checks each rule). Not a _Static_assert: a floating
 * comparison is no integer constant expression to clang (make fuzz). */
#define CODE_CONTAINED 0.9  /* the similarity of a code to one that contains it */
#define LOST_SIM 0.95       /* a word with lost characters against one that has them */
#define INITIAL_SIM 0.9     /* an initial against a word it begins ("j" for "james") */
#define ACRONYM_SIM 0.9     /* an acronym against the words it stands for */
#define ACRONYM_MAX 8       /* letters of an acronym, at most */
#define NUMBERS_MAX 32      /* numbers per value that count */
#define CODE_RARE_DF 2      /* a rare code: no value but the pair's two holds it */
#define NUMBERS_RARE_CODE 5 /* the numbers' level of two values sharing a rare code */

/* A word's hash as a key of the document-frequency map (never 0). */
static int64_t hkey(uint64_t h) { return (int64_t)(h >> 1) | 1; }

static int by_hash(const void *x, const void *y)
{
    uint64_t a = ((const struct tok *)x)->h, b = ((const struct tok *)y)->h;
    return a < b ? -1 : a > b;
}

static bool strpbrk_len(const char *s, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (strchr(set, s[i]) != NULL)
            return true;
    return false;
}

/* The distinct words of s as tokens (weights not set yet), sorted by hash. */
static size_t words(const char *s, struct tok *out)
{
    size_t n = 0;

    while (*s != '\0' && n < TEXT_MAX_TOKENS) {
        size_t len = strcspn(s, " ");
        if (len > 0)
            out[n++] = (struct tok){.h = dedup_hash(s, len, 0),
                                    .len = (uint8_t)(len > 255 ? 255 : len),
                                    .digit = strpbrk_len(s, len, "0123456789"), .s = s};
        s += len;
        s += *s == ' ';
    }
    qsort(out, n, sizeof *out, by_hash);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || out[k - 1].h != out[i].h)
            out[k++] = out[i];
    return k;
}

/* Document frequencies of the words of column col. */
static void count_df(const struct recset *rs, int col, struct idmap *df, uint32_t *nvalues)
{
    struct tok tmp[TEXT_MAX_TOKENS];
    size_t total = 0;

    for (uint32_t i = 0; i < rs->n; i++)
        if (rs_val(rs, i, col) != NULL)
            total += words(rs_val(rs, i, col), tmp);
    idmap_init(df, total + 1);
    *nvalues = 0;
    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (v == NULL)
            continue;
        (*nvalues)++;
        size_t n = words(v, tmp);
        for (size_t k = 0; k < n; k++) {
            uint32_t c = 0;
            idmap_get(df, hkey(tmp[k].h), &c);
            idmap_put(df, hkey(tmp[k].h), c + 1);
        }
    }
}

static const struct tokvec *make_vec(struct arena *a, const char *v, const struct idmap *df,
                                     uint32_t nvalues)
{
    struct tok tmp[TEXT_MAX_TOKENS];
    size_t n = words(v, tmp);
    size_t bytes = sizeof(struct tokvec) + n * sizeof(struct tok);
    struct tokvec *tv = arena_alloc(a, bytes);
    double norm = 0;

    tv->n = (uint32_t)n;
    for (size_t k = 0; k < n; k++) {
        uint32_t c = 1;
        idmap_get(df, hkey(tmp[k].h), &c);
        tmp[k].w = (float)log((nvalues + 1.0) / (c + 0.5));
        tmp[k].df = (uint8_t)(c > 255 ? 255 : c);
        norm += (double)tmp[k].w * tmp[k].w;
        tv->t[k] = tmp[k];
        tv->t[k].s = arena_strndup(a, tmp[k].s, tmp[k].len);
    }
    tv->norm = (float)sqrt(norm);
    text_vec_acronym(tv, v);
    return tv;
}

/* Whether an acronym passes over word s: "of", "the", "and", "for". */
static bool acronym_skips(const char *s, size_t len)
{
    return len <= 2 || (len == 3 && (memcmp(s, "the", 3) == 0 || memcmp(s, "and", 3) == 0 ||
                                     memcmp(s, "for", 3) == 0));
}

void text_vec_acronym(struct tokvec *tv, const char *v)
{
    char acro[ACRONYM_MAX];
    size_t n = 0;
    double norm = 0;

    tv->acro = 0, tv->acro_norm = 0;
    for (; *v != '\0'; v += *v == ' ') {
        size_t len = strcspn(v, " ");
        if (len > 0 && !acronym_skips(v, len)) {
            if (n == ACRONYM_MAX || strpbrk_len(v, len, "0123456789") || (unsigned char)*v >= 0x80)
                return;
            acro[n++] = *v;
        }
        v += len;
    }
    if (n < 2)
        return;
    for (uint32_t k = 0; k < tv->n; k++)
        if (!acronym_skips(tv->t[k].s, tv->t[k].len))
            norm += (double)tv->t[k].w * tv->t[k].w;
    tv->acro = (uint32_t)dedup_hash(acro, n, 0) | 1;
    tv->acro_norm = (float)sqrt(norm);
}

static bool column_compared(const struct match_plan *p, int col, enum cmp_kind kind)
{
    for (int f = 0; f < p->ncmp; f++)
        if (p->cmp_col[f] == col && p->cmps[f].kind == kind)
            return true;
    return false;
}

/* Whether column col holds codes: most of its values are one word with a
 * digit that at most CODE_RARE_DF values hold (a model or part number
 * column, not a weight or a year written as text). */
static bool codes_column(const struct recset *rs, int col)
{
    uint32_t filled = 0, codes = 0;

    for (uint32_t i = 0; i < rs->n; i++) {
        const struct tokvec *v = rs->tv[(size_t)i * (size_t)rs->ncols + (size_t)col];
        if (v == NULL)
            continue;
        filled++;
        codes += v->n == 1 && v->t[0].digit && v->t[0].df <= CODE_RARE_DF;
    }
    return codes * 2 > filled;
}

void text_index_build(const struct match_plan *p, struct recset *rs)
{
    rs->tv = xcalloc((size_t)rs->n * (size_t)rs->ncols + 1, sizeof *rs->tv);
    rs->codes_apart = false;
    rs->ncode_cols = 0;
    for (int col = 0; col < p->ncols; col++) {
        if (!column_compared(p, col, CMP_TEXT))
            continue;
        struct idmap df;
        uint32_t nvalues;
        count_df(rs, col, &df, &nvalues);
        for (uint32_t i = 0; i < rs->n; i++) {
            const char *v = rs_val(rs, i, col);
            if (v != NULL)
                rs->tv[(size_t)i * (size_t)rs->ncols + (size_t)col] =
                    make_vec(&rs->arena, v, &df, nvalues);
        }
        idmap_free(&df);
        if (col != p->title_col && codes_column(rs, col) && rs->ncode_cols < FS_MAX_FIELDS) {
            rs->codes_apart = true;
            rs->code_col[rs->ncode_cols++] = col;
        }
    }
}

void text_variants_build(const struct match_plan *p, struct recset *rs)
{
    for (int col = 0; col < p->ncols; col++)
        if (column_compared(p, col, CMP_TEXT) && column_compared(p, col, CMP_VARIANTS))
            variants_mark(rs, col);
}

static const struct tok *find(const struct tokvec *v, uint64_t h)
{
    size_t lo = 0, hi = v->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->t[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->t[lo].h == h ? &v->t[lo] : NULL;
}

/* Whether code x begins or ends with code y, or y with x: the same model
 * number with a maker's prefix or a variant's suffix ("TK415A" in "ZTK415A",
 * "PW310" in "PW310BLUE"), where a near miss ("LMP12" against "LMP13")
 * names another model. */
static bool code_contains(const struct tok *x, const struct tok *y)
{
    const struct tok *shorter = x->len < y->len ? x : y, *longer = shorter == x ? y : x;

    if (!x->digit || !y->digit)
        return false;
    return x->h == y->h ||
           (shorter->len >= CODE_MIN_LEN &&
           (memcmp(longer->s, shorter->s, shorter->len) == 0 ||
            memcmp(longer->s + longer->len - shorter->len, shorter->s, shorter->len) == 0));
}

static size_t utf8_step(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether x and y are one word but for the characters an export lost: each
 * "?" in either stands for exactly one character of the other ("p?rez" and
 * "perez", "ji??" and "jiri"). */
static bool lost_chars_match(const struct tok *x, const struct tok *y)
{
    const char *a = x->s, *ae = a + x->len, *b = y->s, *be = b + y->len;

    if (memchr(a, '?', x->len) == NULL && memchr(b, '?', y->len) == NULL)
        return false;
    while (a < ae && b < be) {
        size_t ka = utf8_step(a), kb = utf8_step(b);
        if (ka > (size_t)(ae - a) || kb > (size_t)(be - b)) /* cut at the length cap */
            return false;
        if (*a != '?' && *b != '?' && (ka != kb || memcmp(a, b, ka) != 0))
            return false;
        a += ka;
        b += kb;
    }
    return a == ae && b == be;
}

/* Whether word x is one letter: an initial, if the other value holds a
 * word it begins. */
static bool is_initial(const struct tok *x)
{
    return x->len == 1 && !x->digit;
}

/* Whether one of x and y is an initial and the other a longer word it
 * begins: "j" and "james", either way round. */
static bool initial_of(const struct tok *x, const struct tok *y)
{
    const struct tok *i = is_initial(x) ? x : y, *w = i == x ? y : x;

    return is_initial(i) && w->len > 1 && !w->digit && w->s[0] == i->s[0];
}

/* Whether both values name codes or numbers (words with a digit) and
 * share none of them: "office suite 2019" against "office suite 2021",
 * "QX3" against "QX9". */
static bool codes_conflict(const struct tokvec *a, const struct tokvec *b)
{
    bool a_codes = false, b_codes = false;

    for (uint32_t j = 0; j < b->n; j++)
        b_codes |= b->t[j].digit;
    for (uint32_t i = 0; i < a->n; i++) {
        if (!a->t[i].digit)
            continue;
        a_codes = true;
        if (find(b, a->t[i].h) != NULL)
            return false;
        for (uint32_t j = 0; j < b->n; j++)
            if (code_contains(&a->t[i], &b->t[j]))
                return false;
    }
    return a_codes && b_codes;
}

/* The numbers of a value: every run of digits inside its words, leading
 * zeros dropped, so that units and a model's letters around a number do
 * not hide it ("500gb" and "500 gb" hold 500, "v07" 7, "s1500m" 1500);
 * distinct, at most NUMBERS_MAX. */
struct numbers {
    struct { const char *s; size_t len; } n[NUMBERS_MAX];
    uint32_t count;
    bool text; /* the value holds a word without a digit */
};

static bool numbers_has(const struct numbers *x, const char *s, size_t len)
{
    for (uint32_t k = 0; k < x->count; k++)
        if (x->n[k].len == len && memcmp(x->n[k].s, s, len) == 0)
            return true;
    return false;
}

static void numbers_of(const struct tokvec *v, struct numbers *out)
{
    out->count = 0;
    out->text = false;
    for (uint32_t i = 0; i < v->n; i++) {
        const struct tok *t = &v->t[i];
        out->text |= !t->digit;
        for (size_t k = 0; t->digit && k < t->len;) {
            if (t->s[k] < '0' || t->s[k] > '9') {
                k++;
                continue;
            }
            size_t from = k;
            while (k < t->len && t->s[k] >= '0' && t->s[k] <= '9')
                k++;
            while (k - from > 1 && t->s[from] == '0')
                from++;
            if (out->count < NUMBERS_MAX && !numbers_has(out, t->s + from, k - from)) {
                out->n[out->count].s = t->s + from;
                out->n[out->count++].len = k - from;
            }
        }
    }
}

/* How many of x's numbers y lacks. */
static uint32_t numbers_unshared(const struct numbers *x, const struct numbers *y)
{
    uint32_t n = 0;

    for (uint32_t k = 0; k < x->count; k++)
        n += !numbers_has(y, x->n[k].s, x->n[k].len);
    return n;
}

/* Whether a and b share a code that no third value of the field holds:
 * one model number ("BV9958B"), or one inside the other (code_contains),
 * that names these two records alone. */
static bool rare_code_shared(const struct tokvec *a, const struct tokvec *b)
{
    for (uint32_t i = 0; i < a->n; i++) {
        const struct tok *x = &a->t[i];
        if (!x->digit || x->len < CODE_MIN_LEN || x->df > CODE_RARE_DF)
            continue;
        for (uint32_t j = 0; j < b->n; j++) {
            const struct tok *y = &b->t[j];
            unsigned held = x->h == y->h ? x->df : (unsigned)x->df + y->df;
            if (y->len >= CODE_MIN_LEN && held <= CODE_RARE_DF && code_contains(x, y))
                return true;
        }
    }
    return false;
}

int text_numbers_level(const struct tokvec *a, const struct tokvec *b, bool rare_codes)
{
    struct numbers x, y;

    if (a == NULL || b == NULL)
        return LEVEL_MISSING;
    numbers_of(a, &x);
    numbers_of(b, &y);
    /* numbers inside text: a value that is all numbers or codes (a phone,
     * a model number) is compared as a whole by its text comparison */
    if (x.count == 0 || y.count == 0 || !x.text || !y.text)
        return LEVEL_MISSING;
    uint32_t ux = numbers_unshared(&x, &y), uy = numbers_unshared(&y, &x);
    /* a rare code says the same model unless each title holds a number the
     * other lacks ("RJ11E cable 60" against "RJ11E cable 150") */
    if (rare_codes && (ux == 0 || uy == 0) && rare_code_shared(a, b))
        return NUMBERS_RARE_CODE;
    if (ux == x.count)
        return LEVEL_DISAGREE;
    return ux > 0 && uy > 0 ? 2 : ux > 0 || uy > 0 ? 3 : 4;
}

/* Whether code is in title: a one-word code equal to a word of the title
 * or inside one by code_contains ("CE278A" in "HPCE278A"), or every word of
 * a longer code, one of them with a digit, among the title's words. */
static bool code_held(const struct tokvec *code, const struct tokvec *title)
{
    bool digit = false;

    if (code->n == 1 && code->t[0].digit)
        for (uint32_t j = 0; j < title->n; j++)
            if (code_contains(&code->t[0], &title->t[j]))
                return true;
    for (uint32_t i = 0; i < code->n; i++) {
        if (find(title, code->t[i].h) == NULL)
            return false;
        digit |= code->t[i].digit;
    }
    return digit;
}

bool text_code_in_title(const struct tokvec *title_a, const struct tokvec *title_b,
                        const struct tokvec *code_a, const struct tokvec *code_b)
{
    if ((code_a == NULL) == (code_b == NULL))
        return false; /* both give the field (its own comparison) or neither */
    return code_a != NULL ? title_b != NULL && code_held(code_a, title_b)
                          : title_a != NULL && code_held(code_b, title_a);
}

/* How many of x's variant words y lacks; *any set when x holds one. */
static uint32_t variants_unshared(const struct tokvec *x, const struct tokvec *y, bool *any)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < x->n; i++)
        if (x->t[i].variant) {
            *any = true;
            n += find(y, x->t[i].h) == NULL;
        }
    return n;
}

int text_variants_level(const struct tokvec *a, const struct tokvec *b)
{
    bool any = false;

    if (a == NULL || b == NULL)
        return LEVEL_MISSING;
    uint32_t ua = variants_unshared(a, b, &any), ub = variants_unshared(b, a, &any);
    if (!any)
        return LEVEL_MISSING;
    return ua > 0 && ub > 0 ? LEVEL_DISAGREE : ua > 0 || ub > 0 ? 2 : 3;
}

/* The shared weight of a word of x that is y's acronym, y's words then
 * all paired: y is the acronym's expansion. */
static double acronym_dot(const struct tokvec *x, const struct tokvec *y, uint8_t *done_x,
                          uint8_t *used_y)
{
    if (y->acro == 0)
        return 0;
    for (uint32_t i = 0; i < x->n; i++) {
        const struct tok *t = &x->t[i];
        if (done_x[i] || t->digit || t->len < 2 || t->len > ACRONYM_MAX ||
            ((uint32_t)t->h | 1) != y->acro)
            continue;
        done_x[i] = 1;
        memset(used_y, 1, y->n);
        return ACRONYM_SIM * t->w * y->acro_norm;
    }
    return 0;
}

double text_similarity(const struct tokvec *a, const struct tokvec *b, bool numbers_apart)
{
    uint8_t used_b[TEXT_MAX_TOKENS] = {0}, done_a[TEXT_MAX_TOKENS] = {0};
    double dot = 0;
    size_t unmatched = 0;

    if (a == NULL || b == NULL || a->norm <= 0 || b->norm <= 0)
        return 0;
    if (a->n == 1 && b->n == 1) { /* one word each: by its characters */
        if (a->t[0].h == b->t[0].h)
            return 1;
        double jw = cmp_jaro_winkler(a->t[0].s, b->t[0].s);
        if (lost_chars_match(&a->t[0], &b->t[0]))
            return jw < LOST_SIM ? LOST_SIM : jw;
        if (code_contains(&a->t[0], &b->t[0]))
            return jw < CODE_CONTAINED ? CODE_CONTAINED : jw;
        return a->t[0].digit && b->t[0].digit ? jw * CODE_CONFLICT : jw;
    }
    for (uint32_t i = 0; i < a->n; i++) {
        const struct tok *t = find(b, a->t[i].h);
        if (t == NULL) {
            unmatched++;
            continue;
        }
        dot += (double)a->t[i].w * t->w;
        done_a[i] = 1;
        used_b[t - b->t] = 1;
    }
    if (unmatched > 0) {
        double acro = acronym_dot(a, b, done_a, used_b);
        dot += acro != 0 ? acro : acronym_dot(b, a, used_b, done_a);
    }
    if (unmatched > 0 && (size_t)a->n * b->n <= SOFT_MAX_WORK) {
        for (uint32_t i = 0; i < a->n; i++) {
            if (done_a[i] || (a->t[i].len < SOFT_MIN_LEN && !is_initial(&a->t[i])))
                continue;
            double best = SOFT_MIN_SIM;
            int bj = -1;
            for (uint32_t j = 0; j < b->n; j++) {
                if (used_b[j] || b->t[j].digit != a->t[i].digit)
                    continue;
                double s = INITIAL_SIM;
                if (a->t[i].len < SOFT_MIN_LEN || b->t[j].len < SOFT_MIN_LEN) {
                    if (!initial_of(&a->t[i], &b->t[j]))
                        continue;
                } else {
                    s = a->t[i].digit ? (code_contains(&a->t[i], &b->t[j]) ? CODE_CONTAINED : 0)
                                      : cmp_jaro_winkler(a->t[i].s, b->t[j].s);
                    if (s < LOST_SIM && lost_chars_match(&a->t[i], &b->t[j]))
                        s = LOST_SIM;
                }
                if (s >= best)
                    best = s, bj = (int)j;
            }
            if (bj >= 0) {
                used_b[bj] = 1;
                dot += best * a->t[i].w * b->t[bj].w;
            }
        }
    }
    /* the mean of the cosine and the overlap coefficient (the shared weight
     * over the smaller value's): a value contained in the other is not
     * punished for the other's extra words */
    double na = (double)a->norm * a->norm, nb = (double)b->norm * b->norm;
    double cosine = dot / ((double)a->norm * b->norm), overlap = dot / (na < nb ? na : nb);
    double sim = (fmin(cosine, 1) + fmin(overlap, 1)) / 2;
    if (!numbers_apart && codes_conflict(a, b))
        sim *= CODE_CONFLICT;
    return sim > 1 ? 1 : sim;
}
