// ADD and SUB share everything but the sign of input 2 (kernels/add.cc, kernels/sub.cc).
//
// float32: out = clamp(a +/- b, activation range).
// int8 and int16 "general scale" (TFLite's scheme): both inputs are shifted left by
//   L (20 for int8, 15 for int16) after removing their zero points, each is rescaled by
//   s_i / (2 * max(s_1, s_2)) (< 1), the sum/difference is rescaled by
//   2 * max(s_1, s_2) / (2^L * s_out) and the output zero point added; then clamped to
//   the fused activation range. All three multipliers must be < 1.
//   Value ranges: (x - zp) in [-255, 255] (int8) or [-32768, 32767] (int16, zp = 0), so
//   (x - zp) << L stays below 2^31.
// int16 "power-of-two" (pot_scale_int16 and all three scales powers of two, zero points 0):
//   the input whose scale equals the output's is used as is, the other is rounding-shifted
//   right by log2(s_out / s_in) (<= 0 allowed only), then a saturating int16 add/sub.
#include "kernels/internal/add_sub.h"

#include <math.h>

#include "kernels/internal/broadcast.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

struct AddSubOpData {
  BroadcastPlan plan;
  bool pot_int16;
  int32_t left_shift;
  int32_t input1_offset, input2_offset, output_offset;  // -zp_in, -zp_in, +zp_out
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int input1_shift, input2_shift, output_shift;  // <= 0 (general) / pot shifts (<= 0)
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
};

// TFLite's CheckedLog2: log2(x) rounded, and whether x is within 1e-3 of a power of two.
bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2_result = static_cast<int>(rounded);
  return fabsf(x_log2 - rounded) < 1e-3f;
}

const char* OpName(bool is_sub) { return is_sub ? "SUB" : "ADD"; }

}  // namespace

void* AddSubInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(AddSubOpData));
}

EmberStatus AddSubPrepare(EmberContext* ctx, EmberNode* node, bool is_sub) {
  const char* name = OpName(is_sub);
  auto* data = static_cast<AddSubOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, data != nullptr, "%s: out of arena memory for op data", name);
  const auto* params = static_cast<const EmberAddSubParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 && node->num_outputs == 1,
                     "%s: expected 2 inputs and 1 output", name);
  const EmberTensor* in1 = NodeInput(ctx, node, 0);
  const EmberTensor* in2 = NodeInput(ctx, node, 1);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in1 && in2 && out, "%s: missing input or output tensor", name);
  EMBER_KERNEL_CHECK(ctx, in1->type == in2->type && in1->type == out->type,
                     "%s: inputs and output must have the same type (got %s, %s, %s)", name,
                     TypeName(in1->type), TypeName(in2->type), TypeName(out->type));
  const char* why = "";
  EMBER_KERNEL_CHECK(ctx, PlanBroadcast(in1, in2, out, &data->plan, &why), "%s: %s", name, why);
  const EmberActivation act = params != nullptr ? params->activation : kEmberActNone;
  if (out->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(
        ctx, CalculateActivationRangeFloat(act, &data->act_min_f, &data->act_max_f) == kEmberOk,
        "%s: unsupported fused activation %s", name, ActivationName(act));
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, out->type == kEmberInt8 || out->type == kEmberInt16,
                     "%s: unsupported type %s (float32, int8 and int16 are supported)", name,
                     TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx,
                     in1->quant.num_channels == 1 && in2->quant.num_channels == 1 &&
                         out->quant.num_channels == 1,
                     "%s: quantized tensors must have per-tensor quantization", name);
  EMBER_KERNEL_CHECK(ctx, in1->quant.scale > 0.f && in2->quant.scale > 0.f &&
                              out->quant.scale > 0.f,
                     "%s: scales must be positive", name);
  EMBER_KERNEL_CHECK(ctx, CalculateActivationRangeQuantized(act, out->type, out->quant.scale,
                                                            out->quant.zero_point, &data->act_min,
                                                            &data->act_max) == kEmberOk,
                     "%s: unsupported fused activation %s", name, ActivationName(act));
  data->input1_offset = -in1->quant.zero_point;
  data->input2_offset = -in2->quant.zero_point;
  data->output_offset = out->quant.zero_point;
  data->pot_int16 = false;
  if (out->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx,
                       in1->quant.zero_point == 0 && in2->quant.zero_point == 0 &&
                           out->quant.zero_point == 0,
                       "%s: int16 tensors must have zero point 0", name);
    const bool pot_requested = params == nullptr ? true : params->pot_scale_int16 != 0;
    int log1 = 0, log2v = 0, logo = 0;
    if (pot_requested && CheckedLog2(in1->quant.scale, &log1) &&
        CheckedLog2(in2->quant.scale, &log2v) && CheckedLog2(out->quant.scale, &logo)) {
      data->pot_int16 = true;
      data->input1_shift = log1 - logo;
      data->input2_shift = log2v - logo;
      EMBER_KERNEL_CHECK(ctx, data->input1_shift == 0 || data->input2_shift == 0,
                         "%s: int16 power-of-two scales: one input must have the output's scale",
                         name);
      EMBER_KERNEL_CHECK(ctx, data->input1_shift <= 0 && data->input2_shift <= 0,
                         "%s: int16 power-of-two scales: input scales must not exceed the "
                         "output scale",
                         name);
      return kEmberOk;
    }
  }
  data->left_shift = out->type == kEmberInt16 ? 15 : 20;
  const double twice_max = 2.0 * static_cast<double>(in1->quant.scale > in2->quant.scale
                                                          ? in1->quant.scale
                                                          : in2->quant.scale);
  const double m1 = static_cast<double>(in1->quant.scale) / twice_max;
  const double m2 = static_cast<double>(in2->quant.scale) / twice_max;
  const double mo = twice_max / (static_cast<double>(1 << data->left_shift) *
                                 static_cast<double>(out->quant.scale));
  EMBER_KERNEL_CHECK(ctx,
                     QuantizeMultiplierSmallerThanOneExp(m1, &data->input1_multiplier,
                                                         &data->input1_shift) &&
                         QuantizeMultiplierSmallerThanOneExp(m2, &data->input2_multiplier,
                                                             &data->input2_shift),
                     "%s: input rescale multipliers out of range", name);
  EMBER_KERNEL_CHECK(ctx,
                     QuantizeMultiplierSmallerThanOneExp(mo, &data->output_multiplier,
                                                         &data->output_shift),
                     "%s: unsupported scales: output rescale multiplier %f is not below 1 "
                     "(output scale too small for the input scales)",
                     name, mo);
  return kEmberOk;
}

