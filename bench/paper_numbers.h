// The TensorFlow Lite Micro paper's (MLSys 2021) measurements our benchmarks are printed
// next to. Source: Table 6a (SparkFun Edge, Apollo3 Cortex-M4), Table 2 (arena on the
// SparkFun Edge) and the code-size text of the paper, as collected in
// /work/shared/docs/PAPER_NUMBERS.md. Cycles in units of 1 cycle (the paper prints K).
#ifndef EMBER_BENCH_PAPER_NUMBERS_H_
#define EMBER_BENCH_PAPER_NUMBERS_H_

#include <cstdint>
#include <string_view>

namespace ember::bench {

struct PaperCycles {     // Table 6a row
  double total;          // cycles
  double calculation;    // cycles
  const char* overhead;  // as printed in the paper
};

struct PaperArena {  // Table 2 row, bytes (the paper prints kB = 1000 bytes)
  double persistent;
  double nonpersistent;
  double total;
};

struct PaperModel {
  std::string_view key;  // "vww", "hotword", "conv_ref"
  bool has_cycles;
  PaperCycles reference;
  PaperCycles optimized;
  PaperArena arena;
};

inline constexpr PaperModel kPaperModels[] = {
    {"vww",
     true,
     {18990.8e3, 18987.1e3, "< 0.1%"},
     {4857.7e3, 4852.9e3, "< 0.1%"},
     {26.50e3, 55.30e3, 81.79e3}},
    {"hotword", true, {45.1e3, 43.7e3, "3.3%"}, {36.4e3, 34.9e3, "4.1%"}, {12.12e3, 680, 12.80e3}},
    {"conv_ref", false, {0, 0, ""}, {0, 0, ""}, {1.29e3, 7.75e3, 9.04e3}},
};

// Code size: "core runtime 16 KB on a Cortex-M3; with the ops of a speech keyword model
// 22 KB total" (KB = 1024 bytes assumed).
inline constexpr double kPaperCoreRuntimeBytes = 16 * 1024;
inline constexpr double kPaperKeywordTotalBytes = 22 * 1024;

inline const PaperModel* FindPaperModel(std::string_view key) {
  for (const PaperModel& m : kPaperModels) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

}  // namespace ember::bench

#endif  // EMBER_BENCH_PAPER_NUMBERS_H_
