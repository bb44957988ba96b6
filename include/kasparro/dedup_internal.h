/*
 * dedup_internal.h — the matcher's building blocks, shared by the files of
 * src/dedup/ and its unit tests; nothing outside the module uses them.
 *
 * Text is normalised once per record field (dedup_normalize: NFKC case fold,
 * accents, punctuation and symbols dropped, whitespace collapsed; letters of
 * every script survive), then compared by code point (comparators below). A
 * comparison is turned into a level (0 missing, 1 disagree, ..., top =
 * identical); the Fellegi–Sunter model holds m and u per field and level and
 * gives every pair a match weight. Clustering (cluster.c) is union-find with
 * cannot-link checks; it serves a full rescan, the incremental step and the
 * local re-clustering after an operator decision alike.
 */
#ifndef KASPARRO_DEDUP_INTERNAL_H
#define KASPARRO_DEDUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kasparro/buf.h"
#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/dedup.h"
#include "kasparro/err.h"

/* ---- normalisation (normalize.c) ---- */

/* Appends the normalised form of s[0..len) to out (no NUL counted). */
void dedup_normalize_into(struct buf *out, const char *s, size_t len);
/* Same, into a new string (caller frees). */
char *dedup_normalize(const char *s);
/* Same for a link cut to its page: its case kept (a path's and a query's
 * is significant), a '?' always punctuation. */
void dedup_normalize_link_into(struct buf *out, const char *s, size_t len);
/* url.c: a URL cut to the page it names (host without www., path, the
 * query's parameters sorted less those `tracking` names: the parsed
 * [matching] url_tracking_params, NULL for the default), for normalising
 * like text; false when libcurl cannot parse it, and out holds it as
 * written. */
bool dedup_url_page(struct buf *out, const char *url, char *const *tracking);
/* The form a url field is blocked and compared on: its page normalised
 * with its case kept (a value that is no link: normalised as text). */
void dedup_url_normalize_into(struct buf *out, const char *url, char *const *tracking);
/* The version of that form: raised whenever url.c or the normalising of a
 * link changes what a link becomes, since a stored model's m and u for a
 * url field were estimated on links in one form (1: case folded, before
 * percent-encodings and hosts were normalised; 2: case kept, encodings
 * and IDN hosts normalised). */
#define DEDUP_URL_FORM 2
/* A slug for entity keys: normalised, words joined by '-', at most
 * `max_words` words and about 40 bytes; "entity" when nothing is left. */
char *dedup_slug(const char *title, int max_words);

/* ---- comparators (compare.c); inputs are normalised UTF-8 ---- */

#define CMP_MAX_CHARS 256 /* longer strings are compared on their first 256 characters */

double cmp_jaro_winkler(const char *a, const char *b);
double cmp_levenshtein(const char *a, const char *b); /* 1 - distance / longer length */
double cmp_jaccard(const char *a, const char *b);     /* token sets */
double cmp_qgram(const char *a, const char *b, int q); /* q-gram (bigram default) Dice */
/* Days since 1970-01-01 of a "YYYY-MM-DD..." or "YYYYMMDD" value (a month
 * "YYYY-MM" or a year "YYYY" alone: its first day); false when not a date. */
bool cmp_parse_day(const char *s, long *day);
/* Whether a date is 1 January (the first of a month) at midnight UTC: how
 * a value known only to its year (month) is stored. */
bool cmp_new_year(const char *s);
bool cmp_new_month(const char *s);
/* Days between two dates at the precision both are known to. A year alone
 * ("2003": dates_mark_years) against a full date (or a month) is compared
 * by year: years apart count 365 days each, the same year a third of a
 * year (the mean distance of two days of one year) with *period_agrees
 * set. A month alone ("2003-05") against a full date likewise by month
 * (30.4 days each, the same month a third of one). Two values known alike
 * are compared day by day. False when either is not a date. */
bool cmp_date_distance(const char *a, const char *b, double *days, bool *period_agrees);

/* In the order of match_comparators (config.h); CMP_NUMBERS and
 * CMP_VARIANTS are no comparators one configures: the title's `text`
 * comparison brings one of each (plan.c). */
enum cmp_kind { CMP_EXACT, CMP_JARO_WINKLER, CMP_LEVENSHTEIN, CMP_JACCARD, CMP_QGRAM,
                CMP_NUMERIC, CMP_DATE, CMP_TEXT, CMP_RELATIVE, CMP_NUMBERS, CMP_VARIANTS };

#define LEVEL_MISSING 0
#define LEVEL_DISAGREE 1
#define MAX_LEVELS 8
#define CMP_MAX_CUTS 5

/* One comparison: compare.FIELD = KIND[:TOLERANCE], or derived from the
 * field's type. Levels 0..nlevels-1: 0 missing, 1 different, then one per
 * cut (weakest first), nlevels-1 identical. */
