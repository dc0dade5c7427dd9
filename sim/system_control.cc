// System control space devices: SysTick, NVIC storage, SCB, CPACR, DEMCR, DWT.
#include "sim/system_control.h"

namespace ember::sim {
namespace {

constexpr uint32_t kCsrEnable = 1u << 0;
constexpr uint32_t kCsrTickint = 1u << 1;
constexpr uint32_t kCsrClksource = 1u << 2;
constexpr uint32_t kCsrCountflag = 1u << 16;

// CPUID: implementer 0x41 (Arm), variant, constant, partno, revision.
uint32_t CpuId(CoreKind core) {
  switch (core) {
    case CoreKind::kCortexM0Plus:
      return 0x410CC601;  // r0p1
    case CoreKind::kCortexM3:
      return 0x412FC231;  // r2p1
    case CoreKind::kCortexM4:
      return 0x410FC241;  // r0p1
    case CoreKind::kCortexM7:
      return 0x411FC271;  // r1p1
  }
  return 0;
}

// Sub-word accesses: read the containing word and extract; write merges into it.
uint32_t Extract(uint32_t word, uint32_t offset, unsigned size) {
  uint32_t shift = (offset & 3) * 8;
  uint32_t mask = size >= 4 ? 0xffffffffu : ((1u << (size * 8)) - 1);
  return (word >> shift) & mask;
}

uint32_t Merge(uint32_t word, uint32_t offset, unsigned size, uint32_t value) {
  uint32_t shift = (offset & 3) * 8;
  uint32_t mask = size >= 4 ? 0xffffffffu : ((1u << (size * 8)) - 1);
  return (word & ~(mask << shift)) | ((value & mask) << shift);
}

}  // namespace

// --- SysTick ---

bool SysTick::Advance(uint64_t now) {
  if (!enabled_) {
    last_ = now;
    return false;
  }
  uint64_t d = now > last_ ? now - last_ : 0;
  last_ = now;
  if (d == 0) return false;
  bool hit = false;
  if (cvr_ > 0) {
    if (d < cvr_) {
      cvr_ -= static_cast<uint32_t>(d);
      return false;
    }
    d -= cvr_;
    cvr_ = 0;
    hit = true;
  }
  // At zero: the next cycle reloads RVR, then RVR cycles count down to zero again.
  if (d > 0 && rvr_ != 0) {
    uint64_t period = uint64_t{rvr_} + 1;
    if (d >= period) hit = true;
    uint64_t rem = d % period;
    cvr_ = rem == 0 ? 0 : static_cast<uint32_t>(rvr_ - (rem - 1));
  }
  if (hit) countflag_ = true;
  return hit && tickint_;
}

uint32_t SysTick::ReadCsr(uint64_t now) {
  fired_ |= Advance(now);
  uint32_t v = (enabled_ ? kCsrEnable : 0) | (tickint_ ? kCsrTickint : 0) |
               (clksource_ ? kCsrClksource : 0) | (countflag_ ? kCsrCountflag : 0);
  countflag_ = false;  // COUNTFLAG clears on read
  return v;
}

void SysTick::WriteCsr(uint64_t now, uint32_t value) {
  fired_ |= Advance(now);
  bool was_enabled = enabled_;
  enabled_ = (value & kCsrEnable) != 0;
  tickint_ = (value & kCsrTickint) != 0;
  clksource_ = (value & kCsrClksource) != 0;
  // Enabling with CVR == 0 loads RVR on the first cycle (handled by Advance()).
  if (enabled_ && !was_enabled) last_ = now;
}

uint32_t SysTick::ReadCvr(uint64_t now) {
  fired_ |= Advance(now);
  return cvr_;
}

void SysTick::WriteCvr(uint64_t now) {
  fired_ |= Advance(now);
  cvr_ = 0;
  countflag_ = false;
}

void SysTick::WriteRvr(uint64_t now, uint32_t value) {
  fired_ |= Advance(now);
  rvr_ = value & 0x00ffffff;
}

// --- SystemControl ---

SystemControl::SystemControl(const BoardConfig& board, Machine* machine, CycleSource cycles)
    : board_(board),
      machine_(machine),
      cycles_(std::move(cycles)),
      vtor_(board.vector_table),
      // CCR reset value: STKALIGN (bit 9) set on M3 r2+/M4/M7/M0+; UNALIGN_TRP set on M0+
      // (ARMv6-M always traps unaligned accesses).
      ccr_(board.core == CoreKind::kCortexM0Plus ? 0x208u : 0x200u) {}

uint8_t SystemControl::SystemPriority(int n) const {
  if (n < 4 || n > 15) return 0;
  int index = n - 4;
  return static_cast<uint8_t>(shpr_[index / 4] >> ((index % 4) * 8));
}

void SystemControl::Tick(uint64_t now_cycles) {
  bool fired = systick_.Advance(now_cycles);
  if (systick_.TakeFired() || fired) pending_ |= 1u << 15;
}

uint32_t SystemControl::Read(uint32_t offset, unsigned size) {
  return Extract(ReadWord(offset & ~3u), offset, size);
}

void SystemControl::Write(uint32_t offset, unsigned size, uint32_t value) {
  uint32_t word_offset = offset & ~3u;
  if (size < 4) value = Merge(ReadWord(word_offset), offset, size, value);
  WriteWord(word_offset, value);
  if (write_listener_) write_listener_();
}

uint32_t SystemControl::ReadWord(uint32_t offset) {
  uint64_t now = cycles_();
  switch (offset) {
    case 0x010:
      return systick_.ReadCsr(now);
    case 0x014:
      return systick_.rvr();
    case 0x018:
      return systick_.ReadCvr(now);
    case 0x01C: {
      // NOREF (no external reference clock), SKEW, TENMS = cycles in 10 ms if it fits.
      uint64_t tenms = board_.clock_hz / 100;
      return (1u << 31) | (1u << 30) |
             (tenms > 0 && tenms <= 0x1000000 ? static_cast<uint32_t>(tenms - 1) : 0);
    }
    case 0xD00:
      return CpuId(board_.core);
    case 0xD04: {
      uint32_t v = static_cast<uint32_t>(active_) & 0x1ff;
      if (pending_ & (1u << 15)) v |= 1u << 26;
      if (pending_ & (1u << 14)) v |= 1u << 28;
      return v;
    }
    case 0xD08:
      return vtor_;
    case 0xD0C:
      return 0xFA050000;  // VECTKEYSTAT, little-endian
    case 0xD14:
      return ccr_;
    case 0xD18:
      return shpr_[0];
    case 0xD1C:
      return shpr_[1];
    case 0xD20:
      return shpr_[2];
    case 0xD88:
      return cpacr_;
    case 0xDFC:
      return demcr_;
    default: {
      auto it = storage_.find(offset);
      return it == storage_.end() ? 0 : it->second;
    }
  }
}

void SystemControl::WriteWord(uint32_t offset, uint32_t value) {
  uint64_t now = cycles_();
  switch (offset) {
    case 0x010:
      systick_.WriteCsr(now, value);
      return;
    case 0x014:
      systick_.WriteRvr(now, value);
      return;
    case 0x018:
      systick_.WriteCvr(now);
      return;
    case 0xD04:
      if (value & (1u << 26)) pending_ |= 1u << 15;     // PENDSTSET
      if (value & (1u << 25)) pending_ &= ~(1u << 15);  // PENDSTCLR
      if (value & (1u << 28)) pending_ |= 1u << 14;     // PENDSVSET
      if (value & (1u << 27)) pending_ &= ~(1u << 14);  // PENDSVCLR
      return;
    case 0xD08:
      vtor_ = value & ~0x7fu;
      return;
    case 0xD0C:
      if ((value >> 16) == 0x05FA && (value & (1u << 2))) {
        StopInfo info;
        info.reason = StopReason::kHostRequest;
        info.message = "the program requested a system reset (AIRCR.SYSRESETREQ)";
        machine_->Stop(std::move(info));
      }
      return;
    case 0xD14:
      ccr_ = value;
      if (ccr_listener_) ccr_listener_(value);
      return;
    case 0xD18:
      shpr_[0] = value;
      return;
    case 0xD1C:
      shpr_[1] = value;
      return;
    case 0xD20:
      shpr_[2] = value;
      return;
    case 0xD88:
      cpacr_ = value & 0x00f00000;
      return;
    case 0xDFC:
      if (dwt_) dwt_->Update(now);
      demcr_ = value;
      if (dwt_) dwt_->Update(now);
      return;
    case 0xD28:
    case 0xD2C:  // CFSR, HFSR: write-one-to-clear
      storage_[offset] &= ~value;
      return;
    default:
      storage_[offset] = value;
      return;
  }
}

// --- DWT ---

Dwt::Dwt(const BoardConfig& board, const SystemControl* scs, CycleSource cycles)
    : board_(board), scs_(scs), cycles_(std::move(cycles)) {}

uint32_t Dwt::Cyccnt(uint64_t now) const {
  if (!was_counting_) return cyccnt_base_;
  return cyccnt_base_ + static_cast<uint32_t>(now - since_);
}

void Dwt::Update(uint64_t now) {
  bool counting = board_.core != CoreKind::kCortexM0Plus && (ctrl_ & 1u) && scs_->trace_enabled();
  if (counting == was_counting_) return;
  if (counting) {
    since_ = now;
  } else {
    cyccnt_base_ = Cyccnt(now);
  }
  was_counting_ = counting;
}

uint32_t Dwt::Read(uint32_t offset, unsigned size) {
  uint64_t now = cycles_();
  Update(now);
  uint32_t word = 0;
  switch (offset & ~3u) {
    case 0x000:
      // NUMCOMP = 4 (M3/M4/M7) or 2 (M0+); M0+ sets NOCYCCNT (bit 25) and NOPRFCNT (bit 24).
      word = board_.core == CoreKind::kCortexM0Plus ? (0x2u << 28) | (3u << 24)
                                                    : (0x4u << 28) | (ctrl_ & 0x1fff);
      break;
    case 0x004:
      word = board_.core == CoreKind::kCortexM0Plus ? 0 : Cyccnt(now);
      break;
    default: {
      auto it = storage_.find(offset & ~3u);
      word = it == storage_.end() ? 0 : it->second;
    }
  }
  return Extract(word, offset, size);
}

void Dwt::Write(uint32_t offset, unsigned size, uint32_t value) {
  uint64_t now = cycles_();
  Update(now);
  uint32_t word_offset = offset & ~3u;
  if (size < 4) value = Merge(Read(word_offset, 4), offset, size, value);
  switch (word_offset) {
    case 0x000:
      ctrl_ = value;
      break;
    case 0x004:
      cyccnt_base_ = value;
      since_ = now;
      break;
    default:
      storage_[word_offset] = value;
      break;
  }
  Update(now);
}

}  // namespace ember::sim
