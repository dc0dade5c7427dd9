// UsageFaultChecker: the usage faults Unicorn 2.0.1 does not raise for M-profile.
//
//  * Divide by zero with CCR.DIV_0_TRP set: Unicorn's SDIV/UDIV return 0 silently. At load
//    time every executable segment is swept with Capstone; once the program sets
//    CCR.DIV_0_TRP each SDIV/UDIV gets a code hook on its own address (nothing else pays for
//    it) that checks the divisor register (no hooks before: every Unicorn code hook slows
//    every code-hook call). Code copied to RAM at run time is not covered (its divides
//    behave as with DIV_0_TRP clear), nor a divide in the same block as the CCR write that
//    sets DIV_0_TRP (that block is already running when the hooks are added, and Unicorn
//    2.0.1 may keep running its old translation while it loops on itself).
//  * FP instruction with the FPU disabled (CPACR CP10/CP11 not full/privileged access, or a
//    board without an FPU): Unicorn executes it. A block hook decodes each block once
//    (cached; without Capstone details, only mnemonics are needed) and reports the first FP
//    instruction of a block entered while the FPU is disabled. With the timing model the
//    simulator calls it only for blocks the model marked as holding one
//    (CycleModel::kBlockHasFp). Approximation: a block that stores (possibly to CPACR)
//    before its first FP instruction is not checked, so enabling the FPU and using it in
//    one block is allowed.
#ifndef EMBER_SIM_USAGE_FAULTS_H_
#define EMBER_SIM_USAGE_FAULTS_H_

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/elf_image.h"
#include "sim/machine.h"
#include "sim/system_control.h"

namespace ember::sim {

class UsageFaultChecker {
 public:
  UsageFaultChecker(Machine* machine, const SystemControl* scs);
  ~UsageFaultChecker();
  // Sweeps the image for divides and installs the hooks (before the first run).
  Status Attach(const ElfImage& image);
  // Called from the simulator's block hook; stops the machine on a NOCP fault.
  void OnBlock(uint32_t address, uint32_t size);
  size_t divide_sites() const { return divide_sites_; }
  // Installs the divide hooks once CCR.DIV_0_TRP is set (call after every SCS write; the
  // simulator does). Before that no divide can trap, and hooks would only slow Unicorn.
  Status SyncDivideTrap();

 private:
  struct BlockInfo {
    int32_t first_fp_offset = -1;  // -1: no FP instruction (or one after a store)
  };
  // Direct-mapped front of blocks_ (boards without an FPU check every block).
  struct FrontSlot {
    uint32_t address = 1;  // odd: never a block address
    int32_t first_fp_offset = -1;
  };
  static constexpr size_t kFrontSlots = 4096;
  void OnDivide(uint32_t address, int divisor_reg);
  Status SweepDivides(const ElfImage& image);
  int32_t FirstFpOffset(uint32_t address, uint32_t size);  // -1: none (see OnBlock)

  Machine* machine_;
  const SystemControl* scs_;
  size_t csh_ = 0;  // capstone handle
  size_t divide_sites_ = 0;
  struct DivideSite {
    uint32_t address;
    int divisor_reg;
  };
  std::vector<DivideSite> divides_;
  bool divide_hooks_on_ = false;
  std::unordered_map<uint32_t, BlockInfo> blocks_;
  std::vector<FrontSlot> front_ = std::vector<FrontSlot>(kFrontSlots);
};

}  // namespace ember::sim

#endif  // EMBER_SIM_USAGE_FAULTS_H_
