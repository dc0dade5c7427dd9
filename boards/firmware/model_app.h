// The firmware's inference app, shared by the bare-metal firmware (firmware_main.cc) and
// its host twin (host_main.cc), so the two run the very same code and their outputs can
// be compared byte for byte.
//
// RunModelApp(): builds an interpreter over the model (read in place) and the given arena,
// AllocateTensors(), fills the inputs, Invoke() once with the profiler on, then reports on
// stdout, in bench's line protocol (bench/protocol.h) plus readable lines:
//   @ember begin 1
//   @ember arena <persistent> <nonpersistent> <total>
//   @ember timer <ticks of two back-to-back tick reads>
//   @ember op <index> <name> <start> <end> <macs> <invoke-address hex>
//   @ember invoke <total ticks>
//   @ember output <index> <tensor bytes as lower-case hex>
//   @ember end
// or "@ember error <message>" on any failure (the runtime's own message is logged just
// before). Returns 0 on success, kModelAppDoesNotFit when the arena is too small for the
// model ("@ember error does not fit: ..."), 1 on any other failure.
//
// Inputs: `input` == nullptr selects the 'pattern' input: byte i of each input tensor's
// raw bytes = (i * 7 + 3) mod 256, i restarting at 0 per tensor (as in
// ../shared/models/golden). Otherwise `input` holds the raw bytes of all input tensors
// concatenated; its size must equal their total size.
#ifndef EMBER_BOARDS_FIRMWARE_MODEL_APP_H_
#define EMBER_BOARDS_FIRMWARE_MODEL_APP_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/op_resolver.h"
#include "runtime/profiler.h"

namespace ember::boards {

struct ModelAppConfig {
  const char* model_name = "";
  const char* board = "";             // board id, or "host"
  const uint8_t* model = nullptr;
  size_t model_bytes = 0;
  const uint8_t* input = nullptr;     // nullptr: pattern input
  size_t input_bytes = 0;
  uint8_t* arena = nullptr;           // 16-byte aligned
  size_t arena_bytes = 0;
  const rt::OpResolverInterface* resolver = nullptr;
  // Exactly one tick source: 32-bit (cycle counter) or 64-bit (host clock).
  rt::TickSource32 ticks32 = nullptr;
  rt::TickSource64 ticks64 = nullptr;
  const char* tick_unit = "cycles";   // what one tick is, for the readable lines
  const char* tick_source = "";       // e.g. "DWT CYCCNT"
  // Optional: prints the program's own memory use (stack, heap) at the end of a run;
  // returns false when the stack overflowed its region (the run then fails).
  bool (*report_memory)() = nullptr;
};

// Exit status of RunModelApp when the model does not fit the arena the board has left
// (the run also prints "@ember error does not fit: ...").
inline constexpr int kModelAppDoesNotFit = 3;

// Fills the inputs with the pattern (see above).
void FillPattern(uint8_t* data, size_t bytes);

[[nodiscard]] int RunModelApp(const ModelAppConfig& config);

}  // namespace ember::boards

#endif  // EMBER_BOARDS_FIRMWARE_MODEL_APP_H_
