// Tables, JSON and CSV output of `ember bench` (report.h). The SVG chart is in svg_chart.cc.
#include "bench/report.h"

#include <algorithm>

#include <cstdio>
#include <string>

#include "bench/paper_numbers.h"
#include "bench/protocol.h"

namespace ember::bench {
namespace {

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

std::string Pad(const std::string& s, size_t width, bool right) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string Kb(double bytes) { return Fmt("%.2f kB", bytes / 1000.0); }

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "-";
  return Fmt("%.2f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// A simple table: header + rows, columns right-aligned except the first `left` ones.
class Table {
 public:
  Table(std::vector<std::string> header, size_t left) : header_(std::move(header)), left_(left) {}
  void Row(std::vector<std::string> r) { rows_.push_back(std::move(r)); }
  void Rule() { rows_.emplace_back(); }
  void Print(std::ostream& os, const std::string& indent) const {
    std::vector<size_t> w(header_.size(), 0);
    auto widen = [&](const std::vector<std::string>& r) {
      for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
    };
    widen(header_);
    for (const auto& r : rows_) widen(r);
    size_t total = 0;
    for (size_t x : w) total += x + 2;
    auto line = [&](const std::vector<std::string>& r) {
      std::string s = indent;
      for (size_t i = 0; i < w.size(); ++i) {
        s += Pad(i < r.size() ? r[i] : "", w[i], i >= left_);
        if (i + 1 < w.size()) s += "  ";
      }
      while (!s.empty() && s.back() == ' ') s.pop_back();
      os << s << "\n";
    };
    line(header_);
    os << indent << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
    for (const auto& r : rows_) {
      if (r.empty()) {
        os << indent << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
      } else {
        line(r);
      }
    }
  }

 private:
  std::vector<std::string> header_;
  size_t left_;
  std::vector<std::vector<std::string>> rows_;
};

std::string SizeCell(const SectionSizes& s, uint64_t SectionSizes::*field) {
  return s.valid ? Grouped(s.*field) : "-";
}

}  // namespace

std::string KernelsNote(const ModelBench& mb) {
  if (mb.variant == "reference") return "reference kernels";
  if (mb.emulated.kernels == "dsp") {
    return "optimized: DSP-extension kernels (SMLAD dual 16-bit MACs) for CONV_2D, "
           "DEPTHWISE_CONV_2D, FULLY_CONNECTED, SVDF; reference kernels for the other ops";
  }
  if (mb.emulated.kernels == "reference") {
    return "optimized = reference fallback: this core has no DSP extension, so the "
           "optimized set is the reference kernels";
  }
  return mb.variant + " kernels";
}

std::string Grouped(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string PaperK(double cycles) {
  const uint64_t tenths = static_cast<uint64_t>(cycles / 100.0 + 0.5);
  return Grouped(tenths / 10) + "." + std::to_string(tenths % 10) + "K";
}

void PrintTables(std::ostream& os, const ModelBench& mb) {
  os << "\n== " << mb.label << " on " << mb.board << " (" << mb.variant << " kernels)\n";
  os << "   model: " << mb.path << " [" << mb.source << "]\n";
  if (mb.fits && mb.emulated.ok) os << "   kernels: " << KernelsNote(mb) << "\n";
  if (!mb.fits) {
    os << "   not run: " << mb.not_run_reason << "\n";
    return;
  }
  if (!mb.emulated.ok) {
    os << "   FAILED (emulated run): " << mb.emulated.error << "\n";
    for (const auto& l : mb.emulated.other_lines) os << "   | " << l << "\n";
    return;
  }
  const PaperModel* paper = FindPaperModel(mb.key);
  const Accounting& a = mb.accounting;
  const bool paper_cycles = paper != nullptr && paper->has_cycles;
  const PaperCycles* pc = nullptr;
  if (paper_cycles) pc = mb.variant == "reference" ? &paper->reference : &paper->optimized;

  os << "\n   Table 6a: cycles per inference (Invoke only; AllocateTensors not timed)\n";
  Table t6({"", "paper (SparkFun Edge, " + mb.variant + ")", "ember (" + mb.board + ")"}, 1);
  t6.Row({"Total cycles", pc ? PaperK(pc->total) : "-",
          Grouped(a.total) + " (" + PaperK(static_cast<double>(a.total)) + ")"});
  t6.Row({"Calculation cycles", pc ? PaperK(pc->calculation) : "-",
          Grouped(a.calculation) + " (" + PaperK(static_cast<double>(a.calculation)) + ")"});
  t6.Row({"Interpreter overhead",
          pc ? std::string(pc->overhead) + " (" + PaperK(pc->total - pc->calculation) + " cycles)"
             : "-",
          Fmt("%.3f%%", a.overhead_percent()) + " (" + Grouped(a.overhead()) + " cycles)"});
  t6.Row({"  per-op dispatch", "", Grouped(a.dispatch)});
  t6.Row({"  rest of Invoke", "", Grouped(a.rest)});
  t6.Print(os, "   ");

  os << "\n   Table 2: arena\n";
  Table t2({"", "paper (reference)", "ember", "ember bytes"}, 1);
  auto arena_row = [&](const char* name, double paper_bytes, uint64_t ours) {
    t2.Row({name, paper ? Kb(paper_bytes) : "-", Kb(static_cast<double>(ours)), Grouped(ours)});
  };
  arena_row("Persistent", paper ? paper->arena.persistent : 0, mb.emulated.arena.persistent);
  arena_row("Nonpersistent", paper ? paper->arena.nonpersistent : 0,
            mb.emulated.arena.nonpersistent);
  arena_row("Total", paper ? paper->arena.total : 0, mb.emulated.arena.total);
  if (mb.emulated.arena.total_reusing_inputs != 0) {
    // TFLM lets the planner reuse a model input's bytes after its last reader; ember keeps
    // inputs live by default (they can be read back) and shows both plans.
    t2.Row({"Nonpersistent, inputs reused (as TFLM)", "", Kb(static_cast<double>(
                mb.emulated.arena.nonpersistent_reusing_inputs)),
            Grouped(mb.emulated.arena.nonpersistent_reusing_inputs)});
    t2.Row({"Total, inputs reused (as TFLM)", "",
            Kb(static_cast<double>(mb.emulated.arena.total_reusing_inputs)),
            Grouped(mb.emulated.arena.total_reusing_inputs)});
  }
  t2.Print(os, "   ");

  os << "\n   Code size (bytes; paper: core runtime 16 KB on Cortex-M3, 22 KB with keyword ops)\n";
  Table cs({"", "text", "data", "bss", "flash (text+data)", "measured from"}, 1);
  for (const SectionSizes* s : {&mb.firmware, &mb.runtime_core, &mb.kernels}) {
    const char* name = s == &mb.firmware       ? "firmware (whole ELF)"
                       : s == &mb.runtime_core ? "runtime core (no kernels)"
                                               : "kernels (as registered)";
    cs.Row({name, SizeCell(*s, &SectionSizes::text), SizeCell(*s, &SectionSizes::data),
            SizeCell(*s, &SectionSizes::bss), s->valid ? Grouped(s->text + s->data) : "-",
            s->valid ? s->what : "not available"});
  }
  cs.Print(os, "   ");

  os << "\n   Per-op profile (cycles from the firmware's profiler reading DWT CYCCNT)\n";
  Table ops({"#", "op", "cycles", "share", "MACs", "MACs/cycle", "symbol cycles", "kernel symbol"},
            2);
  for (size_t i = 0; i < mb.emulated.ops.size(); ++i) {
    const OpProfile& op = mb.emulated.ops[i];
    const uint64_t c = op.cycles();
    std::string sym_cycles = "-", sym = "-";
    if (mb.cross.valid && i < mb.cross.cycles.size()) {
      sym_cycles = Grouped(mb.cross.cycles[i]);
      sym = mb.cross.functions[i];
      if (sym.size() > 48) sym = sym.substr(0, 45) + "...";
    }
    ops.Row(
        {std::to_string(op.index), op.name, Grouped(c), Percent(c, a.total),
         op.macs ? Grouped(op.macs) : "-",
         op.macs && c ? Fmt("%.3f", static_cast<double>(op.macs) / static_cast<double>(c)) : "-",
         sym_cycles, sym});
  }
  ops.Rule();
  ops.Row(
      {"", "sum of ops (calculation)", Grouped(a.calculation), Percent(a.calculation, a.total)});
  ops.Row({"", "per-op dispatch", Grouped(a.dispatch), Percent(a.dispatch, a.total)});
  ops.Row({"", "rest of Invoke", Grouped(a.rest), Percent(a.rest, a.total)});
  ops.Row({"", "total Invoke", Grouped(a.total), "100.00%"});
  ops.Print(os, "   ");
  os << "   accounting: " << Grouped(a.calculation) << " + " << Grouped(a.dispatch) << " + "
     << Grouped(a.rest) << " = " << Grouped(a.calculation + a.dispatch + a.rest)
     << (a.calculation + a.dispatch + a.rest == a.total ? " == total (closes exactly)"
                                                        : " != total (DOES NOT CLOSE)")
     << "\n";
  if (mb.cross.valid) {
    uint64_t sym_total = 0;
    for (uint64_t c : mb.cross.cycles) sym_total += c;
    if (sym_total <= a.total) {
      os << "   kernels alone (simulator, by ELF symbols): " << Grouped(sym_total)
         << " cycles; everything else in Invoke (interpreter + profiler bookkeeping): "
         << Grouped(a.total - sym_total) << " = " << Percent(a.total - sym_total, a.total) << "\n";
    }
    os << "   symbol cross-check: max |profiler - symbol| = " << mb.cross.max_abs_diff
       << " cycles per op, profiler's own cost " << mb.cross.allowed_diff << " -> "
       << (mb.cross.agrees ? "agree" : "DISAGREE") << "\n";
  } else {
    os << "   symbol cross-check: not available (" << mb.cross.note << ")\n";
  }

  os << "\n   Golden check (host native run, reference kernels, vs emulated " << mb.variant
     << "): ";
  if (mb.golden_match) {
    os << "outputs match";
    for (const auto& o : mb.emulated.outputs) os << " [" << ToHex(o.bytes) << "]";
    os << ", " << mb.emulated.ops.size() << "/" << mb.host.ops.size()
       << " per-op checksums match\n";
  } else {
    os << "MISMATCH\n";
    for (const auto& m : mb.mismatches) os << "     " << m << "\n";
  }
  if (mb.baseline_checked) {
    os << "   Baseline: ";
    if (!mb.baseline_found) {
      os << "none recorded for this model/board/variant\n";
    } else {
      os << Grouped(mb.baseline_total) << " cycles, now "
         << Fmt("%+.3f%%", mb.baseline_change_percent)
         << (mb.baseline_ok ? " (ok)" : " (SLOWER than tolerance)") << "\n";
    }
  }
}

void PrintSummary(std::ostream& os, const std::vector<ModelBench>& runs) {
  os << "\nSummary\n";
  Table t({"model", "board", "variant", "kernels", "source", "total cycles", "calc cycles",
           "overhead", "arena total", "golden", "result"},
          5);
  for (const ModelBench& mb : runs) {
    if (!mb.fits) {
      t.Row(
          {mb.key, mb.board, mb.variant, "-", mb.source, "-", "-", "-", "-", "-", "does not fit"});
      continue;
    }
    const bool ran = mb.emulated.ok;
    t.Row({mb.key, mb.board, mb.variant, ran ? mb.emulated.kernels : "-", mb.source,
           ran ? Grouped(mb.accounting.total) : "-", ran ? Grouped(mb.accounting.calculation) : "-",
           ran ? Fmt("%.3f%%", mb.accounting.overhead_percent()) : "-",
           ran ? Grouped(mb.emulated.arena.total) : "-", mb.golden_match ? "match" : "MISMATCH",
           mb.ok() ? "ok" : "FAIL"});
  }
  t.Print(os, "  ");

  // Table 6a side by side: the paper's reference and optimized rows next to ours.
  bool any_paper = false;
  for (const ModelBench& mb : runs) {
    const PaperModel* p = FindPaperModel(mb.key);
    any_paper = any_paper || (p != nullptr && p->has_cycles && mb.fits && mb.emulated.ok);
  }
  if (!any_paper) return;
  os << "\nTable 6a side by side (paper: SparkFun Edge, Cortex-M4; ours: emulated)\n";
  Table s6({"model", "board", "variant", "kernels", "paper total", "ember total", "paper calc",
            "ember calc", "paper overhead", "ember overhead", "speedup vs ember reference"},
           4);
  for (const ModelBench& mb : runs) {
    const PaperModel* p = FindPaperModel(mb.key);
    if (p == nullptr || !p->has_cycles || !mb.fits || !mb.emulated.ok) continue;
    const PaperCycles& pc = mb.variant == "reference" ? p->reference : p->optimized;
    std::string speedup = "-";
    if (mb.variant != "reference") {
      for (const ModelBench& r : runs) {
        if (r.key == mb.key && r.board == mb.board && r.source == mb.source &&
            r.variant == "reference" && r.fits && r.emulated.ok && mb.accounting.total > 0) {
          speedup = Fmt("%.2fx", static_cast<double>(r.accounting.total) /
                                     static_cast<double>(mb.accounting.total));
        }
      }
    }
    s6.Row({mb.key, mb.board, mb.variant, mb.emulated.kernels, PaperK(pc.total),
            PaperK(static_cast<double>(mb.accounting.total)), PaperK(pc.calculation),
            PaperK(static_cast<double>(mb.accounting.calculation)), pc.overhead,
            Fmt("%.3f%%", mb.accounting.overhead_percent()), speedup});
  }
  s6.Print(os, "  ");
}

void PrintCodeParts(std::ostream& os, const std::vector<ModelBench>& runs) {
  std::vector<std::string> boards_done;
  for (const ModelBench& mb : runs) {
    if (std::find(boards_done.begin(), boards_done.end(), mb.board) != boards_done.end()) {
      continue;
    }
    if (mb.code_parts.empty()) {
      if (!mb.code_parts_note.empty() && mb.fits) {
        os << "\nCode size by part on " << mb.board << ": not available (" << mb.code_parts_note
           << ")\n";
        boards_done.push_back(mb.board);
      }
      continue;
    }
    boards_done.push_back(mb.board);
    os << "\nCode size by part on " << mb.board
       << " (flash bytes: code, read-only data, initialized data; from the linker map "
       << mb.code_parts_source
       << "; kernels as the benchmark firmware registers them: every op in both variants, "
          "only the benchmark models' ops on small-flash boards; string "
          "literals counted before the linker merges duplicates, padding not counted)\n";
    Table t({"group", "part", "flash"}, 2);
    std::string group;
    uint64_t group_total = 0, total = 0;
    size_t group_rows = 0;
    auto close_group = [&]() {
      if (group.empty()) return;
      if (group_rows > 1) t.Row({group, "(total)", Grouped(group_total)});
      t.Rule();
    };
    for (const CodePart& p : mb.code_parts) {
      if (p.group != group) {
        close_group();
        group = p.group;
        group_total = 0;
        group_rows = 0;
      }
      ++group_rows;
      t.Row({p.group, p.part, Grouped(p.flash)});
      group_total += p.flash;
      total += p.flash;
    }
    close_group();
    t.Row({"all", "(flash image)", Grouped(total)});
    t.Print(os, "   ");
  }
}

nlohmann::json ToJson(const std::vector<ModelBench>& runs) {
  nlohmann::json arr = nlohmann::json::array();
  for (const ModelBench& mb : runs) {
    nlohmann::json j;
    j["model"] = mb.key;
    j["label"] = mb.label;
    j["path"] = mb.path;
    j["source"] = mb.source;
    j["board"] = mb.board;
    j["variant"] = mb.variant;
    j["kernels"] = mb.emulated.kernels;
    j["fits"] = mb.fits;
    j["ok"] = mb.ok();
    if (!mb.fits) {
      j["not_run_reason"] = mb.not_run_reason;
      arr.push_back(j);
      continue;
    }
    if (!mb.emulated.ok) j["error"] = mb.emulated.error;
    const Accounting& a = mb.accounting;
    j["cycles"] = {{"total", a.total},
                   {"calculation", a.calculation},
                   {"dispatch", a.dispatch},
                   {"rest", a.rest},
                   {"overhead", a.overhead()},
                   {"overhead_percent", a.overhead_percent()},
                   {"timer_cost", mb.emulated.timer_cost}};
    j["arena"] = {{"persistent", mb.emulated.arena.persistent},
                  {"nonpersistent", mb.emulated.arena.nonpersistent},
                  {"total", mb.emulated.arena.total},
                  {"nonpersistent_reusing_inputs", mb.emulated.arena.nonpersistent_reusing_inputs},
                  {"total_reusing_inputs", mb.emulated.arena.total_reusing_inputs}};
    auto sizes = [](const SectionSizes& s) {
      nlohmann::json o;
      if (!s.valid) return nlohmann::json();
      o["text"] = s.text;
      o["data"] = s.data;
      o["bss"] = s.bss;
      o["measured_from"] = s.what;
      return o;
    };
    j["code_size"] = {{"firmware", sizes(mb.firmware)},
                      {"runtime_core", sizes(mb.runtime_core)},
                      {"kernels", sizes(mb.kernels)}};
    nlohmann::json parts = nlohmann::json::array();
    for (const CodePart& p : mb.code_parts) {
      parts.push_back({{"group", p.group}, {"part", p.part}, {"flash", p.flash}});
    }
    j["code_size"]["by_part"] = parts;
    j["code_size"]["by_part_source"] = mb.code_parts_source;
    nlohmann::json ops = nlohmann::json::array();
    for (size_t i = 0; i < mb.emulated.ops.size(); ++i) {
      const OpProfile& op = mb.emulated.ops[i];
      nlohmann::json o = {{"index", op.index}, {"name", op.name}, {"cycles", op.cycles()},
                          {"start", op.start}, {"end", op.end},   {"macs", op.macs}};
      if (op.has_checksum) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%08x", op.checksum);
        o["checksum"] = buf;
        o["output_bytes"] = op.output_bytes;
      }
      if (mb.cross.valid && i < mb.cross.cycles.size()) {
        o["symbol"] = mb.cross.functions[i];
        o["symbol_cycles"] = mb.cross.cycles[i];
      }
      ops.push_back(o);
    }
    j["ops"] = ops;
    nlohmann::json outs = nlohmann::json::array();
    for (const auto& o : mb.emulated.outputs) outs.push_back(ToHex(o.bytes));
    j["outputs"] = outs;
    j["golden"] = {{"match", mb.golden_match}, {"mismatches", mb.mismatches}};
    j["cross_check"] = {{"valid", mb.cross.valid},
                        {"agrees", mb.cross.agrees},
                        {"max_abs_diff", mb.cross.max_abs_diff},
                        {"allowed_diff", mb.cross.allowed_diff},
                        {"note", mb.cross.note}};
    if (const PaperModel* p = FindPaperModel(mb.key)) {
      nlohmann::json pj;
      if (p->has_cycles) {
        const PaperCycles& c = mb.variant == "reference" ? p->reference : p->optimized;
        pj["total_cycles"] = c.total;
        pj["calculation_cycles"] = c.calculation;
        pj["overhead"] = c.overhead;
      }
      pj["arena"] = {{"persistent", p->arena.persistent},
                     {"nonpersistent", p->arena.nonpersistent},
                     {"total", p->arena.total}};
      j["paper"] = pj;
    }
    if (mb.baseline_checked) {
      j["baseline"] = {{"found", mb.baseline_found},
                       {"total_cycles", mb.baseline_total},
                       {"change_percent", mb.baseline_change_percent},
                       {"ok", mb.baseline_ok}};
    }
    arr.push_back(j);
  }
  return nlohmann::json{{"runs", arr}};
}

void WriteCsv(std::ostream& os, const std::vector<ModelBench>& runs) {
  os << "model,board,variant,source,op_index,op_name,cycles,share_percent,macs,checksum,kernels\n";
  for (const ModelBench& mb : runs) {
    if (!mb.fits || !mb.emulated.ok) continue;
    const uint64_t total = mb.accounting.total;
    auto prefix = [&]() { return mb.key + "," + mb.board + "," + mb.variant + "," + mb.source; };
    for (const OpProfile& op : mb.emulated.ops) {
      char sum[16] = "";
      if (op.has_checksum) std::snprintf(sum, sizeof(sum), "%08x", op.checksum);
      os << prefix() << "," << op.index << "," << op.name << "," << op.cycles() << ","
         << Fmt("%.4f",
                total ? 100.0 * static_cast<double>(op.cycles()) / static_cast<double>(total) : 0.0)
         << "," << op.macs << "," << sum << "," << mb.emulated.kernels << "\n";
    }
    const std::string k = "," + mb.emulated.kernels + "\n";
    os << prefix() << ",-1,(dispatch)," << mb.accounting.dispatch << ",,," << k;
    os << prefix() << ",-1,(rest of invoke)," << mb.accounting.rest << ",,," << k;
    os << prefix() << ",-1,(invoke total)," << total << ",100.0000,," << k;
  }
}

}  // namespace ember::bench
