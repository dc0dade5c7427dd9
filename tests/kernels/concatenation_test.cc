// CONCATENATION kernel tests. Golden vectors hand-written (layouts in comments); the int8
// requantization case is checked against a double oracle (within 1 LSB) and random
// shapes against an index-arithmetic oracle.
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

TEST(ConcatenationTest, FloatAxis1) {
  EmberConcatenationParams params{1, kEmberActNone};
  KernelRunner r(RegisterConcatenation(), &params,
                 {Tensor<float>({2, 1}, {1, 2}), Tensor<float>({2, 2}, {3, 4, 5, 6})},
                 {Output<float>({2, 3})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{1, 3, 4, 2, 5, 6}));  // rows [1 3 4] [2 5 6]
}

TEST(ConcatenationTest, NegativeAxisThreeInputsInt32) {
  EmberConcatenationParams params{-3, kEmberActNone};  // axis 0 of a 3D tensor
  KernelRunner r(RegisterConcatenation(), &params,
                 {Tensor<int32_t>({1, 1, 2}, {1, 2}), Tensor<int32_t>({2, 1, 2}, {3, 4, 5, 6}),
                  Tensor<int32_t>({1, 1, 2}, {7, 8})},
                 {Output<int32_t>({4, 1, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int32_t>(), (std::vector<int32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(ConcatenationTest, Int8RequantizesMismatchedInputs) {
  // Input 0 shares the output quantization (copied); input 1 (scale 0.2, zp 10) is
  // requantized to (0.1, -3): q = round((q_in - 10) * 2) - 3.
  EmberConcatenationParams params{-1, kEmberActNone};
  KernelRunner r(RegisterConcatenation(), &params,
                 {Tensor<int8_t>({1, 2}, {-128, 127}, 0.1f, -3),
                  Tensor<int8_t>({1, 3}, {10, 11, 127}, 0.2f, 10)},
                 {Output<int8_t>({1, 5}, 0.1f, -3)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // 10 -> 0 - 3 = -3; 11 -> 2 - 3 = -1; 127 -> 234 - 3 = 231 -> saturates at 127.
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{-128, 127, -3, -1, 127}));
}

TEST(ConcatenationTest, Int8RandomRequantizationWithinOneLsb) {
  TestRng rng(81);
  auto a = rng.Ints<int8_t>(2 * 3 * 4);
  auto b = rng.Ints<int8_t>(2 * 2 * 4);
  EmberConcatenationParams params{1, kEmberActNone};
  KernelRunner r(RegisterConcatenation(), &params,
                 {Tensor<int8_t>({2, 3, 4}, a, 0.05f, 7), Tensor<int8_t>({2, 2, 4}, b, 0.03f, -20)},
                 {Output<int8_t>({2, 5, 4}, 0.04f, 1)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> expected;
  for (int k = 0; k < 2; ++k) {
    for (int j = 0; j < 12; ++j) expected.push_back((a[k * 12 + j] - 7) * 0.05);
    for (int j = 0; j < 8; ++j) expected.push_back((b[k * 8 + j] + 20) * 0.03);
  }
  ExpectWithinLsb(r.Output<int8_t>(), expected, 0.04, 1, 1);
}

TEST(ConcatenationTest, RejectsMismatchedDimsAndAxisSum) {
  EmberConcatenationParams params{1, kEmberActNone};
  KernelRunner a(RegisterConcatenation(), &params, {Output<float>({2, 1}), Output<float>({3, 1})},
                 {Output<float>({2, 2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("input 1 dimension 0 is 3")) << a.errors();
  KernelRunner b(RegisterConcatenation(), &params, {Output<float>({2, 1}), Output<float>({2, 1})},
                 {Output<float>({2, 3})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("add up to 2")) << b.errors();
}

TEST(ConcatenationTest, RejectsAxisOutOfRangeActivationAndInt16Requant) {
  EmberConcatenationParams bad_axis{2, kEmberActNone};
  KernelRunner a(RegisterConcatenation(), &bad_axis, {Output<float>({2})}, {Output<float>({2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("axis 2 out of range")) << a.errors();
  EmberConcatenationParams relu{0, kEmberActRelu};
  KernelRunner b(RegisterConcatenation(), &relu, {Output<float>({2})}, {Output<float>({2})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("unsupported fused activation")) << b.errors();
  EmberConcatenationParams p{0, kEmberActNone};
  KernelRunner c(RegisterConcatenation(), &p, {Output<int16_t>({2}, 0.5f)},
                 {Output<int16_t>({2}, 0.25f)});
  EXPECT_EQ(c.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(c.HasError("must share the output's quantization")) << c.errors();
}

}  // namespace
}  // namespace ember::kernels
