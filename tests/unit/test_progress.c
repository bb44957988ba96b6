/*
 * test_progress.c — a run's progress board finds a source's entry by its
 * name: a name longer than an entry holds is found again (it used to take
 * another entry at each update, until none was left for any source), and
 * two names differ as far as an entry keeps them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/progress.h"

static struct progress board;

static void test_long_name_found_again(void **state)
{
    char name[301];

    (void)state;
    memset(&board, 0, sizeof board);
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    struct progress_source *first = progress_source(&board, name);
    assert_non_null(first);
    for (int i = 0; i < 2 * PROGRESS_MAX_SOURCES; i++)
        assert_ptr_equal(progress_source(&board, name), first);
    assert_int_equal(board.nsources, 1);
    assert_non_null(progress_source(&board, "another"));
    assert_int_equal(board.nsources, 2);
}

static void test_names_over_sixty_four_bytes(void **state)
{
    const char *a = "partner-catalogue-exported-nightly-from-the-erp-system-of-the-eu-office",
               *b = "partner-catalogue-exported-nightly-from-the-erp-system-of-the-us-office";

    (void)state;
    memset(&board, 0, sizeof board);
    struct progress_source *pa = progress_source(&board, a), *pb = progress_source(&board, b);
    assert_ptr_not_equal(pa, pb);
    assert_string_equal(pa->name, a);
    assert_ptr_equal(progress_source(&board, a), pa);
    assert_ptr_equal(progress_source(&board, b), pb);
    assert_int_equal(board.nsources, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_name_found_again),
        cmocka_unit_test(test_names_over_sixty_four_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
