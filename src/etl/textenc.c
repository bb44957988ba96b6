/*
 * textenc.c — latin-1 and windows-1252 to UTF-8 (see textenc.h).
 *
 * Latin-1 is a table kasparro owns (utf8.h: every byte is its own code
 * point); windows-1252 goes through iconv, opened once per converter and
 * reset before each piece of text, so a byte it rejects in one field
 * leaves no state behind for the next. What windows-1252 cannot read is
 * said here, in the same words for a CSV file's field and an API's
 * response (textenc_cp1252_fault).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/textenc.h"
#include "kasparro/utf8.h"
#include "kasparro/util.h"

struct textenc {
    enum csv_encoding enc;
    iconv_t cd; /* windows-1252 to UTF-8, or (iconv_t)-1 */
};

struct textenc *textenc_open(enum csv_encoding enc)
{
    struct textenc *t = xcalloc(1, sizeof *t);

    t->enc = enc;
    t->cd = enc == ENC_CP1252 ? iconv_open("UTF-8", "WINDOWS-1252") : (iconv_t)-1;
    if (enc == ENC_CP1252 && t->cd == (iconv_t)-1)
        fatal("iconv cannot convert windows-1252 to UTF-8: %s", strerror(errno));
    return t;
}

void textenc_close(struct textenc *t)
{
    if (t == NULL)
        return;
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    free(t);
}

char *textenc_to_utf8(struct textenc *t, const char *in, size_t len, size_t *outlen,
                      unsigned char *bad)
{
    if (t->enc != ENC_CP1252)
        return utf8_from_latin1(in, len, outlen);
    /* a windows-1252 byte is at most 3 bytes of UTF-8 (the euro sign) */
    size_t inleft = len, outleft = len * 3;
    char *out = xmalloc(len * 3 + 1), *p = (char *)in, *o = out;

    iconv(t->cd, NULL, NULL, NULL, NULL);
    if (iconv(t->cd, &p, &inleft, &o, &outleft) == (size_t)-1) {
        *bad = (unsigned char)*p;
        free(out);
        return NULL;
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}

/* A latin-1 letter is followed by ASCII or another letter (>= 0xC0), never
 * by the continuation byte (0x80-0xBF) a UTF-8 lead byte (0xC2-0xF4) asks
 * for: two compares reject it, and only what passes them is decoded. */
size_t textenc_utf8_at(const char *v, size_t len)
{
    unsigned char c = (unsigned char)v[0], next = len > 1 ? (unsigned char)v[1] : 0;

    if (c < 0xc2 || c > 0xf4 || next < 0x80 || next > 0xbf)
        return 0;
    if (utf8_valid_prefix(v, len < 4 ? len : 4) == 0)
        return 0;
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2; /* its lead byte says */
}

/* The bytes windows-1252 has no character for (0x81, 0x8D, 0x8F, 0x90,
 * 0x9D) are often the continuation bytes of UTF-8 characters ("Á" is 0xC3
 * 0x81, "Ý" 0xC3 0x9D): then the text is UTF-8, and latin-1 would read it
 * as wrongly as windows-1252, so the setting said is utf-8. */
void textenc_cp1252_fault(const char *v, size_t len, unsigned char bad, const char *where,
                          const char *text, const char *source, char *out, size_t outlen)
{
    const char *at = memchr(v, bad, len); /* iconv stopped at the first one */
    size_t off = at != NULL ? (size_t)(at - v) : 0, start = 0, n = 0;
    char then[200];

    /* a sequence of 2 to 4 bytes whose lead is 1 to 3 bytes before it */
    for (size_t back = 1; at != NULL && n == 0 && back <= 3 && back <= off; back++) {
        size_t k = textenc_utf8_at(v + off - back, len - (off - back));
        if (k > back) {
            n = k;
            start = off - back;
        }
    }
    if (source == NULL) /* the text declared its charset: no setting overrides it */
        snprintf(then, sizeof then, "it declares charset=windows-1252");
    else if (n > 0)
        snprintf(then, sizeof then, "then set encoding = utf-8 in [source %s]", source);
    else
        snprintf(then, sizeof then, "then set encoding = latin-1");
    if (n == 0)
        snprintf(out, outlen, "byte 0x%02X %s is no windows-1252 character (is %s latin-1? %s)",
                 bad, where, text, then);
    else
        snprintf(out, outlen, "'%.*s' %s is a UTF-8 character, whose byte 0x%02X windows-1252 "
                 "has no character for (is %s UTF-8? %s)", (int)n, v + start, where, bad, text,
                 then);
}

/* A text said to be latin-1 or windows-1252 that holds a valid multi-byte
 * UTF-8 sequence ("é" as 0xC3 0xA9) is most likely UTF-8, or a UTF-8 part
 * pasted into it: each such character would load as two or three others
 * ("Ã©") without a word. */
void textenc_utf8_note(struct textenc *t, const char *seq, size_t n, const char *where,
                       const char *text, const char *source, char *out, size_t outlen)
{
    size_t mlen;
    unsigned char bad;
    char *moji = textenc_to_utf8(t, seq, n, &mlen, &bad), then[200];
    const char *name = t->enc == ENC_LATIN1 ? "latin-1" : "windows-1252";

    if (source != NULL)
        snprintf(then, sizeof then, "then set encoding = utf-8 in [source %s]", source);
    else
        snprintf(then, sizeof then, "it declares charset=%s", name);
    if (moji != NULL)
        snprintf(out, outlen, "'%.*s'%s%s is a UTF-8 character, which %s reads as '%s' (is %s "
                 "UTF-8? %s)", (int)n, seq, where[0] ? " " : "", where, name, moji, text, then);
    else
        snprintf(out, outlen, "'%.*s'%s%s is a UTF-8 character, which %s cannot read (it has no "
                 "character for byte 0x%02X) (is %s UTF-8? %s)", (int)n, seq, where[0] ? " " : "",
                 where, name, bad, text, then);
    free(moji);
}
