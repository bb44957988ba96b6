/*
 * search.c — the SQL side of searching, kept in step with this build.
 *
 * Searches fold case and accents with kasparro.fold(), an IMMUTABLE SQL
 * function whose translate() table comes from utf8proc (core/fold.c), and
 * an entity search is served by entities_search_idx, a pg_trgm GIN index on
 * kasparro.entity_search_key(title, key): the title and the key through
 * fold_trigrams(), folded and with letters beyond ASCII made ASCII ones so
 * that they make trigrams in a database whose LC_CTYPE is C (fold.h). An index on an expression is only right
 * while the expression folds as it did when the index was built, and the
 * table is utf8proc's: a newer one that folds one more letter would make
 * the index disagree with the needle, silently. So the functions are not
 * written once by a migration but by this file: their definitions, with the
 * index's, carry a digest (the comment on kasparro.fold), and every db_open
 * compares it with this build's in one query. When it differs (a first
 * start after an upgrade, another utf8proc) the index is dropped, the
 * functions replaced and the index built again, in one transaction under
 * the migrations' lock; when pg_trgm is installed later, the index is
 * built at the next start. Only the first db_open of a process does that
 * work (those opened meanwhile wait for it); later connections take the
 * state as they find it, and use the index only when it is this build's.
 *
 * Two builds on one database whose utf8proc differ (a daemon and a console
 * of two installations, an upgrade under way) would replace each other's
 * functions and rebuild the index at each other's every start. The digest
 * therefore carries the utf8proc version, and the build of the newer one
 * wins: an older build leaves the functions, the index and the label
 * indexes as they are and searches with them. That is right, if less
 * complete: the database's fold() and fold_trigrams() agree with each
 * other and with the indexes, so the index's condition still holds of
 * every row the folded text matches; only a letter the older utf8proc
 * does not fold, in a needle it folded, finds nothing. Two builds of one
 * utf8proc whose digests differ (kasparro's own folding changed) replace
 * each other as before: run one version of kasparro per database.
 *
 * Building the index takes a SHARE lock on kasparro.entities: listings and
 * searches read on, writers of entities (a run's matching) wait for it —
 * seconds at a million entities (docs/architecture.md).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/db.h"
#include "kasparro/fold.h"
#include "kasparro/log.h"

/* What the entity search index covers: the title and the key (an entity
 * without a title is found by its key), one string for one index. The key
 * is searched unfolded, but folding can only keep what it contains. */
static const char *sql_entity_key =
    "CREATE OR REPLACE FUNCTION kasparro.entity_search_key(title text, key text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$SELECT kasparro.fold_trigrams("
    "coalesce(title, '') || ' ' || key)$body$;\n";
/* %s: pg_trgm's schema, quoted */
static const char *sql_index =
    "CREATE INDEX entities_search_idx ON kasparro.entities USING gin "
    "(kasparro.entity_search_key(title, key) %s.gin_trgm_ops) WHERE deleted_at IS NULL";

/* The comment on kasparro.fold, whether the index is there, and the schema
 * pg_trgm is installed in (NULL: not installed). */
static const char *sql_state =
    "SELECT obj_description(to_regprocedure('kasparro.fold(text)'), 'pg_proc'), "
    "to_regclass('kasparro.entities_search_idx') IS NOT NULL, "
    "(SELECT quote_ident(n.nspname) FROM pg_extension x "
    "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm')";

struct search_state {
    bool current, indexed;
    bool newer; /* the functions are another build's, of a newer utf8proc */
    char trgm_schema[128]; /* "" when pg_trgm is not installed */
};

