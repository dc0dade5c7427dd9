// Bit-exactness of the DSP variant's 3x3 DEPTHWISE_CONV_2D plane path
// (kernels/dsp/depthwise_conv_dsp.cc, Depthwise3x3PlaneDsp): two windows per load at
// stride 1 with a single-window tail, one window per load at stride 2 and at other
// strides, any depth multiplier (VWW's first layer: 1 input channel, multiplier 8, stride
// 2, 96 wide: two column tiles), bands of output rows, SAME and VALID padding, batches,
// no bias, the doubled-sum requantization (dsp::DoubledRequant) and its fallback
// (left shifts, |bias| too large for the doubled sums), full and clamped activation
// ranges. Every case is compared with the plain per-tap loop below (TFLite reference
// structure, written independently of the kernels: every tap bounds-checked,
// w * (x + input_offset), then MultiplyByQuantizedMultiplier) and with the reference
// kernel, on random data with forced extremes (inputs and weights -128/127, input offsets
// -127 and 128, multipliers 0, 1, 2^30, 2^31 - 1, shifts -31..2). On the host the DSP
// instructions are the portable versions; tests/kernels_emulated runs this file on the
// Cortex-M4/M7 boards with the real instructions. The new intrinsics (SMLATB, SMLABT,
// SMMLAR, SSAT #8) are checked against their definitions.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/quant_util.h"
#include "tests/kernels/depthwise3x3_cases.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {

// Defined in kernels/dsp/depthwise_conv_dsp.cc (the int8 evaluation of the DSP variant).
void DepthwiseConv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output);

