// Kernel regression under emulation: single-op models (built with the model builder,
// shapes that reach each kernel's main paths) run through the benchmark firmware on one
// emulated board and natively on the host; outputs and per-op checksums must be equal.
// The board comes from the command line (--board ID), one CTest per board. Every case runs
// with the reference kernels and with the optimized variant (the DSP kernels on M4/M7: the
// 1x1 matrix multiply with its assembly inner loop, the depthwise channel-group paths).
// A kernel that the host runtime does not register yet is skipped with a message.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "bench/host_runner.h"
#include "bench/model_bench.h"
#include "bench/sim_runner.h"
#include "models/single_op_model.h"

namespace ember::bench {
namespace {

std::string g_board = "sparkfun_edge";
// The board's benchmark firmware registers only the benchmark models' ops
// (boards/board_list.cmake EMBER_BOARD_BENCH_OPS_<board>): other ops are skipped.
bool g_benchmark_ops_only = false;

using models::BuiltinOperator;
using models::Quantization;
using models::TensorDesc;
using models::TensorType;

std::vector<uint8_t> Bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(x >> 24);
  }
  return v;
}

std::vector<uint8_t> Bias(size_t n, uint32_t seed) {
  std::vector<int32_t> v(n);
  std::vector<uint8_t> raw = Bytes(n, seed);
  for (size_t i = 0; i < n; ++i) v[i] = (static_cast<int32_t>(raw[i]) - 128) * 37;
  return models::Int32Data(v);
}

struct Case {
  const char* name;
  models::SingleOpModelSpec spec;
};