static uint64_t search_digest(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

#define TAG_PREFIX "kasparro search "

static pthread_once_t tag_once = PTHREAD_ONCE_INIT;
static char tag_text[80];

static void tag_make(void)
{
    char *fold = fold_sql_functions(), *defs = xasprintf("%s%s%s", fold, sql_entity_key, sql_index);

    snprintf(tag_text, sizeof tag_text, TAG_PREFIX "%016" PRIx64 " utf8proc %s",
             search_digest(defs), utf8proc_version());
    free(fold);
    free(defs);
}

/* The digest of the functions' and the index's definitions and the
 * utf8proc version, as tag: "kasparro search <16 hex digits> utf8proc
 * <version>". Made once per process. */
static const char *search_tag(void)
{
    pthread_once(&tag_once, tag_make);
    return tag_text;
}

/* The utf8proc version a tag names, as three numbers; false for a tag of
 * a build that did not name it (which counts as older than any). */
static bool tag_version(const char *tag, int v[3])
{
    const char *p = tag ? strstr(tag, " utf8proc ") : NULL;

    v[0] = v[1] = v[2] = 0;
    return p != NULL && strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0 &&
           sscanf(p + strlen(" utf8proc "), "%d.%d.%d", &v[0], &v[1], &v[2]) >= 1;
}

/* Whether `stored` (the comment on kasparro.fold) is a build's of a newer
 * utf8proc than this one. */
static bool tag_newer(const char *stored)
{
    int theirs[3], ours[3];

    if (!tag_version(stored, theirs) || !tag_version(search_tag(), ours))
        return false;
    for (int i = 0; i < 3; i++)
        if (theirs[i] != ours[i])
            return theirs[i] > ours[i];
    return false;
}

/* The record label indexes (host/label_index.c) are on fold_trigrams() too:
 * the functions' replacement drops them with the entities' one. Their
 * names carry a digest of the tag in force, the comment on kasparro.fold,
 * whichever build wrote it (LABEL_NAME), so that every build on the
 * database names the same index, and one built on other functions (a
 * CONCURRENTLY that started before they were replaced) is never read. */
static const char *sql_drop_label_indexes =
    "DO $do$DECLARE i regclass; BEGIN FOR i IN SELECT c.oid::regclass FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'kasparro' "
    "AND c.relkind = 'i' AND c.relname LIKE 'records\\_label\\_%' LOOP "
    "EXECUTE 'DROP INDEX ' || i; END LOOP; END$do$;\n";

/* $1: the label's expression. NULL without kasparro.fold. */
#define LABEL_NAME                                                                              \
    "'records_label_' || left(md5(obj_description(to_regprocedure('kasparro.fold(text)'), "   \
    "'pg_proc') || E'\\n' || $1), 16)"
static const char *sql_label_name = "SELECT " LABEL_NAME;
static const char *sql_label_indexed =
    "SELECT EXISTS (SELECT FROM pg_index i WHERE i.indexrelid = "
    "to_regclass('kasparro.' || " LABEL_NAME ") AND i.indisvalid AND i.indisready)";

int db_label_index_name(struct db *db, const char *expr, char name[64], struct err *err)
{
    PGresult *r = db_exec(db, err, sql_label_name, DB_PARAMS(expr));

    if (r == NULL)
        return -1;
    snprintf(name, 64, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (name[0] == '\0')
        return err_set(err, "kasparro.fold() is missing: the search functions were not made");
    return 0;
}

int db_label_indexed(struct db *db, const char *expr, struct err *err)
{
    PGresult *r;
    int indexed;

    if ((r = db_exec(db, err, sql_label_indexed, DB_PARAMS(expr))) == NULL)
        return -1;
    indexed = db_bool(r, 0, 0);
    PQclear(r);
    return indexed;
}

/* Three word characters in a row once fold_trigrams() has made them ASCII
 * (a dropped mark between two of them joins them). A letter the table does
 * not map (CJK in a C-ctype database) is no word character to pg_trgm: a
 * needle of them has no trigram, and its index condition read the whole
 * index and rechecked every row (3 s at 400,000 records) where the walk in
 * id order reads at most the table. */
bool db_search_narrows(const char *needle)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)needle;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(needle), n;
    utf8proc_int32_t cp;
    int run = 0;

    for (; len > 0; p += n, len -= n) {
        if ((n = utf8proc_iterate(p, len, &cp)) <= 0) {
            n = 1; /* an invalid byte, kept as it is: no word character */
            cp = 0xfffd;
        }
        switch (fold_trigram_class((uint32_t)cp)) {
        case FOLD_TRIGRAM_WORD: run++; break;
        case FOLD_TRIGRAM_DROPPED: break;
        case FOLD_TRIGRAM_OTHER: run = 0; break;
        }
        if (run == 3)
            return true;
    }
    return false;
}

