// PAD kernel tests. Golden vectors are hand-written (the expected layout is drawn in the
// comments); a random 4D case is checked against an index-arithmetic oracle.
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

TEST(PadTest, Float2DZeroFill) {
  KernelRunner r(RegisterPad(), nullptr,
                 {Tensor<float>({2, 2}, {1, 2, 3, 4}),
                  Tensor<int32_t>({2, 2}, {1, 0, 0, 2}).Const()},
                 {Output<float>({3, 4})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // one row before, two columns after:
  // 0 0 0 0 / 1 2 0 0 / 3 4 0 0
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
}

TEST(PadTest, Int8FillsWithZeroPoint) {
  KernelRunner r(RegisterPad(), nullptr,
                 {Tensor<int8_t>({1, 2}, {5, 6}, 0.5f, -7),
                  Tensor<int32_t>({2, 2}, {0, 0, 1, 1}).Const()},
                 {Output<int8_t>({1, 4}, 0.5f, -7)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{-7, 5, 6, -7}));
}

TEST(PadTest, Int16ConstantValueAndInt64Paddings) {
  KernelRunner r(RegisterPad(), nullptr,
                 {Tensor<int16_t>({2}, {100, -100}, 0.01f, 0),
                  Tensor<int64_t>({1, 2}, {2, 1}).Const(), Tensor<int16_t>({1}, {-32768}, 0.01f, 0)},
                 {Output<int16_t>({5}, 0.01f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{-32768, -32768, 100, -100, -32768}));
}

TEST(PadTest, Int32RandomFourDAgainstOracle) {
  TestRng rng(71);
  const std::vector<int32_t> in_dims{2, 3, 2, 3};
  const std::vector<int32_t> pads{1, 0, 0, 2, 2, 1, 1, 1};
  std::vector<int32_t> out_dims(4);
  for (int i = 0; i < 4; ++i) out_dims[i] = in_dims[i] + pads[2 * i] + pads[2 * i + 1];
  auto x = rng.Ints<int32_t>(36, -1000, 1000);
  KernelRunner r(RegisterPad(), nullptr,
                 {Tensor<int32_t>(in_dims, x), Tensor<int32_t>({4, 2}, pads).Const(),
                  Tensor<int32_t>({1}, {77})},
                 {Output<int32_t>(out_dims)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<int32_t> expected;
  for (int a = 0; a < out_dims[0]; ++a)
    for (int b = 0; b < out_dims[1]; ++b)
      for (int c = 0; c < out_dims[2]; ++c)
        for (int e = 0; e < out_dims[3]; ++e) {
          const int i0 = a - pads[0], i1 = b - pads[2], i2 = c - pads[4], i3 = e - pads[6];
          const bool in = i0 >= 0 && i0 < 2 && i1 >= 0 && i1 < 3 && i2 >= 0 && i2 < 2 &&
                          i3 >= 0 && i3 < 3;
          expected.push_back(in ? x[((i0 * 3 + i1) * 2 + i2) * 3 + i3] : 77);
        }
  EXPECT_EQ(r.Output<int32_t>(), expected);
}

TEST(PadTest, RejectsNegativePaddingsAndWrongOutput) {
  KernelRunner a(RegisterPad(), nullptr,
                 {Output<float>({2}), Tensor<int32_t>({1, 2}, {-1, 0}).Const()},
                 {Output<float>({1})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("non-negative")) << a.errors();
  KernelRunner b(RegisterPad(), nullptr,
                 {Output<float>({2}), Tensor<int32_t>({1, 2}, {1, 1}).Const()},
                 {Output<float>({3})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("output dimension 0 is 3, expected 4")) << b.errors();
}

TEST(PadTest, RejectsNonConstantPaddingsAndQuantMismatch) {
  KernelRunner a(RegisterPad(), nullptr, {Output<float>({2}), Tensor<int32_t>({1, 2}, {1, 1})},
                 {Output<float>({4})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("constant")) << a.errors();
  KernelRunner b(RegisterPad(), nullptr,
                 {Output<int8_t>({2}, 0.5f, 0), Tensor<int32_t>({1, 2}, {1, 1}).Const()},
                 {Output<int8_t>({4}, 0.25f, 0)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("quantization must be equal")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels
