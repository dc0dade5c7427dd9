// ADD: elementwise a + b with broadcasting (up to 6D) and a fused activation.
// float32, int8 and int16; the arithmetic is shared with SUB in kernels/internal/add_sub.cc.
#include "kernels/internal/add_sub.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

EmberStatus AddPrepare(EmberContext* ctx, EmberNode* node) {
  return AddSubPrepare(ctx, node, /*is_sub=*/false);
}
EmberStatus AddInvoke(EmberContext* ctx, EmberNode* node) {
  return AddSubInvoke(ctx, node, /*is_sub=*/false);
}

}  // namespace

EmberRegistration RegisterAdd() {
  EmberRegistration r{};
  r.name = "ADD";
  r.builtin_code = kEmberOpAdd;
  r.variant = "reference";
  r.init = &AddSubInit;
  r.prepare = &AddPrepare;
  r.invoke = &AddInvoke;
  return r;
}

}  // namespace ember::kernels
