// The generated benchmark models: valid flatbuffers, deterministic, and (when the real
// models are present in EMBER_MODELS_DIR) op for op the same architecture as the real
// person_detect.tflite and keyword_scrambled.tflite: op codes, versions, options,
// tensor types, shapes, constness, variable flags, per-channel scale counts and
// activation zero points. Weight values are not compared (they are scrambled).
#include "models/benchmark_models.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "runtime/schema/ember_schema_generated.h"

namespace ember::models {
namespace {

using schema::BuiltinOperator;

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
}

const schema::Model* Verified(const std::vector<uint8_t>& bytes) {
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  return schema::VerifyModelBuffer(verifier) ? schema::GetModel(bytes.data()) : nullptr;
}

BuiltinOperator OpCode(const schema::OperatorCode* c) {
  // Older models only fill deprecated_builtin_code.
  return static_cast<BuiltinOperator>(
      std::max<int32_t>(static_cast<int32_t>(c->builtin_code()), c->deprecated_builtin_code()));
}

std::string TensorSignature(const schema::Model* m, const schema::SubGraph* sg, int32_t index) {
  if (index < 0) return "[none]";
  const schema::Tensor* t = sg->tensors()->Get(index);
  std::ostringstream s;
  s << "[" << schema::EnumNameTensorType(t->type());
  for (int32_t d : *t->shape()) s << " " << d;
  const auto* data = m->buffers()->Get(t->buffer())->data();
  const bool constant = data != nullptr && data->size() > 0;
  if (constant) s << " const";
  if (t->is_variable()) s << " var";
  if (const schema::QuantizationParameters* q = t->quantization()) {
    if (q->scale() && q->scale()->size() > 1) s << " per-channel " << q->scale()->size();
    if (!constant && q->zero_point() && q->zero_point()->size() == 1) {
      s << " zp " << q->zero_point()->Get(0);
    }
  }
  return s.str() + "]";
}

std::string OptionsSignature(const schema::Operator* op) {
  std::ostringstream s;
  if (auto* o = op->builtin_options_as_Conv2DOptions()) {
    s << schema::EnumNamePadding(o->padding()) << " " << o->stride_w() << "x" << o->stride_h()
      << " " << schema::EnumNameActivationFunctionType(o->fused_activation_function());
  } else if (auto* o = op->builtin_options_as_DepthwiseConv2DOptions()) {
    s << schema::EnumNamePadding(o->padding()) << " " << o->stride_w() << "x" << o->stride_h()
      << " dm " << o->depth_multiplier() << " "
      << schema::EnumNameActivationFunctionType(o->fused_activation_function());
  } else if (auto* o = op->builtin_options_as_Pool2DOptions()) {
    s << schema::EnumNamePadding(o->padding()) << " " << o->stride_w() << "x" << o->stride_h()
      << " f " << o->filter_width() << "x" << o->filter_height();
  } else if (auto* o = op->builtin_options_as_SVDFOptions()) {
    s << "rank " << o->rank() << " "
      << schema::EnumNameActivationFunctionType(o->fused_activation_function());
  } else if (auto* o = op->builtin_options_as_FullyConnectedOptions()) {
    s << schema::EnumNameActivationFunctionType(o->fused_activation_function())
      << (o->keep_num_dims() ? " keep" : "");
  } else if (auto* o = op->builtin_options_as_SoftmaxOptions()) {
    s << "beta " << o->beta();
  } else if (auto* o = op->builtin_options_as_ReshapeOptions()) {
    if (o->new_shape()) {
      for (int32_t d : *o->new_shape()) s << d << " ";
    }
  }
  return s.str();
}

// One line per operator: "<OP> v<version> in: ... out: ... {options}".
std::vector<std::string> Architecture(const std::vector<uint8_t>& bytes) {
  const schema::Model* m = Verified(bytes);
  EXPECT_NE(m, nullptr);
  if (m == nullptr) return {};
  const schema::SubGraph* sg = m->subgraphs()->Get(0);
  std::vector<std::string> lines;
  std::ostringstream io;
  io << "graph in:";
  for (int32_t i : *sg->inputs()) io << TensorSignature(m, sg, i);
  io << " out:";
  for (int32_t o : *sg->outputs()) io << TensorSignature(m, sg, o);
  lines.push_back(io.str());
  for (const schema::Operator* op : *sg->operators()) {
    const schema::OperatorCode* code = m->operator_codes()->Get(op->opcode_index());
    std::ostringstream s;
    s << schema::EnumNameBuiltinOperator(OpCode(code)) << " v" << code->version() << " in:";
    for (int32_t i : *op->inputs()) s << TensorSignature(m, sg, i);
    s << " out:";
    for (int32_t o : *op->outputs()) s << TensorSignature(m, sg, o);
    s << " {" << OptionsSignature(op) << "}";
    lines.push_back(s.str());
  }
  return lines;
}

std::vector<std::string> OpNames(const std::vector<uint8_t>& bytes) {
  std::vector<std::string> names;
  const schema::Model* m = Verified(bytes);
  if (m == nullptr) return names;
  for (const schema::Operator* op : *m->subgraphs()->Get(0)->operators()) {
    names.push_back(
        schema::EnumNameBuiltinOperator(OpCode(m->operator_codes()->Get(op->opcode_index()))));
  }
  return names;
}

int Count(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<int>(std::count(v.begin(), v.end(), x));
}

void ExpectSameArchitecture(const std::string& name, const std::string& real_file) {
  const std::string path = std::string(EMBER_MODELS_DIR) + "/" + real_file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found (EMBER_MODELS_DIR)";
  std::vector<uint8_t> generated;
  Status s = BuildBenchmarkModel(name, &generated);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::vector<std::string> ours = Architecture(generated);
  const std::vector<std::string> real = Architecture(ReadFile(path));
  ASSERT_EQ(ours.size(), real.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i], real[i]) << (i == 0 ? "graph" : "operator " + std::to_string(i - 1));
  }
}

