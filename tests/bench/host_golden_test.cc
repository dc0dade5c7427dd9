// The host golden runner against the TensorFlow Lite Micro golden tensors
// (/work/shared/models/golden, produced by TFLM's reference kernels; see its README):
// outputs must match bit for bit, and the per-op event list must be complete and stable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "bench/host_runner.h"

namespace ember::bench {
namespace {

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

std::string Models() { return EMBER_MODELS_DIR; }

TEST(HostGoldenTest, PatternInput) {
  EXPECT_EQ(PatternBytes(4), (std::vector<uint8_t>{3, 10, 17, 24}));
  EXPECT_EQ(PatternBytes(40)[37], (37 * 7 + 3) % 256);
}

void CheckGolden(const std::string& model_file, const std::string& golden_prefix, bool pattern) {
  const std::string model_path = Models() + "/" + model_file;
  if (!std::filesystem::exists(model_path)) GTEST_SKIP() << model_path << " not present";
  const std::vector<uint8_t> model = ReadFile(model_path);
  const std::vector<uint8_t> golden_in =
      ReadFile(Models() + "/golden/" + golden_prefix + "_input.bin");
  const std::vector<uint8_t> golden_out =
      ReadFile(Models() + "/golden/" + golden_prefix + "_output.bin");
  ASSERT_FALSE(golden_in.empty());
  ASSERT_FALSE(golden_out.empty());
  HostRunOptions opts;
  if (!pattern) opts.inputs.push_back(golden_in);
  RunResult r;
  std::vector<std::vector<uint8_t>> used;
  RunOnHost(model, opts, &r, &used);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0], golden_in);  // the pattern input is the golden one
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].bytes, golden_out);
  ASSERT_FALSE(r.ops.empty());
  for (size_t i = 0; i < r.ops.size(); ++i) {
    EXPECT_EQ(r.ops[i].index, static_cast<int32_t>(i));
    EXPECT_TRUE(r.ops[i].has_checksum);
    EXPECT_GT(r.ops[i].output_bytes, 0u);
  }
  // Deterministic: a second run gives the same event list.
  RunResult again;
  RunOnHost(model, opts, &again, &used);
  ASSERT_TRUE(again.ok) << again.error;
  ASSERT_EQ(again.ops.size(), r.ops.size());
  for (size_t i = 0; i < r.ops.size(); ++i) EXPECT_EQ(again.ops[i].checksum, r.ops[i].checksum);
}

TEST(HostGoldenTest, PersonDetectPerson) {
  CheckGolden("person_detect.tflite", "person_detect_person", false);
}
TEST(HostGoldenTest, PersonDetectNoPerson) {
  CheckGolden("person_detect.tflite", "person_detect_no_person", false);
}
TEST(HostGoldenTest, KeywordScrambledPattern) {
  CheckGolden("keyword_scrambled.tflite", "keyword_scrambled_pattern", true);
}

TEST(HostGoldenTest, BadModelIsAClearError) {
  RunResult r;
  std::vector<std::vector<uint8_t>> used;
  RunOnHost(std::vector<uint8_t>(64, 0xab), HostRunOptions{}, &r, &used);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("AllocateTensors"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace ember::bench
