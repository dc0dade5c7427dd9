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
               std::vector<std::pair<Reg, uint32_t>> regs = {}) {
    return RunSimple(TestBoard(CoreKind::kCortexM4), *image, symbol, std::move(regs));
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

TEST_F(M4Timing, WrittenBackSecondLoadChains) {
  EXPECT_EQ(Run(common_, "bench_ldr_post", {{Reg::kR3, kDataAddr + 8}}).cycles, 4u);  // M3: 5
}

TEST_F(M4Timing, LoadPipelining) {
  EXPECT_EQ(Run(common_, "bench_ldr_ldr").cycles, 4u);      // LDR;LDR = 3 (+ bx)
  EXPECT_EQ(Run(common_, "bench_ldr3").cycles, 5u);         // three chained = 4 (+ bx)
  EXPECT_EQ(Run(common_, "bench_ldr_str_reg").cycles, 4u);  // LDR;STR = 3 (+ bx)
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
  const BenchRun sdiv =
      Run(common_, "bench_sdiv", {{Reg::kR0, static_cast<uint32_t>(-1000)}, {Reg::kR1, 3}});
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

// Flash wait states: the same loops run from zero-wait SRAM and from flash with 5 wait
// states, under three memory systems. Line and buffer bookkeeping is worked out in the
// comments; see memory_timing.h for the rules.
BoardConfig FlashBoard(bool prefetch, uint32_t line_bytes, uint32_t icache_bytes,
                       uint32_t dcache_bytes) {
  BoardConfig b = TestBoard(CoreKind::kCortexM4, 5);
  b.flash_accelerator.prefetch = prefetch;
  b.flash_accelerator.line_bytes = line_bytes;
  if (icache_bytes != 0) b.flash_accelerator.icache = CacheConfig{icache_bytes, line_bytes, 2};
  if (dcache_bytes != 0) b.flash_accelerator.dcache = CacheConfig{dcache_bytes, line_bytes, 1};
  return b;
}

TEST_F(M4Timing, PlainFlashPaysEveryWordFetched) {
  const BoardConfig plain = TestBoard(CoreKind::kCortexM4, 5);  // no accelerator: 4-byte lines
  EXPECT_EQ(RunSimple(plain, *common_, "bench_flash_loop").cycles, 41u);
  // First block: words 0 and 1 miss (5 + 5). Each of the 9 taken iterations refetches
  // word 0 (branch target) and word 1 (one buffer): 10. The bx word: 5.
  // 41 + 10 + 90 + 5 = 146.
  EXPECT_EQ(RunSimple(plain, *common_, "bench_flash_loop", {}, kFlashBase).cycles, 146u);
}

TEST_F(M4Timing, PrefetchLineBufferHidesWaitStates) {
  const BoardConfig b = FlashBoard(true, 16, 0, 0);
  // The loop is one 16-byte line: one miss on entry. 41 + 5.
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_loop", {}, kFlashBase).cycles, 46u);
  // Three 16-byte lines with 8, 8 and 5 cycles of work: sequential lines are prefetched in
  // time (5 + 1 <= 8 and 7), the branch target line misses on every entry (two buffers
  // hold lines 1 and 2): 85 + 4 x 5 = 105.
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_big_loop").cycles, 85u);
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_big_loop", {}, kFlashBase).cycles, 105u);
}

TEST_F(M4Timing, InstructionCacheKeepsTheLoop) {
  const BoardConfig b = FlashBoard(true, 16, 256, 0);
  // Only the first entry misses: 85 + 5.
  EXPECT_EQ(RunSimple(b, *common_, "bench_flash_big_loop", {}, kFlashBase).cycles, 90u);
}

TEST_F(M4Timing, FlashDataReadsWithMemoryHooks) {
  const uint32_t data = kFlashBase + kFlashDataOffset;
  // No data cache ("auto" picks memory hooks): both loads pay 5 wait states: 4 + 10.
  EXPECT_EQ(
      RunSimple(FlashBoard(true, 16, 0, 0), *common_, "bench_ldr_ldr", {{Reg::kR0, data}}).cycles,
      14u);
  // Hooks forced on with a D-cache: one line holds both words, the second load hits. 4 + 5.
  BoardConfig dcache = FlashBoard(true, 16, 0, 128);
  dcache.timing.Set("data_hooks", true, 1);
  EXPECT_EQ(RunSimple(dcache, *common_, "bench_ldr_ldr", {{Reg::kR0, data}}).cycles, 9u);
  // An I-cache without D-cache is unified by default (Apollo3, RP2040): also 9.
  BoardConfig unified = FlashBoard(true, 16, 256, 0);
  unified.timing.Set("data_hooks", true, 1);
  EXPECT_EQ(RunSimple(unified, *common_, "bench_ldr_ldr", {{Reg::kR0, data}}).cycles, 9u);
}

TEST_F(M4Timing, StaticDataTimingSeesLiteralPools) {
  // Static data model (no memory hooks): literal loads are charged exactly, other loads
  // are assumed to hit.
  BoardConfig dcache = FlashBoard(true, 16, 0, 128);
  dcache.timing.Set("data_hooks", false, 1);
  EXPECT_EQ(RunSimple(dcache, *common_, "bench_literal").cycles, 4u);
  // From flash: instruction line miss 5 + first literal D-miss 5 (second hits): 4 + 10.
  EXPECT_EQ(RunSimple(dcache, *common_, "bench_literal", {}, kFlashBase).cycles, 14u);
  // Unified cache: the code fetch already brought the pool's line in: 4 + 5.
  BoardConfig unified = FlashBoard(true, 16, 256, 0);
  unified.timing.Set("data_hooks", false, 1);
  EXPECT_EQ(RunSimple(unified, *common_, "bench_literal", {}, kFlashBase).cycles, 9u);
  // Plain flash: words 0 and 1 fetched (5 + 5), both literals read (5 + 5): 4 + 20. A load
  // through a register is not seen (the documented limit of the static model).
  BoardConfig plain = TestBoard(CoreKind::kCortexM4, 5);
  plain.timing.Set("data_hooks", false, 1);
  EXPECT_EQ(RunSimple(plain, *common_, "bench_literal", {}, kFlashBase).cycles, 24u);
  EXPECT_EQ(RunSimple(plain, *common_, "bench_ldr_ldr", {{Reg::kR0, kFlashBase + kFlashDataOffset}})
                .cycles,
            4u);
  // Memory hooks give the same literal numbers (the image in flash exceeds the 128-byte
  // D-cache, so "auto" picks hooks here).
  EXPECT_EQ(
      RunSimple(FlashBoard(true, 16, 0, 128), *common_, "bench_literal", {}, kFlashBase).cycles,
      14u);
}

TEST_F(M4Timing, SparkfunEdgeFlashVersusSram) {
  auto board = LoadBoard("sparkfun_edge");
  ASSERT_TRUE(board.ok()) << board.status().message();
  const uint32_t flash = board->memories[0].base;
  const uint32_t sram = board->FindMemory(0x10000000) ? 0x10000000u : 0u;
  ASSERT_NE(sram, 0u);
  // Flash: 3 wait states, no prefetch, 16-byte lines, 16 KB cache. SRAM is zero-wait.
  BenchSpec spec;
  spec.image = common_;
  spec.symbol = "bench_flash_big_loop";
  spec.load_base = sram;
  auto in_sram = RunBench(*board, spec);
  spec.load_base = flash;
  auto in_flash = RunBench(*board, spec);
  ASSERT_TRUE(in_sram.ok()) << in_sram.status().message();
  ASSERT_TRUE(in_flash.ok()) << in_flash.status().message();
  EXPECT_EQ(in_sram->cycles, 85u);
  // First pass: three line misses, 3 each (no prefetch); then every line hits: 85 + 9.
  EXPECT_EQ(in_flash->cycles, 94u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
