// Models written by the builder run through the whole interpreter: single-op models
// (float and per-channel int8) give the results computed here by hand, and an
// OfflineMemoryAllocation plan written by the builder is honoured by the runtime.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "kernels/all_ops_resolver.h"
#include "models/bmp.h"
#include "models/single_op_model.h"
#include "runtime/interpreter.h"

namespace ember::models {
namespace {

constexpr size_t kArenaBytes = 256 * 1024;  // person_detect needs about 90 KB

class Runner {
 public:
  explicit Runner(const std::vector<uint8_t>& model)
      : model_(model), arena_(new uint8_t[kArenaBytes]) {
    EXPECT_EQ(kernels::AddAllOps(resolver_), kEmberOk);
    interpreter_ = std::make_unique<rt::Interpreter>(model_.data(), model_.size(), resolver_,
                                                     arena_.get(), kArenaBytes);
  }
  bool Has(BuiltinOperator op) const {
    return resolver_.FindBuiltin(static_cast<int32_t>(op)) != nullptr;
  }
  rt::Interpreter& interpreter() { return *interpreter_; }

 private:
  std::vector<uint8_t> model_;
  kernels::MicroOpResolver<32> resolver_;
  std::unique_ptr<uint8_t[]> arena_;
  std::unique_ptr<rt::Interpreter> interpreter_;
};

TEST(BuilderInterpreterTest, FloatFullyConnectedWithReluGivesHandResult) {
  SingleOpModelSpec spec;
  spec.op = BuiltinOperator::FULLY_CONNECTED;
  spec.options = FullyConnectedOptions(kEmberActRelu);
  spec.inputs = {TensorDesc::Activation("x", TensorType::FLOAT32, {1, 3}),
                 TensorDesc::Constant("w", TensorType::FLOAT32, {2, 3},
                                      FloatData({1.f, 2.f, 3.f, -1.f, -1.f, -1.f})),
                 TensorDesc::Constant("b", TensorType::FLOAT32, {2}, FloatData({0.5f, 1.f}))};
  spec.outputs = {TensorDesc::Activation("y", TensorType::FLOAT32, {1, 2})};
  std::vector<uint8_t> model;
  ASSERT_TRUE(BuildSingleOpModel(spec, &model).ok());
  Runner run(model);
  if (!run.Has(spec.op)) GTEST_SKIP() << "FULLY_CONNECTED kernel not registered yet";
  ASSERT_EQ(run.interpreter().AllocateTensors(), kEmberOk);
  const float x[3] = {1.f, -2.f, 4.f};
  std::memcpy(run.interpreter().input(0)->data, x, sizeof(x));
  ASSERT_EQ(run.interpreter().Invoke(), kEmberOk);
  const float* y = static_cast<const float*>(run.interpreter().output(0)->data);
  EXPECT_FLOAT_EQ(y[0], 1.f - 4.f + 12.f + 0.5f);  // 9.5
  EXPECT_FLOAT_EQ(y[1], 0.f);                      // relu(-3 + 1)
}

TEST(BuilderInterpreterTest, PerChannelInt8ConvGivesHandResult) {
  // 1x1 convolution, 2 output channels with different weight scales, on a 1x1x2 input.
  // Input scale 0.5 zp 0; weights channel 0 scale 0.25, channel 1 scale 1.0; output
  // scale 1 zp 0: y_c = 0.5 * w_scale_c * sum(x * w_c) (exact here, no rounding).
  SingleOpModelSpec spec;
  spec.op = BuiltinOperator::CONV_2D;
  spec.options = Conv2dOptions(kEmberPaddingValid, 1, 1);
  spec.version = 3;
  spec.inputs = {
      TensorDesc::Activation("x", TensorType::INT8, {1, 1, 1, 2}, Quantization::PerTensor(0.5f, 0)),
      TensorDesc::Constant("w", TensorType::INT8, {2, 1, 1, 2}, Int8Data({8, 8, 2, -1}),
                           Quantization::PerChannel({0.25f, 1.0f}, 0)),
      TensorDesc::Constant("b", TensorType::INT32, {2}, Int32Data({0, 4}),
                           Quantization::PerChannel({0.125f, 0.5f}, 0))};
  spec.outputs = {TensorDesc::Activation("y", TensorType::INT8, {1, 1, 1, 2},
                                         Quantization::PerTensor(1.0f, 0))};
  std::vector<uint8_t> model;
  ASSERT_TRUE(BuildSingleOpModel(spec, &model).ok());
  Runner run(model);
  if (!run.Has(spec.op)) GTEST_SKIP() << "CONV_2D kernel not registered yet";
  ASSERT_EQ(run.interpreter().AllocateTensors(), kEmberOk);
  int8_t* x = static_cast<int8_t*>(run.interpreter().input(0)->data);
  x[0] = 4;
  x[1] = 2;
  ASSERT_EQ(run.interpreter().Invoke(), kEmberOk);
  const int8_t* y = static_cast<const int8_t*>(run.interpreter().output(0)->data);
  EXPECT_EQ(y[0], 6);  // 0.5 * 0.25 * (32 + 16) = 6
  EXPECT_EQ(y[1], 5);  // 0.5 * 1.0 * (8 - 2) + 4 * 0.5 = 5
}

TEST(BuilderInterpreterTest, OfflineMemoryPlanIsHonoured) {
  // RELU [16] floats: the plan puts the output at offset 0 and the input at 64 bytes.
  SingleOpModelSpec spec;
  spec.op = BuiltinOperator::RELU;
  spec.inputs = {TensorDesc::Activation("x", TensorType::FLOAT32, {16})};
  spec.outputs = {TensorDesc::Activation("y", TensorType::FLOAT32, {16})};
  spec.offline_offsets = {64, 0};
  std::vector<uint8_t> model;
  ASSERT_TRUE(BuildSingleOpModel(spec, &model).ok());
  Runner run(model);
  if (!run.Has(spec.op)) GTEST_SKIP() << "RELU kernel not registered yet";
  ASSERT_EQ(run.interpreter().AllocateTensors(), kEmberOk);
  const uint8_t* in = static_cast<const uint8_t*>(run.interpreter().input(0)->data);
  const uint8_t* out = static_cast<const uint8_t*>(run.interpreter().output(0)->data);
  EXPECT_EQ(in - out, 64);
  float* xf = static_cast<float*>(run.interpreter().input(0)->data);
  for (int i = 0; i < 16; ++i) xf[i] = static_cast<float>(i - 8);
  ASSERT_EQ(run.interpreter().Invoke(), kEmberOk);
  const float* yf = static_cast<const float*>(run.interpreter().output(0)->data);
  for (int i = 0; i < 16; ++i) EXPECT_FLOAT_EQ(yf[i], i < 8 ? 0.f : static_cast<float>(i - 8));
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
}

TEST(BuilderInterpreterTest, DecodedBmpClassifiedByRealPersonDetectMatchesGolden) {
  // The BMP decoder feeds the real model: person.bmp -> person, no_person.bmp -> no
  // person, both bit-exact with TFLM's golden outputs.
  const std::string dir = EMBER_MODELS_DIR;
  const std::string model_path = dir + "/person_detect.tflite";
  if (!std::filesystem::exists(model_path) ||
      !std::filesystem::exists(dir + "/golden/person_detect_person_output.bin")) {
    GTEST_SKIP() << "needs person_detect.tflite and golden/ in " << dir;
  }
  Runner run(ReadFile(model_path));
  ASSERT_EQ(run.interpreter().AllocateTensors(), kEmberOk);
  for (const std::string image : {"person", "no_person"}) {
    GrayImage img;
    Status s = LoadGrayscaleBmp(dir + "/" + image + ".bmp", &img, 96, 96);
    ASSERT_TRUE(s.ok()) << s.message();
    EmberTensor* in = run.interpreter().input(0);
    ASSERT_EQ(in->bytes, img.pixels.size());
    std::memcpy(in->data, img.pixels.data(), img.pixels.size());
    ASSERT_EQ(run.interpreter().Invoke(), kEmberOk);
    const int8_t* out = static_cast<const int8_t*>(run.interpreter().output(0)->data);
    const std::vector<uint8_t> golden =
        ReadFile(dir + "/golden/person_detect_" + image + "_output.bin");
    ASSERT_EQ(golden.size(), 2u);
    EXPECT_EQ(out[0], static_cast<int8_t>(golden[0])) << image;
    EXPECT_EQ(out[1], static_cast<int8_t>(golden[1])) << image;
    EXPECT_EQ(out[1] > out[0], image == "person") << image;  // index 1 = person
  }
}

}  // namespace
}  // namespace ember::models
