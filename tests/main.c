/*
 * main.c - the CUnit runner: every tests/test_NAME.c defines `suite_NAME`
 * (found by the Makefile, listed in build/gen/suites.h).
 *
 *   test_sws [SUITE [TEST]]
 *
 * Prints CUnit's report and then one line "cunit: N passed, N failed"
 * (tests, not assertions) for tests/run.sh to add up.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"

#define SUITE(name) extern CU_SuiteInfo suite_##name;
#include "suites.h"
#undef SUITE

int main(int argc, char **argv)
{
  CU_SuiteInfo suites[] = {
#define SUITE(name) suite_##name,
#include "suites.h"
#undef SUITE
      CU_SUITE_INFO_NULL,
  };
  struct sws_err err = SWS_ERR_INIT;
  if (sws_crypto_init(&err) != 0) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  setenv("SWS_PW_FAST", "1", 1);
  unsetenv("SWS_NOW");
  if (CU_initialize_registry() != CUE_SUCCESS)
    return 1;
  if (CU_register_suites(suites) != CUE_SUCCESS) {
    fprintf(stderr, "cannot register suites: %s\n", CU_get_error_msg());
    return 1;
  }
  CU_basic_set_mode(CU_BRM_VERBOSE);
  if (argc > 1) {
    CU_pSuite s = CU_get_suite(argv[1]);
    if (s == NULL) {
      fprintf(stderr, "no suite '%s'\n", argv[1]);
      return 2;
    }
    if (argc > 2) {
      CU_pTest t = CU_get_test(s, argv[2]);
      if (t == NULL) {
        fprintf(stderr, "no test '%s' in suite '%s'\n", argv[2], argv[1]);
        return 2;
      }
      CU_basic_run_test(s, t);
    } else {
      CU_basic_run_suite(s);
    }
  } else {
    CU_basic_run_tests();
  }
  unsigned run = CU_get_number_of_tests_run();
  unsigned failed = CU_get_number_of_tests_failed();
  unsigned errors = CU_get_number_of_failure_records() ? 0 : 0;
  (void)errors;
  printf("\ncunit: %u passed, %u failed\n", run - failed, failed);
  CU_cleanup_registry();
  return failed != 0;
}
