/*
 * cmd_office.c - sws init, sws office show, sws office key.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/country.h"
#include "cases/grievance.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "cases/user.h"
#include "core/mem.h"
#include "pos/cli.h"
#include "sync/office.h"

static const char zInitUsage[] =
    "usage: sws init --office CODE --name NAME [--country kh|mn]\n"
    "           [--device CODE] [--areas FILE.csv]\n"
    "\n"
    "Create a new office database (the file given by --db or SWS_DB):\n"
    "the office code and name, its country, a new Ed25519 key pair (it\n"
    "signs receipts and sync requests; the public key is printed for\n"
    "enrolment at the central registry), the administrative areas (the\n"
    "country's built-in sample hierarchy, or FILE.csv in the format of 'sws\n"
    "area load'), the country's grievance categories, layers, deadlines and\n"
    "public holidays (change them with 'sws grievance config load'), its\n"
    "example questionnaire and programme catalogue, and the administrator\n"
    "account 'admin'.\n"
    "\n"
    "The admin password is the first line of standard input when that is\n"
    "not a terminal; otherwise it is asked for twice.\n"
    "\n"
    "  --office CODE   2-16 letters, digits and inner hyphens (e.g. KH12)\n"
    "  --name NAME     the office's name\n"
    "  --country C     kh (Cambodia, the default) or mn (Mongolia): its\n"
    "                  areas, holidays, questionnaire (riel or tugrik),\n"
    "                  programmes, national ID rule and phone numbering;\n"
    "                  set once (give a device of the office the same)\n"
    "  --device CODE   a further device of an existing office (an outreach\n"
    "                  laptop, a replaced computer), e.g. KH12-2: it numbers\n"
    "                  what it registers under this code; enrol it with\n"
    "                  'sws central office add CODE --device-of OFFICE' and\n"
    "                  take the office's records with 'sws sync --snapshot'\n"
    "  --areas FILE    load these areas instead of the sample\n";

static void remove_db(const char *zPath)
{
  char *z;
  unlink(zPath);
  z = sws_mprintf("%s-wal", zPath);
  unlink(z);
  free(z);
  z = sws_mprintf("%s-shm", zPath);
  unlink(z);
  free(z);
}

static int cmd_init(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"office", required_argument, 0, 'o'},
                                       {"name", required_argument, 0, 'n'},
                                       {"areas", required_argument, 0, 'a'},
                                       {"device", required_argument, 0, 'd'},
                                       {"country", required_argument, 0, 'c'},
                                       {0, 0, 0, 0}};
  const char *zOffice = NULL, *zName = NULL, *zAreas = NULL, *zDevice = NULL;
  const struct country *pCountry = cases_country_find(COUNTRY_DEFAULT);
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  char zCode[SWS_OFFICE_CODE_MAX];
  char *zPw = NULL, *zCsv = NULL;
  size_t nCsv = 0;
  struct stat st;
  int c, rc = EXIT_ERR, bCreated = 0;
  memset(&rep, 0, sizeof rep);
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'o': zOffice = optarg; break;
    case 'n': zName = optarg; break;
    case 'a': zAreas = optarg; break;
    case 'd':
      zDevice = optarg;
      break;
    case 'c':
      if (cases_country_parse(&pCountry, optarg, &err) != 0)
        return cli_usage(cli, "%s", err.msg);
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if (zOffice == NULL || zName == NULL)
    return cli_usage(cli, "give the office code and name: --office CODE "
                     "--name NAME");
  if (cases_office_code_check(zCode, zOffice, &err) != 0 ||
      (zDevice && cases_office_code_check(zCode, zDevice, &err) != 0) ||
      cases_office_code_check(zCode, zOffice, &err) != 0)
    return cli_fail(&err);
  if (stat(cli->zDb, &st) == 0) {
    fprintf(stderr, "sws: '%s' already exists; choose another --db for a "
            "new office\n", cli->zDb);
    return EXIT_ERR;
  }
  if (zAreas && cli_read_file(zAreas, 64 << 20, &zCsv, &nCsv, &err) != 0)
    return cli_fail(&err);
  if (cli_read_password(&zPw, "Password for admin: ", 1, &err) != 0 ||
      cases_password_check("admin", zPw, &err) != 0)
    goto fail;
  if (cases_open(&cli->ctx, cli->zDb, CASES_CREATE, &err) != 0)
    goto fail;
  bCreated = 1;
  cases_set_actor(cli->ctx, cli->zActor);
  if (cases_office_init_device(cli->ctx, zCode, zDevice, zName, &err) != 0 ||
      cases_country_set(cli->ctx, pCountry, &err) != 0)
    goto fail;
  if ((zCsv ? cases_area_load_csv(cli->ctx, zCsv, nCsv, &rep, &err)
            : cases_area_load_default(cli->ctx, &rep, &err)) != 0) {
    fputs(buf_str(&rep.errors), stderr);
    goto fail;
  }
  /* an office can assess and screen from its first day; its own
   * questionnaire and catalogue are loaded later as new versions */
  if (cases_grievance_config_load_default(cli->ctx, &err) != 0 ||
      cases_instrument_load_default(cli->ctx, &err) != 0 ||
      cases_programme_load_default(cli->ctx, &err) != 0)
    goto fail;
  if (cases_user_add(cli->ctx, "admin", ROLE_ADMIN, "Administrator", zPw,
                     &err) != 0)
    goto fail;
  {
    struct office_info o;
    char zPk[64];
    if (cases_office_get(cli->ctx, &o, &err) != 0)
      goto fail;
    sws_b64url(zPk, o.pk, sizeof o.pk);
    printf("office %s \"%s\" (%s) created in %s\n", o.zCode, o.zName,
           pCountry->zName, cli->zDb);
    if (strcmp(o.zDevice, o.zCode) != 0)
      printf("device %s of office %s: enrol it at the registry with\n"
             "  sws central office add %s --device-of %s --pubkey KEY\n"
             "then take the office's records: sws sync --snapshot "
             "--registry-key REGISTRY-KEY\n",
             o.zDevice, o.zCode, o.zDevice, o.zCode);
    printf("areas: %d loaded\n", rep.nAdded + rep.nUpdated);
    printf("administrator: admin\n");
    printf("office public key (key id %s):\n%s\n", o.zKeyId, zPk);
  }
  rc = EXIT_OK;
  goto done;
