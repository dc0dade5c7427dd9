// Quantization arithmetic shared by all kernels, bit-exact with TensorFlow Lite's
// reference kernels (the "double rounding" variant TFLite Micro builds by default).
//
// Real value r of a quantized value q:  r = scale * (q - zero_point).
// A real multiplier M (e.g. input_scale * filter_scale / output_scale) is represented as
//   M = quantized_multiplier * 2^(shift - 31),  quantized_multiplier in [2^30, 2^31 - 1]
// (or 0 when M == 0 or M < ~2^-31). shift > 0 means a left shift (M >= 1).
//
// Applying it to an int32 accumulator x (MultiplyByQuantizedMultiplier):
//   1. x << max(shift, 0)                 (wraps like int32 arithmetic on overflow)
//   2. SaturatingRoundingDoublingHighMul  (x * qm / 2^31 rounded to nearest; ties go up
//                                          for positive products and toward zero for
//                                          negative ones (gemmlowp's nudge); saturates
//                                          only for INT32_MIN * INT32_MIN)
//   3. RoundingDivideByPOT(-min(shift,0)) (round to nearest, ties away from zero)
// This two-step rounding is what TFLite's reference does; a single rounding would
// differ by 1 LSB in some cases, so keep the order.
//
// Everything here is pure integer/double math: no heap, no stdio; usable on Cortex-M.
#ifndef EMBER_KERNELS_INTERNAL_QUANT_UTIL_H_
#define EMBER_KERNELS_INTERNAL_QUANT_UTIL_H_

#include <stdint.h>

#include "runtime/builtin_params.h"
#include "runtime/kernel_api.h"

namespace ember::kernels {

// ---------------------------------------------------------------------------------
// Multiplier representation
// ---------------------------------------------------------------------------------

// Splits a real multiplier into (quantized_multiplier, shift) as TFLite does:
// frexp -> round(q * 2^31) (ties away from zero) -> renormalize when the rounding
// reached 2^31 -> flush to (0, 0) when shift < -31. Works for negative multipliers
// too (quantized_multiplier then negative). No upper clamp of shift (TFLite's default).
void QuantizeMultiplier(double double_multiplier, int32_t* quantized_multiplier,
                        int* shift);

// For 0 < M < 1: as QuantizeMultiplier; *left_shift <= 0 (a right shift).
// Returns false (and leaves 0, 0) when M is outside (0, 1).
[[nodiscard]] bool QuantizeMultiplierSmallerThanOneExp(double double_multiplier,
                                                       int32_t* quantized_multiplier,
                                                       int* left_shift);

// For M > 1: as QuantizeMultiplier; *left_shift >= 0. Returns false when M <= 1.
[[nodiscard]] bool QuantizeMultiplierGreaterThanOne(double double_multiplier,
                                                    int32_t* quantized_multiplier,
                                                    int* left_shift);

// Softmax input scaling (int8/uint8 softmax): multiplier for beta * input_scale in
// Q(input_integer_bits).(31 - input_integer_bits), capped at 2^31 - 1.
[[nodiscard]] bool PreprocessSoftmaxScaling(double beta, double input_scale,
                                            int input_integer_bits,
                                            int32_t* quantized_multiplier,
                                            int* left_shift);

// Largest input difference magnitude that does not overflow after the softmax /
// logistic input rescale: floor((2^ib - 1) * 2^(tsb - ib) / 2^left_shift).
// total_signed_bits is 31 for int32 fixed point.
int CalculateInputRadius(int input_integer_bits, int input_left_shift,
                         int total_signed_bits = 31);

// ---------------------------------------------------------------------------------
// Fixed-point primitives (gemmlowp semantics)
// ---------------------------------------------------------------------------------

// a * b / 2^31 rounded to nearest (positive ties up, negative ties toward zero:
// (ab + (ab >= 0 ? 2^30 : 1 - 2^30)) / 2^31 truncated); INT32_MIN^2 -> INT32_MAX.
// Computed as floor((ab + 2^30) / 2^31), which equals the truncated quotient above for
// both signs: for ab >= 0 the dividend ab + 2^30 is >= 0 (truncation = floor); for ab < 0
// the dividend n = ab + 1 - 2^30 is < 0 and trunc(n / 2^31) = floor((n + 2^31 - 1) / 2^31)
// = floor((ab + 2^30) / 2^31). One 64-bit add and a shift instead of a signed 64-bit
// division (tests/kernels/quant_util_test.cc checks both forms agree).
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == INT32_MIN;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t high = static_cast<int32_t>((ab + (int64_t{1} << 30)) >> 31);
  return overflow ? INT32_MAX : high;
}

