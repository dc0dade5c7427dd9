// Bit-exactness of the int8 CONV_2D / DEPTHWISE_CONV_2D paths: the special-cased paths
// (1x1 stride-1 matrix multiply; 3x3 depthwise with interior/border split) and the general
// paths must give exactly the outputs of the plain TFLite-style per-tap loop (written out
// below, independent of the kernels: every tap is bounds-checked and adds
// w * (x + input_offset)), on random data including extreme values, every padding, stride
// and dilation combination the fast paths special-case and their borders.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/internal/quant_util.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::TestRng;

struct Case {
  int batches, in_h, in_w, in_c, filter_h, filter_w, out_c;
  int stride_h, stride_w, dil_h, dil_w;
  bool same;
};

// Op data as Prepare would fill it, with random per-channel multipliers and shifts
// (some > 1), random offsets and activation range.
struct PathSetup {
  ConvOpData d{};
  std::vector<int32_t> mults;
  std::vector<int8_t> shifts;
  std::vector<int8_t> input, filter, output_fast, output_general, output_naive;
  std::vector<int32_t> bias;
};

void Build(const Case& c, bool depthwise, uint64_t seed, PathSetup* s) {
  TestRng rng(seed);
  ConvOpData& d = s->d;
  d.batches = c.batches;
  d.in_h = c.in_h;
  d.in_w = c.in_w;
  d.in_c = c.in_c;
  d.out_c = c.out_c;
  d.filter_h = c.filter_h;
  d.filter_w = c.filter_w;
  d.filter_in_c = depthwise ? 1 : c.in_c;
  d.depth_multiplier = depthwise ? c.out_c / c.in_c : 1;
  d.stride_h = c.stride_h;
  d.stride_w = c.stride_w;
  d.dilation_h = c.dil_h;
  d.dilation_w = c.dil_w;
  int32_t out_h = 0, out_w = 0;
  d.padding = ComputePaddingHeightWidth(c.stride_h, c.stride_w, c.dil_h, c.dil_w, c.in_h,
                                        c.in_w, c.filter_h, c.filter_w,
                                        c.same ? kEmberPaddingSame : kEmberPaddingValid,
                                        &out_h, &out_w);
  ASSERT_GT(out_h, 0);
  ASSERT_GT(out_w, 0);
  d.out_h = out_h;
  d.out_w = out_w;
  d.type = kEmberInt8;
  d.input_offset = rng.Int(-127, 128);
  d.output_offset = rng.Int(-128, 127);
  d.act_min = rng.Int(-128, -100);
  d.act_max = rng.Int(100, 127);
  s->mults.resize(static_cast<size_t>(c.out_c));
  s->shifts.resize(static_cast<size_t>(c.out_c));
  for (int oc = 0; oc < c.out_c; ++oc) {
    s->mults[static_cast<size_t>(oc)] = rng.Int(1 << 30, INT32_MAX);
    s->shifts[static_cast<size_t>(oc)] = static_cast<int8_t>(rng.Int(-12, 1));
  }
  d.multipliers = s->mults.data();
  d.shifts = s->shifts.data();
  const size_t in_n = static_cast<size_t>(c.batches * c.in_h * c.in_w * c.in_c);
  const size_t f_n = static_cast<size_t>(c.filter_h * c.filter_w * c.out_c * d.filter_in_c);
  // Extremes on purpose: -128 inputs and weights give the largest products.
  s->input = rng.Ints<int8_t>(in_n);
  s->filter = rng.Ints<int8_t>(f_n);
  for (size_t i = 0; i < s->input.size(); i += 7) s->input[i] = -128;
  for (size_t i = 0; i < s->filter.size(); i += 5) s->filter[i] = (i % 2) ? 127 : -128;
  s->bias.resize(static_cast<size_t>(c.out_c));
  for (auto& b : s->bias) b = rng.Int(-50000, 50000);
  const size_t out_n = static_cast<size_t>(c.batches * out_h * out_w * c.out_c);
  s->output_fast.assign(out_n, 0);
  s->output_general.assign(out_n, 0);
  s->output_naive.assign(out_n, 0);
}

