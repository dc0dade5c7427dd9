// Round trips through ModelBuilder: every model is checked with the flatbuffers
// Verifier of the generated schema header and read back field by field.
#include "models/model_builder.h"

#include <gtest/gtest.h>

#include <cstring>

#include "models/single_op_model.h"

namespace ember::models {
namespace {

const schema::Model* VerifiedModel(const std::vector<uint8_t>& bytes) {
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!schema::VerifyModelBuffer(verifier)) return nullptr;
  return schema::GetModel(bytes.data());
}

std::vector<int32_t> ToVector(const flatbuffers::Vector<int32_t>* v) {
  return v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>{};
}

TEST(ModelBuilderTest, FullyConnectedRoundTrip) {
  ModelBuilder b;
  const int in = b.AddTensor("in", TensorType::INT8, {1, 3}, Quantization::PerTensor(0.5f, -3));
  const int w = b.AddConstTensor("w", TensorType::INT8, {2, 3}, Int8Data({1, -2, 3, -4, 5, -6}),
                                 Quantization::PerChannel({0.25f, 0.125f}, 0));
  const int bias = b.AddConstTensor("bias", TensorType::INT32, {2}, Int32Data({100, -70000}),
                                    Quantization::PerChannel({0.125f, 0.0625f}, 0));
  const int out = b.AddTensor("out", TensorType::INT8, {1, 2}, Quantization::PerTensor(2.f, 5));
  EXPECT_EQ(b.AddOperator(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out},
                          FullyConnectedOptions(kEmberActRelu, true), 4),
            0);
  b.SetInputs({in});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(b.Build(&bytes).ok());

  const schema::Model* m = VerifiedModel(bytes);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(schema::ModelBufferHasIdentifier(bytes.data()));
  EXPECT_EQ(m->version(), 3u);
  ASSERT_EQ(m->buffers()->size(), 3u);
  EXPECT_EQ(m->buffers()->Get(0)->data(), nullptr);  // the empty sentinel
  ASSERT_EQ(m->subgraphs()->size(), 1u);
  const schema::SubGraph* sg = m->subgraphs()->Get(0);
  EXPECT_EQ(ToVector(sg->inputs()), std::vector<int32_t>({in}));
  EXPECT_EQ(ToVector(sg->outputs()), std::vector<int32_t>({out}));
  ASSERT_EQ(sg->tensors()->size(), 4u);

  const schema::Tensor* tin = sg->tensors()->Get(in);
  EXPECT_EQ(tin->name()->str(), "in");
  EXPECT_EQ(tin->type(), TensorType::INT8);
  EXPECT_EQ(ToVector(tin->shape()), std::vector<int32_t>({1, 3}));
  EXPECT_EQ(tin->buffer(), 0u);
  EXPECT_FLOAT_EQ(tin->quantization()->scale()->Get(0), 0.5f);
  EXPECT_EQ(tin->quantization()->zero_point()->Get(0), -3);

  const schema::Tensor* tb = sg->tensors()->Get(bias);
  const auto* bias_data = m->buffers()->Get(tb->buffer())->data();
  ASSERT_EQ(bias_data->size(), 8u);
  int32_t bias_values[2];
  std::memcpy(bias_values, bias_data->data(), 8);
  EXPECT_EQ(bias_values[0], 100);
  EXPECT_EQ(bias_values[1], -70000);

