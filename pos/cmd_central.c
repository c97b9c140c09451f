/*
 * cmd_central.c - the central registry's commands: sws central init,
 * serve, stats, office add|revoke, duplicates, conflicts, conflict
 * resolve, merge, unmerge (the grievance queues: cmd_central_grievance.c).
 * Each takes the registry's own --db (not an office database).
 */
#include <stdlib.h>
#include <string.h>

#include "core/httpd.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"
#include "pos/cmd_central.h"
#include "sync/central.h"
#include "sync/central_audit.h"
#include "sync/central_grievance.h"
#include "sync/central_pair.h"
#include "sync/central_report.h"
#include "sync/central_snapshot.h"
#include "sync/server.h"

/* --pg URL: the registry on PostgreSQL, in place of --db FILE. -1 to go
 * on, else the exit status of a usage error. */
static int pg_opt(struct cli *cli, const char *z, const char **pzDb)
{
  if (!store_is_pg_url(z))
    return cli_usage(cli, "--pg takes the registry's PostgreSQL database as "
                     "a URL: postgresql://USER@HOST/DBNAME");
  *pzDb = z;
  return -1;
}

/* Open the registry of --db FILE or --pg URL. */
static int open_central(struct cli *cli, const char *zDb, int bCreate,
                        const char *zName, struct central **out)
{
  struct sws_err err = SWS_ERR_INIT;
  if (zDb == NULL)
    return cli_usage(cli, "give the central registry's database: --db FILE "
                     "(SQLite) or --pg URL (PostgreSQL)");
  if (central_open(out, zDb, bCreate, zName, &err) != 0)
    return cli_fail(&err);
  sws_strlcpy((*out)->zActor, cli->zActor, sizeof (*out)->zActor);
  return EXIT_OK;
}

/* The options of a command that takes only the registry (--db FILE or
 * --pg URL) into *pzDb, and --json into *pbJson when pbJson is not NULL;
 * -1 to go on, else the exit status. */
static int store_opts(struct cli *cli, int argc, char **argv, const char **pzDb,
                      int *pbJson)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  static const struct option optsNoJson[] = {{"db", required_argument, 0, 'd'},
                                             {"pg", required_argument, 0, 'P'},
                                             {0, 0, 0, 0}};
  int o;
  while ((o = cli_getopt(cli, argc, argv, "", pbJson ? opts : optsNoJson)) !=
         -1) {
    if (o == 'd')
      *pzDb = optarg;
    else if (o == 'j')
      *pbJson = 1;
    else if (o != 'P')
      return EXIT_USAGE;
    else if ((o = pg_opt(cli, optarg, pzDb)) >= 0)
      return o;
  }
  return -1;
}

static const char zInitUsage[] =
    "usage: sws central init (--db FILE | --pg URL) [--name NAME]\n"
    "\n"
    "Create a central registry: in an SQLite file (--db; a district pilot)\n"
    "or in an empty PostgreSQL database (--pg postgresql://USER@HOST/DB; a\n"
    "province or a nation, served by several workers). Then enrol offices\n"
    "with 'sws central office add' and serve it with 'sws central serve'.\n"
    "Every 'sws central' command takes --pg URL in place of --db FILE.\n";

static int cmd_central_init(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
                                       {"name", required_argument, 0, 'n'},
                                       {0, 0, 0, 0}};
  const char *zDb = NULL, *zName = "Central registry";
  struct central *c;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd': zDb = optarg; break;
    case 'P':
      if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
        return o;
      break;
    case 'n': zName = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = open_central(cli, zDb, 1, zName, &c)) != 0)
    return rc;
  /* the sample areas, for reports until the nation's are loaded */
  struct sws_err err = SWS_ERR_INIT;
  if (central_area_load_default(c, &err) != 0) {
    central_close(c);
    return cli_fail(&err);
  }
  /* a URL may carry a password: not echoed */
  printf("central registry \"%s\" created in %s\n", c->zName,
         store_is_pg_url(zDb) ? "the PostgreSQL database" : zDb);
  central_close(c);
  return EXIT_OK;
}

static const char zAreaLoadUsage[] =
    "usage: sws central area load (--db FILE | --pg URL) FILE.csv\n"
    "\n"
    "Load or update the registry's administrative areas, which 'sws\n"
    "central report' compiles by, from a CSV file in the format of 'sws\n"
    "area load' (code,level,name,name_latin,parent_code). All or nothing:\n"
    "every wrong line is listed and nothing is loaded. 'sws central init'\n"
    "loads the built-in sample.\n";

