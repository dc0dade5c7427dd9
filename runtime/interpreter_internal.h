// Private helpers shared by the interpreter's .cc files (not a public header).
#ifndef EMBER_RUNTIME_INTERPRETER_INTERNAL_H_
#define EMBER_RUNTIME_INTERPRETER_INTERNAL_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::rt {

class Interpreter;

// First block of every interpreter's persistent tail. Invoke() checks it is intact, so
// that two interpreters wrongly given the same raw arena produce a clear error.
struct ArenaTag {
  uint32_t magic;
  const Interpreter* owner;
};
inline constexpr uint32_t kArenaTagMagic = 0x454D4252;  // "EMBR"

// Compact tensor views (Interpreter::SetTensorViews(TensorViews::kOnDemand)): what the
// interpreter keeps per tensor (20 bytes on a 32-bit target instead of a 36-byte
// EmberTensor); everything else is read in place from the model. Full views are
// materialized from it (ExpandTensor): stable ones for the model inputs/outputs, and a
// small pool for the tensors of the op being initialised, prepared or invoked.
struct TensorRecord {
  void* data;                  // model (constant), tail (variable), head (planned) or nullptr
  const int32_t* dims;         // in the model; dims[-1] = number of dims (vector length)
  const float* scales;         // in the model; nullptr when not quantized; scales[-1] = count
  const int64_t* zero_points;  // in the model, as many as scales
  uint8_t type;                // EmberType
  uint8_t element_size;        // bytes per element
  uint8_t flags;               // kTensorConstant | kTensorVariable
  int8_t quantized_dimension;  // per-channel axis (0 when per-tensor)
};
inline constexpr uint8_t kTensorConstant = 1;
inline constexpr uint8_t kTensorVariable = 2;

inline int32_t RecordNumDims(const TensorRecord& r) { return r.dims[-1]; }
inline uint32_t RecordBytes(const TensorRecord& r) {
  uint32_t count = 1;
  for (int32_t d = 0, n = RecordNumDims(r); d < n; ++d) count *= static_cast<uint32_t>(r.dims[d]);
  return count * r.element_size;
}
// Fills the whole view `t` from `r`.
void ExpandTensor(const TensorRecord& r, EmberTensor* t);

// Installs the kernel-facing callbacks of `ctx` (kernel_context.cc).
void InstallKernelContext(EmberContext* ctx, Interpreter* interpreter);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_INTERPRETER_INTERNAL_H_
