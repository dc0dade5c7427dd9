// Self-contained SVG chart of per-op cycles (report.h): one panel per (model, board) run,
// one horizontal bar per op, plus the interpreter overhead as its own bar. No scripts, no
// external fonts or styles, so the file opens anywhere.
#include <algorithm>
#include <cstdio>
#include <string>

#include "bench/report.h"

namespace ember::bench {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A stable color per op name, so an op type has the same color in every panel.
std::string ColorFor(const std::string& name) {
  // The benchmark models' main ops get fixed, distinct colors; others a hashed one.
  if (name == "CONV_2D") return "#4e79a7";
  if (name == "DEPTHWISE_CONV_2D") return "#f28e2b";
  if (name == "FULLY_CONNECTED") return "#59a14f";
  if (name == "SVDF") return "#e15759";
  static const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return kPalette[h % 10];
}

}  // namespace

std::string RenderSvg(const std::vector<ModelBench>& runs) {
  constexpr int kWidth = 900, kLabel = 230, kBarArea = 520, kRow = 16, kTitle = 40, kGap = 24;
  int height = 10;
  for (const ModelBench& mb : runs) {
    if (!mb.fits || !mb.emulated.ok) continue;
    height += kTitle + kRow * static_cast<int>(mb.emulated.ops.size() + 1) + kGap;
  }
  std::string svg;
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                kWidth, height, kWidth, height);
  svg += buf;
  int y = 10;
  for (const ModelBench& mb : runs) {
    if (!mb.fits || !mb.emulated.ok) continue;
    const Accounting& a = mb.accounting;
    uint64_t max_cycles = std::max<uint64_t>(a.overhead(), 1);
    for (const OpProfile& op : mb.emulated.ops) max_cycles = std::max(max_cycles, op.cycles());
    std::string title = mb.label + " on " + mb.board + " (" + mb.variant + ", " + mb.source +
                        "): " + Grouped(a.total) + " cycles per Invoke";
    std::snprintf(buf, sizeof(buf),
                  "<text x=\"8\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>\n",
                  y + 18, Escape(title).c_str());
    svg += buf;
    y += kTitle;
    auto bar = [&](const std::string& label, uint64_t cycles, const std::string& color) {
      const double share = a.total ? 100.0 * static_cast<double>(cycles) / a.total : 0.0;
      const int w = static_cast<int>(static_cast<double>(kBarArea) * static_cast<double>(cycles) /
                                     static_cast<double>(max_cycles));
      std::snprintf(buf, sizeof(buf),
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                    "<title>%s: %s cycles (%.2f%%)</title></rect>\n"
                    "<text x=\"%d\" y=\"%d\">%s (%.2f%%)</text>\n",
                    kLabel - 6, y + kRow - 4, Escape(label).c_str(), kLabel, y + 2, std::max(w, 1),
                    kRow - 4, color.c_str(), Escape(label).c_str(), Grouped(cycles).c_str(), share,
                    kLabel + std::max(w, 1) + 4, y + kRow - 4, Grouped(cycles).c_str(), share);
      svg += buf;
      y += kRow;
    };
    for (const OpProfile& op : mb.emulated.ops) {
      bar(std::to_string(op.index) + " " + op.name, op.cycles(), ColorFor(op.name));
    }
    bar("interpreter overhead", a.overhead(), "#333333");
    y += kGap;
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ember::bench
