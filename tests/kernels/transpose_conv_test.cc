// TRANSPOSE_CONV kernel tests. The float golden case is hand-computed (each input value
// stamps a 3x3 block of ones at stride 2; the sums are drawn in the comment). Random
// cases compare with a double-precision "gather" oracle written here (each output sums
// the input/filter pairs that map onto it), within 1 LSB for quantized types.
#include <algorithm>
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

struct Geometry {
  int n, h, w, ci, co, fh, fw, sh, sw, oh, ow;
  EmberPadding padding;
};

int PadBefore(int out, int stride, int filter, EmberPadding p) {
  // Conv padding computed on the output size (as the op defines it).
  const int conv_out = p == kEmberPaddingSame ? (out + stride - 1) / stride
                                              : (out - filter + stride) / stride;
  const int total = std::max(0, (conv_out - 1) * stride + filter - out);
  return total / 2;
}

std::vector<double> Oracle(const Geometry& g, const std::vector<double>& in,
                           const std::vector<double>& f, const std::vector<double>& bias) {
  const int ph = PadBefore(g.oh, g.sh, g.fh, g.padding);
  const int pw = PadBefore(g.ow, g.sw, g.fw, g.padding);
  std::vector<double> out(static_cast<size_t>(g.n) * g.oh * g.ow * g.co, 0.0);
  for (int n = 0; n < g.n; ++n)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox)
        for (int co = 0; co < g.co; ++co) {
          double acc = bias.empty() ? 0.0 : bias[co];
          for (int ky = 0; ky < g.fh; ++ky)
            for (int kx = 0; kx < g.fw; ++kx) {
              const int ty = oy + ph - ky, tx = ox + pw - kx;
              if (ty < 0 || tx < 0 || ty % g.sh || tx % g.sw) continue;
              const int y = ty / g.sh, x = tx / g.sw;
              if (y >= g.h || x >= g.w) continue;
              for (int ci = 0; ci < g.ci; ++ci) {
                acc += in[((n * g.h + y) * g.w + x) * g.ci + ci] *
                       f[((co * g.fh + ky) * g.fw + kx) * g.ci + ci];
              }
            }
          out[((n * g.oh + oy) * g.ow + ox) * g.co + co] = acc;
        }
  return out;
}