static int cmd_central_area_load(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  const char *zDb = NULL;
  struct central *c;
  char *zCsv = NULL;
  size_t n;
  int rc = store_opts(cli, argc, argv, &zDb, NULL);
  if (rc >= 0)
    return rc;
  if (optind + 1 != argc)
    return cli_usage(cli, "give one CSV file");
  if (cli_read_file(argv[optind], 64 << 20, &zCsv, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0) {
    free(zCsv);
    return rc;
  }
  rc = central_area_load(c, zCsv, n, &rep, &err);
  free(zCsv);
  central_close(c);
  if (rc != 0) {
    fputs(buf_str(&rep.errors), stderr);
    buf_release(&rep.errors);
    return cli_fail(&err);
  }
  printf("%d area%s added, %d updated\n", rep.nAdded,
         rep.nAdded == 1 ? "" : "s", rep.nUpdated);
  buf_release(&rep.errors);
  return EXIT_OK;
}

static const char zServeUsage[] =
    "usage: sws central serve (--db FILE | --pg URL) --listen ADDR:PORT\n"
    "           --tls-cert PEM --tls-key PEM\n"
    "\n"
    "Serve the central registry over HTTPS until stopped (SIGTERM, Ctrl-C):\n"
    "offices push and pull with 'sws sync'. ADDR is 127.0.0.1 unless given\n"
    "(an address such as 0.0.0.0:8443 listens beyond this computer). The\n"
    "certificate and key are PEM files; the offices trust the CA that\n"
    "signed it (--ca-file) and may pin its key. One line per push, feed\n"
    "page and refused request goes to standard output.\n"
    "\n"
    "On PostgreSQL several 'serve' processes (workers) may run against one\n"
    "database at once: on several ports behind a TCP load balancer, or on\n"
    "one port each started with --reuse-port (the kernel shares the\n"
    "connections out among them).\n";

static void ready(void *arg, struct httpd *h)
{
  (void)arg;
  printf("central registry listening on %s\n", httpd_url(h));
  fflush(stdout);
}

/* The request log: one line per push, feed page or refusal, on stdout
 * (a service manager's journal keeps it). */
static void log_line(void *arg, const char *zLine)
{
  (void)arg;
  printf("%s\n", zLine);
  fflush(stdout);
}

/* The duplicate job, about once a second, on a connection of its own (the
 * request thread has the other): a few thousand people per tick, so that
 * a stop is never kept waiting long. */
struct dedup_tick {
  struct central *c;
  int bWarned;
};

static void dedup_tick(void *arg)
{
  struct dedup_tick *t = arg;
  struct sws_err err = SWS_ERR_INIT;
  struct central_dedup_report rep;
  if (central_dedup(t->c, 2000, &rep, &err) != 0) {
    if (!t->bWarned++)
      printf("duplicate job: %s (tried again every second)\n", err.msg);
  } else {
    t->bWarned = 0;
  }
  fflush(stdout);
}

static int cmd_central_serve(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
      {"listen", required_argument, 0, 'l'},
      {"tls-cert", required_argument, 0, 'c'},
      {"tls-key", required_argument, 0, 'k'},
      {"reuse-port", no_argument, 0, 'R'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct httpd_config cfg;
  const char *zDb = NULL;
  struct central *c;
  int o, rc;
  memset(&cfg, 0, sizeof cfg);
  cfg.zListen = "127.0.0.1:8443";
  cfg.nMaxBody = (size_t)2 << 20;
  cfg.nMaxInflated = (size_t)9 << 20;
  /* a province's offices at once, several behind one address (NAT);
   * idle and slow clients are cut at the header deadline */
  cfg.maxConnections = HTTPD_REGISTRY_CONNECTIONS;
  cfg.maxPerIp = HTTPD_REGISTRY_PER_IP;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd': zDb = optarg; break;
    case 'P':
      if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
        return o;
      break;
    case 'l': cfg.zListen = optarg; break;
    case 'c': cfg.zCertFile = optarg; break;
    case 'k': cfg.zKeyFile = optarg; break;
    case 'R': cfg.bReusePort = 1; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if (cfg.zCertFile == NULL || cfg.zKeyFile == NULL)
    return cli_usage(cli, "the central registry serves HTTPS only: give "
                     "--tls-cert and --tls-key");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  struct dedup_tick tick = {NULL, 0};
  if ((rc = open_central(cli, zDb, 0, NULL, &tick.c)) != 0) {
    central_close(c);
    return rc;
  }
  c->log = log_line;
  tick.c->log = log_line;
  cfg.idle = dedup_tick;
  cfg.idleArg = &tick;
  rc = httpd_run_until_signal(&cfg, central_http_handler, c, ready, &err);
  central_close(tick.c);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("central registry stopped\n");
  return EXIT_OK;
}

static const char zStatsUsage[] =
    "usage: sws central stats --db FILE [--json]\n"
    "\n"
    "Enrolled offices (with when each last pushed and pulled, and whether\n"
    "its audit chain diverged), households, members, open possible\n"
    "duplicates and open conflicts. --json gives each office's last audit\n"
    "chain head too (audit_head: see 'sws central office audit-head').\n";

struct stats_arg {
  json_t *arr;
  struct central *c;
};

/* The audit chain head the registry keeps for device o (NULL: none), as
 * JSON. */
static json_t *audit_head_json(const struct central_audit_head *h)
{
  return json_pack("{s:s, s:I, s:s, s:I, s:s, s:s, s:s?, s:s?}", "device",
                   h->zDevice, "id", (json_int_t)h->id, "hash", h->zHash, "n",
                   (json_int_t)h->n, "sig", h->zSig, "received_at",
                   h->zReceivedAt, "diverged_at",
                   h->zDivergedAt[0] ? h->zDivergedAt : NULL, "diverged_why",
                   h->zDivergedWhy[0] ? h->zDivergedWhy : NULL);
}

static int print_office(const struct central_office *o, void *arg)
{
  struct stats_arg *a = arg;
  struct central_audit_head h;
  struct sws_err err = SWS_ERR_INIT;
  int bHead = central_audit_head_get(a->c, o->zCode, &h, &err) == 0;
  if (a->arr) {
    json_array_append_new(
        a->arr,
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:s?, s:s?, s:o, s:s?, s:o}",
                  "code", o->zCode, "office", o->zOffice, "name", o->zName,
                  "status", o->active ? "active" : "revoked", "acknowledged",
                  (json_int_t)o->ack, "last_push",
                  o->zLastPushAt[0] ? o->zLastPushAt : NULL, "last_pull",
                  o->zLastPullAt[0] ? o->zLastPullAt : NULL, "diverged_seq",
                  o->divergedSeq ? json_integer(o->divergedSeq) : json_null(),
                  "diverged_at", o->zDivergedAt[0] ? o->zDivergedAt : NULL,
                  "audit_head", bHead ? audit_head_json(&h) : json_null()));
    return 0;
  }
  printf("  %-10s %-8s push %s  pull %s  (%lld mutations)  %s", o->zCode,
         o->active ? "active" : "revoked",
         o->zLastPushAt[0] ? o->zLastPushAt : "never",
         o->zLastPullAt[0] ? o->zLastPullAt : "never", (long long)o->ack,
         o->zName);
  if (strcmp(o->zOffice, o->zCode) != 0)
    printf("  (a device of %s)", o->zOffice);
  printf("\n");
  if (o->divergedSeq)
    printf("             went back in time at seq %lld (%s): replace it with "
           "a new device\n", (long long)o->divergedSeq, o->zDivergedAt);
  if (bHead && h.zDivergedAt[0])
    printf("             audit chain diverged (%s): %s\n", h.zDivergedAt,
           h.zDivergedWhy);
  return 0;
}

