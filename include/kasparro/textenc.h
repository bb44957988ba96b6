/*
 * textenc.h — text in latin-1 or windows-1252 made UTF-8, for every source
 * kind: a CSV file's fields (encoding =) and an API's response body (its
 * declared charset, else the source's encoding =).
 *
 * Latin-1 maps every byte to the code point of that number; windows-1252
 * differs in 0x80-0x9F (quotes, dashes, the euro sign), converted by iconv,
 * and has no character for five of those bytes, which makes the text
 * unreadable rather than guessed at.
 */
#ifndef KASPARRO_TEXTENC_H
#define KASPARRO_TEXTENC_H

#include <stddef.h>

#include "kasparro/config.h"

struct textenc;

/* A converter from `enc` (ENC_LATIN1 or ENC_CP1252); close with
 * textenc_close. */
struct textenc *textenc_open(enum csv_encoding enc);
void textenc_close(struct textenc *t);
/* `len` bytes of `in` as UTF-8 (caller frees; *outlen bytes, NUL-ended);
 * NULL with *bad, the byte, when the encoding has no character for it. */
char *textenc_to_utf8(struct textenc *t, const char *in, size_t len, size_t *outlen,
                      unsigned char *bad);
/* The length of the valid multi-byte UTF-8 sequence at v (len bytes left),
 * else 0: cheap on a byte that begins none. */
size_t textenc_utf8_at(const char *v, size_t len);
/* Why windows-1252 cannot read `len` bytes of v, whose byte `bad` it has
 * no character for, into out: the UTF-8 character that byte is part of
 * when it is one, else the byte, with the encoding = to set in [source
 * `source`] (NULL: the text declared its charset, which no setting
 * overrides). `where` follows the character ("in column 'title'"), `text`
 * names the whole ("the file"). */
void textenc_cp1252_fault(const char *v, size_t len, unsigned char bad, const char *where,
                          const char *text, const char *source, char *out, size_t outlen);
/* What t makes of the UTF-8 character seq (n bytes, textenc_utf8_at) in a
 * text said to be in t's encoding, into out, with the encoding = utf-8 to
 * set, in the words textenc_cp1252_fault uses (`where` may be ""). */
void textenc_utf8_note(struct textenc *t, const char *seq, size_t n, const char *where,
                       const char *text, const char *source, char *out, size_t outlen);

#endif
