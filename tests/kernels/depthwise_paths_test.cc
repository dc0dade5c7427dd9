// Bit-exactness of the int8 3x3 DEPTHWISE_CONV_2D plane path (kernels/depthwise_conv.cc):
// four-window groups for strides 1 and 2 with single-window tails, the zero-point border
// filled once per band, the one-multiply requantization (conv_internal::RequantRight) and
// the saturating clamp for the full activation range. Every case is compared with the
// plain per-tap loop below (TFLite reference structure, written independently of the
// kernels: every tap bounds-checked, w * (x + input_offset), then
// MultiplyByQuantizedMultiplier), on random data with forced extremes: input offsets
// -127 and 128, zero-point runs of -128 inputs and +-127/-128 weights, multipliers 0,
// 2^30 and 2^31 - 1, shifts -31 (all outputs round to the zero point) up to +2 (the
// left-shift form), odd sizes, every output width 1..13 (every group tail), SAME and VALID
// padding, images taller than one band.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/internal/quant_util.h"
#include "tests/kernels/depthwise3x3_cases.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::TestRng;

using Shape = testing::Dw3x3Shape;
using Quant = testing::Dw3x3Quant;
using testing::BuildDw3x3;
using testing::NaiveDw3x3;

// The plane path (both product forms) and the dispatching reference must equal the loop.
void Check(const Shape& sh, Quant quant, uint64_t seed, bool with_bias = true) {
  testing::Dw3x3Setup s;
  BuildDw3x3(sh, quant, seed, &s);
  if (::testing::Test::HasFatalFailure()) return;
  const int32_t* bias = with_bias ? s.bias.data() : nullptr;
  const std::vector<int8_t> want = NaiveDw3x3(s.d, s.input.data(), s.filter.data(), bias);
  for (int packed = 0; packed < 2; ++packed) {
    std::vector<int8_t> got(want.size(), 0);
    ASSERT_TRUE(DepthwiseConv2dEvalS8Plane(s.d, s.input.data(), s.filter.data(), bias, got.data(),
                                           packed == 1))
        << "seed " << seed;
    EXPECT_EQ(got, want) << "seed " << seed << " packed " << packed << " out_w " << s.d.out_w;
  }
  std::vector<int8_t> got(want.size(), 0);
  DepthwiseConv2dEvalS8Reference(s.d, s.input.data(), s.filter.data(), bias, got.data());
  EXPECT_EQ(got, want) << "seed " << seed << " reference dispatch";
}

TEST(DepthwisePlanePaths, EveryOutputWidthStride1And2) {
  uint64_t seed = 100;
  for (int in_w = 1; in_w <= 26; ++in_w) {
    for (int stride = 1; stride <= 2; ++stride) {
      for (int same = 0; same < 2; ++same) {
        if (!same && in_w < 3) continue;
        const Quant q = (in_w % 3 == 0) ? Quant::kFullRange : Quant::kRandom;
        Check({1, 5 + in_w % 3, in_w, 3, 1, stride, stride, same == 1}, q, seed++);
      }
    }
  }
}

TEST(DepthwisePlanePaths, VwwShapes) {
  // person_detect's depthwise layers (depth multiplier 1, SAME), channels cut to keep the
  // test fast: 48x48 s1, 48x48 s2, 24x24 s1/s2, 12x12 s1/s2, 6x6 s1/s2, 3x3 s1.
  Check({1, 48, 48, 3, 1, 1, 1, true}, Quant::kFullRange, 200);
  Check({1, 48, 48, 2, 1, 2, 2, true}, Quant::kFullRange, 201);
  Check({1, 24, 24, 4, 1, 1, 1, true}, Quant::kFullRange, 202);
  Check({1, 24, 24, 4, 1, 2, 2, true}, Quant::kRandom, 203);
  Check({1, 12, 12, 8, 1, 1, 1, true}, Quant::kFullRange, 204);
  Check({1, 12, 12, 8, 1, 2, 2, true}, Quant::kFullRange, 205);
  Check({1, 6, 6, 16, 1, 1, 1, true}, Quant::kFullRange, 206);
  Check({1, 6, 6, 16, 1, 2, 2, true}, Quant::kRandom, 207);
  Check({1, 3, 3, 16, 1, 1, 1, true}, Quant::kFullRange, 208);
}