// The plain per-tap loop (TFLite reference structure) for both ops.
void Naive(const ConvOpData& d, bool depthwise, const int8_t* input, const int8_t* filter,
           const int32_t* bias, int8_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          int32_t acc = 0;
          for (int32_t fy = 0; fy < d.filter_h; ++fy) {
            for (int32_t fx = 0; fx < d.filter_w; ++fx) {
              const int32_t iy = oy * d.stride_h - d.padding.height + fy * d.dilation_h;
              const int32_t ix = ox * d.stride_w - d.padding.width + fx * d.dilation_w;
              if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
              const int32_t pix = ((b * d.in_h + iy) * d.in_w + ix) * d.in_c;
              if (depthwise) {
                const int32_t x = input[pix + oc / d.depth_multiplier];
                const int32_t w = filter[(fy * d.filter_w + fx) * d.out_c + oc];
                acc += w * (x + d.input_offset);
              } else {
                for (int32_t ic = 0; ic < d.filter_in_c; ++ic) {
                  const int32_t x = input[pix + ic];
                  const int32_t w =
                      filter[((oc * d.filter_h + fy) * d.filter_w + fx) * d.filter_in_c + ic];
                  acc += w * (x + d.input_offset);
                }
              }
            }
          }
          if (bias != nullptr) acc += bias[oc];
          acc = MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]);
          acc += d.output_offset;
          output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
              static_cast<int8_t>(Clamp32(acc, d.act_min, d.act_max));
        }
      }
    }
  }
}

void CheckConv(const Case& c, uint64_t seed, bool with_bias = true) {
  PathSetup s;
  Build(c, false, seed, &s);
  if (::testing::Test::HasFatalFailure()) return;
  const int32_t* bias = with_bias ? s.bias.data() : nullptr;
  Naive(s.d, false, s.input.data(), s.filter.data(), bias, s.output_naive.data());
  Conv2dEvalS8Reference(s.d, s.input.data(), s.filter.data(), bias, s.output_fast.data());
  Conv2dEvalS8General(s.d, s.input.data(), s.filter.data(), bias, s.output_general.data());
  EXPECT_EQ(s.output_fast, s.output_naive) << "seed " << seed;
  EXPECT_EQ(s.output_general, s.output_naive) << "seed " << seed;
  for (int packed = 0; packed < 2; ++packed) {
    std::vector<int8_t> out(s.output_naive.size(), 0);
    if (Conv2dEvalS8Patch(s.d, s.input.data(), s.filter.data(), bias, out.data(),
                          packed == 1)) {
      EXPECT_EQ(out, s.output_naive) << "seed " << seed << " patch packed " << packed;
    }
  }
  for (int pointwise_mode = 0; pointwise_mode < 2; ++pointwise_mode) {
    if (c.filter_h != 1 || c.filter_w != 1 || c.stride_h != 1 || c.stride_w != 1) break;
    std::vector<int8_t> out(s.output_naive.size(), 0);
    Conv2dEvalS8Pointwise(s.d, s.input.data(), s.filter.data(), bias, out.data(),
                          pointwise_mode == 1);
    EXPECT_EQ(out, s.output_naive) << "seed " << seed << " packed " << pointwise_mode;
  }
}

void CheckDepthwise(const Case& c, uint64_t seed, bool with_bias = true) {
  PathSetup s;
  Build(c, true, seed, &s);
  if (::testing::Test::HasFatalFailure()) return;
  const int32_t* bias = with_bias ? s.bias.data() : nullptr;
  Naive(s.d, true, s.input.data(), s.filter.data(), bias, s.output_naive.data());
  DepthwiseConv2dEvalS8Reference(s.d, s.input.data(), s.filter.data(), bias,
                                 s.output_fast.data());
  DepthwiseConv2dEvalS8General(s.d, s.input.data(), s.filter.data(), bias,
                               s.output_general.data());
  EXPECT_EQ(s.output_fast, s.output_naive) << "seed " << seed;
  EXPECT_EQ(s.output_general, s.output_naive) << "seed " << seed;
  if (c.filter_h == 3 && c.filter_w == 3 && c.dil_h == 1 && c.dil_w == 1) {
    for (int packed = 0; packed < 2; ++packed) {
      std::vector<int8_t> out(s.output_naive.size(), 0);
      if (DepthwiseConv2dEvalS8Plane(s.d, s.input.data(), s.filter.data(), bias, out.data(),
                                     packed == 1)) {
        EXPECT_EQ(out, s.output_naive) << "seed " << seed << " plane packed " << packed;
      }
    }
    std::vector<int8_t> out(s.output_naive.size(), 0);
    if (DepthwiseConv2dEvalS8Multiplier(s.d, s.input.data(), s.filter.data(), bias,
                                        out.data())) {
      EXPECT_EQ(out, s.output_naive) << "seed " << seed << " multiplier path";
    }
  }
}