// 16-bit variant: round(a * b / 2^15), INT16_MIN * INT16_MIN -> INT16_MAX.
inline int16_t SaturatingRoundingDoublingHighMul(int16_t a, int16_t b) {
  const bool overflow = a == b && a == INT16_MIN;
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  const int16_t high = static_cast<int16_t>((ab + nudge) / (1 << 15));
  return overflow ? INT16_MAX : high;
}

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31].
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
inline int16_t RoundingDivideByPOT(int16_t x, int exponent) {
  return static_cast<int16_t>(RoundingDivideByPOT(static_cast<int32_t>(x), exponent));
}
inline int64_t RoundingDivideByPOT64(int64_t x, int exponent) {
  const int64_t mask = static_cast<int64_t>((uint64_t{1} << exponent) - 1u);
  const int64_t remainder = x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^exponent with saturation (exponent > 0) or rounding (exponent < 0).
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent > 0) {
    const int32_t threshold = static_cast<int32_t>((uint32_t{1} << (31 - exponent)) - 1u);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
  }
  if (exponent < 0) return RoundingDivideByPOT(x, -exponent);
  return x;
}

// Left shift with int32 wrap-around (TFLite computes x * (1 << s) in int32).
inline int32_t WrappingShiftLeft(int32_t x, int s) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << s);
}

// TFLite's MultiplyByQuantizedMultiplier (int32 accumulator). shift in [-31, 30].
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier,
                                             int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift),
                                        quantized_multiplier),
      right_shift);
}

// TFLite's int64 overload (16x8 kernels with int64 bias). Uses a 16-bit reduced
// multiplier: x in [-2^47, 2^47), quantized_multiplier >= 0, shift in [-31, 7].
inline int32_t MultiplyByQuantizedMultiplier(int64_t x, int32_t quantized_multiplier,
                                             int shift) {
  const int32_t reduced_multiplier = quantized_multiplier < 0x7FFF0000
                                         ? ((quantized_multiplier + (1 << 15)) >> 16)
                                         : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t y = x * static_cast<int64_t>(reduced_multiplier) +
                    (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(y >> total_shift);
}

// For multipliers < 1 (left_shift <= 0): high-mul then rounding right shift.
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x,
                                                              int32_t quantized_multiplier,
                                                              int left_shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, quantized_multiplier),
                             -left_shift);
}

// For multipliers > 1 (left_shift >= 0): wrapping left shift then high-mul.
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x,
                                                           int32_t quantized_multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift),
                                           quantized_multiplier);
}

// Number of leading zero bits of x (32 for x == 0).
inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// ---------------------------------------------------------------------------------
// Saturation and rounding helpers
// ---------------------------------------------------------------------------------

inline int32_t Clamp32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}
inline float ClampF(float x, float lo, float hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}
// std::round semantics (halfway cases away from zero) without <cmath> dependence on
// the C library's rounding mode.
double RoundHalfAway(double x);
float RoundHalfAwayF(float x);

// Value range [min, max] of an integer tensor type; false for other types.
[[nodiscard]] bool TypeRange(EmberType type, int32_t* min, int32_t* max);

// ---------------------------------------------------------------------------------
// Fused activations
// ---------------------------------------------------------------------------------

// Quantized clamp range for a fused activation on an output of the given type/scale/zp
// (TFLite CalculateActivationRangeQuantized): RELU [q(0), qmax], RELU6 [q(0), q(6)],
// RELU_N1_TO_1 [q(-1), q(1)], NONE [qmin, qmax], each intersected with the type range;
// q(f) = zp + round(f / scale) computed in float. Fails for TANH/SIGN_BIT (not
// fusable in quantized kernels) or non-integer types.
[[nodiscard]] EmberStatus CalculateActivationRangeQuantized(EmberActivation activation,
                                                            EmberType type, float scale,
                                                            int32_t zero_point,
                                                            int32_t* act_min,
                                                            int32_t* act_max);

