/*
 * fuzz_form.c - libFuzzer target: form bodies and query strings
 * (core/form.c). Whatever decodes must be sane (non-empty valid UTF-8 names
 * without control characters, valid UTF-8 values, no NUL inside) and must
 * survive a round trip: encoded again and decoded, the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/form.h"
#include "core/text.h"

static void encode(struct buf *b, const char *z, size_t n)
{
  static const char HEX[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      buf_putc(b, c);
    } else if (c == ' ') {
      buf_putc(b, '+');
    } else {
      buf_putc(b, '%');
      buf_putc(b, HEX[c >> 4]);
      buf_putc(b, HEX[c & 15]);
    }
  }
}

static void check(const struct form *f)
{
  for (int i = 0; i < f->n; i++) {
    const struct form_field *x = &f->a[i];
    size_t nn = strlen(x->zName);
    if (nn == 0 || !sws_utf8_valid(x->zName, nn))
      abort();
    for (size_t k = 0; k < nn; k++)
      if ((unsigned char)x->zName[k] < 0x20 || x->zName[k] == 0x7f)
        abort();
    if (strlen(x->zValue) != x->nValue ||
        !sws_utf8_valid(x->zValue, x->nValue))
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct form f = FORM_INIT, g = FORM_INIT;
  struct form_limits small = {4, 8, 16, 256};
  const char *z = (const char *)data;

  if (form_parse(&f, z, size, &small, NULL) == 0)
    check(&f);
  form_release(&f);
  if (form_parse(&f, z, size, NULL, NULL) == 0) {
    check(&f);
    struct buf b;
    buf_init(&b, (size_t)16 << 20);
    for (int i = 0; i < f.n; i++) {
      if (i)
        buf_putc(&b, '&');
      encode(&b, f.a[i].zName, strlen(f.a[i].zName));
      buf_putc(&b, '=');
      encode(&b, f.a[i].zValue, f.a[i].nValue);
    }
    struct form_limits big = {0, (size_t)1 << 20, (size_t)1 << 20,
                              (size_t)16 << 20};
    if (form_parse(&g, b.z ? b.z : "", b.n, &big, NULL) != 0 || g.n != f.n)
      abort();
    for (int i = 0; i < f.n; i++)
      if (strcmp(f.a[i].zName, g.a[i].zName) != 0 ||
          f.a[i].nValue != g.a[i].nValue ||
          memcmp(f.a[i].zValue, g.a[i].zValue, f.a[i].nValue) != 0)
        abort();
    buf_release(&b);
  }
  form_release(&f);
  form_release(&g);
  char out[64];
  long r = form_unescape(out, sizeof out, z, size, size & 1);
  if (r > (long)sizeof out - 1)
    abort();
  return 0;
}
