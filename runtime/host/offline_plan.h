// Offline memory planning for `ember plan`: computes a model's nonpersistent memory plan
// with ember's runtime (all of ember's ops, greedy or linear planner) and writes a copy
// of the model carrying the plan as TensorFlow Lite Micro's "OfflineMemoryAllocation"
// metadata, which the runtime's greedy planner then uses instead of planning online.
//
// Metadata format (TFLM's): Model.metadata entry named "OfflineMemoryAllocation" whose
// buffer holds little-endian int32 words
//   [version = 0, subgraph index = 0, N = number of tensors, offset of tensor 0, ...,
//    offset of tensor N-1]
// where an offset is the tensor's byte offset in the nonpersistent arena and -1 means
// "plan this tensor online" (constant and variable tensors, and tensors no op uses).
// Scratch buffers requested by kernels are not tensors: the runtime still places them
// online, around the offline tensors.
#ifndef EMBER_RUNTIME_HOST_OFFLINE_PLAN_H_
#define EMBER_RUNTIME_HOST_OFFLINE_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/arena_usage.h"

namespace ember::rt::host {

inline constexpr const char* kOfflinePlanMetadataName = "OfflineMemoryAllocation";

struct OfflinePlan {
  std::vector<int32_t> offsets;  // one per tensor of subgraph 0, -1 = online
  ArenaUsage usage;              // of the run that produced the plan
};

// Runs AllocateTensors() on `model` (with a generous arena) and reads the plan.
// linear = the no-sharing baseline planner instead of greedy first-fit decreasing.
// On failure returns false with *error holding the runtime's messages.
bool ComputeOfflinePlan(const uint8_t* model, size_t bytes, bool linear, OfflinePlan* plan,
                        std::string* error);

// Writes a copy of `model` with `offsets` as its OfflineMemoryAllocation metadata
// (replacing an existing one). The original bytes are kept unchanged and 16-byte
// aligned behind a new root table that refers to them, so weights are not re-encoded.
bool AddOfflinePlanMetadata(const uint8_t* model, size_t bytes, const std::vector<int32_t>& offsets,
                            std::vector<uint8_t>* out, std::string* error);

}  // namespace ember::rt::host

#endif  // EMBER_RUNTIME_HOST_OFFLINE_PLAN_H_
