// RELU kernel tests. Golden vectors hand-computed (comments); random cases against a
// double oracle max(0, real(x)) quantized to the output (within 1 LSB).
#include <cmath>
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
  auto x = rng.Ints<T>(64);
  KernelRunner r(RegisterRelu(), nullptr, {Tensor<T>({4, 16}, x, si, zi)},
                 {Output<T>({4, 16}, so, zo)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  ExpectWithinLsb(r.Output<T>(), ApplyActivation(Real(x, si, zi), kEmberActRelu), so, zo, 1);
}

TEST(ReluTest, Float) {
  KernelRunner r(RegisterRelu(), nullptr, {Tensor<float>({4}, {-1.f, 0.f, 2.5f, 1e9f})},
                 {Output<float>({4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{0.f, 0.f, 2.5f, 1e9f}));
}

TEST(ReluTest, Int8SameQuantizationIsClamp) {
  // Same scale and zero point (-5): out = max(x, -5).
  KernelRunner r(RegisterRelu(), nullptr, {Tensor<int8_t>({4}, {-128, -6, -5, 127}, 0.1f, -5)},
                 {Output<int8_t>({4}, 0.1f, -5)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{-5, -5, -5, 127}));
}

TEST(ReluTest, Int8RescaleDown) { RunRandom<int8_t>(0.05f, 10, 0.1f, -128, 41); }
TEST(ReluTest, Int8RescaleUpSaturates) { RunRandom<int8_t>(0.05f, -128, 0.01f, 0, 42); }
TEST(ReluTest, Int16) { RunRandom<int16_t>(0.001f, 0, 0.0007f, 0, 43); }

TEST(ReluTest, RejectsTypeMismatchAndUnsupportedType) {
  KernelRunner a(RegisterRelu(), nullptr, {Output<int8_t>({2}, 1.f)}, {Output<int16_t>({2}, 1.f)});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("types differ")) << a.errors();
  KernelRunner b(RegisterRelu(), nullptr, {Output<int32_t>({2})}, {Output<int32_t>({2})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("unsupported type INT32")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
