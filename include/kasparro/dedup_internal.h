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
#include "kasparro/err.h"

/* ---- normalisation (normalize.c) ---- */

/* Appends the normalised form of s[0..len) to out (no NUL counted). */
void dedup_normalize_into(struct buf *out, const char *s, size_t len);
/* Same, into a new string (caller frees). */
char *dedup_normalize(const char *s);
/* A slug for entity keys: normalised, words joined by '-', at most
 * `max_words` words and about 40 bytes; "entity" when nothing is left. */
char *dedup_slug(const char *title, int max_words);

/* ---- comparators (compare.c); inputs are normalised UTF-8 ---- */

#define CMP_MAX_CHARS 256 /* longer strings are compared on their first 256 characters */

double cmp_jaro_winkler(const char *a, const char *b);
double cmp_levenshtein(const char *a, const char *b); /* 1 - distance / longer length */
double cmp_jaccard(const char *a, const char *b);     /* token sets */
double cmp_qgram(const char *a, const char *b, int q); /* q-gram (bigram default) Dice */
/* Days since 1970-01-01 of a "YYYY-MM-DD..." or "YYYYMMDD" value; false when not a date. */
bool cmp_parse_day(const char *s, long *day);

enum cmp_kind { CMP_EXACT, CMP_JARO_WINKLER, CMP_LEVENSHTEIN, CMP_JACCARD, CMP_QGRAM,
                CMP_NUMERIC, CMP_DATE };

#define LEVEL_MISSING 0
#define LEVEL_DISAGREE 1
#define MAX_LEVELS 6

/* One configured comparison: compare.FIELD = KIND[:TOLERANCE]. */
struct comparison {
    char *field;
    enum cmp_kind kind;
    double tolerance;       /* numeric: absolute; date: days; qgram: q */
    int nlevels;            /* levels 0..nlevels-1; nlevels-1 is "identical" */
};

int comparison_parse(struct comparison *c, const struct match_field *mf, struct err *err);
const char *cmp_kind_name(enum cmp_kind kind);
/* The level of two normalised values (NULL or "" is missing) and the
 * similarity behind it (0..1; -1 when missing). */
int comparison_level(const struct comparison *c, const char *a, const char *b, double *sim);
/* "jaro_winkler >= 0.94", for explanations. */
const char *comparison_level_label(const struct comparison *c, int level);

/* ---- Fellegi–Sunter model (score.c) ---- */

struct fs_model {
    int nfields;
    int nlevels[16];
    double m[16][MAX_LEVELS];
    double u[16][MAX_LEVELS];
    double prior;            /* P(match) for a blocked candidate pair */
    bool estimated;          /* m was estimated on this data (model.c) */
    long long em_pairs;      /* pairs EM ran on */
    int em_iterations_run;
};

#define FS_MAX_FIELDS 16

/* Defaults before any data: agreement likely for matches, rare for others. */
void fs_model_defaults(struct fs_model *fs, const struct comparison *cmps, int n, double prior);
/* log2(m/u) of one field at one level (0 when missing). */
double fs_level_weight(const struct fs_model *fs, int field, int level);
double fs_prior_weight(const struct fs_model *fs);
double fs_probability(double weight);

/* u from level counts over random pairs (counts[f][level]); smoothed. */
void fs_set_u(struct fs_model *fs, long long counts[][MAX_LEVELS]);
/* EM over blocked pairs: `levels` holds npairs rows of nfields levels.
 * Updates m, and the prior unless fixed_prior (u stays fixed). Returns the
 * iterations run. */
int fs_em(struct fs_model *fs, const uint8_t *levels, size_t npairs, int iterations,
          bool fixed_prior);
/* Blends in labelled matches (operator approvals, or pairs identical in the
 * key fields): counts of their levels per field, with the current m acting
 * as `strength` pseudo-pairs. */
void fs_update_m(struct fs_model *fs, long long counts[][MAX_LEVELS], long long npairs,
                 double strength);
/* The prior for `npairs` blocked pairs of `nrecords` records, `key_pairs` of
 * them identical in the key fields: key_pairs / npairs, or 1 / (nrecords - 1)
 * when no pair is. */
double fs_key_prior(long long key_pairs, long long npairs, long long nrecords);
/* True when field f's parameters make sense for matches: identical values
 * weigh for a match (m above u), different ones against it (m below u), and
 * no level of near agreement is more likely among matches than identity. */
bool fs_plausible(const struct fs_model *fs, int f);
/* Gives every implausible field of fs the m and u of `fallback`; returns
 * how many fields it replaced. */
int fs_guard(struct fs_model *fs, const struct fs_model *fallback);

/* ---- clustering with constraints (cluster.c) ---- */

