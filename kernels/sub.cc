// SUB: elementwise a - b with broadcasting (up to 6D) and a fused activation.
// float32, int8 and int16; the arithmetic is shared with ADD in kernels/internal/add_sub.cc.
#include "kernels/internal/add_sub.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

EmberStatus SubPrepare(EmberContext* ctx, EmberNode* node) {
  return AddSubPrepare(ctx, node, /*is_sub=*/true);
}
EmberStatus SubInvoke(EmberContext* ctx, EmberNode* node) {
  return AddSubInvoke(ctx, node, /*is_sub=*/true);
}

}  // namespace

EmberRegistration RegisterSub() {
  EmberRegistration r{};
  r.name = "SUB";
  r.builtin_code = kEmberOpSub;
  r.variant = "reference";
  r.init = &AddSubInit;
  r.prepare = &SubPrepare;
  r.invoke = &SubInvoke;
  return r;
}

}  // namespace ember::kernels
