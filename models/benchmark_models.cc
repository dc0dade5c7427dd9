#include "models/benchmark_models.h"

namespace ember::models {

const std::vector<std::string>& BenchmarkModelNames() {
  static const std::vector<std::string> kNames = {"vww", "hotword", "conv_ref"};
  return kNames;
}

Status BuildBenchmarkModel(const std::string& name, std::vector<uint8_t>* out) {
  if (name == "vww") return BuildVwwModel(out);
  if (name == "hotword") return BuildHotwordModel(out);
  if (name == "conv_ref") return BuildConvRefModel(out);
  std::string known;
  for (const std::string& n : BenchmarkModelNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Error("unknown benchmark model '" + name + "' (known: " + known + ")");
}

}  // namespace ember::models
