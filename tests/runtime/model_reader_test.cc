// Malformed and unsupported models: each gets a clear error (never a crash). Models are
// built with the model builder (non-strict mode writes broken ones), with FlatBuffers
// directly for what the builder cannot express, or mutated from the real models.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "models/model_builder.h"
#include "runtime/schema/ember_schema_generated.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

using models::ModelBuilder;
using models::Quantization;
using schema::BuiltinOperator;
using schema::TensorType;
using testing::LogCapture;

struct Resolver : OpResolver<4> {
  Resolver() { EXPECT_EQ(AddBuiltin(testing::TestAddRegistration()), kEmberOk); }
};

// a (input) + b (constant) -> y (output); `mutate` may break the builder's content.
std::vector<uint8_t> AddModel(void (*mutate)(ModelBuilder&, int a, int b, int y) = nullptr) {
  ModelBuilder builder;
  builder.set_strict(mutate == nullptr);
  int a = builder.AddTensor("a", TensorType::FLOAT32, {1, 4});
  int b = builder.AddConstTensor("b", TensorType::FLOAT32, {1, 4}, models::FloatData({1, 2, 3, 4}));
  int y = builder.AddTensor("y", TensorType::FLOAT32, {1, 4});
  if (mutate != nullptr) mutate(builder, a, b, y);
  builder.AddOperator(BuiltinOperator::ADD, {a, b}, {y});
  builder.SetInputs({a});
  builder.SetOutputs({y});
  std::vector<uint8_t> model;
  models::Status status = builder.Build(&model);
  EXPECT_TRUE(status.ok()) << status.message();
  return model;
}

// AllocateTensors() on `model`; returns the log, expects failure.
std::string AllocateFails(const std::vector<uint8_t>& model) {
  LogCapture log;
  Resolver resolver;
  alignas(16) static uint8_t arena[16384];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  EXPECT_EQ(interpreter.AllocateTensors(), kEmberError);
  EXPECT_EQ(interpreter.Invoke(), kEmberError);  // never runs after a failed allocation
  return log.text();
}

TEST(ModelReader, ValidModelRuns) {
  std::vector<uint8_t> model = AddModel();
  Resolver resolver;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  float* in = static_cast<float*>(interpreter.input(0)->data);
  for (int i = 0; i < 4; ++i) in[i] = 10.0f * i;
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  const float* out = static_cast<const float*>(interpreter.output(0)->data);
  EXPECT_FLOAT_EQ(out[3], 34.0f);
  // Weights are read in place: the constant's data points into the model buffer.
  const EmberEvalTensor* b = interpreter.tensor(1);
  EXPECT_TRUE(b->is_constant);
  EXPECT_GE(static_cast<const uint8_t*>(b->data), model.data());
  EXPECT_LT(static_cast<const uint8_t*>(b->data), model.data() + model.size());
}

TEST(ModelReader, TruncatedFile) {
  std::vector<uint8_t> model = AddModel();
  std::vector<uint8_t> half(model.begin(), model.begin() + model.size() / 2);
  EXPECT_NE(AllocateFails(half).find("truncated or corrupted"), std::string::npos);
  std::vector<uint8_t> tiny(model.begin(), model.begin() + 4);
  EXPECT_NE(AllocateFails(tiny).find("too small to be a .tflite"), std::string::npos);
}

TEST(ModelReader, CorruptedRootOffset) {
  std::vector<uint8_t> model = AddModel();
  model[0] = 0xF0;
  model[1] = 0xFF;
  model[2] = 0xFF;
  model[3] = 0x0F;
  EXPECT_NE(AllocateFails(model).find("verification failed"), std::string::npos);
}

TEST(ModelReader, RandomCorruptionNeverCrashes) {
  host::AlignedBuffer original;
  if (!testing::LoadRealModel("hello_world_int8.tflite", &original)) {
    GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
  }
  testing::CheckerResolver resolver;
  std::mt19937 rng(1234);
  int rejected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    host::AlignedBuffer model(original.size());
    std::memcpy(model.data(), original.data(), original.size());
    for (int k = 0; k < 4; ++k) {
      model.data()[rng() % model.size()] = static_cast<uint8_t>(rng());
    }
    LogCapture log;
    alignas(16) static uint8_t arena[32768];
    Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
    if (interpreter.AllocateTensors() != kEmberOk) {
      ++rejected;
      EXPECT_FALSE(log.text().empty()) << "a failure must say why";
      continue;
    }
    testing::PrepareCheckerRun(interpreter);
    (void)interpreter.Invoke();
  }
  EXPECT_GT(rejected, 0);
}

