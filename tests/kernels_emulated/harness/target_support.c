/* Bare-metal support of the emulated kernel tests (tests/kernels_emulated), test code only.
 *
 * Heap: the test programs (GoogleTest, std::vector in the tests) need a heap of some
 * 100 KB, while the firmware's linker scripts reserve 1 KB for newlib's stdio and give
 * the rest of RAM to the inference arena (boards/common/sections.ld). These programs
 * have no interpreter, so the arena region becomes their heap: they link with
 * -Wl,--wrap=_sbrk, which sends newlib's sbrk calls here instead of to
 * boards/common/syscalls.c. The heap is [__ember_arena_start, __ember_arena_end); when it
 * is used up, malloc returns NULL (and operator new aborts, exit status 134). The runtime
 * and the kernels themselves never allocate.
 *
 * mkdir: GoogleTest's file-system code (only used for --gtest_output, which these
 * programs never pass) references it; semihosting has no way to create a directory, so
 * it fails with ENOSYS, as newlib's own stubs do. */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

extern char __ember_arena_start[];
extern char __ember_arena_end[];

void* __wrap__sbrk(ptrdiff_t increment);
int mkdir(const char* path, mode_t mode);

static char* heap_top = NULL;

void* __wrap__sbrk(ptrdiff_t increment) {
  if (heap_top == NULL) heap_top = __ember_arena_start;
  if (increment > __ember_arena_end - heap_top || increment < __ember_arena_start - heap_top) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = heap_top;
  heap_top += increment;
  return previous;
}

int mkdir(const char* path, mode_t mode) {
  (void)path;
  (void)mode;
  errno = ENOSYS;
  return -1;
}