// Float clamp range (TFLite CalculateActivationRange<float>): NONE -> [lowest, max],
// RELU -> [0, FLT_MAX], RELU6 -> [0, 6], RELU_N1_TO_1 -> [-1, 1]. Fails for others.
[[nodiscard]] EmberStatus CalculateActivationRangeFloat(EmberActivation activation,
                                                        float* act_min, float* act_max);

// Name of an activation, for error messages.
const char* ActivationName(EmberActivation activation);
// Name of a tensor type, for error messages ("FLOAT32", "INT8", ...).
const char* TypeName(EmberType type);

// ---------------------------------------------------------------------------------
// Shapes and padding
// ---------------------------------------------------------------------------------

// Product of all dims (1 for a scalar). Dims are >= 0 (validated by the runtime).
int32_t ElementCount(const EmberTensor* t);
int32_t ElementCount(const EmberEvalTensor* t);
// Bytes of the tensor's data (element count * TypeSize).
uint32_t TensorBytes(const EmberEvalTensor* t);
// Product of dims except dimension skip_dim.
int32_t ElementCountSkipDim(const EmberTensor* t, int32_t skip_dim);
// Dimension i, or 1 when i is out of range.
inline int32_t Dim(const EmberTensor* t, int32_t i) {
  return (i >= 0 && i < t->num_dims) ? t->dims[i] : 1;
}
// Same num_dims and every dimension equal.
bool SameShape(const EmberTensor* a, const EmberTensor* b);
// Byte size of one element of the type (0 for unsupported types).
uint32_t TypeSize(EmberType type);

// Output size along one spatial axis (TFLite ComputeOutSize):
//   SAME:  ceil(in / stride) = (in + stride - 1) / stride
//   VALID: (in + stride - effective_filter) / stride, effective_filter =
//          (filter - 1) * dilation + 1 (truncating division; may be <= 0).
// Returns 0 for stride <= 0.
int32_t ComputeOutSize(EmberPadding padding, int32_t in_size, int32_t filter_size,
                       int32_t stride, int32_t dilation);

// Padding before the first element (TFLite ComputePaddingWithOffset):
//   total = max(0, (out - 1) * stride + effective_filter - in)
//   returns total / 2, *offset = total % 2 (the extra padding goes after the end).
int32_t ComputePaddingWithOffset(int32_t stride, int32_t dilation, int32_t in_size,
                                 int32_t filter_size, int32_t out_size, int32_t* offset);

// Both spatial axes at once. out_h/out_w receive the computed output sizes.
struct PaddingValues {
  int32_t width;
  int32_t height;
  int32_t width_offset;
  int32_t height_offset;
};
PaddingValues ComputePaddingHeightWidth(int32_t stride_h, int32_t stride_w,
                                        int32_t dilation_h, int32_t dilation_w,
                                        int32_t in_h, int32_t in_w, int32_t filter_h,
                                        int32_t filter_w, EmberPadding padding,
                                        int32_t* out_h, int32_t* out_w);

// ---------------------------------------------------------------------------------
// Per-channel requantization set-up (conv, depthwise conv, fully connected)
// ---------------------------------------------------------------------------------

// Scale of channel c of a quantized tensor (per-tensor: the single scale).
inline float ChannelScale(const EmberQuantization& q, int32_t c) {
  return (q.num_channels > 1 && q.scales != nullptr) ? q.scales[c] : q.scale;
}

// For each output channel c: M_c = (double)input_scale * (double)filter_scale_c /
// (double)output_scale, computed as TFLite does (the effective scale in double),
// then QuantizeMultiplier. num_channels entries written; filter may be per-tensor
// (every channel gets the same multiplier). Shifts are stored as int8_t (they lie in
// [-31, 30] once flushed; callers reject anything outside) to keep op data small.
void ComputePerChannelMultipliers(float input_scale, const EmberQuantization& filter_q,
                                  float output_scale, int32_t num_channels,
                                  int32_t* multipliers, int8_t* shifts);

// Per-tensor multiplier as TFLite's GetQuantizedConvolutionMultipler (used by
// FULLY_CONNECTED): (double)(input_scale * filter_scale computed in float) /
// (double)output_scale, then QuantizeMultiplier.
void ComputeProductScaleMultiplier(float input_scale, float filter_scale,
                                   float output_scale, int32_t* multiplier, int* shift);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_QUANT_UTIL_H_
