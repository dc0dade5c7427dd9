// Cortex-M7 timing microbenchmarks. Arm publishes no M7 cycle tables: the expected numbers
// follow the approximate dual-issue / latency / prediction rules of sim/timing/m7_costs.cc
// (from STM32H743 measurements and LLVM's M7 model), worked out in the .S comments. They
// pin the model's behaviour; they are not silicon claims.
#include <gtest/gtest.h>

#include "sim/board.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

class M7Timing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto common = LoadAsmImage("v7m_common");
    ASSERT_TRUE(common.ok()) << common.status().message();
    common_ = new AsmImage(std::move(common.value()));
    auto dsp = LoadAsmImage("v7em_m4");
    ASSERT_TRUE(dsp.ok()) << dsp.status().message();
    dsp_ = new AsmImage(std::move(dsp.value()));
  }
  static void TearDownTestSuite() {
    delete common_;
    delete dsp_;
  }
  BenchRun Run(const AsmImage* image, const std::string& symbol,
               std::vector<std::pair<Reg, uint32_t>> regs = {}) {
    return RunSimple(TestBoard(CoreKind::kCortexM7), *image, symbol, std::move(regs));
  }
  static AsmImage* common_;
  static AsmImage* dsp_;
};
AsmImage* M7Timing::common_ = nullptr;
AsmImage* M7Timing::dsp_ = nullptr;

TEST_F(M7Timing, DualIssueOfIndependentAluOps) {
  EXPECT_EQ(Run(common_, "bench_alu").cycles, 3u);  // M4: 5
}

TEST_F(M7Timing, LoadsDoNotPairAndHaveLatencyTwo) {
  EXPECT_EQ(Run(common_, "bench_ldr_ldr").cycles, 2u);
  EXPECT_EQ(Run(common_, "bench_ldr3").cycles, 3u);
  EXPECT_EQ(Run(common_, "bench_ldr_dep").cycles, 3u);
  EXPECT_EQ(Run(common_, "bench_ldr_use").cycles, 3u);
  EXPECT_EQ(Run(common_, "bench_alu_addr_dep").cycles, 2u);
  EXPECT_EQ(Run(common_, "bench_str_ldr").cycles, 2u);
  EXPECT_EQ(Run(common_, "bench_ldr_str_reg").cycles, 3u);
  EXPECT_EQ(Run(common_, "bench_ldrd").cycles, 2u);
  EXPECT_EQ(Run(common_, "bench_ldr_post", {{Reg::kR3, kDataAddr + 8}}).cycles, 2u);
}

TEST_F(M7Timing, LoadStoreMultipleTakeHalfTheRegisters) {
  EXPECT_EQ(Run(common_, "bench_ldm").cycles, 8u);
  EXPECT_EQ(Run(common_, "bench_stm").cycles, 9u);
}

TEST_F(M7Timing, BranchPrediction) {
  EXPECT_EQ(Run(common_, "bench_branch", {{Reg::kR0, 0}}).cycles, 10u);  // cold mispredict
  EXPECT_EQ(Run(common_, "bench_branch", {{Reg::kR0, 1}}).cycles, 3u);
  EXPECT_EQ(Run(common_, "bench_loop").cycles, 28u);  // two mispredicts in 10 iterations
  EXPECT_EQ(Run(common_, "bench_call").cycles, 4u);
  EXPECT_EQ(Run(common_, "bench_wide_target").cycles, 2u);
}

TEST_F(M7Timing, MultipliesDividesIt) {
  EXPECT_EQ(Run(common_, "bench_mla", {{Reg::kR1, 3}}).cycles, 5u);
  EXPECT_EQ(Run(common_, "bench_umull", {{Reg::kR0, 7}, {Reg::kR1, 9}}).cycles, 1u);
  EXPECT_EQ(Run(common_, "bench_udiv", {{Reg::kR0, 100}, {Reg::kR1, 10}}).cycles, 5u);
  EXPECT_EQ(Run(common_, "bench_it", {{Reg::kR0, 0}}).cycles, 2u);
  EXPECT_EQ(Run(common_, "bench_it_wide", {{Reg::kR0, 1}}).cycles, 2u);
}

TEST_F(M7Timing, DspAndFpu) {
  EXPECT_EQ(Run(dsp_, "bench_smlad").cycles, 7u);
  EXPECT_EQ(Run(dsp_, "bench_smlad_indep").cycles, 4u);
  EXPECT_EQ(Run(dsp_, "bench_vadd").cycles, 2u);
  EXPECT_EQ(Run(dsp_, "bench_vmla").cycles, 7u);
  EXPECT_EQ(Run(dsp_, "bench_vdiv").cycles, 1u);
  EXPECT_EQ(Run(dsp_, "bench_vldr").cycles, 5u);
}

TEST_F(M7Timing, Stm32f746FlashBehindL1Cache) {
  auto board = LoadBoard("stm32f746g_disco");
  ASSERT_TRUE(board.ok()) << board.status().message();
  const MemoryRegion* flash = nullptr;
  for (const MemoryRegion& m : board->memories) {
    if (m.kind == MemoryKind::kFlash) flash = &m;
  }
  ASSERT_NE(flash, nullptr);
  // Zero-wait DTCM: movs | adds chain of 18 | subs pairs | bne: 20, then 3 x 19, bx 1,
  // two mispredicts 16 -> 94.
  EXPECT_EQ(RunSimple(*board, *common_, "bench_flash_big_loop").cycles, 94u);
  // Flash (7 wait states) through the 32-byte-line L1 I-cache: the first line misses (7);
  // the second is prefetched behind the 16 cycles of the first; later passes hit. 101.
  EXPECT_EQ(RunSimple(*board, *common_, "bench_flash_big_loop", {}, flash->base).cycles, 101u);
  // L1 caches off (CCR.IC/DC reset value, the firmware never enabled them): AXIM flash has
  // no ART and no prefetch (ST AN4667), one 32-byte flash line kept. The first block
  // (0x00-0x29) misses lines 0 and 1 (7 + 7); each of the 3 loop passes (0x02-0x29) misses
  // both again (the single buffer holds the other line): 3 x 14; bx lr is in line 1 (held).
  // 94 + 14 + 42 = 150.
  BenchSpec spec;
  spec.image = common_;
  spec.symbol = "bench_flash_big_loop";
  spec.load_base = flash->base;
  spec.regs = {{Reg::kR0, kDataAddr}, {Reg::kR3, 0}};
  spec.l1_caches_on = false;
  auto off = RunBench(*board, spec);
  ASSERT_TRUE(off.ok()) << off.status().message();
  EXPECT_EQ(off->cycles, 150u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
