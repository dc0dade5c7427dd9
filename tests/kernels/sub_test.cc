// SUB kernel tests. Golden vectors are hand-computed (arithmetic in comments); random
// cases compare with the double-precision broadcasting oracle in binary_oracle.h
// (quantized outputs within 1 LSB).
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

template <typename T>
void RunRandom(std::vector<int32_t> ad, std::vector<int32_t> bd, std::vector<int32_t> od,
               float sa, float sb, float so, int64_t za, int64_t zb, int64_t zo,
               EmberActivation act, bool pot, uint64_t seed) {
  TestRng rng(seed);
  auto a = rng.Ints<T>(NumElementsOf(ad));
  auto b = rng.Ints<T>(NumElementsOf(bd));
  EmberAddSubParams params{act, static_cast<uint8_t>(pot ? 1 : 0)};
  KernelRunner r(RegisterSub(), &params, {Tensor<T>(ad, a, sa, za), Tensor<T>(bd, b, sb, zb)},
                 {Output<T>(od, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  auto expected = ApplyActivation(
      BroadcastOracle(ad, Real(a, sa, za), bd, Real(b, sb, zb),
                      [](double x, double y) { return x - y; }),
      act);
  ExpectWithinLsb(r.Output<T>(), expected, so, zo, 1);
}

TEST(SubTest, FloatBroadcastReluN1To1) {
  EmberAddSubParams params{kEmberActReluN1To1, 1};
  KernelRunner r(RegisterSub(), &params,
                 {Tensor<float>({2, 2}, {0.5f, 3.f, -3.f, 0.25f}), Tensor<float>({2}, {0.25f, 1.f})},
                 {Output<float>({2, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // [0.5-0.25, 3-1 -> 1, -3-0.25 -> -1, 0.25-1]
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{0.25f, 1.f, -1.f, -0.75f}));
}

TEST(SubTest, Int8HandComputed) {
  // a = 0.5 (q - 0), b = 0.5 (q - 0), out = 1.0 (q - 10): [4 - 1, 2 - 6] / 2 -> [1.5, -2]
  // -> q [10 + 2 (1.5 rounds up), 8].
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterSub(), &params,
                 {Tensor<int8_t>({2}, {4, 2}, 0.5f, 0), Tensor<int8_t>({2}, {1, 6}, 0.5f, 0)},
                 {Output<int8_t>({2}, 1.f, 10)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{12, 8}));
}

TEST(SubTest, Int8BroadcastRandom) {
  RunRandom<int8_t>({2, 1, 3}, {4, 1}, {2, 4, 3}, 0.03f, 0.06f, 0.05f, -128, 127, 3,
                    kEmberActNone, true, 21);
}

TEST(SubTest, Int8ReluSaturating) {
  RunRandom<int8_t>({5, 6}, {5, 6}, {5, 6}, 0.5f, 0.5f, 0.02f, 0, 0, -128, kEmberActRelu, true,
                    22);
}

TEST(SubTest, Int16GeneralScale) {
  RunRandom<int16_t>({3, 3}, {3, 3}, {3, 3}, 0.0002f, 0.0003f, 0.0004f, 0, 0, 0, kEmberActNone,
                     false, 23);
}

TEST(SubTest, Int16PowerOfTwoShiftsFirstInput) {
  // a at 2^-12, b and out at 2^-10: a / 4 rounded, then saturating a - b.
  // [10 -> 3 (2.5 away from zero)] - 1 = 2; [-10 -> -3] - 32767 -> -32768 (saturated).
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterSub(), &params,
                 {Tensor<int16_t>({2}, {10, -10}, 1.f / 4096, 0),
                  Tensor<int16_t>({2}, {1, 32767}, 1.f / 1024, 0)},
                 {Output<int16_t>({2}, 1.f / 1024, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{2, -32768}));
}

TEST(SubTest, RejectsInt16PotWithInputScaleAboveOutput) {
  EmberAddSubParams params{kEmberActNone, 1};
  KernelRunner r(RegisterSub(), &params,
                 {Output<int16_t>({2}, 1.f / 256, 0), Output<int16_t>({2}, 1.f / 1024, 0)},
                 {Output<int16_t>({2}, 1.f / 1024, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("must not exceed the output scale")) << r.errors();
}

TEST(SubTest, RejectsNonZeroInt16ZeroPoint) {
  EmberAddSubParams params{kEmberActNone, 0};
  KernelRunner r(RegisterSub(), &params,
                 {Output<int16_t>({2}, 0.1f, 1), Output<int16_t>({2}, 0.1f, 0)},
                 {Output<int16_t>({2}, 0.1f, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("zero point 0")) << r.errors();
}

}  // namespace
}  // namespace ember::kernels
