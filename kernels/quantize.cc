// QUANTIZE reference kernels, bit-exact with TensorFlow Lite (Micro):
//   float32 -> int8 / int16:  q = clamp(round(x / scale) + zp)   (x / scale in float,
//                             round half away from zero), per-tensor output quantization.
//   int8 / int16 -> int8 / int16 / int32 (requantize):
//       q = clamp(MultiplyByQuantizedMultiplier(x - in_zp, M) + out_zp),
//       M = (double)in_scale / (double)out_scale, computed in Prepare.
// (keyword_scrambled.tflite uses int16 -> int8 at the input and int16 -> int32 at the end.)
#include "kernels/fixed_multiply.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"

namespace ember::kernels {
namespace {

// 20 bytes. Zero points fit int16 (int8/int16 tensors; Prepare checks); the output
// range follows from the output type.
struct QuantizeOpData {
  int32_t count;
  float output_scale;       // float input
  int32_t multiplier;       // requantize: [2^30, 2^31) or 0
  int16_t input_zero_point;
  int16_t output_zero_point;
  EmberType input_type, output_type;
  int8_t shift;             // [-31, 30]
};

void* QuantizeInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(QuantizeOpData));
}

EmberStatus QuantizePrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<QuantizeOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "QUANTIZE: no op data (arena full?)");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "QUANTIZE: expected 1 input and 1 output, got %d and %d",
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && output, "QUANTIZE: input and output are required");
  EMBER_KERNEL_CHECK(ctx, ElementCount(input) == ElementCount(output),
                     "QUANTIZE: output has %d elements, input has %d",
                     static_cast<int>(ElementCount(output)), static_cast<int>(ElementCount(input)));
  EMBER_KERNEL_CHECK(ctx, output->quant.num_channels == 1,
                     "QUANTIZE: output needs per-tensor quantization (got %d channels)",
                     static_cast<int>(output->quant.num_channels));
  EMBER_KERNEL_CHECK(ctx, output->quant.scale > 0.0f, "QUANTIZE: non-positive output scale");
  d->count = ElementCount(input);
  d->input_type = input->type;
  d->output_type = output->type;
  d->output_scale = output->quant.scale;
  d->multiplier = 0;
  d->shift = 0;
  d->input_zero_point = 0;
  int32_t out_min = 0, out_max = 0;
  if (!TypeRange(output->type, &out_min, &out_max)) return kEmberError;
  EMBER_KERNEL_CHECK(ctx,
                     output->quant.zero_point >= INT16_MIN && output->quant.zero_point <= INT16_MAX,
                     "QUANTIZE: output zero point %d out of range",
                     static_cast<int>(output->quant.zero_point));
  d->output_zero_point = static_cast<int16_t>(output->quant.zero_point);
  if (input->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx, output->type == kEmberInt8 || output->type == kEmberInt16,
                       "QUANTIZE: float32 -> %s is not supported (int8, int16)",
                       TypeName(output->type));
  } else {
    EMBER_KERNEL_CHECK(ctx, input->type == kEmberInt8 || input->type == kEmberInt16,
                       "QUANTIZE: unsupported input type %s", TypeName(input->type));
    EMBER_KERNEL_CHECK(ctx, output->type == kEmberInt8 || output->type == kEmberInt16 ||
                                output->type == kEmberInt32,
                       "QUANTIZE: %s -> %s is not supported (int8, int16, int32)",
                       TypeName(input->type), TypeName(output->type));
    EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1 && input->quant.scale > 0.0f,
                       "QUANTIZE: input needs per-tensor quantization with a positive scale");
    EMBER_KERNEL_CHECK(ctx,
                       input->quant.zero_point >= INT16_MIN && input->quant.zero_point <= INT16_MAX,
                       "QUANTIZE: input zero point %d out of range",
                       static_cast<int>(input->quant.zero_point));
    d->input_zero_point = static_cast<int16_t>(input->quant.zero_point);
    const double effective = static_cast<double>(input->quant.scale) /
                             static_cast<double>(output->quant.scale);
    int shift = 0;
    QuantizeMultiplier(effective, &d->multiplier, &shift);
    EMBER_KERNEL_CHECK(ctx, shift >= -31 && shift <= 30,
                       "QUANTIZE: scale ratio %f out of range", effective);
    d->shift = static_cast<int8_t>(shift);
  }
  return kEmberOk;
}

// The output type's range.
template <typename Out>
constexpr int32_t kOutMin = sizeof(Out) == 1 ? INT8_MIN : (sizeof(Out) == 2 ? INT16_MIN : INT32_MIN);
template <typename Out>
constexpr int32_t kOutMax = sizeof(Out) == 1 ? INT8_MAX : (sizeof(Out) == 2 ? INT16_MAX : INT32_MAX);

template <typename Out>
void QuantizeFloat(const QuantizeOpData& d, const float* in, Out* out) {
  for (int32_t i = 0; i < d.count; ++i) {
    const int32_t q =
        static_cast<int32_t>(RoundHalfAwayF(in[i] / d.output_scale)) + d.output_zero_point;
    out[i] = static_cast<Out>(Clamp32(q, kOutMin<Out>, kOutMax<Out>));
  }
}

// MultiplyByQuantizedMultiplier in the faster exact form of kernels/fixed_multiply.h (valid
// for the multipliers QuantizeMultiplier produces for positive scales).
template <typename In, typename Out>
void Requantize(const QuantizeOpData& d, const In* in, Out* out) {
  const fixed_multiply::Requantizer q(d.multiplier, d.shift);
  const int32_t in_zp = d.input_zero_point;
  const int32_t out_zp = d.output_zero_point;
  const int32_t count = d.count;
  for (int32_t i = 0; i < count; ++i) {
    const int32_t v = q.Apply(static_cast<int32_t>(in[i]) - in_zp);
    if constexpr (sizeof(Out) == 4) {
      // int32 output: the int32 sum (wrapping as the reference's int32 arithmetic does);
      // the clamp to the int32 range is a no-op.
      out[i] = static_cast<Out>(static_cast<uint32_t>(v) + static_cast<uint32_t>(out_zp));
    } else {
      out[i] = static_cast<Out>(Clamp32(v + out_zp, kOutMin<Out>, kOutMax<Out>));
    }
  }
}

template <typename In>
void RequantizeFrom(const QuantizeOpData& d, const In* in, void* out) {
  switch (d.output_type) {
    case kEmberInt8: Requantize(d, in, static_cast<int8_t*>(out)); break;
    case kEmberInt16: Requantize(d, in, static_cast<int16_t*>(out)); break;
    default: Requantize(d, in, static_cast<int32_t*>(out)); break;
  }
}

EmberStatus QuantizeInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const QuantizeOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->input_type) {
    case kEmberFloat32:
      if (d->output_type == kEmberInt8) {
        QuantizeFloat(*d, TensorData<float>(input), TensorData<int8_t>(output));
      } else {
        QuantizeFloat(*d, TensorData<float>(input), TensorData<int16_t>(output));
      }
      return kEmberOk;
    case kEmberInt8:
      RequantizeFrom(*d, TensorData<int8_t>(input), output->data);
      return kEmberOk;
    default:
      RequantizeFrom(*d, TensorData<int16_t>(input), output->data);
      return kEmberOk;
  }
}

}  // namespace

EmberRegistration RegisterQuantize() {
  EmberRegistration r{};
  r.name = "QUANTIZE";
  r.builtin_code = kEmberOpQuantize;
  r.variant = "reference";
  r.init = QuantizeInit;
  r.prepare = QuantizePrepare;
  r.invoke = QuantizeInvoke;
  return r;
}

}  // namespace ember::kernels
