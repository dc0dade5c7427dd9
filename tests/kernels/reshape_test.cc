// RESHAPE kernel tests. Golden data: hand-written (a reshape copies bytes unchanged).
#include <gtest/gtest.h>

#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::Tensor;

TEST(Reshape, NewShapeOptionWithInferredDim) {
  EmberReshapeParams p{};
  p.num_dims = 3;
  p.shape[0] = -1;
  p.shape[1] = 2;
  p.shape[2] = 2;
  KernelRunner r(RegisterReshape(), &p, {Tensor<int8_t>({1, 8}, {1, 2, 3, 4, 5, 6, 7, -8}, 0.5f, 1)},
                 {Output<int8_t>({2, 2, 2}, 0.5f, 1)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{1, 2, 3, 4, 5, 6, 7, -8}));
}

TEST(Reshape, ShapeTensorInputFloat) {
  EmberReshapeParams p{};
  KernelRunner r(RegisterReshape(), &p,
                 {Tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6}), Tensor<int32_t>({2}, {3, 2}).Const()},
                 {Output<float>({3, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Reshape, OutputShapeOnlyInt16) {
  KernelRunner r(RegisterReshape(), nullptr, {Tensor<int16_t>({4}, {-300, 2, 3, 32767})},
                 {Output<int16_t>({2, 1, 2})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{-300, 2, 3, 32767}));
}

TEST(Reshape, RejectsMismatches) {
  EmberReshapeParams p{};
  p.num_dims = 2;
  p.shape[0] = 4;
  p.shape[1] = 2;
  KernelRunner r(RegisterReshape(), &p, {Tensor<float>({8}, std::vector<float>(8, 1.f))},
                 {Output<float>({2, 4})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("output dimension 0 is 2 but the new_shape option asks for 4"))
      << r.errors();
  KernelRunner r2(RegisterReshape(), nullptr, {Tensor<float>({8}, std::vector<float>(8, 1.f))},
                  {Output<float>({3, 3})});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("output has 9 elements, input has 8")) << r2.errors();
  KernelRunner r3(RegisterReshape(), nullptr, {Tensor<float>({2}, {1, 2})},
                  {Output<int32_t>({2})});
  EXPECT_EQ(r3.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r3.HasError("output type INT32 differs from input type FLOAT32")) << r3.errors();
  EmberReshapeParams p2{};
  p2.num_dims = 2;
  p2.shape[0] = -1;
  p2.shape[1] = -1;
  KernelRunner r4(RegisterReshape(), &p2, {Tensor<float>({2}, {1, 2})}, {Output<float>({1, 2})});
  EXPECT_EQ(r4.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r4.HasError("more than one -1")) << r4.errors();
}

}  // namespace
}  // namespace ember::kernels
