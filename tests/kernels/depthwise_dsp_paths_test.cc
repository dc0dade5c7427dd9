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
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {

// Defined in kernels/dsp/depthwise_conv_dsp.cc (the int8 evaluation of the DSP variant).
void DepthwiseConv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output);

namespace {

using testing::TestRng;

struct Shape {
  int batches, in_h, in_w, in_c, dm, stride_h, stride_w;
  bool same;
};

enum class Quant { kRandom, kFullRange, kExtreme, kLeftShifts, kMaxOffset, kHugeBias };

struct DwSetup {
  ConvOpData d{};
  std::vector<int32_t> mults, bias;
  std::vector<int8_t> shifts, input, filter;
};

void Build(const Shape& sh, Quant quant, uint64_t seed, DwSetup* s) {
  TestRng rng(seed);
  ConvOpData& d = s->d;
  const int out_c = sh.in_c * sh.dm;
  d.batches = sh.batches;
  d.in_h = sh.in_h;
  d.in_w = sh.in_w;
  d.in_c = sh.in_c;
  d.out_c = out_c;
  d.filter_h = d.filter_w = 3;
  d.filter_in_c = 1;
  d.depth_multiplier = sh.dm;
  d.stride_h = sh.stride_h;
  d.stride_w = sh.stride_w;
  d.dilation_h = d.dilation_w = 1;
  int32_t out_h = 0, out_w = 0;
  d.padding =
      ComputePaddingHeightWidth(sh.stride_h, sh.stride_w, 1, 1, sh.in_h, sh.in_w, 3, 3,
                                sh.same ? kEmberPaddingSame : kEmberPaddingValid, &out_h, &out_w);
  ASSERT_GT(out_h, 0);
  ASSERT_GT(out_w, 0);
  d.out_h = out_h;
  d.out_w = out_w;
  d.type = kEmberInt8;
  d.input_offset = rng.Int(-127, 128);
  d.output_offset = rng.Int(-128, 127);
  d.act_min = rng.Int(-128, -60);
  d.act_max = rng.Int(60, 127);
  if (quant != Quant::kRandom) {
    d.act_min = -128;
    d.act_max = 127;
  }
  if (quant == Quant::kMaxOffset) d.input_offset = (seed % 2) ? 128 : -127;
  s->mults.resize(static_cast<size_t>(out_c));
  s->shifts.resize(static_cast<size_t>(out_c));
  for (int oc = 0; oc < out_c; ++oc) {
    int32_t m = rng.Int(1 << 30, INT32_MAX);
    int32_t shift = rng.Int(-12, -1);
    if (quant == Quant::kExtreme) {
      const int32_t ms[] = {0, 1, 1 << 30, INT32_MAX, m};
      const int32_t shifts[] = {-31, -1, -30, -20, -2, shift};
      m = ms[oc % 5];
      shift = shifts[oc % 6];
    } else if (quant == Quant::kLeftShifts) {
      shift = rng.Int(-1, 2);
    }
    s->mults[static_cast<size_t>(oc)] = m;
    s->shifts[static_cast<size_t>(oc)] = static_cast<int8_t>(shift);
  }
  d.multipliers = s->mults.data();
  d.shifts = s->shifts.data();
  s->input = rng.Ints<int8_t>(static_cast<size_t>(sh.batches * sh.in_h * sh.in_w * sh.in_c));
  s->filter = rng.Ints<int8_t>(static_cast<size_t>(9 * out_c));
  for (size_t i = 0; i < s->input.size(); i += 5) s->input[i] = -128;
  for (size_t i = 0; i < s->input.size(); i += 11) s->input[i] = 127;
  for (size_t i = 0; i < s->filter.size(); i += 3) s->filter[i] = (i % 2) ? 127 : -128;
  s->bias.resize(static_cast<size_t>(out_c));
  for (auto& b : s->bias) b = rng.Int(-60000, 60000);
  if (quant == Quant::kHugeBias) {
    // Around the doubled-sum limit (|bias| < 2^30 - 2^19) and the int32 extremes.
    const int32_t big[] = {(1 << 30) - (1 << 19) - 1, (1 << 30) - (1 << 19), -(1 << 30),
                           INT32_MAX - 300000,        INT32_MIN + 300000,    12345};
    for (size_t i = 0; i < s->bias.size(); ++i) s->bias[i] = big[i % 6];
  }
}

// The plain per-tap loop.
std::vector<int8_t> Naive(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                          const int32_t* bias) {
  std::vector<int8_t> out(static_cast<size_t>(d.batches * d.out_h * d.out_w * d.out_c));
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          uint32_t acc = 0;
          for (int32_t fy = 0; fy < 3; ++fy) {
            for (int32_t fx = 0; fx < 3; ++fx) {
              const int32_t iy = oy * d.stride_h - d.padding.height + fy;
              const int32_t ix = ox * d.stride_w - d.padding.width + fx;
              if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
              const int32_t x =
                  input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + oc / d.depth_multiplier];
              const int32_t w = filter[(fy * 3 + fx) * d.out_c + oc];
              acc += static_cast<uint32_t>(w * (x + d.input_offset));
            }
          }
          if (bias != nullptr) acc += static_cast<uint32_t>(bias[oc]);
          int32_t v = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), d.multipliers[oc],
                                                    d.shifts[oc]);
          v += d.output_offset;
          out[static_cast<size_t>(((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc)] =
              static_cast<int8_t>(Clamp32(v, d.act_min, d.act_max));
        }
      }
    }
  }
  return out;
}

void Check(const Shape& sh, Quant quant, uint64_t seed, bool with_bias = true) {
  DwSetup s;
  Build(sh, quant, seed, &s);
  if (::testing::Test::HasFatalFailure()) return;
  const int32_t* bias = with_bias ? s.bias.data() : nullptr;
  const std::vector<int8_t> want = Naive(s.d, s.input.data(), s.filter.data(), bias);
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
    DwSetup s;
    Build({1, 6, 9, 4, 1, 1, 1, true}, Quant::kFullRange, 4100, &s);
    std::fill(s.input.begin(), s.input.end(), int8_t{-128});
    std::fill(s.filter.begin(), s.filter.end(), int8_t{-128});
    s.d.input_offset = offset;
    const std::vector<int8_t> want = Naive(s.d, s.input.data(), s.filter.data(), s.bias.data());
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
