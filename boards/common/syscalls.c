/* _sbrk for newlib's malloc, and the stack/heap high-water marks (memory_usage.h).
 *
 * _sbrk for newlib's malloc (used only by stdio buffers in the firmware app; runtime/ and
 * kernels/ never allocate). The heap is the fixed [__heap_start, __heap_end) block the
 * linker script reserves between the arena and the stack, so malloc can never grow into
 * the arena or the stack: when the block is used up, malloc returns NULL (errno ENOMEM).
 * Overrides the weak _sbrk of librdimon, which only checks against the stack pointer. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "boards/common/memory_usage.h"

extern char __heap_start[];
extern char __heap_end[];
extern uint32_t __stack_limit[];
extern uint32_t __stack[];

static char* heap_top = NULL;
static char* heap_high_water = NULL;

#define EMBER_STACK_PAINT 0xA5A5A5A5u

void* _sbrk(ptrdiff_t increment);

void* _sbrk(ptrdiff_t increment) {
  if (heap_top == NULL) heap_top = __heap_start;
  if (increment > __heap_end - heap_top || increment < __heap_start - heap_top) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = heap_top;
  heap_top += increment;
  if (heap_high_water == NULL || heap_top > heap_high_water) heap_high_water = heap_top;
  return previous;
}

/* Runs on the stack it paints: stops 64 bytes below its own stack pointer. Called by the
 * reset handler before anything deeper than itself has run. */
void EmberPaintStack(void) {
  uint32_t* sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = __stack_limit; p < sp - 16; ++p) *p = EMBER_STACK_PAINT;
}

size_t EmberStackUsedBytes(void) {
  const uint32_t* p = __stack_limit;
  while (p < __stack && *p == EMBER_STACK_PAINT) ++p;
  return (size_t)((const char*)__stack - (const char*)p);
}

size_t EmberStackSizeBytes(void) { return (size_t)((char*)__stack - (char*)__stack_limit); }

size_t EmberHeapUsedBytes(void) {
  return heap_high_water == NULL ? 0 : (size_t)(heap_high_water - __heap_start);
}

size_t EmberHeapSizeBytes(void) { return (size_t)(__heap_end - __heap_start); }
