#include "sim/timing/memory_timing.h"

#include <algorithm>
#include <iterator>

namespace ember::sim::timing {

uint32_t Log2(uint32_t x) {
  uint32_t n = 0;
  while (x > 1) {
    x >>= 1;
    ++n;
  }
  return n;
}

void TagArray::Configure(uint32_t lines, uint32_t ways) {
  tags_.clear();
  if (lines == 0) return;
  ways_ = std::max<uint32_t>(1, std::min(ways, lines));
  sets_ = std::max<uint32_t>(1, lines / ways_);
  set_mask_ = (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) ? sets_ - 1 : 0;
  tags_.assign(static_cast<size_t>(sets_) * ways_, 0);
}

bool TagArray::Contains(uint32_t line) const {
  if (tags_.empty()) return false;
  const uint32_t* set = &tags_[static_cast<size_t>(SetOf(line)) * ways_];
  for (uint32_t w = 0; w < ways_; ++w) {
    if (set[w] == line + 1) return true;
  }
  return false;
}

bool TagArray::Access(uint32_t line) {
  if (tags_.empty()) return false;
  uint32_t* set = &tags_[static_cast<size_t>(SetOf(line)) * ways_];
  const uint32_t tag = line + 1;
  if (set[0] == tag) return true;  // most recently used: nothing to reorder
  uint32_t w = 1;
  while (w < ways_ && set[w] != tag) ++w;
  const bool hit = w < ways_;
  if (!hit) {
    w = ways_ - 1;  // LRU victim
    ++fills_;
  }
  // Move to the front (most recently used).
  for (; w > 0; --w) set[w] = set[w - 1];
  set[0] = tag;
  return hit;
}

void FetchModel::Configure(const FetchParams& params) {
  params_ = params;
  if (params_.line_bytes < 2) params_.line_bytes = 4;
  line_shift_ = Log2(params_.line_bytes);
  const uint32_t lines = params_.cache_bytes != 0 ? params_.cache_bytes / params_.line_bytes : 0;
  cache_.Configure(lines, params_.cache_ways);
  num_buffers_ = std::min(kMaxBuffers, std::max<uint32_t>(1, params_.buffers));
  memoizable_ = !cache_.enabled() && num_buffers_ <= FetchMemo::kBuffers;
  std::fill(std::begin(buffers_), std::end(buffers_), 0u);
  prev_line_cycles_ = 0;
}

bool FetchModel::InBuffers(uint32_t line) const {
  for (uint32_t i = 0; i < num_buffers_; ++i) {
    if (buffers_[i] == line + 1) return true;
  }
  return false;
}

// Only called for lines that are not in the buffers. The buffers are kept oldest first, so
// the same contents always have the same layout (FetchMemo compares layouts).
void FetchModel::Remember(uint32_t line) {
  for (uint32_t i = 0; i + 1 < num_buffers_; ++i) buffers_[i] = buffers_[i + 1];
  buffers_[num_buffers_ - 1] = line + 1;
}

uint32_t FetchModel::Fetch(const LineUse* lines, size_t count, bool sequential) {
  uint32_t stall = 0;
  const uint32_t ws = params_.wait_states;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t line = lines[i].line;
    if (InBuffers(line)) continue;
    const bool hit_cache = cache_.enabled() && cache_.Access(line);
    if (!hit_cache) {
      ++misses_;
      const bool after_line = i > 0 || sequential;
      if (after_line && params_.prefetch) {
        const uint32_t covered = i > 0 ? lines[i - 1].cycles : prev_line_cycles_;
        stall += ws + 1 > covered ? ws + 1 - covered : 0;
      } else {
        stall += ws;
      }
    }
    Remember(line);
  }
  if (count > 0) prev_line_cycles_ = lines[count - 1].cycles;
  return stall;
}

uint32_t FetchModel::FetchMemoized(const LineUse* lines, size_t count, bool sequential,
                                   FetchMemo* memo, bool* all_resident) {
  if (!memoizable_) {
    const uint32_t stall = Fetch(lines, count, sequential);
    *all_resident = AllResident(lines, count);
    return stall;
  }
  uint32_t stall = 0;
  if (Replay(*memo, sequential, &stall, all_resident)) return stall;
  FetchMemo::Entry& e = memo->entries[memo->next];
  memo->next = (memo->next + 1) % FetchMemo::kEntries;
  e.key = MemoKey(sequential);
  std::memcpy(&e.in_lo, buffers_, 8);
  std::memcpy(&e.in_hi, buffers_ + 2, 8);
  const uint64_t misses_before = misses_;
  e.stall = Fetch(lines, count, sequential);
  e.misses = static_cast<uint32_t>(misses_ - misses_before);
  std::memcpy(&e.out_lo, buffers_, 8);
  std::memcpy(&e.out_hi, buffers_ + 2, 8);
  e.out_prev_cycles = prev_line_cycles_;
  e.all_resident = AllResident(lines, count);
  *all_resident = e.all_resident;
  return e.stall;
}

bool FetchModel::AllResident(const LineUse* lines, size_t count) const {
  for (size_t i = 0; i < count; ++i) {
    if (!InBuffers(lines[i].line) && !cache_.Contains(lines[i].line)) return false;
  }
  return true;
}

void DataModel::Configure(const DataParams& params) {
  params_ = params;
  line_shift_ = Log2(params_.line_bytes);
  const uint32_t lines =
      params_.line_bytes != 0 ? std::max<uint32_t>(1, params_.cache_bytes / params_.line_bytes) : 0;
  own_cache_.Configure(lines, params_.cache_ways);
  cache_ = &own_cache_;
}

}  // namespace ember::sim::timing
