// SOFTMAX reference kernels, bit-exact with TensorFlow Lite (Micro)'s reference.
// Softmax runs over the last dimension; all other dimensions are rows.
//
//   float -> float:  e_c = exp((x_c - max) * beta) (float), out_c = e_c / sum(e).
//   int8 -> int8 / int16 (output scale 1/256, zp -128 / scale 1/65536, zp -32768):
//     d_c = x_c - max (<= 0). Rows with d_c < diff_min contribute nothing and output the
//     type minimum. Otherwise d_c is rescaled by beta * in_scale into Q5.26
//     (MultiplyByQuantizedMultiplierGreaterThanOne), exp() evaluated in Q0.31 with the
//     gemmlowp fixed-point exp, summed in Q12.19, the reciprocal of the sum taken in
//     fixed point (GetReciprocal), and out = RoundingDivideByPOT(recip * exp, n + 31 -
//     bits) + type_min, clamped.
//   int16 -> int16 (input zp 0; output scale 1/32768, zp 0): d_c rescaled so that
//     [-65535, 0] covers [-10, 0], exp by a 513-entry interpolated LUT (Q0.15), sum in
//     Q16.15, reciprocal by a second LUT of 1 / (1 + x), output in [0, 32767].
// Both int16 LUTs are built once in Prepare (persistent, 2 x 1026 bytes).
#include <math.h>

#include "kernels/internal/fixed_point.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;
constexpr int kInt16LutSize = 513;

struct SoftmaxOpData {      // 32 bytes on 32-bit targets
  int32_t rows;
  int32_t depth;
  float beta;                 // float path
  int32_t input_multiplier;   // quantized paths
  int32_t diff_min;           // int8: most negative difference that still counts
  int16_t* exp_lut;           // int16: exp(x) for x in [-10, 0], Q0.15; the 1 / (1 + x)
                              // table (x in [0, 1], Q0.15) follows it (reciprocal_lut)
  EmberType input_type;
  EmberType output_type;
  int8_t input_left_shift;    // int8: [0, 31]; int16: [-31, 30] (general MBQM shift)
};

int16_t* ReciprocalLut(const SoftmaxOpData& d) { return d.exp_lut + kInt16LutSize; }

// Builds an int16 -> int16 interpolation table of func on [in_min, in_max] with
// outputs scaled from [out_min, out_max] to the int16 range (TFLite's gen_lut): 512
// segments; each entry is the sample corrected by half the midpoint interpolation error,
// plus one final entry func(in_max) for the last segment's slope.
template <typename Func>
void GenerateInt16Lut(Func func, float in_min, float in_max, float out_min, float out_max,
                      int16_t* lut) {
  const int kSteps = 512;
  const float step = (in_max - in_min) / kSteps;
  const float half_step = step / 2;
  const float scaling_inv = 65536.0f / (out_max - out_min);
  const float table_min = -32768.0f;
  const float table_max = 32767.0f;
  auto clamp = [&](float v) { return v < table_min ? table_min : (v > table_max ? table_max : v); };
  for (int i = 0; i < kSteps; ++i) {
    const float val = func(in_min + static_cast<float>(i) * step);
    const float val_mid = func(in_min + static_cast<float>(i) * step + half_step);
    const float val_next = func(in_min + static_cast<float>(i + 1) * step);
    const float sample = roundf(val * scaling_inv);
    const float mid_interp = roundf((val_next * scaling_inv + roundf(val * scaling_inv)) / 2);
    const float mid_val = roundf(val_mid * scaling_inv);
    const float bias = roundf((mid_interp - mid_val) / 2);
    lut[i] = static_cast<int16_t>(clamp(sample - bias));
  }
  lut[kSteps] = static_cast<int16_t>(clamp(roundf(func(in_max) * scaling_inv)));
}

// Interpolated lookup: the top 9 bits select the segment, the low 7 interpolate.
inline int16_t LutLookup(int16_t value, const int16_t* lut) {
  const uint16_t index = static_cast<uint16_t>(256 + (value >> 7));
  const int16_t offset = static_cast<int16_t>(value & 0x7f);
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

void* SoftmaxInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(SoftmaxOpData));
}

bool Near(float a, float b, float tol) { return a - b <= tol && b - a <= tol; }

