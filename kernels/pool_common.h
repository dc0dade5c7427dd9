// Op data and Prepare shared by AVERAGE_POOL_2D and MAX_POOL_2D.
//
// Layout: input [N, H, W, C] -> output [N, OH, OW, C]; padding as CONV_2D with
// dilation 1 (ComputePaddingHeightWidth). Each window is clipped to the image: only the
// taps inside the image take part (AVERAGE divides by the number of those taps).
// Quantized pooling does not requantize: input and output must share scale and zero
// point (as the TFLite int8 spec requires); the fused activation is a clamp on the
// quantized values.
#ifndef EMBER_KERNELS_POOL_COMMON_H_
#define EMBER_KERNELS_POOL_COMMON_H_

#include <stdint.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "runtime/builtin_params.h"
#include "runtime/kernel_api.h"

namespace ember::kernels {

struct PoolOpData {
  int32_t batches, in_h, in_w, channels, out_h, out_w;
  int32_t filter_h, filter_w, stride_h, stride_w;
  PaddingValues padding;
  EmberType type;              // float32, int8 or int16
  float act_min_f, act_max_f;  // float
  int32_t act_min, act_max;    // int8/int16, within the type range
};

void* PoolInit(EmberContext* ctx, const void* builtin_data);
// op_name: "AVERAGE_POOL_2D" or "MAX_POOL_2D" (for messages).
[[nodiscard]] EmberStatus PoolPrepare(EmberContext* ctx, EmberNode* node, const char* op_name);

// One pooling op: its name (for messages) and evaluation per type.
struct PoolOp {
  const char* name;
  void (*eval_f32)(const PoolOpData& d, const float* input, float* output);
  void (*eval_s8)(const PoolOpData& d, const int8_t* input, int8_t* output);
  void (*eval_s16)(const PoolOpData& d, const int16_t* input, int16_t* output);
};
// The op's invoke (registered as is): dispatches on the prepared type. A template on the
// op's table, so that each op has its own invoke symbol that calls (or inlines) its
// evaluation directly, as the profiler's per-symbol attribution expects.
template <const PoolOp& kOp>
EmberStatus PoolInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const PoolOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberFloat32:
      kOp.eval_f32(*d, TensorData<float>(input), TensorData<float>(output));
      return kEmberOk;
    case kEmberInt8:
      kOp.eval_s8(*d, TensorData<int8_t>(input), TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberInt16:
      kOp.eval_s16(*d, TensorData<int16_t>(input), TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "%s: unsupported type %s", kOp.name, TypeName(d->type));
      return kEmberError;
  }
}

// Reference evaluation (exposed for benchmarks and optimized variants' parity tests).
void AveragePool2dEvalFloatReference(const PoolOpData& d, const float* input, float* output);
void AveragePool2dEvalS8Reference(const PoolOpData& d, const int8_t* input, int8_t* output);
void AveragePool2dEvalS16Reference(const PoolOpData& d, const int16_t* input, int16_t* output);
void MaxPool2dEvalFloatReference(const PoolOpData& d, const float* input, float* output);
void MaxPool2dEvalS8Reference(const PoolOpData& d, const int8_t* input, int8_t* output);
void MaxPool2dEvalS16Reference(const PoolOpData& d, const int16_t* input, int16_t* output);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_POOL_COMMON_H_
