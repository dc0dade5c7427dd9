/* Stack and heap high-water marks of the running firmware.
 *
 * Stack: the reset handler fills the stack region below its own frame, from
 * __stack_limit up to 64 bytes under the stack pointer it starts with, with the word
 * 0xA5A5A5A5 (EmberPaintStack). EmberStackUsedBytes() scans up from __stack_limit for the
 * first overwritten word: the bytes above it, up to __stack, have been used (a frame that
 * happens to store 0xA5A5A5A5 at the very boundary would be missed: the result is a lower
 * bound within one word in that unlikely case).
 * Heap: the highest break _sbrk handed out (malloc is used by newlib's stdio only).
 */
#ifndef EMBER_BOARDS_COMMON_MEMORY_USAGE_H_
#define EMBER_BOARDS_COMMON_MEMORY_USAGE_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void EmberPaintStack(void);
size_t EmberStackUsedBytes(void);
size_t EmberStackSizeBytes(void);
size_t EmberHeapUsedBytes(void);
size_t EmberHeapSizeBytes(void);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* EMBER_BOARDS_COMMON_MEMORY_USAGE_H_ */