static int cmd_central_stats(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central_stats st;
  struct stats_arg a = {NULL, NULL};
  const char *zDb = NULL;
  struct central *c;
  int rc, bJson = 0;
  if ((rc = store_opts(cli, argc, argv, &zDb, &bJson)) >= 0)
    return rc;
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  a.c = c;
  struct central_dedup_report dr;
  if (central_dedup(c, 0, &dr, &err) != 0 ||
      c->s->ops->stats(c->s, &st, &err) != 0) {
    central_close(c);
    return cli_fail(&err);
  }
  if (bJson)
    a.arr = json_array();
  else
    printf("%s\noffices: %lld active\n", c->zName, (long long)st.nOffices);
  rc = c->s->ops->office_list(c->s, print_office, &a, &err);
  if (rc == 0 && bJson) {
    rc = cli_json_print(json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "name", c->zName, "offices",
        (json_int_t)st.nOffices, "households", (json_int_t)st.nHouseholds,
        "members", (json_int_t)st.nMembers, "duplicates_open",
        (json_int_t)st.nDuplicatesOpen, "conflicts_open",
        (json_int_t)st.nConflictsOpen, "per_office", a.arr));
  } else if (rc == 0) {
    printf("households: %lld (%lld members)\n", (long long)st.nHouseholds,
           (long long)st.nMembers);
    printf("possible duplicates to review: %lld\n",
           (long long)st.nDuplicatesOpen);
    printf("conflicts to review: %lld\n", (long long)st.nConflictsOpen);
  } else {
    json_decref(a.arr);
    rc = cli_fail(&err);
  }
  central_close(c);
  return rc;
}

static const char zOfficeAddUsage[] =
    "usage: sws central office add CODE --name NAME --pubkey KEY\n"
    "           [--area AREA] --db FILE\n"
    "       sws central office add CODE --device-of OFFICE --pubkey KEY\n"
    "           [--first-seq N] --db FILE\n"
    "\n"
    "Enrol an office with its public key, as 'sws office key' prints it at\n"
    "the office. Every office learns the key from its feed (to verify\n"
    "receipts). A key is enrolled once only.\n"
    "\n"
    "--device-of enrols another computer of an enrolled office (an outreach\n"
    "laptop, or a computer whose database went back in time and was made a\n"
    "new device with 'sws office new-device'): it may change that office's\n"
    "records. --first-seq is where its first push starts, as 'sws office\n"
    "new-device' prints it (default 1).\n"
    "\n"
    "--area is the district or commune the office serves (see 'sws central\n"
    "office area'): grievances it escalates wait in that district's queue.\n";