/* cp as an ARE character-entry escape, which a bracket takes as it is. */
static void regex_char(struct buf *b, utf8proc_int32_t cp)
{
    buf_printf(b, cp <= 0xffff ? "\\u%04x" : "\\U%08x", (unsigned)cp);
}

/* The first character of the UTF-8 table `s` (valid: fold.c wrote it) in
 * *cp, and the bytes it takes; 0 at the end. */
static utf8proc_ssize_t table_char(const char *s, utf8proc_int32_t *cp)
{
    return *s ? utf8proc_iterate((const utf8proc_uint8_t *)s, -1, cp) : 0;
}

/* The characters kasparro.fold() makes `cp`: itself and those the
 * translate() table maps to it (fold_sql; the ASCII capitals are there,
 * and lower() makes them the same), as a bracket. */
static void regex_preimage(struct buf *b, utf8proc_int32_t cp, const char *from, const char *to)
{
    utf8proc_int32_t fc, tc;
    utf8proc_ssize_t nf, nt;

    buf_addc(b, '[');
    regex_char(b, cp);
    for (; (nf = table_char(from, &fc)) > 0 && (nt = table_char(to, &tc)) > 0;
         from += nf, to += nt)
        if (tc == cp && fc != cp)
            regex_char(b, fc);
    buf_addc(b, ']');
}

static void regex_run(struct buf *b, utf8proc_int32_t lo, utf8proc_int32_t hi)
{
    regex_char(b, lo);
    buf_addc(b, '-');
    regex_char(b, hi);
}

/* The characters the table drops (those of `from` past the end of `to`:
 * the combining marks), as a bracket of runs of code points, any number
 * of them. */
static void regex_dropped(struct buf *b, const char *from, const char *to)
{
    utf8proc_int32_t cp, lo = -1, hi = -1;
    utf8proc_ssize_t n;

    for (; (n = table_char(to, &cp)) > 0; to += n)
        from += table_char(from, &cp);
    buf_addc(b, '[');
    for (; (n = table_char(from, &cp)) > 0; from += n) {
        if (lo >= 0 && cp == hi + 1) {
            hi = cp;
            continue;
        }
        if (lo >= 0)
            regex_run(b, lo, hi);
        lo = hi = cp;
    }
    if (lo >= 0)
        regex_run(b, lo, hi);
    buf_adds(b, "]*");
}

char *db_search_regex(const char *folded)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)folded;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(folded), n;
    const char *from, *to;
    utf8proc_int32_t cp;
    struct buf b = BUF_INIT, dropped = BUF_INIT;

    fold_sql(&from, &to);
    regex_dropped(&dropped, from, to); /* the same between any two characters */
    buf_adds(&b, "");
    for (; len > 0; p += n, len -= n) {
        if ((n = utf8proc_iterate(p, len, &cp)) <= 0) {
            buf_free(&b);
            buf_free(&dropped);
            return NULL;
        }
        if (b.len > 0) /* what fold() drops may come between two of them */
            buf_add(&b, buf_str(&dropped), dropped.len);
        regex_preimage(&b, cp, from, to);
    }
    buf_free(&dropped);
    return buf_detach(&b);
}

static int search_state(struct db *db, const char *tag, struct search_state *st, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_state, 0, NULL);

    if (r == NULL)
        return -1;
    st->current = !PQgetisnull(r, 0, 0) && strcmp(PQgetvalue(r, 0, 0), tag) == 0;
    st->newer = !st->current && !PQgetisnull(r, 0, 0) && tag_newer(PQgetvalue(r, 0, 0));
    st->indexed = db_bool(r, 0, 1);
    snprintf(st->trgm_schema, sizeof st->trgm_schema, "%s", PQgetvalue(r, 0, 2));
    PQclear(r);
    return 0;
}

/* A newer utf8proc's functions are left as they are, index or not: that
 * build builds it at its next start. */
static bool search_in_step(const struct search_state *st)
{
    return st->newer || (st->current && (st->indexed || st->trgm_schema[0] == '\0'));
}

/* Drops the index, replaces the functions and, with `trgm_schema` (pg_trgm's
 * schema), builds the index; one transaction. */