EmberStatus SoftmaxPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<SoftmaxOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "SOFTMAX: no op data (arena full?)");
  const auto* params = static_cast<const EmberSoftmaxParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "SOFTMAX: missing options");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "SOFTMAX: expected 1 input and 1 output, got %d and %d",
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && output, "SOFTMAX: input and output are required");
  EMBER_KERNEL_CHECK(ctx, input->num_dims >= 1, "SOFTMAX: input must have at least 1 dimension");
  EMBER_KERNEL_CHECK(ctx, SameShape(input, output), "SOFTMAX: output shape differs from input");
  d->depth = input->dims[input->num_dims - 1];
  EMBER_KERNEL_CHECK(ctx, d->depth > 0, "SOFTMAX: empty last dimension");
  d->rows = ElementCount(input) / d->depth;
  d->input_type = input->type;
  d->output_type = output->type;
  d->beta = params->beta;
  d->exp_lut = nullptr;
  if (input->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx, output->type == kEmberFloat32,
                       "SOFTMAX: float32 input needs a float32 output, got %s",
                       TypeName(output->type));
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, input->type == kEmberInt8 || input->type == kEmberInt16,
                     "SOFTMAX: unsupported input type %s", TypeName(input->type));
  EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1 && output->quant.num_channels == 1,
                     "SOFTMAX: input and output need per-tensor quantization");
  EMBER_KERNEL_CHECK(ctx, input->quant.scale > 0.0f, "SOFTMAX: non-positive input scale");
  const double beta = static_cast<double>(params->beta);
  const double in_scale = static_cast<double>(input->quant.scale);
  if (input->type == kEmberInt8) {
    if (output->type == kEmberInt8) {
      EMBER_KERNEL_CHECK(ctx, output->quant.zero_point == -128 &&
                                  output->quant.scale == 1.0f / 256,
                         "SOFTMAX: int8 output must have scale 1/256 and zero point -128 (got "
                         "%f, %d)",
                         static_cast<double>(output->quant.scale),
                         static_cast<int>(output->quant.zero_point));
    } else {
      EMBER_KERNEL_CHECK(ctx, output->type == kEmberInt16,
                         "SOFTMAX: int8 input needs an int8 or int16 output, got %s",
                         TypeName(output->type));
      EMBER_KERNEL_CHECK(ctx, output->quant.zero_point == -32768 &&
                                  Near(output->quant.scale, 1.0f / 65536, 0.001f / 65536),
                         "SOFTMAX: int16 output of int8 input must have scale 1/65536 and zero "
                         "point -32768 (got %f, %d)",
                         static_cast<double>(output->quant.scale),
                         static_cast<int>(output->quant.zero_point));
    }
    int left_shift = 0;
    EMBER_KERNEL_CHECK(ctx,
                       PreprocessSoftmaxScaling(beta, in_scale, kScaledDiffIntegerBits,
                                                &d->input_multiplier, &left_shift),
                       "SOFTMAX: beta * input scale too small (%f)", beta * in_scale);
    EMBER_KERNEL_CHECK(ctx, left_shift >= -31 && left_shift <= 31,
                       "SOFTMAX: beta * input scale out of range (shift %d)", left_shift);
    d->input_left_shift = static_cast<int8_t>(left_shift);
    d->diff_min = -CalculateInputRadius(kScaledDiffIntegerBits, left_shift);
    return kEmberOk;
  }
  // int16 -> int16
  EMBER_KERNEL_CHECK(ctx, output->type == kEmberInt16,
                     "SOFTMAX: int16 input needs an int16 output, got %s",
                     TypeName(output->type));
  EMBER_KERNEL_CHECK(ctx, input->quant.zero_point == 0,
                     "SOFTMAX: int16 input zero point must be 0, got %d",
                     static_cast<int>(input->quant.zero_point));
  EMBER_KERNEL_CHECK(ctx, output->quant.zero_point == 0 &&
                              Near(output->quant.scale, 1.0f / 32768, 0.001f / 32768),
                     "SOFTMAX: int16 output must have scale 1/32768 and zero point 0 (got %f, "
                     "%d)",
                     static_cast<double>(output->quant.scale),
                     static_cast<int>(output->quant.zero_point));
  int shift = 0;
  QuantizeMultiplier(in_scale * beta / (10.0 / 65535.0), &d->input_multiplier, &shift);
  EMBER_KERNEL_CHECK(ctx, shift >= -31 && shift <= 30,
                     "SOFTMAX: input scale * beta out of range (shift %d)", shift);
  d->input_left_shift = static_cast<int8_t>(shift);
  // Both tables in one allocation (one alignment pad instead of two).
  d->exp_lut = static_cast<int16_t*>(
      ctx->AllocatePersistent(ctx, 2 * sizeof(int16_t) * kInt16LutSize));
  EMBER_KERNEL_CHECK(ctx, d->exp_lut != nullptr, "SOFTMAX: arena full (LUTs)");
  GenerateInt16Lut([](float v) { return expf(v); }, -10.0f, 0.0f, -1.0f, 1.0f, d->exp_lut);
  GenerateInt16Lut([](float v) { return 1.0f / (1.0f + v); }, 0.0f, 1.0f, -1.0f, 1.0f,
                   ReciprocalLut(*d));
  return kEmberOk;
}

