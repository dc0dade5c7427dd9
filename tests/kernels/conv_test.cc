// CONV_2D kernel tests.
// Golden data: the 3x3 float cases and the int8 case below are hand-computed (the
// arithmetic is in the comments). Randomized cases compare with the double-precision
// oracle of conv_oracle.h (TensorFlow's definition of the op), within 1 LSB for int8/int16
// and 1e-4 for float.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/conv_test_util.h"

namespace ember::kernels {
namespace {

using testing::ConvShape;
using testing::KernelRunner;
using testing::Output;
using testing::PerChannel;
using testing::QuantCase;
using testing::Tensor;

ConvShape Shape(int in_h, int in_w, int in_c, int fh, int fw, int out_c, int sh, int sw, int dh,
                int dw, bool same, int batches = 1) {
  ConvShape s;
  s.batches = batches;
  s.in_h = in_h;
  s.in_w = in_w;
  s.in_c = in_c;
  s.filter_h = fh;
  s.filter_w = fw;
  s.out_c = out_c;
  s.stride_h = sh;
  s.stride_w = sw;
  s.dilation_h = dh;
  s.dilation_w = dw;
  s.same = same;
  return s;
}

// Input 1..9 as 3x3; filter [[1, 0], [0, 1]]; bias 1.
const std::vector<float> kIn = {1, 2, 3, 4, 5, 6, 7, 8, 9};
const std::vector<float> kFilter = {1, 0, 0, 1};

TEST(Conv2d, FloatGoldenValid) {
  // out(y, x) = in(y, x) + in(y+1, x+1) + 1: {1+5, 2+6, 4+8, 5+9} + 1.
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<float>({1, 3, 3, 1}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const(),
                  Tensor<float>({1}, {1}).Const()},
                 {Output<float>({1, 2, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{7, 9, 13, 15}));
}

TEST(Conv2d, FloatGoldenSame) {
  // SAME, 2x2 filter: total padding 1, all of it after (bottom/right).
  const EmberConvParams p{kEmberPaddingSame, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<float>({1, 3, 3, 1}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const(),
                  Tensor<float>({1}, {1}).Const()},
                 {Output<float>({1, 3, 3, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{7, 9, 4, 13, 15, 7, 8, 9, 10}));
}

TEST(Conv2d, FloatGoldenStride2Relu6) {
  // SAME stride 2 on 3x3: out 2x2, total padding (2-1)*2+2-3 = 1 after. Taps
  // (0,0): 1+5; (0,2): 3+0; (2,0): 7+0; (2,2): 9. Minus 5 as bias -> {1, -2, 2, 4},
  // RELU6 -> {1, 0, 2, 4}.
  const EmberConvParams p{kEmberPaddingSame, 2, 2, 1, 1, kEmberActRelu6};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<float>({1, 3, 3, 1}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const(),
                  Tensor<float>({1}, {-5}).Const()},
                 {Output<float>({1, 2, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{1, 0, 2, 4}));
}

TEST(Conv2d, Int8GoldenPerChannel) {
  // 1x1 conv, 2 input channels, 2 output channels. Input scale 0.5 zp 1: q {3, -1}
  // -> real {1, -1}. Filter ch0 scale 0.5: {2, 4} -> {1, 2}; ch1 scale 0.25: {4, -4}
  // -> {1, -1}. Bias ch0 {2} (scale .25) -> 0.5, ch1 {0}. Output scale 0.5 zp -2.
  // Real: ch0 = 1 - 2 + 0.5 = -0.5 -> -1 - 2 = -3; ch1 = 1 + 1 = 2 -> 4 - 2 = 2.
  // Integer: acc0 = 2*(3-1) + 4*(-1-1) + 2 = -2, M0 = 0.5*0.5/0.5 = 0.5 -> -1
  //          out0 = -1 - 2 = -3.
  //          acc1 = 4*2 + -4*-2 + 0 = 16, M1 = 0.25 -> 4, out1 = 4 - 2 = 2.
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<int8_t>({1, 1, 1, 2}, {3, -1}, 0.5f, 1),
                  PerChannel<int8_t>({2, 1, 1, 2}, {2, 4, 4, -4}, {0.5f, 0.25f}, {0, 0}, 0)
                      .Const(),
                  PerChannel<int32_t>({2}, {2, 0}, {0.25f, 0.125f}, {0, 0}, 0).Const()},
                 {Output<int8_t>({1, 1, 1, 2}, 0.5f, -2)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{-3, 2}));
}

TEST(Conv2d, Int8RandomSameStride1) {
  testing::RunQuantizedConv<int8_t, int32_t>(11, Shape(7, 6, 3, 3, 3, 4, 1, 1, 1, 1, true),
                                             QuantCase{});
}
TEST(Conv2d, Int8RandomValidStride2) {
  QuantCase q;
  q.in_zp = -128;
  q.out_zp = 5;
  testing::RunQuantizedConv<int8_t, int32_t>(12, Shape(9, 8, 2, 3, 2, 5, 2, 2, 1, 1, false, 2),
                                             q);
}
TEST(Conv2d, Int8RandomDilationSame) {
  QuantCase q;
  q.in_zp = 127;
  q.out_zp = -128;
  q.act = kEmberActRelu;
  testing::RunQuantizedConv<int8_t, int32_t>(13, Shape(8, 9, 3, 3, 3, 3, 1, 2, 2, 3, true), q);
}
TEST(Conv2d, Int8RandomDilationValidRelu6) {
  QuantCase q;
  q.act = kEmberActRelu6;
  q.out_scale = 0.03f;
  q.out_zp = -100;
  testing::RunQuantizedConv<int8_t, int32_t>(14, Shape(10, 7, 2, 2, 3, 4, 1, 1, 3, 2, false), q);
}
TEST(Conv2d, Int8MultiplierAboveOneSaturates) {
  // M = 0.05 * ~0.01 / 0.0002 ~ 2.5: left-shift path; most outputs saturate.
  QuantCase q;
  q.out_scale = 0.0002f;
  q.per_channel = false;
  testing::RunQuantizedConv<int8_t, int32_t>(15, Shape(4, 4, 2, 2, 2, 2, 1, 1, 1, 1, true), q);
}
TEST(Conv2d, Int8TinyMultiplier) {
  // M ~ 1e-6: outputs collapse to the zero point.
  QuantCase q;
  q.in_scale = 0.0001f;
  q.out_scale = 1000.0f;
  q.out_zp = 7;
  testing::RunQuantizedConv<int8_t, int32_t>(16, Shape(3, 3, 2, 2, 2, 2, 1, 1, 1, 1, true), q);
}
TEST(Conv2d, Int8ReluN1To1) {
  QuantCase q;
  q.act = kEmberActReluN1To1;
  q.out_scale = 0.01f;
  testing::RunQuantizedConv<int8_t, int32_t>(17, Shape(5, 5, 3, 3, 3, 2, 2, 1, 1, 1, true), q);
}
TEST(Conv2d, Int16x8Random) {
  QuantCase q;
  q.in_scale = 0.0005f;
  q.out_scale = 0.002f;
  q.bias_range = 100000;
  testing::RunQuantizedConv<int16_t, int64_t>(18, Shape(6, 5, 3, 3, 3, 4, 2, 1, 1, 2, true), q);
  q.act = kEmberActRelu;
  testing::RunQuantizedConv<int16_t, int64_t>(19, Shape(6, 5, 2, 2, 2, 3, 1, 1, 1, 1, false), q);
}
TEST(Conv2d, FloatRandom) {
  testing::RunFloatConv(21, Shape(7, 7, 3, 3, 3, 4, 2, 2, 1, 1, true), kEmberActNone);
  testing::RunFloatConv(22, Shape(8, 6, 2, 3, 2, 3, 1, 1, 2, 2, false, 2), kEmberActRelu);
}
TEST(Conv2d, FloatGroupedConv) {
  ConvShape s = Shape(5, 5, 4, 3, 3, 6, 1, 1, 1, 1, true);
  s.groups = 2;
  testing::RunFloatConv(23, s, kEmberActNone);
}

TEST(Conv2d, RejectsWrongOutputShape) {
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<float>({1, 3, 3, 1}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const()},
                 {Output<float>({1, 3, 3, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("does not match the computed [1, 2, 2, 1]")) << r.errors();
}
TEST(Conv2d, RejectsFilterLargerThanInputValid) {
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 3, 3, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<float>({1, 3, 3, 1}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const()},
                 {Output<float>({1, 1, 1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("larger than the 3x3 input")) << r.errors();
}
TEST(Conv2d, RejectsNonZeroFilterZeroPointAndBadBias) {
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<int8_t>({1, 1, 1, 1}, {1}, 0.5f, 0),
                  Tensor<int8_t>({1, 1, 1, 1}, {1}, 0.5f, 3).Const()},
                 {Output<int8_t>({1, 1, 1, 1}, 0.5f, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("filter zero point must be 0")) << r.errors();
  KernelRunner r2(RegisterConv2d(), &p,
                  {Tensor<int8_t>({1, 1, 1, 1}, {1}, 0.5f, 0),
                   Tensor<int8_t>({1, 1, 1, 1}, {1}, 0.5f, 0).Const(),
                   Tensor<float>({1}, {1.f}).Const()},
                  {Output<int8_t>({1, 1, 1, 1}, 0.5f, 0)});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("INT8 input needs a INT32 bias, got FLOAT32")) << r2.errors();
}
TEST(Conv2d, RejectsUnsupportedTypeAndRank) {
  const EmberConvParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterConv2d(), &p,
                 {Tensor<int32_t>({1, 1, 1, 1}, {1}), Tensor<int32_t>({1, 1, 1, 1}, {1}).Const()},
                 {Output<int32_t>({1, 1, 1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("unsupported input type INT32")) << r.errors();
  KernelRunner r2(RegisterConv2d(), &p,
                  {Tensor<float>({3, 3}, kIn), Tensor<float>({1, 2, 2, 1}, kFilter).Const()},
                  {Output<float>({1, 2, 2, 1})});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("must be 4-D")) << r2.errors();
}

}  // namespace
}  // namespace ember::kernels
