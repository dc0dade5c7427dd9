// The arena: all memory the runtime and the kernels use, in one caller-supplied block.
//
// Two stacks grow towards each other (the layout of the TFLM paper):
//
//   base (aligned up to 16)                                        end (aligned down to 16)
//   |  head: nonpersistent   | temporaries ->  |   free   | <- tail: persistent          |
//   |  planned tensor data   | (during prepare |          | tensor metadata, op data,    |
//   |  + scratch buffers     |  and planning)  |          | params, variable tensors     |
//   0                    head_size        temp_end   capacity - tail_size            capacity
//
// - The tail (persistent) is allocated downwards from the end and never freed: what
//   lives as long as the interpreter.
// - Temporaries are a stack starting at the head's end, used while the model is being
//   prepared (scratch-buffer requests, the memory planner's working arrays) and all
//   released together (ResetTemp) before the head is committed.
// - The head (nonpersistent) is the planned region: tensors whose lifetimes do not
//   overlap share bytes. Only Invoke() writes it. CommitHead() grows it to the largest
//   size any tenant needs (several interpreters may share one allocator: see
//   runtime/multi_tenant_arena.h).
// The stacks may never cross: a failing allocation returns nullptr and records the bytes
// needed and available (failure()), for the caller to report with its context.
//
// The high-water mark is max over time of (head or temporaries end) + tail size: the
// smallest arena that works is that mark rounded up to kArenaAlignment, for an arena
// whose start is kArenaAlignment-aligned (the layout is then independent of the
// address, so exactly that size succeeds and one byte less fails).
//
// Split mode (two memory banks, e.g. the head in fast TCM and the tail in ordinary SRAM):
// the head and temporaries live in one block, the tail in another. Each block has its own
// capacity and high-water mark (minimal_arena_bytes() for the head block,
// minimal_persistent_bytes() for the tail block); nothing else changes.
#ifndef EMBER_RUNTIME_ARENA_ALLOCATOR_ARENA_ALLOCATOR_H_
#define EMBER_RUNTIME_ARENA_ALLOCATOR_ARENA_ALLOCATOR_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::rt {

inline constexpr size_t kArenaAlignment = 16;

constexpr size_t AlignUp(size_t value, size_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

class ArenaAllocator {
 public:
  // The failed request of the last allocation that returned nullptr.
  struct Failure {
    size_t requested = 0;     // bytes asked for (after alignment)
    size_t available = 0;     // bytes free between the stacks at that moment
    size_t needed_total = 0;  // arena size the allocation would have needed
    bool persistent_block = false;  // split mode: the tail block was too small
  };

  ArenaAllocator(uint8_t* arena, size_t bytes);
  // Split mode: head + temporaries in `arena`, the tail in `persistent` (two blocks that
  // must not overlap). Either block unusable (nullptr, too small, overlapping): capacity 0.
  ArenaAllocator(uint8_t* arena, size_t bytes, uint8_t* persistent, size_t persistent_bytes);
  ArenaAllocator(const ArenaAllocator&) = delete;
  ArenaAllocator& operator=(const ArenaAllocator&) = delete;

  // Persistent memory from the tail; alignment must be a power of two <= 16.
  uint8_t* AllocatePersistent(size_t bytes, size_t alignment);
  // Temporary memory above the head; released by ResetTemp().
  uint8_t* AllocateTemp(size_t bytes, size_t alignment);
  void ResetTemp() { temp_end_ = head_size_; }
  // Releases the temporaries allocated after the first temp_bytes (a stack pop).
  void ReleaseTempTo(size_t temp_bytes) {
    if (head_size_ + temp_bytes < temp_end_) temp_end_ = head_size_ + temp_bytes;
  }
  // Grows the nonpersistent head to at least `bytes` (rounded to kArenaAlignment).
  // Requires no live temporaries. Fails (recording failure()) when it would cross the tail.
  [[nodiscard]] EmberStatus CommitHead(size_t bytes);

  uint8_t* head() const { return base_; }
  size_t head_size() const { return head_size_; }
  size_t tail_size() const { return tail_size_; }
  size_t temp_size() const { return temp_end_ - head_size_; }
  size_t capacity() const { return capacity_; }
  size_t free_bytes() const { return capacity_ - temp_end_ - (split_ ? 0 : tail_size_); }
  size_t high_water() const { return high_water_; }
  // Smallest working arena; in split mode, of the head block.
  size_t minimal_arena_bytes() const { return AlignUp(high_water_, kArenaAlignment); }
  // Split mode: smallest working tail block (0 otherwise).
  size_t minimal_persistent_bytes() const {
    return split_ ? AlignUp(tail_high_water_, kArenaAlignment) : 0;
  }
  bool split() const { return split_; }
  size_t persistent_capacity() const { return split_ ? tail_capacity_ : 0; }
  const Failure& failure() const { return failure_; }
  // Lowest address of the tail (its most recent allocation).
  uint8_t* tail_bottom() const { return tail_end_ - tail_size_; }

 private:
  void NoteUse();
  void Fail(size_t requested, bool tail);

  uint8_t* base_ = nullptr;
  size_t capacity_ = 0;
  size_t head_size_ = 0;
  size_t temp_end_ = 0;
  size_t tail_size_ = 0;
  size_t high_water_ = 0;
  uint8_t* tail_end_ = nullptr;  // the tail grows down from here
  size_t tail_capacity_ = 0;     // split mode: bytes of the tail block
  size_t tail_high_water_ = 0;   // split mode
  bool split_ = false;
  Failure failure_;
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_ARENA_ALLOCATOR_ARENA_ALLOCATOR_H_
