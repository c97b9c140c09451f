/*
 * layout.h - what a receipt says, line by line, in the chosen language,
 * separate from how it is drawn.
 *
 * A `struct receipt_doc` holds the facts of one receipt (filled by
 * receipt_issue in receipts/issue.h, or by hand in tests); the layout turns
 * them into styled lines of text in English, Khmer or Mongolian, with one
 * line marking where the QR code goes. Every renderer (receipts/render.h)
 * draws the same layout, so the wording is tested once, here.
 *
 * The translations are one table in layout.c (a gettext catalogue comes
 * with the web UI). Dates are written YYYY-MM-DD in every language.
 */
#ifndef SWS_RECEIPTS_LAYOUT_H
#define SWS_RECEIPTS_LAYOUT_H

#include <stdint.h>

#include "core/err.h"
#include "core/ids.h"
#include "receipts/payload.h"

#define RECEIPT_LINES_MAX 24
#define RECEIPT_TEXT_MAX 512

/* The facts printed on a receipt (no names, no national IDs). */
struct receipt_doc {
  int kind;                       /* enum receipt_kind */
  int64_t serial;                 /* receipt serial of the issuing device */
  int copies;                     /* times printed, this one included */
  char zIssuedAt[32];             /* first issue, ISO 8601 UTC */
  char zOfficeCode[RECEIPT_CODE_MAX + 1]; /* issuing office/device */
  char zOfficeName[201];
  char zNumber[SWS_NUMBER_MAX];   /* registration/ticket/referral number */
  int anonymous;                  /* grievance without a complainant */
  int members;                    /* registration: active members */
  char zDue[11];                  /* grievance: answer due, or "" */
  char zService[16];              /* referral: health, education, ... */
  char zProvider[201];            /* referral: who receives the family */
  /* referral: what the receiving service needs to recognise the person
   * (printed, never in the QR code, which carries only the number) */
  char zPerson[201];                      /* name as registered */
  char sex;                               /* 'F', 'M', or 0 when not known */
  char zBornYear[5];                      /* "1982", or "" */
  char zReason[301];                      /* why, cut at a character boundary */
  char zPayload[RECEIPT_PAYLOAD_MAX + 1]; /* the signed QR text */
};

enum receipt_style {
  RECEIPT_L_TITLE = 1, /* the office name: large, bold, centred */
  RECEIPT_L_HEADING,   /* the kind of receipt: bold, centred */
  RECEIPT_L_COPY,      /* "COPY" on a reprint: white on black, centred */
  RECEIPT_L_FIELD,     /* label and value (the value bold) */
  RECEIPT_L_TEXT,      /* a paragraph */
  RECEIPT_L_QR,        /* the QR code (no text) */
  RECEIPT_L_SMALL,     /* small, centred */
  RECEIPT_L_RULE,      /* a horizontal line (no text) */
};

struct receipt_line {
  int style;                    /* enum receipt_style */
  char zLabel[128];             /* RECEIPT_L_FIELD only, else "" */
  char zText[RECEIPT_TEXT_MAX]; /* UTF-8 */
};

struct receipt_layout {
  char zLang[3]; /* en, km, mn */
  int n;
  struct receipt_line a[RECEIPT_LINES_MAX];
};

/* 1 if zLang is a language receipts are written in (en, km, mn). */
int receipt_lang_known(const char *zLang);

/*
 * Lay out the receipt d in zLang into *out. SWS_EINVAL for an unknown
 * language or kind. Pure: no database, no fonts.
 */
int receipt_layout_build(struct receipt_layout *out,
                         const struct receipt_doc *d, const char *zLang,
                         struct sws_err *err);

#endif
