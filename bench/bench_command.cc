// `ember bench`: the paper's benchmarks on emulated boards, checked against the host.
//
//   ember bench [--board sparkfun_edge|all|ID] [--model vww|hotword|conv_ref|all|FILE]...
//               [--variant reference|optimized|all] [--json] [--csv] [--svg FILE]
//               [--baseline-check|--update-baseline]
//
// Per model: the host golden run (runtime, natively, reference kernels), then per board
// and kernel variant the benchmark firmware in the simulator (one ELF; the variant is
// passed in the model slot); prints the paper's Table 6a / Table 2 next to ours, code
// size, the per-op profile and the checks. Exit status 1 when any run fails, when host and
// emulated results differ, or when --baseline-check finds a regression.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/baseline.h"
#include "bench/elf_info.h"
#include "bench/link_map.h"
#include "bench/host_runner.h"
#include "bench/model_bench.h"
#include "bench/protocol.h"
#include "bench/report.h"
#include "bench/sim_runner.h"
#include "models/bmp.h"
#include "sim/board.h"
#include "tools/ember/commands.h"

namespace ember::tools {
namespace {

namespace fs = std::filesystem;
using bench::ModelBench;

struct ModelSpec {
  std::string key, label, path, source;
  std::string image;  // person detection: the BMP whose pixels are the input
};

struct Options {
  std::vector<std::string> models = {"vww", "hotword", "conv_ref"};
  std::string board = "sparkfun_edge";
  std::string variant = "all";  // reference | optimized | all
  bool json = false;
  bool csv = false;
  std::string svg;
  bool baseline_check = false;
  bool update_baseline = false;
  std::string models_dir = EMBER_MODELS_DIR;
  std::string generated_dir = EMBER_GENERATED_MODELS_DIR;
  std::string firmware_dir = EMBER_BENCH_FIRMWARE_DIR;
  std::string baseline_dir = EMBER_BENCH_BASELINE_DIR;
  std::string image;
  std::string expect_output;  // file with the exact expected output tensor bytes
  bool no_cross_check = false;
  bool generated = false;  // use the generated models even when the real ones exist
  bool quiet = false;
};

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "ember bench: " << message << "\n";
  throw CLI::RuntimeError(1);
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// The built-in model names, real models first, generated ones as the fallback.
std::vector<ModelSpec> ResolveModels(const Options& o) {
  struct Known {
    const char* key;
    const char* label;
    const char* real;       // file in EMBER_MODELS_DIR, or nullptr
    const char* generated;  // file in the generated models dir
  };
  static const Known kKnown[] = {
      {"vww", "VWW (person_detect)", "person_detect.tflite", "vww.tflite"},
      {"hotword", "Hotword (keyword_scrambled)", "keyword_scrambled.tflite", "hotword.tflite"},
      {"conv_ref", "Convolutional reference (conv_ref)", nullptr, "conv_ref.tflite"},
  };
  std::vector<std::string> names;
  for (const std::string& m : o.models) {
    if (m == "all") {
      for (const Known& k : kKnown) names.push_back(k.key);
    } else {
      names.push_back(m);
    }
  }
  std::vector<ModelSpec> specs;
  for (const std::string& name : names) {
    const Known* known = nullptr;
    for (const Known& k : kKnown) {
      if (name == k.key) known = &k;
    }
    ModelSpec s;
    if (known == nullptr) {
      if (!fs::is_regular_file(name)) {
        Die("--model '" + name + "': neither vww, hotword, conv_ref, all nor an existing file");
      }
      s.key = fs::path(name).stem().string();
      s.label = fs::path(name).filename().string();
      s.path = name;
      s.source = "file";
    } else {
      s.key = known->key;
      s.label = known->label;
      const std::string real = known->real ? o.models_dir + "/" + known->real : "";
      const std::string gen = o.generated_dir + "/" + known->generated;
      if (!real.empty() && !o.generated && fs::is_regular_file(real)) {
        s.path = fs::path(real).lexically_normal().string();
        s.source = "real";
      } else if (fs::is_regular_file(gen)) {
        s.path = fs::path(gen).lexically_normal().string();
        s.source = "generated";
      } else {
        Die("model '" + name + "': " + (real.empty() ? "" : real + " not found and ") + gen +
            " not built (build the host preset first)");
      }
    }
    if (s.key == "vww" && s.source == "real") {
      s.image = fs::path(o.image.empty() ? o.models_dir + "/person.bmp" : o.image)
                    .lexically_normal()
                    .string();
    }
    specs.push_back(s);
  }
  return specs;
}

std::vector<std::string> ResolveBoards(const Options& o) {
  if (o.board != "all") {
    sim::Result<sim::BoardConfig> b = sim::LoadBoard(o.board);
    if (!b.ok()) Die(b.status().message());
    return {b->id};
  }
  std::vector<std::string> boards = sim::ListBoards(sim::DefaultBoardsDir());
  if (boards.empty()) Die("no boards found in " + sim::DefaultBoardsDir());
  return boards;
}

std::string FirmwarePath(const Options& o, const std::string& board) {
  return o.firmware_dir + "/" + board + "/ember_bench.elf";
}

void Progress(const Options& o, const std::string& text) {
  if (!o.quiet) std::cerr << text << std::flush;
}

// The two measurements agree when, for every op, the profiler's cycles exceed the symbol
// cycles by no more than the profiler's own cost (measured by the firmware around an empty
// function) plus a small slack for the flash cache / prefetch state, and never fall short.
void CrossCheckAgreement(ModelBench* mb) {
  bench::CrossCheck& c = mb->cross;
  if (!c.valid) return;
  constexpr uint64_t kSlack = 32;
  c.allowed_diff = mb->emulated.timer_cost + kSlack;
  c.max_abs_diff = 0;
  c.agrees = c.cycles.size() == mb->emulated.ops.size();
  for (size_t i = 0; i < c.cycles.size() && i < mb->emulated.ops.size(); ++i) {
    const uint64_t p = mb->emulated.ops[i].cycles();
    const uint64_t s = c.cycles[i];
    const uint64_t d = p > s ? p - s : s - p;
    c.max_abs_diff = std::max(c.max_abs_diff, d);
    if (p < s || d > c.allowed_diff) c.agrees = false;
  }
}

// One (model, board, kernel variant) run in the simulator, checked against the host golden.
ModelBench RunOne(const Options& o, const ModelSpec& spec, const std::string& board,
                  const std::string& variant, const std::vector<uint8_t>& model,
                  const bench::RunResult& host, const std::vector<std::vector<uint8_t>>& inputs,
                  const std::vector<uint8_t>& expected) {
  ModelBench mb;
  mb.key = spec.key;
  mb.label = spec.label;
  mb.path = spec.path;
  mb.source = spec.source;
  mb.board = board;
  mb.variant = variant;
  mb.host = host;
  const std::string elf = FirmwarePath(o, board);
  if (!fs::is_regular_file(elf)) {
    if (fs::is_regular_file(elf + ".does_not_fit")) {
      mb.fits = false;
      mb.not_run_reason = "the benchmark firmware does not fit " + board;
      return mb;
    }
    Die("no benchmark firmware for " + board + " at " + elf +
        " (build the host preset, which cross-builds the firmware)");
  }
  bench::SimRunRequest req;
  req.board = board;
  req.elf_path = elf;
  req.model = model;
  req.inputs = inputs;
  req.optimized = variant == "optimized";
  req.cross_check = !o.no_cross_check;
  const std::string what = spec.key + " (" + variant + ") on " + board;
  const auto t0 = std::chrono::steady_clock::now();
  if (isatty(2))
    req.progress = [&](uint64_t cycles) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char buf[160];
      std::snprintf(buf, sizeof(buf), "\r[bench]   %s: %.1fM cycles emulated, %.1f s ",
                    what.c_str(), static_cast<double>(cycles) / 1e6, s);
      Progress(o, buf);
    };
  bench::SimRunResponse resp;
  if (host.ok) {
    bench::RunOnBoard(req, &resp);
  } else {
    resp.run.error = "not run: the host golden run failed: " + host.error;
  }
  char buf[200];
  std::snprintf(buf, sizeof(buf), "\r[bench]   %s: %s (%.1fM instructions, %.1f s)\n", what.c_str(),
                !resp.fits    ? "does not fit"
                : resp.run.ok ? "done"
                              : "FAILED",
                static_cast<double>(resp.instructions) / 1e6, resp.host_seconds);
  Progress(o, buf);
  if (!resp.fits) {
    mb.fits = false;
    mb.not_run_reason = resp.not_fit_reason;
    return mb;
  }
  mb.emulated = resp.run;
  mb.cross = resp.cross;
  // The runtime said the arena (the RAM the linker left) is too small: a model that
  // does not fit the board, reported as such.
  if (!mb.emulated.ok) {
    for (const std::string& l : mb.emulated.logs) {
      if (l.find("arena too small") != std::string::npos) {
        mb.fits = false;
        mb.not_run_reason = "does not fit the RAM: " + l;
      }
    }
    if (!mb.fits) return mb;
  }
  // The firmware must have run the variant asked for (an older firmware without the
  // variant record would silently run the reference kernels).
  if (mb.emulated.ok && mb.emulated.variant != variant) {
    mb.emulated.ok = false;
    mb.emulated.error =
        "the firmware ran the '" +
        (mb.emulated.variant.empty() ? std::string("(unreported)") : mb.emulated.variant) +
        "' kernel variant, '" + variant + "' was requested (rebuild the firmware)";
  }
  if (mb.emulated.ok) {
    std::string err;
    if (!bench::ComputeAccounting(mb.emulated, &mb.accounting, &err)) {
      mb.emulated.ok = false;
      mb.emulated.error = err;
    }
  }
  bench::ElfInfo info;
  std::string err;
  if (bench::ReadElf(elf, &info, &err)) {
    mb.firmware = bench::ImageSizes(info);
    mb.runtime_core = bench::RuntimeCoreSizes(info);
    mb.kernels = bench::KernelSizes(info);
  }
  {
    std::string map = elf.substr(0, elf.size() - 4) + ".map";  // ember_bench.elf -> .map
    std::vector<bench::MapObject> objects;
    std::string map_err;
    if (bench::ReadLinkMap(map, &objects, &map_err)) {
      mb.code_parts = bench::GroupCodeParts(objects);
      mb.code_parts_source = map;
    } else {
      mb.code_parts_note = map_err;
    }
  }
  CrossCheckAgreement(&mb);
  bench::CompareWithGolden(&mb);
  if (!expected.empty()) {
    const bool same = mb.emulated.ok && mb.emulated.outputs.size() == 1 &&
                      mb.emulated.outputs[0].bytes == expected;
    if (!same) {
      mb.golden_match = false;
      mb.mismatches.push_back("emulated output differs from " + o.expect_output + " (" +
                              bench::ToHex(expected) + ")");
    }
    if (host.outputs.size() != 1 || host.outputs[0].bytes != expected) {
      mb.golden_match = false;
      mb.mismatches.push_back("host output differs from " + o.expect_output);
    }
  }
  return mb;
}

void RunBench(const Options& o) {
  if (o.baseline_check && o.update_baseline) {
    Die("--baseline-check and --update-baseline exclude each other");
  }
  const std::vector<ModelSpec> specs = ResolveModels(o);
  const std::vector<std::string> boards = ResolveBoards(o);
  std::vector<std::string> variants;
  if (o.variant == "all") {
    variants = {"reference", "optimized"};
  } else if (o.variant == "reference" || o.variant == "optimized") {
    variants = {o.variant};
  } else {
    Die("--variant '" + o.variant + "': neither reference, optimized nor all");
  }
  std::vector<uint8_t> expected;
  if (!o.expect_output.empty() && !ReadFile(o.expect_output, &expected)) {
    Die("cannot read " + o.expect_output);
  }
  std::vector<ModelBench> runs;
  for (const ModelSpec& spec : specs) {
    std::vector<uint8_t> model;
    if (!ReadFile(spec.path, &model)) Die("cannot read " + spec.path);
    Progress(o, "[bench] " + spec.key + ": " + spec.source + " model " + spec.path + "\n");
    bench::HostRunOptions host_opts;
    if (!spec.image.empty()) {
      models::GrayImage img;
      models::Status st = models::LoadGrayscaleBmp(spec.image, &img, 96, 96);
      if (!st.ok()) Die(st.message());
      host_opts.inputs.push_back(img.pixels);
      Progress(o, "[bench]   input: pixels of " + spec.image + "\n");
    } else {
      Progress(o, "[bench]   input: the 'pattern' input ((i*7+3) mod 256)\n");
    }
    bench::RunResult host;
    std::vector<std::vector<uint8_t>> inputs;
    Progress(o, "[bench]   host golden run ... ");
    bench::RunOnHost(model, host_opts, &host, &inputs);
    Progress(o, host.ok ? "ok\n" : "FAILED: " + host.error + "\n");
    for (const std::string& board : boards) {
      for (const std::string& variant : variants) {
        runs.push_back(RunOne(o, spec, board, variant, model, host, inputs, expected));
      }
    }
  }

  // Baselines, per board.
  if (o.baseline_check || o.update_baseline) {
    for (const std::string& board : boards) {
      const std::string path = bench::BaselinePath(o.baseline_dir, board);
      bench::Baseline b;
      std::string err;
      if (!bench::LoadBaseline(path, &b, &err)) Die(err);
      bool changed = false;
      for (ModelBench& mb : runs) {
        if (mb.board != board || !mb.fits) continue;
        if (o.baseline_check) {
          bench::CheckBaseline(b, &mb);
        } else if (mb.emulated.ok && mb.golden_match) {
          bench::UpdateBaseline(mb, &b);
          changed = true;
        }
      }
      if (changed) {
        b.board = board;
        if (!bench::SaveBaseline(path, b, &err)) Die(err);
        Progress(o, "[bench] baseline written: " + path + "\n");
      }
    }
  }

  if (o.json) {
    std::cout << bench::ToJson(runs).dump(2) << "\n";
  } else if (o.csv) {
    bench::WriteCsv(std::cout, runs);
  } else {
    for (const ModelBench& mb : runs) bench::PrintTables(std::cout, mb);
    bench::PrintSummary(std::cout, runs);
    bench::PrintCodeParts(std::cout, runs);
  }
  if (!o.svg.empty()) {
    std::ofstream out(o.svg);
    out << bench::RenderSvg(runs);
    if (!out) Die("cannot write " + o.svg);
    Progress(o, "[bench] chart written: " + o.svg + "\n");
  }
  bool ok = true;
  for (const ModelBench& mb : runs) ok = ok && mb.ok();
  if (!ok) {
    std::cerr << "ember bench: FAILED (see the tables: emulated run error, host/emulated "
                 "mismatch or baseline regression)\n";
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void RegisterBenchCommand(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Benchmark models on emulated boards, next to the TFLM paper's numbers");
  cmd->add_option("--board", opts->board, "Board id, a .toml path, or 'all'")
      ->capture_default_str();
  cmd->add_option("--model", opts->models,
                  "vww, hotword, conv_ref, all or a .tflite file (repeatable)")
      ->capture_default_str();
  cmd->add_option("--variant", opts->variant,
                  "Kernel variant: reference, optimized (DSP-extension kernels on Cortex-M4/M7, "
                  "the reference kernels on cores without the DSP extension) or all (both)")
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print JSON instead of tables");
  cmd->add_flag("--csv", opts->csv, "Print CSV (one row per op) instead of tables");
  cmd->add_option("--svg", opts->svg, "Write an SVG chart of per-op cycles to FILE");
  cmd->add_flag("--baseline-check", opts->baseline_check,
                "Fail when a model is slower than bench/baselines/<board>.json allows");
  cmd->add_flag("--update-baseline", opts->update_baseline,
                "Write the measured cycles to bench/baselines/<board>.json");
  cmd->add_option("--models-dir", opts->models_dir, "Directory of the real models")
      ->capture_default_str();
  cmd->add_option("--generated-dir", opts->generated_dir, "Directory of the generated models")
      ->capture_default_str();
  cmd->add_option("--firmware-dir", opts->firmware_dir, "Directory with <board>/ember_bench.elf")
      ->capture_default_str();
  cmd->add_option("--baseline-dir", opts->baseline_dir, "Directory of the baseline files")
      ->capture_default_str();
  cmd->add_option("--image", opts->image,
                  "BMP for the real person detection model (default: person.bmp)");
  cmd->add_option("--expect-output", opts->expect_output,
                  "File with the exact expected output bytes (e.g. a golden .bin): host and "
                  "emulated outputs must both equal it");
  cmd->add_flag("--no-cross-check", opts->no_cross_check,
                "Skip the simulator's symbol-based cycle attribution (faster)");
  cmd->add_flag("--generated", opts->generated,
                "Use the generated models even when the real ones are present");
  cmd->add_flag("-q,--quiet", opts->quiet, "No progress output on stderr");
  cmd->callback([opts]() { RunBench(*opts); });
}

}  // namespace ember::tools
