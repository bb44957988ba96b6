/*
 * numfmt.h — numbers as people write them: "$399.00", "1.299,00 €",
 * "1 234,5", "CHF 1'250.50", "(12.00)".
 *
 * A source declares how it writes a number field with an example,
 * format.price = 1.234,56: the example's separators say which character
 * groups thousands and which starts the fraction. Values may leave the
 * thousands separator out, and may carry a currency (symbols, or up to
 * three letters such as EUR or US$) and a sign (+, -, a trailing -, or
 * accounting parentheses) before or after the digits. Anything else does
 * not fit, and the record is quarantined naming the field and the format.
 */
#ifndef KASPARRO_NUMFMT_H
#define KASPARRO_NUMFMT_H

#include <stddef.h>

#include "kasparro/buf.h"

struct numfmt {
    char thousands; /* ',', '.', ' ' (any blank), '\'' (or ’), or 0 for none */
    char decimal;   /* '.' or ',', or 0 when the example shows none: then either
                       that is not the thousands separator */
};

/* Reads the example; -1 with a reason when it says nothing clear ("1,234":
 * a thousands comma or a decimal one?). */
int numfmt_compile(const char *example, struct numfmt *fmt, char *why, size_t whylen);

/* `s` as plain text "[-]digits[.digits]" appended to out; -1 when it does
 * not fit the format. */
int numfmt_read(const struct numfmt *fmt, const char *s, struct buf *out);

#endif
