// Exception entry/return for M-profile on top of Unicorn (see sim/exceptions.h).
#include "sim/exceptions.h"

#include <fmt/format.h>

namespace ember::sim {
namespace {

#define ASSIGN_OR_RETURN_VAL(lhs, expr)       \
  auto lhs##_r = (expr);                      \
  if (!lhs##_r.ok()) return lhs##_r.status(); \
  auto lhs = lhs##_r.value()

constexpr uint32_t kSpselBit = 1u << 1;  // CONTROL.SPSEL

}  // namespace

ExceptionUnit::ExceptionUnit(Machine* machine, SystemControl* scs, CycleModel* model)
    : machine_(machine), scs_(scs), model_(model) {}

int ExceptionUnit::Priority(int vector) const {
  if (vector == 0) return 256;  // thread mode
  return scs_->SystemPriority(vector);
}

Result<bool> ExceptionUnit::TakePending(uint32_t return_pc) {
  uint32_t pending = scs_->pending();
  if (pending == 0) return false;
  ASSIGN_OR_RETURN_VAL(primask, machine_->ReadReg(Reg::kPrimask));
  if (primask & 1) return false;
  // Most urgent pending: lowest priority value, then lowest number.
  int best = -1;
  for (int n = 4; n < 16; ++n) {
    if ((pending & (1u << n)) && (best < 0 || Priority(n) < Priority(best))) best = n;
  }
  if (best < 0 || Priority(best) >= Priority(active())) return false;
  scs_->ClearPending(best);
  EMBER_SIM_RETURN_IF_ERROR(Enter(best, return_pc));
  return true;
}

Status ExceptionUnit::Enter(int n, uint32_t return_pc) {
  ASSIGN_OR_RETURN_VAL(control, machine_->ReadReg(Reg::kControl));
  bool psp = active_.empty() && (control & kSpselBit) != 0;
  ASSIGN_OR_RETURN_VAL(sp, machine_->ReadReg(Reg::kSp));
  ASSIGN_OR_RETURN_VAL(xpsr, machine_->ReadReg(Reg::kXpsr));
  static constexpr Reg kStacked[6] = {Reg::kR0, Reg::kR1, Reg::kR2, Reg::kR3, Reg::kR12, Reg::kLr};
  uint32_t frame[8];
  for (int i = 0; i < 6; ++i) {
    ASSIGN_OR_RETURN_VAL(v, machine_->ReadReg(kStacked[i]));
    frame[i] = v;
  }
  frame[6] = return_pc & ~1u;
  frame[7] = (xpsr & ~0x1ffu) | (1u << 24);  // keep flags/IT/T, drop IPSR
  if (sp & 4) {
    sp -= 4;
    frame[7] |= 1u << 9;
  }
  sp -= 32;
  for (int i = 0; i < 8; ++i) {
    Status st = machine_->WriteU32(sp + 4 * i, frame[i]);
    if (!st.ok()) {
      Fault f;
      f.kind = FaultKind::kUnmappedWrite;
      f.pc = return_pc;
      f.has_address = true;
      f.address = sp + 4 * i;
      f.detail = fmt::format("stacking the frame for exception {} (stack overflow?)", n);
      machine_->StopWithFault(std::move(f));
      return Status::Ok();
    }
  }
  Frame record{n, psp, {}};
  if (machine_->board().has_fpu) {
    for (int i = 0; i < 16; ++i) {
      ASSIGN_OR_RETURN_VAL(v, machine_->ReadFpReg(i));
      record.fp.push_back(v);
    }
    ASSIGN_OR_RETURN_VAL(fpscr, machine_->ReadReg(Reg::kFpscr));
    record.fp.push_back(fpscr);
  }
  if (psp) {
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kPsp, sp));
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kControl, control & ~kSpselBit));
  } else {
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kSp, sp));
  }
  ASSIGN_OR_RETURN_VAL(vector, machine_->ReadU32(scs_->vtor() + 4u * static_cast<uint32_t>(n)));
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kLr, psp ? 0xFFFFFFFDu : 0xFFFFFFF9u));
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kPc, vector | 1u));
  active_.push_back(std::move(record));
  scs_->set_active(n);
  ++taken_;
  if (model_) model_->AddCycles(machine_->board().core == CoreKind::kCortexM0Plus ? 15 : 12);
  return Status::Ok();
}

Status ExceptionUnit::Return(uint32_t exc_return) {
  if (active_.empty()) {
    ASSIGN_OR_RETURN_VAL(pc, machine_->ReadReg(Reg::kPc));
    Fault f;
    f.kind = FaultKind::kUnhandledException;
    f.pc = pc;
    f.detail =
        fmt::format("branch to EXC_RETURN value 0x{:08x} outside an exception handler", exc_return);
    machine_->StopWithFault(std::move(f));
    return Status::Ok();
  }
  Frame record = std::move(active_.back());
  active_.pop_back();
  bool to_psp = (exc_return & 0x4) != 0;
  uint32_t sp = 0;
  if (to_psp) {
    ASSIGN_OR_RETURN_VAL(psp, machine_->ReadReg(Reg::kPsp));
    sp = psp;
  } else {
    ASSIGN_OR_RETURN_VAL(msp, machine_->ReadReg(Reg::kSp));
    sp = msp;
  }
  uint32_t frame[8];
  EMBER_SIM_RETURN_IF_ERROR(machine_->ReadMemory(sp, frame, sizeof(frame)));
  sp += 32;
  if (frame[7] & (1u << 9)) sp += 4;
  static constexpr Reg kStacked[6] = {Reg::kR0, Reg::kR1, Reg::kR2, Reg::kR3, Reg::kR12, Reg::kLr};
  for (int i = 0; i < 6; ++i) EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(kStacked[i], frame[i]));
  if (to_psp) {
    ASSIGN_OR_RETURN_VAL(control, machine_->ReadReg(Reg::kControl));
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kControl, control | kSpselBit));
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kPsp, sp));
  } else {
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kSp, sp));
  }
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kXpsr, frame[7] & ~0x3ffu));
  for (size_t i = 0; i + 1 < record.fp.size(); ++i) {
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteFpReg(static_cast<int>(i), record.fp[i]));
  }
  if (!record.fp.empty())
    EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kFpscr, record.fp.back()));
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kPc, frame[6] | 1u));
  scs_->set_active(active());
  if (model_) model_->AddCycles(machine_->board().core == CoreKind::kCortexM0Plus ? 12 : 10);
  return Status::Ok();
}

}  // namespace ember::sim
