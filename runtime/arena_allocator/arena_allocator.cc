#include "runtime/arena_allocator/arena_allocator.h"

namespace ember::rt {

ArenaAllocator::ArenaAllocator(uint8_t* arena, size_t bytes) {
  if (arena == nullptr) return;  // capacity 0: every allocation fails cleanly
  uintptr_t start = reinterpret_cast<uintptr_t>(arena);
  uintptr_t aligned_start = AlignUp(start, kArenaAlignment);
  uintptr_t end = (start + bytes) / kArenaAlignment * kArenaAlignment;
  if (end <= aligned_start) return;
  base_ = reinterpret_cast<uint8_t*>(aligned_start);
  capacity_ = end - aligned_start;
}

void ArenaAllocator::NoteUse() {
  size_t used = temp_end_ + tail_size_;
  if (used > high_water_) high_water_ = used;
}

void ArenaAllocator::Fail(size_t requested) {
  failure_.requested = requested;
  failure_.available = free_bytes();
  failure_.needed_total = AlignUp(temp_end_ + tail_size_ + requested, kArenaAlignment);
  // What would have been used counts towards the smallest working arena too.
  if (temp_end_ + tail_size_ + requested > high_water_) {
    high_water_ = temp_end_ + tail_size_ + requested;
  }
}

uint8_t* ArenaAllocator::AllocatePersistent(size_t bytes, size_t alignment) {
  // The tail end is aligned to 16, so aligning the size keeps each block aligned.
  size_t new_tail = AlignUp(tail_size_ + bytes, alignment);
  size_t grow = new_tail - tail_size_;
  if (temp_end_ + new_tail > capacity_) {
    Fail(grow);
    return nullptr;
  }
  tail_size_ = new_tail;
  NoteUse();
  return base_ + capacity_ - tail_size_;
}

uint8_t* ArenaAllocator::AllocateTemp(size_t bytes, size_t alignment) {
  size_t start = AlignUp(temp_end_, alignment);
  size_t grow = start + bytes - temp_end_;
  if (start + bytes + tail_size_ > capacity_) {
    Fail(grow);
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
  if (head + tail_size_ > capacity_) {
    Fail(head - head_size_);
    return kEmberError;
  }
  head_size_ = head;
  temp_end_ = head;
  NoteUse();
  return kEmberOk;
}

}  // namespace ember::rt
