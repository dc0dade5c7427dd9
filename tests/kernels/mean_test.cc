// MEAN kernel tests. Golden vectors hand-computed (arithmetic in comments); random cases
// compare each integer path with a double oracle (mean of real values, quantized to the
// output; within 1 LSB).
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

// Mean over `axes` of a row-major tensor (keep_dims layout = output order).
std::vector<double> MeanOracle(const std::vector<int32_t>& dims, const std::vector<double>& x,
                               const std::vector<bool>& reduced) {
  const size_t rank = dims.size();
  std::vector<int32_t> od(rank);
  size_t out_n = 1;
  for (size_t i = 0; i < rank; ++i) {
    od[i] = reduced[i] ? 1 : dims[i];
    out_n *= static_cast<size_t>(od[i]);
  }
  std::vector<double> sum(out_n, 0.0);
  std::vector<double> cnt(out_n, 0.0);
  std::vector<int32_t> idx(rank);
  for (size_t f = 0; f < x.size(); ++f) {
    size_t rem = f;
    for (size_t i = rank; i-- > 0;) {
      idx[i] = static_cast<int32_t>(rem % static_cast<size_t>(dims[i]));
      rem /= static_cast<size_t>(dims[i]);
    }
    size_t o = 0;
    for (size_t i = 0; i < rank; ++i) o = o * od[i] + (reduced[i] ? 0 : idx[i]);
    sum[o] += x[f];
    cnt[o] += 1;
  }
  for (size_t o = 0; o < out_n; ++o) sum[o] /= cnt[o];
  return sum;
}

template <typename T>
void RunRandom(std::vector<int32_t> dims, std::vector<int32_t> axes, bool keep,
               std::vector<int32_t> out_dims, float si, int64_t zi, float so, int64_t zo,
               uint64_t seed) {
  TestRng rng(seed);
  auto x = rng.Ints<T>(NumElementsOf(dims));
  EmberReducerParams params{static_cast<uint8_t>(keep)};
  KernelRunner r(RegisterMean(), &params,
                 {Tensor<T>(dims, x, si, zi),
                  Tensor<int32_t>({static_cast<int32_t>(axes.size())}, axes).Const()},
                 {Output<T>(out_dims, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<bool> reduced(dims.size(), false);
  for (int32_t a : axes) reduced[a < 0 ? a + dims.size() : a] = true;
  ExpectWithinLsb(r.Output<T>(), MeanOracle(dims, Real(x, si, zi), reduced), so, zo, 1);
}

TEST(MeanTest, FloatKeepDimsAndNegativeAxis) {
  EmberReducerParams params{1};
  KernelRunner r(RegisterMean(), &params,
                 {Tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6}), Tensor<int32_t>({1}, {-1}).Const()},
                 {Output<float>({2, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{2, 5}));
}

TEST(MeanTest, FloatAllAxesNoKeepDims) {
  EmberReducerParams params{0};
  KernelRunner r(RegisterMean(), &params,
                 {Tensor<float>({2, 2}, {1, 2, 3, 6}), Tensor<int32_t>({2}, {0, 1}).Const()},
                 {Output<float>({})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{3}));
}

TEST(MeanTest, Int8SameQuantizationTruncates) {
  // Same quantization: (1 + 2) / 2 = 1 (C division truncates), (-1 + -2) / 2 = -1.
  EmberReducerParams params{0};
  KernelRunner r(RegisterMean(), &params,
                 {Tensor<int8_t>({2, 2}, {1, 2, -1, -2}, 0.5f, 0), Tensor<int32_t>({1}, {1}).Const()},
                 {Output<int8_t>({2}, 0.5f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{1, -1}));
}

TEST(MeanTest, Int8Spatial4dRoundsHalfAway) {
  // axes {1, 2}, keep_dims, scale 1 -> 1: channel 0 sums (1 + 2 + 3 + 4) - 4 * zp(1) = 6,
  // 6 / 4 = 1.5 -> 2, + zp_out(-1) = 1; channel 1: (-1 -2 -3 -4) - 4 = -14 -> -3.5 -> -4 -> -5.
  EmberReducerParams params{1};
  KernelRunner r(RegisterMean(), &params,
                 {Tensor<int8_t>({1, 2, 2, 2}, {1, -1, 2, -2, 3, -3, 4, -4}, 1.f, 1),
                  Tensor<int32_t>({2}, {1, 2}).Const()},
                 {Output<int8_t>({1, 1, 1, 2}, 1.f, -1)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{1, -5}));
}

TEST(MeanTest, Int8Spatial4dRandomRequantized) {
  RunRandom<int8_t>({2, 3, 4, 5}, {2, 1}, true, {2, 1, 1, 5}, 0.1f, -128, 0.05f, 10, 101);
}
TEST(MeanTest, Int8GenericRequantizedNoKeepDims) {
  RunRandom<int8_t>({3, 4, 5}, {0, 2}, false, {4}, 0.02f, 5, 0.01f, -20, 102);
}
TEST(MeanTest, Int8SameQuantizationRandom) {
  RunRandom<int8_t>({4, 6}, {0}, true, {1, 6}, 0.3f, 2, 0.3f, 2, 103);
}
TEST(MeanTest, Int8OutputScaleSmallSaturates) {
  RunRandom<int8_t>({2, 8}, {1}, false, {2}, 1.f, 0, 0.01f, 127, 104);
}
TEST(MeanTest, Int16GenericAndSpatial) {
  RunRandom<int16_t>({2, 7, 3}, {1}, false, {2, 3}, 0.001f, 0, 0.0007f, 0, 105);
  RunRandom<int16_t>({1, 3, 3, 4}, {1, 2}, true, {1, 1, 1, 4}, 0.001f, 0, 0.002f, 0, 106);
}

TEST(MeanTest, RejectsBadAxisAndShape) {
  EmberReducerParams params{0};
  KernelRunner a(RegisterMean(), &params,
                 {Output<float>({2, 3}), Tensor<int32_t>({1}, {2}).Const()}, {Output<float>({2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("axis 2 out of range")) << a.errors();
  KernelRunner b(RegisterMean(), &params,
                 {Output<float>({2, 3}), Tensor<int32_t>({1}, {1}).Const()}, {Output<float>({3})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("output dimension 0 is 3, expected 2")) << b.errors();
  KernelRunner c(RegisterMean(), &params,
                 {Output<int32_t>({2, 3}), Tensor<int32_t>({1}, {1}).Const()},
                 {Output<int32_t>({2})});
  EXPECT_EQ(c.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(c.HasError("unsupported type INT32")) << c.errors();
}

}  // namespace
}  // namespace ember::kernels
