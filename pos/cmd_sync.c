/*
 * cmd_sync.c - sws sync, sws sync config, sws sync status, sws sync
 * resolve.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "cases/label.h"
#include "pos/cli.h"
#include "sync/auth.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/review.h"
#include "sync/transport_https.h"

static const char zConfigUsage[] =
    "usage: sws sync config [--central https://HOST:PORT] [--ca-file PEM]\n"
    "           [--pin sha256//BASE64]\n"
    "\n"
    "Store the central registry's address, the CA certificate to trust and\n"
    "optionally the pin of its public key, so 'sws sync' needs no options.\n"
    "With no option, show them.\n";

static int cmd_sync_config(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"central", required_argument, 0, 'c'},
                                       {"ca-file", required_argument, 0, 'a'},
                                       {"pin", required_argument, 0, 'p'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct sync_config cfg;
  const char *zUrl = NULL, *zCa = NULL, *zPin = NULL;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'c': zUrl = optarg; break;
    case 'a': zCa = optarg; break;
    case 'p': zPin = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if ((zUrl || zCa || zPin) &&
      sync_config_set(cli->ctx, zUrl, zCa, zPin, &err) != 0)
    return cli_fail(&err);
  if (sync_config_get(cli->ctx, &cfg, &err) != 0)
    return cli_fail(&err);
  printf("central:  %s\n", cfg.zUrl[0] ? cfg.zUrl : "(not set)");
  printf("ca file:  %s\n", cfg.zCaFile[0] ? cfg.zCaFile : "(system CAs)");
  printf("pin:      %s\n", cfg.zPin[0] ? cfg.zPin : "(none)");
  return EXIT_OK;
}

static const char zSyncUsage[] =
    "usage: sws sync [--central https://HOST:PORT] [--ca-file PEM]\n"
    "           [--pin sha256//BASE64] [--push-only | --pull-only]\n"
    "           [--reconcile] [--snapshot [--registry-key KEY]]\n"
    "           [--move-here REGNO | --move-here-id ID]\n"
    "\n"
    "Sync with the central registry: send what this office changed (batch\n"
    "by batch, each resent unchanged until answered), then read what\n"
    "changed centrally for it. Stored settings ('sws sync config') are used\n"
    "for options not given. Safe to interrupt at any moment: the next run\n"
    "goes on from where this one stopped. Meant for a timer as well.\n"
    "\n"
    "--reconcile then compares every record this office holds with what\n"
    "the registry holds for it (cheaply: digests of 256 buckets first,\n"
    "records only where a bucket differs) and repairs what drifted (a\n"
    "registry restored from an older backup, a row changed by hand): what\n"
    "the registry lacks is sent again, what this office lacks is sent to\n"
    "it again, and a value that differs becomes a conflict to review in\n"
    "'sws sync status' (the registry's value stands until someone\n"
    "decides). Every repair is listed. A sync also compares when the\n"
    "registry's nightly check ('sws central reconcile') asked for it.\n"
    "\n"
    "--move-here REGNO (or --move-here-id with a member's national ID):\n"
    "a family registered at another office has moved into this office's\n"
    "area. The registry gives this office the household and everything\n"
    "done for it (cases, plans, assessments, applications, referrals,\n"
    "grievances), which arrive with this sync and are this office's to\n"
    "change from then on; the other office keeps a read-only copy that\n"
    "says where the family went. Needs the registry online.\n"
    "\n"
    "--snapshot, on a new device of an existing office ('sws init --device'),\n"
    "first takes everything the registry holds for the office, page by\n"
    "page, each page checked against the registry's signature (KEY, which\n"
    "'sws central key' prints; kept for the next tries) and applied with\n"
    "its position: a cut resumes where it stopped. Progress is shown. Then\n"
    "the ordinary sync goes on from the snapshot's end, and a comparison\n"
    "with the registry checks that nothing fell between.\n"
    "Exit status 1 when the registry could not be reached or refused; what\n"
    "was done is kept.\n";

struct progress {
  int bTty;
};

/* A snapshot's progress: records, pages, bytes and the time left, on a
 * terminal as one line redrawn, otherwise a line every 10 seconds (a log
 * of a long snapshot over a slow link shows it moving). */
