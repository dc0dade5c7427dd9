// Tests of kernels/internal/quant_util.h.
// Golden values: hand-derived from the definitions in the header (frexp/round for
// QuantizeMultiplier, round-half-away-from-zero for the fixed-point primitives) and
// TFLite's documented padding formulas; the randomized checks compare with a
// double-precision oracle (within 1 LSB).
#include "kernels/internal/quant_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace ember::kernels {
namespace {

TEST(QuantizeMultiplier, ExactPowersAndZero) {
  int32_t m = -1;
  int s = -1;
  QuantizeMultiplier(0.0, &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
  QuantizeMultiplier(0.5, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 0);
  QuantizeMultiplier(1.0, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  QuantizeMultiplier(0.75, &m, &s);
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, 0);
  QuantizeMultiplier(3.0, &m, &s);
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, 2);
  QuantizeMultiplier(-0.5, &m, &s);
  EXPECT_EQ(m, -(1 << 30));
  EXPECT_EQ(s, 0);
}

TEST(QuantizeMultiplier, RoundingUpToOneRenormalizes) {
  // q = 1 - 2^-40 rounds to 2^31: must become 2^30 with shift + 1.
  int32_t m = 0;
  int s = 0;
  QuantizeMultiplier(1.0 - std::ldexp(1.0, -40), &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
}

TEST(QuantizeMultiplier, TinyFlushesToZero) {
  int32_t m = 1;
  int s = 1;
  QuantizeMultiplier(std::ldexp(1.0, -40), &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
  QuantizeMultiplier(std::ldexp(0.75, -31), &m, &s);  // shift exactly -31 is kept
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, -31);
}

TEST(QuantizeMultiplier, SmallerAndGreaterThanOne) {
  int32_t m = 0;
  int s = 0;
  EXPECT_TRUE(QuantizeMultiplierSmallerThanOneExp(0.25, &m, &s));
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, -1);
  EXPECT_FALSE(QuantizeMultiplierSmallerThanOneExp(1.5, &m, &s));
  EXPECT_FALSE(QuantizeMultiplierSmallerThanOneExp(0.0, &m, &s));
  EXPECT_TRUE(QuantizeMultiplierGreaterThanOne(6.0, &m, &s));
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, 3);
  EXPECT_FALSE(QuantizeMultiplierGreaterThanOne(0.9, &m, &s));
}

// The int32_t{} arguments pick the int32_t overloads where int32_t is not int (it is long on
// arm-none-eabi, where a plain int would be ambiguous with the int16_t overloads).
TEST(FixedPoint, SaturatingRoundingDoublingHighMul) {
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX), INT32_MAX - 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int32_t{1 << 30}, 1 << 30), 1 << 29);
  // 3 * 2^30 / 2^31 = 1.5 -> 2; -1.5 -> -1: gemmlowp's nudge (1 - 2^30 for negative
  // products, then truncating division) rounds negative ties toward zero.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int32_t{3}, 1 << 30), 2);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int32_t{-3}, 1 << 30), -1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int32_t{-5}, 1 << 30), -2);  // -2.5 -> -2
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int16_t{INT16_MIN}, int16_t{INT16_MIN}),
            INT16_MAX);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(int16_t{3}, int16_t{1 << 14}), 2);
}

// The gemmlowp definition (nudge, then truncating signed 64-bit division), written out
// independently of the header's shift form.
int32_t SrdhmByDivision(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMulMatchesDivisionForm) {
  const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1, -(1 << 30), -(1 << 30) + 1,
                           -65537, -65536, -3, -2, -1, 0, 1, 2, 3, 65535, 65536,
                           (1 << 30) - 1, 1 << 30, (1 << 30) + 1, INT32_MAX - 1, INT32_MAX};
  for (int32_t a : edges) {
    for (int32_t b : edges) {
      ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), SrdhmByDivision(a, b)) << a << " " << b;
    }
  }
  std::mt19937 rng(20261121);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> small(-70000, 70000);
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = (i % 3 == 0) ? any(rng) : small(rng);
    const int32_t b = (i % 2 == 0) ? mult(rng) : any(rng);
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), SrdhmByDivision(a, b)) << a << " " << b;
  }
  // Exact ties (ab an odd multiple of 2^30) of both signs.
  for (int32_t k = -1000; k <= 1000; k += 2 + 1) {
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(k, 1 << 30), SrdhmByDivision(k, 1 << 30)) << k;
  }
}

