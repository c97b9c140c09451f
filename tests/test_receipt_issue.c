/*
 * test_receipt_issue.c - issuing, reprinting and verifying receipts
 * against an office database (receipts/issue.c, receipts/verify.c):
 * serials, copies and their audit rows; a print that fails leaves
 * nothing; anonymous grievances carry no number; verification with the
 * office's own key, another office's key brought by sync, an unknown key,
 * a rotated key and a revoked one.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/grievance.h"
#include "cases/office.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "receipts/issue.h"
#include "core/text.h"
#include "receipts/verify.h"
#include "tests/support.h"

static int64_t count(struct sws_ctx *ctx, const char *zSql)
{
  int64_t n = -1;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(db_int64(ctx->db, &n, -1, zSql, &err), 0);
  return n;
}

static int fail_print(const struct receipt_doc *d, void *arg,
                      struct sws_err *err)
{
  (void)d;
  (void)arg;
  return sws_err_set(err, SWS_EIO, "the printer is out of paper");
}

static void test_receipt_issue__first_print_issues_then_copies(void)
{
  const char *zRegno = t_household("Sok Dara", 'F', "1985", "V1");
  struct receipt_doc a, b;
  T_OK(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zRegno, ROLE_FRONT_DESK,
                     NULL, NULL, &a, &t_err));
  CU_ASSERT_EQUAL(a.serial, 1);
  CU_ASSERT_EQUAL(a.copies, 1);
  CU_ASSERT_EQUAL(a.members, 2); /* the fixture adds a child */
  CU_ASSERT_STRING_EQUAL(a.zNumber, zRegno);
  CU_ASSERT_STRING_EQUAL(a.zOfficeCode, "KH12");
  CU_ASSERT_EQUAL(strncmp(a.zPayload, "SW1:", 4), 0);
  /* nothing personal in the code: it is not even the number in clear */
  CU_ASSERT_PTR_NULL(strstr(a.zPayload, "Sok"));
  T_OK(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zRegno, ROLE_FRONT_DESK,
                     NULL, NULL, &b, &t_err));
  CU_ASSERT_EQUAL(b.serial, 1);
  CU_ASSERT_EQUAL(b.copies, 2);
  CU_ASSERT_STRING_EQUAL(b.zIssuedAt, a.zIssuedAt);
  CU_ASSERT_STRING_EQUAL(b.zPayload, a.zPayload); /* the same QR code */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log WHERE "
                               "action = 'receipt.issue' AND entity = "
                               "'receipt' AND entity_id = '1'"), 1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log WHERE "
                               "action = 'receipt.reprint' AND detail LIKE "
                               "'registration KH12-%, copy 2'"), 1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT copies FROM receipt WHERE serial = "
                               "1"), 2);
  /* a receipt for another record gets the next serial */
  const char *zOther = t_household("Keo Samnang", 'M', "1990", "V2");
  T_OK(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zOther, ROLE_FRONT_DESK,
                     NULL, NULL, &a, &t_err));
  CU_ASSERT_EQUAL(a.serial, 2);
  struct receipt_row row;
  T_OK(receipt_get(t_ctx, 2, &row, &t_err));
  CU_ASSERT_STRING_EQUAL(row.zNumber, zOther);
  CU_ASSERT_EQUAL(row.kind, RECEIPT_REGISTRATION);
  CU_ASSERT_EQUAL(receipt_get(t_ctx, 99, &row, &t_err), SWS_ENOTFOUND);
}

static void test_receipt_issue__a_failed_print_records_nothing(void)
{
  const char *zRegno = t_household("Sok Dara", 'F', "1985", "V1");
  struct receipt_doc d;
  int64_t audit0 = count(t_ctx, "SELECT count(*) FROM audit_log");
  CU_ASSERT_EQUAL(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zRegno,
                                ROLE_FRONT_DESK, fail_print, NULL, &d,
                                &t_err),
                  SWS_EIO);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "out of paper"));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM receipt"), 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log"), audit0);
  /* a number with a wrong check character, and one that does not exist */
  char zBad[SWS_NUMBER_MAX];
  snprintf(zBad, sizeof zBad, "%s", zRegno);
  zBad[strlen(zBad) - 1] = zBad[strlen(zBad) - 1] == 'A' ? 'B' : 'A';
  CU_ASSERT_NOT_EQUAL(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zBad,
                                    ROLE_FRONT_DESK, NULL, NULL, &d, &t_err),
                      0);
  CU_ASSERT_EQUAL(receipt_issue(t_ctx, RECEIPT_REFERRAL, "KH12-R-000099",
                                ROLE_FRONT_DESK, NULL, NULL, &d, &t_err),
                  SWS_ENOTFOUND);
}

