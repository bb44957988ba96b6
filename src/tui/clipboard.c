/*
 * clipboard.c — `copy TEXT` (y on a list copies the selected id): the text
 * goes to the terminal's clipboard with OSC 52 (ESC ] 52 ; c ; BASE64 BEL),
 * the one way that also works over ssh, since the terminal, not this
 * machine, owns the clipboard. Inside tmux the same sequence is read by
 * tmux itself when its set-clipboard option is on: tmux keeps it as a paste
 * buffer and hands it on to the terminal outside (this is how neovim's OSC
 * 52 clipboard works in tmux). A terminal that does not understand the
 * sequence ignores it; one that shows it as garbage is why `clipboard = off`
 * exists. The sequence is written straight to the terminal between two
 * draws: it moves no cursor and changes no cell, so curses' picture of the
 * screen stays true.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui-private.h"

#define COPY_MAX 4096 /* an id, a key, a name: never a whole listing */

int tui_copy(struct tui *t, const char *text, struct err *err)
{
    size_t len = strlen(text);
    unsigned char *b64;
    char *seq;
    int n;

    if (t->uctx.cfg->clipboard == CLIPBOARD_OFF)
        return err_set(err, "copying is off (clipboard = off in the configuration)");
    if (t->script != NULL)
        return err_set(err, "no terminal to copy to (the console runs a script)");
    if (len == 0 || len > COPY_MAX)
        return err_set(err, "nothing to copy, or more than %d bytes", COPY_MAX);
    b64 = xmalloc(4 * ((len + 2) / 3) + 1);
    n = EVP_EncodeBlock(b64, (const unsigned char *)text, (int)len);
    seq = xasprintf("\033]52;c;%.*s\a", n, (const char *)b64);
    fflush(stdout); /* after whatever curses has buffered */
    n = write(STDOUT_FILENO, seq, strlen(seq)) == (ssize_t)strlen(seq) ? 0 : -1;
    free(seq);
    free(b64);
    if (n < 0)
        return err_set(err, "unable to write to the terminal: %m");
    return 0;
}
