/* Minimal start-up for the simulator's test firmware: vector table, .data/.bss set-up,
 * FPU enable when built with a hardware FP ABI, semihosting stdio, main(), exit(). Any
 * exception without its own handler exits through semihosting with status 100 + number,
 * so a test sees an unexpected exception as a distinct exit code. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_start__[], __data_end__[], __bss_start__[], __bss_end__[], __stack[];
extern const uint32_t __data_load__[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
extern int main(void);
extern void initialise_monitor_handles(void);

void Reset_Handler(void);
void DefaultHandler(void);
void SVC_Handler(void) __attribute__((weak, alias("DefaultHandler")));
void PendSV_Handler(void) __attribute__((weak, alias("DefaultHandler")));
void SysTick_Handler(void) __attribute__((weak, alias("DefaultHandler")));

__attribute__((section(".isr_vector"), used)) void (*const g_vectors[16])(void) = {
    (void (*)(void))(uintptr_t)__stack, Reset_Handler, DefaultHandler, DefaultHandler,
    DefaultHandler, DefaultHandler, DefaultHandler, 0, 0, 0, 0, SVC_Handler, DefaultHandler, 0,
    PendSV_Handler, SysTick_Handler,
};

void DefaultHandler(void) {
  uint32_t active = *(volatile uint32_t*)0xE000ED04u & 0x1ffu;  /* ICSR.VECTACTIVE */
  exit(100 + (int)active);
}

void Reset_Handler(void) {
#if defined(__ARM_FP)
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;  /* CPACR: CP10, CP11 full access */
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  const uint32_t* src = __data_load__;
  for (uint32_t* dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (uint32_t* dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;
  initialise_monitor_handles();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  exit(main());
}
