// LOGISTIC elementwise. float32: 1 / (1 + exp(-x)) with TFLite's cutoffs (x > 16.619047 -> 1,
// x < -9 -> exp(x)). int8 / int16: the fixed-point and table methods of
// kernels/internal/sigmoid_tanh.h (bit-exact with TensorFlow Lite's integer kernels).
#include <math.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/internal/sigmoid_tanh.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

void* LogisticInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(SigmoidTanhParams));
}

EmberStatus LogisticPrepare(EmberContext* ctx, EmberNode* node) {
  auto* p = static_cast<SigmoidTanhParams*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, p != nullptr, "LOGISTIC: out of arena memory for op data");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "LOGISTIC: expected 1 input and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && out, "LOGISTIC: missing input or output tensor");
  return PrepareSigmoidTanh(ctx, in, out, /*is_tanh=*/false, "LOGISTIC", p);
}

EmberStatus LogisticInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& p = *static_cast<const SigmoidTanhParams*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (p.type) {
    case kEmberFloat32: {
      const float* x = TensorData<float>(in);
      float* y = TensorData<float>(out);
      for (int32_t i = 0; i < p.count; ++i) {
        const float v = x[i];
        if (v > 16.619047164916992188f) {
          y[i] = 1.0f;
        } else if (v < -9.0f) {
          y[i] = expf(v);
        } else {
          y[i] = 1.0f / (1.0f + expf(-v));
        }
      }
      return kEmberOk;
    }
    case kEmberInt8:
      LogisticInt8(p, TensorData<int8_t>(in), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      LogisticInt16(p, TensorData<int16_t>(in), TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "LOGISTIC: unsupported type %s", TypeName(p.type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterLogistic() {
  EmberRegistration r{};
  r.name = "LOGISTIC";
  r.builtin_code = kEmberOpLogistic;
  r.variant = "reference";
  r.init = &LogisticInit;
  r.prepare = &LogisticPrepare;
  r.invoke = &LogisticInvoke;
  return r;
}

}  // namespace ember::kernels
