/*
 * cmd_receipt.c - sws receipt print|verify: receipts for families (a
 * registration, a grievance ticket, a referral slip) on a terminal,
 * thermal printers (ESC/POS) and office printers (PDF, SVG, PNG), and
 * checking a receipt's QR code offline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"
#include "receipts/escpos.h"
#include "receipts/issue.h"
#include "receipts/layout.h"
#include "receipts/qr.h"
#include "receipts/render.h"
#include "receipts/verify.h"

#define RECEIPT_QR_MAX_VERSION 7
#define RECEIPT_OUT_MAX ((size_t)16 << 20)

enum format { F_TEXT = 1, F_SVG, F_PNG, F_PDF, F_ESCPOS };

static const struct {
  const char *zName;
  int format;
  int binary; /* not for a terminal */
} FORMATS[] = {
    {"text", F_TEXT, 0}, {"svg", F_SVG, 0},       {"png", F_PNG, 1},
    {"pdf", F_PDF, 1},   {"escpos", F_ESCPOS, 1},
};

static const char zPrintUsage[] =
    "usage: sws receipt print KIND ID [--format text|svg|png|pdf|escpos]\n"
    "           [--width 58|80] [--lang en|km|mn] [--out FILE]\n"
    "\n"
    "Print the receipt a family takes home: KIND is registration (ID: the\n"
    "registration number), grievance (the ticket number, or the follow-up\n"
    "code of an anonymous grievance) or referral (the referral number).\n"
    "The receipt says, in the chosen language, the office, the date, the\n"
    "number, what was done, what happens next and how to follow up, and\n"
    "carries a QR code signed with the office key (no names or IDs in it;\n"
    "scanning it into 'sws search' opens the record; see docs/receipts.md).\n"
    "\n"
    "The first print issues the receipt (a new receipt serial); every\n"
    "later print is a copy: same serial and QR code, marked COPY. Both\n"
    "are kept in the audit log (receipt.issue, receipt.reprint).\n"
    "\n"
    "  --format F  text (default): the receipt with its QR code in half\n"
    "              blocks, for a terminal with a dark background;\n"
    "              escpos: the byte stream for an ESC/POS thermal printer\n"
    "              (the whole receipt as a raster image, fed and cut);\n"
    "              png: the same image (203 dpi); pdf: an A4 page for an\n"
    "              office printer; svg: the receipt as a vector drawing\n"
    "  --width W   paper width in mm: 58 (384 dots, default) or 80 (576)\n"
    "  --lang L    en (default), km (Khmer) or mn (Mongolian)\n"
    "  --out FILE  write to FILE (a printer device such as /dev/usb/lp0 is\n"
    "              written directly) instead of standard output\n"
    "\n"
    "Send a receipt to a thermal printer with\n"
    "  sws receipt print registration KH12-000123-7 --format escpos \\\n"
    "      --out /dev/usb/lp0\n"
    "or, for a network printer, '... --format escpos | nc -q 1 HOST 9100'\n"
    "(docs/printers.md).\n";

static const char zVerifyUsage[] =
    "usage: sws receipt verify PAYLOAD [--json]\n"
    "\n"
    "Check a receipt's QR code (what a scanner reads from it, e.g.\n"
    "'SW1:...'; quote it for the shell) offline, with the office keys this\n"
    "database knows: its own, and those of other offices brought by sync.\n"
    "Prints what the receipt is about when it is genuine.\n"
    "\n"
    "Exit status:\n"
    "  0  valid: signed by the key of the office it names\n"
    "  1  error (the database could not be read)\n"
    "  2  usage error\n"
    "  4  malformed: not a receipt code, damaged, or typed with the wrong\n"
    "     keyboard settings (Caps Lock, keyboard layout)\n"
    "  5  invalid signature: the code was altered; do not trust it\n"
    "  6  unknown office key: this office does not have the issuing\n"
    "     office's key (yet); sync, then check again\n"
    "  7  revoked office key: the key that signed it was revoked\n"
    "\n"
    "  --json   print {status, exit, message, kind, office, office_name,\n"
    "           serial, issued_at, subject, key_id, own}\n";

struct job {
  int format;
  int width; /* dots */
  const char *zLang;
  const char *zOut;
  struct receipt_render_info info;
};

/* Write n bytes to zPath: a device or pipe directly (it cannot be renamed
 * over), a file atomically. */
