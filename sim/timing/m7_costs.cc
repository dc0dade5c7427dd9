// Cortex-M7 static block cost: an in-order dual-issue scoreboard (approximation).
//
// Arm publishes no cycle tables for the M7. The rules below come from measurements on
// STM32H743 and LLVM's Cortex-M7 scheduling model (CORTEX_M_TIMING.md):
//  - Two instructions issue together when neither is multi-cycle, they are not both memory
//    accesses (two loads pair only on different D-TCM banks, which we cannot see statically,
//    so we never pair them; stores never pair), not both FP arithmetic (FP does not
//    dual-issue), not both multiplies (one MAC pipeline), the first is not a branch, and
//    the second does not read what the first writes.
//  - Result latencies: ALU 1, load 2 (load-use costs one stall), multiply 2 ('1 extra cycle
//    of result latency'), FP ALU/FMUL 3, FMAC 6, FDIV/FSQRT 16 (LLVM).
//  - LDM/STM/PUSH/POP: ceil(N/2) cycles, no dual issue. LDRD/STRD one 64-bit access.
//  - IT folds (0 cycles). Branch penalties (prediction) are dynamic: see the cycle model.
// Stalls are computed inside a block only; a block starts with every register ready.
#include <algorithm>

#include "sim/timing/core_costs.h"

namespace ember::sim::timing {
namespace {

struct M7Op {
  uint16_t issue;    // cycles the instruction occupies the issue stage
  uint16_t latency;  // cycles until its result can be used
  bool single;       // must issue alone
  bool mem;          // uses the load/store unit
  bool fp_arith;
  bool mul;
};

M7Op OpFor(const DecodedInsn& d, const CoreTiming& t, const HookedPredicate& hooked) {
  switch (d.cls) {
    case OpClass::kAlu:
      return {1, 1, false, false, false, false};
    case OpClass::kMul:
    case OpClass::kMulAcc:
    case OpClass::kDspMac:
    case OpClass::kMulLong:
    case OpClass::kMulLongAcc:
      return {1, 2, false, false, false, true};
    case OpClass::kDiv: {
      const uint16_t c = hooked(d.address) ? 0 : static_cast<uint16_t>(t.default_divide);
      return {c, 1, true, false, false, false};
    }
    case OpClass::kLoad:
    case OpClass::kLoadDual:
      return {1, 2, false, true, false, false};
    case OpClass::kStore:
    case OpClass::kStoreDual:
      return {1, 1, false, true, false, false};
    case OpClass::kLoadMulti:
    case OpClass::kStoreMulti:
    case OpClass::kFpLoadMulti:
    case OpClass::kFpStoreMulti: {
      const uint16_t c = static_cast<uint16_t>(std::max(1, (d.list_words + 1) / 2));
      return {c, 2, true, true, false, false};
    }
    case OpClass::kBranch:
      return {1, 1, false, false, false, false};
    case OpClass::kTableBranch:
      return {2, 1, true, true, false, false};
    case OpClass::kIt:
      return {0, 0, false, false, false, false};
    case OpClass::kBarrier:
      return {4, 1, true, false, false, false};
    case OpClass::kSystem:
      return {1, 1, true, false, false, false};
    case OpClass::kFpAlu:
      return {1, 3, false, false, true, false};
    case OpClass::kFpMac:
      return {1, 6, false, false, true, false};
    case OpClass::kFpDiv:
      return {1, 16, false, false, true, false};
    case OpClass::kFpLoad:
      return {1, 2, false, true, false, false};
    case OpClass::kFpStore:
      return {1, 1, false, true, false, false};
    case OpClass::kFpMove:
      return {1, 2, false, false, false, false};
    case OpClass::kUnknown:
      return {1, 1, true, false, false, false};
  }
  return {1, 1, true, false, false, false};
}

bool CanPair(const DecodedInsn& a, const M7Op& oa, const DecodedInsn& b, const M7Op& ob) {
  if (oa.single || ob.single || oa.issue != 1 || ob.issue != 1) return false;
  if (a.writes_pc) return false;
  if (oa.mem && ob.mem) return false;
  if (oa.fp_arith && ob.fp_arith) return false;
  if (oa.mul && ob.mul) return false;
  if ((b.core_read & a.core_written) != 0 || (b.fp_read & a.fp_written) != 0) return false;
  return true;
}

}  // namespace

BlockCost CostBlockM7(const std::vector<DecodedInsn>& insns, const CoreTiming& timing,
                      const HookedPredicate& hooked) {
  BlockCost out;
  out.insns.reserve(insns.size());
  uint32_t core_ready[16] = {};
  uint32_t fp_ready[32] = {};
  uint32_t now = 0;        // cycle in which the previous instruction issued
  uint32_t next_free = 0;  // first cycle the issue stage is free again
  bool slot_open = false;  // the previous instruction issued alone and can take a partner
  const DecodedInsn* prev = nullptr;
  M7Op prev_op{};
  for (size_t i = 0; i < insns.size(); ++i) {
    const DecodedInsn& d = insns[i];
    if (d.cls == OpClass::kIt) {  // folded: no slot, and it does not break a pair
      out.insns.push_back(InsnCost{d.address, d.size, 0});
      continue;
    }
    const M7Op op = OpFor(d, timing, hooked);
    uint32_t ready = 0;
    for (int r = 0; r < 16; ++r) {
      if (d.core_read & (1u << r)) ready = std::max(ready, core_ready[r]);
    }
    for (int r = 0; r < 32; ++r) {
      if (d.fp_read & (1u << r)) ready = std::max(ready, fp_ready[r]);
    }
    uint32_t issue_at;
    const bool pair = timing.dual_issue && slot_open && prev != nullptr &&
                      CanPair(*prev, prev_op, d, op) && ready <= now;
    if (pair) {
      issue_at = now;
      slot_open = false;
    } else {
      issue_at = std::max(next_free, ready);
      slot_open = op.issue == 1 && !op.single;
    }
    const uint32_t end = issue_at + op.issue;
    // Cycles charged to this instruction: how far it moves the end of the block.
    const uint32_t cost = end > next_free ? end - next_free : 0;
    next_free = std::max(next_free, end);
    now = issue_at;
    for (int r = 0; r < 16; ++r) {
      if (d.core_written & (1u << r)) core_ready[r] = issue_at + op.latency;
    }
    for (int r = 0; r < 32; ++r) {
      if (d.fp_written & (1u << r)) fp_ready[r] = issue_at + op.latency;
    }
    const bool last = i + 1 == insns.size();
    if (d.writes_pc && last) {
      out.end = d.conditional ? BlockEnd::kConditional : BlockEnd::kAlways;
      out.end_indirect = d.indirect;
      out.end_returns = d.returns;
      out.taken_penalty = 0;
    }
    out.insns.push_back(InsnCost{d.address, d.size, static_cast<uint16_t>(cost)});
    out.cycles += cost;
    prev = &d;
    prev_op = op;
  }
  return out;
}

}  // namespace ember::sim::timing
