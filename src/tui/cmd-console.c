/*
 * cmd-console.c — `kasparro console`: open the console (src/tui/).
 *
 * `kasparro` with no arguments on a terminal runs this command (main.c).
 * With --script the console runs without a terminal, reading keys and
 * commands from a file (tests and sanitizer runs; see src/tui/script.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/tui.h"

/* COLSxROWS, each a number as cmd_parse_ll takes it, at least 20x5. */
static bool console_size(const char *size, struct tui_options *opt)
{
    const char *x = strchr(size, 'x');
    char *cols = x != NULL ? xstrndup(size, (size_t)(x - size)) : NULL;
    long long c, r;
    bool ok = cols != NULL && cmd_parse_ll(cols, &c) && cmd_parse_ll(x + 1, &r) && c >= 20 &&
              r >= 5 && c <= INT_MAX && r <= INT_MAX;

    free(cols);
    if (ok) {
        opt->cols = (int)c;
        opt->rows = (int)r;
    }
    return ok;
}

static int console_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct tui_options opt = {.script = cmd_opt(args, "script")};
    const char *size = cmd_opt(args, "size");
    long long n;

    if (cmd_opt_ll(ctx, args, "max-iterations", 0, 1, &n) < 0)
        return EXIT_USAGE;
    opt.max_iterations = (long)n;
    if (size != NULL && !console_size(size, &opt))
        return cmd_opt_error(&ctx->err, "size", "'%s' is not COLSxROWS (at least 20x5)", size);
    if (opt.script == NULL && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
        return err_code(&ctx->err, EXIT_USAGE,
                        "the console needs a terminal; "
                        "'kasparro console --script FILE' drives it without one");
    return tui_main(ctx, &opt);
}

static const struct cmd_opt console_opts[] = {
    {"script", 0, "FILE", "read keys and commands from FILE instead of the terminal"},
    {"max-iterations", 0, "N", "close after N turns of the event loop"},
    {"size", 0, "COLSxROWS", "with --script: the screen size (default 80x24)"},
    {0},
};

const struct cmd_entry cmd_console_entry = {
    .name = "console",
    .usage = "[--script FILE] [--max-iterations N] [--size COLSxROWS]",
    .summary = "open the console: runs, review queue, entities, deletions, sources and log",
    .opts = console_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_CONFIG | CMD_SHELL_ONLY,
    .exec = console_exec,
};
