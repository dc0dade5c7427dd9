// Op data and Prepare shared by CONV_2D and DEPTHWISE_CONV_2D and all their variants
// (reference and optimized registrations share these; only invoke differs).
//
// Layouts (TFLite): input [N, H, W, C_in], output [N, OH, OW, C_out],
//   CONV_2D filter            [C_out, FH, FW, C_in / groups]   per-channel along dim 0
//   DEPTHWISE_CONV_2D filter  [1, FH, FW, C_out], C_out = C_in * depth_multiplier,
//                                                             per-channel along dim 3
//   bias [C_out]: float32 (float), int32 (int8), int64 (16x8).
// Output position (oy, ox) reads input rows iy = oy * stride_h - pad_h + fy * dilation_h
// (same for columns); positions outside the image contribute nothing (zero padding in
// real terms: the input offset is only applied to points inside the image).
//
// Quantized requantization per output channel c:
//   M_c = (double)in_scale * (double)filter_scale_c / (double)out_scale
//   int8: acc = sum filter * (x - in_zp) + bias (int32);
//         out = clamp(MultiplyByQuantizedMultiplier(acc, M_c) + out_zp, act range)
//   16x8: acc = sum filter * x + bias (int64); out = clamp(MBQM64(acc, M_c), act range)
//         (input/output zero points must be 0).
#ifndef EMBER_KERNELS_CONV_COMMON_H_
#define EMBER_KERNELS_CONV_COMMON_H_

#include <stdint.h>

#include "kernels/fixed_multiply.h"
#include "kernels/internal/quant_util.h"
#include "runtime/builtin_params.h"
#include "runtime/kernel_api.h"

