// Per-core static instruction costs for one basic block, and the operand-dependent costs
// (divides, Cortex-M3 long multiplies) evaluated when such an instruction executes.
//
// Sources (see /work/shared/docs/CORTEX_M_TIMING.md for the collected facts):
//  - Cortex-M4 TRM 'Table of processor instructions' (TI SWCU192 reproduces it), Cortex-M3
//    TRM 'Instruction timings', Cortex-M0+ TRM 'Instruction set summary'.
//  - Hardware measurements on STM32F407/F103 for the load/store rules the TRMs leave open.
//  - Cortex-M7: no official tables; measured STM32H743 numbers and LLVM's scheduling model.
// The choices made where sources disagree are written next to the code in core_costs.cc.
#ifndef EMBER_SIM_TIMING_CORE_COSTS_H_
#define EMBER_SIM_TIMING_CORE_COSTS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/board.h"
#include "sim/timing/insn_decode.h"

namespace ember::sim::timing {

// Core parameters; defaults per core from CoreTimingFor(), overridable from a board's
// [timing] table (see make_cycle_model.cc for the keys).
struct CoreTiming {
  CoreKind core = CoreKind::kCortexM4;
  uint32_t mul_cycles = 1;               // M0+ MULS: 1 (fast multiplier) or 32 (small multiplier)
  uint32_t direct_refill = 1;            // P after a taken B/BL/Bcc/CBZ (target known in decode)
  uint32_t register_refill = 2;          // P after BX/BLX Rm, MOV/ADD PC (target from a register)
  uint32_t load_refill = 3;              // P after LDR PC / POP {pc} / TBB (target from memory)
  bool unaligned_target_penalty = true;  // +1 when the target is a 32-bit insn at addr%4==2
  uint32_t default_divide = 7;           // divide cost charged when its operands are not observed
  bool dual_issue = true;                // M7
  uint32_t mispredict_penalty = 8;       // M7
  uint32_t indirect_mispredict_penalty = 8;  // M7, indirect branch to a new target
};

CoreTiming CoreTimingFor(CoreKind core);

// How a block ends, for the dynamic taken/not-taken decision.
enum class BlockEnd : uint8_t {
  kFallThrough,  // no control transfer (Unicorn split the block for another reason)
  kConditional,  // Bcc, CBZ/CBNZ, a PC write inside an IT block
  kAlways,       // unconditional branch, call, return, PC load
};

struct InsnCost {
  uint32_t address;
  uint8_t size;
  uint16_t cycles;  // static cycles charged for this instruction in this block
};

struct BlockCost {
  std::vector<InsnCost> insns;
  uint32_t cycles = 0;  // sum of insns[].cycles
  BlockEnd end = BlockEnd::kFallThrough;
  uint8_t taken_penalty = 0;  // P: refill cycles when the final branch is taken
  bool end_indirect = false;  // final branch target comes from a register or memory
  bool end_returns = false;   // final branch is a function return
  // First instruction is 32-bit at a halfword (not word) aligned address: a taken branch to
  // this block needs one more fetch (M3/M4).
  bool unaligned_wide_entry = false;
};

// Decides whether an operand-dependent instruction at `address` is charged by a code hook
// (true: its static cost is left out) or with the static default (false).
using HookedPredicate = std::function<bool(uint32_t address)>;

// Static cost of the decoded instructions of one block (in order, contiguous).
BlockCost CostBlock(const std::vector<DecodedInsn>& insns, const CoreTiming& timing,
                    const HookedPredicate& hooked);

// Cortex-M7 flavour (dual issue scoreboard), called by CostBlock.
BlockCost CostBlockM7(const std::vector<DecodedInsn>& insns, const CoreTiming& timing,
                      const HookedPredicate& hooked);

// SDIV/UDIV cycles from the operands (2-12; see core_costs.cc for the formula).
uint32_t DivideCycles(uint32_t dividend, uint32_t divisor, bool is_signed);

// Cortex-M3 long multiply cycles from the operands: SMULL/UMULL 3-5, SMLAL/UMLAL 4-7.
uint32_t LongMultiplyCyclesM3(uint32_t a, uint32_t b, bool is_signed, bool accumulate);

// Whether instructions of this class get a per-instruction code hook on this core.
bool NeedsOperandHook(OpClass cls, CoreKind core);

}  // namespace ember::sim::timing

#endif  // EMBER_SIM_TIMING_CORE_COSTS_H_
