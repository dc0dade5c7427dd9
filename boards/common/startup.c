/* Common startup code for every ember board (Cortex-M0+, M3, M4, M7).
 *
 * Reset_Handler runs the C environment setup a bare-metal program needs, in this order:
 *   1. enable the FPU (CPACR CP10/CP11 full access) when the program is built for one
 *      (__ARM_FP): must come before any floating-point instruction; on a Cortex-M7, turn
 *      on the L1 instruction and data caches (off at reset) as vendor start-up code does;
 *   2. copy .data from its load image in flash to RAM, zero .bss, paint the unused stack
 *      (for the high-water mark, memory_usage.h);
 *   3. point VTOR at this vector table (it is at the start of flash; some boards alias
 *      flash at 0, others, like the RP2040, do not);
 *   4. open the semihosting standard streams (newlib rdimon: stdout, stderr);
 *   5. run static constructors (.preinit_array, .init_array);
 *   6. main(), then exit(main's status): newlib flushes stdio and semihosting reports the
 *      status to the debugger or emulator.
 *
 * Every other exception goes to one default handler, weak so a program can override any
 * of them: it prints which exception occurred, the stacked PC and LR, and on ARMv7-M the
 * fault status registers (CFSR, HFSR, MMFAR, BFAR), then exits with status
 * 128 + exception number (HardFault: 131, an IRQ n: 144 + n). Output goes through raw
 * semihosting SYS_WRITE0, not stdio, since stdio may be what failed.
 *
 * EMBER_NUM_IRQS (compile definition, per board) sizes the vector table.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "boards/common/memory_usage.h"
#include "boards/common/semihost.h"

#ifndef EMBER_NUM_IRQS
#define EMBER_NUM_IRQS 32
#endif
#ifndef EMBER_BOARD_ID
#define EMBER_BOARD_ID "unknown"
#endif

/* The board this image was linked for (compile definition EMBER_BOARD_ID), for reports. */
const char g_ember_board_id[] = EMBER_BOARD_ID;

/* From the linker script (boards/common/sections.ld). */
extern uint32_t __data_start__[];
extern uint32_t __data_end__[];
extern const uint32_t __data_load__[];
extern uint32_t __bss_start__[];
extern uint32_t __bss_end__[];
extern uint32_t __stack[];
typedef void (*EmberInitFunc)(void);
extern EmberInitFunc __preinit_array_start[];
extern EmberInitFunc __preinit_array_end[];
extern EmberInitFunc __init_array_start[];
extern EmberInitFunc __init_array_end[];

extern int main(void);
/* newlib rdimon: opens ':tt' for stdin/stdout/stderr through semihosting. */
extern void initialise_monitor_handles(void);

void Reset_Handler(void);
void EmberDefaultHandler(void);
void EmberFaultReport(const uint32_t* frame, uint32_t exc_return);

#define EMBER_WEAK_ALIAS __attribute__((weak, alias("EmberDefaultHandler")))
void NMI_Handler(void) EMBER_WEAK_ALIAS;
void HardFault_Handler(void) EMBER_WEAK_ALIAS;
void MemManage_Handler(void) EMBER_WEAK_ALIAS;
void BusFault_Handler(void) EMBER_WEAK_ALIAS;
void UsageFault_Handler(void) EMBER_WEAK_ALIAS;
void SVC_Handler(void) EMBER_WEAK_ALIAS;
void DebugMon_Handler(void) EMBER_WEAK_ALIAS;
void PendSV_Handler(void) EMBER_WEAK_ALIAS;
void SysTick_Handler(void) EMBER_WEAK_ALIAS;

typedef void (*EmberVector)(void);

/* Entry 0 is the initial stack pointer, entry 1 the reset handler; then the system
 * exceptions 2-15 (reserved ones 0) and the board's IRQs. ARMv6-M has no MemManage,
 * BusFault, UsageFault or DebugMon: their slots are reserved there and never taken. */
__attribute__((section(".isr_vector"), used))
const EmberVector g_ember_vector_table[16 + EMBER_NUM_IRQS] = {
    (EmberVector)(uintptr_t)__stack,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0,
    0,
    0,
    0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    [16 ... 16 + EMBER_NUM_IRQS - 1] = EmberDefaultHandler,
};

#define EMBER_REG32(addr) (*(volatile uint32_t*)(addr))
#define EMBER_SCB_ICSR EMBER_REG32(0xE000ED04u)
#define EMBER_SCB_VTOR EMBER_REG32(0xE000ED08u)
#define EMBER_SCB_CPACR EMBER_REG32(0xE000ED88u)
#define EMBER_SCB_CFSR EMBER_REG32(0xE000ED28u)
#define EMBER_SCB_HFSR EMBER_REG32(0xE000ED2Cu)
#define EMBER_SCB_MMFAR EMBER_REG32(0xE000ED34u)
#define EMBER_SCB_BFAR EMBER_REG32(0xE000ED38u)

#if defined(EMBER_CPU_CORTEX_M7)
/* Cortex-M7 L1 caches are off at reset (ARMv7-M ARM, Cortex-M7 TRM). Vendor start-up code
 * (e.g. the STM32 HAL's SCB_EnableICache/SCB_EnableDCache in main) turns them on before
 * anything performance-sensitive runs, so the benchmarks do the same: invalidate the
 * instruction cache (ICIALLU), invalidate the data cache by set/way (geometry from CCSIDR
 * after selecting the L1 data cache in CSSELR), then set CCR.IC (bit 17) and CCR.DC (16). */
