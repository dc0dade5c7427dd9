// STRIDED_SLICE kernel tests. Golden vectors: the 1D/2D/3D cases restate published
// TensorFlow Lite strided-slice test expectations (inputs 1..N, outputs as given there);
// the ellipsis/new-axis/offset cases were worked out by hand with Python slice semantics
// (each case's Python expression is in its comment).
#include <memory>
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

struct Slice {
  std::vector<int32_t> in_dims;
  std::vector<int32_t> begin, end, strides;
  EmberStridedSliceParams params;
  std::vector<int32_t> out_dims;
};

std::vector<float> Iota(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i + 1);
  return v;
}

std::vector<float> RunSlice(const Slice& s) {
  const int32_t n = static_cast<int32_t>(s.begin.size());
  KernelRunner r(RegisterStridedSlice(), &s.params,
                 {Tensor<float>(s.in_dims, Iota(static_cast<int>(NumElementsOf(s.in_dims)))),
                  Tensor<int32_t>({n}, s.begin).Const(), Tensor<int32_t>({n}, s.end).Const(),
                  Tensor<int32_t>({n}, s.strides).Const()},
                 {Output<float>(s.out_dims)});
  EXPECT_EQ(r.Run(), kEmberOk) << r.errors();
  return r.Output<float>();
}

using V = std::vector<float>;

TEST(StridedSliceTest, OneDimensionalBasics) {
  EXPECT_EQ(RunSlice({{4}, {1}, {3}, {1}, {}, {2}}), (V{2, 3}));
  EXPECT_EQ(RunSlice({{4}, {-3}, {3}, {1}, {}, {2}}), (V{2, 3}));        // negative begin
  EXPECT_EQ(RunSlice({{4}, {-5}, {3}, {1}, {}, {3}}), (V{1, 2, 3}));     // begin clamps
  EXPECT_EQ(RunSlice({{4}, {1}, {-2}, {1}, {}, {1}}), (V{2}));           // negative end
  EXPECT_EQ(RunSlice({{4}, {1}, {3}, {1}, {1, 0, 0, 0, 0, 0}, {3}}), (V{1, 2, 3}));  // begin mask
  EXPECT_EQ(RunSlice({{4}, {1}, {3}, {1}, {0, 1, 0, 0, 0, 0}, {3}}), (V{2, 3, 4}));  // end mask
  EXPECT_EQ(RunSlice({{3}, {0}, {3}, {2}, {}, {2}}), (V{1, 3}));         // stride 2
  EXPECT_EQ(RunSlice({{4}, {10}, {3}, {1}, {}, {0}}), (V{}));            // empty
}

