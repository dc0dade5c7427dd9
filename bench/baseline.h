// Cycle baselines: modeled cycles are deterministic, so bench/baselines/<board>.json keeps
// the total Invoke cycles per (model, model source, kernel variant). A benchmark that gets
// slower than its baseline by more than the file's tolerance (default 2%) fails the check;
// getting faster passes (and is reported, so the baseline can be lowered with
// `ember bench --update-baseline`).
//
// File format:
//   {"board": "sparkfun_edge", "tolerance_percent": 2.0,
//    "entries": {"vww/real/reference": {"total_cycles": 123, "calculation_cycles": 120,
//                                        "arena_total": 85000}, ...}}
#ifndef EMBER_BENCH_BASELINE_H_
#define EMBER_BENCH_BASELINE_H_

#include <cstdint>
#include <map>
#include <string>

#include "bench/model_bench.h"

namespace ember::bench {

inline constexpr double kDefaultTolerancePercent = 2.0;

struct BaselineEntry {
  uint64_t total_cycles = 0;
  uint64_t calculation_cycles = 0;
  uint64_t arena_total = 0;
};

struct Baseline {
  std::string board;
  double tolerance_percent = kDefaultTolerancePercent;
  std::map<std::string, BaselineEntry> entries;
};

std::string BaselineKey(const ModelBench& mb);
std::string BaselinePath(const std::string& dir, const std::string& board);

// A missing file yields an empty baseline (true); a malformed one an error (false).
[[nodiscard]] bool LoadBaseline(const std::string& path, Baseline* out, std::string* error);
[[nodiscard]] bool SaveBaseline(const std::string& path, const Baseline& b, std::string* error);

// Sets mb's baseline_* fields from b. Only meaningful for a successful emulated run.
void CheckBaseline(const Baseline& b, ModelBench* mb);
void UpdateBaseline(const ModelBench& mb, Baseline* b);

}  // namespace ember::bench

#endif  // EMBER_BENCH_BASELINE_H_
