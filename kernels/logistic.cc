// LOGISTIC elementwise. float32: 1 / (1 + exp(-x)) with TFLite's cutoffs (x > 16.619047 -> 1,
// x < -9 -> exp(x)). int8 / int16: the fixed-point and table methods of
// kernels/internal/sigmoid_tanh.h (bit-exact with TensorFlow Lite's integer kernels).
#include <math.h>

#include "kernels/internal/sigmoid_tanh.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

void LogisticFloat(const SigmoidTanhParams& p, const float* x, float* y) {
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
}

constexpr SigmoidTanhOp kLogistic{"LOGISTIC", /*is_tanh=*/false, &LogisticFloat, &LogisticInt8,
                                  &LogisticInt16};

EmberStatus LogisticPrepare(EmberContext* ctx, EmberNode* node) {
  return SigmoidTanhNodePrepare(ctx, node, kLogistic);
}

}  // namespace

EmberRegistration RegisterLogistic() {
  EmberRegistration r{};
  r.name = "LOGISTIC";
  r.builtin_code = kEmberOpLogistic;
  r.variant = "reference";
  r.init = &SigmoidTanhInit;
  r.prepare = &LogisticPrepare;
  r.invoke = &SigmoidTanhInvoke<kLogistic>;
  return r;
}

}  // namespace ember::kernels
