// MUL kernel tests. Golden vectors are hand-computed (arithmetic in comments); random
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
               EmberActivation act, uint64_t seed) {
  TestRng rng(seed);
  auto a = rng.Ints<T>(NumElementsOf(ad));
  auto b = rng.Ints<T>(NumElementsOf(bd));
  EmberMulParams params{act};
  KernelRunner r(RegisterMul(), &params, {Tensor<T>(ad, a, sa, za), Tensor<T>(bd, b, sb, zb)},
                 {Output<T>(od, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  auto expected = ApplyActivation(
      BroadcastOracle(ad, Real(a, sa, za), bd, Real(b, sb, zb),
                      [](double x, double y) { return x * y; }),
      act);
  ExpectWithinLsb(r.Output<T>(), expected, so, zo, 1);
}

TEST(MulTest, FloatBroadcast) {
  EmberMulParams params{kEmberActNone};
  KernelRunner r(RegisterMul(), &params,
                 {Tensor<float>({2, 2}, {1.f, -2.f, 3.f, 4.f}), Tensor<float>({1}, {-0.5f})},
                 {Output<float>({2, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{-0.5f, 1.f, -1.5f, -2.f}));
}

TEST(MulTest, Int8HandComputedMultiplierAboveOne) {
  // M = 0.5 * 0.5 / 0.125 = 2: (3 * 5) * 2 = 30, (-4 * 5) * 2 = -40; +zp 1.
  EmberMulParams params{kEmberActNone};
  KernelRunner r(RegisterMul(), &params,
                 {Tensor<int8_t>({2}, {3, -4}, 0.5f, 0), Tensor<int8_t>({1}, {6}, 0.5f, 1)},
                 {Output<int8_t>({2}, 0.125f, 1)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{31, -39}));
}

TEST(MulTest, Int8BroadcastRandomSmallMultiplier) {
  RunRandom<int8_t>({2, 3, 1}, {1, 4}, {2, 3, 4}, 0.02f, 0.03f, 0.1f, -128, 127, 0,
                    kEmberActNone, 31);
}

TEST(MulTest, Int8LargeMultiplierSaturatesWithRelu) {
  RunRandom<int8_t>({4, 4}, {4, 4}, {4, 4}, 0.2f, 0.3f, 0.01f, 3, -7, -100, kEmberActRelu, 32);
}

TEST(MulTest, Int8Relu6FiveDims) {
  RunRandom<int8_t>({1, 2, 1, 2, 3}, {2, 1, 2, 1, 1}, {2, 2, 2, 2, 3}, 0.05f, 0.08f, 0.03f, 0,
                    10, -128, kEmberActRelu6, 33);
}

TEST(MulTest, Int16Random) {
  RunRandom<int16_t>({3, 5}, {5}, {3, 5}, 0.001f, 0.002f, 0.05f, 0, 0, 0, kEmberActNone, 34);
}

TEST(MulTest, RejectsInt16ZeroPointAndUnsupportedType) {
  EmberMulParams params{kEmberActNone};
  KernelRunner a(RegisterMul(), &params,
                 {Output<int16_t>({2}, 0.1f, 3), Output<int16_t>({2}, 0.1f, 0)},
                 {Output<int16_t>({2}, 0.1f, 0)});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("zero point 0")) << a.errors();
  KernelRunner b(RegisterMul(), &params, {Output<uint8_t>({2}, 0.1f), Output<uint8_t>({2}, 0.1f)},
                 {Output<uint8_t>({2}, 0.1f)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("unsupported type UINT8")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