std::vector<Case> Cases() {
  const Quantization qa = Quantization::PerTensor(0.05f, -3);
  const Quantization qo = Quantization::PerTensor(0.1f, 2);
  std::vector<Case> cases;
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::CONV_2D;
    s.options = models::Conv2dOptions(kEmberPaddingSame, 2, 2, kEmberActRelu6);
    s.inputs = {
        TensorDesc::Activation("in", TensorType::INT8, {1, 9, 9, 3}, qa),
        TensorDesc::Constant("w", TensorType::INT8, {4, 3, 3, 3}, Bytes(108, 1),
                             Quantization::PerChannel({0.01f, 0.02f, 0.015f, 0.03f}, 0)),
        TensorDesc::Constant("b", TensorType::INT32, {4}, Bias(4, 2),
                             Quantization::PerChannel({0.0005f, 0.001f, 0.00075f, 0.0015f}, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 5, 5, 4}, qo)};
    cases.push_back({"conv_2d", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::DEPTHWISE_CONV_2D;
    s.options = models::DepthwiseConv2dOptions(kEmberPaddingValid, 1, 1, 2, kEmberActRelu);
    s.inputs = {
        TensorDesc::Activation("in", TensorType::INT8, {1, 6, 6, 2}, qa),
        TensorDesc::Constant("w", TensorType::INT8, {1, 3, 3, 4}, Bytes(36, 3),
                             Quantization::PerChannel({0.01f, 0.02f, 0.015f, 0.03f}, 3)),
        TensorDesc::Constant("b", TensorType::INT32, {4}, Bias(4, 4),
                             Quantization::PerChannel({0.0005f, 0.001f, 0.00075f, 0.0015f}, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 4, 4, 4}, qo)};
    cases.push_back({"depthwise_conv_2d", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::FULLY_CONNECTED;
    s.options = models::FullyConnectedOptions();
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 20}, qa),
                TensorDesc::Constant("w", TensorType::INT8, {6, 20}, Bytes(120, 5),
                                     Quantization::PerTensor(0.02f, 0)),
                TensorDesc::Constant("b", TensorType::INT32, {6}, Bias(6, 6),
                                     Quantization::PerTensor(0.001f, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 6}, qo)};
    cases.push_back({"fully_connected", s});
  }
  // The DSP variant's fast paths: 1x1 stride-1 conv (matrix multiply; odd pixel count,
  // odd channel count, input depth 13 = 3 steps of 4 plus a remainder, and depth 16).
  for (int depth : {13, 16}) {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::CONV_2D;
    s.options = models::Conv2dOptions(kEmberPaddingValid, 1, 1, kEmberActNone);
    const int out_c = 7;
    std::vector<float> scales;
    std::vector<float> bias_scales;
    for (int c = 0; c < out_c; ++c) {
      scales.push_back(0.004f + 0.001f * static_cast<float>(c));
      bias_scales.push_back(0.05f * scales.back());
    }
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 5, 3, depth}, qa),
                TensorDesc::Constant("w", TensorType::INT8, {out_c, 1, 1, depth},
                                     Bytes(static_cast<size_t>(out_c * depth), 8 + depth),
                                     Quantization::PerChannel(scales, 0)),
                TensorDesc::Constant("b", TensorType::INT32, {out_c}, Bias(out_c, 9),
                                     Quantization::PerChannel(bias_scales, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 5, 3, out_c}, qo)};
    cases.push_back({depth == 13 ? "conv_1x1_depth13" : "conv_1x1_depth16", s});
  }
  // Depthwise 3x3, depth multiplier 1, 10 channels (two groups of 4 + 2 leftovers), SAME:
  // interior (unrolled) and border pixels.
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::DEPTHWISE_CONV_2D;
    s.options = models::DepthwiseConv2dOptions(kEmberPaddingSame, 1, 1, 1, kEmberActRelu6);
    std::vector<float> scales;
    std::vector<float> bias_scales;
    for (int c = 0; c < 10; ++c) {
      scales.push_back(0.01f + 0.002f * static_cast<float>(c));
      bias_scales.push_back(0.05f * scales.back());
    }
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 6, 5, 10}, qa),
                TensorDesc::Constant("w", TensorType::INT8, {1, 3, 3, 10}, Bytes(90, 10),
                                     Quantization::PerChannel(scales, 3)),
                TensorDesc::Constant("b", TensorType::INT32, {10}, Bias(10, 11),
                                     Quantization::PerChannel(bias_scales, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 6, 5, 10}, qo)};
    cases.push_back({"depthwise_3x3_dm1", s});
  }
  for (BuiltinOperator op : {BuiltinOperator::AVERAGE_POOL_2D, BuiltinOperator::MAX_POOL_2D}) {
    models::SingleOpModelSpec s;
    s.op = op;
    s.options = models::Pool2dOptions(kEmberPaddingSame, 2, 2, 3, 3);
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 7, 7, 3}, qa)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 4, 4, 3}, qa)};
    cases.push_back({op == BuiltinOperator::MAX_POOL_2D ? "max_pool_2d" : "average_pool_2d", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::SOFTMAX;
    s.options = models::SoftmaxOptions(1.0f);
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {2, 10}, qa)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {2, 10},
                                        Quantization::PerTensor(1.0f / 256, -128))};
    cases.push_back({"softmax", s});
  }
  for (BuiltinOperator op : {BuiltinOperator::ADD, BuiltinOperator::MUL}) {
    models::SingleOpModelSpec s;
    s.op = op;
    if (op == BuiltinOperator::ADD) {
      s.options = models::AddSubOptions();
    } else {
      s.options = models::MulOptions();
    }
    s.inputs = {TensorDesc::Activation("a", TensorType::INT8, {1, 3, 4}, qa),
                TensorDesc::Constant("b", TensorType::INT8, {1, 1, 4}, Bytes(4, 7), qo)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 3, 4}, qo)};
    cases.push_back({op == BuiltinOperator::ADD ? "add" : "mul", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::RESHAPE;
    s.options = models::ReshapeOptions({1, 12});
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 3, 4}, qa)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 12}, qa)};
    cases.push_back({"reshape", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::RELU;
    s.inputs = {TensorDesc::Activation("in", TensorType::INT8, {1, 16}, qa)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 16}, qo)};
    cases.push_back({"relu", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::CONCATENATION;
    s.options = models::ConcatenationOptions(1);
    s.inputs = {TensorDesc::Activation("a", TensorType::INT8, {2, 3}, qa),
                TensorDesc::Activation("b", TensorType::INT8, {2, 5}, qo)};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {2, 8}, qo)};
    cases.push_back({"concatenation", s});
  }
  {
    models::SingleOpModelSpec s;
    s.op = BuiltinOperator::QUANTIZE;
    s.inputs = {TensorDesc::Activation("in", TensorType::INT16, {1, 24},
                                       Quantization::PerTensor(0.000625f, 0))};
    s.outputs = {TensorDesc::Activation("out", TensorType::INT8, {1, 24}, qa)};
    cases.push_back({"quantize", s});
  }
  return cases;
}

