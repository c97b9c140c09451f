/*
 * html.c - writing pages: html_printf (whose %h escapes), URL encoding,
 * parameters, redirects (see web_int.h).
 */
#include <stdio.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

void html_escape(struct buf *b, const char *z)
{
  if (z == NULL)
    return;
  for (const char *p = z; *p; p++) {
    switch (*p) {
    case '&': buf_puts(b, "&amp;"); break;
    case '<': buf_puts(b, "&lt;"); break;
    case '>': buf_puts(b, "&gt;"); break;
    case '"': buf_puts(b, "&quot;"); break;
    case '\'': buf_puts(b, "&#39;"); break;
    default: buf_putc(b, *p); break;
    }
  }
}

/* Percent-encode everything but the unreserved characters (RFC 3986), so
 * the result is safe in a path, a query and an attribute. */
static void url_encode(struct buf *b, const char *z)
{
  static const char hex[] = "0123456789ABCDEF";
  if (z == NULL)
    return;
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
        (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
        *p == '~') {
      buf_putc(b, *p);
    } else {
      buf_putc(b, '%');
      buf_putc(b, hex[*p >> 4]);
      buf_putc(b, hex[*p & 15]);
    }
  }
}

void html_vprintf(struct buf *b, const char *zFmt, va_list ap)
{
  const char *p = zFmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (pct == NULL) {
      buf_puts(b, p);
      return;
    }
    buf_append(b, p, (size_t)(pct - p));
    p = pct + 1;
    switch (*p) {
    case 'h': html_escape(b, va_arg(ap, const char *)); p++; break;
    case 't': url_encode(b, va_arg(ap, const char *)); p++; break;
    case 'T': { /* a stored UTC time, shown in the office's time zone */
      char z[40];
      sws_time_local(z, sizeof z, va_arg(ap, const char *));
      html_escape(b, z);
      p++;
      break;
    }
    case 's': buf_puts(b, va_arg(ap, const char *)); p++; break;
    case 'd': buf_appendf(b, "%d", va_arg(ap, int)); p++; break;
    case 'c': {
      char z[2] = {(char)va_arg(ap, int), 0};
      html_escape(b, z);
      p++;
      break;
    }
    case '%': buf_putc(b, '%'); p++; break;
    case 'l':
      assert(p[1] == 'l' && p[2] == 'd');
      buf_appendf(b, "%lld", va_arg(ap, long long));
      p += 3;
      break;
    case 'z':
      assert(p[1] == 'u');
      buf_appendf(b, "%zu", va_arg(ap, size_t));
      p += 2;
      break;
    case '.':
      assert(p[1] >= '0' && p[1] <= '9' && p[2] == 'f');
      buf_appendf(b, "%.*f", p[1] - '0', va_arg(ap, double));
      p += 3;
      break;
    default:
      assert(!"unknown conversion in html_printf");
      return;
    }
  }
}

void html_printf(struct web_req *r, const char *zFmt, ...)
{
  va_list ap;
  va_start(ap, zFmt);
  html_vprintf(&r->out, zFmt, ap);
  va_end(ap);
}

void html_bprintf(struct buf *b, const char *zFmt, ...)
{
  va_list ap;
  va_start(ap, zFmt);
  html_vprintf(b, zFmt, ap);
  va_end(ap);
}

void html_raw(struct web_req *r, const char *zHtml)
{
  buf_puts(&r->out, zHtml);
}

int web_redirect(struct web_req *r, const char *zFmt, ...)
{
  struct buf loc;
  va_list ap;
  buf_init(&loc, 4096);
  va_start(ap, zFmt);
  html_vprintf(&loc, zFmt, ap);
  va_end(ap);
  /* only local paths: never "//host" or a scheme */
  const char *z = buf_str(&loc);
  if (z[0] != '/' || z[1] == '/' || z[1] == '\\' || loc.toobig)
    z = "/";
  http_resp_header(r->resp, "Location", z);
  r->status = 303;
  buf_reset(&r->out);
  buf_release(&loc);
  return 0;
}

const char *web_param(const struct web_req *r, const char *zName)
{
  return r->bPost ? form_get(&r->form, zName) : form_get(&r->query, zName);
}

const char *web_param_trim(struct web_req *r, const char *zName)
{
  const char *z = web_param(r, zName);
  if (z == NULL)
    return "";
  while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n')
    z++;
  /* trailing spaces: trimmed in place (the form owns the value) */
  char *e = (char *)z + strlen(z);
  while (e > z && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
                   e[-1] == '\n'))
    *--e = '\0';
  return z;
}