static void snapshot_progress(const struct sync_report *rep, int64_t done,
                              int64_t total)
{
  static int64_t t0, tLast;
  int64_t now = sws_mono_ms();
  int bTty = isatty(STDERR_FILENO);
  if (t0 == 0)
    t0 = now;
  if (!bTty && tLast != 0 && now - tLast < 10000)
    return;
  tLast = now;
  char zLeft[48] = "";
  if (total > done && done > 0 && rep->snap.nItems > 0) {
    /* from this session's pace (a resumed one began further on) */
    int64_t s = (now - t0) * (total - done) / rep->snap.nItems / 1000;
    snprintf(zLeft, sizeof zLeft, ", about %lld min %02lld s left",
             (long long)(s / 60), (long long)(s % 60));
  }
  fprintf(stderr,
          "%ssnapshot: %lld of %lld records (%d%%), %lld pages, %.1f MB "
          "received in %lld s%s%s",
          bTty ? "\r" : "", (long long)(done < total ? done : total),
          (long long)total,
          total > 0 ? (int)(100 * (done < total ? done : total) / total) : 100,
          (long long)rep->snap.nPages, (double)rep->bytesDown / 1e6,
          (long long)((now - t0) / 1000), zLeft, bTty ? "   " : "\n");
  fflush(stderr);
}

static void on_progress(void *arg, const char *zPhase, int64_t done,
                        int64_t total)
{
  if (strcmp(zPhase, "snapshot") == 0) {
    snapshot_progress(arg, done, total);
    return;
  }
  cli_progress(strcmp(zPhase, "push") == 0      ? "sending changes"
               : strcmp(zPhase, "compare") == 0 ? "comparing with the "
                                                  "registry"
                                                : "reading the central feed",
               done, total);
}

/* What a comparison found and repaired, one line each. */
static void print_reconcile(struct cli *cli, const struct sync_report *rep)
{
  static const struct {
    const char *zWhat, *zText;
  } WHAT[] = {{"resent", "sent again"},
              {"sent", "sent again"},
              {"fed", "received again"},
              {"conflict", "conflict"},
              {"skipped", "not sent again (refused before)"},
              {"refused", "not compared"}};
  const struct sync_reconcile_report *r = &rep->rec;
  size_t i;
  json_t *v;
  if (!r->bDone)
    return;
  printf("compared %lld records with the registry's %lld for this office: "
         "%d of 256 buckets differed",
         (long long)r->nRecords, (long long)r->nRegistry, r->nBuckets);
  if (json_array_size(r->repairs) == 0) {
    printf("; both hold the same records\n");
    return;
  }
  printf("; %lld record%s sent again, %lld received again, %lld conflict%s "
         "to review",
         (long long)r->nSent, r->nSent == 1 ? "" : "s", (long long)r->nFed,
         (long long)r->nConflicts, r->nConflicts == 1 ? "" : "s");
  if (r->nResent)
    printf("; %lld change%s the registry had forgotten sent again",
           (long long)r->nResent, r->nResent == 1 ? "" : "s");
  printf("%s\n",
         r->nSkipped || r->nRefused ? " (some not repaired: listed)" : "");
  json_array_foreach(r->repairs, i, v)
  {
    const char *zWhat = json_string_value(json_object_get(v, "what"));
    const char *zText = zWhat;
    char zLabel[300];
    for (size_t k = 0; k < sizeof WHAT / sizeof WHAT[0]; k++)
      if (zWhat && strcmp(zWhat, WHAT[k].zWhat) == 0)
        zText = WHAT[k].zText;
    const char *zId = json_string_value(json_object_get(v, "i"));
    const char *zDetail = json_string_value(json_object_get(v, "detail"));
    if (zId == NULL || zId[0] == '\0') {
      printf("  %s: %s\n", zText, zDetail);
      continue;
    }
    cases_record_label(cli->ctx, json_string_value(json_object_get(v, "e")),
                       zId, zLabel, sizeof zLabel);
    printf("  %s: %s: %s\n", zText, zLabel, zDetail);
  }
}

