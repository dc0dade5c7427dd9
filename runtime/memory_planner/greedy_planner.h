// Greedy first-fit-decreasing memory planner.
//
// Algorithm (the one the TFLM paper describes):
//   1. Buffers with a fixed (offline-planned) offset are placed first, as given.
//   2. The remaining buffers are taken in order of decreasing size (ties: lower index
//      first, so the plan is deterministic).
//   3. Each one goes at the lowest offset where it fits: walk the already placed
//      buffers whose lifetimes overlap its own, in increasing offset order, and take the
//      first gap between them (starting at 0) at least as large as the buffer.
// Every size and offset is a multiple of `alignment`. Buffers that are never live at
// the same time can share bytes; the result is at most the linear plan's size.
// Cost: O(n^2) time; working memory: 2 * count uint16_t indices supplied by the caller
// (from the arena's temporaries), so planning allocates nothing itself.
#ifndef EMBER_RUNTIME_MEMORY_PLANNER_GREEDY_PLANNER_H_
#define EMBER_RUNTIME_MEMORY_PLANNER_GREEDY_PLANNER_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/memory_planner/planner_buffer.h"

namespace ember::rt {

// Working memory GreedyPlan needs for `count` buffers.
constexpr size_t GreedyPlanScratchBytes(size_t count) { return 2 * count * sizeof(uint16_t); }

// Plans buffers in place (sets every offset). count <= 65535. Fixed offsets must
// already be multiples of `alignment`. Fails when two fixed buffers conflict (their
// indices are stored in *a, *b) or when the plan exceeds INT32_MAX bytes.
[[nodiscard]] EmberStatus GreedyPlan(PlannerBuffer* buffers, size_t count, size_t alignment,
                                     uint16_t* scratch, size_t* a, size_t* b);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MEMORY_PLANNER_GREEDY_PLANNER_H_
