// Cortex-M0+ timing microbenchmarks, asserted exactly against the Cortex-M0+ TRM numbers
// given in asm/v6m_m0plus.S; flash numbers for the shipped raspberry_pi_pico board (XIP
// flash, 40 wait states per cache miss, 16 KB 2-way cache of 8-byte lines).
#include <gtest/gtest.h>

#include "sim/board.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

class M0PlusTiming : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto image = LoadAsmImage("v6m_m0plus");
    ASSERT_TRUE(image.ok()) << image.status().message();
    image_ = new AsmImage(std::move(image.value()));
  }
  static void TearDownTestSuite() { delete image_; }
  BenchRun Run(const std::string& symbol, std::vector<std::pair<Reg, uint32_t>> regs = {},
               const BoardConfig& board = TestBoard(CoreKind::kCortexM0Plus)) {
    return RunSimple(board, *image_, symbol, std::move(regs));
  }
  static AsmImage* image_;
};
AsmImage* M0PlusTiming::image_ = nullptr;

TEST_F(M0PlusTiming, AluLoadsAndStores) {
  EXPECT_EQ(Run("m0_alu").cycles, 5u);
  const BenchRun ls = Run("m0_ldr_str");
  EXPECT_EQ(ls.cycles, 7u);  // no load pipelining: 2 + 2 + 2 + 1
  EXPECT_EQ(ls.r[2], 7u);
  EXPECT_EQ(Run("m0_ldm_stm").cycles, 19u);
}

TEST_F(M0PlusTiming, Multiplier) {
  EXPECT_EQ(Run("m0_muls", {{Reg::kR1, 3}, {Reg::kR2, 5}}).cycles, 3u);
  BoardConfig small = TestBoard(CoreKind::kCortexM0Plus);
  small.timing.Set("mul_cycles", int64_t{32}, 1);  // the small iterative multiplier option
  const BenchRun slow = Run("m0_muls", {{Reg::kR1, 3}, {Reg::kR2, 5}}, small);
  EXPECT_EQ(slow.cycles, 65u);
  EXPECT_EQ(slow.r[1], 75u);
}

TEST_F(M0PlusTiming, BranchesAndCalls) {
  EXPECT_EQ(Run("m0_branch", {{Reg::kR0, 0}}).cycles, 4u);  // taken: B<cond> 2
  EXPECT_EQ(Run("m0_branch", {{Reg::kR0, 1}}).cycles, 6u);  // not taken: B<cond> 1
  EXPECT_EQ(Run("m0_b").cycles, 3u);                        // B 2
  EXPECT_EQ(Run("m0_mrs_msr").cycles, 7u);                  // MRS 3, MSR 3 (TRM)
  EXPECT_EQ(Run("m0_call").cycles, 9u);                     // BL 3, BX 2
  EXPECT_EQ(Run("m0_loop").cycles, 31u);
}

TEST_F(M0PlusTiming, PicoXipFlashMissVersusSram) {
  auto pico = LoadBoard("raspberry_pi_pico");
  ASSERT_TRUE(pico.ok()) << pico.status().message();
  const uint32_t xip = pico->memories[0].base;
  EXPECT_EQ(RunSimple(*pico, *image_, "m0_loop").cycles, 31u);
  // The loop is one 8-byte XIP line: one cache miss (40) on entry, hits afterwards.
  EXPECT_EQ(RunSimple(*pico, *image_, "m0_loop", {}, xip).cycles, 71u);
}

TEST_F(M0PlusTiming, RejectsBadMultiplierOption) {
  BoardConfig b = TestBoard(CoreKind::kCortexM0Plus);
  b.timing.Set("mul_cycles", int64_t{7}, 3);
  BenchSpec spec;
  spec.image = image_;
  spec.symbol = "m0_alu";
  auto run = RunBench(b, spec);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("mul_cycles"), std::string::npos) << run.status().message();
}

}  // namespace
}  // namespace ember::sim::timing::testing
