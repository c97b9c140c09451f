/*
 * fuzz_receipt.c - libFuzzer target: receipt payloads as a scanner types
 * them (receipts/payload.c). A payload that parses must give a record
 * that encodes back to exactly the signed bytes, and its number (if any)
 * must be a well-formed number; the record decoder is also fed raw bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "receipts/payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct receipt_parsed p;
  struct receipt_record r;
  unsigned char b[RECEIPT_RECORD_MAX];
  char z[512], zNum[SWS_NUMBER_MAX];
  size_t n;
  if (size >= sizeof z)
    return 0;
  memcpy(z, data, size);
  z[size] = '\0';
  receipt_payload_looks_like(z);
  if (receipt_payload_parse(&p, z, NULL) == 0) {
    if (receipt_record_encode(&p.rec, b, &n, NULL) != 0 ||
        n + RECEIPT_PREFIX_LEN != p.nMsg ||
        memcmp(b, p.msg + RECEIPT_PREFIX_LEN, n) != 0)
      abort();
    if (receipt_record_number(&p.rec, zNum, sizeof zNum) == 0) {
      struct sws_number num;
      if (sws_number_parse(zNum, &num) != SWS_NUMBER_OK)
        abort();
    }
  }
  if (receipt_record_decode(&r, data, size, NULL) == 0) {
    if (receipt_record_encode(&r, b, &n, NULL) != 0 || n != size ||
        memcmp(b, data, size) != 0)
      abort();
  }
  return 0;
}
