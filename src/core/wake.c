/*
 * wake.c — the self-pipe (see wake.h): the one place that writes a wake
 * byte, so every thread and signal handler does it the same way.
 */
#include "kasparro/wake.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int wake_pipe(int fds[2], struct err *err)
{
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0)
        return 0;
    fds[0] = fds[1] = -1;
    return err_set(err, "unable to create a wake pipe: %m");
}

void wake_write(int fd, char what)
{
    int saved = errno;
    ssize_t n;

    if (fd < 0)
        return;
    do
        n = write(fd, &what, 1);
    while (n < 0 && errno == EINTR); /* EAGAIN: the pipe is full, the reader will wake */
    errno = saved;
}

char wake_drain(int fd)
{
    char buf[256], last = 0;
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            last = buf[n - 1];
    return last;
}

void wake_close(int fds[2])
{
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}
