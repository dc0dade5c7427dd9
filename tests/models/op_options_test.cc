// Every options struct of runtime/builtin_params.h is written into the right
// BuiltinOptions table with every field; options given to the wrong op, bad enum
// values and index errors are rejected by Build() with a message; set_strict(false)
// still writes such a model (for reader tests).
#include <gtest/gtest.h>

#include "models/model_builder.h"

namespace ember::models {
namespace {

// Builds a one-op model (tensor shapes do not matter for the options) and returns
// its operator, or nullptr with the Build() error in *error.
class OneOp {
 public:
  OneOp(BuiltinOperator op, const OpOptions& options, bool strict = true) {
    ModelBuilder b;
    b.set_strict(strict);
    const int x = b.AddTensor("x", TensorType::FLOAT32, {1, 4, 4, 1});
    const int y = b.AddTensor("y", TensorType::FLOAT32, {1, 4, 4, 1});
    b.AddOperator(op, {x}, {y}, options);
    b.SetInputs({x});
    b.SetOutputs({y});
    Status s = b.Build(&bytes_);
    error_ = s.message();
    if (!s.ok()) return;
    flatbuffers::Verifier verifier(bytes_.data(), bytes_.size());
    if (schema::VerifyModelBuffer(verifier)) {
      op_ = schema::GetModel(bytes_.data())->subgraphs()->Get(0)->operators()->Get(0);
    }
  }
  const schema::Operator* op() const { return op_; }
  const std::string& error() const { return error_; }

 private:
  std::vector<uint8_t> bytes_;
  const schema::Operator* op_ = nullptr;
  std::string error_;
};

using schema::ActivationFunctionType;
using schema::Padding;

TEST(OpOptionsTest, ConvAndDepthwise) {
  OneOp conv(BuiltinOperator::CONV_2D,
             Conv2dOptions(kEmberPaddingValid, 2, 3, kEmberActRelu6, 4, 5));
  ASSERT_NE(conv.op(), nullptr) << conv.error();
  const auto* c = conv.op()->builtin_options_as_Conv2DOptions();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->padding(), Padding::VALID);
  EXPECT_EQ(c->stride_w(), 2);
  EXPECT_EQ(c->stride_h(), 3);
  EXPECT_EQ(c->dilation_w_factor(), 4);
  EXPECT_EQ(c->dilation_h_factor(), 5);
  EXPECT_EQ(c->fused_activation_function(), ActivationFunctionType::RELU6);

  OneOp dw(BuiltinOperator::DEPTHWISE_CONV_2D,
           DepthwiseConv2dOptions(kEmberPaddingSame, 1, 2, 3, kEmberActTanh, 2, 1));
  ASSERT_NE(dw.op(), nullptr) << dw.error();
  const auto* d = dw.op()->builtin_options_as_DepthwiseConv2DOptions();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->padding(), Padding::SAME);
  EXPECT_EQ(d->stride_h(), 2);
  EXPECT_EQ(d->depth_multiplier(), 3);
  EXPECT_EQ(d->dilation_w_factor(), 2);
  EXPECT_EQ(d->fused_activation_function(), ActivationFunctionType::TANH);
}

TEST(OpOptionsTest, PoolFullyConnectedSoftmaxSvdf) {
  for (BuiltinOperator op : {BuiltinOperator::AVERAGE_POOL_2D, BuiltinOperator::MAX_POOL_2D}) {
    OneOp pool(op, Pool2dOptions(kEmberPaddingValid, 2, 2, 3, 4, kEmberActRelu));
    ASSERT_NE(pool.op(), nullptr) << pool.error();
    const auto* p = pool.op()->builtin_options_as_Pool2DOptions();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->filter_width(), 3);
    EXPECT_EQ(p->filter_height(), 4);
    EXPECT_EQ(p->fused_activation_function(), ActivationFunctionType::RELU);
  }
  OneOp fc(BuiltinOperator::FULLY_CONNECTED, FullyConnectedOptions(kEmberActReluN1To1, true));
  ASSERT_NE(fc.op(), nullptr) << fc.error();
  EXPECT_TRUE(fc.op()->builtin_options_as_FullyConnectedOptions()->keep_num_dims());
  EXPECT_EQ(fc.op()->builtin_options_as_FullyConnectedOptions()->fused_activation_function(),
            ActivationFunctionType::RELU_N1_TO_1);
  OneOp sm(BuiltinOperator::SOFTMAX, SoftmaxOptions(0.5f));
  ASSERT_NE(sm.op(), nullptr) << sm.error();
  EXPECT_FLOAT_EQ(sm.op()->builtin_options_as_SoftmaxOptions()->beta(), 0.5f);
  OneOp svdf(BuiltinOperator::SVDF, SvdfOptions(2, kEmberActRelu));
  ASSERT_NE(svdf.op(), nullptr) << svdf.error();
  EXPECT_EQ(svdf.op()->builtin_options_as_SVDFOptions()->rank(), 2);
}

