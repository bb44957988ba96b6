/*
 * paths.h — where kasparro keeps and finds things.
 *
 * State (the private PostgreSQL cluster) under $XDG_STATE_HOME/kasparro,
 * data (console history) under $XDG_DATA_HOME/kasparro, and the shipped
 * files (default config, migrations, sample sources) in the share folder:
 * $KASPARRO_SHARE, else share/kasparro next to the binary (a source tree),
 * else the installed $(DATADIR)/kasparro.
 */
#ifndef KASPARRO_PATHS_H
#define KASPARRO_PATHS_H

const char *paths_state_dir(void); /* .../kasparro, not created */
const char *paths_data_dir(void);  /* .../kasparro, not created */
const char *paths_share_dir(void);
/* mkdir -p with `mode` for created folders; 0 or -1 with errno. */
int paths_mkdirs(const char *path, int mode);
/* The mode of the state folders kasparro makes: a user's stay private
 * (0700); root's are 0755, for its database server account must pass
 * through them to reach the cluster. */
int paths_state_mode(void);
/* A word's leading "~" or "~USER" (up to its first '/') as a shell expands
 * it: $HOME (else the user's home in the password file), or USER's home
 * (getpwnam). The expanded word, allocated; NULL when it has no such prefix
 * or the user is unknown (a shell then leaves the word as it is). */
char *paths_tilde(const char *word);

#endif
