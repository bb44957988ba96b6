/*
 * test_cluster.c — the rewrite of kasparro's settings block in its private
 * cluster's postgresql.conf at each start: its managed lines only, an older
 * block without an end line included, operators' lines left where they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/cluster.h"

#define HEAD "max_connections = 100\nshared_buffers = 128MB\n#jit = on\n\n" CLUSTER_SETTINGS_MARK "\n"
#define OLD_BLOCK HEAD "listen_addresses = ''\nport = 5432\nlog_min_messages = warning\n"
#define MANAGED                                                                                    \
    "# kasparro: written again at each start; ALTER SYSTEM overrides them\njit = off\n"          \
    CLUSTER_SETTINGS_END "\n"

static void expect_rewrite(const char *in, const char *want)
{
    char *out = cluster_settings_rewrite(in);

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void test_rewrite(void **state)
{
    (void)state;
    /* an older kasparro's block, the last lines of the file */
    expect_rewrite(OLD_BLOCK, OLD_BLOCK MANAGED);
    /* ... with no final newline */
    expect_rewrite(HEAD "port = 5432", HEAD "port = 5432\n" MANAGED);
    /* ... and an operator's lines after it, which stay after it */
    expect_rewrite(OLD_BLOCK "\nwork_mem = '8MB'\n", OLD_BLOCK MANAGED "\nwork_mem = '8MB'\n");
    /* ... a managed key among them too: it is the operator's */
    expect_rewrite(OLD_BLOCK "jit = on\n", OLD_BLOCK MANAGED "jit = on\n");
    /* today's block: nothing changes, lines after it stay */
    expect_rewrite(OLD_BLOCK MANAGED "work_mem = '8MB'\n", OLD_BLOCK MANAGED "work_mem = '8MB'\n");
    /* a managed line edited inside the block is written again */
    expect_rewrite(OLD_BLOCK "jit=on\n" CLUSTER_SETTINGS_END "\n", OLD_BLOCK MANAGED);
    expect_rewrite(OLD_BLOCK MANAGED "jit = off\n", OLD_BLOCK MANAGED "jit = off\n");
    /* no block: not kasparro's file */
    assert_null(cluster_settings_rewrite("max_connections = 100\nport = 5432\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
