/*
 * layout.c - what every page of both UIs has: the header with the user's
 * links (the site's nav; the office's is here), the footer, messages,
 * forms with their CSRF token, the style sheet (plain CSS with a print style; a
 * font stack that has Khmer and Mongolian Cyrillic: Latin and Cyrillic from
 * Noto Sans, Khmer from Noto Sans Khmer or Khmer OS, whose own Latin glyphs are
 * heavier) and the one small script (a print button).
 */
#include <stdio.h>
#include <string.h>

#include "cases/area.h"
#include "cases/household.h"
#include "pos/web/web_int.h"

const char web_css[] =
    ":root{--ink:#1b1f23;--muted:#5a6470;--line:#c9d1d9;--bg:#f6f8fa;"
    "--accent:#0b5cad;--warn:#8a5a00;--bad:#a40e26;--ok:#1a7f37}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font-family:\"Noto Sans\",\"Noto Sans Khmer\",\"Khmer OS\","
    "\"Khmer OS System\",\"DejaVu Sans\",Arial,sans-serif;font-size:16px;"
    "line-height:1.5;color:var(--ink);background:#fff}\n"
    "a{color:var(--accent)}\n"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px"
    " solid #f5b400;outline-offset:1px}\n"
    ".skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;"
    "background:#fff;padding:4px;z-index:9}\n"
    "header.bar{display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;"
    "padding:6px 16px;background:#123b63;color:#fff}\n"
    "header.bar a{color:#fff;text-decoration:none;padding:4px 6px}\n"
    "header.bar a:hover,header.bar a[aria-current]{background:#1e5a94}\n"
    "header.bar .brand{font-weight:bold;margin-right:12px}\n"
    "header.bar form{display:inline;margin:0}\n"
    "header.bar .who{margin-left:auto;font-size:14px}\n"
    "header.bar button{font-size:14px;padding:2px 8px}\n"
    "header.bar input[type=search]{width:16em}\n"
    "main{padding:12px 16px;max-width:1100px}\n"
    "h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin:1.2em 0 .4em;"
    "border-bottom:1px solid var(--line)}\n"
    "table{border-collapse:collapse;width:100%;margin:.4em 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:4px 6px;"
    "text-align:left;vertical-align:top}\n"
    "th{background:var(--bg);font-weight:600}\n"
    "label{display:block;font-weight:600;margin-top:.5em}\n"
    "input,select,textarea,button{font:inherit}\n"
    "input[type=text],input[type=search],input[type=password],"
    "input[type=date],select,textarea{padding:4px 6px;border:1px solid #8c959f;"
    "border-radius:3px;max-width:100%}\n"
    "textarea{width:36em;height:5em}\n"
    "button,.button{display:inline-block;padding:6px 14px;border:1px solid "
    "#0a4a8a;background:var(--accent);color:#fff;border-radius:3px;"
    "text-decoration:none;cursor:pointer}\n"
    "button.secondary,.button.secondary{background:#fff;color:var(--accent)}\n"
    "button.danger{background:var(--bad);border-color:var(--bad)}\n"
    ".notice{padding:8px 12px;border-left:5px solid var(--accent);"
    "background:var(--bg);margin:.6em 0}\n"
    ".notice.ok{border-color:var(--ok)}.notice.error{border-color:var(--bad);"
    "background:#fff0f0}.notice.warn{border-color:var(--warn);"
    "background:#fff8e5}\n"
    ".big-search input{font-size:1.4em;width:24em;max-width:90%}\n"
    ".big-search button{font-size:1.2em}\n"
    ".row{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end}\n"
    ".row label{margin-top:0}\n"
    "fieldset{border:1px solid var(--line);margin:.6em 0;padding:6px 12px}\n"
    "legend{font-weight:600}\n"
    ".members td input[type=text]{width:100%}\n"
    ".members td{padding:2px 3px}\n"
    ".side{display:grid;grid-template-columns:1fr 1fr;gap:16px}\n"
    ".card{border:1px solid var(--line);border-radius:4px;padding:8px 12px;"
    "margin:.4em 0}\n"
    ".card h3{margin:.2em 0;font-size:1.05em}\n"
    ".muted{color:var(--muted)}.overdue{color:var(--bad);font-weight:bold}\n"
    ".tag{display:inline-block;padding:0 6px;border-radius:8px;"
    "background:var(--bg);border:1px solid var(--line);font-size:.85em}\n"
    ".tag.bad{background:#fff0f0;border-color:var(--bad);color:var(--bad)}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px "
    "16px;margin:.4em 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}\n"
    ".actions{display:flex;flex-wrap:wrap;gap:8px;margin:.6em 0}\n"
    ".actions form{margin:0}\n"
    "footer{padding:8px 16px;color:var(--muted);font-size:13px;"
    "border-top:1px solid var(--line);margin-top:24px}\n"
    "ol.timeline li{margin-bottom:.4em}\n"
    ".receipt{border:1px dashed var(--line);padding:2mm;margin:8px 0;"
    "font-size:10pt;line-height:1.35}\n"
    ".receipt.w58{width:48mm;page:r58}.receipt.w80{width:72mm;page:r80}"
    ".receipt.a4{width:120mm;page:a4;font-size:12pt}\n"
    ".receipt p{margin:1mm 0}.receipt .r-title{font-size:1.25em;"
    "font-weight:bold;text-align:center}.receipt .r-heading{font-weight:bold;"
    "text-align:center}.receipt .r-copy{background:#000;color:#fff;"
    "text-align:center;font-weight:bold}.receipt .r-small{font-size:.85em;"
    "text-align:center}.receipt .r-field span{color:var(--muted)}\n"
    ".receipt svg.qr{display:block;width:70%;max-width:40mm;height:auto;"
    "margin:2mm auto}\n"
    "@page r58{size:58mm 200mm;margin:2mm 5mm}@page r80{size:80mm 200mm;"
    "margin:2mm 4mm}@page a4{size:A4;margin:15mm}\n"
    "form.inline{display:inline}label.inline{display:inline;"
    "font-weight:normal;margin-right:8px}\n"
    "div.q{margin:.3em 0}\n"
    ".num{text-align:right}tr.total th,tr.total td{font-weight:bold}\n"
    "span.hidden{color:var(--muted)}svg.chart{max-width:100%;height:auto;"
    "display:block}p.legend{font-size:.9em;margin:0}\n"
    "section.indicator{break-inside:avoid}table.report tr{"
    "break-inside:avoid}h3{font-size:1em;margin:.6em 0 .2em}\n"
    "th.group{text-align:center;border-left:2px solid #fff}\n"
    "@media print{header.bar,footer,.noprint,.actions,h1{display:none}"
    "main{padding:0;max-width:none}body{font-size:11pt}a{color:#000;"
    "text-decoration:none}.receipt{border:0;padding:0;margin:0}}\n"
    "@page{margin:4mm}\n";

