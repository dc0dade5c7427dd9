// CallTracker: the simulator-side half of the symbol cross-check (sim_runner.h).
//
// Fed with every executed basic block (its address, the LR at block entry and the modeled
// cycles before the block), it keeps a shadow stack of calls that the runtime core makes
// into other code: a block that starts a function (an ELF function symbol) while LR points
// into a runtime-core function is such a call; the first later block at that return
// address ends it. Each finished call is recorded as (callee, cycles) with callees'
// callees included. Calls inside a tracked call are tracked too (they nest on the stack),
// but only calls whose caller is runtime-core code are recorded.
#ifndef EMBER_BENCH_CALL_TRACKER_H_
#define EMBER_BENCH_CALL_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ember::bench {

class CallTracker {
 public:
  struct Range {
    uint32_t begin, end;  // [begin, end), Thumb bit cleared
  };
  struct Call {
    uint32_t callee;  // function start, Thumb bit cleared
    uint64_t cycles;
  };

  // function_starts: every function symbol's address; core: the runtime core's functions.
  CallTracker(std::vector<uint32_t> function_starts, std::vector<Range> core);

  // Whether a block at `address` starts a function (the only blocks that need LR).
  bool IsFunctionStart(uint32_t address) const { return starts_.count(address & ~1u) != 0; }

  // One executed block. `lr` is the link register at the block's start (only read when
  // IsFunctionStart(address); pass anything otherwise).
  void OnBlock(uint32_t address, uint32_t lr, uint64_t cycles_before);

  // Calls recorded so far, in the order they returned.
  const std::vector<Call>& calls() const { return calls_; }
  // The k-th (0-based) recorded call of `callee`, or nullptr.
  const Call* NthCall(uint32_t callee, size_t k) const;

 private:
  bool InCore(uint32_t address) const;
  struct Pending {
    uint32_t callee, return_address;
    uint64_t start;
    bool record;
  };
  std::unordered_set<uint32_t> starts_;
  std::vector<Range> core_;  // sorted
  std::vector<Pending> stack_;
  std::vector<Call> calls_;
};

}  // namespace ember::bench

#endif  // EMBER_BENCH_CALL_TRACKER_H_
