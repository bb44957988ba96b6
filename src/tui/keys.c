/*
 * keys.c — key names and key tables; every binding is a command string.
 *
 * A key table maps key codes (as wgetch returns them) to command lines and
 * a note for the help overlay. There is one table per screen, one for the
 * pager, and the global one; a key is looked up in the most specific table
 * first (pager, then the screen, then global). The defaults below are not
 * data structures but `bind` commands, run through the command table at
 * start-up exactly as a person could type them, so the help overlay,
 * `kasparro keys` and kasparro(1) all read one source.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui-private.h"

const char *const keys_defaults[] = {
    "bind -N 'next screen' Tab 'screen next'",
    "bind -N 'previous screen' BTab 'screen previous'",
    "bind -N 'Runs' 1 'screen runs'",
    "bind -N 'Schedule' 2 'screen schedule'",
    "bind -N 'Review' 3 'screen review'",
    "bind -N 'Entities' 4 'screen entities'",
    "bind -N 'Deleted' 5 'screen deleted'",
    "bind -N 'Sources' 6 'screen sources'",
    "bind -N 'Log' 7 'screen log'",
    "bind -N 'Audit' 8 'screen audit'",
    "bind -N 'down' j 'move down'",
    "bind -N 'down' Down 'move down'",
    "bind -N 'up' k 'move up'",
    "bind -N 'up' Up 'move up'",
    "bind -N 'page down' PgDn 'move page-down'",
    "bind -N 'page up' PgUp 'move page-up'",
    "bind -N 'first row' g 'move top'",
    "bind -N 'first row' Home 'move top'",
    "bind -N 'last row' G 'move bottom'",
    "bind -N 'last row' End 'move bottom'",
    "bind -N 'show the rows containing a text (Enter: all)' / "
    "\"prompt -p / -e 'filter --text' 'filter --text %%'\"",
    "bind -N 'order by the next column (up, down, as loaded)' s 'sort'",
    "bind -N 'write the rows shown to a file (CSV, JSONL)' E "
    "\"prompt -p 'write the rows shown to (FILE.csv or FILE.jsonl): ' 'export-view %%'\"",
    "bind -N 'copy the selected id to the clipboard (OSC 52)' y 'copy {id}'",
    "bind -N 'next match' n 'search'",
    "bind -N 'previous match' N 'search --backward'",
    "bind -N 'the keys of this screen' ? 'keys'",
    "bind -N 'command line' : 'prompt'",
    "bind -N 'redraw the screen, reloaded from the database' C-l 'refresh'",
    "bind -N 'quit (asks when a run is in progress)' q 'quit'",

    "bind -s pager -N 'search' / \"prompt -p / 'search %%'\"",
    "bind -s pager -N 'close' q 'close'",
    "bind -s pager -N 'close' Escape 'close'",
    "bind -s pager -N 'page down' Space 'move page-down'",
    "bind -s pager -N 'page up' b 'move page-up'",
    "bind -s pager -N 'scroll left' Left 'move left'",
    "bind -s pager -N 'scroll right' Right 'move right'",

    "bind -s record -N 'restore the record' r "
    "\"confirm -p 'restore record {deleted}?' 'restore {deleted}'\"",
    "bind -s record -N 'split the record out of its entity' x "
    "\"confirm -p 'split record {record} out of {entity}?' 'split {entity} {record}'\"",
    "bind -s record -N 'approve the pair it was opened from' a 'approve {candidate}'",
    "bind -s record -N 'reject the pair it was opened from' X "
    "\"prompt -p 'reason for rejecting {candidate} (Enter for none): ' -e 'reject {candidate}' "
    "'reject {candidate} --reason %%'\"",

    "bind -s runs -N 'the run in detail' Enter 'show-run {id}'",
    "bind -s runs -N 'run every enabled source now' r 'run'",
    "bind -s runs -N 'full run of every source now' R 'run --full'",
    "bind -s runs -N 'cancel the run in progress' C "
    "\"confirm -p 'cancel run {running}, the run in progress?' cancel\"",
    "bind -s runs -N 'quarantined records of the run' Q 'quarantine --run {id}'",
    "bind -s runs -N 'only the runs of one status (failed, partial, …)' f "
    "\"prompt -p 'status (Enter for all): ' -e 'filter' 'filter %%'\"",

    "bind -s schedule -N 'the run of the fire time in detail (a missed one: why)' Enter "
    "'show-run {run}'",
    "bind -s schedule -N 'pause the schedule' p 'schedule pause'",
    "bind -s schedule -N 'resume the schedule' r 'schedule resume'",
    "bind -s schedule -N 'run now, as the scheduler would' t 'schedule trigger'",
    "bind -s schedule -N 'copy the run id to the clipboard (OSC 52)' y 'copy {run}'",

    "bind -s review -N 'approve: the two records are the same (or the marked pairs)' a "
    "\"marked -p 'approve {n} marked pairs?' 'approve {ids}'\"",
    "bind -s review -N 'reject, with an optional reason (or the marked pairs)' r "
    "\"marked -p 'reject {n} marked pairs?' \\\"prompt -p 'reason for rejecting {ids} "
    "(Enter for none): ' -e 'reject {ids}' 'reject {ids} --reason %%'\\\"\"",
    "bind -s review -N 'mark the pair and move down (a and r decide the marked)' Space 'mark'",
    "bind -s review -N 'mark every pair shown (again: none)' M 'mark --all'",
    "bind -s review -N 'skip to the next candidate' s 'move down'",
    "bind -s review -N 'undo the last approve, reject or split' u 'undo'",
    "bind -s review -N 'both records in full' Enter 'show-match {id}'",
    "bind -s review -N 'record A in detail (history, payload; acts on it)' d "
    "'detail --candidate {id} {a}'",
    "bind -s review -N 'record B in detail' D 'detail --candidate {id} {b}'",
    "bind -s review -N 'order by uncertainty or by score' o 'sort'",
    "bind -s review -N 'filter by probability range' f "
    "\"prompt -p 'probability range, e.g. 0.6-0.9 (Enter for all): ' -e 'filter' 'filter %%'\"",
    "bind -s review -N 'approve every candidate above a probability' A "
    "\"prompt -p 'approve every candidate with probability at least: ' 'bulk-approve %%'\"",

    "bind -s entities -N 'search entities' / "
    "\"prompt -p 'search entities (Enter for all): ' -e 'filter' 'filter %%'\"",
    "bind -s entities -N 'the entity in detail' Enter 'show-entity {key}'",
    "bind -s entities -N 'copy the entity key to the clipboard (OSC 52)' y 'copy {key}'",
    "bind -s entities -N 'between the entities and their members' h 'focus'",
    "bind -s entities -N 'the selected member in detail (history, payload; acts on it)' d "
    "'detail {record}'",
    "bind -s entities -N 'split a record out of the entity' x "
    "\"prompt -p 'split which record out of {key}? ' -i {record} 'split {key} %%'\"",

    "bind -s deleted -N 'restore the record (or the marked records)' r "
    "\"marked -p 'restore {n} marked records?' -s 'restore record {ids}?' 'restore {ids}'\"",
    "bind -s deleted -N 'mark the record and move down (r restores the marked)' Space 'mark'",
    "bind -s deleted -N 'mark every record shown (again: none)' M 'mark --all'",
    "bind -s deleted -N \"restore everything its run (or its source's retire) deleted\" R "
    "'confirm -p {restore_deletion_prompt} {restore_deletion}'",
    "bind -s deleted -N 'undo the latest restore: delete its records again' u "
    "'confirm -p {restore_prompt} \"undo {restore}\"'",
    "bind -s deleted -N 'the record in detail (history, payload; acts on it)' Enter "
    "'detail {id}'",
    "bind -s deleted -N 'between the held deletions and the records' h 'focus'",
    "bind -s deleted -N 'the records a held set would delete' i "
    "'held --limit all --source {source} {run}'",
    "bind -s deleted -N 'apply the held deletions' a "
    "\"confirm -p 'delete the records run {run} held from {source}?' "
    "'apply-deletes --source {source} {run}'\"",
    "bind -s deleted -N 'discard the held deletions: keep the records' x "
    "\"confirm -p 'keep the records run {run} held from {source}?' "
    "'discard-deletes --source {source} {run}'\"",
    "bind -s deleted -N 'filter by source' f "
    "\"prompt -p 'source (Enter for all): ' -e 'filter' 'filter %%'\"",

    "bind -s sources -N 'the source in detail (its settings, its last run whole)' Enter "
    "'sources {name}'",
    "bind -s sources -N 'run this source now' r 'run {name}'",
    "bind -s sources -N 'full run of this source now' R 'run --full {name}'",
    "bind -s sources -N 'the runs that read this source, with its own counts' h "
    "'runs --source {name}'",
    "bind -s sources -N 'quarantined records of this source' Q 'quarantine --source {name}'",
    "bind -s sources -N 'copy the source name to the clipboard (OSC 52)' y 'copy {name}'",
    "bind -s sources -N 'retire a source removed from the configuration: soft-delete its records' "
    "X \"confirm -p 'soft-delete the {records} live records of {name}?' 'retire --yes {name}'\"",

    "bind -s log -N 'show debug and above' d 'filter debug'",
    "bind -s log -N 'show info and above' i 'filter info'",
    "bind -s log -N 'show warnings and errors' w 'filter warn'",
    "bind -s log -N 'show errors only' e 'filter error'",
    "bind -s log -N 'the whole message of this line' Enter 'echo {msg}'",
    "bind -s log -N 'copy the message to the clipboard (OSC 52)' y 'copy {msg}'",

    "bind -s audit -N 'the audit entries of the decision (on the log: of what the row is about)' "
    "Enter 'audit --object {object}'",
    "bind -s audit -N 'undo the decision' u "
    "\"confirm -p 'undo decision {decision}?' 'undo {decision}'\"",
    "bind -s audit -N 'between the decisions and the whole audit log' h 'focus'",
    "bind -s audit -N 'only one action (approve, reject, split, restore, undo; on the log any)' f "
    "\"prompt -p 'action (Enter for all): ' -e 'filter' 'filter %%'\"",
    NULL,
};

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Enter", '\r'},
    {"Tab", '\t'},
    {"BTab", KEY_BTAB},
    {"Escape", 27},
    {"Space", ' '},
    {"BSpace", 127},
    {"Up", KEY_UP},
    {"Down", KEY_DOWN},
    {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},
    {"PgUp", KEY_PPAGE},
    {"PgDn", KEY_NPAGE},
    {"Home", KEY_HOME},
    {"End", KEY_END},
    {"Delete", KEY_DC},
    {"Insert", KEY_IC},
    /* aliases, accepted but never printed */
    {"Return", '\r'},
    {"Esc", 27},
    {"PPage", KEY_PPAGE},
    {"NPage", KEY_NPAGE},
    {"DC", KEY_DC},
    {"IC", KEY_IC},
};

