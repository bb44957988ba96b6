/*
 * env.h — the environment, with a .env file under it.
 *
 * A .env file in the working directory (KEY=VALUE lines, '#' comments,
 * optional 'export ' and quotes) is read at start-up into the process
 * environment, never overriding a variable that is already set: the real
 * environment always wins (DESIGN §8).
 */
#ifndef KASPARRO_ENV_H
#define KASPARRO_ENV_H

#include "kasparro/err.h"

/* Loads `path` (missing file: not an error). */
int env_load_dotenv(const char *path, struct err *err);
/* getenv, with "" treated as unset. */
const char *env_get(const char *name);

#endif