struct uf {
    uint32_t *parent;
    uint32_t *next;     /* circular member list per component */
    uint32_t *size;
    uint32_t *ncannot;  /* cannot-link endpoints within the component */
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
/* Joins unless that conflicts: 1 joined (or already one), 0 refused. */
int uf_union(struct uf *uf, uint32_t a, uint32_t b);

/* Gives each component an entity id: the id held (or preferred) by most of
 * its members, each existing id used by one component only (the larger
 * share wins, then the lower id). `want[i]` is node i's current or
 * preferred entity (0 none); components left without one get 0 in out. */
void cluster_assign_ids(struct uf *uf, const int64_t *want, int64_t *out);

/* ---- small shared helpers ---- */
uint64_t dedup_hash(const void *data, size_t len, uint64_t seed);

/* Strings that live as long as a working set: allocated in 1 MiB chunks. */
struct arena {
    char **chunks;
    size_t nchunks;
    size_t used; /* in the last chunk */
};
const char *arena_strndup(struct arena *a, const char *s, size_t len);
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

enum block_fn { BK_VALUE, BK_PREFIX, BK_SUFFIX, BK_SORTED, BK_TOKENS, BK_DAY, BK_YEAR };

struct block_part {
    int col;
    enum block_fn fn;
    int n;
};

struct block_rule {
    struct block_part parts[4];
    int nparts;
};

#define PLAN_MAX_COLS 24
#define PLAN_MAX_RULES 16

struct match_plan {
    const struct config *cfg;
    const char *cols[PLAN_MAX_COLS]; /* loaded fields, normalised */
    int ncols;
    int title_col;
    struct comparison cmps[FS_MAX_FIELDS];
    int cmp_col[FS_MAX_FIELDS];
    int ncmp;
    int key_cols[PLAN_MAX_COLS];
    int nkeys;
    struct block_rule rules[PLAN_MAX_RULES];
    int nrules;
};

int match_plan_init(struct match_plan *p, const struct config *cfg, struct err *err);
/* "SIG" of the comparisons, to tell whether a stored model still fits. */
void match_plan_signature(const struct match_plan *p, struct buf *out);

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
    const char **val;       /* n * ncols normalised values; NULL missing */
    const char **title;     /* raw title; NULL missing */
    uint8_t *nfilled;       /* how many loaded fields have a value */
    uint64_t *fp;           /* exact-stage fingerprint; 0 when a key field is missing */
    char *sources[1024];
    uint16_t nsources;
    struct arena arena;
};

/* Every live record with its membership (COPY, streamed). */
int recset_load_live(struct db *db, const struct match_plan *p, struct recset *rs,
                     struct err *err);
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
 * least one of them `changed` (NULL: all), unique and sorted. */
uint64_t *block_pairs(const struct match_plan *p, const struct recset *rs, const uint8_t *changed,
                      bool within_source, long max_block, size_t *npairs);

/* ---- comparing pairs (pairs.c) ---- */

struct tf_table; /* value frequencies per compared field */
struct tf_table *tf_build(const struct match_plan *p, const struct recset *rs);
void tf_free(struct tf_table *tf);

/* Levels of one pair, one byte per comparison. */
void pair_levels(const struct match_plan *p, const struct recset *rs, uint32_t a, uint32_t b,
                 uint8_t *levels);
/* Levels of all npairs pairs into levels (npairs rows of ncmp bytes), on
 * all cores when there are many (levels.c). Returns the threads it used. */
int pairs_compare_all(const struct match_plan *p, const struct recset *rs,
                      const uint64_t *pairs, size_t npairs, uint8_t *levels);
/* Match weight of a pair from its levels (term frequencies when tf). */
double pair_weight(const struct match_plan *p, const struct fs_model *fs,
                   const struct tf_table *tf, const struct recset *rs, uint32_t a,
                   const uint8_t *levels);
/* The per-field explanation stored with a candidate (a JSON object). */
void pair_explain(const struct match_plan *p, const struct fs_model *fs,
                  const struct tf_table *tf, const struct recset *rs, uint32_t a, uint32_t b,
                  struct buf *json);

/* ---- the model's life cycle (model.c) ---- */

/* The stored model when it fits the plan, else defaults (estimated = false). */
int model_load(struct db *db, const struct match_plan *p, struct fs_model *fs, struct err *err);
/* u from random pairs; the prior (unless configured) and the first m from
 * the blocked `pairs` identical in the key fields; m by EM on `levels`
 * (npairs rows, one per pair); then operator approvals blended in. */
int model_estimate(struct db *db, const struct match_plan *p, const struct recset *rs,
                   const uint64_t *pairs, const uint8_t *levels, size_t npairs,
                   struct fs_model *fs, struct err *err);
int model_save(struct db *db, const struct match_plan *p, const struct fs_model *fs,
               struct err *err);

/* ---- clustering a working set and writing the result (solve.c, store.c) ---- */

enum edge_kind { EDGE_AUTO = 1, EDGE_EXACT = 2, EDGE_MUST = 3 };

struct edge {
    uint32_t a, b;
    float p;
    uint32_t tag;     /* the caller's index for this edge */
    uint8_t kind;
    uint8_t refused;  /* joining would cross a cannot-link */
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
    /* results */
    int64_t *assigned;       /* per node */
    uint8_t *method;         /* per node */
    float *confidence;       /* per node */
    size_t new_entities;
};

void solve_init(struct solve *s, struct recset *rs);
void solve_free(struct solve *s);
void solve_edge(struct solve *s, uint32_t a, uint32_t b, float p, int kind, uint32_t tag);
void solve_cannot(struct solve *s, uint32_t a, uint32_t b);
/* Adds the exact-stage edges (equal fingerprints, across sources unless
 * within_source) involving a changed node. */
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
/* Candidates whose records now share an entity leave the queue; so do
 * pending and automatic ones that this transaction did not re-score
 * among `scope` ("all" or the records in temp table dedup_changed). */
int store_supersede(struct db *db, bool all, long long *n, struct err *err);
int store_supersede_settled(struct db *db, long long *n, struct err *err);

/* ---- decisions' shared steps (decide.c) ---- */
char *dedup_lltoa(long long v, char *buf); /* buf of 24 bytes */
/* JSON array of [record, entity] of the live members of `entities`. */
char *decision_snapshot(struct db *db, const int64_t *entities, size_t n, struct err *err);
long long decision_insert(struct db *db, const char *action, const char *actor,
                          const char *reason, long long cand, long long record, long long entity,
                          long long undoes, const char *before, struct err *err);
/* Stores `after` and the audit row. */
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
