// ExceptionUnit: exception entry and return, which Unicorn does not do for M-profile.
//
// Entry (at a block boundary, from the simulator's block hook, or from the interrupt hook for
// SVC): pushes the basic frame {r0, r1, r2, r3, r12, lr, return address, xPSR} on the
// current stack (8-byte aligned; xPSR bit 9 records the alignment padding), switches to MSP
// if the thread was on PSP, sets LR = EXC_RETURN (0xFFFFFFF9 from MSP, 0xFFFFFFFD from PSP)
// and jumps to the vector read from VTOR + 4 * n. The FP registers s0-s15 and FPSCR are saved
// on the host side and restored on return (so handlers may use the FPU); the guest sees a
// basic frame (EXC_RETURN bit 4 = 1). Unicorn stays in thread mode: IPSR reads 0 inside
// handlers (ICSR.VECTACTIVE does report the active exception).
//
// Return: a handler's `bx lr` / `pop {pc}` with an EXC_RETURN value makes Unicorn raise
// EXCP_EXCEPTION_EXIT; Return() then unstacks the frame and resumes the interrupted code.
//
// Priorities: an exception is taken when PRIMASK is clear and its priority (SHPR) is more
// urgent than the active one (thread mode = lowest). Costs: entry 12 cycles on M3/M4/M7
// (Arm TRMs: interrupt latency 12), 15 on M0+ (Cortex-M0+ TRM: 15); return 10 cycles on
// M3/M4/M7 and 12 on M0+ (assumption, not from a published table). Both are added to the
// cycle model with AddCycles().
#ifndef EMBER_SIM_EXCEPTIONS_H_
#define EMBER_SIM_EXCEPTIONS_H_

#include <cstdint>
#include <vector>

#include "sim/cycle_model.h"
#include "sim/machine.h"
#include "sim/system_control.h"

namespace ember::sim {

class ExceptionUnit {
 public:
  ExceptionUnit(Machine* machine, SystemControl* scs, CycleModel* model);

  // Takes the most urgent pending exception if it may preempt. `return_pc` is where the
  // interrupted code resumes. Returns true if an exception was entered (PC changed).
  Result<bool> TakePending(uint32_t return_pc);
  // Enters exception `n` now (SVC: 11).
  Status Enter(int n, uint32_t return_pc);
  // Handles EXCP_EXCEPTION_EXIT; `exc_return` is the EXC_RETURN value branched to.
  Status Return(uint32_t exc_return);
  int active() const { return active_.empty() ? 0 : active_.back().vector; }
  uint64_t taken() const { return taken_; }

 private:
  struct Frame {
    int vector;
    bool was_psp;
    std::vector<uint32_t> fp;  // s0-s15, FPSCR (empty without an FPU)
  };
  int Priority(int vector) const;

  Machine* machine_;
  SystemControl* scs_;
  CycleModel* model_;
  std::vector<Frame> active_;
  uint64_t taken_ = 0;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_EXCEPTIONS_H_
