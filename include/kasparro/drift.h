/*
 * drift.h — noticing that a source's data and its mapping disagree.
 *
 * While a source is read, the mapper reports fields present in the data
 * that no mapping reads, mapped fields that no record carries, and values
 * that could not be read as their declared type. The report is a JSON array
 * kept on the run (run_sources.drift) and logged as warnings; unknown fields
 * come with a best guess at what they were meant to be:
 *   field 'auther' is in the data but not mapped; it looks like 'author' (0.94)
 */
#ifndef KASPARRO_DRIFT_H
#define KASPARRO_DRIFT_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct drift;

struct drift *drift_new(void);
void drift_free(struct drift *d);
/* A field seen in the data that no mapping reads. */
void drift_unmapped(struct drift *d, const char *field, size_t len, const char *location);
/* A value that could not be read as its field's type (stored as NULL). */
void drift_unreadable(struct drift *d, const char *field, const char *reason,
                      const char *location);
/* The report. `missing` are mapped source fields no record carried; guesses
 * for unmapped fields are drawn from `missing` and `pool` (e.g. the schema's
 * unmapped field names). Caller frees. */
cJSON *drift_report(const struct drift *d, const char *const *missing, size_t nmissing,
                    const char *const *pool, size_t npool);

#endif