static int cmd_central_office_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
      {"name", required_argument, 0, 'n'},
      {"pubkey", required_argument, 0, 'k'},
      {"device-of", required_argument, 0, 'o'},
      {"first-seq", required_argument, 0, 'f'},
      {"area", required_argument, 0, 'a'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zName = NULL, *zKey = NULL, *zOf = NULL,
             *zArea = NULL;
  int64_t first = 1;
  struct central *c;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd': zDb = optarg; break;
    case 'P':
      if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
        return o;
      break;
    case 'n': zName = optarg; break;
    case 'k': zKey = optarg; break;
    case 'o': zOf = optarg; break;
    case 'a': zArea = optarg; break;
    case 'f':
      if (sws_parse_int64("--first-seq", optarg, 1, INT64_MAX / 2, &first,
                          &err) != 0)
        return cli_usage(cli, "%s", err.msg);
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give the office CODE");
  if ((zName == NULL && zOf == NULL) || zKey == NULL)
    return cli_usage(cli, "give --name (or --device-of) and --pubkey");
  if (first != 1 && zOf == NULL)
    return cli_usage(cli, "--first-seq is for a device of an office: give "
                     "--device-of too");
  if (zArea && zOf)
    return cli_usage(cli, "a device serves its office's area: give --area "
                          "without --device-of, or set it with 'sws central "
                          "office area'");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  /* the area checked first: a wrong one enrols nothing */
  if ((rc = zArea ? central_office_area_check(c, zArea, &err) : 0) == 0)
    rc = central_office_add(c, argv[optind], zName, zKey, zOf, first, &err);
  if (rc == 0 && zArea)
    rc = central_office_area_set(c, argv[optind], zArea, &err);
  char zReg[48];
  central_snapshot_pubkey(c, zReg);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("office %s enrolled\n", argv[optind]);
  if (zOf && first == 1)
    printf("a new device of %s takes the office's records with:\n"
           "  sws sync --snapshot --registry-key %s\n",
           zOf, zReg);
  return EXIT_OK;
}

static const char zKeyUsage[] =
    "usage: sws central key --db FILE\n"
    "\n"
    "Print the registry's snapshot key (base64url): a new device of an\n"
    "office checks with it the signature of every page of the office's\n"
    "snapshot ('sws sync --snapshot --registry-key KEY'). Give it to the\n"
    "device over a channel you trust, as the office's key came to you.\n";