struct comparison {
    const char *field;
    enum cmp_kind kind;
    double tolerance;       /* numeric: absolute; date: days; relative: share; qgram: q */
    int ncuts;
    double cut[CMP_MAX_CUTS]; /* similarities rising, or distances rising (tightest first) */
    int nlevels;
    bool numbers_apart;     /* `text`: a CMP_NUMBERS comparison weighs its numbers */
    /* `relative`: the span its differences are shares of where the field's
     * values sit far from zero (years), 0 where they are shares of the
     * larger value (prices); comparison_spans sets it from the data */
    double span;
    /* comparison_name's: "FIELD", "FIELD (numbers)" or "FIELD (variant
     * words)", a field's name whole (config refuses longer ones) */
    char name[CONFIG_FIELD_NAME_MAX + sizeof " (variant words)"];
};

void comparison_init(struct comparison *c, const char *field, enum cmp_kind kind,
                     double tolerance);
int comparison_parse(struct comparison *c, const struct match_field *mf, struct err *err);
const char *cmp_kind_name(enum cmp_kind kind);
struct match_plan;
struct recset;
/* Each `relative` comparison's span, from the working set's values. */
void comparison_spans(struct match_plan *p, const struct recset *rs);
/* What explanations and the model call a comparison: its field, or for
 * the numbers inside a text field "FIELD (numbers)", for its variant
 * words "FIELD (variant words)". */
const char *comparison_name(const struct comparison *c);

/* A `text` value as weighted distinct words (text.c), sorted by hash. */
struct tok {
    uint64_t h;
    float w;          /* inverse document frequency */
    uint8_t len;      /* bytes, at most 255 */
    uint8_t df;       /* values of the field holding the word, at most 255 */
    bool digit;       /* holds a digit: a code or a number */
    bool variant;     /* a word that tells variants of one thing apart (variants.c) */
    const char *s;
};
struct tokvec {
    uint32_t n;
    float norm;
    uint32_t acro;   /* the value's initials' hash, low bits ("vldb" for
                      * "very large data bases"); 0: none (text.c) */
    float acro_norm; /* the norm of the words those initials stand for */
    struct tok t[];
};
/* Sets tv's acronym from v, its normalised value, once its words are
 * weighed. */
void text_vec_acronym(struct tokvec *tv, const char *v);
/* The similarity of two values; numbers_apart: the values' numbers have a
 * comparison of their own, so words with a digit that all differ do not
 * halve it (a one-word code still does). */
double text_similarity(const struct tokvec *a, const struct tokvec *b, bool numbers_apart);
/* How the numbers inside two text values (runs of digits, text.c)
 * relate, as a level of a CMP_NUMBERS comparison: missing unless both
 * values hold numbers and a word without one; different when they share
 * none; 2 when each holds one the other lacks; 3 when one's are among the
 * other's; 4 when they are the same; 5 when, with rare_codes, they share
 * a code no other value of the field holds and do not each hold a number
 * the other lacks. Level 6 (NUMBERS_CODE_FIELD, the top) is decided across
 * fields, by text_code_in_title. */
int text_numbers_level(const struct tokvec *a, const struct tokvec *b, bool rare_codes);
#define NUMBERS_CODE_FIELD 6
/* Whether one record's value of a field of codes (a model number column),
 * where the other record leaves that field empty, is in the other's title:
 * a one-word code equal to a title word or one inside the other (one
 * beginning or ending the other, as the text comparator pairs codes), or
 * every word of a longer value, one of them with a digit, among the
 * title's words. code_a and code_b are the two records' values of that field,
 * title_a and title_b their titles (NULL: missing). */
bool text_code_in_title(const struct tokvec *title_a, const struct tokvec *title_b,
                        const struct tokvec *code_a, const struct tokvec *code_b);
/* How the variant words (tok.variant) of two text values relate, as a
 * level of a CMP_VARIANTS comparison: missing when neither holds one;
 * different when each holds one the other lacks; 2 when one adds some;
 * 3 (identical) when they hold the same ones. */
int text_variants_level(const struct tokvec *a, const struct tokvec *b);

/* The two values a comparison looks at. */
struct cmp_values {
    const char *a, *b;
    const struct tokvec *ta, *tb; /* `text` comparisons */
    bool rare_codes; /* the numbers' comparison weighs rare shared codes (text.c) */
    /* the numbers' comparison: the two records' rows of word vectors and
     * the columns that hold codes (recset.code_col), for a code one record
     * gives in its field of codes and the other in its title */
    const struct tokvec *const *row_a, *const *row_b;
    const int *code_col;
    int ncode_cols;
};
/* The level of two values (NULL or "" is missing), the similarity behind
 * it (0..1; -1 when missing) and where in the level's band it lies
 * (0 weakest .. 255 strongest). */
int comparison_level(const struct comparison *c, const struct cmp_values *v, double *sim,
                     uint8_t *frac);
/* "jaro_winkler >= 0.94", for explanations. */
const char *comparison_level_label(const struct comparison *c, int level);

/* ---- Fellegi–Sunter model (score.c) ---- */

#define FS_MAX_FIELDS (MATCH_MAX_FIELDS + 2) /* and the title's numbers and variant words */

/* Between two unique sources: how likely a record of `source` that has
 * candidates in `other` has its partner among them (partner.c), one per
 * ordered pair of unique sources (k sources: k (k - 1), as many as there
 * are). The names are the sources' whole names, as long as the
 * configuration gives them (owned: partner_clear frees them and the
 * array). */