TEST(FixedPoint, RoundingDivideByPOT) {
  EXPECT_EQ(RoundingDivideByPOT(int32_t{5}, 1), 3);
  EXPECT_EQ(RoundingDivideByPOT(int32_t{-5}, 1), -3);
  EXPECT_EQ(RoundingDivideByPOT(int32_t{-4}, 1), -2);
  EXPECT_EQ(RoundingDivideByPOT(int32_t{7}, 2), 2);
  EXPECT_EQ(RoundingDivideByPOT(int32_t{-6}, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingDivideByPOT(int32_t{-5}, 2), -1);  // -1.25 -> -1
  EXPECT_EQ(RoundingDivideByPOT(INT32_MAX, 31), 1);
  EXPECT_EQ(RoundingDivideByPOT(INT32_MIN, 31), -1);
  EXPECT_EQ(RoundingDivideByPOT(int32_t{12345}, 0), 12345);
  EXPECT_EQ(RoundingDivideByPOT64(-(int64_t{3} << 40), 41), -2);
}

TEST(FixedPoint, SaturatingRoundingMultiplyByPOT) {
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT(1 << 29, 2), INT32_MAX);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT(-(1 << 29) - 1, 2), INT32_MIN);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT(3, 2), 12);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT(6, -2), 2);
}

TEST(MultiplyByQuantizedMultiplier, MatchesDoubleOracleWithin1) {
  std::mt19937 rng(1234);
  std::uniform_real_distribution<double> mdist(-12.0, 3.0);
  std::uniform_int_distribution<int32_t> xdist(-(1 << 20), 1 << 20);
  for (int i = 0; i < 20000; ++i) {
    const double real = std::pow(2.0, mdist(rng));
    int32_t m = 0;
    int s = 0;
    QuantizeMultiplier(real, &m, &s);
    const int32_t x = xdist(rng);
    const double expect = x * real;
    if (std::fabs(expect) > 2e9) continue;
    const int32_t got = MultiplyByQuantizedMultiplier(x, m, s);
    ASSERT_LE(std::fabs(got - expect), 1.0) << "x=" << x << " real=" << real;
    const int32_t got64 = MultiplyByQuantizedMultiplier(static_cast<int64_t>(x), m, s);
    ASSERT_LE(std::fabs(got64 - expect), 1.0 + std::fabs(expect) * 1e-4);
  }
}

TEST(MultiplyByQuantizedMultiplier, HandCheckedValues) {
  // M = 0.5 (m = 2^30, shift 0): 3 * 0.5 = 1.5 -> 2, -1.5 -> -1 (high-mul tie rule).
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int32_t{3}, 1 << 30, 0), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int32_t{-3}, 1 << 30, 0), -1);
  // M = 0.25: 6 * 0.25 = 1.5 -> high mul gives 3, then /2 -> 2.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int32_t{6}, 1 << 30, -1), 2);
  // M = 4.0 (m = 2^30, shift 3).
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int32_t{100}, 1 << 30, 3), 400);
  // Greater/smaller-than-one variants agree with the general one in their domains.
  EXPECT_EQ(MultiplyByQuantizedMultiplierGreaterThanOne(100, 1 << 30, 3), 400);
  EXPECT_EQ(MultiplyByQuantizedMultiplierSmallerThanOneExp(6, 1 << 30, -1), 2);
  // int64 variant: reduced multiplier 2^14, total shift 15 - 0.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{3}, 1 << 30, 0), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{-3}, 1 << 30, 0), -1);  // floor(-1.5+.5)
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{1} << 40, 1 << 30, -20), 1 << 19);
}

TEST(Softmax, ScalingAndRadius) {
  int32_t m = 0;
  int s = 0;
  // beta * scale = 1/256: 2^-8 * 2^26 = 2^18 -> m = 2^30, shift 19.
  ASSERT_TRUE(PreprocessSoftmaxScaling(1.0, 1.0 / 256.0, 5, &m, &s));
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 19);
  // radius = floor(31 * 2^26 / 2^19) = 31 * 128 = 3968
  EXPECT_EQ(CalculateInputRadius(5, 19), 3968);
}

