// Simulator: runs one firmware ELF on one board. It wires the pieces together in this order
// (all hooks before the first instruction):
//   Machine (memories) -> ELF segments -> SCS/DWT/UART devices -> cycle model hooks ->
//   usage-fault hooks -> the simulator's block hook (device ticks, cycle budget, pending
//   exceptions, FPU check) -> tracer -> interrupt handler (semihosting BKPT, SVC,
//   exception return).
// It then starts at the reset vector: SP = word 0 of the vector table, PC = word 1.
//
// Cycle budget: the run ends with StopReason::kCycleBudget (non-zero exit in the CLI) once
// the model's cycle count reaches max_cycles, checked at every block entry, so a program
// that hangs in a loop always ends. Default kDefaultMaxCycles = 5e9 cycles (52 s of board
// time at 96 MHz; roughly a minute of host time with the timing model): far above any
// inference we run (the paper's VWW reference is 19e6 cycles on the M4), short enough that
// a hung program does not block a test run for long.
#ifndef EMBER_SIM_SIMULATOR_H_
#define EMBER_SIM_SIMULATOR_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/elf_image.h"
#include "sim/exceptions.h"
#include "sim/machine.h"
#include "sim/semihosting.h"
#include "sim/system_control.h"
#include "sim/tracer.h"
#include "sim/uart.h"
#include "sim/usage_faults.h"

namespace ember::sim {

constexpr uint64_t kDefaultMaxCycles = 5'000'000'000ULL;

struct SimOptions {
  uint64_t max_cycles = kDefaultMaxCycles;  // 0 = no budget
  OutputSink output;                        // default: host stdout/stderr
  std::string stdin_data;
  std::string command_line;  // default: the ELF path
  bool allow_host_files = false;
  FILE* trace = nullptr;  // non-null: trace executed blocks there
  // Speed measurement only: no simulator block hook (no cycle budget, no SysTick/PendSV
  // delivery, no FPU-disabled check). Pair with NullCycleModel to time Unicorn without hooks.
  bool bare = false;
};

struct SimResult {
  StopInfo stop;
  int exit_code = 0;  // the program's exit code; 1 on fault/budget/other stops
  uint64_t instructions = 0;
  uint64_t cycles = 0;                 // modeled
  double board_seconds = 0;            // cycles / clock_hz
  double host_seconds = 0;             // wall time of the run
  double host_cpu_seconds = 0;         // CPU time of this process during the run
  double instructions_per_second = 0;  // emulation speed (host)
  uint64_t exceptions_taken = 0;
  std::string report;  // fault / budget report (empty on a normal exit)
};

class Simulator {
 public:
  // `model` must not be null (use InstructionCountModel as the explicit fallback).
  static Result<std::unique_ptr<Simulator>> Create(const BoardConfig& board, ElfImage image,
                                                   std::unique_ptr<CycleModel> model,
                                                   SimOptions options);
  ~Simulator();
  Result<SimResult> Run();

  Machine& machine() { return *machine_; }
  const CycleModel& model() const { return *model_; }
  const ElfImage& image() const { return image_; }

 private:
  Simulator(const BoardConfig& board, ElfImage image, std::unique_ptr<CycleModel> model,
            SimOptions options);
  Status Init();
  void OnBlock(uint32_t address, uint32_t size);
  void OnBlockWork(uint32_t address, uint32_t size);
  // Recomputes gate_ / armed_ from the SCS state (after every SCS write, exception entry or
  // return, and OnBlock).
  void UpdateGate();
  void OnInterrupt(uint32_t intno);

  BoardConfig board_;
  ElfImage image_;
  std::unique_ptr<CycleModel> model_;
  SimOptions options_;
  std::unique_ptr<Machine> machine_;
  std::shared_ptr<SystemControl> scs_;
  std::shared_ptr<Dwt> dwt_;
  std::unique_ptr<ExceptionUnit> exceptions_;
  std::unique_ptr<Semihosting> semihosting_;
  std::unique_ptr<UsageFaultChecker> usage_faults_;
  std::unique_ptr<Tracer> tracer_;
  const uint64_t* cycles_counter_ = nullptr;  // the model's counter, if it exposes one
  uint64_t budget_ = 0;                       // max_cycles, or all ones for no budget
  bool fpu_usable_ = false;                   // the board has an FPU (CPACR still decides)
  uint64_t gate_ = 0;                         // BlockChain::gate: OnBlock when cycles >= this
  uint8_t armed_ = CycleModel::kBlockHasFp;   // BlockChain::armed
  uint32_t initial_sp_ = 0;
  uint32_t reset_pc_ = 0;
  bool ran_ = false;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_SIMULATOR_H_