TEST(DepthwisePaths, PlaneTilesWidePlanesAndCoversVww) {
  // Wider than one 64-column plane row: column tiles (SAME/VALID, strides 1/2).
  PathSetup s;
  Build({1, 8, 70, 2, 3, 3, 2, 1, 1, 1, 1, true}, true, 50, &s);
  Naive(s.d, true, s.input.data(), s.filter.data(), s.bias.data(), s.output_naive.data());
  std::vector<int8_t> out(s.output_naive.size(), 0);
  ASSERT_TRUE(DepthwiseConv2dEvalS8Plane(s.d, s.input.data(), s.filter.data(), s.bias.data(),
                                         out.data(), true));
  EXPECT_EQ(out, s.output_naive);
  CheckDepthwise({1, 9, 131, 2, 3, 3, 2, 2, 2, 1, 1, true}, 61);
  CheckDepthwise({1, 7, 129, 2, 3, 3, 4, 1, 1, 1, 1, false}, 62);
  // Taller than one band of the plane buffer: several bands (SAME/VALID, strides 1/2).
  CheckDepthwise({1, 75, 20, 3, 3, 3, 3, 1, 1, 1, 1, true}, 58);
  CheckDepthwise({1, 71, 21, 2, 3, 3, 2, 2, 2, 1, 1, false}, 59);
  CheckDepthwise({2, 60, 9, 2, 3, 3, 4, 2, 1, 1, 1, true}, 60);
  // VWW's largest plane (48 x 48, SAME, stride 1) fits; stride 2 from 48 x 48 too.
  PathSetup t;
  Build({1, 48, 48, 2, 3, 3, 2, 1, 1, 1, 1, true}, true, 51, &t);
  Naive(t.d, true, t.input.data(), t.filter.data(), t.bias.data(), t.output_naive.data());
  std::vector<int8_t> out2(t.output_naive.size(), 0);
  ASSERT_TRUE(DepthwiseConv2dEvalS8Plane(t.d, t.input.data(), t.filter.data(), t.bias.data(),
                                         out2.data(), true));
  EXPECT_EQ(out2, t.output_naive);
  CheckDepthwise({1, 48, 48, 2, 3, 3, 2, 2, 2, 1, 1, true}, 52);
  CheckDepthwise({2, 5, 6, 3, 3, 3, 9, 1, 1, 1, 1, false}, 53);  // dm 3, VALID, batch 2
  // Even depth multipliers too large for the plane: the multiplier path (VWW's first
  // layer is 96 x 96 x 1 -> 48 x 48 x 8, stride 2, SAME).
  PathSetup u;
  Build({1, 96, 96, 1, 3, 3, 8, 2, 2, 1, 1, true}, true, 54, &u);
  Naive(u.d, true, u.input.data(), u.filter.data(), u.bias.data(), u.output_naive.data());
  std::vector<int8_t> out3(u.output_naive.size(), 0);
  ASSERT_TRUE(DepthwiseConv2dEvalS8Multiplier(u.d, u.input.data(), u.filter.data(),
                                              u.bias.data(), out3.data()));
  EXPECT_EQ(out3, u.output_naive);
  CheckDepthwise({1, 70, 65, 1, 3, 3, 8, 2, 2, 1, 1, true}, 55);
  CheckDepthwise({2, 61, 60, 2, 3, 3, 4, 1, 1, 1, 1, false}, 56, false);
  CheckDepthwise({1, 9, 8, 3, 3, 3, 6, 1, 2, 1, 1, true}, 57);
}

