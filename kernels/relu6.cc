// RELU6: min(max(0, x), 6) elementwise; float32, int8, int16 (rescaling to the output's
// quantization). Shared with RELU in kernels/internal/relu_common.cc.
#include "kernels/internal/relu_common.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

EmberStatus Relu6Prepare(EmberContext* ctx, EmberNode* node) {
  return ReluCommonPrepare(ctx, node, /*relu6=*/true);
}
EmberStatus Relu6Invoke(EmberContext* ctx, EmberNode* node) {
  return ReluCommonInvoke(ctx, node, /*relu6=*/true);
}

}  // namespace

EmberRegistration RegisterRelu6() {
  EmberRegistration r{};
  r.name = "RELU6";
  r.builtin_code = kEmberOpRelu6;
  r.variant = "reference";
  r.init = &ReluCommonInit;
  r.prepare = &Relu6Prepare;
  r.invoke = &Relu6Invoke;
  return r;
}

}  // namespace ember::kernels
