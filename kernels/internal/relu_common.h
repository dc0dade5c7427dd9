// Shared Init/Prepare/Invoke of RELU and RELU6 (kernels/relu.cc, kernels/relu6.cc).
//
// float32: RELU max(0, x); RELU6 min(max(0, x), 6).
// int8 / int16 (TFLite's QuantizedReluX): out = zp_out + MBQM(x - zp_in, s_in / s_out),
//   clamped to [max(qmin, zp_out + round(0 / s_out)), min(qmax, zp_out + round(6 / s_out))]
//   (no upper bound from the activation for RELU). When input and output share their
//   quantization this is exactly clamp(x, zp, q(6)), TFLite Micro's RELU6 shortcut.
//   Value ranges: x - zp_in in [-255, 255] (int8) or [-65535, 65535] (int16).
#ifndef EMBER_KERNELS_INTERNAL_RELU_COMMON_H_
#define EMBER_KERNELS_INTERNAL_RELU_COMMON_H_

#include "runtime/kernel_api.h"

namespace ember::kernels {

void* ReluCommonInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus ReluCommonPrepare(EmberContext* ctx, EmberNode* node, bool relu6);
[[nodiscard]] EmberStatus ReluCommonInvoke(EmberContext* ctx, EmberNode* node, bool relu6);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_RELU_COMMON_H_
