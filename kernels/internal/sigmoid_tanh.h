// Quantized logistic and tanh shared by LOGISTIC and TANH (kernels/logistic.cc,
// kernels/tanh.cc), bit-exact with TensorFlow Lite's integer reference kernels.
//
// int8 (gemmlowp fixed point):
//   v = q - zp_in; |v| >= radius saturates; otherwise x = MBQM(v, M, shift) is the input
//   in Q4.27 (M * 2^shift = s_in * 2^27, from frexp), and
//   logistic: y = logistic_Q0(x) (1/(1 + exp(-|x|)), mirrored for x < 0, exactly 1/2 at 0);
//             out = clamp(RDBPOT(y, 23) - 128)     (output scale 1/256, zero point -128)
//   tanh:     y = tanh_Q0(x) ((1 - e)/(1 + e), e = exp(-2|x|), mirrored, 0 at 0);
//             out = clamp(RDBPOT(y, 24))           (output scale 1/128, zero point 0)
// int16 (256-entry sigmoid table, linear interpolation):
//   the input is brought to Q3.12 * 3 (so +-2^15 spans +-10.7): if the scale is 2^-12 or
//   2^-11 by x * (3 << shift), else by (x * M + round) >> shift with M = floor(s_in *
//   4096 * 3 * 2^shift) in (16383, 32767]. Then the table is interpolated at |x| (9
//   fractional bits for logistic, 8 for tanh = 2 * sigmoid(2x) - 1), mirrored for x < 0.
//   Output scale 2^-15, zero points 0.
#ifndef EMBER_KERNELS_INTERNAL_SIGMOID_TANH_H_
#define EMBER_KERNELS_INTERNAL_SIGMOID_TANH_H_

#include <stdint.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "runtime/kernel_api.h"

namespace ember::kernels {

// Prepared parameters of either op (one struct for both types).
struct SigmoidTanhParams {
  int32_t count;
  EmberType type;
  int32_t input_zero_point;  // int8
  int32_t input_multiplier;  // int8: Q31 mantissa; int16: 0 for the power-of-two case
  int input_shift;           // int8: left shift for MBQM; int16: right shift (>= 0)
  int32_t input_radius;      // int8 saturation radius on q - zp
};

// Validates types/quantization and fills *p. `is_tanh` selects the output quantization
// checks. Reports errors through ctx with op_name.
[[nodiscard]] EmberStatus PrepareSigmoidTanh(EmberContext* ctx, const EmberTensor* in,
                                             const EmberTensor* out, bool is_tanh,
                                             const char* op_name, SigmoidTanhParams* p);

// One op of the pair: its name (for messages) and evaluation per type. The node-level
// init/prepare/invoke below are shared by LOGISTIC and TANH.
struct SigmoidTanhOp {
  const char* name;
  bool is_tanh;
  void (*eval_f32)(const SigmoidTanhParams& p, const float* in, float* out);
  void (*eval_s8)(const SigmoidTanhParams& p, const int8_t* in, int8_t* out);
  void (*eval_s16)(const SigmoidTanhParams& p, const int16_t* in, int16_t* out);
};
void* SigmoidTanhInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus SigmoidTanhNodePrepare(EmberContext* ctx, EmberNode* node,
                                                 const SigmoidTanhOp& op);

void LogisticInt8(const SigmoidTanhParams& p, const int8_t* in, int8_t* out);
void TanhInt8(const SigmoidTanhParams& p, const int8_t* in, int8_t* out);
void LogisticInt16(const SigmoidTanhParams& p, const int16_t* in, int16_t* out);
void TanhInt16(const SigmoidTanhParams& p, const int16_t* in, int16_t* out);

// The op's invoke (registered as is; one symbol per op for the profiler's attribution).
template <const SigmoidTanhOp& kOp>
EmberStatus SigmoidTanhInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& p = *static_cast<const SigmoidTanhParams*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (p.type) {
    case kEmberFloat32:
      kOp.eval_f32(p, TensorData<float>(in), TensorData<float>(out));
      return kEmberOk;
    case kEmberInt8:
      kOp.eval_s8(p, TensorData<int8_t>(in), TensorData<int8_t>(out));
      return kEmberOk;
    case kEmberInt16:
      kOp.eval_s16(p, TensorData<int16_t>(in), TensorData<int16_t>(out));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "%s: unsupported type %s", kOp.name, TypeName(p.type));
      return kEmberError;
  }
}

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_SIGMOID_TANH_H_