static int cmd_central_key(struct cli *cli, int argc, char **argv)
{
  const char *zDb = NULL;
  struct central *c;
  char zReg[48];
  int rc;
  if ((rc = store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind != argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  central_snapshot_pubkey(c, zReg);
  central_close(c);
  printf("%s\n", zReg);
  return EXIT_OK;
}

static const char zOfficeRevokeUsage[] =
    "usage: sws central office revoke CODE --db FILE\n"
    "\n"
    "Revoke an office (a stolen laptop): its requests are refused from now\n"
    "on, and every office learns its key is revoked.\n";

static int cmd_central_office_revoke(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL;
  struct central *c;
  int rc;
  if ((rc = store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind != argc - 1)
    return cli_usage(cli, "give the office CODE");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_office_revoke(c, argv[optind], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("office %s revoked\n", argv[optind]);
  return EXIT_OK;
}

static const char zAuditHeadUsage[] =
    "usage: sws central office audit-head CODE --db FILE [--json]\n"
    "\n"
    "The last audit chain head device CODE sent and the registry kept: its\n"
    "last audit row, that row's hash, the number of rows, the device's\n"
    "signature and when it came; and whether a later head did not extend it\n"
    "(\"audit chain diverged\": rows deleted from the end of its audit log,\n"
    "or rewritten). Exits with status 1 when it diverged.\n";

static int cmd_central_office_audit_head(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central_audit_head h;
  const char *zDb = NULL;
  struct central *c;
  int rc, bJson = 0;
  if ((rc = store_opts(cli, argc, argv, &zDb, &bJson)) >= 0)
    return rc;
  if (optind != argc - 1)
    return cli_usage(cli, "give the device CODE");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  struct central_office off;
  if ((rc = c->s->ops->office_get(c->s, argv[optind], &off, &err)) == 0) {
    rc = central_audit_head_get(c, argv[optind], &h, &err);
    if (rc == SWS_ENOTFOUND)
      sws_err_set(&err, rc,
                  "%s has sent no audit chain head yet (it has "
                  "not synced since the registry keeps them, or runs an "
                  "older sws)",
                  argv[optind]);
  }
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  if (bJson) {
    rc = cli_json_print(audit_head_json(&h));
  } else {
    printf("%s: audit log row %lld (%lld rows), hash %s, received %s\n",
           h.zDevice, (long long)h.id, (long long)h.n, h.zHash, h.zReceivedAt);
    if (h.zDivergedAt[0])
      printf("audit chain diverged (%s): %s\n", h.zDivergedAt, h.zDivergedWhy);
  }
  if (rc == EXIT_OK && h.zDivergedAt[0])
    rc = EXIT_ERR;
  return rc;
}

static const char zDupUsage[] =
    "usage: sws central duplicates --db FILE [--all] [--json]\n"
    "\n"
    "Possible duplicates across offices (the same rule as the counter:\n"
    "same national ID, or a similar name, same sex, born within 2 years),\n"
    "best first: both households with their office, head and village, the\n"
    "score and the reasons. --all includes merged and dismissed ones.\n";

struct dup_arg {
  json_t *arr;
  int n;
};

static int print_dup(int64_t id, const struct central_household *a,
                     const struct central_household *b, double score,
                     const char *zReasons, const char *zStatus, void *arg)
{
  struct dup_arg *d = arg;
  d->n++;
  if (d->arr) {
    json_array_append_new(
        d->arr,
        json_pack("{s:I, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, "
                  "s:f, s:s, s:s}",
                  "id", (json_int_t)id, "a", "regno", a->zRegno, "office",
                  a->zOffice, "head", a->zHead, "area", a->zArea, "b",
                  "regno", b->zRegno, "office", b->zOffice, "head", b->zHead,
                  "area", b->zArea, "score", score, "reasons", zReasons,
                  "status", zStatus));
    return 0;
  }
  printf("%s (%s, %s)  ~  %s (%s, %s)  score %.2f  [%s]\n    %s\n",
         a->zRegno, a->zOffice, a->zHead, b->zRegno, b->zOffice, b->zHead,
         score, zStatus, zReasons);
  return 0;
}

/* The options of a central listing: --db FILE [--all] [--json]; *pArr
 * becomes a JSON array with --json. Returns -1 to go on, else the exit
 * status. */
static int listing_opts(struct cli *cli, int argc, char **argv,
                        const char **pzDb, int *pbAll, json_t **pArr)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
                                       {"all", no_argument, 0, 'a'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  int o;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd': *pzDb = optarg; break;
    case 'P':
      if ((o = pg_opt(cli, optarg, pzDb)) >= 0) {
        json_decref(*pArr);
        return o;
      }
      break;
    case 'a': *pbAll = 1; break;
    case 'j': *pArr = *pArr ? *pArr : json_array(); break;
    default: json_decref(*pArr); return EXIT_USAGE;
    }
  }
  if (optind < argc) {
    json_decref(*pArr);
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  }
  return -1;
}

/* The end of a central listing: rc from the store, the JSON array when
 * --json, else zNone when nothing was listed. */
static int listing_end(int rc, struct sws_err *err, json_t *arr, int n,
                       const char *zNone)
{
  if (rc != 0) {
    json_decref(arr);
    return cli_fail(err);
  }
  if (arr)
    return cli_json_print(arr);
  if (n == 0)
    printf("%s\n", zNone);
  return EXIT_OK;
}

static int cmd_central_duplicates(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct dup_arg d = {NULL, 0};
  const char *zDb = NULL;
  struct central *c;
  int rc, bAll = 0;
  if ((rc = listing_opts(cli, argc, argv, &zDb, &bAll, &d.arr)) >= 0)
    return rc;
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0) {
    json_decref(d.arr);
    return rc;
  }
  rc = central_duplicates(c, bAll, print_dup, &d, &err);
  central_close(c);
  return listing_end(rc, &err, d.arr, d.n, "no possible duplicates to review");
}

static const char zConflictsUsage[] =
    "usage: sws central conflicts --db FILE [--all] [--json]\n"
    "\n"
    "Field conflicts waiting for review, oldest first: an identity field\n"
    "(name, sex, birth date, national ID, relationship, household; a\n"
    "household's number and village) that an office changed after someone\n"
    "else had. The registry kept its value; each line gives the conflict's\n"
    "ID, the office, the record (with its household's number), the field,\n"
    "the office's value and the registry's (as JSON) and when. Decide with\n"
    "'sws central conflict resolve ID'. --all includes resolved ones.\n";

struct conflict_arg {
  json_t *arr;
  int n;
};

/* A value as pushed (JSON text) as a JSON value, for --json. */
static json_t *json_value_of(const char *zJson)
{
  json_t *v = zJson ? json_loads(zJson, JSON_DECODE_ANY, NULL) : NULL;
  if (v == NULL && zJson)
    v = json_string(zJson);
  return v ? v : json_null();
}

static int print_conflict(const struct central_conflict *k,
                          const char *zRegno, void *arg)
{
  struct conflict_arg *a = arg;
  a->n++;
  if (a->arr) {
    json_array_append_new(
        a->arr,
        json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s?, s:s, s:o, s:o, "
                  "s:s, s:s, s:s?, s:s?, s:s?, s:s?}",
                  "id", (json_int_t)k->id, "office", k->zOffice, "seq",
                  (json_int_t)k->seq, "entity", k->zEntity, "entity_id",
                  k->zEntityId, "record", k->zWhat, "household",
                  zRegno[0] ? zRegno : NULL, "field", k->zField, "office_value",
                  json_value_of(k->zOfficeValue), "registry_value",
                  json_value_of(k->zServerValue), "at", k->zAt, "status",
                  k->zStatus, "resolution",
                  k->zResolution[0] ? k->zResolution : NULL, "resolved_by",
                  k->zResolvedBy[0] ? k->zResolvedBy : NULL, "resolved_at",
                  k->zResolvedAt[0] ? k->zResolvedAt : NULL, "note", k->zNote));
    return 0;
  }
  printf("#%lld %s %s, %s  %s  [%s]\n    office %s, registry %s\n",
         (long long)k->id, k->zOffice, k->zWhat, k->zField, k->zAt, k->zStatus,
         k->zOfficeValue ? k->zOfficeValue : "null",
         k->zServerValue ? k->zServerValue : "null");
  if (k->zResolution[0])
    printf("    %s by %s at %s: %s\n", k->zResolution, k->zResolvedBy,
           k->zResolvedAt, k->zNote ? k->zNote : "");
  return 0;
}

