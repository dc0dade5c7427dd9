// Shared Init/Prepare/Invoke of ADD and SUB (see kernels/internal/add_sub.cc for the
// arithmetic). kernels/add.cc and kernels/sub.cc only bind is_sub.
#ifndef EMBER_KERNELS_INTERNAL_ADD_SUB_H_
#define EMBER_KERNELS_INTERNAL_ADD_SUB_H_

#include "runtime/kernel_api.h"

namespace ember::kernels {

void* AddSubInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus AddSubPrepare(EmberContext* ctx, EmberNode* node, bool is_sub);
[[nodiscard]] EmberStatus AddSubInvoke(EmberContext* ctx, EmberNode* node, bool is_sub);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_ADD_SUB_H_