  const schema::Tensor* tw = sg->tensors()->Get(w);
  const auto* w_data = m->buffers()->Get(tw->buffer())->data();
  ASSERT_EQ(w_data->size(), 6u);
  EXPECT_EQ(static_cast<int8_t>(w_data->Get(1)), -2);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w_data->data()) % 16, 0u);

  ASSERT_EQ(sg->operators()->size(), 1u);
  const schema::Operator* op = sg->operators()->Get(0);
  EXPECT_EQ(ToVector(op->inputs()), std::vector<int32_t>({in, w, bias}));
  EXPECT_EQ(ToVector(op->outputs()), std::vector<int32_t>({out}));
  const schema::FullyConnectedOptions* fc = op->builtin_options_as_FullyConnectedOptions();
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->fused_activation_function(), schema::ActivationFunctionType::RELU);
  EXPECT_TRUE(fc->keep_num_dims());
  const schema::OperatorCode* code = m->operator_codes()->Get(op->opcode_index());
  EXPECT_EQ(code->builtin_code(), BuiltinOperator::FULLY_CONNECTED);
  EXPECT_EQ(code->deprecated_builtin_code(), 9);
  EXPECT_EQ(code->version(), 4);
}

TEST(ModelBuilderTest, BothOpCodeFieldsWritten) {
  // QUANTIZE (114) fits the deprecated byte; CUMSUM (128) does not: the deprecated
  // field then holds 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
  ModelBuilder b;
  const int a = b.AddTensor("a", TensorType::FLOAT32, {4});
  const int q = b.AddTensor("q", TensorType::INT8, {4}, Quantization::PerTensor(0.1f, 0));
  const int axis = b.AddConstTensor("axis", TensorType::INT32, {}, Int32Data({0}));
  const int c = b.AddTensor("c", TensorType::FLOAT32, {4});
  const int d = b.AddTensor("d", TensorType::FLOAT32, {4});
  b.AddOperator(BuiltinOperator::QUANTIZE, {a}, {q});
  b.AddOperator(BuiltinOperator::CUMSUM, {a, axis}, {c}, std::monostate{}, 1);
  b.AddOperator(BuiltinOperator::CUMSUM, {c, axis}, {d});  // same (op, version): shared code
  b.SetInputs({a});
  b.SetOutputs({q, d});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(b.Build(&bytes).ok());
  const schema::Model* m = VerifiedModel(bytes);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->operator_codes()->size(), 2u);
  EXPECT_EQ(m->operator_codes()->Get(0)->builtin_code(), BuiltinOperator::QUANTIZE);
  EXPECT_EQ(m->operator_codes()->Get(0)->deprecated_builtin_code(), 114);
  EXPECT_EQ(m->operator_codes()->Get(1)->builtin_code(), BuiltinOperator::CUMSUM);
  EXPECT_EQ(m->operator_codes()->Get(1)->deprecated_builtin_code(), 127);
  const auto* ops = m->subgraphs()->Get(0)->operators();
  EXPECT_EQ(ops->Get(1)->opcode_index(), ops->Get(2)->opcode_index());
  EXPECT_EQ(ops->Get(0)->builtin_options_type(), schema::BuiltinOptions::NONE);
}

TEST(ModelBuilderTest, PerChannelQuantizationReadBack) {
  ModelBuilder b;
  const std::vector<float> scales = {0.5f, 0.25f, 0.125f};
  const int w =
      b.AddConstTensor("w", TensorType::INT8, {1, 2, 2, 3}, Int8Data(std::vector<int8_t>(12, 7)),
                       Quantization::PerChannel(scales, 3, {0, 1, -1}));
  const int in = b.AddTensor("in", TensorType::INT8, {1, 2, 2, 3});
  const int out = b.AddTensor("out", TensorType::INT8, {1, 2, 2, 3});
  b.AddOperator(BuiltinOperator::ADD, {in, w}, {out}, AddSubOptions());
  b.SetInputs({in});
  b.SetOutputs({out});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(b.Build(&bytes).ok());
  const schema::Model* m = VerifiedModel(bytes);
  ASSERT_NE(m, nullptr);
  const schema::QuantizationParameters* q =
      m->subgraphs()->Get(0)->tensors()->Get(w)->quantization();
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->quantized_dimension(), 3);
  ASSERT_EQ(q->scale()->size(), 3u);
  ASSERT_EQ(q->zero_point()->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(q->scale()->Get(i), scales[i]);
  EXPECT_EQ(q->zero_point()->Get(2), -1);
}

