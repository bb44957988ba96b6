/*
 * textenc.c — latin-1 and windows-1252 to UTF-8 (see textenc.h).
 *
 * Latin-1 is a table kasparro owns (utf8.h: every byte is its own code
 * point); windows-1252 goes through iconv, opened once per converter and
 * reset before each piece of text, so a byte it rejects in one field
 * leaves no state behind for the next.
 */
#include <errno.h>
#include <iconv.h>
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