struct fs_partner {
    char *source, *other;
    double q;                /* P(a partner among its candidates) */
    double n;                /* candidates per such record, on average */
};

struct fs_model {
    int nfields;
    int nlevels[FS_MAX_FIELDS];
    double m[FS_MAX_FIELDS][MAX_LEVELS];
    double u[FS_MAX_FIELDS][MAX_LEVELS];
    double prior;            /* P(match) for a blocked candidate pair */
    bool estimated;          /* estimated on this data (model.c) */
    bool stale;              /* the stored one does not fit the comparisons (model.c) */
    char stale_why[192];     /* how it does not, for the log */
    bool converged;
    long long em_pairs;      /* pairs EM ran on */
    int em_iterations_run;
    long long labels;        /* operators' decisions it learnt from */
    long long label_mark;    /* the newest decision id among them (0 none) */
    char learned_at[32];     /* when it was estimated, UTC ISO 8601; "" never */
    struct fs_partner *partner; /* npartner of them, room for partner_cap */
    int npartner, partner_cap;
    double auto_budget;      /* the automatic threshold the last full pass's review
                              * budget set (budget.c); 0: the configured one */
};

/* Defaults before any data: agreement likely for matches, rare for others.
 * Zeroes fs first: a model that holds partner rates has them cleared
 * (partner_clear) before. */
void fs_model_defaults(struct fs_model *fs, const struct comparison *cmps, int n, double prior);
/* log2(m/u) of one field at one level (0 when missing). */
double fs_level_weight(const struct fs_model *fs, int field, int level);
double fs_prior_weight(const struct fs_model *fs);
double fs_probability(double weight);

/* u from level counts (counts[f][level]); smoothed. */
void fs_set_u(struct fs_model *fs, long long counts[][MAX_LEVELS]);

/* What EM runs on: npairs rows of nfields levels, and per pair a label
 * (-1 none, 0 non-match, 1 match; NULL: no labels) counting label_weight. */
struct em_data {
    const uint8_t *levels;
    size_t npairs;
    const int8_t *label;
    double label_weight;
    bool fixed_prior;       /* the prior is configured: EM leaves it */
    double max_prior;       /* the most matches the sources can hold, as a share; 0: no bound */
    const uint32_t *slot_a, *slot_b; /* one-to-one rivals (one_to_one_slots), or NULL */
    uint32_t nslots;
};
/* EM over the pairs: m, u and the prior, from the model's current values.
 * Returns the iterations run (fs->converged says whether it settled). */
int fs_em(struct fs_model *fs, const struct em_data *d, int iterations);
/* How much more the model's match class agrees than its other class
 * (sum over fields of the identical share minus the different share);
 * negative when EM's classes came out the wrong way round. */
double fs_agreement_evidence(const struct fs_model *fs);
void fs_swap_classes(struct fs_model *fs);

/* ---- clustering with constraints (cluster.c) ---- */

struct uf {
    uint32_t *parent;
    uint32_t *next;     /* circular member list per component */
    uint32_t *size;
    uint32_t *ncannot;  /* cannot-link endpoints within the component */
    uint64_t *unique;   /* per root: the unique sources (bit per source) among its members */
    uint32_t n;
    /* cannot-links as adjacency: cl_start[i]..cl_start[i+1] into cl_other */
    uint32_t *cl_start;
    uint32_t *cl_other;
};

void uf_init(struct uf *uf, uint32_t n);
void uf_free(struct uf *uf);
uint32_t uf_find(struct uf *uf, uint32_t x);
/* Installs cannot-links (pairs of node indexes); call before any merge. */
void uf_set_cannot(struct uf *uf, const uint32_t *pairs, size_t npairs);
/* True when joining the components of a and b would put a cannot-linked
 * pair into one component. */
bool uf_conflict(struct uf *uf, uint32_t a, uint32_t b);
/* Marks node i as a record of unique source number `bit` (0..63). */
void uf_set_unique(struct uf *uf, uint32_t i, int bit);
/* True when the components of a and b both hold a record of one unique
 * source (joining them would break one-to-one). */
bool uf_unique_conflict(struct uf *uf, uint32_t a, uint32_t b);
/* Joins unless a cannot-link, or (with check_unique) one-to-one, forbids
 * it: 1 joined (or already one), 0 refused by a cannot-link, -1 refused
 * by one-to-one. */
int uf_union(struct uf *uf, uint32_t a, uint32_t b, bool check_unique);
/* Whether alike(x, y) holds for every x of a's component and y of b's that
 * come from one source (source[x] == source[y]); at most
 * UF_ALIKE_CHECKS such pairs are asked, among the first UF_ALIKE_CHECKS^2
 * pairs of members. */
#define UF_ALIKE_CHECKS 64
bool uf_alike(struct uf *uf, uint32_t a, uint32_t b, const uint16_t *source,
              bool (*alike)(void *ctx, uint32_t x, uint32_t y), void *ctx);

/* Gives each component an entity id: the id held (or preferred) by most of
 * its members, each existing id used by one component only (the larger
 * share wins, then the lower id). `want[i]` is node i's current or
 * preferred entity (0 none); components left without one get 0 in out. */
void cluster_assign_ids(struct uf *uf, const int64_t *want, int64_t *out);

