// RELU: max(0, x) elementwise; float32, int8, int16 (rescaling to the output's
// quantization). Shared with RELU6 in kernels/internal/relu_common.cc.
#include "kernels/internal/relu_common.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

EmberStatus ReluPrepare(EmberContext* ctx, EmberNode* node) {
  return ReluCommonPrepare(ctx, node, /*relu6=*/false);
}
EmberStatus ReluInvoke(EmberContext* ctx, EmberNode* node) {
  return ReluCommonInvoke(ctx, node, /*relu6=*/false);
}

}  // namespace

EmberRegistration RegisterRelu() {
  EmberRegistration r{};
  r.name = "RELU";
  r.builtin_code = kEmberOpRelu;
  r.variant = "reference";
  r.init = &ReluCommonInit;
  r.prepare = &ReluPrepare;
  r.invoke = &ReluInvoke;
  return r;
}

}  // namespace ember::kernels
