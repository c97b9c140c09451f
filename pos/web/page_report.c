/*
 * page_report.c - /reports: the monitoring indicators of the office
 * (cases/report.c) for case managers and supervisors: a table and a bar
 * chart for each indicator, drawn here as SVG (no script), comparable
 * across the areas of a layer, printable on A4, in the officer's
 * language. Small counts are hidden as in every report; a supervisor may
 * ask for the exact figures of the office.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/report.h"
#include "pos/web/web_int.h"

struct page {
  struct web_req *r;
  const struct report_set *set;
  const struct report *rep;
};

static const char *lbl(const struct page *p, const char *zKey)
{
  return report_set_text(p->set, zKey, p->r->zLang);
}

static const char *row_label(const struct page *p, const struct report_cell *c)
{
  if (strcmp(c->zAreaLevel, "elsewhere") == 0)
    return lbl(p, "elsewhere");
  return c->zAreaName[0] ? c->zAreaName : c->zArea;
}

/* The value as text; in a table cell (bMarkup) a hidden one is marked up.
 * Inside an SVG <text> no HTML element may appear: the HTML parser would
 * end the SVG there. */
static void value_out(const struct page *p, const struct report_cell *c,
                      int bMarkup)
{
  if (c->bHidden && bMarkup)
    html_printf(p->r, "<span class=\"hidden\">&lt;%d</span>", p->rep->suppress);
  else if (c->bHidden)
    html_printf(p->r, "&lt;%d", p->rep->suppress);
  else if (isnan(c->value))
    html_raw(p->r, "&ndash;");
  else if (c->bCount)
    html_printf(p->r, "%lld", (long long)c->value);
  else
    html_printf(p->r, "%.1f", c->value);
}

/* The cells of one indicator: [i, j), nSlot per row. */
struct block {
  int i, j, nSlot;
};

#define CHART_W 640
#define LABEL_W 190
#define ROW_H 22
#define VALUE_W 60

static const char *const SEX_FILL[] = {"#a8407f", "#2f6db5", "#9aa4ae"};

/* Horizontal bars, one per area row (the scope's only when there are no
 * areas): the total, split by sex when no part of it is hidden. */
static void chart(struct page *p, const struct block *b)
{
  const struct report_cell *a = p->rep->aCell;
  int nRow = (b->j - b->i) / b->nSlot, nBar = 0;
  double max = 0;
  for (int k = 0; k < nRow; k++) {
    const struct report_cell *c = &a[b->i + k * b->nSlot];
    if (c->bScope && nRow > 1)
      continue;
    nBar++;
    if (!c->bHidden && !isnan(c->value) && c->value > max)
      max = c->value;
  }
  if (nBar == 0)
    return;
  int h = nBar * ROW_H + 8;
  int iSex = -1;
  for (int s = 0; s < b->nSlot; s++)
    if (a[b->i + s].dim == REPORT_SEX) {
      iSex = s;
      break;
    }
  html_printf(p->r,
              "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
              "height=\"%d\" role=\"img\" aria-label=\"%h\">\n",
              CHART_W, h, CHART_W, h, lbl(p, a[b->i].zIndicator));
  int y = 4;
  double scale = max > 0 ? (CHART_W - LABEL_W - VALUE_W) / max : 0;
  for (int k = 0; k < nRow; k++) {
    const struct report_cell *c = &a[b->i + k * b->nSlot];
    if (c->bScope && nRow > 1)
      continue;
    html_printf(p->r,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
                "font-size=\"12\">%h</text>\n",
                LABEL_W - 6, y + 15, row_label(p, c));
    double x = LABEL_W;
    int bSplit = iSex >= 0 && c->bCount && !c->bHidden;
    for (int s = 0; bSplit && s < 3; s++)
      bSplit = !c[iSex + s].bHidden;
    if (!c->bHidden && !isnan(c->value)) {
      if (bSplit) {
        for (int s = 0; s < 3; s++) {
          double w = c[iSex + s].value * scale;
          if (w <= 0)
            continue;
          html_printf(p->r,
                      "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                      "height=\"%d\" fill=\"%h\"><title>%h: %lld</title>"
                      "</rect>\n",
                      x, y + 3, w, ROW_H - 6, SEX_FILL[s],
                      report_cell_heading(p->set, &c[iSex + s], p->r->zLang),
                      (long long)c[iSex + s].value);
          x += w;
        }
      } else {
        double w = c->value * scale;
        html_printf(p->r,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    "fill=\"#0b5cad\"></rect>\n",
                    x, y + 3, w, ROW_H - 6);
        x += w;
      }
    }
    html_printf(p->r, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">", x + 4,
                y + 15);
    value_out(p, c, 0);
    html_raw(p->r, "</text>\n");
    y += ROW_H;
  }
  html_raw(p->r, "</svg>\n");
  if (iSex >= 0) {
    html_raw(p->r, "<p class=\"legend\">");
    for (int s = 0; s < 3; s++)
      html_printf(
          p->r,
          "<svg width=\"12\" height=\"12\" aria-hidden=\"true\">"
          "<rect width=\"12\" height=\"12\" fill=\"%h\"></rect>"
          "</svg> %h ",
          SEX_FILL[s],
          report_cell_heading(p->set, &a[b->i + iSex + s], p->r->zLang));
    html_raw(p->r, "</p>\n");
  }
}