/* ---- small shared helpers ---- */
uint64_t dedup_hash(const void *data, size_t len, uint64_t seed);
/* qsort's order of uint64_t. */
int dedup_cmp_u64(const void *x, const void *y);

/* Strings that live as long as a working set: allocated in 1 MiB chunks. */
struct arena {
    char **chunks;
    size_t nchunks;
    size_t used; /* in the last chunk */
};
const char *arena_strndup(struct arena *a, const char *s, size_t len);
void *arena_alloc(struct arena *a, size_t len); /* 16-byte aligned */
void arena_free(struct arena *a);

/* int64 -> uint32 open-addressing map (record id -> node index). */
struct idmap {
    int64_t *keys;
    uint32_t *vals;
    size_t mask;
};
void idmap_init(struct idmap *m, size_t expected);
void idmap_put(struct idmap *m, int64_t key, uint32_t val);
bool idmap_get(const struct idmap *m, int64_t key, uint32_t *val);
void idmap_free(struct idmap *m);

/* ---- the plan: what to load and how to compare (plan.c) ---- */

/* A blocking key with its parts as loaded columns. */
struct rule_part {
    int col;
    enum block_fn fn;
    int n;
};
struct block_rule {
    struct rule_part parts[BLOCK_MAX_PARTS];
    int nparts;
};

#define PLAN_MAX_COLS 24
#define PLAN_MAX_RULES MATCH_MAX_KEYS

struct match_plan {
    const struct config *cfg;
    const char *cols[PLAN_MAX_COLS]; /* loaded fields */
    bool col_text[PLAN_MAX_COLS];    /* normalised (text, url); else as the database prints it */
    bool col_url[PLAN_MAX_COLS];     /* a url: cut to its page first (url.c) */
    int ncols;
    int title_col;
    int label_cols[PLAN_MAX_COLS];   /* what names a record: the title, then text fields */
    int nlabels;
    struct comparison cmps[FS_MAX_FIELDS];
    int cmp_col[FS_MAX_FIELDS];
    int ncmp;
    bool derived;                    /* comparisons derived from [schema] field types */
    int key_cols[PLAN_MAX_COLS];
    int nkeys;
    struct block_rule rules[PLAN_MAX_RULES];
    int nrules;                      /* 0: blocking derived from the data (block_auto.c) */
};

/* The plan of cfg's [matching]; without compare.FIELD keys every [schema]
 * field (up to FS_MAX_FIELDS) is compared by the comparator its type calls
 * for. Fails only when there is nothing to compare. */
int match_plan_init(struct match_plan *p, const struct config *cfg, struct err *err);
/* SQL naming the record `alias` as entities are titled: the first of its
 * label_cols with a value. Freed by the caller. */
char *match_plan_label_sql(const struct match_plan *p, struct db *db, const char *alias);
/* "SIG" of the comparisons, to tell whether a stored model still fits. */
void match_plan_signature(const struct match_plan *p, struct buf *out);
/* The form the plan's compared url fields are cut to: DEDUP_URL_FORM, and
 * the tracking parameters when they are not the default ("2",
 * "2;ref,utm_*"); empty when no url field is compared. Stored with the
 * model: another form makes the next pass estimate it again. */
void match_plan_url_form(const struct match_plan *p, struct buf *out);

/* ---- the working set of records (recset.c) ---- */

enum member_method { METHOD_NONE, METHOD_SINGLE, METHOD_AUTO, METHOD_EXACT, METHOD_MANUAL };
const char *member_method_name(int method);

struct recset {
    uint32_t n, cap;
    int ncols;
    int64_t *id;
    uint16_t *source;       /* index into sources */
    int64_t *change_seq;
    int64_t *entity;        /* membership (live or remembered); 0 none */
    int64_t *member_seq;    /* -1 none */
    uint8_t *member_live;
    uint8_t *method;        /* enum member_method of the stored membership */
    const char **val;       /* n * ncols values (text normalised); NULL missing */
    const struct tokvec **tv; /* n * ncols weighted words of `text` comparisons (text.c) */
    const char **title;     /* raw title; NULL missing */
    uint8_t *nfilled;       /* how many loaded fields have a value */
    bool codes_apart;       /* another compared text field holds the records' codes (text.c) */
    int code_col[FS_MAX_FIELDS]; /* those fields' columns (text.c) */
    int ncode_cols;
    uint64_t *fp;           /* exact-stage fingerprint; 0 when a key field is missing */
    char *sources[1024];
    bool source_unique[1024]; /* [source] unique = true */
    uint16_t nsources;
    struct arena arena;
};

/* Every live record with its membership (COPY, streamed). */
int recset_load_live(struct db *db, const struct match_plan *p, struct recset *rs,
                     struct err *err);
/* Where a source writes years in a date-compared field — at least
 * DATES_YEARS_MIN of its values, and one in DATES_YEARS_SHARE, fall on
 * 1 January at midnight, against one in 365 for days —, its values on
 * 1 January become the year alone ("2003"), compared by year; where it
 * writes months — as many on the first of a month, and one in
 * DATES_MONTHS_SHARE, against one in 30 for days —, its values on a first
 * become the month alone ("2003-05"), compared by month (dates.c). */