TEST(DepthwisePlanePaths, ExtremeQuantization) {
  uint64_t seed = 300;
  for (const Quant q : {Quant::kExtreme, Quant::kLeftShifts, Quant::kMaxOffset}) {
    Check({1, 9, 10, 10, 1, 1, 1, true}, q, seed++);
    Check({1, 9, 11, 10, 1, 2, 2, true}, q, seed++);
    Check({2, 7, 13, 5, 2, 1, 1, false}, q, seed++, false);
    Check({1, 8, 9, 4, 3, 2, 1, true}, q, seed++);
  }
  // Every input and weight -128 with the largest offset: the largest accumulators.
  testing::Dw3x3Setup s;
  BuildDw3x3({1, 6, 9, 4, 1, 1, 1, true}, Quant::kFullRange, 310, &s);
  std::fill(s.input.begin(), s.input.end(), int8_t{-128});
  std::fill(s.filter.begin(), s.filter.end(), int8_t{-128});
  s.d.input_offset = -127;
  const std::vector<int8_t> want = NaiveDw3x3(s.d, s.input.data(), s.filter.data(), s.bias.data());
  std::vector<int8_t> got(want.size(), 0);
  ASSERT_TRUE(DepthwiseConv2dEvalS8Plane(s.d, s.input.data(), s.filter.data(), s.bias.data(),
                                         got.data(), false));
  EXPECT_EQ(got, want);
}

TEST(DepthwisePlanePaths, SeveralBandsAndStrides) {
  // Taller than one band of the plane buffer (10 rows on cores without DSP, 52 elsewhere):
  // the border fill is redone per band; strides 3 and (1, 2) use single windows only.
  Check({1, 75, 20, 3, 1, 1, 1, true}, Quant::kFullRange, 400);
  Check({1, 71, 21, 2, 1, 2, 2, false}, Quant::kRandom, 401);
  Check({2, 60, 9, 2, 2, 2, 1, true}, Quant::kRandom, 402);
  Check({1, 13, 17, 3, 1, 3, 3, true}, Quant::kRandom, 403);
  Check({1, 14, 15, 3, 1, 1, 2, true}, Quant::kFullRange, 404);
}

TEST(DepthwisePlanePaths, RequantRightMatchesMultiplyByQuantizedMultiplier) {
  TestRng rng(77);
  const int32_t xs[] = {INT32_MIN,
                        INT32_MIN + 1,
                        -(1 << 30) - 1,
                        -(1 << 30),
                        -65537,
                        -65536,
                        -3,
                        -2,
                        -1,
                        0,
                        1,
                        2,
                        3,
                        65535,
                        65536,
                        1 << 30,
                        INT32_MAX - 1,
                        INT32_MAX};
  const int32_t ms[] = {0, 1, 3, (1 << 30) - 1, 1 << 30, (1 << 30) + 1, INT32_MAX - 1, INT32_MAX};
  for (int32_t shift = -31; shift <= -1; ++shift) {
    for (int32_t m : ms) {
      ASSERT_TRUE(conv_internal::RequantRight::Applies(m, shift));
      const conv_internal::RequantRight q(m, shift);
      for (int32_t x : xs) {
        ASSERT_EQ(q.Apply(x), MultiplyByQuantizedMultiplier(x, m, shift))
            << x << " " << m << " " << shift;
      }
    }
    for (int i = 0; i < 20000; ++i) {
      const int32_t m = (i % 4) ? rng.Int(1 << 30, INT32_MAX) : rng.Int(0, INT32_MAX);
      const int32_t x = (i % 2) ? static_cast<int32_t>(rng.Next()) : rng.Int(-(1 << 23), 1 << 23);
      const conv_internal::RequantRight q(m, shift);
      ASSERT_EQ(q.Apply(x), MultiplyByQuantizedMultiplier(x, m, shift))
          << x << " " << m << " " << shift;
    }
    // Exact ties of the final rounding: x * m = (2k + 1) * 2^(30 + r) with m = 2^30.
    const int32_t r = -shift;
    if (r <= 30) {
      for (int32_t k = -5; k <= 5; ++k) {
        // A product, not a shift: shifting a negative value is undefined in C++17.
        const int64_t x64 = (2 * int64_t{k} + 1) * (int64_t{1} << r);
        if (x64 < INT32_MIN || x64 > INT32_MAX) continue;
        const int32_t x = static_cast<int32_t>(x64);
        const conv_internal::RequantRight q(1 << 30, shift);
        ASSERT_EQ(q.Apply(x), MultiplyByQuantizedMultiplier(x, 1 << 30, shift)) << x << " " << r;
      }
    }
  }
  EXPECT_FALSE(conv_internal::RequantRight::Applies(1 << 30, 0));
  EXPECT_FALSE(conv_internal::RequantRight::Applies(-(1 << 30), -3));
}

}  // namespace
}  // namespace ember::kernels
