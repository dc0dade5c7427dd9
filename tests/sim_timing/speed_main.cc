// sim_timing_speed: emulated instructions per second with and without the timing model.
//
// Runs programs/workload.c (cross-compiled per board, linked at its flash) on the shipped boards:
// code and the 16 KB weight matrix in flash, activations and stack in SRAM. "Unicorn alone" is a
// Machine with no hooks at all; "timing model" attaches MakeCycleModel(board). The
// instruction count comes from the timing model (the same deterministic program), so both
// rates divide the same number. Best of `repeats` runs each, in process CPU time.
//
// Each board runs twice: with the board's default data timing ("auto": memory hooks where
// the loaded flash contents do not fit the data-side cache) and with data_hooks = false
// (static data model, no memory hooks). "hooks" = slow regions with memory hooks.
//
// Usage: sim_timing_speed [iterations=200] [repeats=3]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/machine.h"
#include "sim/timing/cycle_model_impl.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Outcome {
  double seconds = 0;
  uint64_t instructions = 0;
  uint64_t cycles = 0;
  uint32_t checksum = 0;
  TimingStats stats;
};

Result<Outcome> RunOnce(BoardConfig board, const AsmImage& image, int iterations, bool with_model,
                        bool static_data) {
  if (static_data) board.timing.Set("data_hooks", false, 0);
  const MemoryRegion* flash = nullptr;
  const MemoryRegion* ram = nullptr;
  for (const MemoryRegion& m : board.memories) {
    if (m.kind == MemoryKind::kFlash && flash == nullptr) flash = &m;
    if ((m.kind == MemoryKind::kSram || m.kind == MemoryKind::kTcm) && ram == nullptr) ram = &m;
  }
  if (flash == nullptr || ram == nullptr) return Status::Error(board.id + ": no flash or RAM");
  auto machine_or = Machine::Create(board);
  if (!machine_or.ok()) return machine_or.status();
  Machine& m = *machine_or.value();
  const uint32_t weights = flash->base + 0x8000;
  const uint32_t input = ram->base + 0x1000;
  const uint32_t output = ram->base + 0x1200;
  EMBER_SIM_RETURN_IF_ERROR(m.WriteMemory(flash->base, image.bytes.data(), image.bytes.size()));
  std::vector<uint8_t> w(64 * 256), in(256);
  uint32_t seed = 1;
  for (auto& b : w) b = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 24);
  for (auto& b : in) b = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 25);
  EMBER_SIM_RETURN_IF_ERROR(m.WriteMemory(weights, w.data(), w.size()));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteMemory(input, in.data(), in.size()));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kSp, static_cast<uint32_t>(ram->end())));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kLr, Machine::kStopAddress | 1));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kR0, weights));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kR1, input));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kR2, output));
  EMBER_SIM_RETURN_IF_ERROR(m.WriteReg(Reg::kR3, static_cast<uint32_t>(iterations)));
  std::unique_ptr<CycleModel> model;
  if (with_model) {
    model = MakeCycleModel(board);
    EMBER_SIM_RETURN_IF_ERROR(model->Attach(m));
  }
  // CPU time of this process: the machine is shared, wall time would measure the load.
  const double start = CpuSeconds();
  auto stop = m.Run(image.symbols.at("Workload"));  // linked at flash->base: absolute
  const double end = CpuSeconds();
  if (!stop.ok()) return stop.status();
  if (stop->reason == StopReason::kFault) {
    char where[64];
    std::snprintf(where, sizeof where, " at pc 0x%08x address 0x%08x", stop->fault.pc,
                  stop->fault.address);
    return Status::Error(board.id + ": workload faulted: " + FaultKindName(stop->fault.kind) +
                         where);
  }
  Outcome o;
  o.seconds = end - start;
  auto r0 = m.ReadReg(Reg::kR0);
  if (!r0.ok()) return r0.status();
  o.checksum = *r0;
  if (model) {
    o.instructions = model->instructions();
    o.cycles = model->cycles();
    o.stats = static_cast<TimingCycleModel*>(model.get())->stats();
  }
  return o;
}

int Main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 200;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  if (iterations <= 0 || repeats <= 0) {
    std::fprintf(stderr, "usage: sim_timing_speed [iterations>0] [repeats>0]\n");
    return 2;
  }
  const char* boards[] = {"raspberry_pi_pico", "nucleo_f103rb", "sparkfun_edge",
                          "arduino_nano_33_ble", "stm32f746g_disco"};
  std::printf("%-26s %5s %11s %11s %6s %10s %10s %6s  %s\n", "board data-mode", "hooks",
              "instructions", "cycles", "CPI", "Unicorn/s", "timed/s", "ratio",
              "penalties: branch fetch data operand");
  std::fflush(stdout);
  for (const char* id : boards) {
    auto board = LoadBoard(id);
    auto image = LoadAsmImage(std::string("workload_") + id);
    if (!board.ok() || !image.ok()) {
      std::fprintf(stderr, "%s: %s%s\n", id, board.ok() ? "" : board.status().message().c_str(),
                   image.ok() ? "" : image.status().message().c_str());
      return 1;
    }
    for (const bool static_data : {false, true}) {
      Outcome best_plain, best_timed;
      best_plain.seconds = best_timed.seconds = 1e30;
      for (int r = 0; r < repeats; ++r) {
        auto plain = RunOnce(*board, *image, iterations, false, static_data);
        auto timed = RunOnce(*board, *image, iterations, true, static_data);
        if (!plain.ok() || !timed.ok()) {
          std::fprintf(stderr, "%s: %s%s\n", id, plain.ok() ? "" : plain.status().message().c_str(),
                       timed.ok() ? "" : timed.status().message().c_str());
          return 1;
        }
        if (plain->checksum != timed->checksum) {
          std::fprintf(stderr, "%s: checksum differs with the timing model\n", id);
          return 1;
        }
        if (plain->seconds < best_plain.seconds) best_plain = *plain;
        if (timed->seconds < best_timed.seconds) best_timed = *timed;
      }
      const double n = static_cast<double>(best_timed.instructions);
      const TimingStats& s = best_timed.stats;
      const std::string name = std::string(id) + (static_data ? " static" : " auto");
      std::printf("%-26s %5llu %11llu %11llu %6.3f %10.3g %10.3g %6.2f  %llu %llu %llu %llu\n",
                  name.c_str(), static_cast<unsigned long long>(s.data_hook_regions),
                  static_cast<unsigned long long>(best_timed.instructions),
                  static_cast<unsigned long long>(best_timed.cycles),
                  static_cast<double>(best_timed.cycles) / n, n / best_plain.seconds,
                  n / best_timed.seconds, best_plain.seconds / best_timed.seconds,
                  static_cast<unsigned long long>(s.branch_cycles),
                  static_cast<unsigned long long>(s.fetch_stall_cycles),
                  static_cast<unsigned long long>(s.data_stall_cycles),
                  static_cast<unsigned long long>(s.operand_cycles));
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace ember::sim::timing::testing

int main(int argc, char** argv) { return ember::sim::timing::testing::Main(argc, argv); }