#define DATES_YEARS_MIN 10
#define DATES_YEARS_SHARE 20
#define DATES_MONTHS_SHARE 4
void dates_mark_years(const struct match_plan *p, struct recset *rs);
/* Builds rs->tv once every record is loaded (text.c). */
void text_index_build(const struct match_plan *p, struct recset *rs);
/* Then marks the variant words of every title compared by them (text.c). */
void text_variants_build(const struct match_plan *p, struct recset *rs);
/* Marks the variant words among the word vectors of column col (the
 * title's): the words by which near-identical titles of one unique source
 * tell its things apart (variants.c). */
void variants_mark(struct recset *rs, int col);
/* The variant words of column col as sorted hashes (*nvar of them), with
 * at most budget bytes of twin keys held at once: the same words whatever
 * the budget, learnt in more passes when it is smaller. */
struct variants_stats {
    size_t keys;   /* twin keys made */
    size_t passes; /* passes over the titles that made them */
    size_t most;   /* keys held at once */
};
uint64_t *variants_learn(const struct recset *rs, int col, size_t budget, size_t *nvar,
                         struct variants_stats *st);
/* Only the live records among `ids`. */
int recset_load_ids(struct db *db, const struct match_plan *p, const int64_t *ids, size_t n,
                    struct recset *rs, struct err *err);
void recset_free(struct recset *rs);
static inline const char *rs_val(const struct recset *rs, uint32_t i, int col)
{
    return rs->val[(size_t)i * (size_t)rs->ncols + (size_t)col];
}
/* "{1,2,3}" for a bigint[] parameter. */
void ids_array_text(struct buf *out, const int64_t *ids, size_t n);

/* ---- blocking (block.c) ---- */

/* Candidate pairs (a << 32 | b, a < b) of records sharing a block key, at
 * least one of them `changed` (NULL: all), unique and sorted; without
 * configured keys, block_auto's. */
uint64_t *block_pairs(const struct match_plan *p, const struct recset *rs, const uint8_t *changed,
                      bool within_source, long max_block, size_t *npairs);
/* Blocking derived from the data (block_auto.c); records sharing the
 * value of an identifying text field are compared when at most max_block
 * share it. */
uint64_t *block_auto(const struct match_plan *p, const struct recset *rs, const uint8_t *changed,
                     bool within_source, long max_block, size_t *npairs);

/* Shared by both: (key, record) entries radix-sorted by key, a growing
 * list of pairs, and sorting it unique (returns the new count). */
struct block_entry {
    uint64_t key;
    uint32_t idx;
};
void block_sort_entries(struct block_entry *a, size_t n);
struct block_pairset {
    uint64_t *p;
    size_t n, cap;
};
/* Adds a-b unless a == b or (without within_source) both share a source. */
void block_pair_add(struct block_pairset *ps, const struct recset *rs, uint32_t a, uint32_t b,
                    bool within_source);
size_t block_pairs_unique(uint64_t *pairs, size_t n);
void dedup_sort_u64(uint64_t *a, size_t n); /* radix sort, ascending */

/* ---- comparing pairs (pairs.c) ---- */

struct tf_table; /* value frequencies per compared field */
/* Counts every value; keeps the counts of those of the `changed` records
 * (NULL: all), the only values an agreeing pair of this pass can hold. */
struct tf_table *tf_build(const struct match_plan *p, const struct recset *rs,
                          const uint8_t *changed);
void tf_free(struct tf_table *tf);

/* Levels of one pair, one byte per comparison, and where in each level's
 * band the pair lies (comparison_level). */
void pair_levels(const struct match_plan *p, const struct recset *rs, uint32_t a, uint32_t b,
                 uint8_t *levels, uint8_t *fracs);
/* Levels and band positions of all npairs pairs (npairs rows of ncmp
 * bytes each), on all cores when there are many (levels.c). Returns the
 * threads it used. */
int pairs_compare_all(const struct match_plan *p, const struct recset *rs,
                      const uint64_t *pairs, size_t npairs, uint8_t *levels, uint8_t *fracs);
/* The weight field f adds (term frequencies when tf; a is the pair's
 * first record), and the match weight of a whole pair. */
double field_weight(const struct match_plan *p, const struct fs_model *fs,
                    const struct tf_table *tf, const struct recset *rs, uint32_t a, int f,
                    int level, uint8_t frac);
double pair_weight(const struct match_plan *p, const struct fs_model *fs,
                   const struct tf_table *tf, const struct recset *rs, uint32_t a,
                   const uint8_t *levels, const uint8_t *fracs);
/* The per-field explanation stored with a candidate (a JSON object), with
 * the one-to-one change (onetoone.c) under ONE_TO_ONE_KEY when not 0.
 * Returns the pair's disagreement: the evidence on its losing side (the
 * smaller of the bits for and the bits against a match). */
#define ONE_TO_ONE_KEY "one-to-one"
double pair_explain(const struct match_plan *p, const struct fs_model *fs,
                    const struct tf_table *tf, const struct recset *rs, uint32_t a, uint32_t b,
                    double one_to_one, struct buf *json);