void SoftmaxEvalFloatReference(const SoftmaxOpData& d, const float* input, float* output) {
  for (int32_t r = 0; r < d.rows; ++r) {
    const float* in = input + r * d.depth;
    float* out = output + r * d.depth;
    float max = -3.40282347e+38f;
    for (int32_t c = 0; c < d.depth; ++c) max = in[c] > max ? in[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < d.depth; ++c) {
      const float e = expf((in[c] - max) * d.beta);
      out[c] = e;
      sum += e;
    }
    for (int32_t c = 0; c < d.depth; ++c) out[c] = out[c] / sum;
  }
}

// int8 input; Out = int8_t or int16_t.
template <typename Out>
void SoftmaxEvalS8Reference(const SoftmaxOpData& d, const int8_t* input, Out* output,
                            int32_t out_min, int32_t out_max, int out_bits) {
  using fixed_point::ExpOnNegativeValues;
  // Fields copied once (the output stores may alias the op data).
  const int32_t depth = d.depth;
  const int32_t diff_min = d.diff_min;
  const int32_t multiplier = d.input_multiplier;
  const int left_shift = d.input_left_shift;
  for (int32_t r = 0, rows = d.rows; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    Out* out = output + r * depth;
    int32_t max = INT8_MIN;
    for (int32_t c = 0; c < depth; ++c) max = in[c] > max ? in[c] : max;
    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max;
      if (diff >= diff_min) {
        const int32_t scaled = MultiplyByQuantizedMultiplierGreaterThanOne(
            diff, multiplier, left_shift);  // Q5.26
        sum_of_exps += fixed_point::Rescale(ExpOnNegativeValues(scaled, kScaledDiffIntegerBits),
                                            0, kAccumulationIntegerBits);
      }
    }
    int num_bits_over_unit = 0;
    const int32_t shifted_scale =
        fixed_point::GetReciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - out_bits;  // in [0, 31]
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max;
      if (diff >= diff_min) {
        const int32_t scaled = MultiplyByQuantizedMultiplierGreaterThanOne(
            diff, multiplier, left_shift);
        const int32_t e = ExpOnNegativeValues(scaled, kScaledDiffIntegerBits);
        const int32_t unsat =
            RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(shifted_scale, e), exponent);
        out[c] = static_cast<Out>(Clamp32(unsat + out_min, out_min, out_max));
      } else {
        out[c] = static_cast<Out>(out_min);
      }
    }
  }
}

void SoftmaxEvalS16Reference(const SoftmaxOpData& d, const int16_t* input, int16_t* output) {
  for (int32_t r = 0; r < d.rows; ++r) {
    const int16_t* in = input + r * d.depth;
    int16_t* out = output + r * d.depth;
    int16_t max = INT16_MIN;
    for (int32_t c = 0; c < d.depth; ++c) max = in[c] > max ? in[c] : max;
    // exp values are cached in the output row (Q0.15), summed in Q16.15.
    int32_t sum_of_exps = 0;
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t diff = in[c] - max;
      const int32_t scaled =
          MultiplyByQuantizedMultiplier(diff, d.input_multiplier, d.input_left_shift);
      const int16_t sym = static_cast<int16_t>(Clamp32(scaled + 32767, -32768, 32767));
      out[c] = LutLookup(sym, d.exp_lut);
      sum_of_exps += out[c];
    }
    const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(sum_of_exps));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    // 1 / (1 + x) with x = sum - 1, recentred from [0, 65535] to [-32768, 32767].
    const int32_t sym_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal =
        LutLookup(static_cast<int16_t>(Clamp32(sym_sum, -32768, 32767)), ReciprocalLut(d));
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = static_cast<int64_t>(1) << (right_shift - 1);
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t result = static_cast<int32_t>(
          (static_cast<int64_t>(out[c]) * static_cast<int64_t>(reciprocal) + round) >>
          right_shift);
      out[c] = static_cast<int16_t>(Clamp32(result, 0, 32767));
    }
  }
}

EmberStatus SoftmaxInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const SoftmaxOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  if (d->input_type == kEmberFloat32) {
    SoftmaxEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(output));
  } else if (d->input_type == kEmberInt8 && d->output_type == kEmberInt8) {
    SoftmaxEvalS8Reference<int8_t>(*d, TensorData<int8_t>(input), TensorData<int8_t>(output),
                                   INT8_MIN, INT8_MAX, 8);
  } else if (d->input_type == kEmberInt8) {
    SoftmaxEvalS8Reference<int16_t>(*d, TensorData<int8_t>(input), TensorData<int16_t>(output),
                                    INT16_MIN, INT16_MAX, 16);
  } else {
    SoftmaxEvalS16Reference(*d, TensorData<int16_t>(input), TensorData<int16_t>(output));
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterSoftmax() {
  EmberRegistration r{};
  r.name = "SOFTMAX";
  r.builtin_code = kEmberOpSoftmax;
  r.variant = "reference";
  r.init = SoftmaxInit;
  r.prepare = SoftmaxPrepare;
  r.invoke = SoftmaxInvoke;
  return r;
}

}  // namespace ember::kernels
