#include "runtime/arena_allocator/arena_allocator.h"

namespace ember::rt {
namespace {

// The 16-byte aligned part of [p, p + bytes): its start, and its size (0 when none).
uint8_t* AlignedBlock(uint8_t* p, size_t bytes, size_t* aligned_bytes) {
  *aligned_bytes = 0;
  if (p == nullptr) return nullptr;
  uintptr_t start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned_start = AlignUp(start, kArenaAlignment);
  uintptr_t end = (start + bytes) / kArenaAlignment * kArenaAlignment;
  if (end <= aligned_start) return nullptr;
  *aligned_bytes = end - aligned_start;
  return reinterpret_cast<uint8_t*>(aligned_start);
}

}  // namespace

ArenaAllocator::ArenaAllocator(uint8_t* arena, size_t bytes) {
  size_t capacity = 0;
  uint8_t* base = AlignedBlock(arena, bytes, &capacity);
  if (base == nullptr) return;  // capacity 0: every allocation fails cleanly
  base_ = base;
  capacity_ = capacity;
  tail_end_ = base_ + capacity_;
}

ArenaAllocator::ArenaAllocator(uint8_t* arena, size_t bytes, uint8_t* persistent,
                               size_t persistent_bytes) {
  split_ = true;  // even when unusable (capacity 0), for the caller's messages
  size_t capacity = 0, tail_capacity = 0;
  uint8_t* base = AlignedBlock(arena, bytes, &capacity);
  uint8_t* tail_base = AlignedBlock(persistent, persistent_bytes, &tail_capacity);
  if (base == nullptr || tail_base == nullptr) return;
  if (base < tail_base + tail_capacity && tail_base < base + capacity) return;  // overlap
  base_ = base;
  capacity_ = capacity;
  tail_end_ = tail_base + tail_capacity;
  tail_capacity_ = tail_capacity;
}

void ArenaAllocator::NoteUse() {
  size_t used = temp_end_ + (split_ ? 0 : tail_size_);
  if (used > high_water_) high_water_ = used;
  if (tail_size_ > tail_high_water_) tail_high_water_ = tail_size_;
}

void ArenaAllocator::Fail(size_t requested, bool tail) {
  failure_.requested = requested;
  failure_.persistent_block = split_ && tail;
  // What would have been used counts towards the smallest working arena too.
  if (failure_.persistent_block) {
    failure_.available = tail_capacity_ - tail_size_;
    failure_.needed_total = AlignUp(tail_size_ + requested, kArenaAlignment);
    if (tail_size_ + requested > tail_high_water_) tail_high_water_ = tail_size_ + requested;
    return;
  }
  failure_.available = free_bytes();
  const size_t would_use = temp_end_ + (split_ ? 0 : tail_size_) + requested;
  failure_.needed_total = AlignUp(would_use, kArenaAlignment);
  if (would_use > high_water_) high_water_ = would_use;
}

uint8_t* ArenaAllocator::AllocatePersistent(size_t bytes, size_t alignment) {
  // The tail end is aligned to 16, so aligning the size keeps each block aligned.
  size_t new_tail = AlignUp(tail_size_ + bytes, alignment);
  size_t grow = new_tail - tail_size_;
  if (split_ ? new_tail > tail_capacity_ : temp_end_ + new_tail > capacity_) {
    Fail(grow, /*tail=*/true);
    return nullptr;
  }
  tail_size_ = new_tail;
  NoteUse();
  return tail_end_ - tail_size_;
}

uint8_t* ArenaAllocator::AllocateTemp(size_t bytes, size_t alignment) {
  size_t start = AlignUp(temp_end_, alignment);
  size_t grow = start + bytes - temp_end_;
  if (start + bytes + (split_ ? 0 : tail_size_) > capacity_) {
    Fail(grow, /*tail=*/false);
    return nullptr;
  }
  temp_end_ = start + bytes;
  NoteUse();
  return base_ + start;
}

EmberStatus ArenaAllocator::CommitHead(size_t bytes) {
  if (temp_end_ != head_size_) return kEmberError;  // temporaries still live
  size_t head = AlignUp(bytes, kArenaAlignment);
  if (head <= head_size_) return kEmberOk;
  if (head + (split_ ? 0 : tail_size_) > capacity_) {
    Fail(head - head_size_, /*tail=*/false);
    return kEmberError;
  }
  head_size_ = head;
  temp_end_ = head;
  NoteUse();
  return kEmberOk;
}

}  // namespace ember::rt
