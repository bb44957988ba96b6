/*
 * signals.c — SIGTERM, SIGINT and SIGHUP for the host, the self-pipe trick:
 * a handler only sets a flag and writes a byte (wake.h); the face's poll
 * loop sees the pipe readable, and host_service acts outside signal
 * context. A stop outranks a reload that arrived with it. Beginning twice
 * keeps the first handlers and what they caught; ending restores the
 * defaults.
 */
#include <signal.h>
#include <string.h>

#include "kasparro/host_internal.h"
#include "kasparro/wake.h"

static int signal_pipe[2] = {-1, -1};
static atomic_int pending;
atomic_bool signals_stopping;

static void on_signal(int sig)
{
    int what = sig == SIGHUP ? HOST_SIG_HANGUP : HOST_SIG_STOP;

    if (what == HOST_SIG_STOP)
        atomic_store(&signals_stopping, true);
    atomic_fetch_or(&pending, what);
    wake_write(signal_pipe[1], 's');
}

int signals_begin(struct err *err)
{
    struct sigaction sa;

    if (signal_pipe[0] >= 0)
        return signal_pipe[0]; /* already begun (daemon: while waiting for the database) */
    if (wake_pipe(signal_pipe, err) < 0)
        return -1;
    atomic_store(&pending, 0);
    atomic_store(&signals_stopping, false);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    return signal_pipe[0];
}

int signals_take(void)
{
    wake_drain(signal_pipe[0]);
    return atomic_exchange(&pending, 0);
}

void signals_end(void)
{
    if (signal_pipe[0] < 0)
        return;
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    wake_close(signal_pipe);
}

const atomic_bool *host_signals_begin(struct err *err)
{
    return signals_begin(err) < 0 ? NULL : &signals_stopping;
}

void host_signals_end(void) { signals_end(); }