static int cmd_sync(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"central", required_argument, 0, 'c'},
      {"ca-file", required_argument, 0, 'a'},
      {"pin", required_argument, 0, 'p'},
      {"push-only", no_argument, 0, 'P'},
      {"pull-only", no_argument, 0, 'L'},
      {"reconcile", no_argument, 0, 'R'},
      {"move-here", required_argument, 0, 'M'},
      {"move-here-id", required_argument, 0, 'I'},
      {"snapshot", no_argument, 0, 'S'},
      {"registry-key", required_argument, 0, 'K'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct sync_config cfg;
  struct sync_opts so;
  struct sync_report rep;
  struct sync_transport t;
  struct https_transport *h = NULL;
  const char *zUrl = NULL, *zCa = NULL, *zPin = NULL;
  int o, rc;
  memset(&so, 0, sizeof so);
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'c': zUrl = optarg; break;
    case 'a': zCa = optarg; break;
    case 'p': zPin = optarg; break;
    case 'P': so.bPushOnly = 1; break;
    case 'L': so.bPullOnly = 1; break;
    case 'R': so.bReconcile = 1; break;
    case 'M':
      so.zMoveRegno = optarg;
      break;
    case 'I':
      so.zMoveNationalId = optarg;
      break;
    case 'S':
      so.bSnapshot = 1;
      break;
    case 'K':
      so.zRegistryKey = optarg;
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if (so.bPushOnly && so.bPullOnly)
    return cli_usage(cli, "--push-only and --pull-only exclude each other");
  if (so.zMoveRegno && so.zMoveNationalId)
    return cli_usage(cli, "name the family once: --move-here REGNO or "
                          "--move-here-id NATIONAL_ID");
  if ((so.zMoveRegno || so.zMoveNationalId) && (so.bPushOnly || so.bPullOnly))
    return cli_usage(cli, "a move needs both ways (its records come with "
                          "the pull): leave out --push-only and --pull-only");
  if (so.bReconcile && (so.bPushOnly || so.bPullOnly))
    return cli_usage(cli, "--reconcile needs both ways: leave out "
                     "--push-only and --pull-only");
  if ((so.bSnapshot || so.zRegistryKey) && (so.bPushOnly || so.bPullOnly))
    return cli_usage(cli, "--snapshot needs both ways: leave out "
                          "--push-only and --pull-only");
  if (so.zRegistryKey)
    so.bSnapshot = 1;
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (sync_config_get(cli->ctx, &cfg, &err) != 0)
    return cli_fail(&err);
  if (zUrl == NULL)
    zUrl = cfg.zUrl;
  if (zCa == NULL)
    zCa = cfg.zCaFile;
  if (zPin == NULL)
    zPin = cfg.zPin;
  if (zUrl == NULL || zUrl[0] == '\0')
    return cli_usage(cli, "where is the central registry? give --central "
                     "https://HOST:PORT or store it with 'sws sync config'");
  if (sync_https_open(&h, cli->ctx, zUrl, zCa, zPin, &err) != 0)
    return cli_fail(&err);
  sync_https_transport(h, &t);
  so.progress = on_progress;
  so.arg = &rep;
  /* the fault tests' knobs: small batches and pages (many of them), and
   * one try per request (a cut ends the session) */
  const char *zTest = getenv("SWS_SYNC_TEST_BATCH_BYTES");
  if (zTest)
    so.nBatchBytes = (size_t)strtoull(zTest, NULL, 10);
  if ((zTest = getenv("SWS_SYNC_TEST_PAGE_BYTES")) != NULL)
    so.nPageBytes = (size_t)strtoull(zTest, NULL, 10);
  if ((zTest = getenv("SWS_SYNC_TEST_ATTEMPTS")) != NULL)
    so.nAttempts = (int)strtol(zTest, NULL, 10);
  rc = sync_run(cli->ctx, &t, &so, &rep, &err);
  cli_progress_end();
  sync_https_close(h);
  if (rep.skew < -120 || rep.skew > 120) {
    char z[64];
    sync_auth_skew_text(z, sizeof z, rep.skew);
    fprintf(stderr, "sws: this computer's clock is %s the central "
            "registry's; sync goes on, but fix the clock (dates of new "
            "records use it)\n",
            z);
  }
  if (rep.snap.bDone && !rep.snap.bBefore)
    printf("snapshot of office taken: %lld records, %lld pages, %.1f s "
           "(signed by the registry, checked)\n",
           (long long)rep.snap.nRecords, (long long)rep.snap.nPages,
           (double)rep.snap.ms / 1000.0);
  else if (rep.snap.bBefore && so.bSnapshot)
    printf("the snapshot was taken before (%lld records); this was an "
           "ordinary sync\n",
           (long long)rep.snap.nRecords);
  printf("sent %lld change%s in %lld batch%s", (long long)rep.c.acked,
         rep.c.acked == 1 ? "" : "s", (long long)rep.batches,
         rep.batches == 1 ? "" : "es");
  if (rep.c.rejected || rep.c.conflicts || rep.c.merged)
    printf(" (%lld rejected, %lld conflicts, %lld redirected to a merged "
           "household)",
           (long long)rep.c.rejected, (long long)rep.c.conflicts,
           (long long)rep.c.merged);
  printf("; received %lld item%s", (long long)rep.c.items,
         rep.c.items == 1 ? "" : "s");
  if (rep.c.problems)
    printf(" (%lld kept for later: see 'sws sync status')",
           (long long)rep.c.problems);
  if (rep.summaries)
    printf("; %d monthly indicator summar%s sent", rep.summaries,
           rep.summaries == 1 ? "y" : "ies");
  printf("; %lld change%s still to send\n", (long long)rep.pending,
         rep.pending == 1 ? "" : "s");
  if (rep.zMovedRegno[0])
    printf("%s moved here from office %s with %d record%s\n", rep.zMovedRegno,
           rep.zMovedFrom, rep.nMovedRecords,
           rep.nMovedRecords == 1 ? "" : "s");
  if (rep.nMergeAsked)
    printf("%d merge%s decided here answered by the registry, %d refused "
           "(see 'sws duplicate list')\n",
           rep.nMergeAsked, rep.nMergeAsked == 1 ? "" : "s", rep.nMergeRefused);
  print_reconcile(cli, &rep);
  if (rep.zAuditRefused[0])
    fprintf(stderr,
            "sws: the central registry refused this office's audit "
            "log: %s; keep this database as evidence and tell your "
            "supervisor\n",
            rep.zAuditRefused);
  sync_report_release(&rep);
  if (rc != 0)
    return cli_fail(&err);
  return EXIT_OK;
}

