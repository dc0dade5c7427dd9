// `ember sim --board BOARD FIRMWARE.elf [--max-cycles N] [--json] [--trace] [--boards-dir DIR]`
// `ember sim --board BOARD FIRMWARE.elf --speed-report [--repeats N]`
//
// Runs the firmware, streams its output (semihosting stdout/stderr, UART) and then prints a
// summary: exit code, instructions, modeled cycles, time at the board's clock, host time and
// emulation speed. The process exits with the program's exit code; faults, an exhausted
// cycle budget (exit 124) and bad input print a clear message to stderr and exit non-zero.
// With --json the program's output is captured and everything is printed as one JSON
// object on stdout.
//
// --speed-report runs the firmware (output discarded) with --timing raw (Unicorn with no
// hooks at all), none and model, best of --repeats runs each in process CPU time (the
// machine is shared: wall time would measure the load), and prints emulated instructions
// per second and the ratio to raw. raw counts nothing, so every rate divides the
// instruction count of the timing model's run (the same deterministic program). This is a
// measurement, not a test: nothing is asserted.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/elf_image.h"
#include "sim/instruction_count_model.h"
#include "sim/simulator.h"
#include "tools/ember/commands.h"

namespace ember::tools {
namespace {

struct SimArgs {
  std::string board;
  std::string firmware;
  std::string boards_dir;
  uint64_t max_cycles = sim::kDefaultMaxCycles;
  bool json = false;
  bool trace = false;
  std::string trace_file;
  std::string timing = "model";
  bool allow_host_files = false;
  std::string cmdline;
  bool speed_report = false;
  int repeats = 3;
};

constexpr int kBudgetExitCode = 124;

[[noreturn]] void Fail(const std::string& message, int code = 2) {
  std::fprintf(stderr, "ember sim: %s\n", message.c_str());
  throw CLI::RuntimeError(code);
}

std::unique_ptr<sim::CycleModel> MakeModel(const std::string& timing, const sim::BoardConfig& board,
                                           std::string* name) {
  if (timing == "raw") {
    *name = "raw (no hooks: Unicorn's own speed; instructions and cycles not counted)";
    return std::make_unique<sim::NullCycleModel>();
  }
  if (timing == "none") {
    *name = "none (fallback: 1 cycle per instruction)";
    return std::make_unique<sim::InstructionCountModel>();
  }
#if defined(EMBER_HAVE_SIM_TIMING)
  *name = "ember timing model";
  return sim::MakeCycleModel(board);
#else
  (void)board;
  *name = "none (fallback: 1 cycle per instruction; ember_sim_timing is not built)";
  return std::make_unique<sim::InstructionCountModel>();
#endif
}

std::string Human(double seconds) {
  if (seconds >= 1) return fmt::format("{:.3f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.3f} ms", seconds * 1e3);
  return fmt::format("{:.3f} us", seconds * 1e6);
}

struct SpeedRun {
  double cpu_seconds = 1e300;
  uint64_t instructions = 0;
  uint64_t cycles = 0;
  int exit_code = 0;
};

// Best-of-N CPU time of one timing mode.
SpeedRun TimeMode(const SimArgs& args, const sim::BoardConfig& board, const std::string& timing) {
  SpeedRun best;
  for (int i = 0; i < args.repeats; ++i) {
    auto image = sim::ElfImage::Read(args.firmware);
    if (!image.ok()) Fail(image.status().message());
    std::string model_name;
    auto model = MakeModel(timing, board, &model_name);
    sim::SimOptions options;
    options.max_cycles = timing == "raw" ? 0 : args.max_cycles;
    options.command_line = args.cmdline;
    options.bare = timing == "raw";
    options.output = [](int, std::string_view) {};
    auto simulator = sim::Simulator::Create(board, std::move(image).value(), std::move(model),
                                            std::move(options));
    if (!simulator.ok()) Fail(simulator.status().message());
    auto result = (*simulator)->Run();
    if (!result.ok()) Fail(result.status().message());
    if (result->stop.reason != sim::StopReason::kExit) {
      Fail(fmt::format("--speed-report: the run with --timing {} did not exit normally: {}", timing,
                       result->report));
    }
    if (result->host_cpu_seconds < best.cpu_seconds) {
      best.cpu_seconds = result->host_cpu_seconds;
      best.instructions = result->instructions;
      best.cycles = result->cycles;
      best.exit_code = result->exit_code;
    }
  }
  return best;
}

void SpeedReport(const SimArgs& args) {
  auto board = sim::LoadBoard(args.board, args.boards_dir);
  if (!board.ok()) Fail(board.status().message());
  if (args.repeats < 1) Fail("--repeats must be at least 1");
  const SpeedRun raw = TimeMode(args, *board, "raw");
  const SpeedRun none = TimeMode(args, *board, "none");
  const SpeedRun model = TimeMode(args, *board, "model");
  const double n = static_cast<double>(model.instructions);
  std::printf("--- ember sim --speed-report: %s, %s (best of %d, process CPU time) ---\n",
              board->id.c_str(), args.firmware.c_str(), args.repeats);
  std::printf("instructions %llu (timing model's count; none counted %llu)\n",
              static_cast<unsigned long long>(model.instructions),
              static_cast<unsigned long long>(none.instructions));
  std::printf("%-6s %10s %14s %8s\n", "timing", "cpu s", "M instr/s", "vs raw");
  for (const auto& [name, run] :
       {std::pair<const char*, const SpeedRun&>{"raw", raw}, {"none", none}, {"model", model}}) {
    std::printf("%-6s %10.3f %14.2f %8.2f\n", name, run.cpu_seconds, n / run.cpu_seconds / 1e6,
                raw.cpu_seconds / run.cpu_seconds);
  }
  std::printf("modeled cycles %llu\n", static_cast<unsigned long long>(model.cycles));
  std::fflush(stdout);
}

void RunSim(const SimArgs& args) {
  if (args.speed_report) {
    SpeedReport(args);
    return;
  }
  auto board = sim::LoadBoard(args.board, args.boards_dir);
  if (!board.ok()) Fail(board.status().message());
  auto image = sim::ElfImage::Read(args.firmware);
  if (!image.ok()) Fail(image.status().message());
  std::string model_name;
  auto model = MakeModel(args.timing, *board, &model_name);
  if (!model) Fail(fmt::format("no timing model for board {}", board->id));

  sim::SimOptions options;
  options.max_cycles = args.max_cycles;
  options.allow_host_files = args.allow_host_files;
  options.command_line = args.cmdline;
  options.bare = args.timing == "raw";
  std::string captured;
  if (args.json) {
    options.output = [&captured](int, std::string_view bytes) { captured.append(bytes); };
  }
  std::unique_ptr<FILE, int (*)(FILE*)> trace_file(nullptr, &std::fclose);
  if (args.trace) {
    if (args.trace_file.empty()) {
      options.trace = stderr;
    } else {
      trace_file.reset(std::fopen(args.trace_file.c_str(), "w"));
      if (!trace_file) Fail(fmt::format("cannot write trace file {}", args.trace_file));
      options.trace = trace_file.get();
    }
  }
  auto simulator = sim::Simulator::Create(*board, std::move(image).value(), std::move(model),
                                          std::move(options));
  if (!simulator.ok()) Fail(simulator.status().message());
  auto result = (*simulator)->Run();
  if (!result.ok()) Fail(result.status().message());
  const sim::SimResult& r = *result;
  int exit_code = r.stop.reason == sim::StopReason::kCycleBudget ? kBudgetExitCode : r.exit_code;

  if (args.json) {
    nlohmann::json j;
    j["board"] = board->id;
    j["core"] = sim::CoreKindName(board->core);
    j["clock_hz"] = board->clock_hz;
    j["firmware"] = args.firmware;
    j["timing_model"] = model_name;
    j["stop_reason"] = sim::StopReasonName(r.stop.reason);
    j["exit_code"] = exit_code;
    j["output"] = captured;
    j["instructions"] = r.instructions;
    j["cycles"] = r.cycles;
    j["board_seconds"] = r.board_seconds;
    j["host_seconds"] = r.host_seconds;
    j["instructions_per_second"] = r.instructions_per_second;
    j["exceptions_taken"] = r.exceptions_taken;
    if (!r.report.empty()) j["report"] = r.report;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::fflush(stdout);
    if (!r.report.empty()) std::fprintf(stderr, "ember sim: %s\n", r.report.c_str());
    std::printf("--- ember sim: %s (%s @ %.1f MHz) ---\n", board->id.c_str(),
                sim::CoreKindName(board->core), board->clock_hz / 1e6);
    std::printf("exit code     %d (%s)\n", exit_code, sim::StopReasonName(r.stop.reason));
    if (args.timing == "raw") {
      std::printf("instructions  not counted (--timing raw installs no hooks)\n");
      std::printf("host time     %s\n", Human(r.host_seconds).c_str());
    } else {
      std::printf("instructions  %llu\n", static_cast<unsigned long long>(r.instructions));
      std::printf("cycles        %llu  [%s]\n", static_cast<unsigned long long>(r.cycles),
                  model_name.c_str());
      std::printf("board time    %s at %.1f MHz\n", Human(r.board_seconds).c_str(),
                  board->clock_hz / 1e6);
      std::printf("host time     %s, %.2f M instructions/s\n", Human(r.host_seconds).c_str(),
                  r.instructions_per_second / 1e6);
    }
  }
  std::fflush(stdout);
  if (exit_code != 0) throw CLI::RuntimeError(exit_code);
}

}  // namespace

void RegisterSimCommand(CLI::App& app) {
  auto args = std::make_shared<SimArgs>();
  CLI::App* cmd = app.add_subcommand("sim", "Run a Cortex-M firmware ELF on an emulated board");
  cmd->add_option("--board", args->board, "Board id (boards/<id>.toml) or path to a .toml")
      ->required();
  cmd->add_option("firmware", args->firmware, "Firmware ELF")->required();
  cmd->add_option("--max-cycles", args->max_cycles,
                  fmt::format("Cycle budget; 0 = none (default {})", sim::kDefaultMaxCycles));
  cmd->add_flag("--json", args->json, "Print the result as JSON (program output captured)");
  cmd->add_flag("--trace", args->trace, "Trace executed blocks with disassembly (stderr)");
  cmd->add_option("--trace-file", args->trace_file, "Write the --trace output to this file");
  cmd->add_option("--boards-dir", args->boards_dir,
                  "Directory with board .toml files (default $EMBER_BOARDS_DIR or the source "
                  "tree's boards/)");
  cmd->add_option("--timing", args->timing,
                  "Cycle model: 'model' (ember timing model), 'none' (1 cycle/instruction) or "
                  "'raw' (no hooks at all, to time Unicorn itself: no budget, no SysTick)")
      ->check(CLI::IsMember({"model", "none", "raw"}));
  cmd->add_option("--cmdline", args->cmdline,
                  "Command line the program reads with SYS_GET_CMDLINE (default: the ELF path)");
  cmd->add_flag("--speed-report", args->speed_report,
                "Time the firmware with --timing raw, none and model (CPU time, output "
                "discarded) and print emulated instructions/s and the ratio to raw");
  cmd->add_option("--repeats", args->repeats, "Runs per timing mode for --speed-report (best)")
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--allow-host-files", args->allow_host_files,
                "Let semihosting SYS_OPEN open host files (off by default)");
  cmd->callback([args] {
    if (!args->trace_file.empty()) args->trace = true;
    RunSim(*args);
  });
}

}  // namespace ember::tools
