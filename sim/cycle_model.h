// CycleModel: the interface between the functional emulator (Machine) and a timing model.
// A cycle model is an observer: Attach() installs its hooks on the Machine before the first
// instruction runs (block hooks for static per-block costs, and whatever dynamic hooks it
// needs); afterwards the simulator reads cycles() to drive DWT CYCCNT, SysTick and the cycle
// budget, and calls AddCycles() for costs the functional side knows about (exception entry:
// 12 cycles on M3/M4, semihosting traps cost nothing).
//
// The real model lives in sim/timing/ (CMake target ember_sim_timing) and defines
// MakeCycleModel(). tests/sim may use a fallback (1 cycle per instruction) only where
// ember_sim_timing does not exist yet, and says so.
#ifndef EMBER_SIM_CYCLE_MODEL_H_
#define EMBER_SIM_CYCLE_MODEL_H_

#include <cstdint>
#include <memory>

#include "sim/board.h"
#include "sim/machine.h"
#include "sim/status.h"

namespace ember::sim {

class CycleModel {
 public:
  virtual ~CycleModel() = default;
  virtual Status Attach(Machine& machine) = 0;  // install hooks, before run
  virtual uint64_t cycles() const = 0;          // modeled cycles so far
  virtual void AddCycles(uint64_t n) = 0;       // e.g. exception entry (12 on M3/M4)
  virtual uint64_t instructions() const = 0;    // instructions executed so far
  // The program wrote SCB CCR: Cortex-M7 L1 instruction / data caches on or off (CCR.IC,
  // CCR.DC). Models without such caches ignore it.
  virtual void SetCoreCaches(bool icache, bool dcache) {
    (void)icache;
    (void)dcache;
  }
  // The counter behind cycles() if the model keeps one in memory (read without a virtual
  // call on every block), else null.
  virtual const uint64_t* cycles_counter() const { return nullptr; }
  // The simulator's per-block work, run from the model's own block hook (after charging the
  // block) so that it needs no second Unicorn block hook, and only on the blocks that need
  // it: `fn` runs for a block when cycles() >= *gate (the cycle budget, or 0 while SysTick
  // or a pending exception needs every block), or when the block's kBlock* bits (found when
  // the model first decodes the block) intersect *armed (e.g. kBlockHasFp while the FPU is
  // off). The caller owns gate and armed and may change them at any time (the next block
  // sees the new values).
  static constexpr uint8_t kBlockHasFp = 1;  // an FP instruction before the first store
  struct BlockChain {
    Machine::BlockFn fn = nullptr;
    void* ctx = nullptr;
    const uint64_t* gate = nullptr;
    const uint8_t* armed = nullptr;
  };
  // Call before Attach. Returns false if the model has no block hook (the caller then adds
  // its own and runs its work on every block).
  virtual bool ChainBlockHook(const BlockChain& chain) {
    (void)chain;
    return false;
  }
};

// Defined in sim/timing/ (target ember_sim_timing).
std::unique_ptr<CycleModel> MakeCycleModel(const BoardConfig& board);

}  // namespace ember::sim

#endif  // EMBER_SIM_CYCLE_MODEL_H_
