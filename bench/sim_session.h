// SimSession: the bench's narrow view of the simulator (ember_sim): one firmware on one
// board, with the model slot written before the first instruction, the console captured,
// an optional CallTracker fed from a block hook, and progress reports.
#ifndef EMBER_BENCH_SIM_SESSION_H_
#define EMBER_BENCH_SIM_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bench/call_tracker.h"

namespace ember::bench {

class SimSession {
 public:
  struct Outcome {
    bool exited_ok = false;        // the program exited with status 0
    std::string stop_description;  // how it ended, for errors ("exit 1", a fault report ...)
    std::string console;
    uint64_t cycles = 0;
    uint64_t instructions = 0;
  };

  SimSession();
  ~SimSession();

  // cycle_budget: the run is stopped (and fails) after that many modeled cycles.
  [[nodiscard]] bool Open(const std::string& board, const std::string& elf_path,
                          uint64_t cycle_budget, std::string* error);
  // End (one past) of the board memory containing `address`.
  [[nodiscard]] bool FlashRegionEnd(uint32_t address, uint64_t* end) const;
  [[nodiscard]] bool WriteMemory(uint32_t address, const void* data, size_t size,
                                 std::string* error);
  [[nodiscard]] bool Run(std::shared_ptr<CallTracker> tracker,
                         std::function<void(uint64_t)> progress, Outcome* outcome,
                         std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::bench

#endif  // EMBER_BENCH_SIM_SESSION_H_
