// The runtime's compact model verifier (runtime/model_verifier.h) must accept and reject
// exactly the buffers flatc's generated VerifyModelBuffer() accepts and rejects: checked
// on a model holding every BuiltinOptions type ember parses (all fields present), on the
// real models, and on thousands of randomly corrupted copies of each.
#include "runtime/model_verifier.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "models/benchmark_models.h"
#include "runtime/schema/ember_schema_generated.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

namespace sc = ::ember::schema;
namespace fb = ::flatbuffers;

bool GeneratedVerifier(const std::vector<uint8_t>& bytes) {
  fb::Verifier verifier(bytes.data(), bytes.size());
  return sc::VerifyModelBuffer(verifier);
}

// One operator per options table with fields, every field set to a non-default value
// (so that it is present in the buffer), plus the optional Operator/Model parts.
std::vector<uint8_t> AllOptionsModel() {
  fb::FlatBufferBuilder fbb;
  using A = sc::ActivationFunctionType;
  using P = sc::Padding;
  std::vector<std::pair<sc::BuiltinOptions, fb::Offset<void>>> options = {
      {sc::BuiltinOptions::Conv2DOptions,
       sc::CreateConv2DOptions(fbb, P::VALID, 2, 3, A::RELU, 2, 3, sc::TensorType::INT64).Union()},
      {sc::BuiltinOptions::DepthwiseConv2DOptions,
       sc::CreateDepthwiseConv2DOptions(fbb, P::VALID, 2, 3, 4, A::RELU6, 2, 3).Union()},
      {sc::BuiltinOptions::Pool2DOptions,
       sc::CreatePool2DOptions(fbb, P::VALID, 2, 2, 3, 3, A::RELU).Union()},
      {sc::BuiltinOptions::SVDFOptions, sc::CreateSVDFOptions(fbb, 2, A::RELU, true).Union()},
      {sc::BuiltinOptions::FullyConnectedOptions,
       sc::CreateFullyConnectedOptions(fbb, A::RELU,
                                       sc::FullyConnectedOptionsWeightsFormat::SHUFFLED4x16INT8,
                                       true, true, sc::TensorType::INT64)
           .Union()},
      {sc::BuiltinOptions::SoftmaxOptions, sc::CreateSoftmaxOptions(fbb, 0.5f).Union()},
      {sc::BuiltinOptions::ConcatenationOptions,
       sc::CreateConcatenationOptions(fbb, 1, A::RELU).Union()},
      {sc::BuiltinOptions::AddOptions, sc::CreateAddOptions(fbb, A::RELU, false).Union()},
      {sc::BuiltinOptions::ReshapeOptions,
       sc::CreateReshapeOptions(fbb, fbb.CreateVector(std::vector<int32_t>{1, 2, 3})).Union()},
      {sc::BuiltinOptions::MulOptions, sc::CreateMulOptions(fbb, A::RELU).Union()},
      {sc::BuiltinOptions::ReducerOptions, sc::CreateReducerOptions(fbb, true).Union()},
      {sc::BuiltinOptions::SubOptions, sc::CreateSubOptions(fbb, A::RELU, false).Union()},
      {sc::BuiltinOptions::StridedSliceOptions,
       sc::CreateStridedSliceOptions(fbb, 1, 2, 3, 4, 5, true).Union()},
      {sc::BuiltinOptions::TransposeConvOptions,
       sc::CreateTransposeConvOptions(fbb, P::VALID, 2, 3, A::RELU, sc::TensorType::INT64).Union()},
      {sc::BuiltinOptions::LeakyReluOptions, sc::CreateLeakyReluOptions(fbb, 0.2f).Union()},
      {sc::BuiltinOptions::PadOptions, sc::CreatePadOptions(fbb).Union()},
      {sc::BuiltinOptions::QuantizeOptions, sc::CreateQuantizeOptions(fbb).Union()},
  };
  std::vector<fb::Offset<sc::Operator>> ops;
  for (const auto& [type, table] : options) {
    ops.push_back(sc::CreateOperator(fbb, 0, fbb.CreateVector(std::vector<int32_t>{0, -1}),
                                     fbb.CreateVector(std::vector<int32_t>{0}), type, table,
                                     fbb.CreateVector(std::vector<uint8_t>{1, 2}),
                                     sc::CustomOptionsFormat::FLEXBUFFERS,
                                     fbb.CreateVector(std::vector<uint8_t>{1}),
                                     fbb.CreateVector(std::vector<int32_t>{0}), 7, 9));
  }
  auto quant = sc::CreateQuantizationParameters(
      fbb, fbb.CreateVector(std::vector<float>{-1}), fbb.CreateVector(std::vector<float>{1}),
      fbb.CreateVector(std::vector<float>{0.5f}), fbb.CreateVector(std::vector<int64_t>{3}));
  std::vector<fb::Offset<sc::Tensor>> tensors = {
      sc::CreateTensor(fbb, fbb.CreateVector(std::vector<int32_t>{1, 4}), sc::TensorType::INT8, 0,
                       fbb.CreateString("t"), quant, false)};
  auto subgraph = sc::CreateSubGraph(
      fbb, fbb.CreateVector(tensors), fbb.CreateVector(std::vector<int32_t>{0}),
      fbb.CreateVector(std::vector<int32_t>{0}), fbb.CreateVector(ops), fbb.CreateString("main"));
  std::vector<fb::Offset<sc::OperatorCode>> codes = {
      sc::CreateOperatorCode(fbb, 3, 0, 1, sc::BuiltinOperator::CONV_2D)};
  std::vector<fb::Offset<sc::Buffer>> buffers = {
      sc::CreateBuffer(fbb),
      sc::CreateBuffer(fbb, fbb.CreateVector(std::vector<uint8_t>{1, 2, 3, 4}))};
  std::vector<fb::Offset<sc::Metadata>> metadata = {
      sc::CreateMetadata(fbb, fbb.CreateString("m"), 1)};
  std::vector<fb::Offset<sc::TensorMap>> maps = {
      sc::CreateTensorMap(fbb, fbb.CreateString("x"), 0)};
  std::vector<fb::Offset<sc::SignatureDef>> signatures = {sc::CreateSignatureDef(
      fbb, fbb.CreateVector(maps), fbb.CreateVector(maps), fbb.CreateString("serving"), 0)};
  auto model = sc::CreateModel(fbb, 3, fbb.CreateVector(codes),
                               fbb.CreateVector(std::vector<fb::Offset<sc::SubGraph>>{subgraph}),
                               fbb.CreateString("all options"), fbb.CreateVector(buffers),
                               fbb.CreateVector(std::vector<int32_t>{1}),
                               fbb.CreateVector(metadata), fbb.CreateVector(signatures));
  sc::FinishModelBuffer(fbb, model);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

// Mutates 1..4 random bytes `trials` times; both verifiers must agree every time.
// Returns how many mutants were rejected (so that the test shows it exercised both paths).
int CompareOnMutants(const std::vector<uint8_t>& original, int trials, uint32_t seed) {
  std::mt19937 rng(seed);
  int rejected = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<uint8_t> model = original;
    const int changes = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < changes; ++k) {
      // Most of a real model is weights: bias the mutations to the first 4 KB and the
      // last 4 KB, where the tables, vtables and offsets are.
      size_t span = model.size() < 4096 ? model.size() : 4096;
      size_t at = (rng() & 1) ? rng() % span : model.size() - 1 - rng() % span;
      model[at] = static_cast<uint8_t>(rng());
    }
    const bool expected = GeneratedVerifier(model);
    const bool ours = VerifyModelBytes(model.data(), model.size());
    EXPECT_EQ(ours, expected) << "trial " << trial;
    if (ours != expected) break;
    if (!expected) ++rejected;
  }
  return rejected;
}

