// The firmware's tick source: core clock cycles, read the way profilers do it on real
// hardware.
//
// ARMv7-M / ARMv7E-M (Cortex-M3, M4, M7): the DWT cycle counter. CycleCounterEnable()
//   sets DEMCR.TRCENA (bit 24, powers the DWT), unlocks the DWT (LAR), clears DWT_CYCCNT and sets
//   DWT_CTRL.CYCCNTENA (bit 0). CycleCounterRead() returns DWT_CYCCNT: 32 bits, wraps
//   after 2^32 cycles (44 s at 96 MHz).
//
// ARMv6-M (Cortex-M0+): there is no DWT cycle counter (the M0+ DWT has no CYCCNT). The
//   SysTick timer is used instead: clocked by the core (CLKSOURCE = 1), reload 0xFFFFFF,
//   counting down, its interrupt (TICKINT) counting the 2^24-cycle wraps in
//   g_ember_systick_wraps (SysTick_Handler in cycle_counter.cc). CycleCounterRead()
//   returns wraps * 2^24 + (0xFFFFFF - SYST_CVR), modulo 2^32. Requirements: SysTick's
//   exception must be taken (interrupts enabled, which they are after reset), and the
//   program must not use SysTick for anything else. A read masks interrupts briefly and
//   accounts for a wrap whose exception is still pending (see CycleCounterRead), so it is
//   exact however late the exception is taken. Reading costs more cycles than on ARMv7-M
//   (PRIMASK save/restore, the wrap count, SYST_CVR and ICSR); `@ember timer` reports it.
//
// Differences of two reads (uint32_t subtraction) are exact across one 2^32 wrap.
#ifndef EMBER_BOARDS_COMMON_CYCLE_COUNTER_H_
#define EMBER_BOARDS_COMMON_CYCLE_COUNTER_H_

#include <stdint.h>

namespace ember::boards {

namespace internal {
inline volatile uint32_t& Reg32(uint32_t address) {
  return *reinterpret_cast<volatile uint32_t*>(address);
}
}  // namespace internal

#if defined(__ARM_ARCH_6M__)

// Number of SysTick wraps (2^24 cycles each) since CycleCounterEnable().
extern "C" volatile uint32_t g_ember_systick_wraps;

inline constexpr uint32_t kSysTickCsr = 0xE000E010u;  // control and status
inline constexpr uint32_t kSysTickRvr = 0xE000E014u;  // reload value
inline constexpr uint32_t kSysTickCvr = 0xE000E018u;  // current value
inline constexpr uint32_t kSysTickMax = 0x00FFFFFFu;

inline void CycleCounterEnable() {
  internal::Reg32(kSysTickCsr) = 0;
  internal::Reg32(kSysTickRvr) = kSysTickMax;
  internal::Reg32(kSysTickCvr) = 0;  // any write clears the counter and COUNTFLAG
  g_ember_systick_wraps = 0;
  // ENABLE | TICKINT | CLKSOURCE (processor clock)
  internal::Reg32(kSysTickCsr) = (1u << 0) | (1u << 1) | (1u << 2);
}

inline constexpr uint32_t kIcsr = 0xE000ED04u;          // SCB interrupt control and state
inline constexpr uint32_t kIcsrPendStSet = 1u << 26;    // SysTick exception pending

// Interrupts are masked for the few instructions of the read, so the wrap count and the
// counter belong together whenever the SysTick exception is taken: a wrap that happened
// but whose exception is still pending (ICSR.PENDSTSET) is added here, and the counter is
// then re-read, certainly after that wrap.
inline uint32_t CycleCounterRead() {
  uint32_t primask;
  __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  uint32_t wraps = g_ember_systick_wraps;
  uint32_t value = internal::Reg32(kSysTickCvr);
  if ((internal::Reg32(kIcsr) & kIcsrPendStSet) != 0) {
    wraps += 1;
    value = internal::Reg32(kSysTickCvr);
  }
  __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
  return (wraps << 24) + (kSysTickMax - value);
}

inline constexpr const char* kCycleCounterSource = "SysTick (24-bit, wraps counted)";

#elif defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)

inline constexpr uint32_t kDemcr = 0xE000EDFCu;     // Debug Exception and Monitor Control
inline constexpr uint32_t kDwtCtrl = 0xE0001000u;   // DWT control
inline constexpr uint32_t kDwtCyccnt = 0xE0001004u; // DWT cycle count
inline constexpr uint32_t kDwtLar = 0xE0001FB0u;    // CoreSight lock access register

inline void CycleCounterEnable() {
  internal::Reg32(kDemcr) |= 1u << 24;  // TRCENA
  // Some Cortex-M7 parts (e.g. STM32F7) keep the DWT locked until the CoreSight key is
  // written; where there is no lock the write is ignored.
  internal::Reg32(kDwtLar) = 0xC5ACCE55u;
  internal::Reg32(kDwtCyccnt) = 0;
  internal::Reg32(kDwtCtrl) |= 1u << 0;  // CYCCNTENA
}

inline uint32_t CycleCounterRead() { return internal::Reg32(kDwtCyccnt); }

inline constexpr const char* kCycleCounterSource = "DWT CYCCNT";

#else
#error "cycle_counter.h: unsupported architecture (Cortex-M0+, M3, M4 or M7 expected)"
#endif

}  // namespace ember::boards

#endif  // EMBER_BOARDS_COMMON_CYCLE_COUNTER_H_
