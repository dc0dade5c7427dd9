#include "runtime/memory_planner/linear_planner.h"

#include <stdint.h>

#include "runtime/arena_allocator/arena_allocator.h"

namespace ember::rt {

EmberStatus LinearPlan(PlannerBuffer* buffers, size_t count, size_t alignment) {
  size_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    if (offset > INT32_MAX) return kEmberError;
    buffers[i].offset = static_cast<int32_t>(offset);
    offset += AlignUp(buffers[i].size, alignment);
  }
  return offset > INT32_MAX ? kEmberError : kEmberOk;
}

}  // namespace ember::rt
