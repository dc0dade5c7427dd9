/* FNV-1a (32-bit) over a byte range: the checksum of each op's output tensor in the per-op
 * event list. Shared by the firmware (bare metal, C) and the host golden runner, so both
 * sides compute the very same function. Offset basis 2166136261, prime 16777619 (the
 * published FNV parameters). Not cryptographic: it only has to catch any changed byte. */
#ifndef EMBER_BENCH_CHECKSUM_H_
#define EMBER_BENCH_CHECKSUM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EMBER_FNV1A_INIT 2166136261u

/* Continues a checksum over more bytes (several output tensors of one op in order). */
static inline uint32_t EmberFnv1aUpdate(uint32_t h, const void* data, size_t bytes) {
  const uint8_t* p = (const uint8_t*)data;
  for (size_t i = 0; i < bytes; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

static inline uint32_t EmberFnv1a(const void* data, size_t bytes) {
  return EmberFnv1aUpdate(EMBER_FNV1A_INIT, data, bytes);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EMBER_BENCH_CHECKSUM_H_ */
