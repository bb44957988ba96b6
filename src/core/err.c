/*
 * err.c — filling struct err. See err.h for the convention.
 */
#include "kasparro/err.h"

#include <stdio.h>
#include <string.h>

void err_fit(char *buf, size_t size, int needed)
{
    if (needed < 0 || (size_t)needed < size || size < sizeof ERR_CUT)
        return;
    /* buf[keep] is the first byte dropped: never a character's continuation */
    size_t keep = size - sizeof ERR_CUT;
    while (keep > 0 && ((unsigned char)buf[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(buf + keep, ERR_CUT, sizeof ERR_CUT);
}

void err_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    err_fit(buf, size, vsnprintf(buf, size, fmt, ap));
}

void err_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err_vformat(buf, size, fmt, ap);
    va_end(ap);
}

void err_copy(char *buf, size_t size, const char *msg) { err_format(buf, size, "%s", msg); }

static void err_vset(struct err *err, const char *fmt, va_list ap)
{
    err_vformat(err->msg, sizeof err->msg, fmt, ap);
}

int err_set(struct err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    err_vset(err, fmt, ap);
    va_end(ap);
    if (err->code == 0)
        err->code = EXIT_FAIL;
    return -1;
}

int err_code(struct err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    err_vset(err, fmt, ap);
    va_end(ap);
    err->code = code;
    return -1;
}

int err_prefix(struct err *err, const char *fmt, ...)
{
    char prefix[512], old[sizeof err->msg];
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    err_format(err->msg, sizeof err->msg, "%s: %s", prefix, old);
    if (err->code == 0)
        err->code = EXIT_FAIL;
    return -1;
}

/* The listing command of each kind of id: the hint's one source. */
static const char *err_lister(const char *what)
{
    static const char *const listers[][2] = {
        {"run", "runs"},        {"candidate", "queue"},       {"decision", "decisions"},
        {"entity", "entities"}, {"record", "export records"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(listers); i++)
        if (strcmp(listers[i][0], what) == 0)
            return listers[i][1];
    return NULL;
}

int err_missing_name(struct err *err, const char *what, const char *name)
{
    const char *lister = err_lister(what);
    bool number = name[0] != '\0' && name[strspn(name, "0123456789")] == '\0';

    return err_set(err, "no %s %s%s%s%s%s%s", what, number ? "" : "'", name, number ? "" : "'",
                   lister ? "; 'kasparro " : "", lister ? lister : "",
                   lister ? "' lists them" : "");
}

int err_missing(struct err *err, const char *what, long long id)
{
    char idt[24];

    snprintf(idt, sizeof idt, "%lld", id);
    return err_missing_name(err, what, idt);
}

void err_clear(struct err *err)
{
    err->msg[0] = '\0';
    err->code = 0;
    err->sqlstate[0] = '\0';
    err->timed_out = false;
}

bool err_sqlstate(const struct err *err, const char *state)
{
    size_t n = strlen(state);
    return n > 0 && err->sqlstate[0] != '\0' && strncmp(err->sqlstate, state, n) == 0;
}