namespace ember::kernels {

struct ConvOpData {
  // Geometry (validated in Prepare).
  int32_t batches;
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t filter_h, filter_w;
  int32_t filter_in_c;       // CONV_2D: C_in / groups; DEPTHWISE: 1
  int32_t depth_multiplier;  // DEPTHWISE: C_out / C_in; CONV_2D: 1
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  PaddingValues padding;
  EmberType type;  // input type: float32, int8 or int16
  // Float activation range.
  float act_min_f, act_max_f;
  // Quantized: offsets and activation range (in output type range).
  int32_t input_offset;   // -input zero point, [-127, 128] for int8, 0 for int16
  int32_t output_offset;  // output zero point, [-128, 127] for int8, 0 for int16
  int32_t act_min, act_max;
  int32_t* multipliers;  // out_c entries, [2^30, 2^31) or 0
  int8_t* shifts;        // out_c entries, [-31, 30] (16x8: <= 7)
};

// Helpers of the int8 kernels (conv.cc, depthwise_conv.cc).
namespace conv_internal {

// Filter taps f in [*lo, *hi) whose input coordinate start + f * dilation lies in
// [0, size): the only taps that contribute (zero padding elsewhere). Empty => lo == hi.
inline void ValidTaps(int32_t start, int32_t taps, int32_t dilation, int32_t size, int32_t* lo,
                      int32_t* hi) {
  int32_t l = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  int32_t h = size - start <= 0 ? 0 : (size - start + dilation - 1) / dilation;
  if (h > taps) h = taps;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

// MultiplyByQuantizedMultiplier(acc, multiplier, shift) for multiplier != INT32_MIN
// (QuantizeMultiplier never produces INT32_MIN: a rounding to -2^31 is renormalized to
// -2^30), in fewer operations:
//  - SaturatingRoundingDoublingHighMul only saturates for INT32_MIN * INT32_MIN, so here it
//    is (x * multiplier + 2^30) >> 31 (see quant_util.h);
//  - RoundingDivideByPOT(v, r) for r >= 1 rounds half away from zero:
//    floor((v + 2^(r-1) - [v < 0]) / 2^r) = floor((u + 1) / 2) with
//    u = floor((v - [v < 0]) / 2^(r-1)), and floor((u + 1) / 2) = (u >> 1) + (u & 1)
//    (no intermediate overflows: v > INT32_MIN because |multiplier| < 2^31).
// tests/kernels/conv_paths_test.cc compares it with the library function.
struct Requant {
  int32_t multiplier;
  int32_t left;   // max(shift, 0)
  int32_t right;  // max(-shift, 0)
  Requant(int32_t m, int32_t shift)
      : multiplier(m), left(shift > 0 ? shift : 0), right(shift > 0 ? 0 : -shift) {}
  int32_t Apply(int32_t acc) const {
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc) << left);
    int32_t v =
        static_cast<int32_t>((static_cast<int64_t>(x) * multiplier + (int64_t{1} << 30)) >> 31);
    if (right > 0) {
      const int32_t u = (v + (v >> 31)) >> (right - 1);
      v = (u >> 1) + (u & 1);
    }
    return v;
  }
};

// Requant::Apply for shift <= -1 (right shift r = -shift >= 1) and multiplier >= 0 (every
// real multiplier below 0.5, the usual case), in one 64-bit multiply-accumulate and one
// 32-bit shift. With v = floor((acc * m + 2^30) / 2^31) (the high multiply) the rounding
// divide is floor((v + 2^(r-1) - [v < 0]) / 2^r); since floor(floor(y) / n) = floor(y / n)
// for integers n > 0 and adding an integer commutes with floor, that equals
//   floor((acc * m + K) / 2^(31 + r)),  K = 2^30 + 2^(30 + r) - [v < 0] * 2^31,
// i.e. (high word of acc * m + K) >> (r - 1). For m >= 0, [v < 0] may be taken as
// [acc < 0]: they differ only when v == 0, where both give 0 (0 <= 2^(r-1) - 1 < 2^r).
// |acc * m| < 2^62 and K <= 2^61 + 2^30: no int64 overflow. Depthwise kernels use it;
// tests/kernels/depthwise_paths_test.cc compares it with MultiplyByQuantizedMultiplier.
struct RequantRight {
  int64_t round_pos;  // K for acc >= 0
  int64_t round_neg;  // K for acc < 0
  int32_t multiplier;
  int32_t shift;  // r - 1, in [0, 30]
  // Whether (m, shift) has this form.
  static bool Applies(int32_t m, int32_t shift) { return m >= 0 && shift <= -1 && shift >= -31; }
  RequantRight(int32_t m, int32_t shift)
      : round_pos((int64_t{1} << 30) + (int64_t{1} << (30 - shift))),
        round_neg(round_pos - (int64_t{1} << 31)),
        multiplier(m),
        shift(-shift - 1) {}
  int32_t Apply(int32_t acc) const {
    const int64_t t = (acc < 0 ? round_neg : round_pos) + static_cast<int64_t>(acc) * multiplier;
    return static_cast<int32_t>(t >> 32) >> shift;
  }
};

// Two products per 64-bit multiply-accumulate: two filter rows are packed into one int32
// operand p = w0 + w1 * 2^23 (|p| < 2^31 for any int8 pair), and acc += x * p (SMLAL on
// Armv7-M) accumulates L = sum x * w0 in the low 23 bits and H = sum x * w1 above them.
// For at most kPackedChunk terms |L| <= 255 * 128 * 128 < 2^22, so L is the signed value of
// the low 23 bits and H = (acc - L) / 2^23, both exact.
constexpr int32_t kPackedShift = 23;
constexpr int32_t kPackedChunk = 128;

inline void UnpackAdd(int64_t acc, int32_t* lo, int32_t* hi) {
  const int32_t l = static_cast<int32_t>(static_cast<uint32_t>(acc) << (32 - kPackedShift)) >>
                    (32 - kPackedShift);
  // Sums wrap in int32 like the reference's accumulators (biases near the int32 limits).
  *lo = static_cast<int32_t>(static_cast<uint32_t>(*lo) + static_cast<uint32_t>(l));
  *hi =
      static_cast<int32_t>(static_cast<uint32_t>(*hi) +
                           static_cast<uint32_t>(static_cast<int32_t>((acc - l) >> kPackedShift)));
}

inline int32_t Pack(int32_t w0, int32_t w1) {
  return w0 + static_cast<int32_t>(static_cast<uint32_t>(w1) << kPackedShift);
}

// One int8 output from the int32 accumulator (bias included).
inline int8_t RequantizeS8(int32_t acc, int32_t multiplier, int32_t shift, int32_t out_offset,
                           int32_t act_min, int32_t act_max) {
  const int32_t v = fixed_multiply::AddWrapping(
      MultiplyByQuantizedMultiplier(acc, multiplier, shift), out_offset);
  return static_cast<int8_t>(Clamp32(v, act_min, act_max));
}
inline int8_t RequantizeS8(int32_t acc, const Requant& q, int32_t out_offset, int32_t act_min,
                           int32_t act_max) {
  return static_cast<int8_t>(
      Clamp32(fixed_multiply::AddWrapping(q.Apply(acc), out_offset), act_min, act_max));
}

}  // namespace conv_internal