TEST(Activation, QuantizedRanges) {
  int32_t lo = 0;
  int32_t hi = 0;
  ASSERT_EQ(CalculateActivationRangeQuantized(kEmberActNone, kEmberInt8, 0.1f, 3, &lo, &hi),
            kEmberOk);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  ASSERT_EQ(CalculateActivationRangeQuantized(kEmberActRelu, kEmberInt8, 0.1f, -128, &lo, &hi),
            kEmberOk);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  ASSERT_EQ(CalculateActivationRangeQuantized(kEmberActRelu6, kEmberInt8, 0.05f, -10, &lo, &hi),
            kEmberOk);
  EXPECT_EQ(lo, -10);
  EXPECT_EQ(hi, 110);
  ASSERT_EQ(CalculateActivationRangeQuantized(kEmberActRelu6, kEmberInt8, 0.01f, 0, &lo, &hi),
            kEmberOk);
  EXPECT_EQ(hi, 127);  // 6 / 0.01 = 600 saturates at the type limit
  ASSERT_EQ(
      CalculateActivationRangeQuantized(kEmberActReluN1To1, kEmberInt16, 0.001f, 0, &lo, &hi),
      kEmberOk);
  EXPECT_EQ(lo, -1000);
  EXPECT_EQ(hi, 1000);
  EXPECT_EQ(CalculateActivationRangeQuantized(kEmberActTanh, kEmberInt8, 0.1f, 0, &lo, &hi),
            kEmberError);
  EXPECT_EQ(CalculateActivationRangeQuantized(kEmberActNone, kEmberFloat32, 0.1f, 0, &lo, &hi),
            kEmberError);
  float flo = 0;
  float fhi = 0;
  ASSERT_EQ(CalculateActivationRangeFloat(kEmberActRelu6, &flo, &fhi), kEmberOk);
  EXPECT_EQ(flo, 0.0f);
  EXPECT_EQ(fhi, 6.0f);
}

TEST(Padding, SameAndValidWithDilation) {
  EXPECT_EQ(ComputeOutSize(kEmberPaddingSame, 96, 3, 2, 1), 48);
  EXPECT_EQ(ComputeOutSize(kEmberPaddingValid, 96, 3, 2, 1), 47);
  EXPECT_EQ(ComputeOutSize(kEmberPaddingValid, 10, 3, 1, 2), 6);  // effective 5
  EXPECT_EQ(ComputeOutSize(kEmberPaddingSame, 10, 3, 3, 2), 4);
  EXPECT_EQ(ComputeOutSize(kEmberPaddingValid, 2, 5, 1, 1), -2);
  int32_t off = -1;
  // SAME, in 96, filter 3, stride 2: out 48, total = 47*2 + 3 - 96 = 1 -> pad 0, off 1.
  EXPECT_EQ(ComputePaddingWithOffset(2, 1, 96, 3, 48, &off), 0);
  EXPECT_EQ(off, 1);
  // SAME, in 5, filter 4, stride 1, dilation 2: eff 7, total 6 -> 3, 0.
  EXPECT_EQ(ComputePaddingWithOffset(1, 2, 5, 4, 5, &off), 3);
  EXPECT_EQ(off, 0);
  int32_t oh = 0;
  int32_t ow = 0;
  const PaddingValues p =
      ComputePaddingHeightWidth(1, 2, 1, 1, 7, 8, 3, 4, kEmberPaddingSame, &oh, &ow);
  EXPECT_EQ(oh, 7);
  EXPECT_EQ(ow, 4);
  EXPECT_EQ(p.height, 1);
  EXPECT_EQ(p.height_offset, 0);
  EXPECT_EQ(p.width, 1);  // total = 3*2 + 4 - 8 = 2
  EXPECT_EQ(p.width_offset, 0);
}

TEST(Shapes, CountsAndMultipliers) {
  const int32_t dims[] = {2, 3, 4};
  EmberTensor t{};
  t.dims = dims;
  t.num_dims = 3;
  EXPECT_EQ(ElementCount(&t), 24);
  EXPECT_EQ(ElementCountSkipDim(&t, 1), 8);
  EXPECT_EQ(Dim(&t, 5), 1);
  const float scales[] = {0.5f, 0.25f};
  EmberQuantization q{};
  q.num_channels = 2;
  q.scale = 0.5f;
  q.scales = scales;
  int32_t m[2];
  int8_t s[2];
  ComputePerChannelMultipliers(1.0f, q, 1.0f, 2, m, s);
  EXPECT_EQ(m[0], 1 << 30);
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(m[1], 1 << 30);
  EXPECT_EQ(s[1], -1);
}

}  // namespace
}  // namespace ember::kernels
