/*
 * cmd_area.c - sws area list, sws area load.
 */
#include <string.h>

#include "cases/area.h"
#include "pos/cli.h"

static const char zListUsage[] =
    "usage: sws area list [--level province|district|commune|village] "
    "[--json]\n"
    "\n"
    "List the administrative areas: code, level, name, Latin name, parent.\n"
    "--json prints an array of objects {code, level, name, name_latin,\n"
    "parent}.\n";

static int print_area(const struct area *a, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "code", a->zCode,
                       "level", cases_area_level_name(a->level), "name",
                       a->zName, "name_latin", a->zLatin, "parent",
                       a->zParent[0] ? a->zParent : NULL));
  } else {
    printf("%-12s %-9s %s", a->zCode, cases_area_level_name(a->level),
           a->zName);
    if (a->zLatin[0])
      printf(" (%s)", a->zLatin);
    if (a->zParent[0])
      printf("  in %s", a->zParent);
    putchar('\n');
  }
  return 0;
}

static int cmd_area_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"level", required_argument, 0, 'l'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  int c, level = 0, rc;
  json_t *arr = NULL;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'l':
      if ((level = cases_area_level_parse(optarg)) == 0)
        return cli_usage(cli, "--level must be province, district, commune "
                         "or village");
      break;
    case 'j': arr = json_array(); break;
    default: json_decref(arr); return EXIT_USAGE;
    }
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_area_list(cli->ctx, level, print_area, arr, &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zLoadUsage[] =
    "usage: sws area load FILE.csv\n"
    "\n"
    "Load or update areas from a CSV file, one area per line, code first:\n"
    "\n"
    "  code,level,name,name_latin,parent_code\n"
    "  17,province,សៀមរាប,Siem Reap,\n"
    "  1701,district,អង្គរជុំ,Angkor Chum,17\n"
    "\n"
    "A first line starting with 'code' is a header. Each area's parent is\n"
    "one level up (province > district > commune > village), in the file\n"
    "or already loaded. All or nothing: if any line is wrong, every wrong\n"
    "line is listed and nothing is loaded. A file saved from a spreadsheet\n"
    "with ';' between fields or as Unicode Text (UTF-16, tabs) is read too.\n";

static int cmd_area_load(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  char *zCsv = NULL;
  size_t n;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one CSV file");
  if (cli_read_file(argv[1], 64 << 20, &zCsv, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0) {
    free(zCsv);
    return rc;
  }
  rc = cases_area_load_csv(cli->ctx, zCsv, n, &rep, &err);
  free(zCsv);
  if (rc != 0) {
    fputs(buf_str(&rep.errors), stderr);
    buf_release(&rep.errors);
    return cli_fail(&err);
  }
  printf("%d area%s added, %d updated\n", rep.nAdded, rep.nAdded == 1 ? "" : "s",
         rep.nUpdated);
  buf_release(&rep.errors);
  return EXIT_OK;
}

const struct cmd cmds_area[] = {
    {"area list", cmd_area_list, "list the administrative areas", zListUsage, 0,
     CAP_READ},
    {"area load", cmd_area_load, "load areas from a CSV file", zLoadUsage, 0,
     CAP_ADMIN},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