static int write_out(const char *zPath, const void *p, size_t n,
                     struct sws_err *err)
{
  struct stat st;
  if (zPath == NULL) {
    if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0)
      return sws_err_set(err, SWS_EIO, "cannot write the receipt to "
                         "standard output: %s", strerror(errno));
    return SWS_OK;
  }
  if (stat(zPath, &st) == 0 && !S_ISREG(st.st_mode)) {
    int fd = open(zPath, O_WRONLY | O_NOCTTY);
    size_t put = 0;
    if (fd < 0)
      return sws_err_set(err, SWS_EIO, "cannot open '%s': %s (is the "
                         "printer on, and are you in group lp?)", zPath,
                         strerror(errno));
    while (put < n) {
      ssize_t k = write(fd, (const char *)p + put, n - put);
      if (k < 0 && errno == EINTR)
        continue;
      if (k < 0) {
        int e = errno;
        close(fd);
        return sws_err_set(err, SWS_EIO, "cannot write to '%s': %s", zPath,
                           strerror(e));
      }
      put += (size_t)k;
    }
    if (close(fd) != 0)
      return sws_err_set(err, SWS_EIO, "cannot write to '%s': %s", zPath,
                         strerror(errno));
    return SWS_OK;
  }
  return cli_write_file(zPath, p, n, err);
}

/* Render d as the job asks and write it (inside the issue operation). */
static int print_doc(const struct receipt_doc *d, void *arg,
                     struct sws_err *err)
{
  struct job *job = arg;
  struct receipt_layout *l = sws_malloc(sizeof *l);
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct receipt_raster r = RECEIPT_RASTER_INIT;
  struct buf out;
  int rc;
  buf_init(&out, RECEIPT_OUT_MAX);
  if ((rc = receipt_layout_build(l, d, job->zLang, err)) != 0 ||
      (rc = receipt_qr_encode(&qr, d->zPayload, RECEIPT_QR_MAX_VERSION,
                              err)) != 0)
    goto done;
  switch (job->format) {
  case F_TEXT:
    receipt_render_text(&out, l, &qr);
    rc = buf_check(&out, "the receipt", err);
    break;
  case F_SVG:
  case F_PDF:
    rc = receipt_render_vector(&out,
                               job->format == F_SVG ? RECEIPT_SVG
                                                    : RECEIPT_PDF,
                               l, &qr, job->width, &job->info, err);
    break;
  default:
    if ((rc = receipt_render_raster(&r, l, &qr, job->width, &job->info,
                                    err)) != 0)
      break;
    rc = job->format == F_PNG ? receipt_png_write(&out, &r, err)
                              : receipt_escpos_write(&out, &r, err);
    break;
  }
  if (rc == 0)
    rc = write_out(job->zOut, out.z, out.n, err);
done:
  receipt_raster_release(&r);
  receipt_qr_release(&qr);
  buf_release(&out);
  free(l);
  return rc;
}

