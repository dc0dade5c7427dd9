// Parser of the benchmark firmware's line protocol (see protocol.h).
#include "bench/protocol.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace ember::bench {
namespace {

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) fields.push_back(line.substr(i, j - i));
    i = j;
  }
  return fields;
}

template <typename T>
bool ParseNumber(std::string_view s, T* value, int base = 10) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *value, base);
  return ec == std::errc() && ptr == end;
}

bool Fail(RunResult* out, size_t line_no, const std::string& what) {
  out->ok = false;
  if (out->error.empty()) out->error = "line " + std::to_string(line_no) + ": " + what;
  return false;
}

}  // namespace

std::string ToHex(const std::vector<uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

bool FromHex(std::string_view hex, std::vector<uint8_t>* bytes) {
  if (hex.size() % 2 != 0) return false;
  bytes->clear();
  bytes->reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    uint8_t b = 0;
    if (!ParseNumber(hex.substr(i, 2), &b, 16)) return false;
    bytes->push_back(b);
  }
  return true;
}

bool ParseFirmwareOutput(std::string_view text, RunResult* out) {
  *out = RunResult{};
  out->timed = true;
  bool begun = false;
  bool ended = false;
  bool have_invoke = false;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    constexpr std::string_view kPrefix = "@ember ";
    if (line.substr(0, kPrefix.size()) != kPrefix) {
      if (!line.empty()) out->other_lines.emplace_back(line);
      continue;
    }
    std::vector<std::string_view> f = SplitFields(line.substr(kPrefix.size()));
    if (f.empty()) return Fail(out, line_no, "empty protocol record");
    const std::string_view rec = f[0];
    if (rec == "error" || rec == "log") {
      std::string msg(line.substr(kPrefix.size() + rec.size()));
      while (!msg.empty() && msg.front() == ' ') msg.erase(msg.begin());
      if (rec == "log") {
        out->logs.push_back(msg);
        continue;
      }
      out->ok = false;
      out->error = "firmware reported: " + msg;
      for (const std::string& l : out->logs) out->error += "\n  runtime: " + l;
      return false;
    }
    if (rec != "begin" && !begun) return Fail(out, line_no, "record before '@ember begin'");
    if (ended) return Fail(out, line_no, "record after '@ember end'");
    if (rec == "begin") {
      int version = 0;
      if (f.size() != 2 || !ParseNumber(f[1], &version)) return Fail(out, line_no, "bad begin");
      if (version != kProtocolVersion) {
        return Fail(out, line_no,
                    "protocol version " + std::string(f[1]) + ", host expects " +
                        std::to_string(kProtocolVersion));
      }
      begun = true;
    } else if (rec == "variant") {
      if (f.size() != 3 || (f[1] != "reference" && f[1] != "optimized") ||
          (f[2] != "reference" && f[2] != "dsp")) {
        return Fail(out, line_no, "bad variant record");
      }
      out->variant = std::string(f[1]);
      out->kernels = std::string(f[2]);
    } else if (rec == "arena") {
      if ((f.size() != 4 && f.size() != 6) || !ParseNumber(f[1], &out->arena.persistent) ||
          !ParseNumber(f[2], &out->arena.nonpersistent) || !ParseNumber(f[3], &out->arena.total) ||
          (f.size() == 6 && (!ParseNumber(f[4], &out->arena.nonpersistent_reusing_inputs) ||
                             !ParseNumber(f[5], &out->arena.total_reusing_inputs)))) {
        return Fail(out, line_no, "bad arena record");
      }
    } else if (rec == "timer") {
      if (f.size() != 2 || !ParseNumber(f[1], &out->timer_cost)) {
        return Fail(out, line_no, "bad timer record");
      }
    } else if (rec == "op") {
      OpProfile op;
      if (f.size() != 7 || !ParseNumber(f[1], &op.index) || !ParseNumber(f[3], &op.start) ||
          !ParseNumber(f[4], &op.end) || !ParseNumber(f[5], &op.macs) ||
          !ParseNumber(f[6], &op.invoke_address, 16)) {
        return Fail(out, line_no, "bad op record");
      }
      op.name = std::string(f[2]);
      if (op.index != static_cast<int32_t>(out->ops.size())) {
        return Fail(out, line_no, "op records out of order");
      }
      out->ops.push_back(op);
    } else if (rec == "invoke") {
      if (f.size() != 2 || !ParseNumber(f[1], &out->total_cycles)) {
        return Fail(out, line_no, "bad invoke record");
      }
      have_invoke = true;
    } else if (rec == "event") {
      int32_t index = 0;
      uint32_t bytes = 0, sum = 0;
      if (f.size() != 5 || !ParseNumber(f[1], &index) || !ParseNumber(f[3], &bytes) ||
          !ParseNumber(f[4], &sum, 16)) {
        return Fail(out, line_no, "bad event record");
      }
      if (index < 0 || static_cast<size_t>(index) >= out->ops.size()) {
        return Fail(out, line_no, "event for unknown op " + std::to_string(index));
      }
      OpProfile& op = out->ops[static_cast<size_t>(index)];
      if (op.name != f[2]) return Fail(out, line_no, "event op name differs from profile");
      op.has_checksum = true;
      op.checksum = sum;
      op.output_bytes = bytes;
    } else if (rec == "output") {
      TensorBytes t;
      if (f.size() < 2 || f.size() > 3 || !ParseNumber(f[1], &t.index) ||
          (f.size() == 3 && !FromHex(f[2], &t.bytes))) {
        return Fail(out, line_no, "bad output record");
      }
      out->outputs.push_back(std::move(t));
    } else if (rec == "end") {
      ended = true;
    } else {
      return Fail(out, line_no, "unknown record '" + std::string(rec) + "'");
    }
  }
  if (!begun) return Fail(out, line_no, "no '@ember begin' record (firmware did not start?)");
  if (!have_invoke) return Fail(out, line_no, "no '@ember invoke' record");
  if (!ended) return Fail(out, line_no, "no '@ember end' record (firmware stopped early)");
  out->ok = true;
  return true;
}

bool ComputeAccounting(const RunResult& run, Accounting* out, std::string* error) {
  Accounting a;
  a.total = run.total_cycles;
  uint64_t prev_end = 0;
  for (size_t i = 0; i < run.ops.size(); ++i) {
    const OpProfile& op = run.ops[i];
    if (op.start < prev_end || op.end < op.start || op.end > run.total_cycles) {
      *error = "op " + std::to_string(op.index) + " (" + op.name +
               ") has timestamps outside Invoke or out of order";
      return false;
    }
    a.calculation += op.end - op.start;
    if (i == 0) {
      a.rest += op.start;
    } else {
      a.dispatch += op.start - prev_end;
    }
    prev_end = op.end;
  }
  a.rest += run.total_cycles - prev_end;
  if (a.calculation + a.dispatch + a.rest != a.total) {
    *error = "cycle accounting does not close";
    return false;
  }
  *out = a;
  return true;
}

}  // namespace ember::bench