/* Lowers the weights of pairs between unique sources by their rivals
 * (onetoone.c); a labelled pair (label[k] >= 0; label NULL: none) counts
 * as certain among its rivals and keeps its own weight. adjust[k] gets the
 * change. Between two sources with partner rates a pair's weight is first
 * rebuilt on the per-record prior (partner.c); prior[k] gets the prior
 * each pair's weight is built on (prior may be NULL when fs has no
 * partner rates: it is the pairwise one). paired[k] (may be NULL) gets
 * what weighing both records' alternatives at once would add to the
 * pair's weight, between two sources with partner rates (0 elsewhere);
 * the weight keeps the lower bound. False when no source is unique. */
bool one_to_one_adjust(const struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                       size_t npairs, const int8_t *label, double *weight, float *adjust,
                       float *prior, float *paired);
/* The groups of rivals: per pair the slot of (its first record, the
 * second's source) and of (second, first's source), UINT32_MAX when the
 * pair is not between two unique sources. Returns the number of slots
 * (0: no pair is). */
uint32_t one_to_one_slots(const struct recset *rs, const uint64_t *pairs, size_t npairs,
                          uint32_t *sa, uint32_t *sb);
/* The weight pair k brings among its rivals: its own, or, decided
 * (label[k] >= 0; label NULL: none), certain either way. */
double one_to_one_evidence(const int8_t *label, size_t k, double weight);
/* outranked[k]: a rival of pair k (a candidate of one of its records in
 * the other's unique source) has more evidence than it, by weight before
 * the one-to-one change. */
void one_to_one_outranked(const struct recset *rs, const uint64_t *pairs, size_t npairs,
                          const double *weight, uint8_t *outranked);
/* out[k]: weight[k] lowered by its rivals' odds (sums: nslots scratch). */
void one_to_one_posteriors(const double *weight, size_t n, const uint32_t *sa,
                           const uint32_t *sb, uint32_t nslots, double *sums, double *out);

/* ---- the bipartite prior between unique sources (partner.c) ---- */

/* A partner rate of `source` towards `other` (q and n 0), copying the
 * names; its index (the table grows as needed). */
int partner_add(struct fs_model *fs, const char *source, const char *other);
/* Frees the partner rates; the model has none left. */
void partner_clear(struct fs_model *fs);
/* Estimates fs->partner from the pairs' evidence (log2 m/u summed, the
 * prior left out; a decided pair +-60). */
void partner_estimate(struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                      size_t npairs, const double *evidence);
/* Per pair (with its slots, one_to_one_slots): log2 of the prior odds of
 * b as a's partner (la) and of a as b's (lb), q / (n (1 - q)); NAN for
 * both when the pair is not between two sources with partner rates. za
 * and zb (may be NULL) get -log2(1 - q) for a's side and b's: how
 * improbable "no partner" is for each record. */
void partner_pair_priors(const struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                         size_t npairs, const uint32_t *sa, const uint32_t *sb, double *la,
                         double *lb, double *za, double *zb);

/* ---- the model's life cycle (model.c) ---- */

/* ---- operators' decisions as labels (labels.c) ---- */

struct labels {
    int8_t *of_pair;     /* per blocked pair: -1 none, 0 not a match, 1 a match */
    uint64_t *extra;     /* labelled pairs blocking did not find (a << 32 | b, a < b) */
    int8_t *extra_label;
    size_t nextra;
    long long count;     /* links in force, deleted records' too */
    long long mark;      /* the newest decision id among them (0 none) */
};
/* The links among the working set's records, against the sorted blocked
 * pairs. */
int labels_load(struct db *db, const struct recset *rs, const uint64_t *pairs, size_t npairs,
                struct labels *l, struct err *err);
void labels_free(struct labels *l);
/* Index of key in the sorted pairs, or -1. */
long labels_find_pair(const uint64_t *pairs, size_t n, uint64_t key);

/* The blocked pairs of a pass, their levels (npairs rows of ncmp) and the
 * labels. */
struct pass_pairs {
    const struct recset *rs;
    const uint64_t *pairs;
    const uint8_t *levels;
    size_t npairs;
    const struct labels *labels;
};

#define MODEL_MAX_WARNINGS DEDUP_MAX_WARNINGS
/* What an estimate found doubtful, for the run's report: at most
 * MODEL_MAX_WARNINGS - 1 lines, the last kept for the pass's own (the
 * review budget's, match.c), and how many more went to the log only. */
struct model_report {
    char warnings[MODEL_MAX_WARNINGS][DEDUP_WARNING_LEN];
    int nwarnings;
    int ndropped;
};

/* The stored model when it fits the plan, else defaults (estimated = false). */
int model_load(struct db *db, const struct match_plan *p, struct fs_model *fs, struct err *err);
/* Whether operators decided something (kasparro.links changed) since fs
 * was estimated. */
int model_labels_changed(struct db *db, const struct fs_model *fs, bool *changed,
                         struct err *err);
/* m, u and the prior by EM over the blocked pairs and the operators'
 * decisions; saves the model. Doubts are logged as warnings and added to
 * rep. */
/* The most matching pairs the sources can hold, as a share of npairs
 * blocked pairs; 0 when nothing bounds them (model.c says how). */
