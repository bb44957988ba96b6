/*
 * source.c — picking the implementation of a source kind.
 */
#include "kasparro/source.h"

const struct source_ops *source_ops_for(enum source_kind kind)
{
    return kind == SRC_CSV ? &source_csv_ops : &source_http_ops;
}
