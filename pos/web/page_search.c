/*
 * page_search.c - the one search box: a name in any script, a
 * registration number (with or without its check character), a national
 * ID, a phone number. A scanner types the number and presses Enter; when
 * exactly one household matches, the page goes straight to it.
 */
#include <stdio.h>
#include <string.h>

#include "cases/search.h"
#include "pos/web/web_int.h"

static const char *how_label(struct web_req *r, int how)
{
  switch (how) {
  case SEARCH_BY_REGNO: return _(r, "registration number");
  case SEARCH_BY_NATIONAL_ID: return _(r, "national ID");
  case SEARCH_BY_PHONE: return _(r, "phone");
  case SEARCH_BY_NAME: return _(r, "name");
  default: return "";
  }
}

int page_search(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct search_result res;
  const char *zQ = web_param_trim(r, "q");
  memset(&res, 0, sizeof res);
  if (zQ[0] == '\0')
    return web_redirect(r, "/");
  if (web_search_receipt(r, zQ))
    return 0;
  int rc = cases_search(r->ctx, zQ, 50, &res, &err);
  if (rc == 0 && res.n == 1 && res.nMore == 0 && res.zNote[0] == '\0') {
    char zRegno[SWS_NUMBER_MAX];
    memcpy(zRegno, res.a[0].zRegno, sizeof zRegno);
    cases_search_release(&res);
    return web_redirect(r, "/household/%t?found=1", zRegno);
  }
  web_header(r, _(r, "Search"));
  html_printf(r,
              "<form method=\"get\" action=\"/search\" class=\"big-search\" "
              "role=\"search\"><label for=\"q\">%h</label>"
              "<input type=\"search\" id=\"q\" name=\"q\" value=\"%h\" "
              "autofocus accesskey=\"s\" autocomplete=\"off\"> "
              "<button type=\"submit\">%h</button></form>\n",
              _(r, "Search again"), zQ, _(r, "Search"));
  if (rc != 0) {
    if (rc == SWS_EINVAL)
      web_notice(r, "error", _(r, "Type at least two letters of a name, or "
                                 "a number."));
    else
      web_error_notice(r, &err);
  } else {
    if (res.zNote[0])
      web_notice(r, "warn", res.zNote);
    if (res.n == 0) {
      web_notice(r, "warn", _(r, "No household found. Check the spelling "
                                "or try part of the name; if the family is "
                                "new, register it."));
    } else {
      html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                     "<th>%h</th><th>%h</th><th>%h</th></tr></thead>"
                     "<tbody>\n",
                  _(r, "Registration number"), _(r, "Head of household"),
                  _(r, "Person found"), _(r, "Born"), _(r, "Village"),
                  _(r, "Found by"));
      for (int i = 0; i < res.n; i++) {
        const struct search_hit *h = &res.a[i];
        html_printf(r, "<tr><td><a href=\"/household/%t\">%h</a>",
                    h->zRegno, h->zRegno);
        if (strcmp(h->zStatus, "active"))
          web_tag(r, "bad", _(r, "deactivated"));
        html_printf(r, "</td><td>%h</td><td>%h</td><td>%h</td><td>",
                    h->zHead, h->zMember, h->zBorn);
        web_area_label(r, h->zArea);
        html_printf(r, "</td><td>%h</td></tr>\n", how_label(r, h->how));
      }
      html_raw(r, "</tbody></table>\n");
      if (res.nMore)
        html_printf(r, "<p class=\"muted\">%h</p>\n",
                    _(r, "More households match: add more of the name to "
                         "narrow the search."));
    }
  }
  html_printf(r, "<p><a class=\"button secondary\" href=\"/register\">%h</a>"
                 "</p>\n",
              _(r, "Register a new household"));
  cases_search_release(&res);
  web_footer(r);
  return 0;
}
