// Output of `ember bench` for people (tables) and tools (JSON, CSV, SVG chart).
#ifndef EMBER_BENCH_REPORT_H_
#define EMBER_BENCH_REPORT_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "bench/model_bench.h"

namespace ember::bench {

// Readable tables for one model on one board: the paper's Table 6a and Table 2 side by
// side with ours, code size, the per-op profile with the overhead split, the symbol
// cross-check and the golden comparison.
void PrintTables(std::ostream& os, const ModelBench& mb);

// Which kernels ran a run: "reference kernels", the DSP-extension kernels, or the
// reference fallback of the optimized variant on a core without the DSP extension.
std::string KernelsNote(const ModelBench& mb);

// One-line-per-run summary across all runs (printed after the tables), then Table 6a
// side by side: the paper's reference/optimized rows next to ours per variant.
void PrintSummary(std::ostream& os, const std::vector<ModelBench>& runs);

// Flash bytes per runtime part, per op's kernel file and per library, once per board
// (from the first run of each board whose linker map could be read).
void PrintCodeParts(std::ostream& os, const std::vector<ModelBench>& runs);

nlohmann::json ToJson(const std::vector<ModelBench>& runs);

// One row per op and run, plus one "(invoke)" row per run with the totals.
void WriteCsv(std::ostream& os, const std::vector<ModelBench>& runs);

// Self-contained SVG: horizontal bars of per-op cycles, one panel per (model, board).
std::string RenderSvg(const std::vector<ModelBench>& runs);

// 1234567 -> "1,234,567"; K formatting like the paper: 18990800 -> "18,990.8K".
std::string Grouped(uint64_t v);
std::string PaperK(double cycles);

}  // namespace ember::bench

#endif  // EMBER_BENCH_REPORT_H_
