// LEAKY_RELU: x >= 0 ? x : alpha * x, elementwise.
//
// float32: x > 0 ? x : x * alpha.
// int8 / int16 (TFLite's QuantizeLeakyRelu): v = x - zp_in;
//   out = zp_out + MBQM(v, v >= 0 ? s_in / s_out : s_in * alpha / s_out), clamped to the
//   type range. Both multipliers are formed in float (as the reference) and may be
//   negative (alpha < 0) or above 1. Value ranges: v in [-255, 255] / [-65535, 65535].
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

struct LeakyReluOpData {
  int32_t count;
  float alpha;
  int32_t input_offset, output_offset;
  int32_t identity_multiplier, alpha_multiplier;
  int identity_shift, alpha_shift;
  int32_t qmin, qmax;
};

void* LeakyReluInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(LeakyReluOpData));
}

EmberStatus LeakyReluPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<LeakyReluOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "LEAKY_RELU: out of arena memory for op data");
  const auto* params = static_cast<const EmberLeakyReluParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "LEAKY_RELU: missing LeakyReluOptions");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "LEAKY_RELU: expected 1 input and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && out, "LEAKY_RELU: missing input or output tensor");
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "LEAKY_RELU: input %s and output %s differ",
                     TypeName(in->type), TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx, ElementCount(in) == ElementCount(out),
                     "LEAKY_RELU: input and output element counts differ");
  d->count = ElementCount(in);
  d->alpha = params->alpha;
  if (in->type == kEmberFloat32) return kEmberOk;
  EMBER_KERNEL_CHECK(ctx, in->type == kEmberInt8 || in->type == kEmberInt16,
                     "LEAKY_RELU: unsupported type %s (float32, int8 and int16 are supported)",
                     TypeName(in->type));
  EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1 &&
                              in->quant.scale > 0.f && out->quant.scale > 0.f,
                     "LEAKY_RELU: input and output need per-tensor quantization");
  const double alpha_m =
      static_cast<double>(in->quant.scale * params->alpha / out->quant.scale);
  const double identity_m = static_cast<double>(in->quant.scale / out->quant.scale);
  QuantizeMultiplier(alpha_m, &d->alpha_multiplier, &d->alpha_shift);
  QuantizeMultiplier(identity_m, &d->identity_multiplier, &d->identity_shift);
  EMBER_KERNEL_CHECK(ctx, d->alpha_shift <= 30 && d->identity_shift <= 30,
                     "LEAKY_RELU: unsupported scales (multiplier too large)");
  d->input_offset = in->quant.zero_point;
  d->output_offset = out->quant.zero_point;
  (void)TypeRange(out->type, &d->qmin, &d->qmax);
  return kEmberOk;
}

template <typename T>
void EvalQuantized(const LeakyReluOpData& d, const T* in, T* out) {
  for (int32_t i = 0; i < d.count; ++i) {
    const int32_t v = static_cast<int32_t>(in[i]) - d.input_offset;
    const int32_t scaled =
        v >= 0 ? MultiplyByQuantizedMultiplier(v, d.identity_multiplier, d.identity_shift)
               : MultiplyByQuantizedMultiplier(v, d.alpha_multiplier, d.alpha_shift);
    out[i] = static_cast<T>(Clamp32(d.output_offset + scaled, d.qmin, d.qmax));
  }
}

EmberStatus LeakyReluInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const LeakyReluOpData*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (in->type) {
    case kEmberFloat32: {
      const float* x = TensorData<float>(in);
      float* y = TensorData<float>(out);
      for (int32_t i = 0; i < d.count; ++i) y[i] = x[i] > 0.f ? x[i] : x[i] * d.alpha;
      return kEmberOk;
    }
    case kEmberInt8:
      EvalQuantized(d, TensorData<int8_t>(in), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      EvalQuantized(d, TensorData<int16_t>(in), TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "LEAKY_RELU: unsupported type %s", TypeName(in->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterLeakyRelu() {
  EmberRegistration r{};
  r.name = "LEAKY_RELU";
  r.builtin_code = kEmberOpLeakyRelu;
  r.variant = "reference";
  r.init = &LeakyReluInit;
  r.prepare = &LeakyReluPrepare;
  r.invoke = &LeakyReluInvoke;
  return r;
}

}  // namespace ember::kernels
