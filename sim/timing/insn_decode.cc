#include "sim/timing/insn_decode.h"

namespace ember::sim::timing {
namespace {

constexpr uint16_t kPcBit = 1u << 15;
constexpr uint16_t kLrBit = 1u << 14;

// Capstone register -> core register number 0..15, or -1.
int CoreIndex(unsigned reg) {
  if (reg >= ARM_REG_R0 && reg <= ARM_REG_R12) return static_cast<int>(reg - ARM_REG_R0);
  if (reg == ARM_REG_SP) return 13;
  if (reg == ARM_REG_LR) return 14;
  if (reg == ARM_REG_PC) return 15;
  return -1;
}

// Capstone register -> mask over s0..s31 (d0..d15 cover two s registers each).
uint32_t FpMask(unsigned reg) {
  if (reg >= ARM_REG_S0 && reg <= ARM_REG_S31) return 1u << (reg - ARM_REG_S0);
  if (reg >= ARM_REG_D0 && reg <= ARM_REG_D15) return 3u << (2 * (reg - ARM_REG_D0));
  return 0;
}

bool IsDReg(unsigned reg) { return reg >= ARM_REG_D0 && reg <= ARM_REG_D31; }

// One line per instruction family (clang-format would put each case on its own line).
// clang-format off
OpClass ClassOf(unsigned id) {
  switch (id) {
    case ARM_INS_MUL:
      return OpClass::kMul;
    case ARM_INS_MLA:
    case ARM_INS_MLS:
      return OpClass::kMulAcc;
    case ARM_INS_SMULL:
    case ARM_INS_UMULL:
      return OpClass::kMulLong;
    case ARM_INS_SMLAL:
    case ARM_INS_UMLAL:
    case ARM_INS_UMAAL:
    case ARM_INS_SMLALBB: case ARM_INS_SMLALBT: case ARM_INS_SMLALTB: case ARM_INS_SMLALTT:
    case ARM_INS_SMLALD: case ARM_INS_SMLALDX: case ARM_INS_SMLSLD: case ARM_INS_SMLSLDX:
      return OpClass::kMulLongAcc;
    case ARM_INS_SMLABB: case ARM_INS_SMLABT: case ARM_INS_SMLATB: case ARM_INS_SMLATT:
    case ARM_INS_SMLAD: case ARM_INS_SMLADX: case ARM_INS_SMLSD: case ARM_INS_SMLSDX:
    case ARM_INS_SMLAWB: case ARM_INS_SMLAWT: case ARM_INS_SMMLA: case ARM_INS_SMMLAR:
    case ARM_INS_SMMLS: case ARM_INS_SMMLSR: case ARM_INS_SMMUL: case ARM_INS_SMMULR:
    case ARM_INS_SMUAD: case ARM_INS_SMUADX: case ARM_INS_SMULBB: case ARM_INS_SMULBT:
    case ARM_INS_SMULTB: case ARM_INS_SMULTT: case ARM_INS_SMULWB: case ARM_INS_SMULWT:
    case ARM_INS_SMUSD: case ARM_INS_SMUSDX: case ARM_INS_USAD8: case ARM_INS_USADA8:
      return OpClass::kDspMac;
    case ARM_INS_SDIV:
    case ARM_INS_UDIV:
      return OpClass::kDiv;
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: case ARM_INS_LDRT: case ARM_INS_LDRBT: case ARM_INS_LDRHT:
    case ARM_INS_LDRSBT: case ARM_INS_LDRSHT: case ARM_INS_LDREX: case ARM_INS_LDREXB:
    case ARM_INS_LDREXH: case ARM_INS_LDA: case ARM_INS_LDAB: case ARM_INS_LDAH:
    case ARM_INS_PLD: case ARM_INS_PLI: case ARM_INS_PLDW:
      return OpClass::kLoad;
    case ARM_INS_STR: case ARM_INS_STRB: case ARM_INS_STRH: case ARM_INS_STRT:
    case ARM_INS_STRBT: case ARM_INS_STRHT: case ARM_INS_STREX: case ARM_INS_STREXB:
    case ARM_INS_STREXH: case ARM_INS_STL: case ARM_INS_STLB: case ARM_INS_STLH:
      return OpClass::kStore;
    case ARM_INS_LDRD: case ARM_INS_LDREXD:
      return OpClass::kLoadDual;
    case ARM_INS_STRD: case ARM_INS_STREXD:
      return OpClass::kStoreDual;
    case ARM_INS_LDM: case ARM_INS_LDMDB: case ARM_INS_LDMDA: case ARM_INS_LDMIB:
    case ARM_INS_POP:
      return OpClass::kLoadMulti;
    case ARM_INS_STM: case ARM_INS_STMDB: case ARM_INS_STMDA: case ARM_INS_STMIB:
    case ARM_INS_PUSH:
      return OpClass::kStoreMulti;
    case ARM_INS_B: case ARM_INS_BL: case ARM_INS_BX: case ARM_INS_BLX:
    case ARM_INS_CBZ: case ARM_INS_CBNZ:
      return OpClass::kBranch;
    case ARM_INS_TBB: case ARM_INS_TBH:
      return OpClass::kTableBranch;
    case ARM_INS_IT:
      return OpClass::kIt;
    case ARM_INS_DMB: case ARM_INS_DSB: case ARM_INS_ISB:
      return OpClass::kBarrier;
    case ARM_INS_MRS: case ARM_INS_MSR: case ARM_INS_CPS: case ARM_INS_WFI:
    case ARM_INS_WFE: case ARM_INS_SEV: case ARM_INS_SVC: case ARM_INS_BKPT:
    case ARM_INS_UDF: case ARM_INS_CLREX: case ARM_INS_DBG: case ARM_INS_TRAP:
      return OpClass::kSystem;  // NOP/YIELD/hints fall through to kAlu (they dual-issue)
    case ARM_INS_VADD: case ARM_INS_VSUB: case ARM_INS_VMUL: case ARM_INS_VNMUL:
    case ARM_INS_VABS: case ARM_INS_VNEG: case ARM_INS_VCMP: case ARM_INS_VCMPE:
    case ARM_INS_VCVT: case ARM_INS_VCVTR: case ARM_INS_VCVTA: case ARM_INS_VCVTB:
    case ARM_INS_VCVTM: case ARM_INS_VCVTN: case ARM_INS_VCVTP: case ARM_INS_VCVTT:
    case ARM_INS_VMAXNM: case ARM_INS_VMINNM: case ARM_INS_VRINTA: case ARM_INS_VRINTM:
    case ARM_INS_VRINTN: case ARM_INS_VRINTP: case ARM_INS_VRINTR: case ARM_INS_VRINTX:
    case ARM_INS_VRINTZ: case ARM_INS_VSELEQ: case ARM_INS_VSELGE: case ARM_INS_VSELGT:
    case ARM_INS_VSELVS:
      return OpClass::kFpAlu;
    case ARM_INS_VMLA: case ARM_INS_VMLS: case ARM_INS_VNMLA: case ARM_INS_VNMLS:
    case ARM_INS_VFMA: case ARM_INS_VFMS: case ARM_INS_VFNMA: case ARM_INS_VFNMS:
      return OpClass::kFpMac;
    case ARM_INS_VDIV: case ARM_INS_VSQRT:
      return OpClass::kFpDiv;
    case ARM_INS_VLDR:
      return OpClass::kFpLoad;
    case ARM_INS_VSTR:
      return OpClass::kFpStore;
    case ARM_INS_VLDMIA: case ARM_INS_VLDMDB: case ARM_INS_VPOP:
      return OpClass::kFpLoadMulti;
    case ARM_INS_VSTMIA: case ARM_INS_VSTMDB: case ARM_INS_VPUSH:
      return OpClass::kFpStoreMulti;
    case ARM_INS_VMOV: case ARM_INS_VMRS: case ARM_INS_VMSR:
      return OpClass::kFpMove;  // refined below: FP<->FP and immediate moves are FP ALU ops
    default:
      return OpClass::kAlu;
  }
}
// clang-format on

}  // namespace

DecodedInsn ClassifyInsn(csh handle, const cs_insn& insn) {
  DecodedInsn d;
  d.address = static_cast<uint32_t>(insn.address);
  d.size = static_cast<uint8_t>(insn.size);
  d.cls = ClassOf(insn.id);
  d.special_reg = insn.id == ARM_INS_MRS || insn.id == ARM_INS_MSR;
  const cs_arm& arm = insn.detail->arm;

  // Register traffic, explicit and implicit.
  cs_regs regs_read, regs_written;
  uint8_t n_read = 0, n_written = 0;
  if (cs_regs_access(handle, &insn, regs_read, &n_read, regs_written, &n_written) == CS_ERR_OK) {
    for (uint8_t i = 0; i < n_read; ++i) {
      const int c = CoreIndex(regs_read[i]);
      if (c >= 0) d.core_read |= static_cast<uint16_t>(1u << c);
      d.fp_read |= FpMask(regs_read[i]);
    }
    for (uint8_t i = 0; i < n_written; ++i) {
      const int c = CoreIndex(regs_written[i]);
      if (c >= 0) d.core_written |= static_cast<uint16_t>(1u << c);
      d.fp_written |= FpMask(regs_written[i]);
    }
  }
  int n_core_regs = 0;  // register-list length for LDM/STM/PUSH/POP
  int n_fp_words = 0;   // 32-bit words for VLDM/VSTM/VPUSH/VPOP
  bool fp_core_move = false;
  for (uint8_t i = 0; i < arm.op_count; ++i) {
    const cs_arm_op& op = arm.operands[i];
    if (op.type == ARM_OP_MEM) {
      const int base = CoreIndex(op.mem.base);
      const int index = CoreIndex(op.mem.index);
      if (base >= 0) d.addr_regs |= static_cast<uint16_t>(1u << base);
      if (index >= 0) {
        d.addr_regs |= static_cast<uint16_t>(1u << index);
        d.reg_offset = true;
      }
      if (base == 15) d.literal = true;
      d.disp = op.subtracted ? -op.mem.disp : op.mem.disp;
    } else if (op.type == ARM_OP_REG) {
      const int c = CoreIndex(op.reg);
      if (c >= 0) {
        ++n_core_regs;
        fp_core_move = true;
      }
      if (IsDReg(op.reg)) {
        n_fp_words += 2;
        d.fp_double = true;
      } else if (FpMask(op.reg) != 0) {
        n_fp_words += 1;
      }
      // Register lists of VLDM/VPUSH have no access flags in Capstone 4.
      if (op.access == 0 || (op.access & CS_AC_WRITE)) {
        if (d.cls == OpClass::kFpLoadMulti) d.fp_written |= FpMask(op.reg);
      }
      if (op.access == 0 || (op.access & CS_AC_READ)) {
        if (d.cls == OpClass::kFpStoreMulti) d.fp_read |= FpMask(op.reg);
      }
    }
  }
  d.writeback = arm.writeback;
  d.in_it = arm.cc != ARM_CC_AL && arm.cc != ARM_CC_INVALID && insn.id != ARM_INS_B &&
            insn.id != ARM_INS_IT;

  switch (d.cls) {
    case OpClass::kLoadMulti:
    case OpClass::kStoreMulti:
      // LDM/STM list the base first; PUSH/POP use SP implicitly.
      if (insn.id == ARM_INS_POP || insn.id == ARM_INS_PUSH) {
        d.list_words = static_cast<uint8_t>(n_core_regs);
        d.addr_regs |= 1u << 13;
      } else {
        d.list_words = static_cast<uint8_t>(n_core_regs > 0 ? n_core_regs - 1 : 0);
        const int base = arm.op_count > 0 ? CoreIndex(arm.operands[0].reg) : -1;
        if (base >= 0) d.addr_regs |= static_cast<uint16_t>(1u << base);
      }
      break;
    case OpClass::kFpLoadMulti:
    case OpClass::kFpStoreMulti:
      d.list_words = static_cast<uint8_t>(n_fp_words);
      if (insn.id == ARM_INS_VPOP || insn.id == ARM_INS_VPUSH) {
        d.addr_regs |= 1u << 13;
      } else if (arm.op_count > 0) {
        const int base = CoreIndex(arm.operands[0].reg);
        if (base >= 0) d.addr_regs |= static_cast<uint16_t>(1u << base);
      }
      break;
    case OpClass::kFpMove:
      // VMOV s0, s1 / VMOV.F32 s0, #1.0 stay inside the FPU: an FP ALU op.
      if (insn.id == ARM_INS_VMOV && !fp_core_move) d.cls = OpClass::kFpAlu;
      break;
    case OpClass::kDiv:
      if (arm.op_count >= 3) {
        d.op_reg_a = static_cast<uint8_t>(CoreIndex(arm.operands[1].reg));
        d.op_reg_b = static_cast<uint8_t>(CoreIndex(arm.operands[2].reg));
      }
      d.op_signed = insn.id == ARM_INS_SDIV;
      break;
    case OpClass::kMulLong:
    case OpClass::kMulLongAcc:
      if (arm.op_count >= 4) {
        d.op_reg_a = static_cast<uint8_t>(CoreIndex(arm.operands[2].reg));
        d.op_reg_b = static_cast<uint8_t>(CoreIndex(arm.operands[3].reg));
      }
      d.op_signed =
          insn.id != ARM_INS_UMULL && insn.id != ARM_INS_UMLAL && insn.id != ARM_INS_UMAAL;
      break;
    default:
      break;
  }

  // Control flow.
  if (d.cls == OpClass::kBranch || d.cls == OpClass::kTableBranch) {
    d.writes_pc = true;
    d.conditional = insn.id == ARM_INS_CBZ || insn.id == ARM_INS_CBNZ ||
                    (arm.cc != ARM_CC_AL && arm.cc != ARM_CC_INVALID);
    const bool reg_target = (insn.id == ARM_INS_BX || insn.id == ARM_INS_BLX) && arm.op_count > 0 &&
                            arm.operands[0].type == ARM_OP_REG;
    d.indirect = reg_target || d.cls == OpClass::kTableBranch;
    d.returns = insn.id == ARM_INS_BX && reg_target && arm.operands[0].reg == ARM_REG_LR;
  } else if (d.core_written & kPcBit) {
    d.writes_pc = true;
    d.indirect = true;
    d.conditional = d.in_it;
    const bool pops = d.cls == OpClass::kLoadMulti || d.cls == OpClass::kLoad;
    d.returns = pops && (d.addr_regs & (1u << 13)) != 0;
    if (d.cls == OpClass::kAlu && (d.core_read & kLrBit) && insn.id == ARM_INS_MOV) {
      d.returns = true;  // mov pc, lr
    }
  }
  // PC is read implicitly by almost everything in Capstone's tables; it never stalls.
  d.core_read &= static_cast<uint16_t>(~kPcBit);
  d.addr_regs &= static_cast<uint16_t>(~kPcBit);
  return d;
}

}  // namespace ember::sim::timing
