/*
 * central_route.c - the registry web UI's route table, who may use each
 * page, its header bar, and its handler: every request passes the front
 * door's checks first (front.c), exactly as at the office.
 *
 * Who may do what (docs/registry-guide.md): every officer reads the
 * duplicates, conflicts and offices of their area and decides the
 * duplicates of their area (same family, different families, and undoing
 * either) and the grievances waiting in their layer's queue for their
 * area; only a national officer decides sync conflicts, which change
 * records any office may hold.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "pos/web/central_int.h"

static const struct web_route ROUTES[] = {
    {"GET", "/login", page_login, CAP_PUBLIC},
    {"POST", "/login", page_login_post, CAP_PUBLIC},
    {"POST", "/logout", page_logout_post, CCAP_READ},
    {"POST", "/language", page_lang_post, CCAP_READ},
    {"GET", "/", cpage_home, CCAP_READ},
    {"GET", "/duplicates", cpage_duplicates, CCAP_READ},
    {"GET", "/duplicates/*/*", cpage_pair, CCAP_READ},
    {"POST", "/duplicates/*/*/*", cpage_pair_post, CCAP_DECIDE},
    {"GET", "/conflicts", cpage_conflicts, CCAP_READ},
    {"POST", "/conflicts/*", cpage_conflict_post, CCAP_NATIONAL},
    {"GET", "/offices", cpage_offices, CCAP_READ},
    {"GET", "/offices/*", cpage_office, CCAP_READ},
    {"GET", "/grievances", cpage_grievances, CCAP_READ},
    {"POST", "/grievances/*", cpage_grievance_post, CCAP_DECIDE},
};

int cweb_role_can(int role, int cap)
{
  int bOfficer = role >= CROLE_NATIONAL && role <= CROLE_DISTRICT;
  switch (cap) {
  case CAP_PUBLIC:
    return 1;
  case CCAP_READ:
  case CCAP_DECIDE:
    return bOfficer;
  case CCAP_NATIONAL:
    return role == CROLE_NATIONAL;
  default:
    return 0;
  }
}

static int can(const struct web_req *r, int cap)
{
  return cweb_role_can(r->user.role, cap);
}

static void nav(struct web_req *r)
{
  web_nav_link(r, "/duplicates", _(r, "Duplicates"), "d");
  web_nav_link(r, "/conflicts", _(r, "Conflicts"), NULL);
  web_nav_link(r, "/offices", _(r, "Offices"), NULL);
  web_nav_link(r, "/grievances", _(r, "Grievances"), "g");
}

static const char *role_label(const struct web_req *r)
{
  static const char *const azLabel[] = {"", N_("national officer"),
                                        N_("province officer"),
                                        N_("district officer")};
  int role = r->user.role;
  return role >= CROLE_NATIONAL && role <= CROLE_DISTRICT ? _(r, azLabel[role])
                                                          : "";
}

static const struct web_site CENTRAL_SITE = {
    ROUTES,
    sizeof ROUTES / sizeof ROUTES[0],
    "sws_registry",
    cweb_session_load,
    can,
    cweb_session_login,
    cweb_session_logout,
    cweb_session_set_lang,
    nav,
    role_label,
};

int cweb_handler(void *arg, const struct http_req *req, struct http_resp *resp)
{
  struct cweb *cw = arg;
  struct cweb_req q;
  struct web_req r;
  memset(&q, 0, sizeof q);
  q.cw = cw;
  web_req_begin(&r, cw->w, &CENTRAL_SITE, req, resp);
  r.app = &q;
  sws_strlcpy(cw->c->zActor, "ui", sizeof cw->c->zActor);
  int rc = web_dispatch(&r);
  web_req_end(&r, rc);
  central_scope_release(&q.scope);
  sws_strlcpy(cw->c->zActor, "ui", sizeof cw->c->zActor);
  return 0;
}

struct cweb *cweb_open(struct central *c, const struct web_config *cfg)
{
  struct cweb *cw = sws_calloc(1, sizeof *cw);
  cw->w = web_open(NULL, cfg);
  cw->c = c;
  return cw;
}

void cweb_close(struct cweb *cw)
{
  if (cw == NULL)
    return;
  web_close(cw->w);
  sodium_memzero(cw->aSession, sizeof cw->aSession);
  free(cw);
}

struct web *cweb_web(struct cweb *cw)
{
  return cw->w;
}
