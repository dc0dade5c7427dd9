/* Raw ARM semihosting calls (BKPT 0xAB on Cortex-M), for code that must not depend on
 * stdio: fault handlers, early boot. Ordinary output goes through newlib's printf, which
 * reaches the same semihosting host through rdimon. */
#ifndef EMBER_BOARDS_COMMON_SEMIHOST_H_
#define EMBER_BOARDS_COMMON_SEMIHOST_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SYS_WRITE0 (0x04): writes a NUL-terminated string to the debug console. */
static inline void EmberSemihostWrite0(const char* text) {
  register uint32_t r0 __asm("r0") = 0x04u;
  register const char* r1 __asm("r1") = text;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* EMBER_BOARDS_COMMON_SEMIHOST_H_ */
