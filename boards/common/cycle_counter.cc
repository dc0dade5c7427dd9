// SysTick wrap counting for the ARMv6-M cycle counter (see cycle_counter.h). Nothing here
// on ARMv7-M, where the DWT counter needs no interrupt.
#include "boards/common/cycle_counter.h"

#if defined(__ARM_ARCH_6M__)

extern "C" {

volatile uint32_t g_ember_systick_wraps = 0;

// Overrides the weak default handler of startup.c.
void SysTick_Handler(void) { g_ember_systick_wraps = g_ember_systick_wraps + 1; }

}  // extern "C"

#endif
