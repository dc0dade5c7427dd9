// Static block analysis on assembled bytes (no emulator): decoding, per-instruction
// costs, block ends, IT handling, robustness on undecodable bytes, operand-cost formulas.
#include "sim/timing/block_analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/timing/core_costs.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

// Bytes of one benchmark: from its symbol to the next symbol (or the image end).
std::vector<uint8_t> BenchBytes(const AsmImage& image, const std::string& name, uint32_t* offset) {
  const uint32_t start = image.symbols.at(name);
  uint32_t end = static_cast<uint32_t>(image.bytes.size());
  for (const auto& [sym, off] : image.symbols) {
    if (off > start && off < end) end = off;
  }
  *offset = start;
  return std::vector<uint8_t>(image.bytes.begin() + start, image.bytes.begin() + end);
}

class BlockAnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto image = LoadAsmImage("v7m_common");
    ASSERT_TRUE(image.ok()) << image.status().message();
    image_ = std::move(image.value());
  }
  BlockCost Analyze(CoreKind core, const std::string& name, bool hooked = false) {
    auto analyzer = BlockAnalyzer::Create(CoreTimingFor(core));
    EXPECT_TRUE(analyzer.ok());
    uint32_t offset = 0;
    std::vector<uint8_t> bytes = BenchBytes(image_, name, &offset);
    // A benchmark's block ends at its first branch, like Unicorn's translated block.
    std::vector<DecodedInsn> insns;
    (*analyzer)->Decode(kSramBase + offset, bytes.data(), bytes.size(), &insns);
    size_t size = 0;
    for (const DecodedInsn& d : insns) {
      size += d.size;
      if (d.writes_pc) break;
    }
    return (*analyzer)->Analyze(kSramBase + offset, bytes.data(), size,
                                [hooked](uint32_t) { return hooked; });
  }
  AsmImage image_;
};

std::vector<uint16_t> Costs(const BlockCost& c) {
  std::vector<uint16_t> out;
  for (const InsnCost& i : c.insns) out.push_back(i.cycles);
  return out;
}

TEST_F(BlockAnalyzerTest, ChainedLoadsOnM4) {
  const BlockCost c = Analyze(CoreKind::kCortexM4, "bench_ldr3");
  EXPECT_EQ(Costs(c), (std::vector<uint16_t>{2, 1, 1, 1}));
  EXPECT_EQ(c.cycles, 5u);
  EXPECT_EQ(c.end, BlockEnd::kAlways);
  EXPECT_TRUE(c.end_returns);
  EXPECT_TRUE(c.end_indirect);
  EXPECT_EQ(c.taken_penalty, 2);  // BX: register refill
}

TEST_F(BlockAnalyzerTest, ConditionalBranchEndsBlock) {
  const BlockCost c = Analyze(CoreKind::kCortexM3, "bench_branch");
  EXPECT_EQ(Costs(c), (std::vector<uint16_t>{1, 1}));
  EXPECT_EQ(c.end, BlockEnd::kConditional);
  EXPECT_FALSE(c.end_indirect);
  EXPECT_EQ(c.taken_penalty, 1);
}

TEST_F(BlockAnalyzerTest, ItFoldsAndChargesBothArms) {
  auto analyzer = BlockAnalyzer::Create(CoreTimingFor(CoreKind::kCortexM4));
  ASSERT_TRUE(analyzer.ok());
  uint32_t offset = 0;
  const std::vector<uint8_t> bytes = BenchBytes(image_, "bench_it", &offset);
  std::vector<DecodedInsn> insns;
  (*analyzer)->Decode(offset, bytes.data(), bytes.size(), &insns);
  ASSERT_GE(insns.size(), 5u);
  EXPECT_EQ(insns[1].cls, OpClass::kIt);
  EXPECT_TRUE(insns[2].in_it);
  EXPECT_TRUE(insns[3].in_it);
  EXPECT_FALSE(insns[4].in_it);
  const BlockCost c = Analyze(CoreKind::kCortexM4, "bench_it");
  EXPECT_EQ(Costs(c), (std::vector<uint16_t>{1, 0, 1, 1, 1}));
  // IT state does not leak into the next decode (Capstone keeps it in the handle).
  const std::vector<uint8_t> it_only(bytes.begin(), bytes.begin() + 4);  // cmp; ite eq
  (*analyzer)->Decode(0, it_only.data(), it_only.size(), &insns);
  uint32_t alu_offset = 0;
  const std::vector<uint8_t> alu = BenchBytes(image_, "bench_alu", &alu_offset);
  (*analyzer)->Decode(alu_offset, alu.data(), alu.size(), &insns);
  for (const DecodedInsn& d : insns) EXPECT_FALSE(d.in_it) << d.address;
}

