/*
 * input.c — where keys come from: the terminal, or the script driver.
 *
 * The UI loop asks input_next() for keys until there are none. Keys a
 * script pushed come first, then (in a terminal) whatever ncurses has:
 * wgetch with a zero timeout, so the loop drains everything ncurses has
 * buffered before it sleeps in poll() again (ncurses reads ahead, and a
 * byte in its buffer would otherwise wait for the next wake-up). After an
 * Escape or a UTF-8 lead byte, input_more() fetches the byte that belongs
 * with it if it is already there, waiting briefly on the terminal for the
 * rest of a character split across reads.
 */
#include <curses.h>

#include "tui-private.h"

#define INPUT_MAX 4096

static struct {
    int keys[INPUT_MAX];
    int head, len;
} in;

void input_push(int key)
{
    if (in.len >= INPUT_MAX)
        return;
    in.keys[(in.head + in.len) % INPUT_MAX] = key;
    in.len++;
}

void input_push_text(const char *s)
{
    for (; *s != '\0'; s++)
        input_push((unsigned char)*s);
}

bool input_pending(void) { return in.len > 0; }

int input_next(bool terminal)
{
    if (in.len > 0) {
        int key = in.keys[in.head];
        in.head = (in.head + 1) % INPUT_MAX;
        in.len--;
        return key;
    }
    if (!terminal)
        return -1;
    int key = wgetch(stdscr);
    return key == ERR ? -1 : key;
}

int input_more(void *terminal)
{
    if (in.len > 0 || terminal == NULL)
        return input_next(false);
    wtimeout(stdscr, 50);
    int key = wgetch(stdscr);
    wtimeout(stdscr, 0);
    return key == ERR ? -1 : key;
}