const char web_js[] =
    "/* sws: the print button (the only script; pages work without it) */\n"
    "document.addEventListener('DOMContentLoaded',function(){\n"
    "  var b=document.querySelectorAll('[data-print]');\n"
    "  for(var i=0;i<b.length;i++){b[i].hidden=false;\n"
    "    b[i].addEventListener('click',function(){window.print();});}\n"
    "});\n";

void web_nav_link(struct web_req *r, const char *zHref, const char *zText,
                  const char *zKey)
{
  const char *zPath = r->req->zPath;
  int bHere = strcmp(zPath, zHref) == 0;
  html_printf(r, "<a href=\"%h\"", zHref);
  if (bHere)
    html_raw(r, " aria-current=\"page\"");
  if (zKey)
    html_printf(r, " accesskey=\"%h\"", zKey);
  html_printf(r, ">%h</a>", zText);
}

void web_header(struct web_req *r, const char *zTitle)
{
  html_printf(r,
              "<!DOCTYPE html>\n<html lang=\"%h\"><head><meta "
              "charset=\"utf-8\">\n<meta name=\"viewport\" "
              "content=\"width=device-width, initial-scale=1\">\n"
              "<title>%h - sws</title>\n<link rel=\"stylesheet\" "
              "href=\"/static/sws.css\">\n<script src=\"/static/sws.js\" "
              "defer></script>\n</head><body>\n"
              "<a class=\"skip\" href=\"#main\">%h</a>\n"
              "<header class=\"bar\"><span class=\"brand\">sws</span>\n",
              r->zLang, zTitle, _(r, "Skip to the page"));
  if (r->bAuth) {
    r->site->nav(r);
    html_printf(r, "<span class=\"who\">%h (%h)</span>\n",
                r->user.zName[0] ? r->user.zName : r->user.zLogin,
                r->site->role_label(r));
    /* the other languages, each named in itself */
    web_form_open(r, "/language", NULL);
    for (int i = 0; web_langs[i].zCode; i++)
      if (strcmp(r->zLang, web_langs[i].zCode) != 0)
        html_printf(r,
                    "<button class=\"secondary\" name=\"lang\" "
                    "value=\"%h\" lang=\"%h\">%h</button>",
                    web_langs[i].zCode, web_langs[i].zCode, web_langs[i].zName);
    html_printf(r, "</form>\n");
    web_form_open(r, "/logout", NULL);
    html_printf(r, "<button class=\"secondary\">%h</button></form>\n",
                _(r, "Log out"));
  }
  html_printf(r, "</header>\n<main id=\"main\">\n<h1>%h</h1>\n", zTitle);
}

void web_office_nav(struct web_req *r)
{
  int role = r->user.role;
  web_nav_link(r, "/", _(r, "Home"), "h");
  if (cases_permit_allows(role, CAP_DESK)) {
    web_nav_link(r, "/register", _(r, "Register"), "r");
    web_nav_link(r, "/grievances", _(r, "Grievances"), "g");
  }
  if (cases_permit_allows(role, CAP_CASE)) {
    web_nav_link(r, "/caseload", _(r, "Caseload"), "c");
    web_nav_link(r, "/reports", _(r, "Reports"), NULL);
  }
  if (cases_permit_allows(role, CAP_REVIEW))
    web_nav_link(r, "/review", _(r, "Review"), NULL);
  if (cases_permit_allows(role, CAP_SYNC))
    web_nav_link(r, "/sync", _(r, "Sync"), NULL);
  if (cases_permit_allows(role, CAP_DESK) && strcmp(r->req->zPath, "/") != 0)
    html_printf(r,
                "<form method=\"get\" action=\"/search\" role=\"search\">"
                "<input type=\"search\" name=\"q\" aria-label=\"%h\" "
                "placeholder=\"%h\" accesskey=\"s\"></form>\n",
                _(r, "Search"), _(r, "Name, number, ID, phone"));
}