fail:
  rc = cli_fail(&err);
  if (bCreated) {
    cases_close(cli->ctx);
    cli->ctx = NULL;
    remove_db(cli->zDb);
  }
done:
  buf_release(&rep.errors);
  if (zPw) {
    memset(zPw, 0, strlen(zPw));
    free(zPw);
  }
  free(zCsv);
  return rc;
}

static const char zShowUsage[] =
    "usage: sws office show [--json]\n"
    "\n"
    "Show this office: code, name, country, device code, key id and public\n"
    "key, and how many households and members it holds.\n";

static int cmd_office_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct office_info o;
  const struct country *pc;
  int bJson, rc;
  int64_t nH = 0, nM = 0;
  char zPk[64];
  if ((rc = cli_json_args(cli, argc, argv, 0, NULL, &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (cases_office_get(cli->ctx, &o, &err) != 0 ||
      db_int64(cli->ctx->db, &nH, 0, "SELECT count(*) FROM household",
               &err) != 0 ||
      db_int64(cli->ctx->db, &nM, 0, "SELECT count(*) FROM member", &err) !=
          0)
    return cli_fail(&err);
  sws_b64url(zPk, o.pk, sizeof o.pk);
  pc = cases_country_of(cli->ctx);
  if (bJson)
    return cli_json_print(json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "code", o.zCode,
        "name", o.zName, "country", pc->zCode, "timezone",
        cases_office_timezone(cli->ctx), "device", o.zDevice, "key_id",
        o.zKeyId, "public_key", zPk, "created_at", o.zCreatedAt, "households",
        (json_int_t)nH, "members", (json_int_t)nM));
  char zWhen[CLI_WHEN_MAX];
  printf("office:     %s  %s\n", o.zCode, o.zName);
  printf("country:    %s  %s (+%s, %s)\n", pc->zCode, pc->zName, pc->zDial,
         pc->zCurrency);
  printf("time zone:  %s (times are shown in it, kept in UTC)\n",
         cases_office_timezone(cli->ctx));
  printf("device:     %s\n", o.zDevice);
  printf("created:    %s\n", cli_when(zWhen, o.zCreatedAt));
  printf("key id:     %s\n", o.zKeyId);
  printf("public key: %s\n", zPk);
  printf("households: %lld (%lld members)\n", (long long)nH, (long long)nM);
  return EXIT_OK;
}

static const char zTimezoneUsage[] =
    "usage: sws office timezone [ZONE | --country]\n"
    "\n"
    "The administrator's: show the time zone this office shows times in\n"
    "(also in 'sws office show'), or choose it: ZONE is\n"
    "a name of the computer's time zone database (Asia/Phnom_Penh,\n"
    "Asia/Ulaanbaatar, Asia/Hovd for western Mongolia); --country goes\n"
    "back to the country's (sws init --country). Every time is kept in\n"
    "UTC; pages, receipts of the web UI and the command line's text show\n"
    "it in this zone (JSON keeps UTC).\n";

static int cmd_office_timezone(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"country", no_argument, 0, 'c'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  int c, rc, bCountry = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'c')
      bCountry = 1;
    else
      return EXIT_USAGE;
  }
  if (argc - optind > 1 || (bCountry && optind < argc))
    return cli_usage(cli, "give a ZONE or --country, not both");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (optind == argc && !bCountry) {
    printf("%s\n", cases_office_timezone(cli->ctx));
    return EXIT_OK;
  }
  if (cases_office_timezone_set(cli->ctx, bCountry ? NULL : argv[optind],
                                &err) != 0)
    return cli_fail(&err);
  printf("times are shown in %s\n", cases_office_timezone(cli->ctx));
  return EXIT_OK;
}

