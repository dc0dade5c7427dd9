// TRANSPOSE kernel tests. Golden vectors hand-written; random 4D/6D cases against an
// index-arithmetic oracle in the test.
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

// out[o] = in[i] where output index o_k = input index i_{perm[k]}.
template <typename T>
std::vector<T> Oracle(const std::vector<int32_t>& dims, const std::vector<int32_t>& perm,
                      const std::vector<T>& in) {
  const size_t rank = dims.size();
  std::vector<int32_t> od(rank);
  for (size_t k = 0; k < rank; ++k) od[k] = dims[static_cast<size_t>(perm[k])];
  std::vector<T> out(in.size());
  std::vector<int32_t> oi(rank), ii(rank);
  for (size_t o = 0; o < in.size(); ++o) {
    size_t rem = o;
    for (size_t k = rank; k-- > 0;) {
      oi[k] = static_cast<int32_t>(rem % static_cast<size_t>(od[k]));
      rem /= static_cast<size_t>(od[k]);
    }
    for (size_t k = 0; k < rank; ++k) ii[static_cast<size_t>(perm[k])] = oi[k];
    size_t flat = 0;
    for (size_t k = 0; k < rank; ++k) flat = flat * static_cast<size_t>(dims[k]) + ii[k];
    out[o] = in[flat];
  }
  return out;
}

TEST(TransposeTest, Float2D) {
  KernelRunner r(RegisterTranspose(), nullptr,
                 {Tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6}), Tensor<int32_t>({2}, {1, 0}).Const()},
                 {Output<float>({3, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(TransposeTest, Int8Nhwc2NchwRandom) {
  TestRng rng(91);
  std::vector<int32_t> dims{2, 3, 4, 5}, perm{0, 3, 1, 2};
  auto x = rng.Ints<int8_t>(120);
  KernelRunner r(RegisterTranspose(), nullptr,
                 {Tensor<int8_t>(dims, x, 0.5f, 3), Tensor<int32_t>({4}, perm).Const()},
                 {Output<int8_t>({2, 5, 3, 4}, 0.5f, 3)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), Oracle(dims, perm, x));
}

TEST(TransposeTest, Int16SixDimensions) {
  TestRng rng(92);
  std::vector<int32_t> dims{2, 1, 3, 2, 2, 3}, perm{5, 2, 0, 4, 1, 3};
  auto x = rng.Ints<int16_t>(72);
  KernelRunner r(RegisterTranspose(), nullptr,
                 {Tensor<int16_t>(dims, x, 0.1f, 0), Tensor<int32_t>({6}, perm).Const()},
                 {Output<int16_t>({3, 3, 2, 2, 1, 2}, 0.1f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), Oracle(dims, perm, x));
}

TEST(TransposeTest, RejectsBadPermutationAndShape) {
  KernelRunner a(RegisterTranspose(), nullptr,
                 {Output<float>({2, 3}), Tensor<int32_t>({2}, {1, 1}).Const()},
                 {Output<float>({3, 2})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("not a permutation")) << a.errors();
  KernelRunner b(RegisterTranspose(), nullptr,
                 {Output<float>({2, 3}), Tensor<int32_t>({2}, {1, 0}).Const()},
                 {Output<float>({2, 3})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("output dimension 0 is 2, expected 3")) << b.errors();
}

TEST(TransposeTest, RejectsSevenDimensions) {
  KernelRunner r(RegisterTranspose(), nullptr,
                 {Output<float>({1, 1, 1, 1, 1, 1, 1}),
                  Tensor<int32_t>({7}, {0, 1, 2, 3, 4, 5, 6}).Const()},
                 {Output<float>({1, 1, 1, 1, 1, 1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("rank 7 not supported")) << r.errors();
}

}  // namespace
}  // namespace ember::kernels
