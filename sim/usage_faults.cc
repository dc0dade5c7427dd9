// Divide-by-zero trap and FPU-disabled checks (see sim/usage_faults.h).
#include "sim/usage_faults.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <vector>

#include "sim/capstone_regs.h"

namespace ember::sim {
namespace {

bool IsStore(const cs_insn& insn) {
  const char* m = insn.mnemonic;
  return (m[0] == 's' && m[1] == 't') || (m[0] == 'p' && m[1] == 'u');  // str*, stm*, push
}

}  // namespace

UsageFaultChecker::UsageFaultChecker(Machine* machine, const SystemControl* scs)
    : machine_(machine), scs_(scs) {}

UsageFaultChecker::~UsageFaultChecker() {
  if (csh_) {
    csh handle = csh_;
    cs_close(&handle);
  }
}

Status UsageFaultChecker::Attach(const ElfImage& image) {
  csh handle = 0;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &handle) !=
      CS_ERR_OK) {
    return Status::Error("capstone: cannot open an ARM Thumb disassembler");
  }
  csh_ = handle;
  if (cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
    return Status::Error("capstone: cannot enable instruction details");
  }
  Status swept = SweepDivides(image);
  // The per-block FP check needs mnemonics only: decoding without details is much cheaper.
  if (cs_option(handle, CS_OPT_DETAIL, CS_OPT_OFF) != CS_ERR_OK) {
    return Status::Error("capstone: cannot disable instruction details");
  }
  return swept;
}

Status UsageFaultChecker::SweepDivides(const ElfImage& image) {
  if (machine_->board().core == CoreKind::kCortexM0Plus) return Status::Ok();  // no divider
  const csh handle = static_cast<csh>(csh_);
  cs_insn* insn = cs_malloc(handle);
  for (const ElfSegment& seg : image.segments()) {
    if (!seg.executable || seg.data.empty()) continue;
    const uint8_t* code = seg.data.data();
    size_t size = seg.data.size();
    uint64_t address = seg.virtual_address;
    while (size >= 2) {
      if (!cs_disasm_iter(handle, &code, &size, &address, insn)) {
        code += 2, size -= 2, address += 2;  // data or an unknown encoding: skip a halfword
        continue;
      }
      if ((insn->id == ARM_INS_SDIV || insn->id == ARM_INS_UDIV) && insn->detail &&
          insn->detail->arm.op_count >= 2) {
        const cs_arm_op& op = insn->detail->arm.operands[insn->detail->arm.op_count - 1];
        Reg reg;
        if (op.type == ARM_OP_REG && CapstoneToReg(op.reg, &reg)) {
          divides_.push_back(
              DivideSite{static_cast<uint32_t>(insn->address), static_cast<int>(reg)});
          ++divide_sites_;
        }
      }
    }
  }
  cs_free(insn, 1);
  return SyncDivideTrap();
}

// Every Unicorn code hook makes every code-hook call slower (Unicorn walks them all), so the
// divide hooks exist only once the program sets CCR.DIV_0_TRP (most never do).
Status UsageFaultChecker::SyncDivideTrap() {
  if (divide_hooks_on_ || !scs_->div0_trap()) return Status::Ok();
  divide_hooks_on_ = true;
  for (const DivideSite& site : divides_) {
    const int reg_index = site.divisor_reg;
    EMBER_SIM_RETURN_IF_ERROR(machine_->AddCodeHookLate(
        site.address, site.address,
        [this, reg_index](uint32_t a, uint32_t) { OnDivide(a, reg_index); }, site.address,
        uint64_t{site.address} + 4));
  }
  return Status::Ok();
}

void UsageFaultChecker::OnDivide(uint32_t address, int divisor_reg) {
  if (!scs_->div0_trap()) return;
  auto v = machine_->ReadReg(static_cast<Reg>(divisor_reg));
  if (!v.ok() || *v != 0) return;
  Fault f;
  f.kind = FaultKind::kDivideByZero;
  f.pc = address;
  f.detail = "integer division by zero with CCR.DIV_0_TRP set";
  machine_->StopWithFault(std::move(f));
}

int32_t UsageFaultChecker::FirstFpOffset(uint32_t address, uint32_t size) {
  FrontSlot& slot = front_[(address >> 1) & (kFrontSlots - 1)];
  if (slot.address == address) return slot.first_fp_offset;
  auto it = blocks_.find(address);
  if (it == blocks_.end()) {
    BlockInfo info;
    std::vector<uint8_t> bytes(size);
    if (size > 0 && machine_->ReadMemory(address, bytes.data(), size).ok()) {
      cs_insn* insn = nullptr;
      size_t n = cs_disasm(static_cast<csh>(csh_), bytes.data(), size, address, 0, &insn);
      for (size_t i = 0; i < n; ++i) {
        if (IsStore(insn[i])) break;
        if (insn[i].mnemonic[0] == 'v') {
          info.first_fp_offset = static_cast<int32_t>(insn[i].address - address);
          break;
        }
      }
      if (n) cs_free(insn, n);
    }
    it = blocks_.emplace(address, info).first;
  }
  slot.address = address;
  slot.first_fp_offset = it->second.first_fp_offset;
  return slot.first_fp_offset;
}

void UsageFaultChecker::OnBlock(uint32_t address, uint32_t size) {
  if (machine_->board().has_fpu && scs_->fpu_enabled()) return;
  const int32_t first_fp_offset = FirstFpOffset(address, size);
  if (first_fp_offset < 0) return;
  Fault f;
  f.kind = FaultKind::kNoCoprocessor;
  f.pc = address + static_cast<uint32_t>(first_fp_offset);
  f.detail = machine_->board().has_fpu
                 ? "floating-point instruction before the FPU was enabled in CPACR (0xE000ED88)"
                 : fmt::format("floating-point instruction on board {}, which has no FPU",
                               machine_->board().id);
  machine_->StopWithFault(std::move(f));
}

}  // namespace ember::sim