namespace {

using testing::TestRng;

using Shape = testing::Dw3x3Shape;
using Quant = testing::Dw3x3Quant;
using testing::BuildDw3x3;
using testing::NaiveDw3x3;

void Check(const Shape& sh, Quant quant, uint64_t seed, bool with_bias = true) {
  testing::Dw3x3Setup s;
  BuildDw3x3(sh, quant, seed, &s);
  if (::testing::Test::HasFatalFailure()) return;
  const int32_t* bias = with_bias ? s.bias.data() : nullptr;
  const std::vector<int8_t> want = NaiveDw3x3(s.d, s.input.data(), s.filter.data(), bias);
  std::vector<int8_t> got(want.size(), 0);
  DepthwiseConv2dEvalS8Dsp(s.d, s.input.data(), s.filter.data(), bias, got.data());
  EXPECT_EQ(got, want) << "seed " << seed << " in " << sh.in_h << "x" << sh.in_w << "x" << sh.in_c
                       << " dm " << sh.dm << " stride " << sh.stride_h << "," << sh.stride_w
                       << " same " << sh.same;
  std::vector<int8_t> ref(want.size(), 0);
  DepthwiseConv2dEvalS8Reference(s.d, s.input.data(), s.filter.data(), bias, ref.data());
  EXPECT_EQ(ref, want) << "seed " << seed << " reference";
}

TEST(DepthwiseDspPaths, EveryOutputWidthAndStride) {
  uint64_t seed = 1000;
  for (int in_w = 1; in_w <= 21; ++in_w) {
    for (int stride = 1; stride <= 3; ++stride) {
      for (int same = 0; same < 2; ++same) {
        if (!same && in_w < 3) continue;
        const Quant q = (in_w % 3 == 0) ? Quant::kFullRange : Quant::kRandom;
        const int in_c = 1 + in_w % 5;
        Check({1, 4 + in_w % 4, in_w, in_c, 1, stride, stride, same == 1}, q, seed++);
      }
    }
  }
}

TEST(DepthwiseDspPaths, DepthMultipliers) {
  uint64_t seed = 2000;
  for (int dm : {2, 3, 8}) {
    for (int stride = 1; stride <= 2; ++stride) {
      Check({1, 9, 11, 1, dm, stride, stride, true}, Quant::kFullRange, seed++);
      Check({2, 7, 8, 3, dm, stride, stride, false}, Quant::kRandom, seed++);
    }
  }
  // Mixed strides and rows.
  Check({1, 10, 13, 3, 2, 2, 1, true}, Quant::kRandom, seed++);
  Check({1, 13, 10, 2, 1, 1, 2, true}, Quant::kFullRange, seed++);
}

TEST(DepthwiseDspPaths, VwwShapes) {
  // person_detect's depthwise layers (SAME), channels cut to keep the test fast: the first
  // layer as it is (96x96x1, multiplier 8, stride 2: two column tiles and several bands),
  // then 48x48 s1/s2, 24x24 s1/s2, 12x12 s1/s2, 6x6 s1/s2, 3x3 s1 with multiplier 1.
  Check({1, 96, 96, 1, 8, 2, 2, true}, Quant::kFullRange, 3000);
  Check({1, 48, 48, 2, 1, 1, 1, true}, Quant::kFullRange, 3001);
  Check({1, 48, 48, 2, 1, 2, 2, true}, Quant::kRandom, 3002);
  Check({1, 24, 24, 4, 1, 1, 1, true}, Quant::kFullRange, 3003);
  Check({1, 24, 24, 4, 1, 2, 2, true}, Quant::kFullRange, 3004);
  Check({1, 12, 12, 8, 1, 1, 1, true}, Quant::kRandom, 3005);
  Check({1, 12, 12, 8, 1, 2, 2, true}, Quant::kFullRange, 3006);
  Check({1, 6, 6, 16, 1, 1, 1, true}, Quant::kFullRange, 3007);
  Check({1, 6, 6, 16, 1, 2, 2, true}, Quant::kRandom, 3008);
  Check({1, 3, 3, 16, 1, 1, 1, true}, Quant::kFullRange, 3009);
}

TEST(DepthwiseDspPaths, ExtremeQuantizationAndBias) {
  uint64_t seed = 4000;
  for (const Quant q : {Quant::kExtreme, Quant::kLeftShifts, Quant::kMaxOffset, Quant::kHugeBias}) {
    Check({1, 9, 10, 7, 1, 1, 1, true}, q, seed++);
    Check({1, 9, 11, 6, 1, 2, 2, true}, q, seed++);
    Check({2, 7, 13, 5, 2, 1, 1, false}, q, seed++, false);
    Check({1, 8, 9, 2, 3, 2, 1, true}, q, seed++);
    Check({1, 8, 9, 1, 8, 3, 3, true}, q, seed++);
  }
  // Every input and weight -128 with the largest offsets: the largest accumulators.
  for (const int32_t offset : {-127, 128}) {
    testing::Dw3x3Setup s;
    BuildDw3x3({1, 6, 9, 4, 1, 1, 1, true}, Quant::kFullRange, 4100, &s);
    std::fill(s.input.begin(), s.input.end(), int8_t{-128});
    std::fill(s.filter.begin(), s.filter.end(), int8_t{-128});
    s.d.input_offset = offset;
    const std::vector<int8_t> want = NaiveDw3x3(s.d, s.input.data(), s.filter.data(), s.bias.data());
    std::vector<int8_t> got(want.size(), 0);
    DepthwiseConv2dEvalS8Dsp(s.d, s.input.data(), s.filter.data(), s.bias.data(), got.data());
    EXPECT_EQ(got, want) << offset;
  }
}

TEST(DepthwiseDspPaths, BandsAndTiles) {
  // Taller than a band (10 output rows at stride 1, 5 at stride 2) and wider than a tile
  // (62 outputs at stride 1, 31 at stride 2, 21 at stride 3).
  Check({1, 31, 9, 2, 1, 1, 1, true}, Quant::kFullRange, 5000);
  Check({1, 23, 70, 2, 1, 1, 1, false}, Quant::kRandom, 5001);
  Check({1, 12, 131, 1, 2, 2, 2, true}, Quant::kRandom, 5002);
  Check({2, 25, 67, 1, 1, 3, 3, true}, Quant::kFullRange, 5003);
  Check({1, 21, 64, 3, 1, 1, 1, true}, Quant::kFullRange, 5004);
}

TEST(DepthwiseDspPaths, DoubledRequantMatchesMultiplyByQuantizedMultiplier) {
  TestRng rng(91);
  const int32_t limit = (1 << 30) - 1;
  const int32_t xs[] = {-limit, -limit + 1, -(1 << 29), -65537, -65536, -3,      -2,        -1,   0,
                        1,      2,          3,          65535,  65536,  1 << 29, limit - 1, limit};
  const int32_t ms[] = {0, 1, 3, (1 << 30) - 1, 1 << 30, (1 << 30) + 1, INT32_MAX - 1, INT32_MAX};
  for (int32_t shift = -31; shift <= -1; ++shift) {
    for (int32_t m : ms) {
      ASSERT_TRUE(dsp::DoubledRequant::Applies(m, shift));
      const dsp::DoubledRequant q(m, shift);
      for (int32_t x : xs) {
        ASSERT_EQ(q.Apply(2 * x), MultiplyByQuantizedMultiplier(x, m, shift))
            << x << " " << m << " " << shift;
      }
    }
    for (int i = 0; i < 5000; ++i) {
      const int32_t m = (i % 4) ? rng.Int(1 << 30, INT32_MAX) : rng.Int(0, INT32_MAX);
      const int32_t x = (i % 2) ? rng.Int(-limit, limit) : rng.Int(-(1 << 20), 1 << 20);
      const dsp::DoubledRequant q(m, shift);
      ASSERT_EQ(q.Apply(2 * x), MultiplyByQuantizedMultiplier(x, m, shift))
          << x << " " << m << " " << shift;
    }
    // Exact ties of the final rounding: x * m = (2k + 1) * 2^(30 + r) with m = 2^30.
    const int32_t r = -shift;
    if (r <= 29) {
      for (int32_t k = -5; k <= 5; ++k) {
        const int64_t x64 = (2 * int64_t{k} + 1) * (int64_t{1} << r);
        if (x64 < -limit || x64 > limit) continue;
        const int32_t x = static_cast<int32_t>(x64);
        const dsp::DoubledRequant q(1 << 30, shift);
        ASSERT_EQ(q.Apply(2 * x), MultiplyByQuantizedMultiplier(x, 1 << 30, shift)) << x;
      }
    }
  }
  EXPECT_FALSE(dsp::DoubledRequant::Applies(1 << 30, 0));
  EXPECT_FALSE(dsp::DoubledRequant::Applies(-(1 << 30), -3));
}

int32_t SextH(uint32_t x, int half) { return static_cast<int16_t>((x >> (16 * half)) & 0xFFFF); }

TEST(DepthwiseDspPaths, NewIntrinsicsMatchDefinitions) {
  TestRng rng(92);
  std::vector<uint32_t> values = {0u,          0xFFFFFFFFu, 0x80008000u, 0x7FFF7FFFu,
                                  0x80000000u, 0x7FFFFFFFu, 0x00017FFFu};
  for (int i = 0; i < 3000; ++i) values.push_back(rng.Next());
  for (size_t i = 0; i + 2 < values.size(); ++i) {
    const uint32_t a = values[i], b = values[i + 1];
    const int32_t c = static_cast<int32_t>(values[i + 2]);
    const auto wrap = [](int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); };
    ASSERT_EQ(dsp::Smlatb(a, b, c), wrap(int64_t{c} + SextH(a, 1) * SextH(b, 0)));
    ASSERT_EQ(dsp::Smlabt(a, b, c), wrap(int64_t{c} + SextH(a, 0) * SextH(b, 1)));
    // SMMLAR: bits 63..32 of (c << 32) + a * b + 2^31, modulo 2^64 (as an int128-free sum
    // of the three terms' high and low words).
    const int64_t prod = int64_t{static_cast<int32_t>(a)} * static_cast<int32_t>(b);
    const uint64_t sum =
        (uint64_t{static_cast<uint32_t>(c)} << 32) + static_cast<uint64_t>(prod) + 0x80000000u;
    ASSERT_EQ(dsp::Smmlar(static_cast<int32_t>(a), static_cast<int32_t>(b), c),
              static_cast<int32_t>(static_cast<uint32_t>(sum >> 32)));
    const int32_t v = static_cast<int32_t>(a) >> (i % 24);
    ASSERT_EQ(dsp::Ssat8(v), v < -128 ? -128 : (v > 127 ? 127 : v));
  }
}

}  // namespace
}  // namespace ember::kernels
