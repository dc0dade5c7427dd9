// PAD (and the PADV2 form with a third "constant_values" input): copies the input into
// the middle of a larger output and fills the border with a constant.
//
// Inputs: 0 input (up to 6D), 1 paddings int32 or int64 [num_dims, 2] (before, after per
// dimension; constant, >= 0), 2 optional constant_values (one element of the input's type).
// Output dims must be input dims + before + after.
// Fill value: constant_values[0] when given, else 0 for float32/int32 and the output zero
// point for int8/int16 (a real 0). Quantized input, output and constant must share scale
// and zero point (values are copied, not requantized), as TFLite requires.
// Types: float32, int8, int16, int32. Eval walks the output row-major with an index
// odometer; the innermost dimension is copied as one run.
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kMaxPadDims = 6;

struct PadOpData {
  int32_t num_dims;
  int32_t in_dims[kMaxPadDims];
  int32_t out_dims[kMaxPadDims];
  int32_t before[kMaxPadDims];
  uint32_t elem_size;
  uint8_t fill[4];  // the fill value's bytes (elem_size of them)
};

void* PadInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(PadOpData));
}

EmberStatus PadPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<PadOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "PAD: out of arena memory for op data");
  EMBER_KERNEL_CHECK(ctx, (node->num_inputs == 2 || node->num_inputs == 3) && node->num_outputs == 1,
                     "PAD: expected 2 or 3 inputs and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* paddings = NodeInput(ctx, node, 1);
  const EmberTensor* constant = NodeInput(ctx, node, 2);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && paddings && out, "PAD: missing input, paddings or output");
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "PAD: input %s and output %s types differ",
                     TypeName(in->type), TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx,
                     in->type == kEmberFloat32 || in->type == kEmberInt8 ||
                         in->type == kEmberInt16 || in->type == kEmberInt32,
                     "PAD: unsupported type %s (float32, int8, int16, int32 are supported)",
                     TypeName(in->type));
  EMBER_KERNEL_CHECK(ctx, in->num_dims <= kMaxPadDims, "PAD: input has %d dims, at most %d",
                     static_cast<int>(in->num_dims), static_cast<int>(kMaxPadDims));
  EMBER_KERNEL_CHECK(ctx, paddings->type == kEmberInt32 || paddings->type == kEmberInt64,
                     "PAD: paddings must be int32 or int64, got %s", TypeName(paddings->type));
  EMBER_KERNEL_CHECK(ctx, paddings->is_constant && paddings->data != nullptr,
                     "PAD: paddings must be a constant tensor");
  EMBER_KERNEL_CHECK(ctx, paddings->num_dims == 2 && paddings->dims[0] == in->num_dims &&
                              paddings->dims[1] == 2,
                     "PAD: paddings must be [%d, 2]", static_cast<int>(in->num_dims));
  EMBER_KERNEL_CHECK(ctx, out->num_dims == in->num_dims, "PAD: output rank must equal input rank");
  d->num_dims = in->num_dims;
  for (int32_t i = 0; i < in->num_dims; ++i) {
    int64_t before = 0, after = 0;
    if (paddings->type == kEmberInt32) {
      before = TensorData<int32_t>(paddings)[2 * i];
      after = TensorData<int32_t>(paddings)[2 * i + 1];
    } else {
      before = TensorData<int64_t>(paddings)[2 * i];
      after = TensorData<int64_t>(paddings)[2 * i + 1];
    }
    EMBER_KERNEL_CHECK(ctx, before >= 0 && after >= 0 && before < (1 << 24) && after < (1 << 24),
                       "PAD: paddings of dimension %d must be non-negative", static_cast<int>(i));
    EMBER_KERNEL_CHECK(ctx, out->dims[i] == in->dims[i] + before + after,
                       "PAD: output dimension %d is %d, expected %d", static_cast<int>(i),
                       static_cast<int>(out->dims[i]),
                       static_cast<int>(in->dims[i] + before + after));
    d->in_dims[i] = in->dims[i];
    d->out_dims[i] = out->dims[i];
    d->before[i] = static_cast<int32_t>(before);
  }
  d->elem_size = TypeSize(in->type);
  memset(d->fill, 0, sizeof(d->fill));
  const bool quantized = in->type == kEmberInt8 || in->type == kEmberInt16;
  if (quantized) {
    EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1,
                       "PAD: quantized input and output need per-tensor quantization");
    EMBER_KERNEL_CHECK(ctx, in->quant.scale == out->quant.scale &&
                                in->quant.zero_point == out->quant.zero_point,
                       "PAD: input and output quantization must be equal");
  }
  if (constant != nullptr) {
    EMBER_KERNEL_CHECK(ctx, constant->type == in->type && ElementCount(constant) == 1 &&
                                constant->data != nullptr,
                       "PAD: constant_values must be one %s element", TypeName(in->type));
    if (quantized) {
      EMBER_KERNEL_CHECK(ctx, constant->quant.scale == out->quant.scale &&
                                  constant->quant.zero_point == out->quant.zero_point,
                         "PAD: constant_values quantization must equal the output's");
    }
    memcpy(d->fill, constant->data, d->elem_size);
  } else if (in->type == kEmberInt8) {
    const int8_t zp = static_cast<int8_t>(out->quant.zero_point);
    memcpy(d->fill, &zp, 1);
  } else if (in->type == kEmberInt16) {
    const int16_t zp = static_cast<int16_t>(out->quant.zero_point);
    memcpy(d->fill, &zp, 2);
  }
  return kEmberOk;
}

