// Mapping from Capstone's ARM register ids to Machine registers.
#ifndef EMBER_SIM_CAPSTONE_REGS_H_
#define EMBER_SIM_CAPSTONE_REGS_H_

#include <capstone/capstone.h>

#include "sim/machine.h"

namespace ember::sim {

// Returns false for registers Machine does not expose (FP, special).
inline bool CapstoneToReg(unsigned cs_reg, Reg* out) {
  switch (cs_reg) {
    case ARM_REG_R0:
      *out = Reg::kR0;
      return true;
    case ARM_REG_R1:
      *out = Reg::kR1;
      return true;
    case ARM_REG_R2:
      *out = Reg::kR2;
      return true;
    case ARM_REG_R3:
      *out = Reg::kR3;
      return true;
    case ARM_REG_R4:
      *out = Reg::kR4;
      return true;
    case ARM_REG_R5:
      *out = Reg::kR5;
      return true;
    case ARM_REG_R6:
      *out = Reg::kR6;
      return true;
    case ARM_REG_R7:
      *out = Reg::kR7;
      return true;
    case ARM_REG_R8:
      *out = Reg::kR8;
      return true;
    case ARM_REG_R9:
      *out = Reg::kR9;
      return true;
    case ARM_REG_R10:
      *out = Reg::kR10;
      return true;
    case ARM_REG_R11:
      *out = Reg::kR11;
      return true;
    case ARM_REG_R12:
      *out = Reg::kR12;
      return true;
    case ARM_REG_SP:
      *out = Reg::kSp;
      return true;
    case ARM_REG_LR:
      *out = Reg::kLr;
      return true;
    case ARM_REG_PC:
      *out = Reg::kPc;
      return true;
    default:
      return false;
  }
}

}  // namespace ember::sim

#endif  // EMBER_SIM_CAPSTONE_REGS_H_