static void test_receipt_issue__grievances_and_referrals(void)
{
  const char *zRegno = t_household("Sok Dara", 'F', "1985", "V1");
  char zHh[SWS_NUMBER_MAX], zTicket[SWS_NUMBER_MAX], zAnon[SWS_NUMBER_MAX];
  char zCode[GRIEVANCE_CODE_MAX], zRef[SWS_NUMBER_MAX];
  struct receipt_doc d;
  struct receipt_verdict v;
  snprintf(zHh, sizeof zHh, "%s", zRegno);
  struct grievance_input gi = {zHh, 0, "payment", "walk-in",
                               "the March payment did not arrive"};
  T_OK(cases_grievance_add(t_ctx, &gi, zTicket, zCode, &t_err));
  struct grievance_input ai = {NULL, 1, "staff-conduct", "walk-in",
                               "an officer asked for money"};
  T_OK(cases_grievance_add(t_ctx, &ai, zAnon, zCode, &t_err));
  struct referral_input ri = {zHh, 1, "health", "Char Chhuk health centre",
                              "cough for three weeks", 1};
  T_OK(cases_referral_add(t_ctx, &ri, zRef, &t_err));

  T_OK(receipt_issue(t_ctx, RECEIPT_GRIEVANCE, zTicket, ROLE_FRONT_DESK,
                     NULL, NULL, &d, &t_err));
  CU_ASSERT_STRING_EQUAL(d.zNumber, zTicket);
  CU_ASSERT(d.zDue[0] != '\0');
  CU_ASSERT_EQUAL(d.anonymous, 0);
  T_OK(receipt_verify(t_ctx, d.zPayload, &v, &t_err));
  CU_ASSERT_EQUAL(v.status, RECEIPT_VALID);
  CU_ASSERT_STRING_EQUAL(v.zNumber, zTicket);

  /* anonymous: by its follow-up code; the QR code names nothing */
  T_OK(receipt_issue(t_ctx, RECEIPT_GRIEVANCE, zCode, ROLE_FRONT_DESK, NULL,
                     NULL, &d, &t_err));
  CU_ASSERT_EQUAL(d.anonymous, 1);
  CU_ASSERT_STRING_EQUAL(d.zNumber, zAnon);
  T_OK(receipt_verify(t_ctx, d.zPayload, &v, &t_err));
  CU_ASSERT_EQUAL(v.status, RECEIPT_VALID);
  CU_ASSERT_EQUAL(v.rec.subject, RECEIPT_SUBJECT_OPAQUE);
  CU_ASSERT_STRING_EQUAL(v.zNumber, "");
  CU_ASSERT_EQUAL(v.own, 1);
  struct receipt_row row;
  T_OK(receipt_get(t_ctx, v.rec.serial, &row, &t_err));
  CU_ASSERT_STRING_EQUAL(row.zNumber, zAnon);

  /* a referral slip is case work: not for the front desk */
  CU_ASSERT_EQUAL(receipt_issue(t_ctx, RECEIPT_REFERRAL, zRef, ROLE_FRONT_DESK,
                                NULL, NULL, &d, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM receipt"), 2);
  T_OK(receipt_issue(t_ctx, RECEIPT_REFERRAL, zRef, ROLE_SUPERVISOR, NULL, NULL,
                     &d, &t_err));
  CU_ASSERT_STRING_EQUAL(d.zService, "health");
  CU_ASSERT_STRING_EQUAL(d.zProvider, "Char Chhuk health centre");
  /* the slip names the person for the receiving side; the QR code does
   * not (it carries the number and the signature only) */
  CU_ASSERT_STRING_EQUAL(d.zPerson, "Sok Dara");
  CU_ASSERT_EQUAL(d.sex, 'F');
  CU_ASSERT_STRING_EQUAL(d.zBornYear, "1985");
  CU_ASSERT_STRING_EQUAL(d.zReason, "cough for three weeks");
  CU_ASSERT_PTR_NULL(strstr(d.zPayload, "Sok"));
  CU_ASSERT_PTR_NULL(strstr(d.zPayload, "1985"));
  CU_ASSERT_PTR_NULL(strstr(d.zPayload, "cough"));
  struct receipt_layout lay;
  T_OK(receipt_layout_build(&lay, &d, "km", &t_err));
  int seen = 0;
  for (int i = 0; i < lay.n; i++)
    seen += strcmp(lay.a[i].zText, "Sok Dara") == 0 ||
            strcmp(lay.a[i].zText, "ស្រី") == 0 ||
            strcmp(lay.a[i].zText, "1985") == 0 ||
            strcmp(lay.a[i].zText, "cough for three weeks") == 0;
  CU_ASSERT_EQUAL(seen, 4);
  T_OK(receipt_verify(t_ctx, d.zPayload, &v, &t_err));
  CU_ASSERT_EQUAL(v.status, RECEIPT_VALID);
  CU_ASSERT_EQUAL(v.rec.kind, RECEIPT_REFERRAL);
  CU_ASSERT_STRING_EQUAL(v.zNumber, zRef);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM receipt"), 3);
}

/* A long reason on several lines goes on the slip on one line, cut
 * before a whole character. */
static void test_receipt_issue__referral_reason_cut_whole(void)
{
  const char *zRegno = t_household("Chan Thy", 'M', "1970-02-03", "V1");
  char zHh[SWS_NUMBER_MAX], zRef[SWS_NUMBER_MAX], zReason[1200];
  struct receipt_doc d;
  snprintf(zHh, sizeof zHh, "%s", zRegno);
  /* "ក្អក\n" is 13 bytes: 300 bytes end inside a character */
  for (size_t i = 0, k = 0; i < 60; i++)
    k += (size_t)snprintf(zReason + k, sizeof zReason - k, "ក្អក\n");
  struct referral_input ri = {zHh,     1, "health", "Char Chhuk health centre",
                              zReason, 0};
  T_OK(cases_referral_add(t_ctx, &ri, zRef, &t_err));
  T_OK(receipt_issue(t_ctx, RECEIPT_REFERRAL, zRef, ROLE_SUPERVISOR, NULL, NULL,
                     &d, &t_err));
  CU_ASSERT_EQUAL(d.sex, 'M');
  CU_ASSERT_STRING_EQUAL(d.zBornYear, "1970");
  CU_ASSERT(strlen(d.zReason) <= 300 && strlen(d.zReason) > 280);
  CU_ASSERT_PTR_NULL(strchr(d.zReason, '\n'));
  CU_ASSERT(sws_utf8_valid(d.zReason, strlen(d.zReason)));
}

/* Write office_key for code as sync would. */
static void put_key(const char *zCode, const unsigned char pk[32],
                    const char *zStatus)
{
  char zKeyId[17];
  sqlite3_stmt *q;
  cases_key_id(zKeyId, pk);
  T_OK(cases_op_begin(t_ctx, "test.office_key", &t_err));
  T_OK(db_prepare(t_ctx->db, &q,
                  "INSERT INTO office_key(code, name, key_id, public_key, "
                  "status, updated_at) VALUES (:c, 'Other', :k, :pk, :s, "
                  "sws_now()) ON CONFLICT(code) DO UPDATE SET key_id = :k, "
                  "public_key = :pk, status = :s",
                  &t_err));
  db_bind_text(q, ":c", zCode);
  db_bind_text(q, ":k", zKeyId);
  db_bind_blob(q, ":pk", pk, 32);
  db_bind_text(q, ":s", zStatus);
  int rc = db_step(t_ctx->db, q, &t_err);
  db_done(t_ctx->db, q);
  T_OK(cases_op_end(t_ctx, rc < 0 ? rc : 0, NULL, NULL, NULL, &t_err));
}

/* A payload as office zIssuer would sign it with sk (its key id from
 * pkClaimed: the key the payload says signed it). */
static void foreign(char *out, const char *zIssuer,
                    const unsigned char pkClaimed[32],
                    const unsigned char sk[64])
{
  struct receipt_record r;
  char zNum[SWS_NUMBER_MAX];
  memset(&r, 0, sizeof r);
  r.kind = RECEIPT_REGISTRATION;
  r.serial = 77;
  r.issued_s = 1772440200;
  snprintf(r.zIssuer, sizeof r.zIssuer, "%s", zIssuer);
  receipt_key_id(r.key_id, pkClaimed);
  sws_number_format(zNum, sizeof zNum, zIssuer, 5);
  T_OK(receipt_record_set_number(&r, zNum, &t_err));
  T_OK(receipt_payload_sign(out, &r, sk, &t_err));
}

static int verdict(const char *zPayload, struct receipt_verdict *v)
{
  T_OK(receipt_verify(t_ctx, zPayload, v, &t_err));
  return v->status;
}

static void test_receipt_issue__other_offices_unknown_and_revoked_keys(void)
{
  unsigned char pk13[32], sk13[64], pkNew[32], skNew[64];
  char z[RECEIPT_PAYLOAD_MAX + 1], zNew[RECEIPT_PAYLOAD_MAX + 1];
  struct receipt_verdict v;
  struct office_info own;
  sws_sign_keypair(pk13, sk13);
  sws_sign_keypair(pkNew, skNew);
  foreign(z, "KH13", pk13, sk13);

  /* office KH13's key has not come with sync yet */
  CU_ASSERT_EQUAL(verdict(z, &v), RECEIPT_UNKNOWN_KEY);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zMsg, "office KH13"));
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zMsg, "sync"));
  CU_ASSERT_EQUAL(strncmp(v.zNumber, "KH13-000005-", 12), 0);

  /* now it has */
  put_key("KH13", pk13, "active");
  CU_ASSERT_EQUAL(verdict(z, &v), RECEIPT_VALID);
  CU_ASSERT_EQUAL(v.own, 0);
  CU_ASSERT_STRING_EQUAL(v.zIssuerName, "Other");
  CU_ASSERT_EQUAL(strncmp(v.zNumber, "KH13-000005-", 12), 0);

  /* KH13 changed its key and this office has not heard yet */
  foreign(zNew, "KH13", pkNew, skNew);
  CU_ASSERT_EQUAL(verdict(zNew, &v), RECEIPT_UNKNOWN_KEY);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zMsg, "does not know"));

  /* a forger who claims KH13's key: the signature does not match */
  foreign(zNew, "KH13", pk13, skNew);
  CU_ASSERT_EQUAL(verdict(zNew, &v), RECEIPT_BAD_SIGNATURE);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zMsg, "do not trust"));

  /* KH13's key is revoked */
  put_key("KH13", pk13, "revoked");
  CU_ASSERT_EQUAL(verdict(z, &v), RECEIPT_REVOKED_KEY);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zMsg, "revoked"));

  /* a feed entry for this office's own code does not replace its key */
  T_OK(cases_office_get(t_ctx, &own, &t_err));
  put_key("KH12", pk13, "revoked");
  foreign(zNew, "KH12", own.pk, skNew);
  CU_ASSERT_EQUAL(verdict(zNew, &v), RECEIPT_BAD_SIGNATURE);
  const char *zRegno = t_household("Sok Dara", 'F', "1985", "V1");
  struct receipt_doc d;
  T_OK(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zRegno, ROLE_FRONT_DESK,
                     NULL, NULL, &d, &t_err));
  CU_ASSERT_EQUAL(verdict(d.zPayload, &v), RECEIPT_VALID);
  CU_ASSERT_EQUAL(v.own, 1);

  CU_ASSERT_EQUAL(verdict("SW1:HELLO", &v), RECEIPT_MALFORMED);
  CU_ASSERT_STRING_EQUAL(receipt_status_name(RECEIPT_MALFORMED),
                         "malformed");
}

static CU_TestInfo tests[] = {
    {"test_receipt_issue__first_print_issues_then_copies",
     test_receipt_issue__first_print_issues_then_copies},
    {"test_receipt_issue__a_failed_print_records_nothing",
     test_receipt_issue__a_failed_print_records_nothing},
    {"test_receipt_issue__grievances_and_referrals",
     test_receipt_issue__grievances_and_referrals},
    {"test_receipt_issue__other_offices_unknown_and_revoked_keys",
     test_receipt_issue__other_offices_unknown_and_revoked_keys},
    {"test_receipt_issue__referral_reason_cut_whole",
     test_receipt_issue__referral_reason_cut_whole},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_issue = {"receipt_issue", NULL, NULL,
                                    t_office_setup, t_office_teardown, tests};
