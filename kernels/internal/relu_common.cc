// See kernels/internal/relu_common.h.
#include "kernels/internal/relu_common.h"

#include <math.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"

namespace ember::kernels {
namespace {

struct ReluOpData {
  int32_t count;
  int32_t input_offset;   // zp_in
  int32_t output_offset;  // zp_out
  int32_t multiplier;
  int shift;
  int32_t act_min, act_max;
};

const char* Name(bool relu6) { return relu6 ? "RELU6" : "RELU"; }

template <typename T>
void EvalQuantized(const ReluOpData& d, const T* in, T* out) {
  for (int32_t i = 0; i < d.count; ++i) {
    const int32_t v = d.output_offset + MultiplyByQuantizedMultiplier(
                                            static_cast<int32_t>(in[i]) - d.input_offset,
                                            d.multiplier, d.shift);
    out[i] = static_cast<T>(Clamp32(v, d.act_min, d.act_max));
  }
}

}  // namespace

void* ReluCommonInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(ReluOpData));
}

EmberStatus ReluCommonPrepare(EmberContext* ctx, EmberNode* node, bool relu6) {
  const char* name = Name(relu6);
  auto* d = static_cast<ReluOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "%s: out of arena memory for op data", name);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "%s: expected 1 input and 1 output", name);
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && out, "%s: missing input or output tensor", name);
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "%s: input %s and output %s types differ",
                     name, TypeName(in->type), TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx, ElementCount(in) == ElementCount(out),
                     "%s: input and output element counts differ", name);
  d->count = ElementCount(in);
  if (in->type == kEmberFloat32) return kEmberOk;
  EMBER_KERNEL_CHECK(ctx, in->type == kEmberInt8 || in->type == kEmberInt16,
                     "%s: unsupported type %s (float32, int8 and int16 are supported)", name,
                     TypeName(in->type));
  EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1 &&
                              in->quant.scale > 0.f && out->quant.scale > 0.f,
                     "%s: input and output need per-tensor quantization", name);
  QuantizeMultiplier(static_cast<double>(in->quant.scale) / static_cast<double>(out->quant.scale),
                     &d->multiplier, &d->shift);
  int32_t qmin = 0, qmax = 0;
  (void)TypeRange(out->type, &qmin, &qmax);
  const int32_t zp = out->quant.zero_point;
  const int32_t q0 = zp + static_cast<int32_t>(roundf(0.0f / out->quant.scale));
  d->act_min = q0 > qmin ? q0 : qmin;
  d->act_max = qmax;
  if (relu6) {
    const int32_t q6 = zp + static_cast<int32_t>(roundf(6.0f / out->quant.scale));
    d->act_max = q6 < qmax ? q6 : qmax;
  }
  d->input_offset = in->quant.zero_point;
  d->output_offset = zp;
  return kEmberOk;
}

EmberStatus ReluCommonInvoke(EmberContext* ctx, EmberNode* node, bool relu6) {
  const auto& d = *static_cast<const ReluOpData*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (in->type) {
    case kEmberFloat32: {
      const float* x = TensorData<float>(in);
      float* y = TensorData<float>(out);
      for (int32_t i = 0; i < d.count; ++i) {
        float v = x[i] > 0.f ? x[i] : 0.f;
        if (relu6 && v > 6.f) v = 6.f;
        y[i] = v;
      }
      return kEmberOk;
    }
    case kEmberInt8:
      EvalQuantized(d, TensorData<int8_t>(in), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      EvalQuantized(d, TensorData<int16_t>(in), TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "%s: unsupported type %s", Name(relu6), TypeName(in->type));
      return kEmberError;
  }
}

}  // namespace ember::kernels