/* The same key arrives in several forms (Enter as \r, \n or KEY_ENTER). */
static int key_normalize(int key)
{
    if (key == '\n' || key == KEY_ENTER)
        return '\r';
    if (key == KEY_BACKSPACE || key == 8)
        return 127;
    return key;
}

int key_parse(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return -1;
    if (name[1] == '\0' && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f)
        return name[0];
    for (size_t i = 0; i < ARRAY_SIZE(named_keys); i++)
        if (strcasecmp(name, named_keys[i].name) == 0)
            return named_keys[i].key;
    if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] != '\0' &&
        name[3] == '\0') {
        char c = (char)(name[2] | 0x20);
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 1;
    }
    if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
        int n = atoi(name + 1);
        if (n >= 1 && n <= 12)
            return KEY_F(n);
    }
    return -1;
}

const char *key_label(int key, char *buf, size_t len)
{
    key = key_normalize(key);
    for (size_t i = 0; i < ARRAY_SIZE(named_keys); i++)
        if (named_keys[i].key == key) {
            snprintf(buf, len, "%s", named_keys[i].name);
            return buf;
        }
    if (key > ' ' && key < 0x7f)
        snprintf(buf, len, "%c", key);
    else if (key >= 1 && key <= 26)
        snprintf(buf, len, "C-%c", 'a' + key - 1);
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, len, "F%d", key - KEY_F(0));
    else
        snprintf(buf, len, "key %d", key);
    return buf;
}

