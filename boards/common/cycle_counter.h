// The firmware's tick source: core clock cycles, read the way profilers do it on real
// hardware.
//
// ARMv7-M / ARMv7E-M (Cortex-M3, M4, M7): the DWT cycle counter. CycleCounterEnable()
//   sets DEMCR.TRCENA (bit 24, powers the DWT), clears DWT_CYCCNT and sets
//   DWT_CTRL.CYCCNTENA (bit 0). CycleCounterRead() returns DWT_CYCCNT: 32 bits, wraps
//   after 2^32 cycles (44 s at 96 MHz).
//
// ARMv6-M (Cortex-M0+): there is no DWT cycle counter (the M0+ DWT has no CYCCNT). The
//   SysTick timer is used instead: clocked by the core (CLKSOURCE = 1), reload 0xFFFFFF,
//   counting down, its interrupt (TICKINT) counting the 2^24-cycle wraps in
//   g_ember_systick_wraps (SysTick_Handler in cycle_counter.cc). CycleCounterRead()
//   returns wraps * 2^24 + (0xFFFFFF - SYST_CVR), modulo 2^32. Requirements: SysTick's
//   exception must be taken (interrupts enabled, which they are after reset), and the
//   program must not use SysTick for anything else. The wrap count is re-read after the
//   counter to discard a read that straddles a wrap. Reading costs a few more cycles than
//   on ARMv7-M (two loads of the wrap count and one of SYST_CVR).
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

inline uint32_t CycleCounterRead() {
  uint32_t wraps;
  uint32_t value;
  do {
    wraps = g_ember_systick_wraps;
    value = internal::Reg32(kSysTickCvr);
  } while (wraps != g_ember_systick_wraps);
  return (wraps << 24) + (kSysTickMax - value);
}

inline constexpr const char* kCycleCounterSource = "SysTick (24-bit, wraps counted)";

#elif defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)

inline constexpr uint32_t kDemcr = 0xE000EDFCu;     // Debug Exception and Monitor Control
inline constexpr uint32_t kDwtCtrl = 0xE0001000u;   // DWT control
inline constexpr uint32_t kDwtCyccnt = 0xE0001004u; // DWT cycle count

inline void CycleCounterEnable() {
  internal::Reg32(kDemcr) |= 1u << 24;  // TRCENA
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
