// TANH elementwise. float32: tanhf(x). int8 / int16: the fixed-point and table methods of
// kernels/internal/sigmoid_tanh.h (bit-exact with TensorFlow Lite's integer kernels).
#include <math.h>

#include "kernels/internal/sigmoid_tanh.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

void TanhFloat(const SigmoidTanhParams& p, const float* x, float* y) {
  for (int32_t i = 0; i < p.count; ++i) y[i] = tanhf(x[i]);
}

constexpr SigmoidTanhOp kTanh{"TANH", /*is_tanh=*/true, &TanhFloat, &TanhInt8, &TanhInt16};

EmberStatus TanhPrepare(EmberContext* ctx, EmberNode* node) {
  return SigmoidTanhNodePrepare(ctx, node, kTanh);
}

}  // namespace

EmberRegistration RegisterTanh() {
  EmberRegistration r{};
  r.name = "TANH";
  r.builtin_code = kEmberOpTanh;
  r.variant = "reference";
  r.init = &SigmoidTanhInit;
  r.prepare = &TanhPrepare;
  r.invoke = &SigmoidTanhInvoke<kTanh>;
  return r;
}

}  // namespace ember::kernels
