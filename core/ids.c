/*
 * ids.c - UUIDv7 and check characters (see ids.h).
 */
#include "ids.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "mem.h"

int sws_uuid_ok(const char *z, size_t n)
{
  if (z == NULL || n != SWS_UUID_LEN)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = z[i];
    int dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? ch != '-'
             : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
      return 0;
  }
  return 1;
}

void sws_uuid7(char out[SWS_UUID_LEN + 1])
{
  /* RFC 9562 UUIDv7: 48-bit ms timestamp, version 7, 12 bits rand_a used
   * as a counter within the same millisecond so ids stay ordered, variant,
   * 62 random bits. */
  static int64_t last_ms = -1;
  static unsigned counter;
  unsigned char b[16];
  int64_t ms = sws_now_ms();
  if (ms <= last_ms) {
    counter++;
    if (counter > 0xfff) { /* more than 4096 in one ms: borrow the next */
      last_ms++;
      counter = 0;
    }
    ms = last_ms;
  } else {
    last_ms = ms;
    randombytes_buf(&counter, sizeof counter);
    counter &= 0x3ff; /* leave room to count up */
  }
  randombytes_buf(b, sizeof b);
  for (int i = 0; i < 6; i++)
    b[i] = (unsigned char)((uint64_t)ms >> (8 * (5 - i)));
  b[6] = (unsigned char)(0x70 | ((counter >> 8) & 0x0f));
  b[7] = (unsigned char)(counter & 0xff);
  b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
  static const char hex[] = "0123456789abcdef";
  char *p = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *p++ = '-';
    *p++ = hex[b[i] >> 4];
    *p++ = hex[b[i] & 15];
  }
  *p = '\0';
}

static int alnum_value(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = toupper(c);
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return -1;
}

static const char ALNUM[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

char sws_check_char(const char *z)
{
  /* ISO/IEC 7064 pure system MOD 37-2: weights are powers of 2 modulo the
   * prime 37, so any single change and any swap of neighbours (the check
   * character included) changes the sum. The 37th value is '*'; numbers
   * whose check would be '*' are never issued (sws_number_issuable). */
  int p = 0;
  for (; *z; z++) {
    int v = alnum_value((unsigned char)*z);
    if (v < 0)
      continue;
    p = ((p + v) * 2) % 37;
  }
  int c = (38 - p) % 37;
  return c == 36 ? '*' : ALNUM[c];
}

int sws_number_issuable(const char *zPrefix, int64_t seq)
{
  char z[SWS_NUMBER_MAX];
  return sws_number_format(z, sizeof z, zPrefix, seq) == 0 &&
         z[strlen(z) - 1] != '*';
}

int sws_number_format(char *out, size_t n, const char *zPrefix, int64_t seq)
{
  char body[SWS_NUMBER_MAX];
  int k = snprintf(body, sizeof body, "%s-%06lld", zPrefix, (long long)seq);
  if (k < 0 || (size_t)k >= sizeof body)
    return -1;
  k = snprintf(out, n, "%s-%c", body, sws_check_char(body));
  return (k < 0 || (size_t)k >= n) ? -1 : 0;
}

static int all_digits(const char *z)
{
  if (*z == '\0')
    return 0;
  for (; *z; z++)
    if (*z < '0' || *z > '9')
      return 0;
  return 1;
}

enum sws_number_status sws_number_parse(const char *z, struct sws_number *out)
{
  char tmp[SWS_NUMBER_MAX];
  size_t len;
  memset(out, 0, sizeof *out);
  while (*z == ' ' || *z == '\t')
    z++;
  len = strlen(z);
  while (len > 0 && (z[len - 1] == ' ' || z[len - 1] == '\t' ||
                     z[len - 1] == '\n' || z[len - 1] == '\r'))
    len--;
  if (len == 0 || len >= sizeof tmp)
    return SWS_NUMBER_MALFORMED;
  for (size_t i = 0; i < len; i++) {
    int c = (unsigned char)z[i];
    if (c != '-' && alnum_value(c) < 0)
      return SWS_NUMBER_MALFORMED;
    tmp[i] = (char)toupper(c);
  }
  tmp[len] = '\0';
  /* PREFIX-SEQ-C or PREFIX-SEQ; PREFIX starts with a letter. */
  char *last = strrchr(tmp, '-');
  if (last == NULL || last == tmp)
    return SWS_NUMBER_MALFORMED;
  char *seqp, *chk = NULL;
  *last = '\0';
  char *prev = strrchr(tmp, '-');
  if (strlen(last + 1) == 1 && prev != NULL && all_digits(prev + 1)) {
    chk = last + 1;
    *prev = '\0';
    seqp = prev + 1;
  } else {
    seqp = last + 1;
  }
  size_t nseq = strlen(seqp);
  if (nseq < 1 || nseq > 12 || !all_digits(seqp))
    return SWS_NUMBER_MALFORMED;
  int64_t seq = 0;
  for (size_t i = 0; i < nseq; i++)
    seq = seq * 10 + (seqp[i] - '0');
  if (!(tmp[0] >= 'A' && tmp[0] <= 'Z') || tmp[strlen(tmp) - 1] == '-' ||
      strstr(tmp, "--"))
    return SWS_NUMBER_MALFORMED;
  sws_strlcpy(out->zPrefix, tmp, sizeof out->zPrefix);
  out->seq = seq;
  out->nSeqDigits = (int)nseq;
  if (sws_number_format(out->zCanon, sizeof out->zCanon, tmp, seq) != 0)
    return SWS_NUMBER_MALFORMED;
  out->expect = out->zCanon[strlen(out->zCanon) - 1];
  if (chk == NULL)
    return SWS_NUMBER_NO_CHECK;
  out->check = chk[0];
  return out->check == out->expect ? SWS_NUMBER_OK : SWS_NUMBER_BAD_CHECK;
}