TEST(BenchmarkModelsTest, VwwMatchesPersonDetectArchitecture) {
  ExpectSameArchitecture("vww", "person_detect.tflite");
}

TEST(BenchmarkModelsTest, HotwordMatchesKeywordScrambledArchitecture) {
  ExpectSameArchitecture("hotword", "keyword_scrambled.tflite");
}

TEST(BenchmarkModelsTest, OpCountsWithoutRealModels) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(BuildVwwModel(&bytes).ok());
  std::vector<std::string> ops = OpNames(bytes);
  EXPECT_EQ(ops.size(), 31u);
  EXPECT_EQ(Count(ops, "CONV_2D"), 14);
  EXPECT_EQ(Count(ops, "DEPTHWISE_CONV_2D"), 14);
  EXPECT_EQ(Count(ops, "AVERAGE_POOL_2D"), 1);
  EXPECT_EQ(ops.back(), "SOFTMAX");

  ASSERT_TRUE(BuildHotwordModel(&bytes).ok());
  ops = OpNames(bytes);
  EXPECT_EQ(ops.size(), 15u);
  EXPECT_EQ(Count(ops, "SVDF"), 7);
  EXPECT_EQ(Count(ops, "FULLY_CONNECTED"), 5);
  EXPECT_EQ(Count(ops, "QUANTIZE"), 2);

  ASSERT_TRUE(BuildConvRefModel(&bytes).ok());
  EXPECT_EQ(OpNames(bytes), std::vector<std::string>({"CONV_2D", "CONV_2D", "MAX_POOL_2D",
                                                      "FULLY_CONNECTED", "SOFTMAX"}));
  const std::vector<std::string> arch = Architecture(bytes);
  EXPECT_EQ(arch[0], "graph in:[INT8 1 28 28 1 zp -128] out:[INT8 1 10 zp -128]");
}

TEST(BenchmarkModelsTest, GenerationIsDeterministic) {
  for (const std::string& name : BenchmarkModelNames()) {
    std::vector<uint8_t> a, b;
    ASSERT_TRUE(BuildBenchmarkModel(name, &a).ok()) << name;
    ASSERT_TRUE(BuildBenchmarkModel(name, &b).ok()) << name;
    EXPECT_EQ(a, b) << name;
    EXPECT_NE(Verified(a), nullptr) << name;
  }
}

TEST(BenchmarkModelsTest, BuildTimeFilesAreCurrent) {
  // The files ember_generated_models wrote must equal what the library builds now.
  for (const std::string& name : BenchmarkModelNames()) {
    const std::string path =
        std::string(EMBER_BINARY_DIR) + "/models/generated/" + name + ".tflite";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not generated yet";
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(BuildBenchmarkModel(name, &bytes).ok());
    EXPECT_EQ(ReadFile(path), bytes) << path;
  }
}

TEST(BenchmarkModelsTest, WeightsAreNotTheRealOnes) {
  // Scrambled weights: no large constant buffer of the generated VWW model occurs in
  // the real file (checked for the 1 KiB+ buffers, which would be copied weights).
  const std::string path = std::string(EMBER_MODELS_DIR) + "/person_detect.tflite";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  const std::vector<uint8_t> real = ReadFile(path);
  std::vector<uint8_t> ours;
  ASSERT_TRUE(BuildVwwModel(&ours).ok());
  const schema::Model* m = Verified(ours);
  ASSERT_NE(m, nullptr);
  int checked = 0;
  for (const schema::Buffer* b : *m->buffers()) {
    if (b->data() == nullptr || b->data()->size() < 1024) continue;
    const uint8_t* p = b->data()->data();
    EXPECT_EQ(std::search(real.begin(), real.end(), p, p + 64), real.end());
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(BenchmarkModelsTest, UnknownNameIsAnError) {
  std::vector<uint8_t> bytes;
  Status s = BuildBenchmarkModel("resnet", &bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown benchmark model 'resnet'"), std::string::npos);
}

}  // namespace
}  // namespace ember::models
