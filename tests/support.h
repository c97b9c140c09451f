/*
 * support.h - shared fixtures for the CUnit suites: a fresh office database
 * per test (in memory), seeded with a small area hierarchy.
 */
#ifndef SWS_TESTS_SUPPORT_H
#define SWS_TESTS_SUPPORT_H

#include <CUnit/CUnit.h>

#include "cases/ctx.h"

/* The office database of the current test (set up by t_office_setup). */
extern struct sws_ctx *t_ctx;
extern struct sws_err t_err;

/*
 * Set-up / tear-down for suites that need an office: an in-memory office
 * "KH12" with areas P1 > D1 > C1 > V1, V2 and C2 > V3, and users admin
 * (admin), desk (front-desk), cm1, cm2 (case-manager), sup (supervisor),
 * and the default grievance configuration. The actor is desk.
 */
void t_office_setup(void);

/* Those areas as CSV (for a registry's area table, say). */
extern const char t_areas_csv[];

/* Another office like t_office_setup's, with its own code (caller closes
 * it with cases_close). */
struct sws_ctx *t_office_new(const char *zCode);
/* The same in file zPath (NULL: in memory), for tests that need a second
 * connection to it. */
struct sws_ctx *t_office_at(const char *zCode, const char *zPath);
/* The same for device zDevice of office zCode (NULL: the office's own). */
struct sws_ctx *t_device_at(const char *zCode, const char *zDevice,
                            const char *zPath);

/* Register a one-person household in village zArea; returns its number
 * (static storage, overwritten by the next call). */
const char *t_household(const char *zHead, char sex, const char *zBorn,
                        const char *zArea);
void t_office_teardown(void);

/* The id of the possible duplicate of households zA and zB (numbers, in
 * either order) at office ctx, 0 if none. */
int64_t t_flag_id(struct sws_ctx *ctx, const char *zA, const char *zB);

/* Assert rc == 0, printing err on failure. */
#define T_OK(expr)                                                            \
  do {                                                                        \
    int t_rc_ = (expr);                                                       \
    if (t_rc_ != 0)                                                           \
      fprintf(stderr, "\n  %s:%d: %s -> %d: %s\n", __FILE__, __LINE__, #expr, \
              t_rc_, t_err.msg);                                              \
    CU_ASSERT_EQUAL_FATAL(t_rc_, 0);                                          \
  } while (0)

/* Path of a new empty temporary directory for this test; removed at exit. */
const char *t_tmpdir(void);

/*
 * The URL of a new, empty PostgreSQL database for this test (static
 * storage, overwritten by the next call): on the cluster tests/run.sh
 * started (SWS_TEST_PG), or else on one this process starts with
 * tests/pg-cluster.sh and stops when it exits. Aborts when there is no
 * PostgreSQL to run on (make test installs it).
 */
const char *t_pg_url(void);

#endif