TEST(ModelReader, WrongFileIdentifier) {
  std::vector<uint8_t> model = AddModel();
  std::memcpy(model.data() + 4, "ABCD", 4);
  std::string log = AllocateFails(model);
  EXPECT_NE(log.find("\"ABCD\", expected \"TFL3\""), std::string::npos) << log;
}

TEST(ModelReader, TensorIndexOutOfRange) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int a, int, int y) {
    b.AddOperator(BuiltinOperator::ADD, {a, 7}, {y});
  }));
  EXPECT_NE(log.find("op #0 input 1 is tensor 7, out of range (the model has 3 tensors)"),
            std::string::npos)
      << log;
}

TEST(ModelReader, BufferIndexOutOfRange) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int, int, int) {
    b.AddTensor("bad", TensorType::FLOAT32, {1}, std::nullopt, /*buffer=*/42);
  }));
  EXPECT_NE(log.find("tensor 3 'bad' refers to buffer 42"), std::string::npos) << log;
}

TEST(ModelReader, BufferTooSmallForShape) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int, int, int) {
    uint32_t buffer = b.AddBuffer({1, 2, 3, 4, 5, 6, 7, 8});
    b.AddTensor("short", TensorType::FLOAT32, {2, 2}, std::nullopt, buffer);
  }));
  EXPECT_NE(log.find("tensor 3 'short' needs 16 bytes"), std::string::npos) << log;
  EXPECT_NE(log.find("holds 8"), std::string::npos) << log;
}

TEST(ModelReader, ConstantOutputIsAnError) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int a, int c, int) {
    b.AddOperator(BuiltinOperator::ADD, {a, a}, {c});
  }));
  EXPECT_NE(log.find("op #0 ADD: output 0 is tensor 1 'b', which has constant data"),
            std::string::npos)
      << log;
}

TEST(ModelReader, UnsupportedTensorType) {
  std::string log = AllocateFails(AddModel(
      [](ModelBuilder& b, int, int, int) { b.AddTensor("half", TensorType::FLOAT16, {4}); }));
  EXPECT_NE(log.find("tensor 3 'half' has type FLOAT16, which ember does not support"),
            std::string::npos)
      << log;
}

// EmberTensor is packed (kernel_api.h): 8-bit dimension count and quantized dimension,
// 16-bit channel count. Models beyond those limits get a clear error, not truncation.
TEST(ModelReader, TooManyDimensions) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int, int, int) {
    b.AddTensor("deep", TensorType::FLOAT32, std::vector<int32_t>(256, 1));
  }));
  EXPECT_NE(log.find("tensor 3 'deep' has 256 dimensions; ember supports up to 255"),
            std::string::npos)
      << log;
}

TEST(ModelReader, QuantizedDimensionBeyondInt8) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int, int, int) {
    std::vector<int32_t> shape(130, 1);
    shape[128] = 2;
    b.AddTensor("axis128", TensorType::INT8, shape,
                Quantization::PerChannel({0.5f, 0.25f}, /*quantized_dimension=*/128));
  }));
  EXPECT_NE(log.find("tensor 3 'axis128' is quantized along dimension 128; ember supports up "
                     "to 127"),
            std::string::npos)
      << log;
}

TEST(ModelReader, TooManyQuantizationChannels) {
  std::string log = AllocateFails(AddModel([](ModelBuilder& b, int, int, int) {
    b.AddTensor("wide", TensorType::INT8, {32768},
                Quantization::PerChannel(std::vector<float>(32768, 0.5f), 0));
  }));
  EXPECT_NE(log.find("tensor 3 'wide' has 32768 quantization channels; ember supports up to "
                     "32767"),
            std::string::npos)
      << log;
}

TEST(ModelReader, UnknownOpVersusUnregisteredOp) {
  std::string unknown = AllocateFails(AddModel([](ModelBuilder& b, int a, int c, int y) {
    b.AddOperator(static_cast<BuiltinOperator>(200), {a, c}, {y}, std::monostate{}, 3);
  }));
  EXPECT_NE(unknown.find("op #0: builtin op code 200 (version 3) is unknown to ember's "
                         "runtime"),
            std::string::npos)
      << unknown;
  std::string unregistered = AllocateFails(AddModel([](ModelBuilder& b, int a, int c, int y) {
    b.AddOperator(BuiltinOperator::MUL, {a, c}, {y}, std::monostate{}, 2);
  }));
  EXPECT_NE(unregistered.find("op #0 MUL (builtin code 18, version 2): not registered in the "
                              "op resolver"),
            std::string::npos)
      << unregistered;
  EXPECT_EQ(unregistered.find("unknown"), std::string::npos);
}

