/*
 * utf8.h — terminal-cell widths of UTF-8 text, independent of the locale
 * (utf8proc's width tables), for aligned tables and the console: a CJK
 * character takes two cells, a combining accent none.
 */
#ifndef KASPARRO_UTF8_H
#define KASPARRO_UTF8_H

#include <stddef.h>

/* Display width; invalid bytes count one cell each. */
size_t utf8_width(const char *s);
size_t utf8_nwidth(const char *s, size_t len);
/* Copies the longest prefix of s that fits `cells` cells into buf, ending in
 * "…" when cut; never splits a character. Returns the width written. */
size_t utf8_fit(char *buf, size_t buflen, const char *s, size_t cells);
/* The byte offset after the first `cells` cells of s (a wide character that
 * straddles the edge is skipped whole): for scrolling text sideways. */
size_t utf8_skip(const char *s, size_t cells);
/* The bytes of s's first row when s is wrapped at `cells`: the row ends
 * after its last space rather than inside a word, unless that would leave
 * it less than half full (a long word, a URL, is cut). A row is never wider
 * than `cells`: a wide character at the edge begins the next one. */
size_t utf8_wrap(const char *s, size_t cells);
/* Latin-1 bytes to UTF-8 (caller frees). */
char *utf8_from_latin1(const char *s, size_t len, size_t *outlen);
/* True when s is valid UTF-8 with no NUL byte (PostgreSQL text takes none). */
int utf8_valid(const char *s, size_t len);
/* How many bytes from the start are valid UTF-8 without a NUL (len: all). */
size_t utf8_valid_prefix(const char *s, size_t len);
/* s made storable as text: valid UTF-8 copied, each other byte (and NUL)
 * written as "\xNN". Caller frees. */
char *utf8_sanitize(const char *s, size_t len);

#endif
