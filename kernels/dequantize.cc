// DEQUANTIZE reference kernel, bit-exact with TensorFlow Lite: int8 / int16 -> float32,
// x = (float)((double)scale * (q - zero_point)). Per-tensor quantization.
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"

namespace ember::kernels {
namespace {

struct DequantizeOpData {
  int32_t count;
  EmberType input_type;
  double scale;
  int32_t zero_point;
};

void* DequantizeInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(DequantizeOpData));
}

EmberStatus DequantizePrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<DequantizeOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "DEQUANTIZE: no op data (arena full?)");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "DEQUANTIZE: expected 1 input and 1 output, got %d and %d",
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && output, "DEQUANTIZE: input and output are required");
  EMBER_KERNEL_CHECK(ctx, input->type == kEmberInt8 || input->type == kEmberInt16,
                     "DEQUANTIZE: unsupported input type %s (int8, int16)",
                     TypeName(input->type));
  EMBER_KERNEL_CHECK(ctx, output->type == kEmberFloat32,
                     "DEQUANTIZE: output must be FLOAT32, got %s", TypeName(output->type));
  EMBER_KERNEL_CHECK(ctx, ElementCount(input) == ElementCount(output),
                     "DEQUANTIZE: output has %d elements, input has %d",
                     static_cast<int>(ElementCount(output)), static_cast<int>(ElementCount(input)));
  EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1,
                     "DEQUANTIZE: input needs per-tensor quantization (got %d channels)",
                     static_cast<int>(input->quant.num_channels));
  d->count = ElementCount(input);
  d->input_type = input->type;
  d->scale = static_cast<double>(input->quant.scale);
  d->zero_point = input->quant.zero_point;
  return kEmberOk;
}

template <typename In>
void DequantizeEval(const DequantizeOpData& d, const In* in, float* out) {
  for (int32_t i = 0; i < d.count; ++i) {
    out[i] = static_cast<float>(d.scale * (static_cast<int32_t>(in[i]) - d.zero_point));
  }
}

EmberStatus DequantizeInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const DequantizeOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  if (d->input_type == kEmberInt8) {
    DequantizeEval(*d, TensorData<int8_t>(input), TensorData<float>(output));
  } else {
    DequantizeEval(*d, TensorData<int16_t>(input), TensorData<float>(output));
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterDequantize() {
  EmberRegistration r{};
  r.name = "DEQUANTIZE";
  r.builtin_code = kEmberOpDequantize;
  r.variant = "reference";
  r.init = DequantizeInit;
  r.prepare = DequantizePrepare;
  r.invoke = DequantizeInvoke;
  return r;
}

}  // namespace ember::kernels