static int cmd_central_conflicts(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct conflict_arg a = {NULL, 0};
  const char *zDb = NULL;
  struct central *c;
  int rc, bAll = 0;
  if ((rc = listing_opts(cli, argc, argv, &zDb, &bAll, &a.arr)) >= 0)
    return rc;
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0) {
    json_decref(a.arr);
    return rc;
  }
  rc = central_conflicts(c, bAll, print_conflict, &a, &err);
  central_close(c);
  return listing_end(rc, &err, a.arr, a.n, "no conflicts to review");
}

static const char zResolveUsage[] =
    "usage: sws central conflict resolve ID --db FILE\n"
    "           (--keep-registry | --use-office) --note TEXT\n"
    "\n"
    "Decide conflict ID (as 'sws central conflicts' lists it).\n"
    "--keep-registry: the registry's value stays; nothing is written.\n"
    "--use-office: the office's value is written to the record like any\n"
    "change, and every office that holds the record gets it at its next\n"
    "sync. Either way the conflict is closed with your name, the time and\n"
    "the note (required: why), and the office that raised it closes its\n"
    "own review item at its next sync.\n";

static int cmd_central_conflict_resolve(struct cli *cli, int argc,
                                        char **argv)
{
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
      {"keep-registry", no_argument, 0, 'k'},
      {"use-office", no_argument, 0, 'u'},
      {"note", required_argument, 0, 'n'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zNote = NULL;
  struct central *c;
  int64_t id;
  int o, rc, bKeep = 0, bUse = 0;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd': zDb = optarg; break;
    case 'P':
      if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
        return o;
      break;
    case 'k': bKeep = 1; break;
    case 'u': bUse = 1; break;
    case 'n': zNote = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give the conflict's ID (see 'sws central "
                     "conflicts')");
  if (bKeep == bUse)
    return cli_usage(cli, "say which value stands: --keep-registry or "
                     "--use-office (one of them)");
  if (zNote == NULL || sws_blank(zNote))
    return cli_usage(cli, "say why with --note TEXT");
  const char *zId = argv[optind][0] == '#' ? argv[optind] + 1 : argv[optind];
  if (sws_parse_int64("the conflict ID", zId, 1, INT64_MAX, &id, &err) != 0)
    return cli_fail(&err);
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_conflict_resolve(c, id, bUse, zNote, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  if (bUse)
    printf("conflict #%lld resolved: the office's value is written; the "
           "offices holding the record get it at their next sync\n",
           (long long)id);
  else
    printf("conflict #%lld resolved: the registry's value stays; the "
           "office learns it at its next sync\n",
           (long long)id);
  return EXIT_OK;
}

static const char zMergeUsage[] =
    "usage: sws central merge A B --db FILE\n"
    "\n"
    "Merge household B into household A (registration numbers): B becomes\n"
    "an alias of A. Both offices learn it at their next sync (B's office\n"
    "also gets A's household and members); later changes sent for B are\n"
    "applied to A. Undo with 'sws central unmerge B'.\n";

static int cmd_central_merge(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL;
  struct central *c;
  int rc;
  if ((rc = store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind != argc - 2)
    return cli_usage(cli, "give the survivor A and the household B merged "
                     "into it");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_merge(c, argv[optind], argv[optind + 1], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("%s merged into %s\n", argv[optind + 1], argv[optind]);
  return EXIT_OK;
}

static const char zPairShowUsage[] =
    "usage: sws central duplicates show A B (--db FILE | --pg URL) [--json]\n"
    "\n"
    "Households A and B (registration numbers) side by side, to decide\n"
    "whether they are one family: their offices, registration days and\n"
    "villages, every member (name, sex, birth date, relationship, and of a\n"
    "national ID only its last three characters), and the pair as the\n"
    "registry holds it (score, reasons, status, why it was decided). Then\n"
    "'sws central merge A B' (the same family) or 'sws central duplicates\n"
    "dismiss A B --reason TEXT' (different families).\n";

static void person_text(char *z, size_t n, const struct pair_side *s, int i)
{
  if (i >= s->n) {
    snprintf(z, n, "(none)");
    return;
  }
  const struct pair_person *p = &s->a[i];
  snprintf(z, n, "%d. %s, %s, %s, %s%s%s%s", p->line, p->zName, p->zSex,
           p->zBorn, p->zRelationship, p->zIdTail[0] ? ", ID " : "", p->zIdTail,
           p->bActive ? "" : " (left)");
}

static json_t *side_json(const struct pair_side *s)
{
  json_t *m = json_array();
  for (int i = 0; i < s->n; i++)
    json_array_append_new(
        m, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s?, s:b}", "line",
                     s->a[i].line, "name", s->a[i].zName, "sex", s->a[i].zSex,
                     "born", s->a[i].zBorn, "relationship",
                     s->a[i].zRelationship, "national_id_end",
                     s->a[i].zIdTail[0] ? s->a[i].zIdTail : NULL, "active",
                     s->a[i].bActive));
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o}", "regno", s->h.zRegno,
                   "office", s->h.zOffice, "registered", s->zCreatedAt, "area",
                   s->h.zArea, "area_name", s->zAreaName, "merged_into",
                   s->h.zMergedInto[0] ? s->h.zMergedInto : NULL, "members", m);
}