TEST(ConvPaths, FastRequantMatchesMultiplyByQuantizedMultiplier) {
  TestRng rng(99);
  const int32_t xs[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30), -65536, -3, -2, -1, 0, 1, 2, 3,
                        65535, 1 << 30, INT32_MAX - 1, INT32_MAX};
  const int32_t ms[] = {INT32_MIN + 1, -(1 << 30), -1, 0, 1, 1 << 30, (1 << 30) + 1,
                        INT32_MAX - 1, INT32_MAX};
  for (int32_t shift = -31; shift <= 30; ++shift) {
    for (int32_t m : ms) {
      const conv_internal::Requant q(m, shift);
      for (int32_t x : xs) {
        ASSERT_EQ(q.Apply(x), MultiplyByQuantizedMultiplier(x, m, shift))
            << x << " " << m << " " << shift;
      }
    }
    for (int i = 0; i < 20000; ++i) {
      const int32_t m = (i % 3) ? rng.Int(0, INT32_MAX) : rng.Int(INT32_MIN + 1, 0);
      const int32_t x = (i % 2) ? static_cast<int32_t>(rng.Next())
                                : rng.Int(-(1 << 23), 1 << 23);
      const conv_internal::Requant q(m, shift);
      ASSERT_EQ(q.Apply(x), MultiplyByQuantizedMultiplier(x, m, shift))
          << x << " " << m << " " << shift;
    }
  }
}

TEST(ConvPaths, Pointwise1x1MatchesNaive) {
  // Odd/even pixel and channel counts hit every tail of the 2x2 blocking; depth 1..300
  // covers the unrolled body, its remainder and the packed accumulator's chunking.
  CheckConv({1, 5, 7, 8, 1, 1, 16, 1, 1, 1, 1, true}, 1);
  CheckConv({1, 3, 3, 3, 1, 1, 5, 1, 1, 1, 1, false}, 2);
  CheckConv({2, 4, 3, 13, 1, 1, 7, 1, 1, 1, 1, true}, 3);
  CheckConv({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, true}, 4);
  CheckConv({1, 2, 3, 300, 1, 1, 3, 1, 1, 1, 1, true}, 5);
  CheckConv({1, 3, 2, 64, 1, 1, 9, 1, 1, 1, 1, true}, 6, false);
  CheckConv({1, 2, 2, 600, 1, 1, 2, 1, 1, 1, 1, true}, 7);
  // Depths with a compile-time specialisation (four-pixel blocks; 256 = two packed
  // chunks), pixel counts that leave 2- and 1-pixel tails, odd channel counts.
  CheckConv({1, 3, 3, 8, 1, 1, 5, 1, 1, 1, 1, true}, 40);
  CheckConv({1, 2, 5, 16, 1, 1, 4, 1, 1, 1, 1, true}, 41);
  CheckConv({2, 3, 1, 32, 1, 1, 6, 1, 1, 1, 1, true}, 42);
  CheckConv({1, 3, 4, 64, 1, 1, 7, 1, 1, 1, 1, true}, 43);
  CheckConv({1, 1, 7, 128, 1, 1, 2, 1, 1, 1, 1, true}, 44, false);
  CheckConv({1, 3, 3, 256, 1, 1, 3, 1, 1, 1, 1, true}, 45);
}

TEST(ConvPaths, PointwiseAllExtremeValuesMatchesNaive) {
  // Every input and weight -128: the largest sums the packed accumulator must hold.
  for (int depth : {520, 256, 128}) {
    PathSetup s;
    Build({1, 3, 3, depth, 1, 1, 4, 1, 1, 1, 1, true}, false, 8, &s);
    std::fill(s.input.begin(), s.input.end(), int8_t{-128});
    std::fill(s.filter.begin(), s.filter.end(), int8_t{-128});
    Naive(s.d, false, s.input.data(), s.filter.data(), s.bias.data(), s.output_naive.data());
    for (int packed = 0; packed < 2; ++packed) {
      std::vector<int8_t> out(s.output_naive.size(), 0);
      Conv2dEvalS8Pointwise(s.d, s.input.data(), s.filter.data(), s.bias.data(), out.data(),
                            packed == 1);
      EXPECT_EQ(out, s.output_naive) << "packed " << packed << " depth " << depth;
    }
  }
}

