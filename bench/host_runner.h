// The host golden reference: the same model and inputs run natively through the runtime
// (ember::rt::Interpreter with every reference kernel), recording the per-op event list
// (op sequence and FNV-1a of each op's outputs, bench/checksum.h) and the outputs.
#ifndef EMBER_BENCH_HOST_RUNNER_H_
#define EMBER_BENCH_HOST_RUNNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_result.h"

namespace ember::bench {

// The 'pattern' input: byte i of each input tensor's raw bytes = (i*7 + 3) mod 256
// (/work/shared/models/golden/README.md).
std::vector<uint8_t> PatternBytes(size_t bytes);

struct HostRunOptions {
  // Bytes per input tensor. Empty: the pattern input for every input tensor.
  std::vector<std::vector<uint8_t>> inputs;
  size_t arena_bytes = 4 << 20;
};

// Runs AllocateTensors + one Invoke with an op observer. On success out->ok is true;
// *inputs_used receives the exact bytes given to each input tensor (for the firmware).
// Errors (bad model, unsupported op, input size mismatch) give ok == false and a message
// that includes the runtime's own log lines.
void RunOnHost(const std::vector<uint8_t>& model, const HostRunOptions& options, RunResult* out,
               std::vector<std::vector<uint8_t>>* inputs_used);

}  // namespace ember::bench

#endif  // EMBER_BENCH_HOST_RUNNER_H_