static int cmd_central_pair_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central_pair p;
  const char *zDb = NULL;
  struct central *c;
  int rc, bJson = 0;
  if ((rc = store_opts(cli, argc, argv, &zDb, &bJson)) >= 0)
    return rc;
  if (optind != argc - 2)
    return cli_usage(cli, "give the two households A and B");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_pair_get(c, argv[optind], argv[optind + 1], &p, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  if (bJson) {
    rc = cli_json_print(json_pack(
        "{s:o, s:o, s:s?, s:o, s:s?, s:s?}", "a", side_json(&p.s[0]), "b",
        side_json(&p.s[1]), "status", p.bFound ? p.zStatus : NULL, "score",
        p.bFound ? json_real(p.score) : json_null(), "reasons",
        p.bFound ? p.zReasons : NULL, "note", p.zNote[0] ? p.zNote : NULL));
    central_pair_release(&p);
    return rc;
  }
  if (p.bFound)
    printf("pair: %s, score %.2f (%s)%s%s\n", p.zStatus, p.score, p.zReasons,
           p.zNote[0] ? "; " : "", p.zNote);
  else
    printf("pair: not found by the duplicate job\n");
  const struct pair_side *a = &p.s[0], *b = &p.s[1];
  printf("%-12s %s  |  %s\n", "household", a->h.zRegno, b->h.zRegno);
  printf("%-12s %s  |  %s\n", "office", a->h.zOffice, b->h.zOffice);
  printf("%-12s %s  |  %s\n", "registered", a->zCreatedAt, b->zCreatedAt);
  printf("%-12s %s %s  |  %s %s\n", "village", a->h.zArea, a->zAreaName,
         b->h.zArea, b->zAreaName);
  for (int i = 0; i < a->n || i < b->n; i++) {
    char zA[400], zB[400];
    person_text(zA, sizeof zA, a, i);
    person_text(zB, sizeof zB, b, i);
    printf("%-12s %s  |  %s\n", i == 0 ? "members" : "", zA, zB);
  }
  central_pair_release(&p);
  return EXIT_OK;
}

static const char zDismissUsage[] =
    "usage: sws central duplicates dismiss A B --reason TEXT\n"
    "           (--db FILE | --pg URL)\n"
    "\n"
    "Decide that households A and B are different families, saying why:\n"
    "the pair leaves the review and is never raised again by the duplicate\n"
    "job; both offices learn it at their next sync. Recorded in the\n"
    "registry's log. Undo with 'sws central duplicates reopen A B'.\n";

static const char zReopenUsage[] =
    "usage: sws central duplicates reopen A B (--db FILE | --pg URL)\n"
    "\n"
    "Undo 'dismiss': A and B are a possible duplicate again, at the\n"
    "registry and, after their next sync, at both offices.\n";

static int pair_decide(struct cli *cli, int argc, char **argv, int bDismiss)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {"reason", required_argument, 0, 'r'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zReason = NULL;
  struct central *c;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 'd')
      zDb = optarg;
    else if (o == 'r' && bDismiss)
      zReason = optarg;
    else if (o != 'P')
      return EXIT_USAGE;
    else if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
      return o;
  }
  if (optind != argc - 2)
    return cli_usage(cli, "give the two households A and B");
  if (bDismiss && zReason == NULL)
    return cli_usage(cli, "say why they are different families: --reason "
                          "TEXT");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = bDismiss
           ? central_dismiss(c, argv[optind], argv[optind + 1], zReason, &err)
           : central_reopen(c, argv[optind], argv[optind + 1], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf(bDismiss ? "%s and %s: different families\n"
                  : "%s and %s: a possible duplicate again\n",
         argv[optind], argv[optind + 1]);
  return EXIT_OK;
}

static int cmd_central_dismiss(struct cli *cli, int argc, char **argv)
{
  return pair_decide(cli, argc, argv, 1);
}

static int cmd_central_reopen(struct cli *cli, int argc, char **argv)
{
  return pair_decide(cli, argc, argv, 0);
}

static const char zReconcileUsage[] =
    "usage: sws central reconcile --db FILE [--office CODE]\n"
    "\n"
    "The nightly check of drift between the registry and its offices. The\n"
    "registry cannot reach an office, so for each active office (or the\n"
    "one given) it counts the records it holds for it and those that name a\n"
    "record it does not have, says when the office last compared, and asks\n"
    "each of the office's devices, through its feed, to compare at its next\n"
    "sync: the office then sends again what the registry lacks, receives\n"
    "again what it lacks itself, and each value that differs becomes a\n"
    "conflict ('sws central conflicts'). The office's comparison is listed\n"
    "in its own output and in the registry's log. Recorded in the log.\n";

static int print_check(const struct central_reconcile_check *k, void *arg)
{
  (void)arg;
  printf("%s: %lld record%s held here", k->zOffice, (long long)k->nRecords,
         k->nRecords == 1 ? "" : "s");
  if (k->nDangling)
    printf(", %lld naming a record this registry does not have (the office's"
           " comparison sends those again)",
           (long long)k->nDangling);
  printf("; last compared %s; %d device%s asked to compare at the next "
         "sync\n",
         k->zLast[0] ? k->zLast : "never", k->nDevices,
         k->nDevices == 1 ? "" : "s");
  return 0;
}

