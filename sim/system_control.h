// The Cortex-M system control space as MMIO devices, counting MODELED cycles (not host time
// and not instructions):
//
//   SystemControl at 0xE000E000 (4 KB):
//     SysTick  0x010 CSR (ENABLE, TICKINT, CLKSOURCE, COUNTFLAG), 0x014 RVR (24 bit),
//              0x018 CVR (any write clears it and COUNTFLAG), 0x01C CALIB (NOREF|SKEW|TENMS)
//              The counter runs at the core clock (CLKSOURCE is read back but both sources are
//              treated as the core clock). With TICKINT set, reaching zero pends exception 15.
//     NVIC     0x100-0x4EF: enable/pending/priority registers are stored and read back; no
//              external interrupts are ever raised (there are no peripherals that raise them).
//     SCB      0xD00 CPUID (per core), 0xD04 ICSR (PENDSVSET, PENDSTSET, VECTACTIVE),
//              0xD08 VTOR, 0xD0C AIRCR (VECTKEY; SYSRESETREQ ends the run), 0xD10 SCR,
//              0xD14 CCR (DIV_0_TRP bit 4, UNALIGN_TRP bit 3), 0xD18-0xD23 SHPR1-3,
//              0xD24 SHCSR, 0xD28 CFSR, 0xD2C HFSR, 0xD34 MMFAR, 0xD38 BFAR,
//              0xD88 CPACR (CP10/CP11 = bits 20-23), 0xDFC DEMCR (TRCENA bit 24).
//     Other offsets are plain storage (read back what was written), so CMSIS start-up code
//     that touches registers we do not model keeps running.
//   Dwt at 0xE0001000 (4 KB): 0x000 CTRL (CYCCNTENA bit 0; NOCYCCNT bit 25 reads 1 on
//     Cortex-M0+, which has no cycle counter), 0x004 CYCCNT (writable, counts modeled cycles
//     while DEMCR.TRCENA and CTRL.CYCCNTENA are set, wraps at 32 bits), 0xFB0 LAR (accepted).
//
// Time advances through Tick(now) (block boundaries) and, for reads, the cycle source given
// at construction (so a CYCCNT read mid-block sees the model's count at that point).
#ifndef EMBER_SIM_SYSTEM_CONTROL_H_
#define EMBER_SIM_SYSTEM_CONTROL_H_

#include <cstdint>
#include <functional>
#include <map>

#include "sim/board.h"
#include "sim/machine.h"

namespace ember::sim {

using CycleSource = std::function<uint64_t()>;

class Dwt;

class SysTick {
 public:
  uint32_t ReadCsr(uint64_t now);
  void WriteCsr(uint64_t now, uint32_t value);
  uint32_t ReadCvr(uint64_t now);
  void WriteCvr(uint64_t now);
  uint32_t rvr() const { return rvr_; }
  void WriteRvr(uint64_t now, uint32_t value);
  // Advances the counter to `now`; returns true if the SysTick exception became pending.
  bool Advance(uint64_t now);
  // True once if a register access advanced the counter through zero with TICKINT set.
  // True when Advance() must run at block boundaries to raise the exception in time
  // (enabled with TICKINT); otherwise register reads advance the counter themselves.
  bool interrupting() const { return enabled_ && tickint_; }
  bool TakeFired() {
    bool f = fired_;
    fired_ = false;
    return f;
  }

 private:
  bool enabled_ = false;
  bool tickint_ = false;
  bool clksource_ = true;
  bool countflag_ = false;
  uint32_t rvr_ = 0;
  uint32_t cvr_ = 0;
  uint64_t last_ = 0;
  bool fired_ = false;
};

class SystemControl : public Device {
 public:
  static constexpr uint32_t kBase = 0xE000E000;
  static constexpr uint32_t kSize = 0x1000;

  SystemControl(const BoardConfig& board, Machine* machine, CycleSource cycles);
  const char* name() const override { return "SCS"; }
  uint32_t Read(uint32_t offset, unsigned size) override;
  void Write(uint32_t offset, unsigned size, uint32_t value) override;
  void Tick(uint64_t now_cycles) override;
  // Whether Tick() has anything to do at block boundaries.
  bool needs_tick() const { return systick_.interrupting(); }

  uint32_t vtor() const { return vtor_; }
  bool div0_trap() const { return (ccr_ & (1u << 4)) != 0; }
  bool fpu_enabled() const {
    return ((cpacr_ >> 20) & 0xf) == 0xf || ((cpacr_ >> 20) & 0xf) == 0x5;
  }
  bool trace_enabled() const { return (demcr_ & (1u << 24)) != 0; }
  // Exception priority (0-255, lower is more urgent) of system exception `n` (4-15).
  uint8_t SystemPriority(int n) const;
  // Pending system exceptions (bit n = exception n): SysTick (15), PendSV (14).
  uint32_t pending() const { return pending_; }
  void ClearPending(int n) { pending_ &= ~(1u << n); }
  void set_active(int vector) { active_ = vector; }
  void set_dwt(Dwt* dwt) { dwt_ = dwt; }
  // Called after every write of CCR (0xE000ED14) with the new value (the Cortex-M7 L1
  // cache enables IC/DC live there).
  void set_ccr_listener(std::function<void(uint32_t)> listener) {
    ccr_listener_ = std::move(listener);
  }
  // Called after every write to this block (any register): what needs_tick(), pending()
  // and fpu_enabled() report may have changed.
  void set_write_listener(std::function<void()> listener) { write_listener_ = std::move(listener); }

 private:
  uint32_t ReadWord(uint32_t offset);
  void WriteWord(uint32_t offset, uint32_t value);

  const BoardConfig& board_;
  Machine* machine_;
  CycleSource cycles_;
  Dwt* dwt_ = nullptr;
  SysTick systick_;
  uint32_t vtor_;
  uint32_t ccr_;
  std::function<void(uint32_t)> ccr_listener_;
  std::function<void()> write_listener_;
  uint32_t cpacr_ = 0;
  uint32_t demcr_ = 0;
  uint32_t shpr_[3] = {0, 0, 0};
  uint32_t pending_ = 0;
  int active_ = 0;
  std::map<uint32_t, uint32_t> storage_;
};

class Dwt : public Device {
 public:
  static constexpr uint32_t kBase = 0xE0001000;
  static constexpr uint32_t kSize = 0x1000;

  Dwt(const BoardConfig& board, const SystemControl* scs, CycleSource cycles);
  const char* name() const override { return "DWT"; }
  uint32_t Read(uint32_t offset, unsigned size) override;
  void Write(uint32_t offset, unsigned size, uint32_t value) override;
  // Settles the counter when CTRL.CYCCNTENA or DEMCR.TRCENA may have changed.
  void Update(uint64_t now);

 private:
  uint32_t Cyccnt(uint64_t now) const;

  const BoardConfig& board_;
  const SystemControl* scs_;
  CycleSource cycles_;
  uint32_t ctrl_ = 0;
  uint32_t cyccnt_base_ = 0;  // CYCCNT value at cycle `since_`
  uint64_t since_ = 0;
  bool was_counting_ = false;
  std::map<uint32_t, uint32_t> storage_;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_SYSTEM_CONTROL_H_
