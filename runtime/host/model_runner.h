// Host-side driver behind `ember run`: loads a model, fills its inputs, runs it through
// the interpreter with all of ember's ops, and collects outputs, arena figures and a
// per-op profile. Also usable from tests and benchmarks.
#ifndef EMBER_RUNTIME_HOST_MODEL_RUNNER_H_
#define EMBER_RUNTIME_HOST_MODEL_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/arena_usage.h"
#include "runtime/kernel_api.h"

namespace ember::rt::host {

enum class InputSource {
  kZeros,    // all input bytes 0
  kPattern,  // byte i of each input tensor = (i * 7 + 3) mod 256, i restarting per tensor
  kFile,     // raw bytes of all inputs, concatenated in input order
  kValues,   // real values for input 0 (quantized with its scale/zero point if needed)
};

struct RunOptions {
  std::string model_path;
  InputSource input = InputSource::kZeros;
  std::string input_path;
  std::vector<double> values;
  size_t arena_bytes = 0;       // 0: a large arena, then report the smallest that works
  // > 0: a separate persistent arena of this size (two memory banks); arena_bytes is then
  // the nonpersistent arena.
  size_t persistent_arena_bytes = 0;
  int repeat = 1;               // Invoke() calls (the profile is that of the last one)
  bool reuse_inputs = false;    // let the planner reuse input bytes after their last use
  bool linear_planner = false;  // the no-sharing baseline instead of greedy
};

struct TensorResult {
  std::string name;
  EmberType type;
  std::vector<int32_t> shape;
  int32_t num_channels = 0;  // quantization (0: not quantized)
  float scale = 0;
  int32_t zero_point = 0;
  std::vector<uint8_t> bytes;  // raw little-endian data
  std::vector<double> values;  // as numbers (raw integers / floats)
  std::vector<double> real;    // dequantized (= values when not quantized)
};

struct OpProfile {
  int32_t index;
  std::string name;
  uint64_t nanos;
  uint64_t macs;
};

struct RunResult {
  std::vector<TensorResult> inputs;
  std::vector<TensorResult> outputs;
  ArenaUsage usage;
  size_t arena_bytes = 0;  // arena the run used
  size_t minimal_arena = 0;
  size_t minimal_persistent_arena = 0;  // with a separate persistent arena, else 0
  // Exactly minimal_arena (and minimal_persistent_arena) works, one byte less of either fails.
  bool minimal_verified = false;
  std::vector<OpProfile> ops;
  uint64_t total_nanos = 0;  // the whole Invoke()
  uint64_t op_nanos = 0;     // sum of per-op times
};

// Runs the model. On failure returns false with *error holding the runtime's messages.
bool RunModel(const RunOptions& options, RunResult* result, std::string* error);

const char* TypeName(EmberType type);

}  // namespace ember::rt::host

#endif  // EMBER_RUNTIME_HOST_MODEL_RUNNER_H_
