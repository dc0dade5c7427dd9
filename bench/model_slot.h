/* The model slot: how the host hands a model and its inputs to the benchmark firmware.
 *
 * The firmware is model-independent. Its flash image ends at the linker symbol
 * __flash_used_end (boards/common/sections.ld); the slot starts at the next 16-byte
 * boundary and may use the rest of the board's flash. Before the first instruction runs,
 * the host writes (as a debugger flashing a part would) this header, the .tflite model
 * and the input tensor bytes there; the firmware reads them in place. A slot whose magic
 * is missing or whose version differs is reported by the firmware as an error.
 *
 * Layout (all fields little-endian, offsets from the start of the slot):
 *   EmberModelSlot header | padding | model (16-byte aligned) | input 0 | input 1 | ...
 */
#ifndef EMBER_BENCH_MODEL_SLOT_H_
#define EMBER_BENCH_MODEL_SLOT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EMBER_MODEL_SLOT_MAGIC 0x424d4245u /* "EBMB" */
#define EMBER_MODEL_SLOT_VERSION 2u /* 2: the kernel variant flag */
#define EMBER_MODEL_SLOT_MAX_INPUTS 8u
#define EMBER_MODEL_SLOT_ALIGN 16u

/* flags */
#define EMBER_MODEL_SLOT_CHECKSUMS 1u /* run the (untimed) per-op checksum pass */
/* Register the optimized kernel variant (kernels/all_ops_resolver.h KernelVariants::kOptimized:
 * the DSP-extension kernels on cores that have it, the reference kernels elsewhere) instead
 * of the reference kernels. The firmware reports which set it used ("@ember variant"). */
#define EMBER_MODEL_SLOT_OPTIMIZED 2u

typedef struct EmberModelSlotInput {
  uint32_t offset; /* from the start of the slot */
  uint32_t bytes;  /* must equal the input tensor's size */
} EmberModelSlotInput;

typedef struct EmberModelSlot {
  uint32_t magic;
  uint32_t version;
  uint32_t flags;
  uint32_t model_offset; /* multiple of EMBER_MODEL_SLOT_ALIGN */
  uint32_t model_bytes;
  uint32_t num_inputs; /* <= EMBER_MODEL_SLOT_MAX_INPUTS */
  EmberModelSlotInput inputs[EMBER_MODEL_SLOT_MAX_INPUTS];
} EmberModelSlot;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EMBER_BENCH_MODEL_SLOT_H_ */