template <typename T>
void PadEval(const PadOpData& d, const T* in, T* out) {
  T fill;
  memcpy(&fill, d.fill, sizeof(T));
  const int32_t nd = d.num_dims;
  if (nd == 0) {
    out[0] = in[0];
    return;
  }
  int32_t idx[kMaxPadDims] = {0};
  int32_t in_strides[kMaxPadDims];
  int32_t s = 1;
  for (int32_t i = nd - 1; i >= 0; --i) {
    in_strides[i] = s;
    s *= d.in_dims[i];
  }
  const int32_t inner_out = d.out_dims[nd - 1];
  const int32_t inner_in = d.in_dims[nd - 1];
  const int32_t inner_before = d.before[nd - 1];
  int32_t rows = 1;
  for (int32_t i = 0; i + 1 < nd; ++i) rows *= d.out_dims[i];
  if (inner_out == 0) return;
  T* o = out;
  for (int32_t r = 0; r < rows; ++r) {
    // Is this output row inside the input along all outer dimensions?
    bool inside = true;
    int32_t in_offset = 0;
    for (int32_t i = 0; i + 1 < nd; ++i) {
      const int32_t j = idx[i] - d.before[i];
      if (j < 0 || j >= d.in_dims[i]) inside = false;
      in_offset += j * in_strides[i];
    }
    int32_t c = 0;
    if (inside) {
      for (; c < inner_before; ++c) o[c] = fill;
      for (int32_t k = 0; k < inner_in; ++k) o[c++] = in[in_offset + k];
    }
    for (; c < inner_out; ++c) o[c] = fill;
    o += inner_out;
    for (int32_t i = nd - 2; i >= 0; --i) {  // advance the outer odometer
      if (++idx[i] < d.out_dims[i]) break;
      idx[i] = 0;
    }
  }
}

EmberStatus PadInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const PadOpData*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (in->type) {
    case kEmberFloat32: PadEval(d, TensorData<float>(in), TensorData<float>(out)); break;
    case kEmberInt8: PadEval(d, TensorData<int8_t>(in), TensorData<int8_t>(out)); break;
    case kEmberInt16: PadEval(d, TensorData<int16_t>(in), TensorData<int16_t>(out)); break;
    case kEmberInt32: PadEval(d, TensorData<int32_t>(in), TensorData<int32_t>(out)); break;
    default:
      ctx->ReportError(ctx, "PAD: unsupported type %s", TypeName(in->type));
      return kEmberError;
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterPad() {
  EmberRegistration r{};
  r.name = "PAD";
  r.builtin_code = kEmberOpPad;
  r.variant = "reference";
  r.init = &PadInit;
  r.prepare = &PadPrepare;
  r.invoke = &PadInvoke;
  return r;
}

}  // namespace ember::kernels
