// LEAKY_RELU kernel tests. Golden vectors hand-computed (comments); random cases against a
// double oracle (x >= 0 ? x : alpha x on real values) quantized to the output (within 1 LSB).
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

template <typename T>
void RunRandom(float alpha, float si, int64_t zi, float so, int64_t zo, uint64_t seed) {
  TestRng rng(seed);
  auto x = rng.Ints<T>(48);
  EmberLeakyReluParams params{alpha};
  KernelRunner r(RegisterLeakyRelu(), &params, {Tensor<T>({2, 24}, x, si, zi)},
                 {Output<T>({2, 24}, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  auto real = Real(x, si, zi);
  for (double& v : real) v = v >= 0 ? v : alpha * v;
  ExpectWithinLsb(r.Output<T>(), real, so, zo, 1);
}

TEST(LeakyReluTest, Float) {
  EmberLeakyReluParams params{0.25f};
  KernelRunner r(RegisterLeakyRelu(), &params, {Tensor<float>({4}, {-4.f, -1.f, 0.f, 3.f})},
                 {Output<float>({4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{-1.f, -0.25f, 0.f, 3.f}));
}

TEST(LeakyReluTest, Int8HandComputed) {
  // s_in = s_out = 0.5, zp_in = 2, zp_out = -1, alpha 0.5:
  // x 10 -> v 8 -> 8 - 1 = 7; x -6 -> v -8 -> -4 - 1 = -5; x 1 -> v -1 -> -0.5 -> 0 (the
  // doubling high multiply rounds the negative tie toward zero) -> -1.
  EmberLeakyReluParams params{0.5f};
  KernelRunner r(RegisterLeakyRelu(), &params, {Tensor<int8_t>({3}, {10, -6, 1}, 0.5f, 2)},
                 {Output<int8_t>({3}, 0.5f, -1)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{7, -5, -1}));
}

TEST(LeakyReluTest, Int8SmallAlpha) { RunRandom<int8_t>(0.01f, 0.1f, -10, 0.05f, 0, 61); }
TEST(LeakyReluTest, Int8AlphaAboveOneSaturates) {
  RunRandom<int8_t>(3.f, 0.1f, 127, 0.1f, -128, 62);
}
TEST(LeakyReluTest, Int8NegativeAlpha) { RunRandom<int8_t>(-0.5f, 0.2f, 0, 0.2f, 0, 63); }
TEST(LeakyReluTest, Int16) { RunRandom<int16_t>(0.2f, 0.001f, 0, 0.0015f, 0, 64); }

TEST(LeakyReluTest, RejectsMissingOptionsAndUnsupportedType) {
  KernelRunner a(RegisterLeakyRelu(), nullptr, {Output<float>({2})}, {Output<float>({2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("missing LeakyReluOptions")) << a.errors();
  EmberLeakyReluParams params{0.1f};
  KernelRunner b(RegisterLeakyRelu(), &params, {Output<uint8_t>({2}, 1.f)},
                 {Output<uint8_t>({2}, 1.f)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("unsupported type UINT8")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
