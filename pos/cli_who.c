/*
 * cli_who.c - who the command line is. Without a staff account it is the
 * system user "cli:NAME" (NAME the Unix login of the effective user id,
 * not $USER, which anyone sets), who holds only what unattended jobs need
 * (cases/permit.h). With --as LOGIN (or SWS_USER) it is that account once
 * authenticated: by a token from sws login (SWS_TOKEN, or the 0600 file
 * sws login wrote) or by the account's password, asked for without echo
 * or read as the first line of standard input; wrong passwords count
 * toward the same throttle as the web UI's login form (cases/login.h).
 * Then every command's capability is checked against the role.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/login.h"
#include "cases/token.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "pos/cli.h"

int cli_token_path(const struct cli *cli, const char *zLogin, int bMake,
                   char **out, struct sws_err *err)
{
  char zReal[PATH_MAX], zHex[2 * SWS_SHA256_BYTES + 1];
  unsigned char h[SWS_SHA256_BYTES];
  const char *zRun = getenv("XDG_RUNTIME_DIR");
  char *zDir;
  struct stat st;
  int rc;
  *out = NULL;
  if ((rc = cases_login_check(zLogin, err)) != 0)
    return rc;
  if (realpath(cli->zDb, zReal) == NULL)
    return sws_err_set(err, SWS_EIO,
                       "cannot find the office database "
                       "'%s': %s",
                       cli->zDb, strerror(errno));
  if (zRun && zRun[0] == '/') {
    zDir = sws_mprintf("%s/sws", zRun);
  } else {
    struct passwd *pw = getpwuid(geteuid());
    if (pw == NULL || pw->pw_dir == NULL || pw->pw_dir[0] != '/')
      return sws_err_set(err, SWS_EIO,
                         "this system user has no home "
                         "folder for the login token: set XDG_RUNTIME_DIR "
                         "or use sws login --print and SWS_TOKEN");
    char *zCache = sws_mprintf("%s/.cache", pw->pw_dir);
    if (bMake)
      mkdir(zCache, 0700);
    free(zCache);
    zDir = sws_mprintf("%s/.cache/sws", pw->pw_dir);
  }
  if (bMake && mkdir(zDir, 0700) != 0 && errno != EEXIST) {
    rc = sws_err_set(err, SWS_EIO, "cannot make '%s': %s", zDir,
                     strerror(errno));
    goto done;
  }
  /* a folder another user owns or may open would show or swap tokens */
  if (lstat(zDir, &st) == 0 &&
      (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
       (st.st_mode & 077) != 0)) {
    rc = sws_err_set(err, SWS_EPERM,
                     "'%s' must be a folder of this "
                     "system user that nobody else may open (chmod 700)",
                     zDir);
    goto done;
  }
  sws_sha256(h, zReal, strlen(zReal));
  sws_hex(zHex, h, sizeof h);
  *out = sws_mprintf("%s/%s-%.16s.token", zDir, zLogin, zHex);
done:
  free(zDir);
  return rc;
}

/* The token in zPath into zOut: 0, SWS_ENOTFOUND when there is no file,
 * SWS_EPERM when others could read it (it is not used then). */
static int token_read(const char *zPath, char zOut[CASES_TOKEN_CHARS + 1],
                      struct sws_err *err)
{
  struct stat st;
  char z[CASES_TOKEN_CHARS + 2];
  int fd = open(zPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? SWS_ENOTFOUND
                           : sws_err_set(err, SWS_EIO,
                                         "cannot read '%s': "
                                         "%s",
                                         zPath, strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 077) != 0) {
    close(fd);
    return sws_err_set(err, SWS_EPERM,
                       "the login token '%s' could be read "
                       "by others: it is not used; remove it and run sws "
                       "login again",
                       zPath);
  }
  ssize_t n = read(fd, z, sizeof z - 1);
  close(fd);
  if (n < 0)
    n = 0;
  while (n > 0 && (z[n - 1] == '\n' || z[n - 1] == '\r'))
    n--;
  z[n] = '\0';
  sws_strlcpy(zOut, z, CASES_TOKEN_CHARS + 1);
  sodium_memzero(z, sizeof z);
  return SWS_OK;
}