namespace {

template <typename T>
void EvalGeneral(const AddSubOpData& d, bool is_sub, const T* a, const T* b, T* out) {
  ForEachBroadcast(d.plan, [&](int32_t o, int32_t ia, int32_t ib) {
    const int32_t x1 = (d.input1_offset + a[ia]) * (1 << d.left_shift);
    const int32_t x2 = (d.input2_offset + b[ib]) * (1 << d.left_shift);
    const int32_t s1 =
        MultiplyByQuantizedMultiplierSmallerThanOneExp(x1, d.input1_multiplier, d.input1_shift);
    const int32_t s2 =
        MultiplyByQuantizedMultiplierSmallerThanOneExp(x2, d.input2_multiplier, d.input2_shift);
    const int32_t raw = is_sub ? s1 - s2 : s1 + s2;
    const int32_t res = MultiplyByQuantizedMultiplierSmallerThanOneExp(
                            raw, d.output_multiplier, d.output_shift) +
                        d.output_offset;
    out[o] = static_cast<T>(Clamp32(res, d.act_min, d.act_max));
  });
}

void EvalPotInt16(const AddSubOpData& d, bool is_sub, const int16_t* a, const int16_t* b,
                  int16_t* out) {
  ForEachBroadcast(d.plan, [&](int32_t o, int32_t ia, int32_t ib) {
    const int32_t x1 = RoundingDivideByPOT(static_cast<int32_t>(a[ia]), -d.input1_shift);
    const int32_t x2 = RoundingDivideByPOT(static_cast<int32_t>(b[ib]), -d.input2_shift);
    const int32_t sum = Clamp32(is_sub ? x1 - x2 : x1 + x2, INT16_MIN, INT16_MAX);
    out[o] = static_cast<int16_t>(Clamp32(sum, d.act_min, d.act_max));
  });
}

}  // namespace

EmberStatus AddSubInvoke(EmberContext* ctx, EmberNode* node, bool is_sub) {
  const auto& d = *static_cast<const AddSubOpData*>(node->user_data);
  const EmberEvalTensor* in1 = EvalInput(ctx, node, 0);
  const EmberEvalTensor* in2 = EvalInput(ctx, node, 1);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (out->type) {
    case kEmberFloat32: {
      const float* a = TensorData<float>(in1);
      const float* b = TensorData<float>(in2);
      float* o = TensorData<float>(out);
      ForEachBroadcast(d.plan, [&](int32_t i, int32_t ia, int32_t ib) {
        o[i] = ClampF(is_sub ? a[ia] - b[ib] : a[ia] + b[ib], d.act_min_f, d.act_max_f);
      });
      return kEmberOk;
    }
    case kEmberInt8:
      EvalGeneral(d, is_sub, TensorData<int8_t>(in1), TensorData<int8_t>(in2),
                  TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      if (d.pot_int16) {
        EvalPotInt16(d, is_sub, TensorData<int16_t>(in1), TensorData<int16_t>(in2),
                     TensorData<int16_t>(out));
      } else {
        EvalGeneral(d, is_sub, TensorData<int16_t>(in1), TensorData<int16_t>(in2),
                    TensorData<int16_t>(out));
      }
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "%s: unsupported type %s", OpName(is_sub), TypeName(out->type));
      return kEmberError;
  }
}

}  // namespace ember::kernels
