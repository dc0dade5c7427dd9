#include "runtime/memory_planner/greedy_planner.h"

#include "runtime/arena_allocator/arena_allocator.h"

namespace ember::rt {
namespace {

// True when buffer x should be placed before buffer y (larger first, then lower index).
bool PlacedBefore(const PlannerBuffer* buffers, uint16_t x, uint16_t y) {
  if (buffers[x].size != buffers[y].size) return buffers[x].size > buffers[y].size;
  return x < y;
}

// Inserts `index` into `placed` (length n) keeping it sorted by offset.
void InsertByOffset(const PlannerBuffer* buffers, uint16_t* placed, size_t n, uint16_t index) {
  size_t pos = n;
  while (pos > 0 && buffers[placed[pos - 1]].offset > buffers[index].offset) {
    placed[pos] = placed[pos - 1];
    --pos;
  }
  placed[pos] = index;
}

}  // namespace

EmberStatus GreedyPlan(PlannerBuffer* buffers, size_t count, size_t alignment, uint16_t* scratch,
                       size_t* a, size_t* b) {
  if (count > 0xFFFF) return kEmberError;
  uint16_t* order = scratch;           // online buffers, sorted for placement
  uint16_t* placed = scratch + count;  // placed buffers, sorted by offset
  size_t num_placed = 0;
  size_t num_online = 0;

  // 1. Fixed buffers first; they must not conflict with each other.
  for (size_t i = 0; i < count; ++i) {
    if (buffers[i].offset == kOnlinePlanned) {
      order[num_online++] = static_cast<uint16_t>(i);
      continue;
    }
    for (size_t k = 0; k < num_placed; ++k) {
      const PlannerBuffer& other = buffers[placed[k]];
      if (LifetimesOverlap(buffers[i], other) && BytesOverlap(buffers[i], other)) {
        if (a != nullptr) *a = placed[k];
        if (b != nullptr) *b = i;
        return kEmberError;
      }
    }
    InsertByOffset(buffers, placed, num_placed++, static_cast<uint16_t>(i));
  }

  // 2. Sort the online buffers by decreasing size (insertion sort: n is small).
  for (size_t i = 1; i < num_online; ++i) {
    uint16_t key = order[i];
    size_t j = i;
    while (j > 0 && PlacedBefore(buffers, key, order[j - 1])) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = key;
  }

  // 3. First fit among the placed buffers whose lifetimes overlap.
  for (size_t n = 0; n < num_online; ++n) {
    PlannerBuffer& buffer = buffers[order[n]];
    size_t size = AlignUp(buffer.size, alignment);
    size_t candidate = 0;
    for (size_t k = 0; k < num_placed; ++k) {
      const PlannerBuffer& other = buffers[placed[k]];
      if (other.size == 0 || !LifetimesOverlap(buffer, other)) continue;
      size_t other_start = static_cast<size_t>(other.offset);
      if (size > 0 && other_start >= candidate + size) break;  // the gap fits
      size_t other_end = AlignUp(other_start + other.size, alignment);
      if (other_end > candidate) candidate = other_end;
    }
    if (candidate + size > INT32_MAX) return kEmberError;
    buffer.offset = static_cast<int32_t>(candidate);
    InsertByOffset(buffers, placed, num_placed++, order[n]);
  }
  return kEmberOk;
}

}  // namespace ember::rt
