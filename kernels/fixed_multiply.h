// Requantization of int32 accumulators for the SVDF, FULLY_CONNECTED and QUANTIZE kernels:
// MultiplyByQuantizedMultiplier(acc, multiplier, shift) for multipliers in [0, 2^31) (what
// QuantizeMultiplier produces for positive scales), in the exact short form of
// conv_internal::Requant (kernels/conv_common.h):
//   x    = acc << max(shift, 0)                           (int32 wrap-around)
//   high = floor((x * multiplier + 2^30) / 2^31)           (SaturatingRoundingDoublingHighMul
//                                                           without its INT32_MIN case)
//   out  = high / 2^max(-shift, 0), rounded half away from zero.
// The 32 x 32 -> 64-bit product is one SMULL/SMLAL on Armv7-M; Armv6-M (Cortex-M0/M0+)
// has only a 32-bit MULS, so there the product's high part is assembled from four
// 16 x 16-bit products (RoundedHighMul16) instead of a call to the compiler's 64-bit
// multiply routine. Both forms give identical results (tests/kernels/svdf_test.cc
// compares them over random and extreme operands).
#ifndef EMBER_KERNELS_FIXED_MULTIPLY_H_
#define EMBER_KERNELS_FIXED_MULTIPLY_H_

#include <stdint.h>

namespace ember::kernels::fixed_multiply {

#if defined(__ARM_ARCH_6M__)
inline constexpr bool kSlowMul64 = true;
#else
inline constexpr bool kSlowMul64 = false;
#endif

// floor((x * m + 2^30) / 2^31) for any int32 x and m in [0, 2^31), with 32-bit operations
// only: x = xh * 2^16 + xl, m = mh * 2^16 + ml (xl, ml in [0, 2^16), xh signed,
// mh in [0, 2^15)); the 64-bit sum is kept as (hi: int32, lo: uint32) with explicit carries.
inline int32_t RoundedHighMul16(int32_t x, int32_t m) {
  const uint32_t xl = static_cast<uint32_t>(x) & 0xFFFFu;
  const int32_t xh = x >> 16;  // arithmetic: [-2^15, 2^15)
  const uint32_t ml = static_cast<uint32_t>(m) & 0xFFFFu;
  const int32_t mh = m >> 16;                        // [0, 2^15)
  uint32_t lo = xl * ml;                             // < 2^32
  int32_t hi = xh * mh;                              // |.| <= 2^30
  const int32_t t1 = xh * static_cast<int32_t>(ml);  // |.| < 2^31
  const int32_t t2 = static_cast<int32_t>(xl) * mh;  // [0, 2^31)
  uint32_t add = static_cast<uint32_t>(t1) << 16;
  lo += add;
  hi += (t1 >> 16) + (lo < add ? 1 : 0);
  add = static_cast<uint32_t>(t2) << 16;
  lo += add;
  hi += (t2 >> 16) + (lo < add ? 1 : 0);
  add = uint32_t{1} << 30;
  lo += add;
  hi += lo < add ? 1 : 0;
  // (hi:lo) >> 31; the result fits int32 since |x * m| < 2^62.
  return static_cast<int32_t>((static_cast<uint32_t>(hi) << 1) | (lo >> 31));
}

inline int32_t RoundedHighMul(int32_t x, int32_t m) {
  if constexpr (kSlowMul64) {
    return RoundedHighMul16(x, m);
  } else {
    return static_cast<int32_t>((static_cast<int64_t>(x) * m + (int64_t{1} << 30)) >> 31);
  }
}

// The requantization above with the shift split once (Prepare-time values).
// a + b with int32 wraparound (an output zero point added to a scaled value near the int32
// limits, as the cores do; signed overflow would be undefined in C++).
inline int32_t AddWrapping(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

struct Requantizer {
  int32_t multiplier;  // [0, 2^31)
  int32_t left;        // max(shift, 0)
  int32_t right;       // max(-shift, 0)
  Requantizer(int32_t m, int32_t shift)
      : multiplier(m), left(shift > 0 ? shift : 0), right(shift > 0 ? 0 : -shift) {}
  int32_t Apply(int32_t acc) const {
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc) << left);
    int32_t v = RoundedHighMul(x, multiplier);
    if (right > 0) {
      const int32_t u = (v + (v >> 31)) >> (right - 1);
      v = (u >> 1) + (u & 1);
    }
    return v;
  }
};

}  // namespace ember::kernels::fixed_multiply

#endif  // EMBER_KERNELS_FIXED_MULTIPLY_H_