// (case index, optimized kernel variant)
class KernelEmulationTest : public testing::TestWithParam<std::tuple<size_t, bool>> {};

TEST_P(KernelEmulationTest, EmulatedEqualsHost) {
  const Case c = Cases()[std::get<0>(GetParam())];
  const bool optimized = std::get<1>(GetParam());
  const std::string elf =
      std::string(EMBER_BINARY_DIR) + "/firmware/" + g_board + "/ember_bench.elf";
  if (!std::filesystem::exists(elf)) {
    if (std::filesystem::exists(elf + ".does_not_fit")) GTEST_SKIP() << "firmware does not fit";
    FAIL() << "no benchmark firmware at " << elf;
  }
  std::vector<uint8_t> model;
  models::Status st = models::BuildSingleOpModel(c.spec, &model);
  ASSERT_TRUE(st.ok()) << st.message();

  ModelBench mb;
  std::vector<std::vector<uint8_t>> inputs;
  RunOnHost(model, HostRunOptions{}, &mb.host, &inputs);
  if (!mb.host.ok && mb.host.error.find("not registered") != std::string::npos) {
    GTEST_SKIP() << c.name << ": kernel not registered yet: " << mb.host.error;
  }
  ASSERT_TRUE(mb.host.ok) << mb.host.error;

  SimRunRequest req;
  req.board = g_board;
  req.elf_path = elf;
  req.model = model;
  req.inputs = inputs;
  req.cross_check = false;
  req.optimized = optimized;
  req.cycle_budget = 200'000'000;
  SimRunResponse resp;
  RunOnBoard(req, &resp);
  ASSERT_TRUE(resp.fits) << resp.not_fit_reason;
  if (g_benchmark_ops_only && !resp.run.ok &&
      resp.console.find("not registered in the op resolver") != std::string::npos) {
    GTEST_SKIP() << c.name << ": " << g_board
                 << "'s benchmark firmware registers only the benchmark models' ops";
  }
  mb.emulated = resp.run;
  ASSERT_TRUE(mb.emulated.ok) << mb.emulated.error << "\n" << resp.console;
  EXPECT_EQ(mb.emulated.variant, optimized ? "optimized" : "reference");
  EXPECT_TRUE(mb.emulated.kernels == "dsp" || mb.emulated.kernels == "reference");
  if (!optimized) {
    EXPECT_EQ(mb.emulated.kernels, "reference");
  }
  CompareWithGolden(&mb);
  for (const std::string& m : mb.mismatches) ADD_FAILURE() << c.name << ": " << m;
  ASSERT_EQ(mb.emulated.ops.size(), 1u);
  EXPECT_GT(mb.emulated.ops[0].cycles(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Ops, KernelEmulationTest,
                         testing::Combine(testing::Range<size_t>(0, Cases().size()),
                                          testing::Bool()),
                         [](const testing::TestParamInfo<std::tuple<size_t, bool>>& info) {
                           return std::string(Cases()[std::get<0>(info.param)].name) +
                                  (std::get<1>(info.param) ? "_optimized" : "_reference");
                         });

}  // namespace
}  // namespace ember::bench

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--board=", 8) == 0) ember::bench::g_board = argv[i] + 8;
    if (std::strcmp(argv[i], "--benchmark-ops-only") == 0) {
      ember::bench::g_benchmark_ops_only = true;
    }
  }
  return RUN_ALL_TESTS();
}
