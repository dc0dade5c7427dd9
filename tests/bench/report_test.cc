// Report output: tables carry the paper's numbers next to ours, JSON/CSV/SVG carry every op.
#include "bench/report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "bench/protocol.h"

namespace ember::bench {
namespace {

ModelBench Sample(const std::string& variant = "reference", const std::string& kernels = "") {
  ModelBench mb;
  mb.variant = variant;
  mb.key = "hotword";
  mb.label = "Hotword (keyword_scrambled)";
  mb.path = "/models/keyword_scrambled.tflite";
  mb.source = "real";
  mb.board = "sparkfun_edge";
  EXPECT_TRUE(ParseFirmwareOutput(
      "@ember begin 2\n@ember arena 100 20 120\n@ember op 0 SVDF 5 1005 2000 1\n"
      "@ember op 1 SOFTMAX 1010 1210 0 2\n@ember invoke 1220\n"
      "@ember event 0 SVDF 4 01020304\n@ember event 1 SOFTMAX 8 a0b0c0d0\n"
      "@ember output 0 0040000000400000\n@ember end\n",
      &mb.emulated));
  mb.emulated.variant = variant;
  mb.emulated.kernels = kernels.empty() ? variant : kernels;
  mb.host = mb.emulated;
  std::string err;
  EXPECT_TRUE(ComputeAccounting(mb.emulated, &mb.accounting, &err));
  CompareWithGolden(&mb);
  return mb;
}

TEST(ReportTest, Formatting) {
  EXPECT_EQ(Grouped(0), "0");
  EXPECT_EQ(Grouped(1234567), "1,234,567");
  EXPECT_EQ(PaperK(18990.8e3), "18,990.8K");
  EXPECT_EQ(PaperK(45100), "45.1K");
}

TEST(ReportTest, TablesShowPaperAndOurs) {
  ModelBench mb = Sample();
  std::ostringstream os;
  PrintTables(os, mb);
  const std::string s = os.str();
  EXPECT_NE(s.find("45.1K"), std::string::npos) << s;     // paper total
  EXPECT_NE(s.find("3.3%"), std::string::npos) << s;      // paper overhead
  EXPECT_NE(s.find("12.80 kB"), std::string::npos) << s;  // paper arena total
  EXPECT_NE(s.find("1,220"), std::string::npos) << s;     // our total
  EXPECT_NE(s.find("closes exactly"), std::string::npos) << s;
  EXPECT_NE(s.find("outputs match"), std::string::npos) << s;
}

TEST(ReportTest, GoldenMismatchIsLoud) {
  ModelBench mb = Sample();
  mb.host.ops[1].checksum ^= 1;
  CompareWithGolden(&mb);
  EXPECT_FALSE(mb.golden_match);
  EXPECT_FALSE(mb.ok());
  std::ostringstream os;
  PrintTables(os, mb);
  EXPECT_NE(os.str().find("MISMATCH"), std::string::npos);
  EXPECT_NE(os.str().find("op 1 SOFTMAX"), std::string::npos);
}

TEST(ReportTest, JsonCsvSvgCarryEveryOp) {
  std::vector<ModelBench> runs = {Sample()};
  nlohmann::json j = ToJson(runs);
  ASSERT_EQ(j["runs"].size(), 1u);
  EXPECT_EQ(j["runs"][0]["cycles"]["total"], 1220);
  EXPECT_EQ(j["runs"][0]["cycles"]["calculation"], 1200);
  EXPECT_EQ(j["runs"][0]["ops"].size(), 2u);
  EXPECT_EQ(j["runs"][0]["ops"][0]["checksum"], "01020304");
  EXPECT_EQ(j["runs"][0]["paper"]["total_cycles"], 45100.0);
  std::ostringstream csv;
  WriteCsv(csv, runs);
  EXPECT_NE(csv.str().find("hotword,sparkfun_edge,reference,real,0,SVDF,1000,"), std::string::npos)
      << csv.str();
  const std::string svg = RenderSvg(runs);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("SVDF"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(ReportTest, OptimizedVariantIsPrintedNextToThePapersOptimizedRow) {
  ModelBench ref = Sample();
  ModelBench opt = Sample("optimized", "dsp");
  opt.emulated.total_cycles = 610;  // half the reference: 2.00x
  for (OpProfile& op : opt.emulated.ops) {
    op.start /= 2;
    op.end /= 2;
  }
  std::string err;
  ASSERT_TRUE(ComputeAccounting(opt.emulated, &opt.accounting, &err)) << err;
  std::ostringstream os;
  PrintTables(os, opt);
  EXPECT_NE(os.str().find("36.4K"), std::string::npos) << os.str();  // paper optimized total
  EXPECT_EQ(os.str().find("45.1K"), std::string::npos) << os.str();  // not the reference row
  EXPECT_NE(os.str().find("DSP-extension kernels"), std::string::npos) << os.str();

  std::ostringstream sum;
  PrintSummary(sum, {ref, opt});
  const std::string s = sum.str();
  EXPECT_NE(s.find("Table 6a side by side"), std::string::npos) << s;
  EXPECT_NE(s.find("45.1K"), std::string::npos) << s;
  EXPECT_NE(s.find("36.4K"), std::string::npos) << s;
  EXPECT_NE(s.find("2.00x"), std::string::npos) << s;

  nlohmann::json j = ToJson({ref, opt});
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][0]["variant"], "reference");
  EXPECT_EQ(j["runs"][1]["variant"], "optimized");
  EXPECT_EQ(j["runs"][1]["kernels"], "dsp");
  EXPECT_EQ(j["runs"][1]["paper"]["total_cycles"], 36400.0);
  std::ostringstream csv;
  WriteCsv(csv, {ref, opt});
  EXPECT_NE(csv.str().find("hotword,sparkfun_edge,optimized,real,0,SVDF,500,"), std::string::npos)
      << csv.str();
  EXPECT_NE(csv.str().find(",dsp\n"), std::string::npos) << csv.str();
  const std::string svg = RenderSvg({ref, opt});
  EXPECT_NE(svg.find("optimized"), std::string::npos);
}

TEST(ReportTest, OptimizedWithoutDspSaysItIsTheReferenceFallback) {
  ModelBench opt = Sample("optimized", "reference");
  opt.board = "raspberry_pi_pico";
  EXPECT_NE(KernelsNote(opt).find("reference fallback"), std::string::npos);
  std::ostringstream os;
  PrintTables(os, opt);
  EXPECT_NE(os.str().find("no DSP extension"), std::string::npos) << os.str();
  EXPECT_EQ(KernelsNote(Sample()), "reference kernels");
}

}  // namespace
}  // namespace ember::bench