double model_max_prior(const struct recset *rs, size_t npairs, bool within_source);
int model_estimate(struct db *db, const struct match_plan *p, const struct pass_pairs *pp,
                   struct fs_model *fs, struct model_report *rep, struct err *err);
int model_save(struct db *db, const struct match_plan *p, const struct fs_model *fs,
               struct err *err);
/* Keeps with the stored model the automatic threshold a full pass's review
 * budget set (0: the configured one), for the incremental passes after it. */
int model_save_budget(struct db *db, double threshold, struct err *err);

/* ---- the automatic threshold under the review budget (budget.c) ---- */

/* A full pass's pairs as scored: final weights (one-to-one included), the
 * one-to-one change (NULL: none), what both records' alternatives add
 * (NULL: none), the operators' labels (NULL: none). */
struct budget_in {
    const double *weight;
    const float *adjust;
    const float *paired;
    const int8_t *label;
    size_t npairs;
    size_t records;
    double auto_threshold;
    double review;
    double budget_share;   /* [matching] review_budget; 0: no budget */
};

struct budget_out {
    double threshold;     /* the pass's automatic threshold */
    size_t budget;        /* the most pairs an operator reviews */
    size_t decided;       /* decided pairs: the operators' review spent */
    size_t left;          /* the most undecided pairs the queue should
                           * hold: the budget less `decided`, at least
                           * REVIEW_BUDGET_MIN */
    size_t queued_before; /* the queue at the configured threshold */
    size_t queued;        /* ... and at the one found */
    size_t merged;        /* pairs below the configured threshold merged */
    double precision;     /* the automatic merges' mean probability */
};

/* The fewest pairs the budget allows (a small set's tenth is a handful);
 * the share of the records is [matching] review_budget. */
#define REVIEW_BUDGET_MIN 50

/* The most pairs an operator is expected to review among `records`. */
size_t budget_pairs(size_t records, double share);
/* The configured automatic threshold, or a lower one when the queue would
 * exceed the budget (budget.c says how far). */
double budget_auto_threshold(const struct budget_in *in, struct budget_out *out);
/* Above this weight a merge's probability, kept as a float, is 1: the
 * model has no doubt left to show an operator (budget.c). */
#define CONFIRM_MAX_BITS 24.0
/* How many automatic merges a pass lists for an operator to confirm:
 * what the review budget (the share of `records`, no floor) leaves once
 * `decided` pairs and the `queued` ones are counted, 0 when that is less
 * than a session of REVIEW_BUDGET_MIN pairs. */
size_t budget_confirm_room(size_t records, double share, size_t decided, size_t queued);
/* The share of a merge's field evidence against it (0..1): bits against
 * over bits for and against, 0 when none is against. */
float budget_contest(double bits_for, double bits_against);
/* Marks in confirm[] `room` of the n pairs that merged[] says were merged
 * automatically and whose weight is below CONFIRM_MAX_BITS: the most
 * contested first (contest[k], budget_contest; NULL: none is), then the
 * least probable (ties: the lower weight, then the earlier pair); returns
 * how many it marked. */
size_t budget_confirm_pick(const float *prob, const double *weight, const float *contest,
                           const uint8_t *merged, size_t n, size_t room, uint8_t *confirm);

/* ---- clustering a working set and writing the result (solve.c, store.c) ---- */

enum edge_kind { EDGE_AUTO = 1, EDGE_EXACT = 2, EDGE_MUST = 3 };

/* REFUSED_APART: the join would put two records of one source that were
 * never compared, and do not match when they are, into one entity */
/* REFUSED_TIED: strong enough to merge alone, lowered by rivals none of
 * which has more evidence (REFUSED_UNIQUE: one has, or clustering found
 * the other record's source taken) */
/* REFUSED_PAIRED: no refusal but a note: below review alone, queued as
 * what both records' alternatives together make likely */
enum refusal { REFUSED_NONE, REFUSED_CANNOT, REFUSED_UNIQUE, REFUSED_APART, REFUSED_TIED,
               REFUSED_PAIRED };

struct edge {
    uint32_t a, b;
    float p;
    double w;         /* match weight: the order among automatic edges */
    uint32_t tag;     /* the caller's index for this edge */
    uint8_t kind;
    uint8_t refused;  /* enum refusal: why joining was refused */
};

struct solve {
    struct recset *rs;
    struct edge *edges;
    size_t nedges, cap;
    uint32_t *cannot;        /* pairs of node indexes */
    size_t ncannot, capc;
    uint8_t *changed;        /* per node: its membership is re-decided */
    bool premerge;           /* unchanged nodes stay with their entity */
    int64_t *want;           /* per node: preferred entity (default: rs->entity) */
    /* optional: whether records a and b of one source, which an automatic
     * edge would put into one entity, match when compared directly */
    bool (*alike)(void *ctx, uint32_t a, uint32_t b);
    void *alike_ctx;
    /* results */
    int64_t *assigned;       /* per node */
    uint8_t *method;         /* per node */
    float *confidence;       /* per node */
    size_t new_entities;
};

void solve_init(struct solve *s, struct recset *rs);
void solve_free(struct solve *s);
void solve_edge(struct solve *s, uint32_t a, uint32_t b, float p, double w, int kind,
                uint32_t tag);
