// Memory-system timing: wait states of slow memories (flash, XIP, slow buses) and what
// hides them (line buffers, sequential prefetch, instruction/data caches).
//
// Instruction fetch (FetchModel), per executed block, over the flash lines the block's
// instructions occupy (computed once per block, with the cycles the core spends in each):
//  - a line found in the line buffers (the last `buffers` lines fetched) or the I-cache
//    costs nothing;
//  - a missing line that starts a block entered by a taken branch stalls `wait_states`;
//  - a missing line reached sequentially stalls wait_states too without prefetch; with
//    prefetch its fetch started when the previous line arrived, so the stall is what the
//    core did not cover: max(0, wait_states + 1 - cycles spent in the previous line).
//    (A flash access takes wait_states + 1 cycles.)
// Data reads (DataModel) from a slow region: a hit in the data cache / line buffer costs
// nothing, a miss costs the region's read wait states. Writes cost the write wait states.
//
// Caches are set-associative with LRU replacement (TagArray).
#ifndef EMBER_SIM_TIMING_MEMORY_TIMING_H_
#define EMBER_SIM_TIMING_MEMORY_TIMING_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ember::sim::timing {

// Tags of a set-associative cache of whole lines; line numbers are address >> line_shift.
class TagArray {
 public:
  // lines == 0 disables the array (every Access misses and nothing is kept).
  void Configure(uint32_t lines, uint32_t ways);
  bool enabled() const { return !tags_.empty(); }
  // True on a hit. A miss allocates the line (LRU victim).
  bool Access(uint32_t line);
  // True if present; no state change.
  bool Contains(uint32_t line) const;
  // Lines allocated so far (misses), by every user of the array.
  uint64_t fills() const { return fills_; }

 private:
  uint32_t SetOf(uint32_t line) const { return set_mask_ != 0 ? line & set_mask_ : line % sets_; }

  uint32_t sets_ = 0;
  uint32_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two (> 1), else 0
  uint32_t ways_ = 0;
  std::vector<uint32_t> tags_;  // sets_ * ways_, line + 1 (0 = empty), most recent first
  uint64_t fills_ = 0;
};

struct FetchParams {
  uint32_t wait_states = 0;
  uint32_t line_bytes = 4;  // power of two
  bool prefetch = false;
  uint32_t buffers = 1;      // line buffers kept besides the cache (1..16)
  uint32_t cache_bytes = 0;  // 0 = no instruction cache; its lines are line_bytes wide
  uint32_t cache_ways = 1;
};

struct LineUse {
  uint32_t line;    // address >> line_shift
  uint32_t cycles;  // core cycles spent on instructions starting in this line
};

// Remembers one Fetch() of a block on a model without a cache: its result depends only on
// the line-buffer state, the previous block's last-line cycles and `sequential`, so when
// those repeat (a loop) the stall and the state after it are replayed instead of
// recomputed. Exact: the same numbers as Fetch().
struct FetchMemo {
  static constexpr uint32_t kBuffers = 4;  // models with more buffers are not memoized
  static constexpr uint32_t kEntries =
      2;  // e.g. a loop body entered from the loop and from before it
  // The line buffers (line + 1, oldest first, 0 = empty; up to kBuffers) packed as two
  // 64-bit words, so that an entry matches with three compares.
  struct Entry {
    uint32_t key = 0;           // 0: empty; else (prev_line_cycles << 2) | (sequential << 1) | 1
    bool all_resident = false;  // AllResident() after the fetch
    uint64_t in_lo = 0, in_hi = 0;
    uint64_t out_lo = 0, out_hi = 0;
    uint32_t out_prev_cycles = 0;
    uint32_t stall = 0;
    uint32_t misses = 0;
  };
  Entry entries[kEntries];
  uint32_t next = 0;  // entry replaced on a miss (round robin)
};

