/*
 * fold.h — text folded for searching, so "ñúñez" finds "Ñúñez" and
 * "MULLER" finds "Müller": letters lose case and accents (utf8proc's case
 * folding and mark stripping), one character for one, combining marks
 * dropped. The console's searches fold in C; listings that search in
 * PostgreSQL fold there with kasparro.fold(), translate() and the same
 * table, so both always agree.
 */
#ifndef KASPARRO_FOLD_H
#define KASPARRO_FOLD_H

#include <stdbool.h>
#include <stdint.h>

/* s folded (caller frees); invalid bytes are kept as they are. */
char *fold_text(const char *s);
/* Whether folded `hay` contains `folded_needle` (already fold_text'ed). */
bool fold_contains(const char *hay, const char *folded_needle);
/* The folding as translate(text, *from, *to) arguments: each character of
 * from becomes the one at the same place in to; those past its end (the
 * combining marks) are dropped. Ordered by how often text uses each
 * character (translate() walks from its start). Built once; never freed. */
void fold_sql(const char **from, const char **to);
/* The statements that create (or replace) kasparro.fold(text), which folds
 * as fold_text() does, and kasparro.fold_trigrams(text), both IMMUTABLE
 * SQL functions PostgreSQL inlines, with the tables as literals (so they
 * change when utf8proc does: db/search.c compares and rebuilds what
 * depends on them). Text of ASCII characters only (as many bytes as
 * characters) folds to its lower case alone, which lower() under the "C"
 * collation makes fifty times faster than translate() walks its table;
 * other text is lowered so too before translate(), which then meets no
 * ASCII capital (late in the table). fold_trigrams() folds the same way,
 * then makes each letter beyond ASCII an ASCII one, for pg_trgm: in a
 * database whose LC_CTYPE is C (the private cluster's) it takes only ASCII
 * letters and digits for words, and a Cyrillic or Greek needle gave it no
 * trigram to look up. Many letters share one ASCII letter, character for
 * character: text whose fold contains n has a fold_trigrams() containing
 * fold_trigrams(n) (folding folded text changes nothing), never the
 * reverse, so it narrows a search that the folded text then decides.
 * Caller frees. */
char *fold_sql_functions(void);
/* What fold_trigrams() makes of code point cp, as pg_trgm sees it in a
 * C-ctype database: an ASCII letter or digit (a word character), nothing
 * (a combining mark, dropped), or anything else, which ends a word (ASCII
 * punctuation, and what the table leaves as it is: CJK, symbols). */
enum fold_trigram { FOLD_TRIGRAM_WORD, FOLD_TRIGRAM_DROPPED, FOLD_TRIGRAM_OTHER };
enum fold_trigram fold_trigram_class(uint32_t cp);

#endif
