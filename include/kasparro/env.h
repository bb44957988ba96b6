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
/* The value of variable `name` now, allocated (NULL when unset or ""): for
 * one the .env file set at start-up, the file's value as it reads now (a
 * value changed there since is taken up), else the environment's. -1 with
 * err when the file no longer reads. */
int env_current(const char *name, char **value, struct err *err);
/* getenv, with "" treated as unset. */
const char *env_get(const char *name);

#endif