TEST(OpOptionsTest, ElementwiseAndShapeOps) {
  OneOp cat(BuiltinOperator::CONCATENATION, ConcatenationOptions(-1, kEmberActRelu));
  ASSERT_NE(cat.op(), nullptr) << cat.error();
  EXPECT_EQ(cat.op()->builtin_options_as_ConcatenationOptions()->axis(), -1);
  OneOp add(BuiltinOperator::ADD, AddSubOptions(kEmberActRelu6, false));
  ASSERT_NE(add.op(), nullptr) << add.error();
  EXPECT_FALSE(add.op()->builtin_options_as_AddOptions()->pot_scale_int16());
  OneOp sub(BuiltinOperator::SUB, AddSubOptions(kEmberActRelu));
  ASSERT_NE(sub.op(), nullptr) << sub.error();
  ASSERT_NE(sub.op()->builtin_options_as_SubOptions(), nullptr);  // SubOptions, not AddOptions
  EXPECT_TRUE(sub.op()->builtin_options_as_SubOptions()->pot_scale_int16());
  OneOp mul(BuiltinOperator::MUL, MulOptions(kEmberActRelu));
  ASSERT_NE(mul.op(), nullptr) << mul.error();
  EXPECT_EQ(mul.op()->builtin_options_as_MulOptions()->fused_activation_function(),
            ActivationFunctionType::RELU);
  OneOp reshape(BuiltinOperator::RESHAPE, ReshapeOptions({1, -1, 4}));
  ASSERT_NE(reshape.op(), nullptr) << reshape.error();
  const auto* shape = reshape.op()->builtin_options_as_ReshapeOptions()->new_shape();
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(std::vector<int32_t>(shape->begin(), shape->end()), std::vector<int32_t>({1, -1, 4}));
  OneOp mean(BuiltinOperator::MEAN, ReducerOptions(true));
  ASSERT_NE(mean.op(), nullptr) << mean.error();
  EXPECT_TRUE(mean.op()->builtin_options_as_ReducerOptions()->keep_dims());
  OneOp slice(BuiltinOperator::STRIDED_SLICE, StridedSliceOptions(1, 2, 4, 8, 16, true));
  ASSERT_NE(slice.op(), nullptr) << slice.error();
  const auto* ss = slice.op()->builtin_options_as_StridedSliceOptions();
  EXPECT_EQ(ss->begin_mask(), 1);
  EXPECT_EQ(ss->end_mask(), 2);
  EXPECT_EQ(ss->ellipsis_mask(), 4);
  EXPECT_EQ(ss->new_axis_mask(), 8);
  EXPECT_EQ(ss->shrink_axis_mask(), 16);
  EXPECT_TRUE(ss->offset());
  OneOp tconv(BuiltinOperator::TRANSPOSE_CONV,
              TransposeConvOptions(kEmberPaddingValid, 2, 2, kEmberActRelu));
  ASSERT_NE(tconv.op(), nullptr) << tconv.error();
  EXPECT_EQ(tconv.op()->builtin_options_as_TransposeConvOptions()->padding(), Padding::VALID);
  OneOp leaky(BuiltinOperator::LEAKY_RELU, LeakyReluOptions(0.125f));
  ASSERT_NE(leaky.op(), nullptr) << leaky.error();
  EXPECT_FLOAT_EQ(leaky.op()->builtin_options_as_LeakyReluOptions()->alpha(), 0.125f);
  OneOp quantize(BuiltinOperator::QUANTIZE, std::monostate{});
  ASSERT_NE(quantize.op(), nullptr) << quantize.error();
  EXPECT_EQ(quantize.op()->builtin_options_type(), schema::BuiltinOptions::NONE);
}

TEST(OpOptionsTest, WrongOptionsForOpAreRejected) {
  OneOp bad(BuiltinOperator::ADD, Conv2dOptions(kEmberPaddingSame, 1, 1));
  EXPECT_EQ(bad.op(), nullptr);
  EXPECT_NE(bad.error().find("Conv2D options given to op ADD"), std::string::npos) << bad.error();
  // Option structs are checked even when validation is off: nothing sensible to write.
  OneOp lax(BuiltinOperator::MUL, SoftmaxOptions(), /*strict=*/false);
  EXPECT_EQ(lax.op(), nullptr);
}

TEST(OpOptionsTest, InvalidEnumsAndReshapeRankAreRejected) {
  // 7 is representable in EmberActivation (values 0..5 need 3 bits) but names no
  // activation. (Out-of-range values cannot be made without undefined behaviour, and
  // EmberPadding has no representable invalid value.)
  EmberConvParams p = Conv2dOptions(kEmberPaddingSame, 1, 1);
  p.activation = static_cast<EmberActivation>(7);
  OneOp act(BuiltinOperator::CONV_2D, p);
  EXPECT_NE(act.error().find("invalid fused activation value 7"), std::string::npos) << act.error();
  OneOp reshape(BuiltinOperator::RESHAPE, ReshapeOptions(std::vector<int32_t>(9, 1)));
  EXPECT_NE(reshape.error().find("at most 8"), std::string::npos) << reshape.error();
}

TEST(OpOptionsTest, IndexErrorsAreReportedAndNonStrictModeWritesAnyway) {
  ModelBuilder b;
  const int x = b.AddTensor("x", TensorType::INT8, {4});
  b.AddOperator(BuiltinOperator::RELU, {x}, {7});
  b.SetInputs({x});
  b.SetOutputs({x});
  std::vector<uint8_t> bytes;
  Status s = b.Build(&bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("operator 0 (RELU): output tensor index 7 out of range"),
            std::string::npos)
      << s.message();
  b.set_strict(false);
  ASSERT_TRUE(b.Build(&bytes).ok());
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  EXPECT_TRUE(schema::VerifyModelBuffer(verifier));  // structurally valid, semantically broken
}

TEST(OpOptionsTest, ConstantDataMustMatchShape) {
  ModelBuilder b;
  const int w = b.AddConstTensor("w", TensorType::INT16, {3}, Int16Data({1, 2}));
  b.SetOutputs({w});
  std::vector<uint8_t> bytes;
  Status s = b.Build(&bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("buffer holds 4 bytes, shape x element size needs 6"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace ember::models
