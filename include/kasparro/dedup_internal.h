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
    bool estimated;          /* m and prior came from EM on this data */
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
 * Updates m and the prior (u stays fixed). Returns the iterations run. */
int fs_em(struct fs_model *fs, const uint8_t *levels, size_t npairs, int iterations,
          bool fixed_prior);
/* Blends in operator decisions: counts of approved pairs per field level,
 * with the current m acting as `strength` pseudo-pairs. */
void fs_update_m(struct fs_model *fs, long long counts[][MAX_LEVELS], long long npairs,
                 double strength);

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

#endif