static const char zStatusUsage[] =
    "usage: sws sync status [--json]\n"
    "\n"
    "Where sync stands: the central registry, the last push and pull, the\n"
    "changes still to send (and the batch waiting for an answer, with its\n"
    "last error), the office clock's skew, and what needs a person:\n"
    "rejected changes (the quarantine), conflicts, and received items that\n"
    "could not be applied yet.\n";

static int add_central_dup(const struct sync_central_dup *d, void *arg)
{
  json_array_append_new(
      arg, json_pack("{s:s, s:s, s:s, s:f, s:s, s:s}", "regno", d->zRegno,
                     "other_regno", d->zOtherRegno, "other_office",
                     d->zOtherOffice, "score", d->score, "reasons",
                     d->zReasons, "at", d->zAt));
  return 0;
}

static int cmd_sync_status(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sync_config cfg;
  char zPush[40], zPull[40], zSkew[24];
  int64_t pending, diverged = 0;
  int rc, bJson;
  if ((rc = cli_json_args(cli, argc, argv, 0, NULL, &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (sync_config_get(cli->ctx, &cfg, &err) != 0 ||
      sync_state_get(cli->ctx, "last_push_at", zPush, sizeof zPush, &err) ||
      sync_state_get(cli->ctx, "last_pull_at", zPull, sizeof zPull, &err) ||
      sync_state_get(cli->ctx, "clock_skew_s", zSkew, sizeof zSkew, &err) ||
      sync_state_get_int(cli->ctx, "diverged", &diverged, &err) ||
      sync_pending(cli->ctx, &pending, &err) != 0)
    return cli_fail(&err);
  json_t *jRej = json_array(), *jCon = json_array(), *jProb = json_array();
  json_t *jDup = json_array();
  if (sync_central_dups(cli->ctx, add_central_dup, jDup, &err) != 0) {
    json_decref(jRej);
    json_decref(jCon);
    json_decref(jProb);
    json_decref(jDup);
    return cli_fail(&err);
  }
  const char *zBatchErr = "";
  char zBatchErrBuf[300] = "";
  int64_t attempts = 0;
  if (sync_batch_waiting(cli->ctx, &attempts, zBatchErrBuf,
                         sizeof zBatchErrBuf, &err) == 0)
    zBatchErr = zBatchErrBuf;
  if (sync_review_lists(cli->ctx, jRej, jCon, jProb, &err) != 0) {
    json_decref(jRej);
    json_decref(jCon);
    json_decref(jProb);
    json_decref(jDup);
    return cli_fail(&err);
  }
  if (bJson)
    return cli_json_print(json_pack(
        "{s:s, s:s?, s:s?, s:I, s:o, s:I, s:s, s:s?, s:o, s:o, s:o, s:o}",
        "central", cfg.zUrl, "last_push", zPush[0] ? zPush : NULL,
        "last_pull", zPull[0] ? zPull : NULL, "pending", (json_int_t)pending,
        "diverged_seq", diverged ? json_integer(diverged) : json_null(),
        "batch_attempts", (json_int_t)attempts, "batch_error", zBatchErr,
        "clock_skew_s", zSkew[0] ? zSkew : NULL, "rejected", jRej,
        "conflicts", jCon, "problems", jProb, "duplicates_elsewhere",
        jDup));
  printf("central:    %s\n", cfg.zUrl[0] ? cfg.zUrl : "(not set)");
  char zWhen[CLI_WHEN_MAX];
  printf("last push:  %s\n", zPush[0] ? cli_when(zWhen, zPush) : "never");
  printf("last pull:  %s\n", zPull[0] ? cli_when(zWhen, zPull) : "never");
  printf("to send:    %lld change%s\n", (long long)pending,
         pending == 1 ? "" : "s");
  if (diverged > 0)
    printf("stopped:    this database went back in time (the registry "
           "holds other changes from seq %lld on); make this computer a "
           "new device: 'sws office new-device CODE'\n",
           (long long)diverged);
  if (attempts > 0)
    printf("waiting:    a batch tried %lld time%s: %s\n",
           (long long)attempts, attempts == 1 ? "" : "s", zBatchErr);
  int64_t skew = zSkew[0] ? strtoll(zSkew, NULL, 10) : 0;
  if (skew > 120 || skew < -120) {
    char z[64];
    sync_auth_skew_text(z, sizeof z, skew);
    printf("clock:      %s the central registry (fix it)\n", z);
  }
  size_t i;
  json_t *x;
  printf("rejected:   %zu (quarantined; later changes went on)\n",
         json_array_size(jRej));
  json_array_foreach(jRej, i, x)
      printf("  #%lld %s: %s\n",
             (long long)json_integer_value(json_object_get(x, "seq")),
             json_string_value(json_object_get(x, "record")),
             json_string_value(json_object_get(x, "detail")));
  printf("conflicts:  %zu (the central registry's value stands; review)\n",
         json_array_size(jCon));
  json_array_foreach(jCon, i, x)
  {
    const char *zField = json_string_value(json_object_get(x, "field"));
    if (zField)
      printf("  [%lld] %s, %s: here %s, central %s (%s)\n",
             (long long)json_integer_value(json_object_get(x, "conflict")),
             json_string_value(json_object_get(x, "record")), zField,
             json_string_value(json_object_get(x, "local_value")),
             json_string_value(json_object_get(x, "server_value")),
             json_string_value(json_object_get(x, "reason")));
    else
      printf("  #%lld %s: %s (waiting for the registry's values)\n",
             (long long)json_integer_value(json_object_get(x, "seq")),
             json_string_value(json_object_get(x, "record")),
             json_string_value(json_object_get(x, "detail")));
  }
  if (json_array_size(jCon) > 0)
    printf("  (decide [N] with 'sws sync resolve N --keep-registry' or "
           "'--use-office')\n");
  printf("kept back:  %zu received item%s not applied yet\n",
         json_array_size(jProb), json_array_size(jProb) == 1 ? "" : "s");
  json_array_foreach(jProb, i, x)
    printf("  %s: %s\n", json_string_value(json_object_get(x, "kind")),
           json_string_value(json_object_get(x, "reason")));
  printf("elsewhere:  %zu possible duplicate%s at other offices (the "
         "registry decides)\n",
         json_array_size(jDup), json_array_size(jDup) == 1 ? "" : "s");
  json_array_foreach(jDup, i, x)
    printf("  %s ~ %s (%s)  score %.2f  %s\n",
           json_string_value(json_object_get(x, "regno")),
           json_string_value(json_object_get(x, "other_regno")),
           json_string_value(json_object_get(x, "other_office")),
           json_number_value(json_object_get(x, "score")),
           json_string_value(json_object_get(x, "reasons")));
  json_decref(jDup);
  json_decref(jRej);
  json_decref(jCon);
  json_decref(jProb);
  return EXIT_OK;
}

static const char zResolveUsage[] =
    "usage: sws sync resolve ID (--keep-registry | --use-office)\n"
    "           [--note TEXT]\n"
    "\n"
    "Decide conflict ID ([ID] in 'sws sync status') and close it.\n"
    "--use-office: this office's value stands. If the central registry kept\n"
    "its own value, this office's is set again as a change made here\n"
    "(checked, audited, sent at the next sync); if the conflict was found\n"
    "while receiving, this office's unsent change is sent as it is.\n"
    "--keep-registry: the registry's value stands. If the registry kept it,\n"
    "it is here already; if the conflict was found while receiving, the\n"
    "registry's value is set as a change made here, sent after this\n"
    "office's. The note is kept with the decision.\n";

static int cmd_sync_resolve(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"keep-registry", no_argument, 0, 'k'},
      {"use-office", no_argument, 0, 'u'},
      {"note", required_argument, 0, 'n'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zNote = NULL;
  int64_t id;
  int o, rc, bKeep = 0, bUse = 0;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'k': bKeep = 1; break;
    case 'u': bUse = 1; break;
    case 'n': zNote = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give the conflict's ID (in brackets in 'sws sync "
                     "status')");
  if (bKeep == bUse)
    return cli_usage(cli, "say which value stands: --keep-registry or "
                     "--use-office (one of them)");
  const char *zId = argv[optind][0] == '[' || argv[optind][0] == '#'
                        ? argv[optind] + 1
                        : argv[optind];
  char zNum[24];
  sws_strlcpy(zNum, zId, sizeof zNum);
  zNum[strcspn(zNum, "]")] = '\0';
  if (sws_parse_int64("the conflict ID", zNum, 1, INT64_MAX, &id, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (sync_conflict_resolve(cli->ctx, id, bUse, zNote, &err) != 0)
    return cli_fail(&err);
  printf("conflict %lld resolved: %s\n", (long long)id,
         bUse ? "this office's value stands" : "the registry's value stands");
  return EXIT_OK;
}

const struct cmd cmds_sync[] = {
    {"sync", cmd_sync, "sync with the central registry", zSyncUsage, 0,
     CAP_JOBS},
    {"sync config", cmd_sync_config, "store the central registry's address",
     zConfigUsage, 0, CAP_ADMIN},
    {"sync status", cmd_sync_status, "where sync stands, what needs review",
     zStatusUsage, 0, CAP_JOBS},
    {"sync resolve", cmd_sync_resolve, "decide a sync conflict", zResolveUsage,
     0, CAP_SYNC},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