TEST(TransposeConvTest, FloatHandComputedStride2Valid) {
  EmberTransposeConvParams params{kEmberPaddingValid, 2, 2, kEmberActNone};
  KernelRunner r(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 5, 5, 1}).Const(),
                  Tensor<float>({1, 3, 3, 1}, std::vector<float>(9, 1.f)),
                  Tensor<float>({1, 2, 2, 1}, {1, 2, 3, 4})},
                 {Output<float>({1, 5, 5, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // 1 1 3 2 2 / 1 1 3 2 2 / 4 4 10 6 6 / 3 3 7 4 4 / 3 3 7 4 4
  EXPECT_EQ(r.Output<float>(),
            (std::vector<float>{1, 1, 3, 2, 2, 1, 1, 3, 2, 2, 4, 4, 10, 6, 6, 3, 3, 7, 4, 4, 3,
                                3, 7, 4, 4}));
}

TEST(TransposeConvTest, FloatSameWithBiasAndRelu) {
  TestRng rng(121);
  Geometry g{2, 3, 2, 3, 4, 3, 2, 2, 1, 6, 2, kEmberPaddingSame};
  auto in = rng.Floats(2 * 3 * 2 * 3, -1, 1);
  auto f = rng.Floats(4 * 3 * 2 * 3, -1, 1);
  auto b = rng.Floats(4, -0.5f, 0.5f);
  EmberTransposeConvParams params{g.padding, g.sw, g.sh, kEmberActRelu};
  KernelRunner r(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {2, 6, 2, 4}).Const(), Tensor<float>({4, 3, 2, 3}, f),
                  Tensor<float>({2, 3, 2, 3}, in), Tensor<float>({4}, b)},
                 {Output<float>({2, 6, 2, 4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  ExpectFloatNear(r.Output<float>(),
                  ApplyActivation(Oracle(g, {in.begin(), in.end()}, {f.begin(), f.end()},
                                         {b.begin(), b.end()}),
                                  kEmberActRelu),
                  1e-5, 1e-5);
}

TEST(TransposeConvTest, Int8PerChannelRandom) {
  TestRng rng(122);
  Geometry g{1, 4, 3, 5, 3, 3, 3, 2, 2, 8, 6, kEmberPaddingSame};
  const float s_in = 0.05f, s_out = 0.3f;
  const int64_t zp_in = -7, zp_out = 4;
  std::vector<float> fs{0.01f, 0.02f, 0.005f};
  auto in = rng.Ints<int8_t>(4 * 3 * 5);
  auto f = rng.Ints<int8_t>(3 * 3 * 3 * 5, -127, 127);
  auto b = rng.Ints<int32_t>(3, -500, 500);
  EmberTransposeConvParams params{g.padding, g.sw, g.sh, kEmberActNone};
  KernelRunner r(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 8, 6, 3}).Const(),
                  PerChannel<int8_t>({3, 3, 3, 5}, f, fs, {0, 0, 0}, 0).Const(),
                  Tensor<int8_t>({1, 4, 3, 5}, in, s_in, zp_in),
                  PerChannel<int32_t>({3}, b, {s_in * fs[0], s_in * fs[1], s_in * fs[2]}, {0, 0, 0}, 0)},
                 {Output<int8_t>({1, 8, 6, 3}, s_out, zp_out)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> fr, br;
  for (size_t i = 0; i < f.size(); ++i) fr.push_back(f[i] * double{fs[(i / 45)]});
  for (int c = 0; c < 3; ++c) br.push_back(b[c] * double{s_in} * fs[c]);
  ExpectWithinLsb(r.Output<int8_t>(), Oracle(g, Real(in, s_in, zp_in), fr, br), s_out, zp_out, 1);
}

TEST(TransposeConvTest, Int8ValidRelu6Saturating) {
  TestRng rng(123);
  Geometry g{1, 3, 3, 2, 2, 2, 2, 1, 1, 4, 4, kEmberPaddingValid};
  auto in = rng.Ints<int8_t>(18);
  auto f = rng.Ints<int8_t>(16, -127, 127);
  EmberTransposeConvParams params{g.padding, 1, 1, kEmberActRelu6};
  KernelRunner r(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 4, 4, 2}).Const(),
                  PerChannel<int8_t>({2, 2, 2, 2}, f, {0.02f, 0.03f}, {0, 0}, 0).Const(),
                  Tensor<int8_t>({1, 3, 3, 2}, in, 0.1f, 127)},
                 {Output<int8_t>({1, 4, 4, 2}, 0.05f, -128)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> fr;
  for (size_t i = 0; i < f.size(); ++i) fr.push_back(f[i] * (i < 8 ? 0.02 : 0.03));
  ExpectWithinLsb(r.Output<int8_t>(),
                  ApplyActivation(Oracle(g, Real(in, 0.1f, 127), fr, {}), kEmberActRelu6), 0.05,
                  -128, 1);
}

TEST(TransposeConvTest, Int16x8WithInt64Bias) {
  TestRng rng(124);
  Geometry g{1, 3, 4, 3, 2, 3, 3, 2, 2, 6, 8, kEmberPaddingSame};
  auto in = rng.Ints<int16_t>(36);
  auto f = rng.Ints<int8_t>(2 * 9 * 3, -127, 127);
  std::vector<int64_t> b{123456, -654321};
  const float s_in = 0.001f, s_out = 0.05f;
  std::vector<float> fs{0.01f, 0.004f};
  EmberTransposeConvParams params{g.padding, 2, 2, kEmberActNone};
  KernelRunner r(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 6, 8, 2}).Const(),
                  PerChannel<int8_t>({2, 3, 3, 3}, f, fs, {0, 0}, 0).Const(),
                  Tensor<int16_t>({1, 3, 4, 3}, in, s_in, 0), Tensor<int64_t>({2}, b)},
                 {Output<int16_t>({1, 6, 8, 2}, s_out, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> fr, br;
  for (size_t i = 0; i < f.size(); ++i) fr.push_back(f[i] * double{fs[i / 27]});
  for (int c = 0; c < 2; ++c) br.push_back(b[c] * double{s_in} * fs[c]);
  ExpectWithinLsb(r.Output<int16_t>(), Oracle(g, Real(in, s_in, 0), fr, br), s_out, 0, 1);
}

TEST(TransposeConvTest, RejectsShapeMismatches) {
  EmberTransposeConvParams params{kEmberPaddingSame, 1, 1, kEmberActNone};
  KernelRunner a(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 2, 2, 1}).Const(), Output<float>({1, 1, 1, 2}),
                  Output<float>({1, 2, 2, 3})},
                 {Output<float>({1, 2, 2, 1})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("filter has 2 input channels, input has 3")) << a.errors();
  KernelRunner b(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 3, 2, 1}).Const(), Output<float>({1, 1, 1, 1}),
                  Output<float>({1, 2, 2, 1})},
                 {Output<float>({1, 2, 2, 1})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("output_shape[1] = 3")) << b.errors();
}

TEST(TransposeConvTest, RejectsUnsupportedTypes) {
  EmberTransposeConvParams params{kEmberPaddingSame, 1, 1, kEmberActNone};
  KernelRunner a(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 2, 2, 1}).Const(), Output<int16_t>({1, 1, 1, 1}, 1.f),
                  Output<int8_t>({1, 2, 2, 1}, 1.f)},
                 {Output<int8_t>({1, 2, 2, 1}, 1.f)});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("needs an int8 filter")) << a.errors();
  KernelRunner b(RegisterTransposeConv(), &params,
                 {Tensor<int32_t>({4}, {1, 2, 2, 1}).Const(), Output<uint8_t>({1, 1, 1, 1}, 1.f),
                  Output<uint8_t>({1, 2, 2, 1}, 1.f)},
                 {Output<uint8_t>({1, 2, 2, 1}, 1.f)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("unsupported input type UINT8")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