// Models the builder cannot write: FlatBuffers directly.
namespace sc = schema;
std::vector<uint8_t> RawModel(int subgraphs, bool sparse, uint64_t buffer_offset,
                              int8_t deprecated_code, BuiltinOperator code,
                              bool softmax_options = false) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<sc::Tensor>> tensors;
  for (int i = 0; i < 2; ++i) {
    auto shape = fbb.CreateVector(std::vector<int32_t>{1, 4});
    auto name = fbb.CreateString(i == 0 ? "in" : "out");
    auto sparsity = sparse && i == 1 ? sc::CreateSparsityParameters(fbb) : 0;
    tensors.push_back(
        sc::CreateTensor(fbb, shape, TensorType::FLOAT32, 0, name, 0, false, sparsity));
  }
  auto options = softmax_options ? sc::CreateSoftmaxOptions(fbb, 1.0f).Union() : 0;
  auto op = sc::CreateOperator(
      fbb, 0, fbb.CreateVector(std::vector<int32_t>{0, 0}),
      fbb.CreateVector(std::vector<int32_t>{1}),
      softmax_options ? sc::BuiltinOptions::SoftmaxOptions : sc::BuiltinOptions::NONE, options);
  std::vector<flatbuffers::Offset<sc::SubGraph>> graphs;
  for (int g = 0; g < subgraphs; ++g) {
    graphs.push_back(sc::CreateSubGraph(
        fbb, fbb.CreateVector(tensors), fbb.CreateVector(std::vector<int32_t>{0}),
        fbb.CreateVector(std::vector<int32_t>{1}),
        fbb.CreateVector(std::vector<flatbuffers::Offset<sc::Operator>>{op})));
  }
  auto codes = fbb.CreateVector(std::vector<flatbuffers::Offset<sc::OperatorCode>>{
      sc::CreateOperatorCode(fbb, deprecated_code, 0, 1, code)});
  auto buffers = fbb.CreateVector(std::vector<flatbuffers::Offset<sc::Buffer>>{
      sc::CreateBuffer(fbb, 0, buffer_offset, buffer_offset ? 16 : 0)});
  auto model = sc::CreateModel(fbb, 3, codes, fbb.CreateVector(graphs), 0, buffers);
  sc::FinishModelBuffer(fbb, model);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

TEST(ModelReader, RawModelRuns) {
  std::vector<uint8_t> model = RawModel(1, false, 0, 0, BuiltinOperator::ADD);
  Resolver resolver;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
}

TEST(ModelReader, OptionsOfAnotherOp) {
  std::string log = AllocateFails(RawModel(1, false, 0, 0, BuiltinOperator::ADD, true));
  EXPECT_NE(log.find("op #0 ADD (version 1): carries builtin options of type code 9, which "
                     "are not ADD's options"),
            std::string::npos)
      << log;
}

TEST(ModelReader, MoreThanOneSubgraph) {
  std::string log = AllocateFails(RawModel(2, false, 0, 0, BuiltinOperator::ADD));
  EXPECT_NE(log.find("has 2 subgraphs; ember supports exactly one"), std::string::npos) << log;
}

TEST(ModelReader, SparseTensor) {
  std::string log = AllocateFails(RawModel(1, true, 0, 0, BuiltinOperator::ADD));
  EXPECT_NE(log.find("tensor 1 'out' is sparse"), std::string::npos) << log;
}

TEST(ModelReader, ExternalBufferUnsupported) {
  std::string log = AllocateFails(RawModel(1, false, 4096, 0, BuiltinOperator::ADD));
  EXPECT_NE(log.find("stored outside the flatbuffer"), std::string::npos) << log;
}

TEST(ModelReader, OperatorCodeIsMaxOfBothFields) {
  // An old model: only deprecated_builtin_code (MUL = 18) set; builtin_code is 0 (ADD).
  std::string old_style = AllocateFails(RawModel(1, false, 0, 18, BuiltinOperator::ADD));
  EXPECT_NE(old_style.find("MUL (builtin code 18"), std::string::npos) << old_style;
  // A new model: builtin_code beyond 127 with the placeholder in the byte field.
  std::string new_style = AllocateFails(RawModel(1, false, 0, 127, BuiltinOperator::CUMSUM));
  EXPECT_NE(new_style.find("CUMSUM (builtin code 128"), std::string::npos) << new_style;
}

}  // namespace
}  // namespace ember::rt
