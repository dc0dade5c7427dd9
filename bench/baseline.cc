// Cycle baselines (baseline.h).
#include "bench/baseline.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ember::bench {

std::string BaselineKey(const ModelBench& mb) {
  return mb.key + "/" + mb.source + "/" + mb.variant;
}

std::string BaselinePath(const std::string& dir, const std::string& board) {
  return dir + "/" + board + ".json";
}

bool LoadBaseline(const std::string& path, Baseline* out, std::string* error) {
  *out = Baseline{};
  std::ifstream in(path);
  if (!in) return true;
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = path + ": not valid JSON";
    return false;
  }
  out->board = j.value("board", "");
  if (j.contains("tolerance_percent")) {
    if (!j["tolerance_percent"].is_number() || j["tolerance_percent"].get<double>() < 0) {
      *error = path + ": tolerance_percent must be a non-negative number";
      return false;
    }
    out->tolerance_percent = j["tolerance_percent"].get<double>();
  }
  if (j.contains("entries")) {
    if (!j["entries"].is_object()) {
      *error = path + ": entries must be an object";
      return false;
    }
    for (auto it = j["entries"].begin(); it != j["entries"].end(); ++it) {
      const nlohmann::json& e = it.value();
      if (!e.is_object() || !e.contains("total_cycles") ||
          !e["total_cycles"].is_number_unsigned()) {
        *error = path + ": entry '" + it.key() + "' needs an unsigned total_cycles";
        return false;
      }
      BaselineEntry be;
      be.total_cycles = e["total_cycles"].get<uint64_t>();
      if (e.contains("calculation_cycles") && e["calculation_cycles"].is_number_unsigned()) {
        be.calculation_cycles = e["calculation_cycles"].get<uint64_t>();
      }
      if (e.contains("arena_total") && e["arena_total"].is_number_unsigned()) {
        be.arena_total = e["arena_total"].get<uint64_t>();
      }
      out->entries[it.key()] = be;
    }
  }
  return true;
}

bool SaveBaseline(const std::string& path, const Baseline& b, std::string* error) {
  nlohmann::json j;
  j["board"] = b.board;
  j["tolerance_percent"] = b.tolerance_percent;
  j["note"] =
      "Modeled cycles per Invoke (deterministic). Checked by `ember bench --baseline-check`; "
      "regenerate with `ember bench --board <board> --update-baseline`.";
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [key, e] : b.entries) {
    entries[key] = {{"total_cycles", e.total_cycles},
                    {"calculation_cycles", e.calculation_cycles},
                    {"arena_total", e.arena_total}};
  }
  j["entries"] = entries;
  std::ofstream out(path);
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  out << j.dump(2) << "\n";
  if (!out) {
    *error = "error writing " + path;
    return false;
  }
  return true;
}

void CheckBaseline(const Baseline& b, ModelBench* mb) {
  mb->baseline_checked = true;
  auto it = b.entries.find(BaselineKey(*mb));
  mb->baseline_found = it != b.entries.end();
  mb->baseline_ok = true;
  if (!mb->baseline_found || !mb->emulated.ok) return;
  mb->baseline_total = it->second.total_cycles;
  const double base = static_cast<double>(it->second.total_cycles);
  const double now = static_cast<double>(mb->accounting.total);
  mb->baseline_change_percent = base > 0 ? 100.0 * (now - base) / base : 0.0;
  mb->baseline_ok = mb->baseline_change_percent <= b.tolerance_percent;
}

void UpdateBaseline(const ModelBench& mb, Baseline* b) {
  BaselineEntry e;
  e.total_cycles = mb.accounting.total;
  e.calculation_cycles = mb.accounting.calculation;
  e.arena_total = mb.emulated.arena.total;
  b->board = mb.board;
  b->entries[BaselineKey(mb)] = e;
}

}  // namespace ember::bench