/* The table: a row per area, a column per breakdown; each category type
 * in a table of its own below. */
static void table(struct page *p, const struct block *b, int bCat,
                  const char *zType)
{
  const struct report_cell *a = p->rep->aCell;
  int nCol = 0;
  for (int s = 0; s < b->nSlot; s++)
    nCol += bCat ? a[b->i + s].dim == REPORT_CATEGORY &&
                       strcmp(a[b->i + s].zCatType, zType) == 0
                 : a[b->i + s].dim != REPORT_CATEGORY;
  if (nCol == 0)
    return;
  if (bCat)
    html_printf(p->r, "<h3>%h</h3>\n", lbl(p, zType));
  html_raw(p->r, "<table class=\"report\"><thead>");
  if (!bCat && nCol > 1) {
    /* what each group of columns breaks down: sex, age group, disability */
    static const char *const GROUP[] = {"", "sex", "age_group", "disability"};
    html_raw(p->r, "<tr><td></td><td></td>");
    for (int dim = REPORT_SEX; dim <= REPORT_DISABILITY; dim++) {
      int n = 0;
      for (int s = 0; s < b->nSlot; s++)
        n += a[b->i + s].dim == dim;
      if (n)
        html_printf(p->r, "<th colspan=\"%d\" class=\"group\">%h</th>", n,
                    lbl(p, GROUP[dim]));
    }
    html_raw(p->r, "</tr>");
  }
  html_printf(p->r, "<tr><th>%h</th>", lbl(p, "area"));
  for (int s = 0; s < b->nSlot; s++) {
    const struct report_cell *c = &a[b->i + s];
    if (bCat ? c->dim == REPORT_CATEGORY && strcmp(c->zCatType, zType) == 0
             : c->dim != REPORT_CATEGORY)
      html_printf(p->r, "<th class=\"num\">%h</th>",
                  report_cell_heading(p->set, c, p->r->zLang));
  }
  html_raw(p->r, "</tr></thead><tbody>\n");
  for (int row = b->i; row < b->j; row += b->nSlot) {
    html_raw(p->r, a[row].bScope ? "<tr class=\"total\">" : "<tr>");
    html_printf(p->r, "<th scope=\"row\">%h", row_label(p, &a[row]));
    if (a[row].zArea[0] && !a[row].bScope)
      html_printf(p->r, " <span class=\"muted\">%h</span>", a[row].zArea);
    html_raw(p->r, "</th>");
    for (int s = 0; s < b->nSlot; s++) {
      const struct report_cell *c = &a[row + s];
      if (!(bCat ? c->dim == REPORT_CATEGORY && strcmp(c->zCatType, zType) == 0
                 : c->dim != REPORT_CATEGORY))
        continue;
      html_raw(p->r, "<td class=\"num\">");
      value_out(p, c, 1);
      html_raw(p->r, "</td>");
    }
    html_raw(p->r, "</tr>\n");
  }
  html_raw(p->r, "</tbody></table>\n");
}

static void indicator(struct page *p, const struct block *b)
{
  const struct report_cell *a = p->rep->aCell;
  html_printf(p->r, "<section class=\"indicator\" id=\"%h\"><h2>%h</h2>\n",
              a[b->i].zIndicator, lbl(p, a[b->i].zIndicator));
  chart(p, b);
  table(p, b, 0, NULL);
  const char *zDone[3] = {NULL, NULL, NULL};
  for (int s = 0; s < b->nSlot; s++) {
    const char *zType = a[b->i + s].zCatType;
    int bSeen = 0;
    if (a[b->i + s].dim != REPORT_CATEGORY)
      continue;
    for (int k = 0; k < 3 && zDone[k]; k++)
      bSeen |= strcmp(zDone[k], zType) == 0;
    for (int k = 0; !bSeen && k < 3; k++)
      if (zDone[k] == NULL) {
        zDone[k] = zType;
        table(p, b, 1, zType);
        break;
      }
  }
  html_raw(p->r, "</section>\n");
}

static const char *const LAYERS[] = {"", "province", "district", "commune",
                                     "village"};

