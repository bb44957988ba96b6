/* The shape of one embedded migration; see tools/gen-sql.sh. */
#ifndef KASPARRO_MIGRATE_INTERNAL_H
#define KASPARRO_MIGRATE_INTERNAL_H
struct migration {
    int version;
    const char *name;
    const char *sql;
};
#endif
