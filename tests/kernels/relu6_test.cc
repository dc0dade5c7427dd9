// RELU6 kernel tests. Golden vectors hand-computed (comments); random cases against a
// double oracle min(max(0, real(x)), 6) quantized to the output (within 1 LSB).
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/binary_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

template <typename T>
void RunRandom(float si, int64_t zi, float so, int64_t zo, uint64_t seed) {
  TestRng rng(seed);
  auto x = rng.Ints<T>(60);
  KernelRunner r(RegisterRelu6(), nullptr, {Tensor<T>({3, 4, 5}, x, si, zi)},
                 {Output<T>({3, 4, 5}, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  ExpectWithinLsb(r.Output<T>(), ApplyActivation(Real(x, si, zi), kEmberActRelu6), so, zo, 1);
}

TEST(Relu6Test, Float) {
  KernelRunner r(RegisterRelu6(), nullptr, {Tensor<float>({4}, {-1.f, 3.f, 6.f, 7.5f})},
                 {Output<float>({4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{0.f, 3.f, 6.f, 6.f}));
}

TEST(Relu6Test, Int8SameQuantizationClampsToZeroAndSix) {
  // scale 0.05, zp 0: q(6) = 120; out = clamp(x, 0, 120).
  KernelRunner r(RegisterRelu6(), nullptr, {Tensor<int8_t>({4}, {-3, 50, 121, 127}, 0.05f, 0)},
                 {Output<int8_t>({4}, 0.05f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{0, 50, 120, 120}));
}

TEST(Relu6Test, Int8Rescaled) { RunRandom<int8_t>(0.1f, 20, 6.f / 255, -128, 51); }
TEST(Relu6Test, Int8SixAboveTypeRange) { RunRandom<int8_t>(0.02f, 0, 0.02f, 100, 52); }
TEST(Relu6Test, Int16) { RunRandom<int16_t>(0.0005f, 0, 0.0002f, 0, 53); }

}  // namespace
}  // namespace ember::kernels