TEST(ModelBuilderTest, PerChannelScaleCountMustMatchDimension) {
  ModelBuilder b;
  const int w = b.AddConstTensor("w", TensorType::INT8, {2, 3}, Int8Data(std::vector<int8_t>(6)),
                                 Quantization::PerChannel({1.f, 1.f, 1.f}, 0));
  b.SetOutputs({w});
  std::vector<uint8_t> bytes;
  Status s = b.Build(&bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("3 per-channel scales for dimension 0 of size 2"), std::string::npos)
      << s.message();
  EXPECT_TRUE(bytes.empty());
}

TEST(ModelBuilderTest, MetadataAndOfflineAllocation) {
  SingleOpModelSpec spec;
  spec.op = BuiltinOperator::RELU;
  spec.inputs = {TensorDesc::Activation("x", TensorType::FLOAT32, {2, 2})};
  spec.outputs = {TensorDesc::Activation("y", TensorType::FLOAT32, {2, 2})};
  spec.offline_offsets = {0, -1};
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(BuildSingleOpModel(spec, &bytes).ok());
  const schema::Model* m = VerifiedModel(bytes);
  ASSERT_NE(m, nullptr);
  ASSERT_NE(m->metadata(), nullptr);
  ASSERT_EQ(m->metadata()->size(), 1u);
  const schema::Metadata* md = m->metadata()->Get(0);
  EXPECT_EQ(md->name()->str(), "OfflineMemoryAllocation");
  const auto* data = m->buffers()->Get(md->buffer())->data();
  ASSERT_EQ(data->size(), 5u * 4u);
  int32_t words[5];
  std::memcpy(words, data->data(), sizeof(words));
  EXPECT_EQ(words[0], 0);  // version
  EXPECT_EQ(words[1], 0);  // subgraph
  EXPECT_EQ(words[2], 2);  // number of tensors
  EXPECT_EQ(words[3], 0);
  EXPECT_EQ(words[4], -1);
}

TEST(ModelBuilderTest, OfflineAllocationNeedsOneOffsetPerTensor) {
  SingleOpModelSpec spec;
  spec.op = BuiltinOperator::RELU;
  spec.inputs = {TensorDesc::Activation("x", TensorType::FLOAT32, {2})};
  spec.outputs = {TensorDesc::Activation("y", TensorType::FLOAT32, {2})};
  spec.offline_offsets = {0, 16, 32};
  std::vector<uint8_t> bytes;
  Status s = BuildSingleOpModel(spec, &bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("3 offsets for 2 tensors"), std::string::npos) << s.message();
}

TEST(ModelBuilderTest, ArbitraryMetadata) {
  ModelBuilder b;
  const int x = b.AddTensor("x", TensorType::FLOAT32, {1});
  const int y = b.AddTensor("y", TensorType::FLOAT32, {1});
  b.AddOperator(BuiltinOperator::TANH, {x}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  b.AddMetadata("min_runtime_version", {'1', '.', '0', 0});
  b.set_description("described");
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(b.Build(&bytes).ok());
  const schema::Model* m = VerifiedModel(bytes);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->description()->str(), "described");
  const schema::Metadata* md = m->metadata()->Get(0);
  EXPECT_EQ(md->name()->str(), "min_runtime_version");
  EXPECT_STREQ(reinterpret_cast<const char*>(m->buffers()->Get(md->buffer())->data()->data()),
               "1.0");
}

TEST(ModelBuilderTest, TypedDataIsLittleEndian) {
  EXPECT_EQ(Int16Data({0x1234, -2}), std::vector<uint8_t>({0x34, 0x12, 0xfe, 0xff}));
  EXPECT_EQ(Int64Data({0x0102030405060708}), std::vector<uint8_t>({8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(FloatData({1.0f}), std::vector<uint8_t>({0, 0, 0x80, 0x3f}));
  EXPECT_EQ(Int8Data({-1, 2}), std::vector<uint8_t>({0xff, 2}));
}

}  // namespace
}  // namespace ember::models