void solve_cannot(struct solve *s, uint32_t a, uint32_t b);
/* Adds the exact-stage edges (equal fingerprints, across sources unless
 * within_source) involving a changed node, for identifying fingerprints
 * only: one no source holds more than once when it is unique, or more than
 * EXACT_MAX_PER_SOURCE times. */
#define EXACT_MAX_PER_SOURCE 3
void solve_exact_edges(struct solve *s, bool within_source);
/* Loads must and cannot links among the working set's records. */
int solve_load_links(struct solve *s, struct db *db, struct idmap *ids, struct err *err);
/* Clusters and assigns entity ids (0 for components needing a new one). */
void solve_run(struct solve *s);

struct store_stats {
    long long members_written, entities_created, entities_updated, entities_emptied;
    long long candidates_written, auto_merges, queued, superseded;
};

/* Writes the solved memberships, creates new entities and refreshes the
 * touched ones (`extra` too): title, canonical record, size; an entity left
 * without live members gets deleted_at. */
int store_solution(struct db *db, const struct match_plan *p, struct solve *s,
                   const int64_t *extra, size_t nextra, struct store_stats *st,
                   struct err *err);
/* Marks soft-deleted members not live; returns the entities they left. */
int store_retire_deleted(struct db *db, int64_t **entities, size_t *n, struct err *err);

/* The lock every writer of entities takes, in its transaction. */
int dedup_lock(struct db *db, struct err *err);
/* An empty temporary table for this transaction (created on first use). */
int dedup_temp_table(struct db *db, const char *name, const char *columns, struct err *err);
/* Begins a COPY of a pass's rows for `table`: straight into it when it has
 * no rows at all (the first pass over a database, where an upsert could only
 * insert), else into the temp table `stage` (created with stage_columns)
 * for the caller's upsert. `columns` names the COPY columns, the same in
 * both. Returns 1 when the rows go straight in, 0 when staged, -1 failed. */
struct copy_writer;
int dedup_copy_begin(struct db *db, struct copy_writer *w, const char *table,
                     const char *columns, const char *stage, const char *stage_columns,
                     struct err *err);
/* Candidates whose records now share an entity leave the queue, and so do
 * pending ones an approval rules out between unique sources (a record of
 * the pair approved with another of the other's source); so do pending
 * and automatic ones that this transaction did not re-score among
 * `scope` ("all" or the records in temp table dedup_changed). */
int store_supersede(struct db *db, const struct config *cfg, bool all, long long *n,
                    struct err *err);
int store_supersede_settled(struct db *db, const struct config *cfg, long long *n,
                            struct err *err);
/* The pending pairs of the records an incremental pass leaves as they
 * are (not in its dedup_changed), in *queued, and the pairs operators
 * decided, in *decided: the queue beside the pass's own pairs (store.c). */
int store_queue_beside(struct db *db, size_t *queued, size_t *decided, struct err *err);

/* ---- decisions' shared steps (decide.c) ---- */
/* The note of a pair that would join records a rejection or a split keeps
 * apart: a pass and a decision's re-clustering both queue it so, and an
 * undo finds by it the automatic pairs its decision queued. */
#define DEDUP_NOTE_CANNOT "would join records kept apart by a rejection or split"
/* The note of an automatic merge the pass also lists in the queue, the
 * review budget having room for it (budget.c): the operator's explanation
 * only; match_candidates.to_confirm is what marks it (migration 023). It
 * stays merged, and the re-clustering after a decision keeps it as an
 * automatic edge until an operator rejects it. */
#define DEDUP_NOTE_CONFIRM                                                                      \
    "merged automatically, among the merges the model is least sure of: approve to keep it, "  \
    "reject to split it"
/* The same for a listed merge some field argues against (budget.c: the
 * most contested are listed first, however probable). */
#define DEDUP_NOTE_CONTESTED                                                                    \
    "merged automatically, though some of the evidence is against it: approve to keep it, "    \
    "reject to split it"
char *dedup_lltoa(long long v, char *buf); /* buf of 24 bytes */
/* JSON array of [record, entity] of the live members of `entities`. */
char *decision_snapshot(struct db *db, const int64_t *entities, size_t n, struct err *err);
long long decision_insert(struct db *db, const char *action, const char *actor,
                          const char *reason, long long cand, long long record, long long entity,
                          long long undoes, const char *before, struct err *err);
/* Stores `after`, the automatic pairs the decision queued (its before's
 * "requeued", which an undo makes automatic again) and the audit row. */
int decision_finish(struct db *db, long long decision, const long long *records, size_t n,
                    struct err *err);
int decision_begin(struct db *db, struct err *err);
int decision_end(struct db *db, int rc, struct err *err);

/* ---- re-deciding entities after a decision (recluster.c) ---- */

/* Entities records should return to (an undo's "before"). */
struct preferred {
    struct idmap map; /* record id -> index into entity */
    int64_t *entity;
};
/* Re-clusters the live members of `entities` plus `records`. */
int recluster(struct db *db, const struct config *cfg, const int64_t *entities, size_t n,
              const int64_t *records, size_t nrecords, const struct preferred *pref,
              struct err *err);

#endif