TEST(ModelVerifier, AcceptsEveryOptionsType) {
  std::vector<uint8_t> model = AllOptionsModel();
  ASSERT_TRUE(GeneratedVerifier(model));
  EXPECT_TRUE(VerifyModelBytes(model.data(), model.size()));
}

TEST(ModelVerifier, AgreesWithGeneratedVerifierOnCorruptedModels) {
  std::vector<uint8_t> model = AllOptionsModel();
  int rejected = CompareOnMutants(model, 4000, 42);
  EXPECT_GT(rejected, 100);
  EXPECT_LT(rejected, 4000);
}

TEST(ModelVerifier, AgreesOnTruncatedModels) {
  std::vector<uint8_t> model = AllOptionsModel();
  for (size_t n = 0; n < model.size(); n += 3) {
    std::vector<uint8_t> cut(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(VerifyModelBytes(cut.data(), cut.size()), GeneratedVerifier(cut)) << n << " bytes";
  }
}

TEST(ModelVerifier, AgreesOnBenchmarkModels) {
  for (const std::string& name : models::BenchmarkModelNames()) {
    std::vector<uint8_t> model;
    ASSERT_TRUE(models::BuildBenchmarkModel(name, &model).ok()) << name;
    EXPECT_TRUE(VerifyModelBytes(model.data(), model.size())) << name;
    CompareOnMutants(model, 500, 7);
  }
}

TEST(ModelVerifier, AgreesOnRealModels) {
  const char* names[] = {"hello_world_int8.tflite", "keyword_scrambled.tflite",
                         "person_detect.tflite", "micro_speech_quantized.tflite"};
  int checked = 0;
  for (const char* name : names) {
    host::AlignedBuffer buffer;
    if (!testing::LoadRealModel(name, &buffer)) continue;
    std::vector<uint8_t> model(buffer.data(), buffer.data() + buffer.size());
    EXPECT_TRUE(VerifyModelBytes(model.data(), model.size())) << name;
    CompareOnMutants(model, 300, 11);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

}  // namespace
}  // namespace ember::rt
