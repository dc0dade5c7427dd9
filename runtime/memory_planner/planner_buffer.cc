#include "runtime/memory_planner/planner_buffer.h"

namespace ember::rt {

EmberStatus VerifyPlan(const PlannerBuffer* buffers, size_t count, size_t* a, size_t* b) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i; j < count; ++j) {
      bool bad = (i == j) ? buffers[i].offset < 0
                          : LifetimesOverlap(buffers[i], buffers[j]) &&
                                BytesOverlap(buffers[i], buffers[j]);
      if (bad) {
        if (a != nullptr) *a = i;
        if (b != nullptr) *b = j;
        return kEmberError;
      }
    }
  }
  return kEmberOk;
}

size_t PlanSize(const PlannerBuffer* buffers, size_t count) {
  size_t end = 0;
  for (size_t i = 0; i < count; ++i) {
    if (buffers[i].size == 0 || buffers[i].offset < 0) continue;
    size_t e = static_cast<size_t>(buffers[i].offset) + buffers[i].size;
    if (e > end) end = e;
  }
  return end;
}

}  // namespace ember::rt
