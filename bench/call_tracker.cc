// CallTracker (call_tracker.h).
#include "bench/call_tracker.h"

#include <algorithm>

namespace ember::bench {

CallTracker::CallTracker(std::vector<uint32_t> function_starts, std::vector<Range> core)
    : core_(std::move(core)) {
  for (uint32_t a : function_starts) starts_.insert(a & ~1u);
  std::sort(core_.begin(), core_.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
}

bool CallTracker::InCore(uint32_t address) const {
  auto it = std::upper_bound(core_.begin(), core_.end(), address,
                             [](uint32_t a, const Range& r) { return a < r.begin; });
  if (it == core_.begin()) return false;
  --it;
  return address >= it->begin && address < it->end;
}

void CallTracker::OnBlock(uint32_t address, uint32_t lr, uint64_t cycles_before) {
  address &= ~1u;
  // Returns first: a block at the pending return address ends that call (and any calls
  // above it that left through it, e.g. by a tail call).
  for (size_t i = stack_.size(); i > 0; --i) {
    if (stack_[i - 1].return_address == address) {
      for (size_t j = stack_.size(); j >= i; --j) {
        const Pending& p = stack_[j - 1];
        if (p.record) calls_.push_back({p.callee, cycles_before - p.start});
      }
      stack_.resize(i - 1);
      break;
    }
  }
  if (starts_.count(address) != 0) {
    const uint32_t ret = lr & ~1u;
    // Only real calls: LR must hold a return address (not an EXC_RETURN value) and
    // differ from the function itself.
    const bool repeat =
        !stack_.empty() && stack_.back().callee == address && stack_.back().return_address == ret;
    if ((lr >> 28) != 0xf && ret != address && !repeat && stack_.size() < 4096) {
      const bool record = InCore(ret) && !InCore(address);
      // Track nested calls only inside recorded ones (or when recording starts).
      if (record || !stack_.empty()) stack_.push_back({address, ret, cycles_before, record});
    }
  }
}

const CallTracker::Call* CallTracker::NthCall(uint32_t callee, size_t k) const {
  callee &= ~1u;
  for (const Call& c : calls_) {
    if (c.callee == callee) {
      if (k == 0) return &c;
      --k;
    }
  }
  return nullptr;
}

}  // namespace ember::bench
