/* One firmware, many behaviours: the scenario is the semihosting command line
 * (SYS_GET_CMDLINE), set by the test. Each scenario's faulting code is in its own
 * noinline function so the fault report's symbol can be checked. Exit codes: 0 = the
 * scenario's self-checks passed; 10+ = a self-check failed; 100+n = exception n taken by
 * the default handler (startup.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REG(addr) (*(volatile uint32_t*)(addr))
#define DEMCR REG(0xE000EDFCu)
#define DWT_CTRL REG(0xE0001000u)
#define DWT_CYCCNT REG(0xE0001004u)
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define SCB_CPUID REG(0xE000ED00u)
#define SCB_CCR REG(0xE000ED14u)

static int GetCommandLine(char* buffer, uint32_t size) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)buffer, size};
  register uint32_t r0 __asm("r0") = 0x15; /* SYS_GET_CMDLINE */
  register uint32_t* r1 __asm("r1") = block;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return (int)r0;
}

__attribute__((noinline)) uint32_t ReadUnmapped(void) { return REG(0x30000000u); }
__attribute__((noinline)) void WriteUnmapped(void) { REG(0x30000010u) = 0x1234; }
__attribute__((noinline)) void WriteFlash(uint32_t address) { REG(address) = 0xdeadbeef; }
__attribute__((noinline)) void Undefined(void) { __asm volatile("udf #7"); }
__attribute__((noinline)) void JumpToNowhere(void) {
  void (*f)(void) = (void (*)(void))0x30000001u;
  f();
}
#if __ARM_ARCH >= 7
__attribute__((noinline)) int Divide(int a, int b) {
  int q;
  __asm volatile("sdiv %0, %1, %2" : "=r"(q) : "r"(a), "r"(b));
  return q;
}
#endif
#if defined(__ARM_ARCH_7EM__)
/* A floating-point instruction in a soft-float build: executes only if CPACR enables CP10/11. */
__attribute__((noinline)) void UseFpu(void) {
  __asm volatile(".fpu fpv4-sp-d16\n\tvmov s0, r0\n\tvadd.f32 s1, s0, s0" ::: "memory");
}
#endif
__attribute__((noinline)) void Spin(void) {
  for (;;) __asm volatile("");
}

/* Cycle counter: enabled through DEMCR.TRCENA and DWT_CTRL.CYCCNTENA. */
static int DwtScenario(void) {
  uint32_t idle0 = DWT_CYCCNT;
  for (volatile int i = 0; i < 100; ++i) {}
  if (DWT_CYCCNT != idle0) return 10; /* not counting before it is enabled */
  DEMCR |= 1u << 24;
  DWT_CYCCNT = 0;
  DWT_CTRL |= 1u;
  uint32_t t0 = DWT_CYCCNT;
  for (volatile int i = 0; i < 1000; ++i) {}
  uint32_t t1 = DWT_CYCCNT;
  DWT_CTRL &= ~1u;
  uint32_t stopped = DWT_CYCCNT;
  for (volatile int i = 0; i < 100; ++i) {}
  if (DWT_CYCCNT != stopped) return 11; /* stops when CYCCNTENA is cleared */
  DWT_CYCCNT = 5000;
  if (DWT_CYCCNT != 5000) return 12; /* writable */
  printf("cyccnt loop=%lu start=%lu\n", (unsigned long)(t1 - t0), (unsigned long)t0);
  return 0;
}

static volatile uint32_t g_ticks;
void SysTick_Handler(void) { ++g_ticks; }

/* SysTick interrupts every 1000 cycles while main computes a checksum: the handler runs
 * and the interrupted computation is not disturbed (exception entry/return correct). */
static int SysTickScenario(void) {
  SYST_RVR = 999;
  SYST_CVR = 0;
  SYST_CSR = 7; /* ENABLE | TICKINT | CLKSOURCE */
  uint32_t sum = 0, x = 1;
  for (uint32_t i = 0; i < 20000; ++i) {
    x = x * 1664525u + 1013904223u;
    sum += x >> 7;
  }
  SYST_CSR = 0;
  uint32_t expected = 0;
  x = 1;
  for (uint32_t i = 0; i < 20000; ++i) {
    x = x * 1664525u + 1013904223u;
    expected += x >> 7;
  }
  printf("ticks=%lu sum=%08lx\n", (unsigned long)g_ticks, (unsigned long)sum);
  if (sum != expected) return 20;
  if (g_ticks == 0) return 21;
  /* Polling COUNTFLAG without the interrupt. */
  uint32_t before = g_ticks;
  SYST_RVR = 499;
  SYST_CVR = 0;
  SYST_CSR = 5; /* ENABLE | CLKSOURCE */
  int polls = 0;
  while ((SYST_CSR & (1u << 16)) == 0) ++polls;
  SYST_CSR = 0;
  if (g_ticks != before) return 22;
  printf("countflag after %d polls, cvr=%lu\n", polls, (unsigned long)SYST_CVR);
  return 0;
}