static int cmd_central_reconcile(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {"office", required_argument, 0, 'o'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zOffice = NULL;
  struct central *c;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 'd')
      zDb = optarg;
    else if (o == 'o')
      zOffice = optarg;
    else if (o != 'P')
      return EXIT_USAGE;
    else if ((o = pg_opt(cli, optarg, &zDb)) >= 0)
      return o;
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_reconcile_offices(c, zOffice, print_check, NULL, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  return EXIT_OK;
}

static const char zUnmergeUsage[] =
    "usage: sws central unmerge B --db FILE\n"
    "\n"
    "Undo the merge of household B: it stands alone again, at the registry\n"
    "and, after their next sync, at both offices.\n";

static int cmd_central_unmerge(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL;
  struct central *c;
  int rc;
  if ((rc = store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind != argc - 1)
    return cli_usage(cli, "give the merged household B");
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_unmerge(c, argv[optind], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("%s separated again\n", argv[optind]);
  return EXIT_OK;
}

static const char zDedupUsage[] =
    "usage: sws central dedup (--db FILE | --pg URL)\n"
    "\n"
    "Run the duplicate job now: index the people offices pushed since it\n"
    "last ran and record, for each, its best candidates at other offices\n"
    "(at most 5 households) as possible duplicates; both offices of a new\n"
    "pair learn of it at their next sync. 'sws central serve' runs it\n"
    "about once a second, and 'sws central duplicates' and 'stats' run it\n"
    "first; this is for a registry that is not being served.\n";

static int cmd_central_dedup(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central_dedup_report rep;
  const char *zDb = NULL;
  struct central *c;
  int rc;
  if ((rc = store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = open_central(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_dedup(c, 0, &rep, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("%d %s indexed, %d new possible duplicate%s\n", rep.nPeople,
         rep.nPeople == 1 ? "person" : "people", rep.nPairs,
         rep.nPairs == 1 ? "" : "s");
  return EXIT_OK;
}

const struct cmd cmds_central[] = {
    {"central area load", cmd_central_area_load,
     "load the registry's administrative areas from a CSV file", zAreaLoadUsage,
     0, CAP_REGISTRY},
    {"central init", cmd_central_init, "create a central registry", zInitUsage,
     0, CAP_REGISTRY},
    {"central serve", cmd_central_serve, "serve the registry over HTTPS",
     zServeUsage, 0, CAP_REGISTRY},
    {"central stats", cmd_central_stats, "offices, households, duplicates",
     zStatsUsage, 0, CAP_REGISTRY},
    {"central office add", cmd_central_office_add,
     "enrol an office with its public key", zOfficeAddUsage, 0, CAP_REGISTRY},
    {"central key", cmd_central_key, "print the registry's snapshot key",
     zKeyUsage, 0, CAP_REGISTRY},
    {"central office revoke", cmd_central_office_revoke,
     "revoke an office's key", zOfficeRevokeUsage, 0, CAP_REGISTRY},
    {"central office audit-head", cmd_central_office_audit_head,
     "the last audit chain head an office sent", zAuditHeadUsage, 0,
     CAP_REGISTRY},
    {"central duplicates", cmd_central_duplicates,
     "possible duplicates across offices", zDupUsage, 0, CAP_REGISTRY},
    {"central dedup", cmd_central_dedup, "run the duplicate job now",
     zDedupUsage, 0, CAP_REGISTRY},
    {"central conflicts", cmd_central_conflicts,
     "field conflicts waiting for review", zConflictsUsage, 0, CAP_REGISTRY},
    {"central conflict resolve", cmd_central_conflict_resolve,
     "decide a field conflict", zResolveUsage, 0, CAP_REGISTRY},
    {"central duplicates show", cmd_central_pair_show,
     "two possible duplicates side by side", zPairShowUsage, 0, CAP_REGISTRY},
    {"central duplicates dismiss", cmd_central_dismiss,
     "decide two households are different families", zDismissUsage, 0,
     CAP_REGISTRY},
    {"central duplicates reopen", cmd_central_reopen, "undo a dismissal",
     zReopenUsage, 0, CAP_REGISTRY},
    {"central merge", cmd_central_merge, "merge household B into A",
     zMergeUsage, 0, CAP_REGISTRY},
    {"central unmerge", cmd_central_unmerge, "undo a merge", zUnmergeUsage, 0,
     CAP_REGISTRY},
    {"central reconcile", cmd_central_reconcile,
     "ask offices to compare their records with the registry", zReconcileUsage,
     0, CAP_REGISTRY},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};

/* ---- shared with the other 'sws central' command files ---- */

int cmd_central_pg_opt(struct cli *cli, const char *z, const char **pzDb)
{
  return pg_opt(cli, z, pzDb);
}

int cmd_central_store_opts(struct cli *cli, int argc, char **argv,
                           const char **pzDb, int *pbJson)
{
  return store_opts(cli, argc, argv, pzDb, pbJson);
}

int cmd_central_open(struct cli *cli, const char *zDb, int bCreate,
                     const char *zName, struct central **out)
{
  return open_central(cli, zDb, bCreate, zName, out);
}
