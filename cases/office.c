/*
 * office.c - office identity and keys (see office.h).
 */
#include "cases/office.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"

int cases_office_code_check(char out[SWS_OFFICE_CODE_MAX], const char *z,
                            struct sws_err *err)
{
  size_t n = strlen(z);
  if (n < 2 || n > SWS_OFFICE_CODE_MAX - 1)
    goto bad;
  for (size_t i = 0; i < n; i++) {
    int c = toupper((unsigned char)z[i]);
    if (!((c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') ||
          (i > 0 && i < n - 1 && c == '-' && z[i - 1] != '-')))
      goto bad;
    out[i] = (char)c;
  }
  out[n] = '\0';
  return SWS_OK;
bad:
  return sws_err_set(err, SWS_EINVAL, "office code '%s' must be 2 to 16 "
                     "letters, digits or inner hyphens, starting with a "
                     "letter (e.g. KH12 or KH12-M1)", z);
}

void cases_key_id(char out[17], const unsigned char pk[SWS_PK_BYTES])
{
  unsigned char h[SWS_SHA256_BYTES];
  sws_sha256(h, pk, SWS_PK_BYTES);
  sws_hex(out, h, 8);
}

int cases_office_init(struct sws_ctx *ctx, const char *zCode,
                      const char *zName, struct sws_err *err)
{
  return cases_office_init_device(ctx, zCode, NULL, zName, err);
}

int cases_office_init_device(struct sws_ctx *ctx, const char *zCode,
                             const char *zDevice, const char *zName,
                             struct sws_err *err)
{
  char zc[SWS_OFFICE_CODE_MAX], zd[SWS_OFFICE_CODE_MAX];
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  sqlite3_stmt *q = NULL;
  int64_t n;
  int rc;
  if ((rc = cases_office_code_check(zc, zCode, err)) != 0 ||
      (rc = cases_office_code_check(zd, zDevice ? zDevice : zCode, err)) != 0)
    return rc;
  if (sws_blank(zName))
    return sws_err_set(err, SWS_EINVAL, "the office needs a name (--name)");
  if ((rc = sws_text_check("the office name", zName, 200, 0, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "office.init", err)) != 0)
    return rc;
  if ((rc = db_int64(ctx->db, &n, 0, "SELECT count(*) FROM office", err)) !=
      0)
    goto done;
  if (n > 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "this database already belongs to "
                     "an office; use another --db for a new one");
    goto done;
  }
  sws_sign_keypair(pk, sk);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO office(id, code, name, device_code, "
                       "public_key, secret_key, created_at) VALUES (1, :code, "
                       ":name, :device, :pk, :sk, sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":code", zc);
  db_bind_text(q, ":name", zName);
  db_bind_text(q, ":device", zd);
  db_bind_blob(q, ":pk", pk, sizeof pk);
  db_bind_blob(q, ":sk", sk, sizeof sk);
  rc = db_step(ctx->db, q, err);
  if (rc > 0)
    rc = 0;
done:
  sodium_memzero(sk, sizeof sk);
  db_done(ctx->db, q);
  return cases_op_end(ctx, rc, "office", zc, zName, err);
}

int cases_office_get(struct sws_ctx *ctx, struct office_info *out,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT code, device_code, name, public_key, "
                      "created_at FROM office WHERE id = 1",
                      err);
  if (rc != 0)
    return rc;
  memset(out, 0, sizeof *out);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(out->zCode, db_col_str(q, 0), sizeof out->zCode);
    sws_strlcpy(out->zDevice, db_col_str(q, 1), sizeof out->zDevice);
    sws_strlcpy(out->zName, db_col_str(q, 2), sizeof out->zName);
    if (sqlite3_column_bytes(q, 3) == SWS_PK_BYTES)
      memcpy(out->pk, sqlite3_column_blob(q, 3), SWS_PK_BYTES);
    sws_strlcpy(out->zCreatedAt, db_col_str(q, 4), sizeof out->zCreatedAt);
    cases_key_id(out->zKeyId, out->pk);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "this database has no office; "
                     "run 'sws init --office CODE --name NAME'");
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_office_secret_key(struct sws_ctx *ctx,
                            unsigned char sk[SWS_SK_BYTES],
                            struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT secret_key FROM office WHERE id = 1", err);
  if (rc != 0)
    return rc;
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW && sqlite3_column_bytes(q, 0) == SWS_SK_BYTES) {
    memcpy(sk, sqlite3_column_blob(q, 0), SWS_SK_BYTES);
    rc = SWS_OK;
  } else if (rc >= 0) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "this database has no office key");
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_office_new_device(struct sws_ctx *ctx, const char *zDevice,
                            struct office_info *pOld, struct sws_err *err)
{
  char zd[SWS_OFFICE_CODE_MAX];
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = cases_office_code_check(zd, zDevice, err)) != 0)
    return rc;
  if ((rc = cases_office_get(ctx, pOld, err)) != 0)
    return rc;
  if (strcmp(zd, pOld->zDevice) == 0)
    return sws_err_set(err, SWS_EINVAL, "this computer is device %s "
                       "already; give a new device code (e.g. %s-2)", zd,
                       pOld->zCode);
  if ((rc = cases_op_begin(ctx, "office.new-device", err)) != 0)
    return rc;
  sws_sign_keypair(pk, sk);
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE office SET device_code = :d, public_key = "
                       ":pk, secret_key = :sk WHERE id = 1",
                       err)) == 0) {
    db_bind_text(q, ":d", zd);
    db_bind_blob(q, ":pk", pk, sizeof pk);
    db_bind_blob(q, ":sk", sk, sizeof sk);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  sodium_memzero(sk, sizeof sk);
  char zDetail[120], zKeyId[17];
  cases_key_id(zKeyId, pk);
  snprintf(zDetail, sizeof zDetail, "device %s replaced by %s (key %s)",
           pOld->zDevice, zd, zKeyId);
  return cases_op_end(ctx, rc, "office", pOld->zCode, zDetail, err);
}