/* Authenticate zAs (or the account of SWS_TOKEN) into *u. */
static int staff_account(struct cli *cli, const char *zAs, const char *zToken,
                         struct user *u, struct sws_err *err)
{
  char zTok[CASES_TOKEN_CHARS + 1] = "", *zPath = NULL, *zPw = NULL;
  int rc;
  if (zToken) {
    rc = cases_token_check(cli->ctx, zToken, u, err);
    if (zAs == NULL || (rc == 0 && strcmp(zAs, u->zLogin) == 0) ||
        (rc != 0 && rc != SWS_EPERM))
      return rc;
    /* SWS_TOKEN is not --as's (another account's, or no longer valid):
     * --as authenticates on its own */
  }
  if ((rc = cli_token_path(cli, zAs, 0, &zPath, err)) != 0)
    return rc;
  rc = token_read(zPath, zTok, err);
  if (rc == SWS_OK) {
    rc = cases_token_check(cli->ctx, zTok, u, err);
    sodium_memzero(zTok, sizeof zTok);
    if (rc == SWS_OK && strcmp(u->zLogin, zAs) != 0)
      rc = sws_err_set(err, SWS_EPERM,
                       "the login token '%s' is another "
                       "account's, not %s's",
                       zPath, zAs);
    if (rc == SWS_EPERM) {
      /* expired or ended: the password will do; a file others could read
       * is refused above and kept for its owner to see */
      fprintf(stderr, "sws: note: %s\n", err->msg);
      unlink(zPath);
      rc = SWS_ENOTFOUND;
    }
  }
  free(zPath);
  if (rc != SWS_ENOTFOUND)
    return rc;
  char *zPrompt = sws_mprintf("Password for %s: ", zAs);
  rc = cli_read_password(&zPw, zPrompt, 0, err);
  free(zPrompt);
  if (rc != 0)
    return rc;
  char *zDetail = sws_mprintf("at the command line, by %s", cli->zSystem);
  rc = cases_login_password(cli->ctx, zAs, zPw, NULL, "cli", zDetail, u, NULL,
                            err);
  free(zDetail);
  sodium_memzero(zPw, strlen(zPw));
  free(zPw);
  return rc;
}

int cli_authenticate(struct cli *cli, const char *zAs)
{
  struct sws_err err = SWS_ERR_INIT;
  struct user u;
  const char *zToken = getenv("SWS_TOKEN");
  int rc;
  cli->role = ROLE_SYSTEM;
  cli->zActor = cli->zSystem;
  if (zAs && *zAs == '\0')
    zAs = NULL;
  if (zToken && *zToken == '\0')
    zToken = NULL;
  if (cli->cmd->cap == CAP_REGISTRY) {
    /* the registry has no office accounts: --as names who acts in its
     * log, as it always did */
    if (zAs)
      cli->zActor = zAs;
    return EXIT_OK;
  }
  if (cli->cmd->cap == CAP_PUBLIC || (zAs == NULL && zToken == NULL))
    goto check;
  if ((rc = cli_open(cli)) != EXIT_OK)
    return rc;
  cases_set_actor(cli->ctx, cli->zSystem); /* failed passwords: by whom */
  if (staff_account(cli, zAs, zToken, &u, &err) != 0) {
    if (zAs)
      fprintf(stderr, "sws: cannot act as '%s': %s\n", zAs, err.msg);
    else
      cli_fail(&err);
    return EXIT_ERR;
  }
  sws_strlcpy(cli->zAccount, u.zLogin, sizeof cli->zAccount);
  cli->zActor = cli->zAccount;
  cli->role = u.role;
  cases_set_actor(cli->ctx, cli->zActor);
check:
  if (cases_permit_check(cli->role, cli->zActor, cli->cmd->zName, cli->cmd->cap,
                         &err) != 0)
    return cli_fail(&err);
  return EXIT_OK;
}
