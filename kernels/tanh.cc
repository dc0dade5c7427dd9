// TANH elementwise. float32: tanhf(x). int8 / int16: the fixed-point and table methods of
// kernels/internal/sigmoid_tanh.h (bit-exact with TensorFlow Lite's integer kernels).
#include <math.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/internal/sigmoid_tanh.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

void* TanhInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(SigmoidTanhParams));
}

EmberStatus TanhPrepare(EmberContext* ctx, EmberNode* node) {
  auto* p = static_cast<SigmoidTanhParams*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, p != nullptr, "TANH: out of arena memory for op data");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "TANH: expected 1 input and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && out, "TANH: missing input or output tensor");
  return PrepareSigmoidTanh(ctx, in, out, /*is_tanh=*/true, "TANH", p);
}

EmberStatus TanhInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& p = *static_cast<const SigmoidTanhParams*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (p.type) {
    case kEmberFloat32: {
      const float* x = TensorData<float>(in);
      float* y = TensorData<float>(out);
      for (int32_t i = 0; i < p.count; ++i) {
        y[i] = tanhf(x[i]);
      }
      return kEmberOk;
    }
    case kEmberInt8:
      TanhInt8(p, TensorData<int8_t>(in), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      TanhInt16(p, TensorData<int16_t>(in), TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "TANH: unsupported type %s", TypeName(p.type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterTanh() {
  EmberRegistration r{};
  r.name = "TANH";
  r.builtin_code = kEmberOpTanh;
  r.variant = "reference";
  r.init = &TanhInit;
  r.prepare = &TanhPrepare;
  r.invoke = &TanhInvoke;
  return r;
}

}  // namespace ember::kernels
