// CONCATENATION: joins N inputs along one axis (negative axes count from the end).
//
// All inputs have the output's rank and type, and equal dims except along the axis, whose
// sizes add up to the output's. Viewing every tensor as [outer, axis * inner], the output
// row k is input 0's row k, then input 1's row k, ...
// Types: float32, int8, int16, int32, int64 (plain copies). int8 inputs whose scale or zero
// point differ from the output's are requantized as TFLite's ConcatenationWithScaling does:
//   q_out = round(q_in * s + b) + zp_out, s = s_in * (1 / s_out), b = -zp_in * s (float
//   arithmetic, round half away from zero), clamped to [-128, 127].
// int16 inputs must share the output's quantization. Only fused activation NONE.
#include <math.h>
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

struct ConcatInput {
  int32_t row_elems;  // axis size * inner size of this input
  uint8_t requantize;
  float scale;  // s_in / s_out
  float bias;   // -zp_in * scale
};

struct ConcatOpData {
  int32_t outer;
  uint32_t elem_size;
  int32_t output_zero_point;
  int32_t num_inputs;
  ConcatInput* inputs;  // num_inputs entries (persistent)
};

void* ConcatInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(ConcatOpData));
}

EmberStatus ConcatPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<ConcatOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "CONCATENATION: out of arena memory for op data");
  const auto* params = static_cast<const EmberConcatenationParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "CONCATENATION: missing ConcatenationOptions");
  EMBER_KERNEL_CHECK(ctx, params->activation == kEmberActNone,
                     "CONCATENATION: unsupported fused activation %s",
                     ActivationName(params->activation));
  EMBER_KERNEL_CHECK(ctx, node->num_inputs >= 1 && node->num_outputs == 1,
                     "CONCATENATION: expected at least 1 input and 1 output");
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, out != nullptr, "CONCATENATION: missing output");
  const int32_t rank = out->num_dims;
  int32_t axis = params->axis;
  if (axis < 0) axis += rank;
  EMBER_KERNEL_CHECK(ctx, axis >= 0 && axis < rank, "CONCATENATION: axis %d out of range for rank %d",
                     static_cast<int>(params->axis), static_cast<int>(rank));
  const EmberType type = out->type;
  EMBER_KERNEL_CHECK(ctx,
                     type == kEmberFloat32 || type == kEmberInt8 || type == kEmberInt16 ||
                         type == kEmberInt32 || type == kEmberInt64,
                     "CONCATENATION: unsupported type %s", TypeName(type));
  d->inputs = static_cast<ConcatInput*>(
      ctx->AllocatePersistent(ctx, sizeof(ConcatInput) * static_cast<size_t>(node->num_inputs)));
  EMBER_KERNEL_CHECK(ctx, d->inputs != nullptr, "CONCATENATION: out of arena memory");
  d->num_inputs = node->num_inputs;
  d->elem_size = TypeSize(type);
  d->output_zero_point = out->quant.zero_point;
  int32_t outer = 1, inner = 1;
  for (int32_t i = 0; i < axis; ++i) outer *= out->dims[i];
  for (int32_t i = axis + 1; i < rank; ++i) inner *= out->dims[i];
  d->outer = outer;
  int32_t axis_sum = 0;
  for (int32_t n = 0; n < node->num_inputs; ++n) {
    const EmberTensor* in = NodeInput(ctx, node, n);
    EMBER_KERNEL_CHECK(ctx, in != nullptr, "CONCATENATION: input %d missing", static_cast<int>(n));
    EMBER_KERNEL_CHECK(ctx, in->type == type, "CONCATENATION: input %d is %s, output is %s",
                       static_cast<int>(n), TypeName(in->type), TypeName(type));
    EMBER_KERNEL_CHECK(ctx, in->num_dims == rank, "CONCATENATION: input %d has rank %d, output %d",
                       static_cast<int>(n), static_cast<int>(in->num_dims), static_cast<int>(rank));
    for (int32_t i = 0; i < rank; ++i) {
      EMBER_KERNEL_CHECK(ctx, i == axis || in->dims[i] == out->dims[i],
                         "CONCATENATION: input %d dimension %d is %d, output has %d",
                         static_cast<int>(n), static_cast<int>(i), static_cast<int>(in->dims[i]),
                         static_cast<int>(out->dims[i]));
    }
    axis_sum += in->dims[axis];
    ConcatInput& ci = d->inputs[n];
    ci.row_elems = in->dims[axis] * inner;
    ci.requantize = 0;
    ci.scale = 1.f;
    ci.bias = 0.f;
    if (type == kEmberInt8 || type == kEmberInt16) {
      EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1,
                         "CONCATENATION: quantized tensors need per-tensor quantization");
      const bool same = in->quant.scale == out->quant.scale &&
                        in->quant.zero_point == out->quant.zero_point;
      EMBER_KERNEL_CHECK(ctx, same || type == kEmberInt8,
                         "CONCATENATION: int16 input %d must share the output's quantization",
                         static_cast<int>(n));
      if (!same) {
        ci.requantize = 1;
        ci.scale = in->quant.scale * (1.f / out->quant.scale);
        ci.bias = -static_cast<float>(in->quant.zero_point) * ci.scale;
      }
    }
  }
  EMBER_KERNEL_CHECK(ctx, axis_sum == out->dims[axis],
                     "CONCATENATION: input sizes along axis %d add up to %d, output has %d",
                     static_cast<int>(axis), static_cast<int>(axis_sum),
                     static_cast<int>(out->dims[axis]));
  return kEmberOk;
}

EmberStatus ConcatInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const ConcatOpData*>(node->user_data);
  uint8_t* out = static_cast<uint8_t*>(EvalOutput(ctx, node, 0)->data);
  for (int32_t k = 0; k < d.outer; ++k) {
    for (int32_t n = 0; n < d.num_inputs; ++n) {
      const ConcatInput& ci = d.inputs[n];
      const EmberEvalTensor* in = EvalInput(ctx, node, n);
      if (ci.requantize) {
        const int8_t* src = TensorData<int8_t>(in) + k * ci.row_elems;
        int8_t* dst = reinterpret_cast<int8_t*>(out);
        for (int32_t j = 0; j < ci.row_elems; ++j) {
          const int32_t v = static_cast<int32_t>(roundf(src[j] * ci.scale + ci.bias)) +
                            d.output_zero_point;
          dst[j] = static_cast<int8_t>(Clamp32(v, -128, 127));
        }
      } else {
        const size_t bytes = static_cast<size_t>(ci.row_elems) * d.elem_size;
        memcpy(out, static_cast<const uint8_t*>(in->data) + static_cast<size_t>(k) * bytes, bytes);
      }
      out += static_cast<size_t>(ci.row_elems) * d.elem_size;
    }
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterConcatenation() {
  EmberRegistration r{};
  r.name = "CONCATENATION";
  r.builtin_code = kEmberOpConcatenation;
  r.variant = "reference";
  r.init = &ConcatInit;
  r.prepare = &ConcatPrepare;
  r.invoke = &ConcatInvoke;
  return r;
}

}  // namespace ember::kernels
