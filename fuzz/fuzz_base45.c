/*
 * fuzz_base45.c - libFuzzer target: the base45 decoder
 * (receipts/base45.c). Text that decodes must be the canonical encoding
 * of what it decodes to (one text, one byte string); bytes always encode
 * and decode back to themselves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipts/base45.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  unsigned char out[4096], back[4096];
  char z[8192];
  if (size > 4096)
    return 0;
  int n = receipt_base45_decode(out, sizeof out, (const char *)data, size);
  if (n >= 0) {
    int k = receipt_base45_encode(z, sizeof z, out, (size_t)n);
    if (k < 0 || (size_t)k != size || memcmp(z, data, size) != 0)
      abort();
  }
  /* the input as bytes */
  int k = receipt_base45_encode(z, sizeof z, data, size);
  if (k < 0 || (size_t)k != receipt_base45_len(size))
    abort();
  n = receipt_base45_decode(back, sizeof back, z, (size_t)k);
  if (n < 0 || (size_t)n != size || memcmp(back, data, size) != 0)
    abort();
  /* a buffer one byte too small is refused, never overrun */
  if (size > 0 && receipt_base45_decode(back, size - 1, z, (size_t)k) >= 0)
    abort();
  return 0;
}