TEST(StridedSliceTest, NegativeStrides) {
  EXPECT_EQ(RunSlice({{4}, {-2}, {-3}, {-1}, {}, {1}}), (V{3}));
  EXPECT_EQ(RunSlice({{4}, {5}, {2}, {-1}, {}, {1}}), (V{4}));
  EXPECT_EQ(RunSlice({{4}, {2}, {-4}, {-1}, {}, {2}}), (V{3, 2}));
  EXPECT_EQ(RunSlice({{4}, {-3}, {-5}, {-1}, {}, {2}}), (V{2, 1}));
  EXPECT_EQ(RunSlice({{3}, {-1}, {-4}, {-1}, {}, {3}}), (V{3, 2, 1}));
  EXPECT_EQ(RunSlice({{2, 3}, {1, -1}, {2, -4}, {2, -1}, {}, {1, 3}}), (V{6, 5, 4}));
  EXPECT_EQ(RunSlice({{2, 3}, {1, -2}, {2, -4}, {1, -1}, {2, 0, 0, 0, 0, 0}, {1, 3}}), (V{6, 5, 4}));
  EXPECT_EQ(RunSlice({{2, 3, 2}, {-1, -1, -1}, {-3, -4, -3}, {-1, -1, -1}, {}, {2, 3, 2}}),
            (V{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(StridedSliceTest, ShrinkAxis) {
  // x = range(1, 5): x[1] -> 2 (scalar), x[-1] -> 4, begin mask + shrink -> x[0].
  EXPECT_EQ(RunSlice({{4}, {1}, {2}, {1}, {0, 0, 0, 0, 1, 0}, {}}), (V{2}));
  EXPECT_EQ(RunSlice({{4}, {-1}, {0}, {1}, {0, 0, 0, 0, 1, 0}, {}}), (V{4}));
  EXPECT_EQ(RunSlice({{4}, {1}, {1}, {1}, {1, 0, 0, 0, 1, 0}, {}}), (V{1}));
  // x = [[1,2,3],[4,5,6]]: x[0, :] -> [1, 2, 3]; x[:, -1] -> [3, 6]
  EXPECT_EQ(RunSlice({{2, 3}, {0, 0}, {1, 3}, {1, 1}, {0, 0, 0, 0, 1, 0}, {3}}), (V{1, 2, 3}));
  EXPECT_EQ(RunSlice({{2, 3}, {0, -1}, {0, 0}, {1, 1}, {1, 1, 0, 0, 2, 0}, {2}}), (V{3, 6}));
}

TEST(StridedSliceTest, EllipsisAndNewAxis) {
  // x = iota(2, 3, 4) (values 1..24). x[..., 1:3] -> shape [2, 3, 2]
  EXPECT_EQ(RunSlice({{2, 3, 4}, {0, 1}, {0, 3}, {1, 1}, {0, 0, 1, 0, 0, 0}, {2, 3, 2}}),
            (V{2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23}));
  // x[1, ..., 0] (shrink both) -> [13, 17, 21]
  EXPECT_EQ(RunSlice({{2, 3, 4}, {1, 0, 0}, {2, 0, 1}, {1, 1, 1}, {0, 0, 2, 0, 5, 0}, {3}}),
            (V{13, 17, 21}));
  // x[np.newaxis, 1, :, ::3] -> shape [1, 3, 2]: rows 13..16, 17..20, 21..24 at cols 0, 3
  EXPECT_EQ(RunSlice({{2, 3, 4}, {0, 1, 0, 0}, {0, 2, 3, 4}, {1, 1, 1, 3}, {0, 0, 0, 1, 2, 0},
                 {1, 3, 2}}),
            (V{13, 16, 17, 20, 21, 24}));
  // x[:, np.newaxis] on [2, 2] -> [2, 1, 2], implicit trailing ellipsis
  EXPECT_EQ(RunSlice({{2, 2}, {0, 0}, {2, 0}, {1, 1}, {0, 0, 0, 2, 0, 0}, {2, 1, 2}}),
            (V{1, 2, 3, 4}));
}

TEST(StridedSliceTest, OffsetEndIsRelativeToBegin) {
  // offset: end = begin + end. x = 1..6: begin 1, end 3 -> x[1:4] = [2, 3, 4]
  EXPECT_EQ(RunSlice({{6}, {1}, {3}, {1}, {0, 0, 0, 0, 0, 1}, {3}}), (V{2, 3, 4}));
  // begin -2 (-> 4), end 2 -> x[4:6] = [5, 6]
  EXPECT_EQ(RunSlice({{6}, {-2}, {2}, {1}, {0, 0, 0, 0, 0, 1}, {2}}), (V{5, 6}));
  // begin 4, end -3, stride -1 -> x[4:1:-1] = [5, 4, 3]
  EXPECT_EQ(RunSlice({{6}, {4}, {-3}, {-1}, {0, 0, 0, 0, 0, 1}, {3}}), (V{5, 4, 3}));
}

TEST(StridedSliceTest, Int8KeepsValuesAndQuantization) {
  EmberStridedSliceParams p{};
  KernelRunner r(RegisterStridedSlice(), &p,
                 {Tensor<int8_t>({5}, {-128, -1, 0, 1, 127}, 0.5f, 3),
                  Tensor<int32_t>({1}, {4}).Const(), Tensor<int32_t>({1}, {-6}).Const(),
                  Tensor<int32_t>({1}, {-2}).Const()},
                 {Output<int8_t>({3}, 0.5f, 3)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{127, 0, -128}));
}

TEST(StridedSliceTest, RejectsZeroStrideWrongShapeAndTwoEllipses) {
  EmberStridedSliceParams p{};
  auto make = [](const EmberStridedSliceParams* params, std::vector<int32_t> strides,
                 std::vector<int32_t> out) {
    return std::make_unique<KernelRunner>(
        RegisterStridedSlice(), params,
        std::vector<TestTensor>{Output<float>({4, 4}), Tensor<int32_t>({2}, {0, 0}).Const(),
                                Tensor<int32_t>({2}, {4, 4}).Const(),
                                Tensor<int32_t>({2}, strides).Const()},
        std::vector<TestTensor>{Output<float>(out)});
  };
  auto a = make(&p, {1, 0}, {4, 4});
  EXPECT_EQ(a->InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a->HasError("stride of spec 1 is 0")) << a->errors();
  auto b = make(&p, {1, 2}, {4, 4});
  EXPECT_EQ(b->InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b->HasError("output dimension 1 is 4, the slice gives 2")) << b->errors();
  EmberStridedSliceParams two{0, 0, 3, 0, 0, 0};
  auto c = make(&two, {1, 1}, {4, 4});
  EXPECT_EQ(c->InitAndPrepare(), kEmberError);
  EXPECT_TRUE(c->HasError("more than one ellipsis")) << c->errors();
}

}  // namespace
}  // namespace ember::kernels
