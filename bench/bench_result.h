// What one benchmark run produces, on the emulated board or natively on the host, and the
// derived accounting the reports print. Host-only (std containers).
#ifndef EMBER_BENCH_BENCH_RESULT_H_
#define EMBER_BENCH_BENCH_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace ember::bench {

// One op of one Invoke. start/end are cycle-counter readings relative to the start of
// Invoke (firmware) taken by the runtime's profiler right around the kernel's invoke call.
struct OpProfile {
  int32_t index = 0;
  std::string name;
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t macs = 0;
  bool has_checksum = false;
  uint32_t checksum = 0;  // FNV-1a of the op's output tensor bytes (bench/checksum.h)
  uint32_t output_bytes = 0;
  uint32_t invoke_address = 0;  // the kernel's invoke function (firmware only)
  uint64_t cycles() const { return end - start; }
};

struct ArenaUsage {
  uint64_t persistent = 0;
  uint64_t nonpersistent = 0;
  uint64_t total = 0;
  // The same model planned with its inputs' bytes reused after their last reader, as
  // TFLM plans (the default keeps model inputs live through the whole Invoke). 0 when the
  // firmware did not report them.
  uint64_t nonpersistent_reusing_inputs = 0;
  uint64_t total_reusing_inputs = 0;
};

struct TensorBytes {
  int32_t index = 0;
  std::vector<uint8_t> bytes;
};

// A parsed run (firmware line protocol, or the host golden run).
struct RunResult {
  bool ok = false;
  std::string error;
  bool timed = false;         // cycles are meaningful (firmware)
  uint64_t total_cycles = 0;  // the whole Invoke
  uint64_t timer_cost = 0;    // the profiler's own cost per event (protocol.h)
  std::string variant;        // kernel variant requested ("reference" | "optimized")
  std::string kernels;        // kernels that ran it ("reference" | "dsp"); empty on the host
  ArenaUsage arena;
  std::vector<OpProfile> ops;
  std::vector<TensorBytes> outputs;
  std::vector<std::string> logs;         // runtime log messages ("@ember log")
  std::vector<std::string> other_lines;  // anything the firmware printed that is not protocol
};

// The interpreter-overhead accounting of one timed run. By construction
//   calculation + dispatch + rest == total
// where calculation is the sum of per-op kernel cycles, dispatch the gaps between
// consecutive ops, rest the time in Invoke before the first and after the last op.
struct Accounting {
  uint64_t total = 0;
  uint64_t calculation = 0;
  uint64_t dispatch = 0;
  uint64_t rest = 0;
  uint64_t overhead() const { return dispatch + rest; }
  double overhead_percent() const {
    return total == 0 ? 0.0 : 100.0 * static_cast<double>(overhead()) / static_cast<double>(total);
  }
};

// Fails (returns false with a message) when the op timestamps are not ordered within
// [0, total], i.e. when the accounting could not close.
bool ComputeAccounting(const RunResult& run, Accounting* out, std::string* error);

}  // namespace ember::bench

#endif  // EMBER_BENCH_BENCH_RESULT_H_
