/*
 * cmd_central.h - what the files of the 'sws central' commands share:
 * the registry's --db FILE / --pg URL and opening it (pos/cmd_central.c).
 */
#ifndef SWS_POS_CMD_CENTRAL_H
#define SWS_POS_CMD_CENTRAL_H

#include "pos/cli.h"
#include "sync/central.h"

/* --pg URL: the registry on PostgreSQL, into *pzDb. -1 to go on, else the
 * exit status of a usage error. */
int cmd_central_pg_opt(struct cli *cli, const char *z, const char **pzDb);

/* The options of a command that takes only the registry (--db FILE,
 * --pg URL) into *pzDb, and --json into *pbJson unless pbJson is NULL;
 * -1 to go on, else the exit status. */
int cmd_central_store_opts(struct cli *cli, int argc, char **argv,
                           const char **pzDb, int *pbJson);

/* Open the registry of --db FILE or --pg URL (zDb) as cli's actor: 0, or
 * the exit status (the error printed). */
int cmd_central_open(struct cli *cli, const char *zDb, int bCreate,
                     const char *zName, struct central **out);

#endif
