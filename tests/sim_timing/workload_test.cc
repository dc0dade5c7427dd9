// The timing model on a real compiled program (programs/workload.c, cross-compiled for each
// shipped board): it must not change what the program computes, must be deterministic,
// and must give a plausible cycles-per-instruction for the core.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/machine.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

struct WorkloadRun {
  uint32_t checksum = 0;
  uint64_t cycles = 0;
  uint64_t instructions = 0;
};

WorkloadRun RunWorkload(const std::string& id, int iterations, bool with_model) {
  WorkloadRun out;
  auto board = LoadBoard(id);
  auto image = LoadAsmImage("workload_" + id);
  EXPECT_TRUE(board.ok() && image.ok()) << id;
  if (!board.ok() || !image.ok()) return out;
  const MemoryRegion* flash = nullptr;
  const MemoryRegion* ram = nullptr;
  for (const MemoryRegion& m : board->memories) {
    if (m.kind == MemoryKind::kFlash && flash == nullptr) flash = &m;
    if ((m.kind == MemoryKind::kSram || m.kind == MemoryKind::kTcm) && ram == nullptr) ram = &m;
  }
  auto machine = Machine::Create(*board);
  EXPECT_TRUE(machine.ok());
  if (!machine.ok() || flash == nullptr || ram == nullptr) return out;
  Machine& m = **machine;
  std::vector<uint8_t> weights(64 * 256), input(256);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<uint8_t>(i * 37 + 11);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>(i * 13 % 100);
  EXPECT_TRUE(m.WriteMemory(flash->base, image->bytes.data(), image->bytes.size()).ok());
  EXPECT_TRUE(m.WriteMemory(flash->base + 0x8000, weights.data(), weights.size()).ok());
  EXPECT_TRUE(m.WriteMemory(ram->base + 0x1000, input.data(), input.size()).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kSp, static_cast<uint32_t>(ram->end())).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kLr, Machine::kStopAddress | 1).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kR0, flash->base + 0x8000).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kR1, ram->base + 0x1000).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kR2, ram->base + 0x1200).ok());
  EXPECT_TRUE(m.WriteReg(Reg::kR3, static_cast<uint32_t>(iterations)).ok());
  std::unique_ptr<CycleModel> model;
  if (with_model) {
    model = MakeCycleModel(*board);
    const Status s = model->Attach(m);
    EXPECT_TRUE(s.ok()) << s.message();
  }
  auto stop = m.Run(image->symbols.at("Workload"));
  EXPECT_TRUE(stop.ok());
  if (stop.ok()) {
    EXPECT_NE(stop->reason, StopReason::kFault) << id;
  }
  auto r0 = m.ReadReg(Reg::kR0);
  if (r0.ok()) out.checksum = *r0;
  if (model) {
    out.cycles = model->cycles();
    out.instructions = model->instructions();
  }
  return out;
}

class WorkloadTest : public ::testing::TestWithParam<const char*> {};

TEST_P(WorkloadTest, ModelIsTransparentDeterministicAndPlausible) {
  const std::string id = GetParam();
  const WorkloadRun plain = RunWorkload(id, 2, false);
  const WorkloadRun timed = RunWorkload(id, 2, true);
  const WorkloadRun again = RunWorkload(id, 2, true);
  EXPECT_EQ(plain.checksum, timed.checksum);
  EXPECT_EQ(timed.cycles, again.cycles);
  EXPECT_EQ(timed.instructions, again.instructions);
  // 2 x 64 outputs x 256 MACs: at least 5 instructions per MAC on every core.
  EXPECT_GT(timed.instructions, 2u * 64u * 256u * 5u);
  const double cpi = static_cast<double>(timed.cycles) / static_cast<double>(timed.instructions);
  EXPECT_GT(cpi, 0.5) << id;  // M7 dual issue can go below 1
  EXPECT_LT(cpi, 4.0) << id;
  // More work costs more cycles.
  EXPECT_GT(RunWorkload(id, 3, true).cycles, timed.cycles);
}

INSTANTIATE_TEST_SUITE_P(ShippedBoards, WorkloadTest,
                         ::testing::Values("raspberry_pi_pico", "nucleo_f103rb", "sparkfun_edge",
                                           "arduino_nano_33_ble", "stm32f746g_disco"));

}  // namespace
}  // namespace ember::sim::timing::testing