class FetchModel {
 public:
  void Configure(const FetchParams& params);
  uint32_t line_shift() const { return line_shift_; }
  uint32_t wait_states() const { return params_.wait_states; }
  // Stall cycles to fetch a block's lines; `sequential`: entered by falling through.
  uint32_t Fetch(const LineUse* lines, size_t count, bool sequential);
  // Fetch() followed by AllResident() (into *all_resident), replayed from `memo` when the
  // model has no cache and the state matches (see FetchMemo).
  uint32_t FetchMemoized(const LineUse* lines, size_t count, bool sequential, FetchMemo* memo,
                         bool* all_resident);
  // The replay half of FetchMemoized (inline for the cycle model's per-block path): true
  // and the results if `memo` holds the current state.
  bool Replay(const FetchMemo& memo, bool sequential, uint32_t* stall, bool* all_resident) {
    if (!memoizable_) return false;
    const uint32_t key = MemoKey(sequential);
    uint64_t lo, hi;
    std::memcpy(&lo, buffers_, 8);
    std::memcpy(&hi, buffers_ + 2, 8);
    for (const FetchMemo::Entry& e : memo.entries) {
      if (e.key != key || e.in_lo != lo || e.in_hi != hi) continue;
      std::memcpy(buffers_, &e.out_lo, 8);
      std::memcpy(buffers_ + 2, &e.out_hi, 8);
      prev_line_cycles_ = e.out_prev_cycles;
      misses_ += e.misses;
      *stall = e.stall;
      *all_resident = e.all_resident;
      return true;
    }
    return false;
  }
  // Fast path for a block fetched before: when no line was allocated since (`stamp` ==
  // misses()), all its lines are still resident and the fetch costs nothing. (The LRU order
  // is then not refreshed: a small approximation that keeps hot loops cheap to model.)
  // (A data model sharing the cache also fills it: its fills count too.)
  uint64_t misses() const { return misses_ + cache_.fills(); }
  // True if every line is in a line buffer or the cache right now (a block longer than the
  // buffers, or conflicting with itself in the cache, is not).
  bool AllResident(const LineUse* lines, size_t count) const;
  void NoteResidentFetch(uint32_t last_line_cycles) { prev_line_cycles_ = last_line_cycles; }
  TagArray* cache() { return &cache_; }

 private:
  bool InBuffers(uint32_t line) const;
  uint32_t MemoKey(bool sequential) const {
    return (prev_line_cycles_ << 2) | (sequential ? 2u : 0u) | 1u;
  }
  void Remember(uint32_t line);

  FetchParams params_;
  uint32_t line_shift_ = 2;
  TagArray cache_;
  static constexpr uint32_t kMaxBuffers = 16;
  // line + 1 (0 = empty), num_buffers_ of them, oldest first (FIFO replacement).
  uint32_t buffers_[kMaxBuffers] = {};
  uint32_t num_buffers_ = 1;
  bool memoizable_ = false;        // no cache and at most FetchMemo::kBuffers buffers
  uint32_t prev_line_cycles_ = 0;  // cycles spent in the last line of the previous block
  uint64_t misses_ = 0;            // lines allocated so far
};

struct DataParams {
  uint32_t read_wait_states = 0;
  uint32_t line_bytes = 0;   // 0 = no line buffer/cache: every read pays the wait states
  uint32_t cache_bytes = 0;  // lines kept = cache_bytes / line_bytes
  uint32_t cache_ways = 1;
  bool unified_with_fetch = false;  // use the region's instruction cache (see ShareCache)
};

class DataModel {
 public:
  void Configure(const DataParams& params);
  // Data reads share an instruction-side cache (a unified flash cache such as Apollo3's
  // or the RP2040 XIP cache): hits and fills go to `cache`, with its line size.
  void ShareCache(TagArray* cache, uint32_t line_shift) {
    cache_ = cache;
    line_shift_ = line_shift;
  }
  // Stall cycles of one read at `address`.
  uint32_t Read(uint32_t address) {
    if (cache_ == nullptr || !cache_->enabled()) return params_.read_wait_states;
    return cache_->Access(address >> line_shift_) ? 0 : params_.read_wait_states;
  }

 private:
  DataParams params_;
  uint32_t line_shift_ = 0;
  TagArray own_cache_;
  TagArray* cache_ = &own_cache_;
};

// log2 of a power of two; 0 for 0 or 1.
uint32_t Log2(uint32_t x);

}  // namespace ember::sim::timing

#endif  // EMBER_SIM_TIMING_MEMORY_TIMING_H_
