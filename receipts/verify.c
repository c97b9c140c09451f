/*
 * verify.c - offline verification of receipt payloads (see verify.h).
 */
#include "receipts/verify.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"

const char *receipt_status_name(int status)
{
  switch (status) {
  case RECEIPT_VALID: return "valid";
  case RECEIPT_MALFORMED: return "malformed";
  case RECEIPT_BAD_SIGNATURE: return "invalid signature";
  case RECEIPT_UNKNOWN_KEY: return "unknown office key";
  case RECEIPT_REVOKED_KEY: return "revoked office key";
  }
  return "?";
}

/* The key this database knows for office/device zCode: its own, or the
 * one sync brought. *pFound 0 when there is none. */
static int find_key(struct sws_ctx *ctx, const char *zCode,
                    unsigned char pk[SWS_PK_BYTES], int *pRevoked,
                    int *pOwn, char *zName, size_t nName, int *pFound,
                    struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  *pFound = *pRevoked = *pOwn = 0;
  /* the office's own key first: a feed entry for our own code must not
   * override what we hold */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT name, public_key, 1, 'active' FROM office "
                       "WHERE id = 1 AND device_code = :c UNION ALL "
                       "SELECT name, public_key, 0, status FROM office_key "
                       "WHERE code = :c ORDER BY 3 DESC",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW && sqlite3_column_bytes(q, 1) == SWS_PK_BYTES) {
    sws_strlcpy(zName, db_col_str(q, 0), nName);
    memcpy(pk, sqlite3_column_blob(q, 1), SWS_PK_BYTES);
    *pOwn = (int)db_col_int64(q, 2);
    *pRevoked = strcmp(db_col_str(q, 3), "revoked") == 0;
    *pFound = 1;
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int receipt_verify(struct sws_ctx *ctx, const char *zPayload,
                   struct receipt_verdict *out, struct sws_err *err)
{
  struct receipt_parsed p;
  struct sws_err perr = SWS_ERR_INIT;
  unsigned char pk[SWS_PK_BYTES], kid[RECEIPT_KEYID_BYTES];
  char zKid[2 * RECEIPT_KEYID_BYTES + 1], zWant[2 * RECEIPT_KEYID_BYTES + 1];
  int found, revoked, rc;
  memset(out, 0, sizeof *out);
  if (receipt_payload_parse(&p, zPayload, &perr) != 0) {
    out->status = RECEIPT_MALFORMED;
    sws_strlcpy(out->zMsg, perr.msg, sizeof out->zMsg);
    return SWS_OK;
  }
  out->rec = p.rec;
  receipt_record_number(&p.rec, out->zNumber, sizeof out->zNumber);
  sws_time_format(out->zIssued, sizeof out->zIssued,
                  (int64_t)p.rec.issued_s * 1000);
  if ((rc = find_key(ctx, p.rec.zIssuer, pk, &revoked, &out->own,
                     out->zIssuerName, sizeof out->zIssuerName, &found,
                     err)) != 0)
    return rc;
  sws_hex(zKid, p.rec.key_id, RECEIPT_KEYID_BYTES);
  if (!found) {
    out->status = RECEIPT_UNKNOWN_KEY;
    snprintf(out->zMsg, sizeof out->zMsg, "this receipt was issued by "
             "office %s, whose key this office does not have yet; sync "
             "with the central registry ('sws sync'), then check it again",
             p.rec.zIssuer);
    return SWS_OK;
  }
  receipt_key_id(kid, pk);
  if (memcmp(kid, p.rec.key_id, RECEIPT_KEYID_BYTES) != 0) {
    sws_hex(zWant, kid, RECEIPT_KEYID_BYTES);
    out->status = RECEIPT_UNKNOWN_KEY;
    snprintf(out->zMsg, sizeof out->zMsg, "this receipt was signed with a "
             "key of office %s that this office does not know (key %s; the "
             "known one is %s); sync with the central registry, then check "
             "it again", p.rec.zIssuer, zKid, zWant);
    return SWS_OK;
  }
  if (!receipt_payload_check(&p, pk)) {
    out->status = RECEIPT_BAD_SIGNATURE;
    snprintf(out->zMsg, sizeof out->zMsg, "this receipt code does not "
             "match the signature of office %s: it was altered or misread; "
             "do not trust it: scan it again, or check the receipt with "
             "that office", p.rec.zIssuer);
    return SWS_OK;
  }
  if (revoked) {
    out->status = RECEIPT_REVOKED_KEY;
    snprintf(out->zMsg, sizeof out->zMsg, "the key of office %s that "
             "signed this receipt has been revoked; do not trust the "
             "receipt: ask office %s to issue a new one", p.rec.zIssuer,
             p.rec.zIssuer);
    return SWS_OK;
  }
  out->status = RECEIPT_VALID;
  snprintf(out->zMsg, sizeof out->zMsg, "genuine %s receipt %s/%06u of "
           "office %s%s%.100s%s, issued %s", receipt_kind_name(p.rec.kind),
           p.rec.zIssuer, (unsigned)p.rec.serial, p.rec.zIssuer,
           out->zIssuerName[0] ? " (" : "", out->zIssuerName,
           out->zIssuerName[0] ? ")" : "", out->zIssued);
  return SWS_OK;
}
