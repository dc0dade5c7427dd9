// Host golden vs emulated comparison (model_bench.h).
#include <cstdio>
#include <string>

#include "bench/model_bench.h"
#include "bench/protocol.h"

namespace ember::bench {
namespace {

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

}  // namespace

void CompareWithGolden(ModelBench* mb) {
  mb->mismatches.clear();
  const RunResult& e = mb->emulated;
  const RunResult& h = mb->host;
  if (!e.ok) mb->mismatches.push_back("emulated run failed: " + e.error);
  if (!h.ok) mb->mismatches.push_back("host run failed: " + h.error);
  if (e.ok && h.ok) {
    if (e.ops.size() != h.ops.size()) {
      mb->mismatches.push_back("op count: emulated " + std::to_string(e.ops.size()) + ", host " +
                               std::to_string(h.ops.size()));
    }
    for (size_t i = 0; i < e.ops.size() && i < h.ops.size(); ++i) {
      const OpProfile& a = e.ops[i];
      const OpProfile& b = h.ops[i];
      const std::string where = "op " + std::to_string(i) + " ";
      if (a.name != b.name) {
        mb->mismatches.push_back(where + "name: emulated " + a.name + ", host " + b.name);
      } else if (!a.has_checksum || !b.has_checksum) {
        mb->mismatches.push_back(where + a.name + ": no output checksum");
      } else if (a.checksum != b.checksum || a.output_bytes != b.output_bytes) {
        mb->mismatches.push_back(where + a.name + " output: emulated " + Hex32(a.checksum) + " (" +
                                 std::to_string(a.output_bytes) + " B), host " + Hex32(b.checksum) +
                                 " (" + std::to_string(b.output_bytes) + " B)");
      }
    }
    if (e.outputs.size() != h.outputs.size()) {
      mb->mismatches.push_back("output count: emulated " + std::to_string(e.outputs.size()) +
                               ", host " + std::to_string(h.outputs.size()));
    }
    for (size_t i = 0; i < e.outputs.size() && i < h.outputs.size(); ++i) {
      if (e.outputs[i].bytes != h.outputs[i].bytes) {
        mb->mismatches.push_back("output " + std::to_string(i) + ": emulated " +
                                 ToHex(e.outputs[i].bytes) + ", host " + ToHex(h.outputs[i].bytes));
      }
    }
  }
  mb->golden_match = mb->mismatches.empty();
}

}  // namespace ember::bench
