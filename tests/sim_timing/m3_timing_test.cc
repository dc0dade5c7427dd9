// Cortex-M3 timing microbenchmarks, asserted exactly. Expected numbers: comments of
// asm/v7m_common.S (Cortex-M3 TRM where it differs from the M4: MLA/MLS 2, UMULL 3-5,
// SMLAL 4-7, no chaining of a written-back second load), flash numbers worked out below
// for the shipped nucleo_f103rb board (2 wait states, prefetch, 2 x 64-bit buffers).
#include <gtest/gtest.h>

#include "sim/board.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

class M3Timing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto common = LoadAsmImage("v7m_common");
    ASSERT_TRUE(common.ok()) << common.status().message();
    common_ = new AsmImage(std::move(common.value()));
  }
  static void TearDownTestSuite() { delete common_; }
  BenchRun Run(const std::string& symbol, std::vector<std::pair<Reg, uint32_t>> regs = {}) {
    return RunSimple(TestBoard(CoreKind::kCortexM3), *common_, symbol, std::move(regs));
  }
  static AsmImage* common_;
};
AsmImage* M3Timing::common_ = nullptr;

TEST_F(M3Timing, LoadsStoresAndPipelining) {
  EXPECT_EQ(Run("bench_alu").cycles, 5u);
  EXPECT_EQ(Run("bench_ldr_ldr").cycles, 4u);
  EXPECT_EQ(Run("bench_ldr3").cycles, 5u);
  EXPECT_EQ(Run("bench_ldr_dep").cycles, 5u);
  EXPECT_EQ(Run("bench_ldr_use").cycles, 4u);
  EXPECT_EQ(Run("bench_alu_addr_dep").cycles, 5u);
  EXPECT_EQ(Run("bench_str_ldr").cycles, 5u);
  EXPECT_EQ(Run("bench_ldr_str_reg").cycles, 4u);
  EXPECT_EQ(Run("bench_ldrd").cycles, 6u);
  EXPECT_EQ(Run("bench_ldm").cycles, 16u);
  EXPECT_EQ(Run("bench_stm").cycles, 17u);
}

TEST_F(M3Timing, WrittenBackSecondLoadDoesNotChain) {
  const BenchRun r = Run("bench_ldr_post", {{Reg::kR3, kDataAddr + 8}});
  EXPECT_EQ(r.cycles, 5u);
  EXPECT_EQ(r.r[3], kDataAddr + 12);  // the post-increment happened
}

TEST_F(M3Timing, Branches) {
  EXPECT_EQ(Run("bench_branch", {{Reg::kR0, 0}}).cycles, 4u);
  EXPECT_EQ(Run("bench_branch", {{Reg::kR0, 1}}).cycles, 6u);
  EXPECT_EQ(Run("bench_loop").cycles, 31u);
  EXPECT_EQ(Run("bench_call").cycles, 9u);
  EXPECT_EQ(Run("bench_wide_target").cycles, 5u);
}

TEST_F(M3Timing, MlaTakesTwoCycles) {
  EXPECT_EQ(Run("bench_mla", {{Reg::kR1, 3}}).cycles, 6u);  // M4 (same code): 4
}

TEST_F(M3Timing, LongMultiplyEarlyTermination) {
  // UMULL 3 + one per operand wider than 16 bits; + bx 1.
  EXPECT_EQ(Run("bench_umull", {{Reg::kR0, 100}, {Reg::kR1, 200}}).cycles, 4u);
  EXPECT_EQ(Run("bench_umull", {{Reg::kR0, 0x12345678}, {Reg::kR1, 200}}).cycles, 5u);
  const BenchRun wide = Run("bench_umull", {{Reg::kR0, 0x12345678}, {Reg::kR1, 0x9abcdef0}});
  EXPECT_EQ(wide.cycles, 6u);
  const uint64_t product = uint64_t{0x12345678} * 0x9abcdef0u;
  EXPECT_EQ(wide.r[2], static_cast<uint32_t>(product));
  EXPECT_EQ(wide.r[3], static_cast<uint32_t>(product >> 32));
  // SMLAL 4, 5, 7 (both wide) + bx 1.
  EXPECT_EQ(Run("bench_smlal", {{Reg::kR0, 100}, {Reg::kR1, static_cast<uint32_t>(-200)}}).cycles,
            5u);
  EXPECT_EQ(Run("bench_smlal", {{Reg::kR0, 0x12345678}, {Reg::kR1, 200}}).cycles, 6u);
  EXPECT_EQ(Run("bench_smlal", {{Reg::kR0, 0x12345678}, {Reg::kR1, 0x9abcdef0}}).cycles, 8u);
}

TEST_F(M3Timing, DividesAndItBlocks) {
  EXPECT_EQ(Run("bench_udiv", {{Reg::kR0, 100}, {Reg::kR1, 10}}).cycles, 5u);
  EXPECT_EQ(Run("bench_udiv", {{Reg::kR0, 0xffffffffu}, {Reg::kR1, 1}}).cycles, 13u);
  EXPECT_EQ(Run("bench_it", {{Reg::kR0, 0}}).cycles, 4u);
  EXPECT_EQ(Run("bench_it", {{Reg::kR0, 1}}).cycles, 4u);
}

// nucleo_f103rb: flash 2 wait states, prefetch, 8-byte lines, 2 line buffers; no D-cache.
class M3Flash : public M3Timing {
 protected:
  static BoardConfig F103() {
    auto board = LoadBoard("nucleo_f103rb");
    EXPECT_TRUE(board.ok()) << board.status().message();
    return board.ok() ? board.value() : TestBoard(CoreKind::kCortexM3, 2);
  }
};

TEST_F(M3Flash, SmallLoopPaysOneMissInFlash) {
  const BoardConfig b = F103();
  const uint64_t sram = RunSimple(b, *common_, "bench_flash_loop").cycles;
  const uint64_t flash = RunSimple(b, *common_, "bench_flash_loop", {}, kFlashBase).cycles;
  EXPECT_EQ(sram, 41u);
  // The 4 loop instructions fill one 8-byte line: one miss on entry (2 wait states); the
  // `bx` line is prefetched while the 3-cycle loop body runs (2 + 1 - 3 <= 0).
  EXPECT_EQ(flash, 43u);
}

TEST_F(M3Flash, BigLoopPaysTheBranchTargetLineEveryIteration) {
  const BoardConfig b = F103();
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_big_loop").cycles, 85u);
  // Six 8-byte lines; sequential lines arrive while the previous one executes (4 cycles
  // >= 2 + 1), but the taken branch back to line 0 misses (only 2 line buffers): 2 per
  // entry, 4 entries -> 85 + 8 = 93.
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_big_loop", {}, kFlashBase).cycles, 93u);
}

TEST_F(M3Flash, DataReadsFromFlashPayWaitStates) {
  const BoardConfig b = F103();
  // Code in SRAM, both loads from flash: 4 + 2 x 2 wait states.
  EXPECT_EQ(
      RunSimple(b, *common_, "bench_ldr_ldr", {{Reg::kR0, kFlashBase + kFlashDataOffset}}).cycles,
      8u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
