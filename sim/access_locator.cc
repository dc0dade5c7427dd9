// Finding the faulting load/store inside a block (see sim/access_locator.h).
#include "sim/access_locator.h"

#include <capstone/capstone.h>

#include <cstring>

#include "sim/capstone_regs.h"

namespace ember::sim {
namespace {

std::optional<uint32_t> RegValue(const Machine& machine, unsigned cs_reg, uint32_t insn_address) {
  if (cs_reg == ARM_REG_PC) return (insn_address + 4) & ~3u;  // Thumb PC-relative base
  Reg reg;
  if (!CapstoneToReg(cs_reg, &reg)) return std::nullopt;
  auto v = machine.ReadReg(reg);
  if (!v.ok()) return std::nullopt;
  return *v;
}

bool Matches(const Machine& machine, const cs_insn& insn, uint32_t address) {
  const cs_arm& arm = insn.detail->arm;
  const char* m = insn.mnemonic;
  bool multiple = !std::strncmp(m, "push", 4) || !std::strncmp(m, "pop", 3) ||
                  !std::strncmp(m, "stm", 3) || !std::strncmp(m, "ldm", 3);
  if (multiple) {
    // PUSH/POP/LDM/STM: the access lies within 4 * registers of the base (SP for push/pop).
    unsigned base_reg = ARM_REG_SP;
    int regs = arm.op_count;
    if (m[0] == 's' || m[0] == 'l') {
      if (arm.op_count == 0 || arm.operands[0].type != ARM_OP_REG) return false;
      base_reg = arm.operands[0].reg;
      --regs;
    }
    auto base = RegValue(machine, base_reg, static_cast<uint32_t>(insn.address));
    if (!base) return false;
    int64_t lo = int64_t{*base} - 4 * regs, hi = int64_t{*base} + 4 * regs;
    return address >= lo && address < hi;
  }
  for (int i = 0; i < arm.op_count; ++i) {
    const cs_arm_op& op = arm.operands[i];
    if (op.type != ARM_OP_MEM) continue;
    auto base = RegValue(machine, op.mem.base, static_cast<uint32_t>(insn.address));
    if (!base) return false;
    int64_t ea = int64_t{*base} + op.mem.disp;
    if (op.mem.index != ARM_REG_INVALID) {
      auto index = RegValue(machine, op.mem.index, static_cast<uint32_t>(insn.address));
      if (!index) return false;
      int64_t scaled = int64_t{*index} << op.mem.lshift;
      ea += op.mem.scale < 0 ? -scaled : scaled;
    }
    // Post-indexed forms access [base] (the offset applies afterwards): accept both.
    return static_cast<uint32_t>(ea) == address || *base == address;
  }
  return false;
}

}  // namespace

std::optional<uint32_t> LocateAccess(const Machine& machine, uint32_t block_start, uint32_t address,
                                     bool is_write) {
  csh handle = 0;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &handle) !=
      CS_ERR_OK) {
    return std::nullopt;
  }
  cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
  uint8_t code[256];
  std::optional<uint32_t> found;
  if (machine.ReadMemory(block_start, code, sizeof(code)).ok()) {
    const uint8_t* p = code;
    size_t size = sizeof(code);
    uint64_t pc = block_start;
    cs_insn* insn = cs_malloc(handle);
    while (cs_disasm_iter(handle, &p, &size, &pc, insn)) {
      const char* m = insn->mnemonic;
      bool store = (m[0] == 's' && m[1] == 't') || !std::strncmp(m, "push", 4) ||
                   !std::strncmp(m, "vst", 3) || !std::strncmp(m, "vpush", 5);
      bool load = (m[0] == 'l' && m[1] == 'd') || !std::strncmp(m, "pop", 3) ||
                  !std::strncmp(m, "vld", 3) || !std::strncmp(m, "vpop", 4);
      if ((is_write ? store : load) && Matches(machine, *insn, address)) {
        found = static_cast<uint32_t>(insn->address);
        break;
      }
      bool branch = insn->detail && cs_insn_group(handle, insn, CS_GRP_JUMP);
      if (branch) break;
    }
    cs_free(insn, 1);
  }
  cs_close(&handle);
  return found;
}

}  // namespace ember::sim