static uint32_t Semihost(uint32_t op, void* arg) {
  register uint32_t r0 __asm("r0") = op;
  register void* r1 __asm("r1") = arg;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* Semihosting calls beyond printf/exit: values printed for the test to check. */
static int SemihostingScenario(void) {
  uint32_t tickfreq = Semihost(0x31, 0);                 /* SYS_TICKFREQ */
  uint32_t e0[2], e1[2];
  Semihost(0x30, e0);                                    /* SYS_ELAPSED */
  for (volatile int i = 0; i < 1000; ++i) {}
  Semihost(0x30, e1);
  uint64_t t0 = ((uint64_t)e0[1] << 32) | e0[0], t1 = ((uint64_t)e1[1] << 32) | e1[0];
  uint32_t heap[4] = {0, 0, 0, 0};
  uint32_t* heap_ptr = heap;
  Semihost(0x16, &heap_ptr);                             /* SYS_HEAPINFO */
  int32_t clock = (int32_t)Semihost(0x10, 0);            /* SYS_CLOCK */
  uint32_t now = Semihost(0x11, 0);                      /* SYS_TIME */
  FILE* f = fopen("/etc/hostname", "r");                 /* host files are refused */
  uint32_t err = Semihost(0x13, 0);                      /* SYS_ERRNO */
  int c = getchar();                                     /* stdin is empty: EOF */
  extern char end[];
  printf("tickfreq=%lu elapsed=%d heap=%08lx-%08lx stack=%08lx-%08lx end_ok=%d clock_ok=%d\n",
         (unsigned long)tickfreq, t1 > t0, (unsigned long)heap[0], (unsigned long)heap[1],
         (unsigned long)heap[2], (unsigned long)heap[3],
         heap[0] == (((uint32_t)(uintptr_t)end + 7u) & ~7u), clock >= 0);
  printf("time_ok=%d fopen=%s errno=%lu stdin_eof=%d isatty=%d\n", now > 1600000000u,
         f ? "opened" : "refused", (unsigned long)err, c == EOF, Semihost(0x09, &(uint32_t){1}) == 1);
  return 0;
}

/* Bytes written to the board's UART transmit register appear in the program's output. */
static int UartPl011(uint32_t base) {
  for (const char* p = "uart ok\n"; *p; ++p) {
    while (REG(base + 0x18) & (1u << 5)) {} /* FR.TXFF */
    REG(base) = (uint32_t)*p;
  }
  return 0;
}

static int UartStm32F1(uint32_t base) {
  for (const char* p = "uart ok\n"; *p; ++p) {
    while ((REG(base) & (1u << 7)) == 0) {} /* SR.TXE */
    REG(base + 4) = (uint32_t)*p;
  }
  return 0;
}

/* Sleeping until the SysTick interrupt wakes the core. */
static int WfiScenario(void) {
  SYST_RVR = 4999;
  SYST_CVR = 0;
  SYST_CSR = 7;
  while (g_ticks < 3) __asm volatile("wfi");
  SYST_CSR = 0;
  printf("woke %lu times\n", (unsigned long)g_ticks);
  return 0;
}

static volatile int g_pendsv_calls;
void PendSV_Handler(void) { ++g_pendsv_calls; }

static volatile int g_svc_calls;
void SVC_Handler(void) { ++g_svc_calls; }

int main(void) {
  char cmd[64] = {0};
  if (GetCommandLine(cmd, sizeof(cmd)) != 0) return 9;
  if (!strcmp(cmd, "read_unmapped")) return (int)ReadUnmapped();
  if (!strcmp(cmd, "write_unmapped")) WriteUnmapped();
  if (!strcmp(cmd, "write_flash")) WriteFlash((uint32_t)(uintptr_t)&main & ~3u);
  if (!strcmp(cmd, "undefined")) Undefined();
  if (!strcmp(cmd, "jump_unmapped")) JumpToNowhere();
  if (!strcmp(cmd, "loop")) Spin();
  if (!strcmp(cmd, "dwt")) return DwtScenario();
  if (!strcmp(cmd, "systick")) return SysTickScenario();
  if (!strcmp(cmd, "wfi")) return WfiScenario();
  if (!strcmp(cmd, "pendsv")) {
    REG(0xE000ED04u) = 1u << 28; /* ICSR.PENDSVSET */
    __asm volatile("dsb\n\tisb" ::: "memory");
    return g_pendsv_calls == 1 ? 0 : 50;
  }
  if (!strcmp(cmd, "semihosting")) return SemihostingScenario();
  if (!strcmp(cmd, "uart_sparkfun_edge")) return UartPl011(0x4001C000u);
  if (!strcmp(cmd, "uart_raspberry_pi_pico")) return UartPl011(0x40034000u);
  if (!strcmp(cmd, "uart_nucleo_f103rb")) return UartStm32F1(0x40004400u);
  if (!strcmp(cmd, "cpuid")) {
    printf("cpuid=%08lx\n", (unsigned long)SCB_CPUID);
    return 0;
  }
  if (!strcmp(cmd, "svc")) {
    __asm volatile("svc 1" ::: "memory");
    __asm volatile("svc 2" ::: "memory");
    return g_svc_calls == 2 ? 0 : 30;
  }
#if __ARM_ARCH >= 7
  if (!strcmp(cmd, "div0_notrap")) return Divide(7, 0) == 0 ? 0 : 40;
  if (!strcmp(cmd, "div0_trap")) {
    SCB_CCR |= 1u << 4; /* DIV_0_TRP */
    if (Divide(9, 3) != 3) return 41;
    return Divide(7, 0);
  }
#endif
#if defined(__ARM_ARCH_7EM__)
  if (!strcmp(cmd, "fpu_disabled")) UseFpu();
#endif
  printf("unknown scenario '%s'\n", cmd);
  return 99;
}
