// Helpers for the simulator tests: locate the cross-compiled test firmware and run it.
#ifndef EMBER_TESTS_SIM_SIM_TEST_UTIL_H_
#define EMBER_TESTS_SIM_SIM_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/elf_image.h"
#include "sim/instruction_count_model.h"
#include "sim/simulator.h"

namespace ember::sim::testing {

inline std::string FirmwarePath(const std::string& name) {
  return std::string(EMBER_SIM_TEST_FIRMWARE_DIR) + "/" + name + ".elf";
}

// Skips the calling test when the firmware was not built (no arm-none-eabi-gcc).
#define EMBER_REQUIRE_FIRMWARE(name)                                                        \
  do {                                                                                      \
    if (!std::filesystem::exists(::ember::sim::testing::FirmwarePath(name))) {              \
      GTEST_SKIP() << "test firmware " << name << " not built (arm-none-eabi-gcc missing)"; \
    }                                                                                       \
  } while (0)

inline BoardConfig Board(const std::string& id) {
  auto b = LoadBoard(id, EMBER_SIM_BOARDS_DIR);
  EXPECT_TRUE(b.ok()) << b.status().message();
  return b.ok() ? *b : BoardConfig();
}

struct FirmwareRun {
  SimResult result;
  std::string out;  // program stdout (semihosting + UART)
  std::string err;  // program stderr
};

enum class Model { kFallback, kTiming };

// Runs test firmware `name` on board `board_id` with semihosting command line `cmdline`.
// Model::kFallback is the 1-cycle-per-instruction fallback (InstructionCountModel);
// Model::kTiming is ember_sim_timing (the test is skipped where it is not built).
inline FirmwareRun RunFirmware(const std::string& name, const std::string& board_id,
                               const std::string& cmdline = "", uint64_t max_cycles = 50'000'000,
                               Model model = Model::kFallback) {
  FirmwareRun run;
  BoardConfig board = Board(board_id);
  auto image = ElfImage::Read(FirmwarePath(name));
  EXPECT_TRUE(image.ok()) << image.status().message();
  if (!image.ok()) return run;
  std::unique_ptr<CycleModel> cycle_model;
  if (model == Model::kTiming) {
#if defined(EMBER_HAVE_SIM_TIMING)
    cycle_model = MakeCycleModel(board);
#endif
  } else {
    cycle_model = std::make_unique<InstructionCountModel>();
  }
  EXPECT_TRUE(cycle_model != nullptr);
  if (!cycle_model) return run;
  SimOptions options;
  options.max_cycles = max_cycles;
  options.command_line = cmdline;
  options.output = [&run](int stream, std::string_view bytes) {
    (stream == 2 ? run.err : run.out).append(bytes);
  };
  auto sim = Simulator::Create(board, std::move(image).value(), std::move(cycle_model),
                               std::move(options));
  EXPECT_TRUE(sim.ok()) << sim.status().message();
  if (!sim.ok()) return run;
  auto result = (*sim)->Run();
  EXPECT_TRUE(result.ok()) << result.status().message();
  if (result.ok()) run.result = *result;
  return run;
}

}  // namespace ember::sim::testing

#endif  // EMBER_TESTS_SIM_SIM_TEST_UTIL_H_
