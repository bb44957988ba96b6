/*
 * main.c — the kasparro binary: global options, then one command.
 *
 *   kasparro [-c FILE] COMMAND [ARGS...]   run one command and exit
 *   kasparro                               on a terminal: the console
 *
 * Everything else is in the command table (src/LAYER/cmd-*.c). main reads .env,
 * sets up logging (warnings only on a shell command's stderr, unless
 * LOG_LEVEL says otherwise; the daemon logs info), and turns the command's
 * error into one line on stderr and its exit code.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/cmd.h"
#include "kasparro/env.h"
#include "kasparro/log.h"

#ifndef KASPARRO_VERSION
#define KASPARRO_VERSION "0.1.0"
#endif

static void usage(FILE *out)
{
    fputs("usage: kasparro [-c FILE] COMMAND [ARGS...]\n"
          "       kasparro [-c FILE]          (on a terminal: the console)\n"
          "       kasparro help [COMMAND]\n", out);
}

int main(int argc, char **argv)
{
    struct cmd_ctx ctx = {.out = stdout, .origin = ORIGIN_SHELL};
    char *console_argv[] = {"console", NULL};
    int i = 1, rc;

    setlocale(LC_ALL, "");
    /* the terminal's characters, but numbers always with a decimal point:
     * they go into SQL, COPY text and JSON, and strtod must read "2.5" under
     * LANG=de_DE.UTF-8 too (a source's own notation is format.FIELD) */
    setlocale(LC_NUMERIC, "C");
    signal(SIGPIPE, SIG_IGN);
    /* A person at a terminal reads the command's own output; JSON log lines
     * are for scripts and files, or for whoever asks with LOG_LEVEL. */
    if (getenv("LOG_LEVEL") == NULL) {
        log_set_level(LOG_WARN);
        if (isatty(STDERR_FILENO))
            log_set_stderr(false);
    }
    log_init();
    if (env_load_dotenv(".env", &ctx.err) < 0) {
        fprintf(stderr, "kasparro: %s\n", ctx.err.msg);
        return EXIT_USAGE;
    }
    log_init(); /* LOG_LEVEL may come from .env */
    ctx.actor = os_user();

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "kasparro: option '%s' needs a value\n", argv[i - 1]);
                usage(stderr);
                return EXIT_USAGE;
            }
            ctx.config_path = argv[i];
        } else if (str_starts(argv[i], "--config=")) {
            ctx.config_path = argv[i] + 9;
        } else if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0) {
            printf("kasparro %s\n", KASPARRO_VERSION);
            return EXIT_OK;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            argv[i] = "help";
            break;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            fprintf(stderr, "kasparro: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }

    if (i >= argc) {
        struct err ignore = {0};
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
            cmd_find("console", &ignore) == NULL) {
            usage(stderr);
            return EXIT_USAGE;
        }
        rc = cmd_run(&ctx, 1, console_argv);
    } else {
        rc = cmd_run(&ctx, argc - i, argv + i);
    }
    fflush(stdout);
    if (rc != EXIT_OK && err_isset(&ctx.err))
        fprintf(stderr, "kasparro: %s\n", ctx.err.msg);
    cmd_ctx_release(&ctx);
    return rc;
}
