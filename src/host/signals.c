/*
 * signals.c — turning SIGTERM, SIGINT and SIGHUP into bytes on a pipe, the
 * self-pipe trick: the handlers do nothing but store a flag and write, and
 * the daemon's poll loop reads the pipe and acts outside signal context.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/daemon_internal.h"

static int signal_pipe[2] = {-1, -1};
atomic_bool daemon_stopping;

static void on_signal(int sig)
{
    int saved = errno;
    char c = sig == SIGHUP ? 'H' : 'T';

    if (c == 'T')
        atomic_store(&daemon_stopping, true);
    if (write(signal_pipe[1], &c, 1) < 0) {
        /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

int daemon_signals_init(struct err *err)
{
    struct sigaction sa;

    if (pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
        return err_set(err, "daemon: unable to create the signal pipe: %m");
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    return 0;
}

int daemon_signals_fd(void) { return signal_pipe[0]; }

char daemon_signals_read(void)
{
    char buf[64], last = 0;
    ssize_t n;

    while ((n = read(signal_pipe[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            if (last != 'T')
                last = buf[i]; /* a stop outranks a reload */
    return last;
}

void daemon_signals_close(void)
{
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    signal_pipe[0] = signal_pipe[1] = -1;
}
