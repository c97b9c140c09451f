/*
 * pg_cols.h - rows sent to PostgreSQL as columns: one text[] array per
 * column, in the binary format of libpq's parameters.
 *
 * A push writes thousands of rows per table in one statement. Sent as one
 * JSON array and taken apart by json_to_recordset, PostgreSQL spent about
 * half of each insert reading the JSON (bench_sws sync); arrays in binary
 * form are read without parsing:
 *
 *   INSERT INTO t(a, b) SELECT a, b::bigint FROM unnest($1::text[],
 *                                                        $2::text[]) ...
 *
 *   struct pg_cols c;
 *   pg_cols_init(&c, 2);
 *   for each row: pg_cols_text(&c, 0, zA); pg_cols_json(&c, 1, jB);
 *   pg_cols_finish(&c);
 *   PQexecParams(conn, zSql, c.n, NULL, c.aVal, c.aLen, c.aFmt, 0);
 *   pg_cols_release(&c);
 *
 * Values are the text PostgreSQL reads for the column's type (the SQL
 * casts them); a NULL value is SQL NULL. Every column must get one value
 * per row.
 */
#ifndef SWS_SYNC_PG_COLS_H
#define SWS_SYNC_PG_COLS_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define PG_COLS_MAX 40

struct pg_cols {
  int n;     /* columns */
  int nRows; /* values in column 0 */
  struct buf a[PG_COLS_MAX];
  int aCount[PG_COLS_MAX]; /* values in each column */
  int bNull[PG_COLS_MAX];  /* a column with a NULL */
  /* the parameters, once finished */
  const char *aVal[PG_COLS_MAX];
  int aLen[PG_COLS_MAX];
  int aFmt[PG_COLS_MAX];
};

/* Start nCols columns (1..PG_COLS_MAX). */
void pg_cols_init(struct pg_cols *c, int nCols);

/* The next value of column k: z (n bytes), or NULL. */
void pg_cols_add(struct pg_cols *c, int k, const char *z, size_t n);

/* The next value of column k: z (NUL-terminated), or NULL. */
void pg_cols_text(struct pg_cols *c, int k, const char *z);

/* The next value of column k from a JSON value as PostgreSQL's json
 * functions give it for a column: a string as it is, a number, true or
 * false as written, an object or array as its JSON text, null (or v
 * NULL) as NULL. */
void pg_cols_json(struct pg_cols *c, int k, json_t *v);

/* Fill aVal, aLen, aFmt. Fails if a column got another number of values
 * than column 0 or grew too large. */
int pg_cols_finish(struct pg_cols *c, struct sws_err *err);

void pg_cols_release(struct pg_cols *c);

#endif