static int search_replace(struct db *db, const char *tag, const char *trgm_schema,
                          struct err *err)
{
    struct buf sql = BUF_INIT;
    char *fold = fold_sql_functions();

    buf_printf(&sql, "DROP INDEX IF EXISTS kasparro.entities_search_idx;\n%s%s%s"
               "COMMENT ON FUNCTION kasparro.fold(text) IS '%s';\n", sql_drop_label_indexes,
               fold, sql_entity_key, tag);
    if (trgm_schema != NULL)
        buf_printf(&sql, sql_index, trgm_schema);
    free(fold);
    if (db_begin(db, err) < 0) {
        buf_free(&sql);
        return -1;
    }
    PGresult *r = PQexec(db->conn, sql.data); /* several statements: the simple protocol */
    buf_free(&sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        db_error(db, r, err);
        PQclear(r);
        db_rollback(db);
        return -1;
    }
    PQclear(r);
    return db_commit(db, err);
}

/* Under the lock. An index that cannot be built (no pg_trgm, a disk full)
 * costs searches their speed, not kasparro its database: the functions are
 * made without it, the log says why, and the next start tries again. */
static int search_rebuild(struct db *db, const char *tag, const struct search_state *st,
                          struct err *err)
{
    struct err why = {0};
    double t0 = clock_mono();

    if (st->trgm_schema[0] == '\0') {
        if (search_replace(db, tag, NULL, err) < 0)
            return err_prefix(err, "search functions");
        log_warn("database '%s': pg_trgm is not installed, so entity searches read every "
                 "entity; 'CREATE EXTENSION pg_trgm' in it (PostgreSQL's contrib) and kasparro "
                 "builds the search index as it next starts", db->display);
        return 0;
    }
    log_info("building the search index on the live entities (after an upgrade: once; "
             "writers of entities wait for it)");
    if (search_replace(db, tag, st->trgm_schema, &why) == 0) {
        log_info("search index on the live entities built in %.1f s (%s)", clock_mono() - t0,
                 tag);
        return 0;
    }
    log_warn("database '%s': the search index could not be built, so entity searches read "
             "every entity until a start builds it: %s", db->display, why.msg);
    if (search_replace(db, tag, NULL, err) < 0)
        return err_prefix(err, "search functions");
    return 0;
}

/* Under the migrations' lock: brings the functions and the index in step,
 * unless another process did while this one waited. */
static int search_bring_in_step(struct db *db, const char *tag, struct search_state *st,
                                struct err *err)
{
    char key[16];
    int rc;

    snprintf(key, sizeof key, "%d", (int)DB_LOCK_MIGRATE);
    if (db_run(db, err, "SELECT pg_advisory_lock($1::int)", DB_PARAMS(key)) < 0)
        return -1;
    rc = search_state(db, tag, st, err);
    if (rc == 0 && !search_in_step(st))
        rc = search_rebuild(db, tag, st, err);
    if (rc == 0)
        rc = search_state(db, tag, st, err);
    struct err ignore = {0};
    db_run(db, &ignore, "SELECT pg_advisory_unlock($1::int)", DB_PARAMS(key));
    return rc;
}

int db_search_sync(struct db *db, struct err *err)
{
    /* Only the first connection of a process brings them in step, as it
     * starts: one opened later (a worker's, while the run holds entities in
     * a transaction of its own) would wait for that run's locks, and the
     * run for it. Connections opened meanwhile wait for it, then read. */
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static bool tried;
    const char *tag = search_tag();
    struct search_state st;
    int rc = 1;

    pthread_mutex_lock(&mu);
    if (!tried) {
        tried = true;
        rc = search_state(db, tag, &st, err);
        if (rc == 0 && !search_in_step(&st))
            rc = search_bring_in_step(db, tag, &st, err);
    }
    pthread_mutex_unlock(&mu);
    if (rc > 0)
        rc = search_state(db, tag, &st, err);
    /* an index another build made folds as that build does: this one
     * reads it only when that build's utf8proc is newer (see the top) */
    db->search_indexed = rc == 0 && (st.current || st.newer) && st.indexed;
    return rc;
}