TEST(ConvPaths, GeneralConvMatchesNaive) {
  CheckConv({1, 7, 6, 3, 3, 3, 4, 1, 1, 1, 1, true}, 11);
  CheckConv({1, 9, 8, 2, 3, 2, 5, 2, 2, 1, 1, false}, 12);
  CheckConv({1, 8, 9, 3, 3, 3, 3, 1, 2, 2, 3, true}, 13);
  CheckConv({2, 10, 7, 2, 2, 3, 4, 1, 1, 3, 2, false}, 14);
  CheckConv({1, 6, 6, 4, 1, 1, 3, 2, 2, 1, 1, true}, 15);  // 1x1 stride 2: general path
  CheckConv({1, 5, 5, 1, 5, 5, 2, 1, 1, 1, 1, true}, 16, false);
  // Patch path limits: receptive field 256 (patch) and 257 (general), 64 and 65 channels.
  CheckConv({1, 6, 5, 16, 4, 4, 3, 1, 1, 1, 1, true}, 17);
  CheckConv({1, 5, 5, 257, 1, 1, 3, 2, 1, 1, 1, true}, 18);
  CheckConv({1, 4, 4, 2, 3, 3, 64, 1, 1, 1, 1, true}, 19);
  CheckConv({1, 4, 3, 2, 3, 3, 65, 2, 1, 1, 1, false}, 20);
  CheckConv({2, 9, 9, 1, 3, 3, 8, 2, 2, 1, 1, true}, 21);  // first-layer shape, batch 2
}

TEST(DepthwisePaths, ThreeByThreeMatchesNaive) {
  // SAME/VALID, strides 1/2 (odd and even sizes move the right border), depth multipliers.
  CheckDepthwise({1, 12, 12, 8, 3, 3, 8, 1, 1, 1, 1, true}, 21);
  CheckDepthwise({1, 12, 11, 8, 3, 3, 8, 2, 2, 1, 1, true}, 22);
  CheckDepthwise({1, 11, 12, 4, 3, 3, 4, 2, 2, 1, 1, true}, 23);
  CheckDepthwise({1, 9, 7, 3, 3, 3, 3, 1, 1, 1, 1, false}, 24);
  CheckDepthwise({1, 10, 9, 3, 3, 3, 3, 2, 2, 1, 1, false}, 25);
  CheckDepthwise({2, 6, 6, 1, 3, 3, 8, 2, 2, 1, 1, true}, 26);  // VWW's first layer shape
  CheckDepthwise({1, 3, 3, 2, 3, 3, 6, 1, 1, 1, 1, true}, 27);
  CheckDepthwise({1, 2, 2, 2, 3, 3, 2, 1, 1, 1, 1, true}, 28);  // no interior at all
  CheckDepthwise({1, 7, 8, 5, 3, 3, 5, 1, 2, 1, 1, true}, 29, false);
  CheckDepthwise({1, 8, 8, 3, 3, 3, 3, 3, 3, 1, 1, true}, 30);
}

TEST(DepthwisePaths, GeneralMatchesNaive) {
  CheckDepthwise({1, 9, 9, 3, 3, 3, 6, 1, 1, 2, 2, true}, 31);  // dilation: general path
  CheckDepthwise({1, 8, 7, 2, 5, 3, 4, 2, 1, 1, 1, true}, 32);
  CheckDepthwise({1, 6, 6, 4, 2, 2, 4, 1, 1, 1, 1, false}, 33);
  CheckDepthwise({1, 10, 6, 2, 3, 3, 2, 1, 1, 3, 1, false}, 34);
}

}  // namespace
}  // namespace ember::kernels
