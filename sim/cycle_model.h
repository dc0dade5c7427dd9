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
  // Asks the model to call `fn` at the end of its own block hook (after charging the block),
  // so that the simulator's per-block work needs no second Unicorn block hook. Call before
  // Attach. Returns false if the model has no block hook (the caller adds its own).
  // The program wrote SCB CCR: Cortex-M7 L1 instruction / data caches on or off (CCR.IC,
  // CCR.DC). Models without such caches ignore it.
  virtual void SetCoreCaches(bool icache, bool dcache) {
    (void)icache;
    (void)dcache;
  }
  // The counter behind cycles() if the model keeps one in memory (read without a virtual
  // call on every block), else null.
  virtual const uint64_t* cycles_counter() const { return nullptr; }
  virtual bool ChainBlockHook(Machine::BlockFn fn, void* ctx) {
    (void)fn;
    (void)ctx;
    return false;
  }
};

// Defined in sim/timing/ (target ember_sim_timing).
std::unique_ptr<CycleModel> MakeCycleModel(const BoardConfig& board);

}  // namespace ember::sim

#endif  // EMBER_SIM_CYCLE_MODEL_H_
