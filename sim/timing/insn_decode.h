// DecodedInsn: the core-independent facts the timing model needs about one Thumb
// instruction, extracted once from Capstone's detail (ARM, Thumb + M-class mode).
// Per-core costs are assigned later (core_costs.h); this layer only classifies.
//
// Register sets are bit masks: bit i = r0..r12, 13 = SP, 14 = LR, 15 = PC (core registers);
// FP registers are masks over s0..s31 (a d<n> register sets the bits of s<2n>, s<2n+1>).
#ifndef EMBER_SIM_TIMING_INSN_DECODE_H_
#define EMBER_SIM_TIMING_INSN_DECODE_H_

#include <capstone/capstone.h>

#include <cstdint>

namespace ember::sim::timing {

// What an instruction does, as far as timing goes. The comments give the Cortex-M4
// issue cost for orientation; core_costs.cc has the per-core numbers.
enum class OpClass : uint8_t {
  kAlu,           // data processing, moves, shifts, extend, bitfield, SIMD add, NOP (1)
  kMul,           // MUL/MULS (32-bit result) (1)
  kMulAcc,        // MLA, MLS (M4 1, M3 2)
  kDspMac,        // SMLAD family, SMLAxy, SMULxy, SMMLA, SMUAD, USADA8 ... (1; DSP only)
  kMulLong,       // SMULL, UMULL (M4 1, M3 3-5 operand dependent)
  kMulLongAcc,    // SMLAL, UMLAL, UMAAL, SMLALxy, SMLALD (M4 1, M3 4-7 operand dependent)
  kDiv,           // SDIV, UDIV (2-12, operand dependent)
  kLoad,          // LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX, literal loads (2, pipelines)
  kStore,         // STR/STRB/STRH/STREX (imm offset 1, reg offset 2)
  kLoadDual,      // LDRD (3)
  kStoreDual,     // STRD (3)
  kLoadMulti,     // LDM, POP (1+N)
  kStoreMulti,    // STM, PUSH (1+N)
  kBranch,        // B, BL, BX, BLX, CBZ, CBNZ (1+P taken)
  kTableBranch,   // TBB, TBH
  kIt,            // IT (folds onto a preceding 16-bit instruction)
  kBarrier,       // DMB, DSB, ISB
  kSystem,        // MRS, MSR, CPS, WFI, WFE, SEV, SVC, BKPT, UDF
  kFpAlu,         // VADD, VSUB, VMUL, VNMUL, VABS, VNEG, VCMP, VCVT, VMOV (FP<->FP, imm) (1)
  kFpMac,         // VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS (3)
  kFpDiv,         // VDIV, VSQRT (14)
  kFpLoad,        // VLDR (.32 2, .64 3)
  kFpStore,       // VSTR (.32 2, .64 3)
  kFpLoadMulti,   // VLDM, VPOP (1+N words)
  kFpStoreMulti,  // VSTM, VPUSH (1+N words)
  kFpMove,        // VMOV between core and FP registers (2), VMRS/VMSR (1)
  kUnknown,       // not decodable: charged 1 cycle per halfword
};

struct DecodedInsn {
  uint32_t address = 0;
  uint8_t size = 2;  // 2 or 4 bytes
  OpClass cls = OpClass::kUnknown;
  uint8_t list_words = 0;     // LDM/STM/PUSH/POP: registers; VLDM etc.: 32-bit words
  bool fp_double = false;     // VLDR/VSTR of a d register
  bool writes_pc = false;     // branch or load/move to PC
  bool conditional = false;   // conditional branch (Bcc, CBZ/CBNZ, branch inside IT)
  bool indirect = false;      // target from a register or memory (BX, BLX r, POP {pc}, ...)
  bool returns = false;       // BX LR or POP/LDM loading PC (return-stack predicted on M7)
  bool writeback = false;     // pre/post-indexed or LDM!/STM!
  bool reg_offset = false;    // load/store addressed as [Rn, Rm{, lsl #n}]
  bool literal = false;       // load addressed relative to PC
  int32_t disp = 0;           // immediate offset of the memory operand (signed)
  bool in_it = false;         // inside an IT block (condition from the IT mask)
  bool special_reg = false;   // MRS / MSR (kSystem)
  uint8_t op_reg_a = 0xff;    // dynamic-cost operands (divide: dividend; long mul: Rn)
  uint8_t op_reg_b = 0xff;    // (divide: divisor; long mul: Rm); core register numbers
  bool op_signed = false;     // SDIV / SMULL / SMLAL
  uint16_t core_read = 0;     // core registers read (data and address)
  uint16_t core_written = 0;  // core registers written (incl. writeback base)
  uint16_t addr_regs = 0;     // core registers used to form a memory address
  uint32_t fp_read = 0;       // s-register masks
  uint32_t fp_written = 0;
};

// Classifies one Capstone instruction (decoded with CS_OPT_DETAIL on).
DecodedInsn ClassifyInsn(csh handle, const cs_insn& insn);

// True for classes whose cost depends on operand values (divides, long multiplies).
inline bool IsOperandDependent(OpClass c) {
  return c == OpClass::kDiv || c == OpClass::kMulLong || c == OpClass::kMulLongAcc;
}

inline bool IsSingleLoadStore(OpClass c) { return c == OpClass::kLoad || c == OpClass::kStore; }

}  // namespace ember::sim::timing

#endif  // EMBER_SIM_TIMING_INSN_DECODE_H_
