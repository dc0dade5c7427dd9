// Linear memory planner: the baseline. Every buffer gets its own bytes, one after the
// other in index order (offset = sum of the aligned sizes before it), so nothing is
// shared and the plan size is the sum of all sizes. Offline-planned offsets are not
// supported by this planner (it is a reference for the greedy planner's savings).
#ifndef EMBER_RUNTIME_MEMORY_PLANNER_LINEAR_PLANNER_H_
#define EMBER_RUNTIME_MEMORY_PLANNER_LINEAR_PLANNER_H_

#include <stddef.h>

#include "runtime/memory_planner/planner_buffer.h"

namespace ember::rt {

[[nodiscard]] EmberStatus LinearPlan(PlannerBuffer* buffers, size_t count, size_t alignment);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MEMORY_PLANNER_LINEAR_PLANNER_H_
