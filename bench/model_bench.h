// The complete benchmark of one model on one board: the emulated run, the host golden
// run, the symbol-based cross-check, code sizes and the verdicts. Filled by the bench
// command (bench_command.cc), printed by report.h.
#ifndef EMBER_BENCH_MODEL_BENCH_H_
#define EMBER_BENCH_MODEL_BENCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_result.h"
#include "bench/link_map.h"

namespace ember::bench {

struct SectionSizes {  // as arm-none-eabi-size (Berkeley format) prints them
  bool valid = false;
  uint64_t text = 0;
  uint64_t data = 0;
  uint64_t bss = 0;
  std::string what;  // what was measured, e.g. "libember_runtime.a (cortex-m4)"
};

// Cycles the simulator attributed to each op's kernel invoke function (call to return,
// including callees), found by the function's ELF symbol.
struct CrossCheck {
  bool valid = false;
  std::string note;                    // why it is not valid, when it is not
  std::vector<std::string> functions;  // symbol name per op
  std::vector<uint64_t> cycles;        // per op
  uint64_t max_abs_diff = 0;           // max |profiler - symbol| over ops
  uint64_t allowed_diff = 0;           // the profiler's own cost per op
  bool agrees = false;
};

struct ModelBench {
  std::string key;     // vww | hotword | conv_ref | file stem
  std::string label;   // "VWW (person_detect)"
  std::string path;    // model file used
  std::string source;  // "real" | "generated" | "file"
  std::string board;
  std::string variant = "reference";
  bool fits = true;  // false: model does not fit the board (reported, not run)
  std::string not_run_reason;
  RunResult emulated;
  RunResult host;
  Accounting accounting;
  CrossCheck cross;
  SectionSizes firmware;
  SectionSizes runtime_core;
  SectionSizes kernels;
  // Flash bytes per runtime part, per op's kernel file and per library, from the
  // firmware's linker map (empty when the map could not be read: code_parts_note says why).
  std::vector<CodePart> code_parts;
  std::string code_parts_source;  // the map file
  std::string code_parts_note;
  bool golden_match = false;
  std::vector<std::string> mismatches;  // host vs emulated differences
  // Baseline check (when requested).
  bool baseline_checked = false;
  bool baseline_found = false;
  uint64_t baseline_total = 0;
  double baseline_change_percent = 0.0;
  bool baseline_ok = true;
  bool ok() const { return !fits || (emulated.ok && host.ok && golden_match && baseline_ok); }
};

// Compares the emulated run with the host golden run: outputs byte for byte, the op
// sequence and each op's output checksum. Fills mb->mismatches and mb->golden_match.
void CompareWithGolden(ModelBench* mb);

}  // namespace ember::bench

#endif  // EMBER_BENCH_MODEL_BENCH_H_
