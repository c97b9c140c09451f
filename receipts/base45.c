/*
 * base45.c - base45 encoding and strict decoding (see base45.h).
 */
#include "receipts/base45.h"

static const char ALPHABET[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of a base45 character, or -1. Indexed by unsigned char so a byte
 * over 127 cannot index outside the alphabet. */
static int value_of(unsigned char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  switch (c) {
  case ' ': return 36;
  case '$': return 37;
  case '%': return 38;
  case '*': return 39;
  case '+': return 40;
  case '-': return 41;
  case '.': return 42;
  case '/': return 43;
  case ':': return 44;
  }
  return -1;
}

size_t receipt_base45_len(size_t n)
{
  return n / 2 * 3 + (n % 2) * 2;
}

int receipt_base45_encode(char *out, size_t cap, const unsigned char *p,
                          size_t n)
{
  size_t need = receipt_base45_len(n), k = 0;
  if (cap == 0)
    return -1;
  if (need + 1 > cap || need > (size_t)0x7fffffff) {
    out[0] = '\0';
    return -1;
  }
  for (size_t i = 0; i + 1 < n; i += 2) {
    unsigned v = (unsigned)p[i] * 256u + p[i + 1];
    out[k++] = ALPHABET[v % 45];
    out[k++] = ALPHABET[v / 45 % 45];
    out[k++] = ALPHABET[v / 2025];
  }
  if (n % 2) {
    unsigned v = p[n - 1];
    out[k++] = ALPHABET[v % 45];
    out[k++] = ALPHABET[v / 45];
  }
  out[k] = '\0';
  return (int)k;
}

int receipt_base45_decode(unsigned char *out, size_t cap, const char *z,
                          size_t n)
{
  size_t k = 0;
  if (n % 3 == 1 || n / 3 * 2 + (n % 3 ? 1 : 0) > cap || n > 0x3fffffff)
    return -1;
  for (size_t i = 0; i < n; i += 3) {
    size_t left = n - i;
    int a = value_of((unsigned char)z[i]);
    int b = value_of((unsigned char)z[i + 1]);
    if (a < 0 || b < 0)
      return -1;
    if (left == 2) {
      unsigned v = (unsigned)a + (unsigned)b * 45u;
      if (v > 255)
        return -1;
      out[k++] = (unsigned char)v;
      break;
    }
    int c = value_of((unsigned char)z[i + 2]);
    if (c < 0)
      return -1;
    unsigned v = (unsigned)a + (unsigned)b * 45u + (unsigned)c * 2025u;
    if (v > 65535)
      return -1;
    out[k++] = (unsigned char)(v >> 8);
    out[k++] = (unsigned char)(v & 0xff);
  }
  return (int)k;
}
