// Cortex-M4 timing microbenchmarks: cycle counts asserted exactly. The expected numbers
// and the table rows they come from are in the comments of asm/v7m_common.S and
// asm/v7em_m4.S (Cortex-M4 TRM 'Table of processor instructions', TI SWCU192).
#include <gtest/gtest.h>

#include "sim/board.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

class M4Timing : public ::testing::Test {
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

  // Runs `symbol` from zero-wait SRAM with r0 = kDataAddr (plus `regs`).
  BenchRun Run(const AsmImage* image, const std::string& symbol,
               std::vector<std::pair<Reg, uint32_t>> regs = {}, uint32_t flash_ws = 0,
               uint32_t load_base = kSramBase) {
    BenchSpec spec;
    spec.image = image;
    spec.symbol = symbol;
    spec.load_base = load_base;
    spec.regs = {{Reg::kR0, kDataAddr}, {Reg::kR3, 0}};
    spec.regs.insert(spec.regs.end(), regs.begin(), regs.end());
    spec.words = {{kDataAddr, kDataAddr + 16}, {kDataAddr + 4, 7}, {kDataAddr + 8, 9}};
    auto run = RunBench(TestBoard(CoreKind::kCortexM4, flash_ws), spec);
    EXPECT_TRUE(run.ok()) << symbol << ": " << run.status().message();
    return run.ok() ? run.value() : BenchRun{};
  }

  static AsmImage* common_;
  static AsmImage* dsp_;
};
AsmImage* M4Timing::common_ = nullptr;
AsmImage* M4Timing::dsp_ = nullptr;

TEST_F(M4Timing, AluOneCycleEach) {
  const BenchRun r = Run(common_, "bench_alu");
  EXPECT_EQ(r.cycles, 5u);
  EXPECT_EQ(r.instructions, 5u);
}

TEST_F(M4Timing, LoadPipelining) {
  EXPECT_EQ(Run(common_, "bench_ldr_ldr").cycles, 4u);       // LDR;LDR = 3 (+ bx)
  EXPECT_EQ(Run(common_, "bench_ldr3").cycles, 5u);          // three chained = 4 (+ bx)
  EXPECT_EQ(Run(common_, "bench_ldr_str_reg").cycles, 4u);   // LDR;STR = 3 (+ bx)
}

TEST_F(M4Timing, LoadDependencies) {
  const BenchRun dep = Run(common_, "bench_ldr_dep");
  EXPECT_EQ(dep.cycles, 5u);  // dependent address: 2 + 2 (+ bx)
  EXPECT_EQ(dep.r[2], 0u);    // loaded from kDataAddr + 16 (zero): the chain really ran
  EXPECT_EQ(Run(common_, "bench_ldr_use").cycles, 4u);       // data use: no stall
  EXPECT_EQ(Run(common_, "bench_alu_addr_dep").cycles, 5u);  // ALU -> address: +1
  EXPECT_EQ(Run(common_, "bench_str_ldr").cycles, 5u);       // store then load: +1
}

TEST_F(M4Timing, DualAndMultipleTransfers) {
  EXPECT_EQ(Run(common_, "bench_ldrd").cycles, 6u);
  EXPECT_EQ(Run(common_, "bench_ldm").cycles, 16u);
  EXPECT_EQ(Run(common_, "bench_stm").cycles, 17u);
}

TEST_F(M4Timing, TakenVersusNotTakenBranch) {
  const BenchRun taken = Run(common_, "bench_branch", {{Reg::kR0, 0}});
  const BenchRun not_taken = Run(common_, "bench_branch", {{Reg::kR0, 1}});
  EXPECT_EQ(taken.cycles, 4u);
  EXPECT_EQ(taken.instructions, 3u);
  EXPECT_EQ(not_taken.cycles, 6u);
  EXPECT_EQ(not_taken.instructions, 6u);
}

TEST_F(M4Timing, LoopCallAndWideTarget) {
  EXPECT_EQ(Run(common_, "bench_loop").cycles, 31u);
  EXPECT_EQ(Run(common_, "bench_call").cycles, 9u);
  EXPECT_EQ(Run(common_, "bench_wide_target").cycles, 5u);
}

TEST_F(M4Timing, DivideEarlyTermination) {
  // UDIV: quotient bits = clz(divisor) - clz(dividend) + 1; cycles 2 + ceil(10 * bits / 32).
  auto udiv = [&](uint32_t a, uint32_t b) {
    return Run(common_, "bench_udiv", {{Reg::kR0, a}, {Reg::kR1, b}});
  };
  const BenchRun small = udiv(100, 10);  // 4 bits -> 4
  EXPECT_EQ(small.cycles, 4u + 1u);
  EXPECT_EQ(small.r[2], 10u);
  EXPECT_EQ(udiv(0xffffffffu, 1).cycles, 12u + 1u);  // 32 bits: the TRM's maximum, 12
  EXPECT_EQ(udiv(5, 7).cycles, 3u + 1u);             // quotient 0, same bit length
  EXPECT_EQ(udiv(5, 700).cycles, 2u + 1u);           // divisor longer: the minimum, 2
  EXPECT_EQ(udiv(5, 0).cycles, 2u + 1u);             // divide by zero (no trap): 2
  // SDIV uses magnitudes: |-1000| / 3 -> 9 bits -> 5.
  const BenchRun sdiv = Run(common_, "bench_sdiv", {{Reg::kR0, static_cast<uint32_t>(-1000)},
                                                    {Reg::kR1, 3}});
  EXPECT_EQ(sdiv.cycles, 5u + 1u);
  EXPECT_EQ(static_cast<int32_t>(sdiv.r[2]), -333);
}

TEST_F(M4Timing, ItBlockBothArmsCostTheirSlots) {
  const BenchRun eq = Run(common_, "bench_it", {{Reg::kR0, 0}});
  const BenchRun ne = Run(common_, "bench_it", {{Reg::kR0, 1}});
  EXPECT_EQ(eq.cycles, 4u);
  EXPECT_EQ(ne.cycles, 4u);
  EXPECT_EQ(eq.r[1], 1u);  // the functional result follows the condition
  EXPECT_EQ(ne.r[1], 2u);
  EXPECT_EQ(eq.instructions, 5u);  // both IT arms counted, executed or skipped
  EXPECT_EQ(Run(common_, "bench_it_wide", {{Reg::kR0, 0}}).cycles, 5u);  // IT cannot fold
}

TEST_F(M4Timing, MultiplyAccumulateIsSingleCycle) {
  EXPECT_EQ(Run(common_, "bench_mla", {{Reg::kR1, 3}}).cycles, 4u);
  EXPECT_EQ(Run(common_, "bench_umull", {{Reg::kR0, 0x12345678}, {Reg::kR1, 0x9abcdef0}}).cycles,
            2u);
  EXPECT_EQ(Run(common_, "bench_smlal", {{Reg::kR0, 0x12345678}, {Reg::kR1, 0x9abcdef0}}).cycles,
            2u);
}

TEST_F(M4Timing, DspMacs) {
  EXPECT_EQ(Run(dsp_, "bench_smlad").cycles, 5u);
  EXPECT_EQ(Run(dsp_, "bench_smlad_indep").cycles, 5u);
}

TEST_F(M4Timing, FpuOps) {
  EXPECT_EQ(Run(dsp_, "bench_vadd").cycles, 3u);
  EXPECT_EQ(Run(dsp_, "bench_vmla").cycles, 7u);
  EXPECT_EQ(Run(dsp_, "bench_vdiv").cycles, 15u);
  EXPECT_EQ(Run(dsp_, "bench_vldr").cycles, 11u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
