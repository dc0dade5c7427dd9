// Bare-metal firmware: one model (and optionally one input) compiled into flash, run once
// by RunModelApp (model_app.h) with the arena the linker script leaves in RAM and the
// board's cycle counter as the profiler's tick source. Output goes through semihosting
// (newlib rdimon); main's return value becomes the program's exit status.
//
// Built per (board, model) by boards/firmware.cmake, which generates:
//   g_ember_model.h / g_ember_input.h   the embedded files (ember_embed_binary)
//   model_ops.inc                        the model's builtin ops (ember_model_ops.cmake)
//
// Only the ops the model uses are added to the resolver, so only their kernels are linked.
// The registration functions are referenced weakly and ember_kernels is linked whole
// (then trimmed by --gc-sections): an op whose kernel is not part of ember_kernels yet
// leaves the op unregistered, and the interpreter reports it by name instead of the link
// failing.
#include <stdio.h>

#include "boards/common/cycle_counter.h"
#include "boards/common/memory_usage.h"
#include "boards/firmware/model_app.h"
#include "g_ember_model.h"
#include "kernels/micro_op_resolver.h"
#ifdef EMBER_FW_HAVE_INPUT
#include "g_ember_input.h"
#endif

#ifndef EMBER_FW_MODEL_NAME
#define EMBER_FW_MODEL_NAME "model"
#endif

extern "C" {
extern uint8_t __ember_arena_start[];  // boards/common/sections.ld
extern uint8_t __ember_arena_end[];
extern const char g_ember_board_id[];  // boards/common/startup.c
}

namespace ember::kernels {
#define EMBER_FW_OP(method, registration, name, code) \
  EmberRegistration registration() __attribute__((weak));
#define EMBER_FW_UNSUPPORTED_OP(code)
#include "model_ops.inc"
#undef EMBER_FW_OP
#undef EMBER_FW_UNSUPPORTED_OP
}  // namespace ember::kernels

namespace {

constexpr size_t kNumModelOps = 1
#define EMBER_FW_OP(method, registration, name, code) +1
#define EMBER_FW_UNSUPPORTED_OP(code)
#include "model_ops.inc"
#undef EMBER_FW_OP
#undef EMBER_FW_UNSUPPORTED_OP
    ;

using Resolver = ember::kernels::MicroOpResolver<kNumModelOps>;

[[nodiscard]] bool AddModelOps(Resolver& resolver) {
  bool ok = true;
#define EMBER_FW_OP(method, registration, name, code)                                     \
  if (&ember::kernels::registration == nullptr) {                                         \
    printf("ember: op " name " (builtin code %d): no kernel in this build of ember_kernels\n", \
           code);                                                                          \
  } else if (resolver.method(ember::kernels::registration()) != kEmberOk) {               \
    printf("ember: cannot add op " name " to the resolver\n");                            \
    ok = false;                                                                            \
  }
#define EMBER_FW_UNSUPPORTED_OP(code) \
  printf("ember: builtin op code %d has no ember kernel\n", code);
#include "model_ops.inc"
#undef EMBER_FW_OP
#undef EMBER_FW_UNSUPPORTED_OP
  return ok;
}

uint32_t ReadCycles() { return ember::boards::CycleCounterRead(); }

// Stack and heap high-water marks. A stack that used its whole region has most likely
// overflowed into the heap below it: reported as a failure.
bool ReportMemory() {
  const size_t stack_used = EmberStackUsedBytes();
  const size_t stack_size = EmberStackSizeBytes();
  printf("memory: stack %lu of %lu bytes used, heap %lu of %lu bytes used\n",
         static_cast<unsigned long>(stack_used), static_cast<unsigned long>(stack_size),
         static_cast<unsigned long>(EmberHeapUsedBytes()),
         static_cast<unsigned long>(EmberHeapSizeBytes()));
  return stack_used < stack_size;
}

}  // namespace

int main() {
  // A small static line buffer for stdout, instead of newlib's 1 KB malloc'ed one: the heap
  // then only holds stdio's FILE structures (the 20 KB boards need the RAM for the arena).
  static char stdout_buffer[128];
  setvbuf(stdout, stdout_buffer, _IOLBF, sizeof(stdout_buffer));
  ember::boards::CycleCounterEnable();
  static Resolver resolver;
  if (!AddModelOps(resolver)) {
    printf("@ember error cannot build the op resolver\n");
    return 1;
  }
  // The arena: everything the linker script left between .bss and the heap, 16-aligned.
  const uintptr_t start = (reinterpret_cast<uintptr_t>(__ember_arena_start) + 15u) & ~uintptr_t{15};
  const uintptr_t end = reinterpret_cast<uintptr_t>(__ember_arena_end);

  ember::boards::ModelAppConfig config;
  config.model_name = EMBER_FW_MODEL_NAME;
  config.board = g_ember_board_id;
  config.model = g_ember_model;
  config.model_bytes = g_ember_model_size;
#ifdef EMBER_FW_HAVE_INPUT
  config.input = g_ember_input;
  config.input_bytes = g_ember_input_size;
#endif
  config.arena = reinterpret_cast<uint8_t*>(start);
  config.arena_bytes = end > start ? end - start : 0;
  config.resolver = &resolver;
  config.ticks32 = &ReadCycles;
  config.tick_unit = "cycles";
  config.tick_source = ember::boards::kCycleCounterSource;
  config.report_memory = &ReportMemory;
  return ember::boards::RunModelApp(config);
}