// Which op a shared Prepare is validating.
enum class ConvKind { kConv2d, kDepthwise };

// Persistent ConvOpData (init of both ops).
void* ConvInit(EmberContext* ctx, const void* builtin_data);

// Full Prepare of CONV_2D / DEPTHWISE_CONV_2D (shapes, types, quantization, padding,
// multipliers). Reports a clear error and returns kEmberError for any invalid model.
[[nodiscard]] EmberStatus Conv2dPrepare(EmberContext* ctx, EmberNode* node);
[[nodiscard]] EmberStatus DepthwiseConv2dPrepare(EmberContext* ctx, EmberNode* node);

// Multiply-accumulates of one invoke (count_macs of both ops).
uint64_t ConvCountMacs(const EmberContext* ctx, const EmberNode* node);

// Reference evaluation, exposed for optimized variants' fallbacks and parity tests.
void Conv2dEvalFloatReference(const ConvOpData& d, const float* input, const float* filter,
                              const float* bias, float* output);
void Conv2dEvalS8Reference(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output);
void Conv2dEvalS16Reference(const ConvOpData& d, const int16_t* input, const int8_t* filter,
                            const int64_t* bias, int16_t* output);
void DepthwiseConv2dEvalFloatReference(const ConvOpData& d, const float* input, const float* filter,
                                       const float* bias, float* output);
void DepthwiseConv2dEvalS8Reference(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                                    const int32_t* bias, int8_t* output);
// The int8 Reference functions above pick a special-cased path for common shapes
// (CONV_2D 1x1 stride 1 ungrouped: a matrix multiply over pixels; DEPTHWISE_CONV_2D 3x3
// without dilation: fixed taps with an interior/border split) and use these general
// paths otherwise. All paths give identical results (the int32 sums are exact; only their
// order differs); tests/kernels/conv_paths_test.cc compares them on the same data.
void Conv2dEvalS8General(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                         const int32_t* bias, int8_t* output);
// The 1x1 path alone (requires filter 1x1, stride 1, one group); packed selects the
// two-products-per-multiply accumulation used on Cortex-M4/M7 and hosts.
void Conv2dEvalS8Pointwise(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output, bool packed);
// The 3x3 depthwise path over zero-point-padded per-channel planes alone (requires a
// 3x3 filter without dilation; images wider than a 64-byte plane row are done in column
// tiles, taller than the plane buffer in bands); returns true (every such shape is
// handled). packed_weights: products written as int16 x int16 (DSP cores, hosts; same
// sums).
[[nodiscard]] bool DepthwiseConv2dEvalS8Plane(const ConvOpData& d, const int8_t* input,
                                              const int8_t* filter, const int32_t* bias,
                                              int8_t* output, bool packed_weights);
// The 3x3 depthwise path for even depth multipliers with at most 64 output channels
// alone (requires a 3x3 filter without dilation); false (nothing written) otherwise.
[[nodiscard]] bool DepthwiseConv2dEvalS8Multiplier(const ConvOpData& d, const int8_t* input,
                                                   const int8_t* filter, const int32_t* bias,
                                                   int8_t* output);
// The patch path alone (one group, receptive field fh * fw * in_c <= 256, at most 64
// output channels): false (nothing written) for other shapes.
[[nodiscard]] bool Conv2dEvalS8Patch(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                                     const int32_t* bias, int8_t* output, bool packed);
void DepthwiseConv2dEvalS8General(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                                  const int32_t* bias, int8_t* output);
void DepthwiseConv2dEvalS16Reference(const ConvOpData& d, const int16_t* input,
                                     const int8_t* filter, const int64_t* bias, int16_t* output);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_CONV_COMMON_H_
