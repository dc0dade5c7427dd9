// MUL: elementwise a * b with broadcasting (up to 6D) and a fused activation.
//
// float32: out = clamp(a * b).
// int8 / int16 (TFLite's scheme): out = zp_out + MBQM((a - zp_a) * (b - zp_b), M) with
//   M = s_a * s_b / s_out (computed in double, any magnitude), clamped to the activation
//   range. Value ranges: int8 products |(a - zp_a)(b - zp_b)| <= 255^2; int16 requires
//   zero points 0, so products are <= 2^30 and fit int32.
#include "kernels/internal/broadcast.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

struct MulOpData {
  BroadcastPlan plan;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier;
  int output_shift;
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
};

void* MulInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(MulOpData));
}

EmberStatus MulPrepare(EmberContext* ctx, EmberNode* node) {
  auto* data = static_cast<MulOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, data != nullptr, "MUL: out of arena memory for op data");
  const auto* params = static_cast<const EmberMulParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 && node->num_outputs == 1,
                     "MUL: expected 2 inputs and 1 output");
  const EmberTensor* in1 = NodeInput(ctx, node, 0);
  const EmberTensor* in2 = NodeInput(ctx, node, 1);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in1 && in2 && out, "MUL: missing input or output tensor");
  EMBER_KERNEL_CHECK(ctx, in1->type == in2->type && in1->type == out->type,
                     "MUL: inputs and output must have the same type (got %s, %s, %s)",
                     TypeName(in1->type), TypeName(in2->type), TypeName(out->type));
  const char* why = "";
  EMBER_KERNEL_CHECK(ctx, PlanBroadcast(in1, in2, out, &data->plan, &why), "MUL: %s", why);
  const EmberActivation act = params != nullptr ? params->activation : kEmberActNone;
  if (out->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(
        ctx, CalculateActivationRangeFloat(act, &data->act_min_f, &data->act_max_f) == kEmberOk,
        "MUL: unsupported fused activation %s", ActivationName(act));
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, out->type == kEmberInt8 || out->type == kEmberInt16,
                     "MUL: unsupported type %s (float32, int8 and int16 are supported)",
                     TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx,
                     in1->quant.num_channels == 1 && in2->quant.num_channels == 1 &&
                         out->quant.num_channels == 1,
                     "MUL: quantized tensors must have per-tensor quantization");
  EMBER_KERNEL_CHECK(ctx, out->quant.scale > 0.f, "MUL: output scale must be positive");
  if (out->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx,
                       in1->quant.zero_point == 0 && in2->quant.zero_point == 0 &&
                           out->quant.zero_point == 0,
                       "MUL: int16 tensors must have zero point 0");
  }
  EMBER_KERNEL_CHECK(ctx, CalculateActivationRangeQuantized(act, out->type, out->quant.scale,
                                                            out->quant.zero_point, &data->act_min,
                                                            &data->act_max) == kEmberOk,
                     "MUL: unsupported fused activation %s", ActivationName(act));
  data->input1_offset = -in1->quant.zero_point;
  data->input2_offset = -in2->quant.zero_point;
  data->output_offset = out->quant.zero_point;
  const double real_multiplier = static_cast<double>(in1->quant.scale) *
                                 static_cast<double>(in2->quant.scale) /
                                 static_cast<double>(out->quant.scale);
  QuantizeMultiplier(real_multiplier, &data->output_multiplier, &data->output_shift);
  EMBER_KERNEL_CHECK(ctx, data->output_shift <= 30,
                     "MUL: unsupported scales: multiplier %f too large", real_multiplier);
  return kEmberOk;
}

template <typename T>
void EvalQuantized(const MulOpData& d, const T* a, const T* b, T* out) {
  ForEachBroadcast(d.plan, [&](int32_t o, int32_t ia, int32_t ib) {
    const int32_t prod = (d.input1_offset + a[ia]) * (d.input2_offset + b[ib]);
    const int32_t res =
        d.output_offset + MultiplyByQuantizedMultiplier(prod, d.output_multiplier, d.output_shift);
    out[o] = static_cast<T>(Clamp32(res, d.act_min, d.act_max));
  });
}

EmberStatus MulInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const MulOpData*>(node->user_data);
  const EmberEvalTensor* in1 = EvalInput(ctx, node, 0);
  const EmberEvalTensor* in2 = EvalInput(ctx, node, 1);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (out->type) {
    case kEmberFloat32: {
      const float* a = TensorData<float>(in1);
      const float* b = TensorData<float>(in2);
      float* o = TensorData<float>(out);
      ForEachBroadcast(d.plan, [&](int32_t i, int32_t ia, int32_t ib) {
        o[i] = ClampF(a[ia] * b[ib], d.act_min_f, d.act_max_f);
      });
      return kEmberOk;
    }
    case kEmberInt8:
      EvalQuantized(d, TensorData<int8_t>(in1), TensorData<int8_t>(in2), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      EvalQuantized(d, TensorData<int16_t>(in1), TensorData<int16_t>(in2),
                    TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "MUL: unsupported type %s", TypeName(out->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterMul() {
  EmberRegistration r{};
  r.name = "MUL";
  r.builtin_code = kEmberOpMul;
  r.variant = "reference";
  r.init = &MulInit;
  r.prepare = &MulPrepare;
  r.invoke = &MulInvoke;
  return r;
}

}  // namespace ember::kernels
