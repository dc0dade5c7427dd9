// Private helpers shared by the interpreter's .cc files (not a public header).
#ifndef EMBER_RUNTIME_INTERPRETER_INTERNAL_H_
#define EMBER_RUNTIME_INTERPRETER_INTERNAL_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::rt {

class Interpreter;

// First block of every interpreter's persistent tail. Invoke() checks it is intact, so
// that two interpreters wrongly given the same raw arena produce a clear error.
struct ArenaTag {
  uint32_t magic;
  const Interpreter* owner;
};
inline constexpr uint32_t kArenaTagMagic = 0x454D4252;  // "EMBR"

inline constexpr uint8_t kTensorConstant = 1;
inline constexpr uint8_t kTensorVariable = 2;

// Installs the kernel-facing callbacks of `ctx` (kernel_context.cc).
void InstallKernelContext(EmberContext* ctx, Interpreter* interpreter);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_INTERPRETER_INTERNAL_H_
