#include "bench/link_map.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

namespace ember::bench {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Output sections whose input sections put no bytes into flash.
bool CountsInFlash(const std::string& output_section) {
  for (const char* p : {".debug", ".comment", ".ARM.attributes", ".bss", ".stack", ".heap",
                        ".ember_arena", ".noinit", ".tbss", ".stab", ".gnu.attributes"}) {
    if (StartsWith(output_section, p)) return false;
  }
  return !output_section.empty();
}

bool IsHex(const std::string& s) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) { return std::isxdigit(c) != 0; });
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "dir/libx.a(member.o)" -> {"libx.a", "member.o"}; "dir/file.o" -> {"", "file.o"}.
void SplitFile(const std::string& file, std::string* archive, std::string* member) {
  const size_t open = file.find('(');
  if (open != std::string::npos && file.back() == ')') {
    *archive = BaseName(file.substr(0, open));
    *member = file.substr(open + 1, file.size() - open - 2);
  } else {
    archive->clear();
    *member = BaseName(file);
  }
}

std::string Stem(const std::string& member) {
  std::string s = member;
  for (const char* ext : {".obj", ".o"}) {
    const std::string e = ext;
    if (s.size() > e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0) {
      s.resize(s.size() - e.size());
      break;
    }
  }
  return s;  // e.g. "svdf.cc"
}

// The op (or shared helper) a kernel source file implements.
std::string KernelPartName(const std::string& source) {
  static const std::map<std::string, std::string> kNames = {
      {"conv.cc", "CONV_2D"},
      {"conv_dsp.cc", "CONV_2D, DSP variant"},
      {"depthwise_conv.cc", "DEPTHWISE_CONV_2D"},
      {"depthwise_conv_dsp.cc", "DEPTHWISE_CONV_2D, DSP variant"},
      {"fully_connected.cc", "FULLY_CONNECTED"},
      {"fully_connected_dsp.cc", "FULLY_CONNECTED, DSP variant"},
      {"svdf_dsp.cc", "SVDF, DSP variant"},
      {"add_sub.cc", "shared by ADD and SUB"},
      {"sigmoid_tanh.cc", "shared by LOGISTIC and TANH"},
      {"conv_common.cc", "shared by the convolutions"},
      {"pool_common.cc", "shared by the pools"},
      {"relu_common.cc", "shared by the RELUs"},
      {"quant_util.cc", "quantization helpers"},
      {"broadcast.cc", "broadcasting helpers"},
  };
  auto it = kNames.find(source);
  if (it != kNames.end()) return it->second + " (" + source + ")";
  std::string op = source.substr(0, source.find('.'));
  for (char& c : op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return op + " (" + source + ")";
}

std::string GroupOf(const MapObject& o) {
  if (o.archive == "libember_runtime.a") return "runtime";
  if (o.archive == "libember_kernels.a") return "kernels";
  if (StartsWith(o.archive, "libgcc") || StartsWith(o.member, "crt")) return "libgcc";
  for (const char* lib : {"libc", "libg_", "libg.", "libm", "librdimon", "libstdc++", "libnosys",
                          "libsupc++"}) {
    if (StartsWith(o.archive, lib)) return "C library";
  }
  if (StartsWith(o.member, "rdimon-crt0")) return "C library";
  return "board and app";
}

}  // namespace

bool ParseLinkMap(const std::string& text, std::vector<MapObject>* out, std::string* error) {
  out->clear();
  std::istringstream in(text);
  std::string line;
  bool in_map = false;
  std::string output_section;
  std::string pending;  // an input section named on a line of its own
  std::map<std::string, size_t> index;
  auto add = [&](const std::string& file, uint64_t size) {
    if (size == 0 || !CountsInFlash(output_section)) return;
    auto it = index.find(file);
    if (it == index.end()) {
      MapObject o;
      SplitFile(file, &o.archive, &o.member);
      it = index.emplace(file, out->size()).first;
      out->push_back(o);
    }
    (*out)[it->second].flash += size;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!in_map) {
      in_map = StartsWith(line, "Linker script and memory map");
      continue;
    }
    if (line.empty()) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string t; words >> t;) w.push_back(t);
    if (w.empty()) continue;
    if (line[0] != ' ') {  // an output section (or LOAD/GROUP lines, which are not '.')
      pending.clear();
      output_section = line[0] == '.' ? w[0] : std::string();
      continue;
    }
    const bool input_line = line.size() > 1 && line[1] != ' ';
    if (input_line) {
      pending.clear();
      if (w[0][0] == '*') continue;  // *fill* padding and the script's patterns
      if (w.size() >= 4 && IsHex(w[1]) && IsHex(w[2])) {
        // " .text.x  0xADDR  0xSIZE  file" (the file name may contain spaces)
        const size_t at = line.find(w[3], line.find(w[2]) + w[2].size());
        add(line.substr(at), std::stoull(w[2], nullptr, 16));
      } else if (w.size() == 1) {
        pending = w[0];
      }
      continue;
    }
    // Deeper indentation: the address/size/file of a pending input section, or a symbol.
    if (!pending.empty() && w.size() >= 3 && IsHex(w[0]) && IsHex(w[1])) {
      const size_t at = line.find(w[2], line.find(w[1]) + w[1].size());
      add(line.substr(at), std::stoull(w[1], nullptr, 16));
    }
    pending.clear();
  }
  if (!in_map) {
    *error = "no 'Linker script and memory map' section (not a GNU ld map file?)";
    return false;
  }
  return true;
}

bool ReadLinkMap(const std::string& path, std::vector<MapObject>* out, std::string* error) {
  std::ifstream f(path);
  if (!f) {
    *error = "cannot read the linker map " + path;
    return false;
  }
  std::stringstream text;
  text << f.rdbuf();
  if (!ParseLinkMap(text.str(), out, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

std::vector<CodePart> GroupCodeParts(const std::vector<MapObject>& objects) {
  static const char* const kGroups[] = {"runtime", "kernels", "board and app", "C library",
                                        "libgcc"};
  std::vector<CodePart> rows;
  for (const char* group : kGroups) {
    std::vector<CodePart> parts;
    uint64_t other = 0;
    for (const MapObject& o : objects) {
      if (GroupOf(o) != group) continue;
      if (StartsWith(group, "runtime") || StartsWith(group, "kernels")) {
        const std::string source = Stem(o.member);
        parts.push_back({group, StartsWith(group, "kernels") ? KernelPartName(source) : source,
                         o.flash});
      } else {
        other += o.flash;
      }
    }
    std::stable_sort(parts.begin(), parts.end(),
                     [](const CodePart& a, const CodePart& b) { return a.flash > b.flash; });
    if (other > 0) parts.push_back({group, "(all objects)", other});
    rows.insert(rows.end(), parts.begin(), parts.end());
  }
  return rows;
}

}  // namespace ember::bench