const char *web_office_role_label(const struct web_req *r)
{
  return web_role_label(r, r->user.role);
}

void web_footer(struct web_req *r)
{
  html_printf(r, "</main>\n<footer>%h</footer>\n</body></html>\n",
              _(r, "Single Window Service - one office, one registry"));
}

int web_message_page(struct web_req *r, int status, const char *zTitle,
                     const char *zMessage)
{
  r->status = status;
  web_header(r, _(r, zTitle));
  web_notice(r, status >= 400 ? "error" : "ok", _(r, zMessage));
  html_printf(r, "<p><a href=\"/\">%h</a></p>\n", _(r, "Back to the start"));
  web_footer(r);
  return 0;
}

void web_notice(struct web_req *r, const char *zClass, const char *zText)
{
  html_printf(r, "<div class=\"notice %h\" role=\"%h\">%h</div>\n", zClass,
              strcmp(zClass, "error") == 0 ? "alert" : "status", zText);
}

void web_tag(struct web_req *r, const char *zClass, const char *zText)
{
  html_printf(r, " <span class=\"tag %h\">%h</span>", zClass, zText);
}

void web_error_notice(struct web_req *r, const struct sws_err *err)
{
  switch (err->code) {
  case SWS_EINVAL:
  case SWS_ENOTFOUND:
  case SWS_ECONFLICT:
  case SWS_EDUP:
  case SWS_ETOOBIG:
  case SWS_EPERM:
  case SWS_EIO: /* a device: "the receipt printer cannot be opened" */
    web_notice(r, "error", err->msg);
    break;
  default:
    web_notice(r, "error",
               _(r, "The server could not save this. Nothing was changed. "
                    "Try again; if it happens again, tell the "
                    "supervisor."));
  }
}

void web_form_open(struct web_req *r, const char *zAction,
                   const char *zClass)
{
  html_printf(r,
              "<form method=\"post\" action=\"%h\" class=\"%h\">"
              "<input type=\"hidden\" name=\"csrf\" value=\"%h\">\n",
              zAction, zClass ? zClass : "", r->zCsrf);
}

static const char *const ROLE_LABEL[] = {
    NULL, N_("front desk"), N_("case manager"), N_("supervisor"),
    N_("administrator"),
};

const char *web_role_label(const struct web_req *r, int role)
{
  if (role < ROLE_FRONT_DESK || role > ROLE_ADMIN)
    return "";
  return _(r, ROLE_LABEL[role]);
}

static const char *const REL_LABEL[] = {
    NULL,
    N_("head"),
    N_("spouse"),
    N_("child"),
    N_("parent"),
    N_("sibling"),
    N_("grandchild"),
    N_("grandparent"),
    N_("other relative"),
    N_("not related"),
};

const char *web_relationship_label(const struct web_req *r, int rel)
{
  if (rel < 1 || rel > REL_NON_RELATIVE)
    return "";
  return _(r, REL_LABEL[rel]);
}

void web_area_label(struct web_req *r, const char *zCode)
{
  struct area a, parent;
  if (cases_area_get(r->ctx, zCode, &a, NULL) != 0) {
    html_printf(r, "%h", zCode);
    return;
  }
  html_printf(r, "%h", a.zName);
  if (a.zParent[0] && cases_area_get(r->ctx, a.zParent, &parent, NULL) == 0)
    html_printf(r, ", %h", parent.zName);
  if (a.zLatin[0] && strcmp(a.zLatin, a.zName) != 0)
    html_printf(r, " <span class=\"muted\" lang=\"en\">(%h)</span>",
                a.zLatin);
}

struct village_ctx {
  struct web_req *r;
  const char *zSelected;
};

static int village_option(const struct area *a, void *arg)
{
  struct village_ctx *v = arg;
  html_printf(v->r, "<option value=\"%h\"%h>%h%h%h%h %h</option>\n",
              a->zCode,
              v->zSelected && strcmp(v->zSelected, a->zCode) == 0
                  ? " selected"
                  : "",
              a->zName, a->zLatin[0] ? " (" : "", a->zLatin,
              a->zLatin[0] ? ")" : "", a->zCode);
  return 0;
}

void web_village_select(struct web_req *r, const char *zName,
                        const char *zSelected)
{
  struct village_ctx v = {r, zSelected};
  html_printf(r, "<select name=\"%h\" id=\"%h\" required>\n<option "
                 "value=\"\">%h</option>\n",
              zName, zName, _(r, "(choose the village)"));
  cases_area_list(r->ctx, AREA_VILLAGE, village_option, &v, NULL);
  html_raw(r, "</select>\n");
}
