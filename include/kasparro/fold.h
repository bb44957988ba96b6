/*
 * fold.h — text folded for searching, so "ñúñez" finds "Ñúñez" and
 * "MULLER" finds "Müller": letters lose case and accents (utf8proc's case
 * folding and mark stripping), one character for one, combining marks
 * dropped. The console's searches fold in C; listings that search in
 * PostgreSQL fold there with translate() and the same table, so both
 * always agree.
 */
#ifndef KASPARRO_FOLD_H
#define KASPARRO_FOLD_H

#include <stdbool.h>

/* s folded (caller frees); invalid bytes are kept as they are. */
char *fold_text(const char *s);
/* Whether folded `hay` contains `folded_needle` (already fold_text'ed). */
bool fold_contains(const char *hay, const char *folded_needle);
/* The folding as translate(text, *from, *to) arguments: each character of
 * from becomes the one at the same place in to; those past its end (the
 * combining marks) are dropped. Ordered by how often text uses each
 * character (translate() walks from its start). Built once; never freed. */
void fold_sql(const char **from, const char **to);
/* SQL for `expr` folded as fold_text() folds it, from_ref and to_ref naming
 * the parameters that carry fold_sql's two strings ("$3", "$4"). translate()
 * walks its table for every character, so text of ASCII characters only
 * (as many bytes as characters), which folds to its lower case alone, is
 * folded by lower() under the "C" collation (ASCII only) instead: fifty
 * times faster. Other text is lowered so too before translate(), which
 * then meets no ASCII capital (late in the table). Caller frees. */
char *fold_sql_expr(const char *expr, const char *from_ref, const char *to_ref);

#endif