static const char zKeyUsage[] =
    "usage: sws office key\n"
    "\n"
    "Print this office's Ed25519 public key (base64url), as the central\n"
    "registry's 'sws central office add --pubkey' expects it.\n";

static int cmd_office_key(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct office_info o;
  char zPk[64];
  int rc;
  if (argc > 1)
    return cli_usage(cli, "unexpected argument '%s'", argv[1]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_office_get(cli->ctx, &o, &err) != 0)
    return cli_fail(&err);
  sws_b64url(zPk, o.pk, sizeof o.pk);
  printf("%s\n", zPk);
  return EXIT_OK;
}

static const char zNewDeviceUsage[] =
    "usage: sws office new-device CODE\n"
    "\n"
    "Make this computer a new device of its office, with a new key and the\n"
    "device code CODE (e.g. KH12-2; new registration numbers start with\n"
    "it). Use it when 'sws sync' says this database went back in time (it\n"
    "was restored from a backup or copied to another computer), or when a\n"
    "copy of this database must stop sharing its key. Nothing is lost: the\n"
    "changes not yet sent stay in the outbox and go under the new code;\n"
    "receipts issued before still verify. It prints the command the\n"
    "central registry's administrator runs to enrol the new device; sync\n"
    "after that (docs/operations.md, \"A device that went back in time\").\n";

static int cmd_office_new_device(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sync_new_device nd;
  int rc;
  if (argc < 2)
    return cli_usage(cli, "give the new device CODE");
  if (argc > 2)
    return cli_usage(cli, "unexpected argument '%s'", argv[2]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (sync_new_device(cli->ctx, argv[1], &nd, &err) != 0)
    return cli_fail(&err);
  printf("this computer is now device %s of office %s (it was %s)%s.\n",
         nd.zDevice, nd.zOffice, nd.zOldDevice,
         nd.bDiverged ? "; its changes go on from where the registry's copy "
                        "is the same as this one"
                      : "");
  printf("Ask the central registry's administrator to enrol it:\n\n");
  printf("  sws central office add %s --device-of %s --pubkey %s "
         "--first-seq %lld --db REGISTRY\n\n",
         nd.zDevice, nd.zOffice, nd.zPubKey, (long long)nd.firstSeq);
  printf("then run 'sws sync'.\n");
  return EXIT_OK;
}

const struct cmd cmds_office[] = {
    {"init", cmd_init, "create a new office database", zInitUsage, 0,
     CAP_PUBLIC},
    {"office show", cmd_office_show, "show this office and its key", zShowUsage,
     0, CAP_READ},
    {"office key", cmd_office_key, "print this office's public key", zKeyUsage,
     0, CAP_READ},
    {"office timezone", cmd_office_timezone,
     "show or choose the time zone times are shown in", zTimezoneUsage, 0,
     CAP_ADMIN},
    {"office new-device", cmd_office_new_device,
     "make this computer a new device of its office", zNewDeviceUsage, 0,
     CAP_ADMIN},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