#define EMBER_SCB_CCR EMBER_REG32(0xE000ED14u)
#define EMBER_SCB_CCSIDR EMBER_REG32(0xE000ED80u)
#define EMBER_SCB_CSSELR EMBER_REG32(0xE000ED84u)
#define EMBER_SCB_ICIALLU EMBER_REG32(0xE000EF50u)
#define EMBER_SCB_DCISW EMBER_REG32(0xE000EF60u)
static void EmberEnableM7Caches(void) {
  __asm volatile("dsb\n\tisb" ::: "memory");
  EMBER_SCB_ICIALLU = 0u;
  __asm volatile("dsb\n\tisb" ::: "memory");
  EMBER_SCB_CCR |= (1u << 17);
  __asm volatile("dsb\n\tisb" ::: "memory");

  EMBER_SCB_CSSELR = 0u; /* level 1, data cache */
  __asm volatile("dsb" ::: "memory");
  const uint32_t ccsidr = EMBER_SCB_CCSIDR;
  const uint32_t sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
  const uint32_t ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
  for (uint32_t set = 0; set < sets; ++set) {
    for (uint32_t way = 0; way < ways; ++way) {
      /* Cortex-M7: 32-byte lines (set field at bit 5), 4 ways (way field at bit 30). */
      EMBER_SCB_DCISW = (set << 5) | (way << 30);
    }
  }
  __asm volatile("dsb" ::: "memory");
  EMBER_SCB_CCR |= (1u << 16);
  __asm volatile("dsb\n\tisb" ::: "memory");
}
#endif

__attribute__((noreturn, used, section(".text.Reset_Handler"))) void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* CP10 and CP11: full access. The barriers make the change visible before the next
   * instruction, which may be a floating-point one. */
  EMBER_SCB_CPACR |= (0xFu << 20);
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif

#if defined(EMBER_CPU_CORTEX_M7)
  EmberEnableM7Caches();
#endif

  const uint32_t* src = __data_load__;
  for (uint32_t* dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (uint32_t* dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;
  EmberPaintStack();

  EMBER_SCB_VTOR = (uint32_t)(uintptr_t)g_ember_vector_table;
  __asm volatile("dsb\n\tisb" ::: "memory");

  initialise_monitor_handles();

  for (EmberInitFunc* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (EmberInitFunc* f = __init_array_start; f < __init_array_end; ++f) (*f)();

  exit(main());
}

/* Finds the stacked exception frame (MSP or PSP, from EXC_RETURN bit 2) and hands it to
 * EmberFaultReport. Written in ARMv6-M Thumb so it assembles for every core. */
__attribute__((naked)) void EmberDefaultHandler(void) {
  __asm volatile(
      "movs r0, #4\n\t"
      "mov r1, lr\n\t"
      "tst r0, r1\n\t"
      "beq 1f\n\t"
      "mrs r0, psp\n\t"
      "b 2f\n"
      "1:\n\t"
      "mrs r0, msp\n"
      "2:\n\t"
      "ldr r2, =EmberFaultReport\n\t"
      "bx r2\n\t"
      ".ltorg\n");
}

static const char* ExceptionName(uint32_t number) {
  switch (number) {
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage fault";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 11: return "SVCall";
    case 12: return "DebugMonitor";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return number >= 16 ? "IRQ" : "reserved exception";
  }
}

/* Appends text / a number to a fixed buffer, always NUL-terminated. */
typedef struct {
  char text[224];
  size_t length;
} EmberLine;

static void Append(EmberLine* line, const char* s) {
  while (*s != '\0' && line->length + 1 < sizeof(line->text)) line->text[line->length++] = *s++;
  line->text[line->length] = '\0';
}

static void AppendHex(EmberLine* line, uint32_t value) {
  char digits[11] = "0x";
  for (int i = 0; i < 8; ++i) digits[2 + i] = "0123456789abcdef"[(value >> (28 - 4 * i)) & 0xFu];
  digits[10] = '\0';
  Append(line, digits);
}

static void AppendDecimal(EmberLine* line, uint32_t value) {
  char digits[11];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u);
  char out[11];
  for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\0';
  Append(line, out);
}

__attribute__((noreturn, used)) void EmberFaultReport(const uint32_t* frame, uint32_t exc_return) {
  (void)exc_return;
  /* The active exception from ICSR.VECTACTIVE (the same number IPSR holds on silicon; the
   * emulator keeps IPSR at 0 in handlers but reports VECTACTIVE). */
  const uint32_t number = EMBER_SCB_ICSR & 0x1FFu;

  EmberLine line = {{0}, 0};
  Append(&line, "ember: unhandled exception ");
  AppendDecimal(&line, number);
  Append(&line, " (");
  Append(&line, ExceptionName(number));
  if (number >= 16) {
    Append(&line, " ");
    AppendDecimal(&line, number - 16);
  }
  Append(&line, ") pc=");
  AppendHex(&line, frame[6]);
  Append(&line, " lr=");
  AppendHex(&line, frame[5]);
#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
  if (number >= 3 && number <= 6) {
    const uint32_t cfsr = EMBER_SCB_CFSR;
    Append(&line, " cfsr=");
    AppendHex(&line, cfsr);
    Append(&line, " hfsr=");
    AppendHex(&line, EMBER_SCB_HFSR);
    if (cfsr & (1u << 7)) { /* MMARVALID */
      Append(&line, " mmfar=");
      AppendHex(&line, EMBER_SCB_MMFAR);
    }
    if (cfsr & (1u << 15)) { /* BFARVALID */
      Append(&line, " bfar=");
      AppendHex(&line, EMBER_SCB_BFAR);
    }
  }
#endif
  Append(&line, "\n");
  EmberSemihostWrite0(line.text);
  _exit(128 + (int)number);
}
