// AVERAGE_POOL_2D and MAX_POOL_2D kernel tests.
// Golden data: the 4x4 cases are hand-computed (arithmetic in the comments). Randomized
// cases compare with a double-precision oracle in this file (window average / maximum
// over the in-image taps, TensorFlow's definition), exact for max pooling and within
// 1 LSB for quantized average pooling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::Tensor;
using testing::TestRng;

const std::vector<float> k4x4 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

TEST(AveragePool2d, FloatGoldenValid2x2Stride2) {
  // Windows {1,2,5,6} = 3.5, {3,4,7,8} = 5.5, {9,10,13,14} = 11.5, {11,12,15,16} = 13.5.
  const EmberPoolParams p{kEmberPaddingValid, 2, 2, 2, 2, kEmberActNone};
  KernelRunner r(RegisterAveragePool2d(), &p, {Tensor<float>({1, 4, 4, 1}, k4x4)},
                 {Output<float>({1, 2, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{3.5f, 5.5f, 11.5f, 13.5f}));
}

TEST(AveragePool2d, FloatGoldenSame3x3Stride2CountsOnlyInImageTaps) {
  // SAME 3x3 stride 2 on 4x4: out 2x2, total pad (2-1)*2+3-4 = 1 -> 0 before, 1 after.
  // (0,0): rows 0-2, cols 0-2 = mean{1,2,3,5,6,7,9,10,11} = 6;
  // (0,1): rows 0-2, cols 2-3 = mean{3,4,7,8,11,12} = 7.5;
  // (1,0): rows 2-3, cols 0-2 = mean{9,10,11,13,14,15} = 12; (1,1): {11,12,15,16} = 13.5.
  const EmberPoolParams p{kEmberPaddingSame, 2, 2, 3, 3, kEmberActNone};
  KernelRunner r(RegisterAveragePool2d(), &p, {Tensor<float>({1, 4, 4, 1}, k4x4)},
                 {Output<float>({1, 2, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{6.0f, 7.5f, 12.0f, 13.5f}));
}

TEST(AveragePool2d, Int8GoldenRounding) {
  // Sums: {1,2,5,6} = 14 / 4 = 3.5 -> 4; {-1,-2,-5,-6} = -14 -> -4 (half away from zero);
  // {1,1,1,2} = 5 / 4 = 1.25 -> 1; {-1,-1,-1,-2} -> -1.
  const EmberPoolParams p{kEmberPaddingValid, 2, 2, 2, 2, kEmberActNone};
  KernelRunner r(RegisterAveragePool2d(), &p,
                 {Tensor<int8_t>({1, 2, 8, 1}, {1, 2, -1, -2, 1, 1, -1, -1,
                                                5, 6, -5, -6, 1, 2, -1, -2}, 0.5f, 0)},
                 {Output<int8_t>({1, 1, 4, 1}, 0.5f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{4, -4, 1, -1}));
}

template <typename T>
void RandomPool(bool max_pool, uint64_t seed, int h, int w, int c, int fh, int fw, int sh, int sw,
                bool same, EmberActivation act, float scale, int zp) {
  TestRng rng(seed);
  const auto in = rng.Ints<T>(static_cast<size_t>(2 * h * w * c));
  const int oh = same ? (h + sh - 1) / sh : (h - fh + sh) / sh;
  const int ow = same ? (w + sw - 1) / sw : (w - fw + sw) / sw;
  const int ph = same ? std::max((oh - 1) * sh + fh - h, 0) / 2 : 0;
  const int pw = same ? std::max((ow - 1) * sw + fw - w, 0) / 2 : 0;
  const EmberPoolParams p{same ? kEmberPaddingSame : kEmberPaddingValid, sw, sh, fw, fh, act};
  KernelRunner r(max_pool ? RegisterMaxPool2d() : RegisterAveragePool2d(), &p,
                 {Tensor<T>({2, h, w, c}, in, scale, zp)}, {Output<T>({2, oh, ow, c}, scale, zp)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  double lo = -1e300, hi = 1e300;
  if (act == kEmberActRelu) lo = 0;
  if (act == kEmberActRelu6) { lo = 0; hi = 6; }
  std::vector<double> expected;
  for (int b = 0; b < 2; ++b)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int ch = 0; ch < c; ++ch) {
          double sum = 0, mx = -1e300;
          int n = 0;
          for (int fy = 0; fy < fh; ++fy)
            for (int fx = 0; fx < fw; ++fx) {
              const int iy = oy * sh - ph + fy, ix = ox * sw - pw + fx;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
              const double v = (in[static_cast<size_t>(((b * h + iy) * w + ix) * c + ch)] - zp) *
                               static_cast<double>(scale);
              sum += v;
              mx = std::max(mx, v);
              ++n;
            }
          const double v = max_pool ? mx : sum / n;
          expected.push_back(std::min(std::max(v, lo), hi));
        }
  testing::ExpectWithinLsb<T>(r.template Output<T>(), expected, scale, zp, max_pool ? 0 : 1);
}

TEST(AveragePool2d, Int8RandomSame) {
  RandomPool<int8_t>(false, 1, 7, 9, 3, 3, 3, 2, 2, true, kEmberActNone, 0.1f, -5);
}
TEST(AveragePool2d, Int8RandomValidRelu6) {
  RandomPool<int8_t>(false, 2, 8, 6, 2, 2, 3, 2, 1, false, kEmberActRelu6, 0.05f, -128);
}
TEST(AveragePool2d, Int16Random) {
  RandomPool<int16_t>(false, 3, 6, 6, 4, 3, 2, 1, 2, true, kEmberActRelu, 0.001f, 0);
}
TEST(MaxPool2d, Int8RandomSameRelu) {
  RandomPool<int8_t>(true, 4, 7, 9, 3, 3, 3, 2, 2, true, kEmberActRelu, 0.1f, 10);
}
TEST(MaxPool2d, Int8RandomValid) {
  RandomPool<int8_t>(true, 5, 8, 6, 2, 2, 2, 2, 2, false, kEmberActNone, 0.05f, 127);
}
TEST(MaxPool2d, Int16RandomRelu6) {
  RandomPool<int16_t>(true, 6, 6, 5, 3, 3, 3, 1, 1, true, kEmberActRelu6, 0.0004f, 0);
}

TEST(MaxPool2d, FloatGoldenSameRelu6) {
  // SAME 3x3 stride 2 on 4x4 (values - 8): maxima {11, 12, 15, 16} - 8 = {3, 4, 7, 8}
  // -> RELU6 {3, 4, 6, 6}.
  std::vector<float> in;
  for (float v : k4x4) in.push_back(v - 8);
  const EmberPoolParams p{kEmberPaddingSame, 2, 2, 3, 3, kEmberActRelu6};
  KernelRunner r(RegisterMaxPool2d(), &p, {Tensor<float>({1, 4, 4, 1}, in)},
                 {Output<float>({1, 2, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{3, 4, 6, 6}));
}

TEST(MaxPool2d, FloatAllNegativeStaysNegative) {
  const EmberPoolParams p{kEmberPaddingSame, 1, 1, 2, 2, kEmberActNone};
  KernelRunner r(RegisterMaxPool2d(), &p, {Tensor<float>({1, 1, 2, 1}, {-5, -3})},
                 {Output<float>({1, 1, 2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{-3, -3}));
}

TEST(Pooling, RejectsDifferentQuantization) {
  const EmberPoolParams p{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r(RegisterAveragePool2d(), &p, {Tensor<int8_t>({1, 1, 1, 1}, {1}, 0.5f, 0)},
                 {Output<int8_t>({1, 1, 1, 1}, 0.25f, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("AVERAGE_POOL_2D: input and output quantization must be equal"))
      << r.errors();
}
TEST(Pooling, RejectsBadShapesAndTypes) {
  const EmberPoolParams p{kEmberPaddingValid, 1, 1, 3, 3, kEmberActNone};
  KernelRunner r(RegisterMaxPool2d(), &p, {Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4})},
                 {Output<float>({1, 1, 1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("MAX_POOL_2D: filter 3x3 larger than the 2x2 input")) << r.errors();
  const EmberPoolParams p1{kEmberPaddingValid, 1, 1, 1, 1, kEmberActNone};
  KernelRunner r2(RegisterMaxPool2d(), &p1, {Tensor<int32_t>({1, 1, 1, 1}, {1})},
                  {Output<int32_t>({1, 1, 1, 1})});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("unsupported input type INT32")) << r2.errors();
  KernelRunner r3(RegisterMaxPool2d(), &p1, {Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4})},
                  {Output<float>({1, 2, 1, 1})});
  EXPECT_EQ(r3.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r3.HasError("does not match the computed [1, 2, 2, 1]")) << r3.errors();
}

}  // namespace
}  // namespace ember::kernels
