// The memory planners' common input and output: one buffer (a tensor or a scratch
// buffer) with its size and lifetime in op indices, and the offset the planner gives it
// inside the nonpersistent head of the arena.
//
// Two buffers conflict when their lifetimes [first_op, last_op] intersect; a valid plan
// never places conflicting buffers at overlapping byte ranges.
#ifndef EMBER_RUNTIME_MEMORY_PLANNER_PLANNER_BUFFER_H_
#define EMBER_RUNTIME_MEMORY_PLANNER_PLANNER_BUFFER_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::rt {

inline constexpr int32_t kOnlinePlanned = -1;

// 12 bytes: the planner's working array lives in the arena's temporaries, which count
// towards the smallest working arena (models have at most 32767 ops).
struct PlannerBuffer {
  uint32_t size;     // bytes (the planners round it up to their alignment)
  int16_t first_op;  // first op index that uses the buffer
  int16_t last_op;   // last op index that uses it (>= first_op)
  int32_t offset;    // input: fixed offline offset or kOnlinePlanned; output: offset
};

inline bool LifetimesOverlap(const PlannerBuffer& a, const PlannerBuffer& b) {
  return a.first_op <= b.last_op && b.first_op <= a.last_op;
}

inline bool BytesOverlap(const PlannerBuffer& a, const PlannerBuffer& b) {
  return a.size > 0 && b.size > 0 && a.offset < b.offset + static_cast<int32_t>(b.size) &&
         b.offset < a.offset + static_cast<int32_t>(a.size);
}

// Checks a finished plan: every offset >= 0 and no two buffers with overlapping
// lifetimes overlap in bytes. On failure stores the indices of the first conflicting
// pair in *a and *b (when non-null). O(n^2).
[[nodiscard]] EmberStatus VerifyPlan(const PlannerBuffer* buffers, size_t count, size_t* a,
                                     size_t* b);

// Bytes the plan needs: max over buffers of offset + size.
size_t PlanSize(const PlannerBuffer* buffers, size_t count);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MEMORY_PLANNER_PLANNER_BUFFER_H_