static void form(struct web_req *r, const struct report_set *set,
                 const char *zPeriod, int layer, const char *zArea,
                 const char *zOnly, int bExact, int bMayExact)
{
  html_printf(r,
              "<form method=\"get\" action=\"/reports\" class=\"row "
              "noprint\"><div><label for=\"period\">%h</label><input "
              "type=\"text\" id=\"period\" name=\"period\" value=\"%h\" "
              "size=\"12\" aria-describedby=\"period-help\"></div>\n",
              _(r, "Period"), zPeriod);
  html_printf(r,
              "<div><label for=\"layer\">%h</label><select id=\"layer\" "
              "name=\"layer\"><option value=\"\">%h</option>",
              _(r, "By"), _(r, "the office as a whole"));
  for (int l = AREA_VILLAGE; l >= AREA_PROVINCE; l--)
    html_printf(r, "<option value=\"%h\"%h>%h</option>", LAYERS[l],
                l == layer ? " selected" : "",
                report_set_label(set, LAYERS[l], r->zLang));
  html_printf(r,
              "</select></div>\n<div><label for=\"area\">%h</label><input "
              "type=\"text\" id=\"area\" name=\"area\" value=\"%h\" "
              "size=\"10\"></div>\n",
              _(r, "Area code (optional)"), zArea ? zArea : "");
  html_printf(r,
              "<div><label for=\"indicator\">%h</label><select "
              "id=\"indicator\" name=\"indicator\"><option value=\"\">"
              "%h</option>",
              _(r, "Indicator"), _(r, "All"));
  for (int i = 0; i < report_set_count(set); i++) {
    const char *zCode = report_set_code(set, i);
    html_printf(r, "<option value=\"%h\"%h>%h</option>", zCode,
                zOnly && strcmp(zOnly, zCode) == 0 ? " selected" : "",
                report_set_label(set, zCode, r->zLang));
  }
  html_raw(r, "</select></div>\n");
  if (bMayExact)
    html_printf(r,
                "<div><label class=\"inline\"><input type=\"checkbox\" "
                "name=\"exact\" value=\"1\"%h> %h</label></div>\n",
                bExact ? " checked" : "",
                _(r, "Exact figures (this office only)"));
  html_printf(r,
              "<div><button>%h</button></div></form>\n<p id=\"period-help\" "
              "class=\"muted noprint\">%h</p>\n",
              _(r, "Show"),
              _(r, "A month (2026-11), a quarter (2026-Q4), a year (2026), "
                   "or two days (2026-01-01..2026-03-31)."));
}

int page_reports(struct web_req *r)
{
  struct report_set *set = NULL;
  struct report rep;
  struct report_opts o = REPORT_OPTS_INIT;
  struct sws_err err = SWS_ERR_INIT;
  char zToday[11];
  const char *zPeriod = web_param_trim(r, "period");
  const char *zLayer = web_param(r, "layer");
  const char *zArea = web_param_trim(r, "area");
  const char *zOnly = web_param(r, "indicator");
  int bMayExact = r->user.role >= ROLE_SUPERVISOR;
  int bExact = bMayExact && web_param(r, "exact") &&
               strcmp(web_param(r, "exact"), "1") == 0;
  int rc;
  memset(&rep, 0, sizeof rep);
  web_header(r, _(r, "Reports"));
  if ((rc = report_set_load_default(&set, &err)) != 0) {
    web_error_notice(r, &err);
    web_footer(r);
    return 0;
  }
  o.layer = zLayer && zLayer[0] ? cases_area_level_parse(zLayer) : 0;
  o.zArea = zArea[0] ? zArea : NULL;
  o.zOnly = zOnly && zOnly[0] ? zOnly : NULL;
  o.suppress = bExact ? 0 : 5;
  if (zPeriod[0]) {
    rc = report_period_parse(zPeriod, &o.period, &err);
  } else {
    cases_today(zToday);
    report_period_month(zToday, &o.period);
    zPeriod = o.period.zLabel;
  }
  form(r, set, zPeriod, o.layer, o.zArea, o.zOnly, bExact, bMayExact);
  if (rc == 0 && zLayer && zLayer[0] && o.layer == 0)
    rc = sws_err_set(&err, SWS_EINVAL, "'%s' is not a layer", zLayer);
  if (rc == 0)
    rc = report_run(r->ctx, set, &o, &rep, &err);
  if (rc != 0) {
    web_error_notice(r, &err);
  } else {
    struct page p = {r, set, &rep};
    html_printf(r,
                "<p class=\"summary\"><strong>%h (%h)</strong>, %h: %h "
                "&ndash; %h. ",
                rep.zScopeName, rep.zScope, rep.period.zLabel, rep.period.zFrom,
                rep.period.zLast);
    if (rep.suppress)
      html_printf(r, "%h</p>\n",
                  _(r, "Counts below 5 are hidden (<5), and so are the "
                       "cells that would give them away."));
    else
      html_printf(r, "%h</p>\n",
                  _(r, "Exact figures: for this office's supervisors, not "
                       "to be passed on."));
    for (int i = 0; i < rep.nCell;) {
      struct block b = {i, i, 0};
      while (b.j < rep.nCell &&
             strcmp(rep.aCell[b.j].zIndicator, rep.aCell[i].zIndicator) == 0)
        b.j++;
      while (i + b.nSlot < b.j &&
             rep.aCell[i + b.nSlot].bScope == rep.aCell[i].bScope &&
             strcmp(rep.aCell[i + b.nSlot].zArea, rep.aCell[i].zArea) == 0)
        b.nSlot++;
      indicator(&p, &b);
      i = b.j;
    }
    html_printf(r, "<p class=\"muted\">%h %d.</p>\n",
                _(r, "Indicator definitions: docs/monitoring.md; "
                     "indicator set version"),
                rep.version);
  }
  report_release(&rep);
  report_set_free(set);
  web_footer(r);
  return 0;
}
