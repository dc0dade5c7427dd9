// Runs the benchmark firmware on an emulated board, in process (ember_sim): loads the
// ELF, writes the model slot (bench/model_slot.h) after the flash image, runs to the
// firmware's exit with semihosting output captured, and parses the line protocol.
//
// The symbol cross-check: a block hook keeps a shadow call stack of calls made from the
// runtime core (functions of ember::rt, found by their ELF symbols) into other code.
// For each such call it records the callee, and the modeled cycles from its first block
// to the first block at its return address (callees included). The k-th call of a
// kernel's invoke function is then matched with the k-th op that uses that kernel.
#ifndef EMBER_BENCH_SIM_RUNNER_H_
#define EMBER_BENCH_SIM_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench/model_bench.h"

namespace ember::bench {

struct SimRunRequest {
  std::string board;  // board id or .toml path
  std::string elf_path;
  std::vector<uint8_t> model;
  std::vector<std::vector<uint8_t>> inputs;
  bool checksums = true;
  bool optimized = false;  // the optimized kernel variant (model_slot.h)
  bool cross_check = true;
  uint64_t cycle_budget = 4'000'000'000ull;
  // Called now and then with the modeled cycles so far (progress display); may be empty.
  std::function<void(uint64_t cycles)> progress;
};

struct SimRunResponse {
  bool fits = true;  // false: the model slot does not fit the board's flash
  std::string not_fit_reason;
  RunResult run;        // parsed firmware output
  CrossCheck cross;     // per op, filled when run.ok
  std::string console;  // everything the firmware printed
  uint64_t cycles = 0;  // modeled cycles of the whole program
  uint64_t instructions = 0;
  double host_seconds = 0;
};

// Builds the slot image (header + model + inputs), exposed for tests.
std::vector<uint8_t> BuildSlot(const std::vector<uint8_t>& model,
                               const std::vector<std::vector<uint8_t>>& inputs, bool checksums,
                               bool optimized = false);

void RunOnBoard(const SimRunRequest& request, SimRunResponse* response);

}  // namespace ember::bench

#endif  // EMBER_BENCH_SIM_RUNNER_H_
