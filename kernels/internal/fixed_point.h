// gemmlowp-style fixed-point transcendental functions on int32 raw values, bit-exact with
// the arithmetic TensorFlow Lite's quantized softmax / logistic / tanh use.
//
// Notation: a value in "Qk" has k integer bits and 31 - k fractional bits:
// real = raw / 2^(31 - k). Products of Qa and Qb values (SaturatingRoundingDoublingHighMul)
// are Q(a + b). Rescaling Qa -> Qb is SaturatingRoundingMultiplyByPOT(raw, a - b).
// The polynomial and barrel-shifter constants are the standard gemmlowp ones:
// exp(-1/8), 1/3, exp(-2^e) for e = -2..4 in Q0, 48/17 and -32/17 in Q2.
#ifndef EMBER_KERNELS_INTERNAL_FIXED_POINT_H_
#define EMBER_KERNELS_INTERNAL_FIXED_POINT_H_

#include <stdint.h>

#include "kernels/internal/quant_util.h"

namespace ember::kernels::fixed_point {

// Q0 one is the largest raw value (2^31 - 1), as in gemmlowp.
inline constexpr int32_t kQ0One = INT32_MAX;

inline int32_t Mul(int32_t a, int32_t b) { return SaturatingRoundingDoublingHighMul(a, b); }

// Qsrc -> Qdst.
inline int32_t Rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
  return SaturatingRoundingMultiplyByPOT(raw, src_integer_bits - dst_integer_bits);
}

// (a + b) / 2 rounded half away from zero, computed in 64 bits.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a in [-1/4, 0), a and result in Q0: 4th-order Taylor expansion around -1/8.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  const int32_t kConstantTerm = 1895147668;  // exp(-1/8) in Q0
  const int32_t kOneThird = 715827883;       // 1/3 in Q0
  const int32_t x = a + (1 << 28);           // a + 1/8
  const int32_t x2 = Mul(x, x);
  const int32_t x3 = Mul(x2, x);
  const int32_t x4 = Mul(x2, x2);
  const int32_t x4_over_4 = SaturatingRoundingMultiplyByPOT(x4, -2);
  const int32_t poly =
      SaturatingRoundingMultiplyByPOT(Mul(x4_over_4 + x3, kOneThird) + x2, -1);
  return kConstantTerm + Mul(kConstantTerm, x + poly);
}

// exp(a) for a <= 0 given in Q(integer_bits) (integer_bits in [1, 30]); result in Q0.
// a = -(k/4 + r), r in (0, 1/4]: exp of the fractional part by the polynomial, then one
// multiply by exp(-2^e) per set bit of the quarter count (barrel shifter).
inline int32_t ExpOnNegativeValues(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = static_cast<int32_t>(1) << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  struct Step {
    int exponent;
    int32_t multiplier;  // exp(-2^exponent) in Q0
  };
  static constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084},
                                    {1, 290630308},   {2, 39332535},    {3, 720401},
                                    {4, 242}};
  for (const Step& s : kSteps) {
    if (integer_bits > s.exponent) {
      const int shift = fractional_bits + s.exponent;
      if ((remainder & (static_cast<int32_t>(1) << shift)) != 0) {
        result = Mul(result, s.multiplier);
      }
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -(static_cast<int32_t>(1) << (36 - integer_bits));  // -32
    if (a < clamp) result = 0;
  }
  if (a == 0) result = kQ0One;
  return result;
}

// 1 / (1 + a) for a in [0, 1) in Q0 (result in Q0): Newton-Raphson, 3 iterations in Q2.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kQ0One);  // Q0
  const int32_t k48Over17 = 1515870810;                         // Q2
  const int32_t kNeg32Over17 = -1010580540;                     // Q2
  int32_t x = k48Over17 + Mul(half_denominator, kNeg32Over17);  // Q2
  const int32_t q2_one = static_cast<int32_t>(1) << 29;
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = Mul(half_denominator, x);         // Q2
    const int32_t one_minus = q2_one - half_denominator_times_x;               // Q2
    x = x + Rescale(Mul(x, one_minus), 4, 2);                                  // Q4 -> Q2
  }
  // x / 2 as Q1 (same raw), then Q1 -> Q0.
  return Rescale(x, 1, 0);
}

// Reciprocal of a positive Q(x_integer_digits) value x: returns 1 / (x / 2^n) in Q0 where
// n = *num_bits_over_unit = x_integer_digits - clz(x) is chosen so that value is in (0.5, 1].
inline int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (static_cast<uint32_t>(1) << 31));
  return OneOverOnePlusXForXIn01(shifted_sum_minus_one);
}

}  // namespace ember::kernels::fixed_point

#endif  // EMBER_KERNELS_INTERNAL_FIXED_POINT_H_
