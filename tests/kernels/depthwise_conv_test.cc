// DEPTHWISE_CONV_2D kernel tests.
// Golden data: the float and int8 cases below are hand-computed (arithmetic in the
// comments). Randomized cases compare with the double-precision oracle of conv_oracle.h
// (TensorFlow's definition of the op), within 1 LSB for int8/int16 and 1e-4 for float.
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

ConvShape Shape(int in_h, int in_w, int in_c, int fh, int fw, int dm, int sh, int sw, int dh,
                int dw, bool same, int batches = 1) {
  ConvShape s;
  s.depthwise = true;
  s.batches = batches;
  s.in_h = in_h;
  s.in_w = in_w;
  s.in_c = in_c;
  s.filter_h = fh;
  s.filter_w = fw;
  s.out_c = in_c * dm;
  s.stride_h = sh;
  s.stride_w = sw;
  s.dilation_h = dh;
  s.dilation_w = dw;
  s.same = same;
  return s;
}

TEST(DepthwiseConv2d, FloatGoldenDepthMultiplier2) {
  // Input 2x2x1 {1, 2, 3, 4}; 2x2 filter, 2 outputs per channel:
  //   out ch0 weights {1, 1, 1, 1} -> 10; ch1 {1, -1, 0, 2} -> 1 - 2 + 8 = 7. Bias {0, 1}.
  const EmberDepthwiseConvParams p{kEmberPaddingValid, 1, 1, 1, 1, 2, kEmberActNone};
  KernelRunner r(RegisterDepthwiseConv2d(), &p,
                 {Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4}),
                  Tensor<float>({1, 2, 2, 2}, {1, 1, 1, -1, 1, 0, 1, 2}).Const(),
                  Tensor<float>({2}, {0, 1}).Const()},
                 {Output<float>({1, 1, 1, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{10, 8}));
}

