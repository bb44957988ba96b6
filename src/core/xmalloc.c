/*
 * xmalloc.c — allocation wrappers and fatal().
 *
 * kasparro treats allocation failure as fatal, the way git and tmux do, so
 * the rest of the code is free of NULL checks after malloc. fatal() runs a
 * hook first: the console registers one that ends curses, so a fatal error
 * never leaves the operator's terminal in raw mode.
 */
#include "kasparro/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void fatal_set_hook(void (*hook)(void)) { fatal_hook = hook; }

void fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook != NULL) {
        void (*hook)(void) = fatal_hook;
        fatal_hook = NULL;
        hook();
    }
    fputs("kasparro: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        fatal("out of memory allocating %zu bytes", size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        fatal("out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        fatal("out of memory allocating %zu bytes", size);
    return p;
}

void *xreallocarray(void *ptr, size_t n, size_t size)
{
    if (size != 0 && n > ((size_t)-1) / size)
        fatal("allocation of %zu x %zu bytes overflows", n, size);
    return xrealloc(ptr, n * size);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        fatal("out of memory formatting a string");
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}
