/* Cortex-M7 L1 caches under program control: times the same flash-resident loop (code and a
 * const table in flash) with DWT CYCCNT with the caches off (reset state), then after the
 * CMSIS-style enable sequence (invalidate, then set SCB CCR.IC and CCR.DC), then after
 * turning them off again. Prints "off=<n> on=<n> off_again=<n>"; the timing model must
 * follow CCR (tests/sim/firmware_test.cc). */
#include <stdint.h>
#include <stdio.h>

#define REG(addr) (*(volatile uint32_t*)(addr))
#define DEMCR REG(0xE000EDFCu)
#define DWT_CTRL REG(0xE0001000u)
#define DWT_CYCCNT REG(0xE0001004u)
#define SCB_CCR REG(0xE000ED14u)
#define SCB_ICIALLU REG(0xE000EF50u)
#define SCB_DCISW REG(0xE000EF60u)

/* In flash, on a 1 KB page of its own: the simulator observes data reads only on flash pages
 * that hold no code (Machine::ObserveReads). */
__attribute__((aligned(1024))) static const int32_t kTable[256] = {
#define ROW(b) b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7
    ROW(0),   ROW(8),   ROW(16),  ROW(24),  ROW(32),  ROW(40),  ROW(48),  ROW(56),
    ROW(64),  ROW(72),  ROW(80),  ROW(88),  ROW(96),  ROW(104), ROW(112), ROW(120),
    ROW(128), ROW(136), ROW(144), ROW(152), ROW(160), ROW(168), ROW(176), ROW(184),
    ROW(192), ROW(200), ROW(208), ROW(216), ROW(224), ROW(232), ROW(240), ROW(248),
#undef ROW
};

__attribute__((noinline)) static int32_t Work(int passes) {
  int32_t acc = 0;
  const int32_t* table = kTable;
  __asm volatile("" : "+r"(table)); /* hide the contents: read them at run time */
  for (int p = 0; p < passes; ++p) {
    for (int i = 0; i < 256; ++i) acc += table[i] * (p + 1);
  }
  return acc;
}

static uint32_t Time(int32_t* result) {
  const uint32_t t0 = DWT_CYCCNT;
  __asm volatile("" ::: "memory");
  *result = Work(8);
  __asm volatile("" ::: "memory");
  return DWT_CYCCNT - t0;
}

static void Barriers(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }

int main(void) {
  DEMCR |= 1u << 24;
  DWT_CYCCNT = 0;
  DWT_CTRL |= 1u;
  int32_t r0, r1, r2;
  const uint32_t off = Time(&r0);
  SCB_ICIALLU = 0;
  for (uint32_t set = 0; set < 32; ++set) {
    for (uint32_t way = 0; way < 4; ++way) SCB_DCISW = (way << 30) | (set << 5);
  }
  Barriers();
  SCB_CCR |= (1u << 17) | (1u << 16); /* IC, DC */
  Barriers();
  const uint32_t on = Time(&r1);
  SCB_CCR &= ~((1u << 17) | (1u << 16));
  Barriers();
  const uint32_t off_again = Time(&r2);
  printf("off=%lu on=%lu off_again=%lu\n", (unsigned long)off, (unsigned long)on,
         (unsigned long)off_again);
  return (r0 == r1 && r1 == r2) ? 0 : 1;
}
