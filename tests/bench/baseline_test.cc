// Cycle baselines: load/save round trip and the slower-than-tolerance check.
#include "bench/baseline.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace ember::bench {
namespace {

ModelBench MakeRun(uint64_t total) {
  ModelBench mb;
  mb.key = "hotword";
  mb.source = "real";
  mb.board = "sparkfun_edge";
  mb.emulated.ok = true;
  mb.accounting.total = total;
  mb.accounting.calculation = total - 10;
  mb.emulated.arena.total = 12345;
  return mb;
}

TEST(BaselineTest, SaveLoadRoundTrip) {
  const std::string path = testing::TempDir() + "/ember_baseline_roundtrip.json";
  Baseline b;
  b.tolerance_percent = 1.5;
  UpdateBaseline(MakeRun(40000), &b);
  std::string err;
  ASSERT_TRUE(SaveBaseline(path, b, &err)) << err;
  Baseline back;
  ASSERT_TRUE(LoadBaseline(path, &back, &err)) << err;
  EXPECT_EQ(back.board, "sparkfun_edge");
  EXPECT_DOUBLE_EQ(back.tolerance_percent, 1.5);
  ASSERT_EQ(back.entries.count("hotword/real/reference"), 1u);
  EXPECT_EQ(back.entries["hotword/real/reference"].total_cycles, 40000u);
  EXPECT_EQ(back.entries["hotword/real/reference"].arena_total, 12345u);
  std::remove(path.c_str());
}

TEST(BaselineTest, VariantsHaveTheirOwnEntries) {
  Baseline b;
  UpdateBaseline(MakeRun(100000), &b);
  ModelBench opt = MakeRun(60000);
  opt.variant = "optimized";
  EXPECT_EQ(BaselineKey(opt), "hotword/real/optimized");
  CheckBaseline(b, &opt);
  EXPECT_FALSE(opt.baseline_found);  // no optimized entry yet: reported, not a failure
  EXPECT_TRUE(opt.baseline_ok);
  UpdateBaseline(opt, &b);
  ASSERT_EQ(b.entries.size(), 2u);
  EXPECT_EQ(b.entries["hotword/real/reference"].total_cycles, 100000u);
  EXPECT_EQ(b.entries["hotword/real/optimized"].total_cycles, 60000u);
  ModelBench slower = MakeRun(70000);
  slower.variant = "optimized";
  CheckBaseline(b, &slower);  // slower than the optimized entry, faster than the reference
  EXPECT_TRUE(slower.baseline_found);
  EXPECT_FALSE(slower.baseline_ok);
}

TEST(BaselineTest, SlowerThanToleranceFails) {
  Baseline b;
  b.tolerance_percent = 2.0;
  UpdateBaseline(MakeRun(100000), &b);
  ModelBench same = MakeRun(100000);
  CheckBaseline(b, &same);
  EXPECT_TRUE(same.baseline_found);
  EXPECT_TRUE(same.baseline_ok);
  ModelBench within = MakeRun(101999);  // +1.999%
  CheckBaseline(b, &within);
  EXPECT_TRUE(within.baseline_ok);
  ModelBench slower = MakeRun(102001);  // +2.001%
  CheckBaseline(b, &slower);
  EXPECT_FALSE(slower.baseline_ok);
  EXPECT_FALSE(slower.ok());
  ModelBench faster = MakeRun(50000);
  CheckBaseline(b, &faster);
  EXPECT_TRUE(faster.baseline_ok);
  EXPECT_LT(faster.baseline_change_percent, 0.0);
}

TEST(BaselineTest, MissingEntryIsReportedNotFailed) {
  Baseline b;
  ModelBench mb = MakeRun(1000);
  CheckBaseline(b, &mb);
  EXPECT_FALSE(mb.baseline_found);
  EXPECT_TRUE(mb.baseline_ok);
}

TEST(BaselineTest, MalformedFileIsAnError) {
  const std::string path = testing::TempDir() + "/ember_baseline_bad.json";
  {
    std::ofstream out(path);
    out << "{\"entries\": {\"x\": {\"total_cycles\": -5}}}";
  }
  Baseline b;
  std::string err;
  EXPECT_FALSE(LoadBaseline(path, &b, &err));
  EXPECT_NE(err.find("total_cycles"), std::string::npos);
  {
    std::ofstream out(path);
    out << "not json";
  }
  EXPECT_FALSE(LoadBaseline(path, &b, &err));
  std::remove(path.c_str());
  EXPECT_TRUE(LoadBaseline(path, &b, &err));  // missing file: empty baseline
  EXPECT_TRUE(b.entries.empty());
}

}  // namespace
}  // namespace ember::bench