#define OTHER_TABLE(name, title) {#name, title},
#define SCREEN_TABLE(id, name, title) {#name, title},
const struct keytable_name keys_tables[] = {
    KASPARRO_KEY_TABLES(OTHER_TABLE) TUI_SCREENS(SCREEN_TABLE){NULL, NULL},
};
#undef SCREEN_TABLE
#undef OTHER_TABLE

bool keys_table_known(const char *table)
{
    for (const struct keytable_name *k = keys_tables; k->name != NULL; k++)
        if (strcmp(k->name, table) == 0)
            return true;
    return false;
}

const struct keytable *keys_table(const struct keys *k, const char *table)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->tables[i].name, table) == 0)
            return &k->tables[i];
    return NULL;
}

const struct binding *keys_lookup(const struct keys *k, const char *table, int key)
{
    const struct keytable *kt = keys_table(k, table);

    key = key_normalize(key);
    for (size_t i = 0; kt != NULL && i < kt->n; i++)
        if (kt->b[i].key == key)
            return &kt->b[i];
    return NULL;
}

void keys_set(struct keys *k, const char *table, int key, const char *command, const char *note)
{
    struct keytable *kt = (struct keytable *)keys_table(k, table);

    key = key_normalize(key);
    if (kt == NULL) {
        k->tables = xreallocarray(k->tables, k->n + 1, sizeof *k->tables);
        kt = &k->tables[k->n++];
        *kt = (struct keytable){xstrdup(table), NULL, 0};
    }
    for (size_t i = 0; i < kt->n; i++) {
        if (kt->b[i].key == key) {
            free(kt->b[i].command);
            free(kt->b[i].note);
            kt->b[i].command = xstrdup(command);
            kt->b[i].note = note ? xstrdup(note) : NULL;
            return;
        }
    }
    kt->b = xreallocarray(kt->b, kt->n + 1, sizeof *kt->b);
    kt->b[kt->n++] = (struct binding){key, xstrdup(command), note ? xstrdup(note) : NULL};
}

bool keys_unset(struct keys *k, const char *table, int key)
{
    struct keytable *kt = (struct keytable *)keys_table(k, table);

    key = key_normalize(key);
    for (size_t i = 0; kt != NULL && i < kt->n; i++) {
        if (kt->b[i].key == key) {
            free(kt->b[i].command);
            free(kt->b[i].note);
            memmove(&kt->b[i], &kt->b[i + 1], (kt->n - i - 1) * sizeof *kt->b);
            kt->n--;
            return true;
        }
    }
    return false;
}

void keys_free(struct keys *k)
{
    for (size_t t = 0; t < k->n; t++) {
        for (size_t i = 0; i < k->tables[t].n; i++) {
            free(k->tables[t].b[i].command);
            free(k->tables[t].b[i].note);
        }
        free(k->tables[t].b);
        free(k->tables[t].name);
    }
    free(k->tables);
    memset(k, 0, sizeof *k);
}