TEST(DepthwiseConv2d, FloatGoldenTwoChannelsSame) {
  // 1x3 input with 2 channels {(1,10), (2,20), (3,30)}, 1x3 filter per channel
  // ch0 {1, 1, 1}, ch1 {0, 1, 0}; SAME pads one column each side.
  //   ch0: {0+1+2, 1+2+3, 2+3+0} = {3, 6, 5}; ch1: {10, 20, 30}.
  const EmberDepthwiseConvParams p{kEmberPaddingSame, 1, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterDepthwiseConv2d(), &p,
                 {Tensor<float>({1, 1, 3, 2}, {1, 10, 2, 20, 3, 30}),
                  Tensor<float>({1, 1, 3, 2}, {1, 0, 1, 1, 1, 0}).Const()},
                 {Output<float>({1, 1, 3, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{3, 10, 6, 20, 5, 30}));
}

TEST(DepthwiseConv2d, Int8GoldenPerChannel) {
  // 1x1 depthwise, 2 channels. Input scale 1 zp -128: q {-126, -118} -> {2, 10}.
  // Filter scales {0.5, 0.125}: q {6, -16} -> {3, -2}. Bias {0, 80} (scale 1, .125 -> 10).
  // Output scale 2 zp 0: ch0 2*3 = 6 -> 3; ch1 10*-2 + 10 = -10 -> -5.
  // Integer: acc0 = 6*2 = 12, M0 = 0.25 -> 3; acc1 = -16*10 + 80 = -80, M1 = 1/16 -> -5.
  const EmberDepthwiseConvParams p{kEmberPaddingValid, 1, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterDepthwiseConv2d(), &p,
                 {Tensor<int8_t>({1, 1, 1, 2}, {-126, -118}, 1.0f, -128),
                  PerChannel<int8_t>({1, 1, 1, 2}, {6, -16}, {0.5f, 0.125f}, {0, 0}, 3).Const(),
                  PerChannel<int32_t>({2}, {0, 80}, {0.5f, 0.125f}, {0, 0}, 0).Const()},
                 {Output<int8_t>({1, 1, 1, 2}, 2.0f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{3, -5}));
}

TEST(DepthwiseConv2d, Int8RandomSame3x3Stride1) {
  testing::RunQuantizedConv<int8_t, int32_t>(31, Shape(8, 8, 4, 3, 3, 1, 1, 1, 1, 1, true),
                                             QuantCase{});
}
TEST(DepthwiseConv2d, Int8RandomStride2Valid) {
  QuantCase q;
  q.in_zp = -128;
  q.out_zp = -128;
  q.act = kEmberActRelu6;
  q.out_scale = 0.03f;
  testing::RunQuantizedConv<int8_t, int32_t>(32, Shape(9, 7, 3, 3, 3, 1, 2, 2, 1, 1, false, 2),
                                             q);
}
TEST(DepthwiseConv2d, Int8RandomDepthMultiplier3Dilation) {
  QuantCase q;
  q.in_zp = 127;
  q.out_zp = 20;
  testing::RunQuantizedConv<int8_t, int32_t>(33, Shape(7, 9, 2, 3, 2, 3, 1, 2, 2, 3, true), q);
}
TEST(DepthwiseConv2d, Int8MultiplierAboveOne) {
  QuantCase q;
  q.out_scale = 0.0003f;
  testing::RunQuantizedConv<int8_t, int32_t>(34, Shape(4, 4, 3, 2, 2, 2, 1, 1, 1, 1, true), q);
}
TEST(DepthwiseConv2d, Int8PerTensorFilterRelu) {
  QuantCase q;
  q.per_channel = false;
  q.act = kEmberActRelu;
  testing::RunQuantizedConv<int8_t, int32_t>(35, Shape(6, 6, 5, 3, 3, 1, 1, 1, 1, 1, true), q);
}
TEST(DepthwiseConv2d, Int16x8Random) {
  QuantCase q;
  q.in_scale = 0.0005f;
  q.out_scale = 0.001f;
  q.bias_range = 50000;
  testing::RunQuantizedConv<int16_t, int64_t>(36, Shape(6, 5, 3, 3, 3, 2, 2, 1, 1, 1, true), q);
  q.act = kEmberActRelu6;
  q.out_scale = 0.0003f;
  testing::RunQuantizedConv<int16_t, int64_t>(37, Shape(7, 6, 2, 2, 3, 1, 1, 1, 2, 1, false), q);
}
TEST(DepthwiseConv2d, FloatRandom) {
  testing::RunFloatConv(38, Shape(7, 7, 3, 3, 3, 2, 2, 2, 1, 1, true), kEmberActNone);
  testing::RunFloatConv(39, Shape(9, 8, 2, 3, 3, 1, 1, 1, 2, 2, false, 2), kEmberActRelu6);
}

TEST(DepthwiseConv2d, RejectsBadFilterAndMultiplier) {
  const EmberDepthwiseConvParams p{kEmberPaddingValid, 1, 1, 1, 1, 2, kEmberActNone};
  KernelRunner r(RegisterDepthwiseConv2d(), &p,
                 {Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4}),
                  Tensor<float>({2, 2, 2, 1}, {1, 1, 1, 1, 1, 1, 1, 1}).Const()},
                 {Output<float>({1, 1, 1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("filter must be [1, H, W, 1]")) << r.errors();
  const EmberDepthwiseConvParams p3{kEmberPaddingValid, 1, 1, 1, 1, 3, kEmberActNone};
  KernelRunner r2(RegisterDepthwiseConv2d(), &p3,
                  {Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4}),
                   Tensor<float>({1, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1, 1}).Const()},
                  {Output<float>({1, 1, 1, 2})});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("depth_multiplier option 3 does not match the shapes (2)"))
      << r2.errors();
}
TEST(DepthwiseConv2d, RejectsPerChannelOnWrongDimension) {
  const EmberDepthwiseConvParams p{kEmberPaddingValid, 1, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterDepthwiseConv2d(), &p,
                 {Tensor<int8_t>({1, 1, 1, 2}, {1, 2}, 0.5f, 0),
                  PerChannel<int8_t>({1, 1, 1, 2}, {1, 2}, {0.5f, 0.25f}, {0, 0}, 0).Const()},
                 {Output<int8_t>({1, 1, 1, 2}, 0.5f, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("per output channel along dimension 3")) << r.errors();
}

}  // namespace
}  // namespace ember::kernels