static int cmd_receipt_print(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"format", required_argument, 0, 'f'},
      {"width", required_argument, 0, 'w'},
      {"lang", required_argument, 0, 'l'},
      {"out", required_argument, 0, 'o'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_doc doc;
  struct job job;
  int c, rc, binary = 0;
  memset(&job, 0, sizeof job);
  job.format = F_TEXT;
  job.width = RECEIPT_WIDTH_58;
  job.zLang = "en";
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'f':
      job.format = 0;
      for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (strcmp(optarg, FORMATS[i].zName) == 0) {
          job.format = FORMATS[i].format;
          binary = FORMATS[i].binary;
        }
      if (job.format == 0)
        return cli_usage(cli, "--format is text, svg, png, pdf or escpos, "
                         "not '%s'", optarg);
      break;
    case 'w':
      if (strcmp(optarg, "58") == 0)
        job.width = RECEIPT_WIDTH_58;
      else if (strcmp(optarg, "80") == 0)
        job.width = RECEIPT_WIDTH_80;
      else
        return cli_usage(cli, "--width is 58 or 80 (mm), not '%s'", optarg);
      break;
    case 'l':
      if (!receipt_lang_known(optarg))
        return cli_usage(cli, "--lang is en, km or mn, not '%s'", optarg);
      job.zLang = optarg;
      break;
    case 'o': job.zOut = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind + 2 != argc)
    return cli_usage(cli, "give the kind (registration, grievance or "
                     "referral) and the number");
  int kind = receipt_kind_parse(argv[optind]);
  if (kind == 0)
    return cli_usage(cli, "the kind is registration, grievance or "
                     "referral, not '%s'", argv[optind]);
  if (binary && job.zOut == NULL && isatty(STDOUT_FILENO))
    return cli_usage(cli, "this format is not for a terminal: give --out "
                     "FILE or redirect the output");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  rc = receipt_issue(cli->ctx, kind, argv[optind + 1], cli_role(cli),
                     print_doc, &job, &doc, &err);
  /* the fonts are not needed again in this process */
  receipt_render_shutdown();
  if (rc != 0)
    return cli_fail(&err);
  if (job.info.nUnknownGlyphs > 0)
    fprintf(stderr, "sws: warning: %d characters had no font and print as "
            "boxes; install fonts-khmeros and fonts-noto-core\n",
            job.info.nUnknownGlyphs);
  if (doc.copies > 1)
    fprintf(stderr, "sws: printed copy %d of receipt %s/%06lld (%s %s)\n",
            doc.copies, doc.zOfficeCode, (long long)doc.serial,
            receipt_kind_name(kind), doc.zNumber);
  else
    fprintf(stderr, "sws: issued receipt %s/%06lld (%s %s)\n",
            doc.zOfficeCode, (long long)doc.serial, receipt_kind_name(kind),
            doc.zNumber);
  return EXIT_OK;
}

static int cmd_receipt_verify(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_verdict v;
  struct buf q = BUF_INIT;
  int c, bJson = 0, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'j')
      bJson = 1;
    else
      return EXIT_USAGE;
  }
  if (optind >= argc)
    return cli_usage(cli, "give the receipt code (what the scanner reads)");
  /* an unquoted code with spaces arrives as several words */
  for (int i = optind; i < argc; i++)
    buf_appendf(&q, "%s%s", i > optind ? " " : "", argv[i]);
  char *zPayload = sws_trim(buf_str(&q));
  buf_release(&q);
  if ((rc = cli_open(cli)) != 0)
    goto done;
  if (receipt_verify(cli->ctx, zPayload, &v, &err) != 0) {
    rc = cli_fail(&err);
    goto done;
  }
  if (bJson) {
    char zKid[2 * RECEIPT_KEYID_BYTES + 1];
    int bParsed = v.status != RECEIPT_MALFORMED;
    sws_hex(zKid, v.rec.key_id, RECEIPT_KEYID_BYTES);
    json_t *j = json_pack("{s:s, s:i, s:s}", "status",
                          receipt_status_name(v.status), "exit", v.status,
                          "message", v.zMsg);
    if (bParsed) {
      json_object_set_new(j, "kind",
                          json_string(receipt_kind_name(v.rec.kind)));
      json_object_set_new(j, "office", json_string(v.rec.zIssuer));
      json_object_set_new(j, "office_name", json_string(v.zIssuerName));
      json_object_set_new(j, "serial", json_integer(v.rec.serial));
      json_object_set_new(j, "issued_at", json_string(v.zIssued));
      json_object_set_new(j, "subject", v.zNumber[0]
                                            ? json_string(v.zNumber)
                                            : json_null());
      json_object_set_new(j, "key_id", json_string(zKid));
      json_object_set_new(j, "own", json_boolean(v.own));
    }
    cli_json_print(j);
  } else if (v.status == RECEIPT_VALID) {
    printf("valid: %s\n", v.zMsg);
    printf("%s %s\n", receipt_kind_name(v.rec.kind),
           v.zNumber[0] ? v.zNumber
                        : "(no number: opens only at the issuing office)");
  } else {
    fprintf(stderr, "sws: %s: %s\n", receipt_status_name(v.status), v.zMsg);
  }
  rc = v.status;
done:
  free(zPayload);
  return rc;
}

const struct cmd cmds_receipt[] = {
    {"receipt print", cmd_receipt_print,
     "print a family's receipt (text, SVG, PNG, PDF, ESC/POS)", zPrintUsage, 0,
     CAP_DESK},
    {"receipt verify", cmd_receipt_verify, "check a receipt's QR code offline",
     zVerifyUsage, 0, CAP_READ},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
