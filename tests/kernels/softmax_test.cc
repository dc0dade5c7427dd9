// SOFTMAX kernel tests.
// Golden data: the equal-logits cases are hand-derived (every output is 1/depth exactly:
// int8 1/2 -> 128 * ... = 0 with zero point -128; int16-from-int8 1/2 -> 0 with zero
// point -32768; the fixed-point path reaches these values exactly, see the comments).
// Randomized cases compare with a double-precision softmax oracle in this file. The
// quantized kernels approximate exp() in fixed point (int8 input) or by a 513-entry
// interpolated table (int16 input); the tolerances used are stated per test.
#include <gtest/gtest.h>

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

std::vector<double> SoftmaxOracle(const std::vector<double>& x, int depth, double beta) {
  std::vector<double> out(x.size());
  for (size_t r = 0; r < x.size() / static_cast<size_t>(depth); ++r) {
    double mx = -1e300;
    for (int c = 0; c < depth; ++c) mx = std::max(mx, x[r * depth + c]);
    double sum = 0;
    for (int c = 0; c < depth; ++c) sum += std::exp((x[r * depth + c] - mx) * beta);
    for (int c = 0; c < depth; ++c) out[r * depth + c] = std::exp((x[r * depth + c] - mx) * beta) / sum;
  }
  return out;
}

TEST(Softmax, FloatGoldenAndOracle) {
  const EmberSoftmaxParams p{1.0f};
  // {0, ln 3}: e = {1, 3} -> {0.25, 0.75}.
  KernelRunner r(RegisterSoftmax(), &p, {Tensor<float>({1, 2}, {0.0f, std::log(3.0f)})},
                 {Output<float>({1, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  testing::ExpectFloatNear(r.Output<float>(), {0.25, 0.75}, 1e-6, 1e-6);

  TestRng rng(1);
  const auto x = rng.Floats(3 * 7, -5.f, 5.f);
  const EmberSoftmaxParams p2{0.7f};
  KernelRunner r2(RegisterSoftmax(), &p2, {Tensor<float>({3, 7}, x)}, {Output<float>({3, 7})});
  ASSERT_EQ(r2.Run(), kEmberOk) << r2.errors();
  testing::ExpectFloatNear(r2.Output<float>(), SoftmaxOracle({x.begin(), x.end()}, 7, 0.7), 1e-6,
                           1e-5);
}

TEST(Softmax, Int8EqualLogitsGolden) {
  // Equal inputs: exp = 1 (Q0 max), sum of 2 in Q12 = 2^20, reciprocal ~ 1/2 -> exactly
  // 128 after the shift: 128 - 128 = 0 (= 0.5 at scale 1/256, zp -128). 4 equal: 64 - 128.
  const EmberSoftmaxParams p{1.0f};
  KernelRunner r(RegisterSoftmax(), &p,
                 {Tensor<int8_t>({2, 4}, {5, 5, 5, 5, -100, -100, -100, -100}, 0.1f, 3)},
                 {Output<int8_t>({2, 4}, 1.0f / 256, -128)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>(8, -64)));
}

TEST(Softmax, Int8ToInt16EqualLogitsGolden) {
  // 0.5 at scale 1/65536, zp -32768 -> 0 (as the keyword model's final softmax).
  const EmberSoftmaxParams p{1.0f};
  KernelRunner r(RegisterSoftmax(), &p, {Tensor<int8_t>({1, 2}, {7, 7}, 0.069963f, 2)},
                 {Output<int16_t>({1, 2}, 1.0f / 65536, -32768)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{0, 0}));
}

template <typename Out>
void RandomInt8(uint64_t seed, int rows, int depth, float in_scale, int in_zp, float beta,
                float out_scale, int out_zp, int lsb) {
  TestRng rng(seed);
  const auto x = rng.Ints<int8_t>(static_cast<size_t>(rows * depth));
  const EmberSoftmaxParams p{beta};
  KernelRunner r(RegisterSoftmax(), &p, {Tensor<int8_t>({rows, depth}, x, in_scale, in_zp)},
                 {Output<Out>({rows, depth}, out_scale, out_zp)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> real;
  for (int8_t v : x) real.push_back((v - in_zp) * static_cast<double>(in_scale));
  testing::ExpectWithinLsb<Out>(r.template Output<Out>(), SoftmaxOracle(real, depth, beta),
                                out_scale, out_zp, lsb);
}

TEST(Softmax, Int8RandomWithin1Lsb) {
  RandomInt8<int8_t>(2, 4, 10, 0.1f, 0, 1.0f, 1.0f / 256, -128, 1);
  RandomInt8<int8_t>(3, 3, 33, 0.02f, -128, 1.0f, 1.0f / 256, -128, 1);
  RandomInt8<int8_t>(4, 2, 5, 0.5f, 10, 0.3f, 1.0f / 256, -128, 1);  // many diffs < diff_min
}
TEST(Softmax, Int8ToInt16RandomWithin2Lsb) {
  // 1/65536 resolution: the fixed-point exp/reciprocal error reaches ~1.5 LSB.
  RandomInt8<int16_t>(5, 4, 12, 0.07f, 2, 1.0f, 1.0f / 65536, -32768, 2);
}

TEST(Softmax, Int16RandomLutAccuracy) {
  // The LUT-based int16 softmax is accurate to a few LSB of 1/32768 (linear
  // interpolation of exp over 512 segments of [-10, 0]); we allow 8 LSB (2.4e-4).
  TestRng rng(6);
  const int rows = 3;
  const int depth = 9;
  const float in_scale = 0.0004f;
  const auto x = rng.Ints<int16_t>(static_cast<size_t>(rows * depth), -20000, 20000);
  const EmberSoftmaxParams p{1.0f};
  KernelRunner r(RegisterSoftmax(), &p, {Tensor<int16_t>({rows, depth}, x, in_scale, 0)},
                 {Output<int16_t>({rows, depth}, 1.0f / 32768, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> real;
  for (int16_t v : x) real.push_back(v * static_cast<double>(in_scale));
  testing::ExpectWithinLsb<int16_t>(r.Output<int16_t>(), SoftmaxOracle(real, depth, 1.0),
                                    1.0 / 32768, 0, 8);
}

TEST(Softmax, RejectsWrongOutputQuantization) {
  const EmberSoftmaxParams p{1.0f};
  KernelRunner r(RegisterSoftmax(), &p, {Tensor<int8_t>({1, 2}, {1, 2}, 0.1f, 0)},
                 {Output<int8_t>({1, 2}, 1.0f / 128, -128)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("int8 output must have scale 1/256 and zero point -128")) << r.errors();
  KernelRunner r2(RegisterSoftmax(), &p, {Tensor<int16_t>({1, 2}, {1, 2}, 0.1f, 0)},
                  {Output<int8_t>({1, 2}, 1.0f / 256, -128)});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("int16 input needs an int16 output, got INT8")) << r2.errors();
  KernelRunner r3(RegisterSoftmax(), &p, {Tensor<float>({1, 2}, {1, 2})},
                  {Output<float>({2, 1})});
  EXPECT_EQ(r3.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r3.HasError("output shape differs")) << r3.errors();
}

}  // namespace
}  // namespace ember::kernels
