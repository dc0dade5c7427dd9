/* _sbrk for newlib's malloc (used only by stdio buffers in the firmware app; runtime/ and
 * kernels/ never allocate). The heap is the fixed [__heap_start, __heap_end) block the
 * linker script reserves between the arena and the stack, so malloc can never grow into
 * the arena or the stack: when the block is used up, malloc returns NULL (errno ENOMEM).
 * Overrides the weak _sbrk of librdimon, which only checks against the stack pointer. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

extern char __heap_start[];
extern char __heap_end[];

void* _sbrk(ptrdiff_t increment);

void* _sbrk(ptrdiff_t increment) {
  static char* heap_top = NULL;
  if (heap_top == NULL) heap_top = __heap_start;
  if (increment > __heap_end - heap_top || increment < __heap_start - heap_top) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = heap_top;
  heap_top += increment;
  return previous;
}