TEST_F(BlockAnalyzerTest, DivideStaticCostOnlyWithoutHook) {
  EXPECT_EQ(Analyze(CoreKind::kCortexM4, "bench_udiv", false).cycles, 7u + 1u);
  EXPECT_EQ(Analyze(CoreKind::kCortexM4, "bench_udiv", true).cycles, 0u + 1u);
}

TEST_F(BlockAnalyzerTest, M0PlusCallCosts) {
  auto image = LoadAsmImage("v6m_m0plus");
  ASSERT_TRUE(image.ok());
  image_ = std::move(image.value());
  const BlockCost c = Analyze(CoreKind::kCortexM0Plus, "m0_call");
  EXPECT_EQ(Costs(c), (std::vector<uint16_t>{2, 2}));  // PUSH {lr} 1+1, BL 2 (+ refill 1)
  EXPECT_EQ(c.taken_penalty, 1);
  EXPECT_FALSE(c.unaligned_wide_entry);
}

TEST_F(BlockAnalyzerTest, UndecodableBytesStillCoverTheBlock) {
  auto analyzer = BlockAnalyzer::Create(CoreTimingFor(CoreKind::kCortexM4));
  ASSERT_TRUE(analyzer.ok());
  for (const std::vector<uint8_t>& bytes :
       {std::vector<uint8_t>(16, 0xff), std::vector<uint8_t>{0x00, 0xde, 0x12, 0x34, 0xff, 0xe7},
        std::vector<uint8_t>{0x30, 0xee, 0x00, 0x0b, 0x70, 0x47}}) {
    std::vector<DecodedInsn> insns;
    (*analyzer)->Decode(0x1000, bytes.data(), bytes.size(), &insns);
    size_t covered = 0;
    for (const DecodedInsn& d : insns) covered += d.size;
    EXPECT_EQ(covered, bytes.size());
  }
}

TEST(OperandCosts, DivideStaysInTheTrmRange) {
  uint32_t state = 12345;
  for (int i = 0; i < 10000; ++i) {
    state = state * 1664525u + 1013904223u;
    const uint32_t a = state;
    const uint32_t b = (state >> (state & 31)) | 0;
    const uint32_t u = DivideCycles(a, b, false);
    const uint32_t s = DivideCycles(a, b, true);
    EXPECT_GE(u, 2u);
    EXPECT_LE(u, 12u);
    EXPECT_GE(s, 2u);
    EXPECT_LE(s, 12u);
  }
  EXPECT_EQ(DivideCycles(0xffffffffu, 1, false), 12u);
  EXPECT_EQ(DivideCycles(0x80000000u, 1, true), 12u);  // INT_MIN / 1: full magnitude
  EXPECT_EQ(DivideCycles(1, 1, false), 3u);
  EXPECT_EQ(DivideCycles(1, 0, false), 2u);
  // More quotient bits never cost less.
  for (uint32_t bits = 1; bits < 32; ++bits) {
    EXPECT_LE(DivideCycles(1u << (bits - 1), 1, false), DivideCycles(1u << bits, 1, false));
  }
}

TEST(OperandCosts, M3LongMultiplyRanges) {
  EXPECT_EQ(LongMultiplyCyclesM3(1, 2, false, false), 3u);
  EXPECT_EQ(LongMultiplyCyclesM3(0x10000, 2, false, false), 4u);
  EXPECT_EQ(LongMultiplyCyclesM3(0x10000, 0x10000, false, false), 5u);
  EXPECT_EQ(LongMultiplyCyclesM3(static_cast<uint32_t>(-5), 7, true, false), 3u);
  EXPECT_EQ(LongMultiplyCyclesM3(static_cast<uint32_t>(-5), 7, false, false), 4u);
  EXPECT_EQ(LongMultiplyCyclesM3(1, 2, true, true), 4u);
  EXPECT_EQ(LongMultiplyCyclesM3(0x7fffffff, 0x80000000u, true, true), 7u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
