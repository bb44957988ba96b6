/*
 * wake.h — waking a thread that sleeps in poll(): the self-pipe.
 *
 * A thread that waits in poll() includes the read end of a non-blocking
 * pipe; whoever has news for it (another thread, a signal handler) writes
 * one byte to the write end. A full pipe already means "wake up", so a
 * write that would block is dropped, and the reader empties the pipe and
 * then looks at every source of news (redis' bio.c, tmux's signal pipe).
 */
#ifndef KASPARRO_WAKE_H
#define KASPARRO_WAKE_H

#include "kasparro/err.h"

/* A non-blocking, close-on-exec pipe: fds[0] to poll, fds[1] to write. */
int wake_pipe(int fds[2], struct err *err);
/* One byte to the write end; nothing when fd < 0. Safe in a signal handler
 * (errno is kept). */
void wake_write(int fd, char what);
/* Empties the read end; returns the last byte read, 0 when there was none. */
char wake_drain(int fd);
/* Closes both ends (those >= 0) and sets them to -1. */
void wake_close(int fds[2]);

#endif
