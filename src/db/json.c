/*
 * json.c — result cells as JSON values, for the modules that build their
 * JSON views from query results: SQL NULL becomes null.
 */
#include <cjson/cJSON.h>

#include "kasparro/db.h"

void db_json_number(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, db_double(r, row, col));
}

void db_json_string(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddStringToObject(o, key, PQgetvalue(r, row, col));
}
