/*
 * mapper.h — from a source item to a row of the unified schema.
 *
 * For each source the mapper knows which source field (a CSV column or a
 * dotted path into JSON) feeds which declared field, and coerces values to
 * the declared type: integer and number (plain, or in the source's
 * format.FIELD notation, numfmt.h), boolean, timestamp (ISO 8601, epoch
 * seconds, or the source's format.FIELD strptime pattern; stored as UTC),
 * url (absolute http/https, checked with libcurl's URL parser), text. A
 * record is rejected, for quarantine, when its id is missing, a required
 * field is missing or unreadable, or a value breaks its declared format; an
 * other unreadable optional value becomes NULL and is counted as a warning. The mapper also watches for schema drift:
 * fields in the data that no mapping reads, and mapped fields that no
 * record carried, each with a best guess ("'auther' looks like 'author'
 * (0.91)").
 *
 * The mapped row carries the raw payload as JSON text and a 128-bit content
 * hash (XXH3) of id, values and payload: the loader writes a record only
 * when its hash changed.
 */
#ifndef KASPARRO_MAPPER_H
#define KASPARRO_MAPPER_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "kasparro/buf.h"
#include "kasparro/config.h"
#include "kasparro/source.h"

struct mapped {
    struct buf source_id;
    char **values;       /* [cfg->nfields]; canonical text or NULL */
    struct buf *storage; /* backing store of values (reused between rows) */
    struct buf payload;  /* the raw record as JSON text */
    uint8_t hash[16];
    char hash_hex[33];
};

struct reject {
    char field[64];      /* the field at fault, or "" */
    char reason[512];
};

struct mapper;

struct mapper *mapper_new(const struct config *cfg, const struct source_cfg *src);
void mapper_free(struct mapper *m);
void mapped_init(struct mapped *row, const struct config *cfg);
void mapped_free(struct mapped *row, const struct config *cfg);

/* 0: *row filled; 1: rejected, *why says why; -1: the read must stop
 * (mapper_refusal says why; row->source_id is filled). A source without
 * map. lines maps each field from the column or top-level key of its own
 * name, exactly, else in any case; -1 when its CSV header has none of
 * them. */
int mapper_apply(struct mapper *m, const struct src_item *item, struct mapped *row,
                 struct reject *why);
/* -1 (mapper_refusal says why) when a source without map. lines read JSON
 * records with an id and none of them carried a key of a field: asked
 * before the first batch is written and at the end of the read, so a
 * source whose records are not what [schema] describes loads nothing,
 * while one whose first record is {"id": 1} loads. */
int mapper_unmapped(struct mapper *m);
/* Why mapper_apply returned -1 (or mapper_unmapped), naming the source,
 * its file or URL, the names expected and the ones met, then `outcome`,
 * what the refusal meant for whoever read ("nothing was loaded"), then
 * what to do; NULL before. The caller frees it. */
char *mapper_refusal(const struct mapper *m, const char *outcome);
/* The value of the incremental cursor field in the last mapped row, or NULL. */
const char *mapper_cursor_value(const struct mapper *m, const struct mapped *row);
/* Drift warnings so far, as a JSON array of {"kind","field","guess","score",
 * "message"} objects (caller frees); empty array when none. */
cJSON *mapper_drift(const struct mapper *m);
/* Count of optional values nulled because they could not be read. */
long long mapper_nulled(const struct mapper *m);

/* Coercion, exposed for tests: canonical text of `in` as `type`, written to
 * out; 0 ok, -1 unreadable, MAPPER_OUT_OF_RANGE read but not storable (a
 * timestamp outside the years 1 to 9999, or longer than any timestamp; no
 * format would help): reason in why. `format` is a strptime pattern or NULL. */
#define MAPPER_OUT_OF_RANGE (-2)
int mapper_coerce(enum field_type type, const char *in, size_t len, const char *format,
                  struct buf *out, char *why, size_t whylen);

#endif
