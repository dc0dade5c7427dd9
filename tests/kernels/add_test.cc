// ADD kernel tests. Golden vectors are hand-computed (arithmetic in comments); random
// cases compare with the double-precision broadcasting oracle in binary_oracle.h
// (quantized outputs within 1 LSB).
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

struct QuantCase {
  std::vector<int32_t> a_dims, b_dims, out_dims;
  float sa, sb, so;
  int64_t za, zb, zo;
  EmberActivation act;
};

template <typename T>
void RunRandomQuantized(const QuantCase& c, uint64_t seed, bool pot = false) {
  TestRng rng(seed);
  auto a = rng.Ints<T>(NumElementsOf(c.a_dims));
  auto b = rng.Ints<T>(NumElementsOf(c.b_dims));
  EmberAddSubParams params{c.act, static_cast<uint8_t>(pot ? 1 : 0)};
  KernelRunner r(RegisterAdd(), &params,
                 {Tensor<T>(c.a_dims, a, c.sa, c.za), Tensor<T>(c.b_dims, b, c.sb, c.zb)},
                 {Output<T>(c.out_dims, c.so, c.zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  auto expected = ApplyActivation(BroadcastOracle(c.a_dims, Real(a, c.sa, c.za), c.b_dims,
                                                  Real(b, c.sb, c.zb),
                                                  [](double x, double y) { return x + y; }),
                                  c.act);
  ExpectWithinLsb(r.Output<T>(), expected, c.so, c.zo, 1);
}

TEST(AddTest, FloatBroadcastWithRelu) {
  EmberAddSubParams params{kEmberActRelu, 1};
  KernelRunner r(RegisterAdd(), &params,
                 {Tensor<float>({2, 1, 3}, {1, -2, 3, -4, 5, -6}),
                  Tensor<float>({2, 1}, {0.5f, -10.f})},
                 {Output<float>({2, 2, 3})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // row (a0 + 0.5) = [1.5, 0, 3.5]; (a0 - 10) -> relu 0; (a1 + 0.5) = [0, 5.5, 0]
  EXPECT_EQ(r.Output<float>(),
            (std::vector<float>{1.5f, 0, 3.5f, 0, 0, 0, 0, 5.5f, 0, 0, 0, 0}));
}

TEST(AddTest, FloatFiveDimensionalBroadcast) {
  TestRng rng(3);
  std::vector<int32_t> ad{2, 1, 3, 1, 2}, bd{1, 2, 1, 2, 1};
  auto a = rng.Floats(12, -3, 3);
  auto b = rng.Floats(4, -3, 3);
  EmberAddSubParams params{kEmberActRelu6, 1};
  KernelRunner r(RegisterAdd(), &params, {Tensor<float>(ad, a), Tensor<float>(bd, b)},
                 {Output<float>({2, 2, 3, 2, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  ExpectFloatNear(r.Output<float>(),
                  ApplyActivation(BroadcastOracle(ad, {a.begin(), a.end()}, bd,
                                                  {b.begin(), b.end()},
                                                  [](double x, double y) { return x + y; }),
                                  kEmberActRelu6));
}

TEST(AddTest, Int8HandComputed) {
  // a real = 0.5 * (q - 1), b real = 0.25 * (q + 2), out = 0.5 * (q - 3).
  // a [3, -1] -> [1, -1]; b [2] -> 1; sums [2, 0] -> q [7, 3].
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterAdd(), &params,
                 {Tensor<int8_t>({2}, {3, -1}, 0.5f, 1), Tensor<int8_t>({1}, {2}, 0.25f, -2)},
                 {Output<int8_t>({2}, 0.5f, 3)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{7, 3}));
}

TEST(AddTest, Int8SameShapeRandom) {
  RunRandomQuantized<int8_t>({{2, 3, 4}, {2, 3, 4}, {2, 3, 4}, 0.1f, 0.07f, 0.15f, 5, -3, 0,
                              kEmberActNone},
                             1);
}

TEST(AddTest, Int8Broadcast4DWithRelu6AndExtremeZeroPoints) {
  RunRandomQuantized<int8_t>({{1, 3, 1, 4}, {2, 1, 5, 1}, {2, 3, 5, 4}, 0.05f, 0.02f, 0.04f,
                              -128, 127, -128, kEmberActRelu6},
                             2);
}

TEST(AddTest, Int8OutputScaleSmallerThanInputsSaturates) {
  // Output range far smaller than the inputs': most results saturate at -128/127.
  RunRandomQuantized<int8_t>({{4, 8}, {8}, {4, 8}, 1.0f, 0.5f, 0.01f, 0, 10, -5,
                              kEmberActNone},
                             3);
}

TEST(AddTest, Int8LargeOutputScale) {
  RunRandomQuantized<int8_t>({{3, 7}, {3, 7}, {3, 7}, 0.001f, 0.003f, 0.5f, -20, 30, 100,
                              kEmberActRelu},
                             4);
}

TEST(AddTest, Int16GeneralScale) {
  RunRandomQuantized<int16_t>({{2, 5}, {5}, {2, 5}, 0.0003f, 0.0001f, 0.0005f, 0, 0, 0,
                               kEmberActNone},
                              5, /*pot=*/false);
}

TEST(AddTest, Int16PowerOfTwoScales) {
  // 2^-10 + 2^-12 -> out 2^-10: input 2 is rounding-shifted right by 2, then saturating add.
  // b / 4 rounded half away from zero: 6 -> 2, 4000 -> 1000, -4000 -> -1000, -6 -> -2.
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterAdd(), &params,
                 {Tensor<int16_t>({4}, {1000, 32767, -32768, 5}, 1.f / 1024, 0),
                  Tensor<int16_t>({4}, {6, 4000, -4000, -6}, 1.f / 4096, 0)},
                 {Output<int16_t>({4}, 1.f / 1024, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // RoundingDivideByPOT(6, 2) = 2 (1.5 away from zero), (-6, 2) = -2; saturation at both ends.
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{1002, 32767, -32768, 3}));
}

TEST(AddTest, Int16PowerOfTwoRandomAgainstOracle) {
  RunRandomQuantized<int16_t>({{3, 4}, {1, 4}, {3, 4}, 1.f / 2048, 1.f / 512, 1.f / 512, 0, 0,
                               0, kEmberActRelu},
                              6, /*pot=*/true);
}

TEST(AddTest, RejectsIncompatibleShapes) {
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterAdd(), &params, {Output<float>({2, 3}), Output<float>({2})},
                 {Output<float>({2, 3})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("not broadcast-compatible")) << r.errors();
}

TEST(AddTest, RejectsWrongOutputShapeAndMixedTypes) {
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner a(RegisterAdd(), &params, {Output<float>({2, 3}), Output<float>({3})},
                 {Output<float>({3, 2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("output shape")) << a.errors();
  KernelRunner b(RegisterAdd(), &params, {Output<float>({2}), Output<int8_t>({2}, 1.f)},
                 {Output<float>({2})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("same type")) << b.errors();
}

TEST(AddTest, RejectsUnsupportedTypeAndTinyOutputScale) {
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner a(RegisterAdd(), &params, {Output<int32_t>({2}), Output<int32_t>({2})},
                 {Output<int32_t>({2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("unsupported type INT32")) << a.errors();
  KernelRunner b(RegisterAdd(), &params,
                 {Output<int8_t>({2}, 1.f), Output<int8_t>({2}, 1.f)},
                 {Output<int8_t>({2}, 1e-7f)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("not below 1")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
