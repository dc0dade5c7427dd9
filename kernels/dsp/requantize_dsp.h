// Requantization of an int32 accumulator to int8 in the inner loops of the ...Dsp kernels,
// with the per-channel work (splitting the shift, the rounding mask) hoisted out of the
// pixel loops.
//
// Bit-exact with MultiplyByQuantizedMultiplier (kernels/internal/quant_util.h) for the
// multipliers the conv / fully-connected Prepare produces: multiplier in [2^30, 2^31) or 0
// (never INT32_MIN, so SaturatingRoundingDoublingHighMul's only saturating case, INT32_MIN
// squared, cannot occur and its test is dropped), shift in [-31, 30]:
//   x    = acc << max(shift, 0)                (int32 wrap-around)
//   high = floor((x * multiplier + 2^30) / 2^31)   (one SMULL + 64-bit add + shift)
//   out  = high / 2^e rounded to nearest, ties away from zero, e = max(-shift, 0)
//        = (high >> e) + ((high & mask) > (mask >> 1) + (high < 0)),  mask = 2^e - 1
// tests/kernels/dsp_parity_test.cc compares it with MultiplyByQuantizedMultiplier over
// random and extreme accumulators, multipliers and shifts.
#ifndef EMBER_KERNELS_DSP_REQUANTIZE_DSP_H_
#define EMBER_KERNELS_DSP_REQUANTIZE_DSP_H_

#include <stdint.h>

#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/fixed_multiply.h"
#include "kernels/internal/isa.h"

#if EMBER_HAVE_DSP
#include <arm_acle.h>
#endif

namespace ember::kernels::dsp {

struct ChannelQuant {
  int32_t multiplier;   // [2^30, 2^31) or 0
  int32_t left_shift;   // [0, 30]
  int32_t right_shift;  // [0, 31]
  int32_t mask;         // 2^right_shift - 1
  int32_t half;         // mask >> 1
};

inline ChannelQuant MakeChannelQuant(int32_t multiplier, int32_t shift) {
  ChannelQuant q;
  q.multiplier = multiplier;
  q.left_shift = shift > 0 ? shift : 0;
  q.right_shift = shift > 0 ? 0 : -shift;
  q.mask = static_cast<int32_t>((uint32_t{1} << q.right_shift) - 1u);
  q.half = q.mask >> 1;
  return q;
}

// MultiplyByQuantizedMultiplier(acc, q.multiplier, shift) for the multipliers above.
inline int32_t MultiplyByChannelQuant(int32_t acc, const ChannelQuant& q) {
  const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc) << q.left_shift);
  const int64_t ab = static_cast<int64_t>(x) * q.multiplier;
  const int32_t high = static_cast<int32_t>((ab + (int64_t{1} << 30)) >> 31);
  const int32_t remainder = high & q.mask;
  const int32_t threshold = q.half + (high < 0 ? 1 : 0);
  return (high >> q.right_shift) + (remainder > threshold ? 1 : 0);
}

// The requantized value plus the output zero point, with int32 wraparound (a scaled value
// near the int32 limits, as on the cores).
inline int32_t RequantizePlusOffset(int32_t acc, const ChannelQuant& q, int32_t output_offset) {
  return fixed_multiply::AddWrapping(MultiplyByChannelQuant(acc, q), output_offset);
}

// The int8 output: requantize, add the output zero point, clamp to [act_min, act_max].
inline int8_t RequantizeS8(int32_t acc, const ChannelQuant& q, int32_t output_offset,
                           int32_t act_min, int32_t act_max) {
  int32_t v = RequantizePlusOffset(acc, q, output_offset);
  v = v < act_min ? act_min : v;
  v = v > act_max ? act_max : v;
  return static_cast<int8_t>(v);
}

// The same when the activation range is the whole int8 range [-128, 127] (no fused
// activation, or one whose bounds lie outside the representable range): the clamp is one
// SSAT on cores with the DSP extension.
inline int8_t RequantizeS8FullRange(int32_t acc, const ChannelQuant& q, int32_t output_offset) {
  const int32_t v = RequantizePlusOffset(acc, q, output_offset);
#if EMBER_HAVE_DSP
  return static_cast<int8_t>(__ssat(v, 8));
#else
  return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
#endif
}

// Requantization with the activation clamp chosen at compile time: kFullRange when
// act_min == -128 and act_max == 127 (callers dispatch once per op).
template <bool kFullRange>
struct OutputS8 {
  int32_t output_offset, act_min, act_max;
  int8_t operator()(int32_t acc, const ChannelQuant& q) const {
    if constexpr (kFullRange) {
      return RequantizeS8FullRange(acc, q, output_offset);
    } else {
      return RequantizeS8(acc, q, output_offset, act_min, act_max);
    }
  }
};

// MultiplyByQuantizedMultiplier(acc, m, shift) for multiplier m in [0, 2^31), shift in
// [-31, -1] (right shift r = -shift; every real multiplier below 0.5) and |acc| < 2^30,
// applied to a2 = 2 * acc (kernels that accumulate with doubled weights get a2 for free):
// with the rounding of the high multiply and of the divide folded into one constant (see
// conv_internal::RequantRight) the result is floor((acc * m + K) / 2^(31 + r)),
// K = 2^30 + 2^(30 + r) - [acc < 0] * 2^31; doubling numerator and denominator,
//   = floor((a2 * m + 2^31 + (2^(r-1) - [a2 < 0]) * 2^32) / 2^32) >> r
//   = Smmlar(a2, m, 2^(r-1) + (a2 >> 31)) >> r              (SMMLAR, ADD, ASR)
// (nested floors: floor(floor(y) / 2^r) = floor(y / 2^r)). a2 * m + c * 2^32 + 2^31 stays in
// the signed 64-bit range, and |acc| < 2^30 keeps a2 exact. Callers check Applies() and the
// accumulator bound per channel; tests/kernels/depthwise_dsp_paths_test.cc compares it with
// MultiplyByQuantizedMultiplier.
struct DoubledRequant {
  int32_t half;        // 2^(r-1)
  int32_t multiplier;  // [0, 2^31)
  int32_t shift;       // r in [1, 31]
  static bool Applies(int32_t m, int32_t shift) { return m >= 0 && shift <= -1 && shift >= -31; }
  DoubledRequant(int32_t m, int32_t s)
      : half(static_cast<int32_t>(uint32_t{1} << (-s - 1))), multiplier(m), shift(-s) {}
  int32_t Apply(int32_t a2) const { return Smmlar(a2, multiplier, half + (a2 >> 31)) >> shift; }
};

}  // namespace ember::kernels::dsp

#endif  // EMBER_KERNELS_DSP_REQUANTIZE_DSP_H_
