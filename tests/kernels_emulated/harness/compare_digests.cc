// compare_digests: compares the output of an emulated kernel test run with the host
// twin's (tests/kernels_emulated, run_emulated.cmake).
//
//   compare_digests <host output> <emulated output>
//
// EMBER_DIGEST lines (digest_main.cc) must be identical and in the same order: the same
// tests, the same outcomes, the same kernel statuses and output shapes, bit-identical
// outputs of every non-float type. EMBER_F32 lines (float32 outputs) must match in
// name, call, output and count, and each value within
//   |emulated - host| <= kRelTol * |host| + kRangeTol * max|host over the tensor|
// (NaN and infinities exactly): FMA contraction and newlib's libm round differently from
// the host in the last bits; a wrong element, index or activation is far beyond that.
// Prints what differs, or a one-line summary; exit status 0 when everything matches.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr double kRelTol = 1e-5;
constexpr double kRangeTol = 1e-5;

struct RunOutput {
  std::vector<std::string> digests;
  std::map<std::string, std::vector<uint32_t>> floats;  // "<test> call=<k> out=<i>"
  std::vector<std::string> float_order;
};

bool Load(const char* path, RunOutput* out) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "compare_digests: cannot read " << path << "\n";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("EMBER_DIGEST ", 0) == 0) {
      out->digests.push_back(line);
    } else if (line.rfind("EMBER_F32 ", 0) == 0) {
      std::istringstream fields(line.substr(10));
      std::string test, call, output, count;
      fields >> test >> call >> output >> count;
      const std::string key = test + " " + call + " " + output;
      std::vector<uint32_t> values;
      std::string word;
      while (fields >> word)
        values.push_back(static_cast<uint32_t>(std::strtoul(word.c_str(), nullptr, 16)));
      if (count != "n=" + std::to_string(values.size())) {
        std::cerr << "compare_digests: " << path << ": truncated EMBER_F32 line for " << key
                  << "\n";
        return false;
      }
      if (out->floats.count(key) == 0) out->float_order.push_back(key);
      out->floats[key] = std::move(values);
    }
  }
  return true;
}

std::string TestOf(const std::string& digest_line) {
  std::istringstream fields(digest_line);
  std::string tag, test;
  fields >> tag >> test;
  return test;
}

float AsFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compare_digests <host output> <emulated output>\n";
    return 2;
  }
  RunOutput host, emu;
  if (!Load(argv[1], &host) || !Load(argv[2], &emu)) return 2;
  if (host.digests.empty()) {
    std::cerr << "compare_digests: the host output has no EMBER_DIGEST lines\n";
    return 1;
  }
  int problems = 0;
  // Digests, test by test.
  std::map<std::string, std::string> host_by_test, emu_by_test;
  for (const auto& l : host.digests) host_by_test[TestOf(l)] = l;
  for (const auto& l : emu.digests) emu_by_test[TestOf(l)] = l;
  for (const auto& [test, line] : host_by_test) {
    auto it = emu_by_test.find(test);
    if (it == emu_by_test.end()) {
      std::cout << "  " << test << ": run on the host, not in the emulated run\n";
      ++problems;
    } else if (it->second != line) {
      std::cout << "  " << test << " differs\n    host:     " << line
                << "\n    emulated: " << it->second << "\n";
      ++problems;
    }
  }
  for (const auto& [test, line] : emu_by_test) {
    if (host_by_test.count(test) == 0) {
      std::cout << "  " << test << ": in the emulated run only\n";
      ++problems;
    }
  }
  if (problems == 0 && host.digests != emu.digests) {
    std::cout << "  the tests ran in a different order\n";
    ++problems;
  }
  // Float outputs.
  size_t tensors = 0, values = 0, identical = 0;
  double worst = 0.0;  // largest |diff| / (kRelTol*|h| + kRangeTol*range), <= 1 passes
  std::string worst_where;
  for (const std::string& key : host.float_order) {
    auto it = emu.floats.find(key);
    if (it == emu.floats.end()) {
      std::cout << "  float output " << key << ": missing in the emulated run\n";
      ++problems;
      continue;
    }
    const std::vector<uint32_t>& h = host.floats[key];
    const std::vector<uint32_t>& e = it->second;
    if (h.size() != e.size()) {
      std::cout << "  float output " << key << ": " << h.size() << " values on the host, "
                << e.size() << " emulated\n";
      ++problems;
      continue;
    }
    ++tensors;
    double range = 0.0;
    for (uint32_t b : h) {
      const double v = AsFloat(b);
      if (std::isfinite(v)) range = std::fmax(range, std::fabs(v));
    }
    int reported = 0;
    for (size_t i = 0; i < h.size(); ++i) {
      ++values;
      if (h[i] == e[i]) {
        ++identical;
        continue;
      }
      const double hv = AsFloat(h[i]);
      const double ev = AsFloat(e[i]);
      bool ok = false;
      if (std::isfinite(hv) && std::isfinite(ev)) {
        const double tol = kRelTol * std::fabs(hv) + kRangeTol * range;
        const double ratio = tol > 0.0 ? std::fabs(ev - hv) / tol : INFINITY;
        ok = ratio <= 1.0;
        if (ratio > worst) {
          worst = ratio;
          worst_where = key + " [" + std::to_string(i) + "]";
        }
      } else if (std::isnan(hv) && std::isnan(ev)) {
        ok = true;
      }
      if (!ok) {
        ++problems;
        if (reported++ < 8) {
          char buf[160];
          std::snprintf(buf, sizeof(buf), "  float output %s [%zu]: host %.9g, emulated %.9g\n",
                        key.c_str(), i, hv, ev);
          std::cout << buf;
        }
      }
    }
  }
  for (const std::string& key : emu.float_order) {
    if (host.floats.count(key) == 0) {
      std::cout << "  float output " << key << ": in the emulated run only\n";
      ++problems;
    }
  }
  if (problems > 0) {
    std::cout << problems << " difference(s) between the emulated run and the host\n";
    return 1;
  }
  std::cout << host.digests.size() << " tests: statuses and non-float outputs bit-identical; "
            << tensors << " float32 outputs (" << values << " values, " << identical
            << " bit-identical) within tolerance";
  if (worst > 0.0) std::cout << " (worst " << worst << " of it at " << worst_where << ")";
  std::cout << "\n";
  return 0;
}
