// FULLY_CONNECTED, DSP-extension variant: shares FcOpData and Prepare with the reference;
// the int8 invoke computes each dot product four bytes at a time (SXTAB16 with the
// input / filter offsets folded in, two SMLADs). Float and 16x8 run the reference.
// Bit-exact with FullyConnectedEvalS8Reference (same int32 sums).
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/fully_connected_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"

namespace ember::kernels {

void FullyConnectedEvalS8Dsp(const FcOpData& d, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in = input + b * d.accum_depth;
    for (int32_t oc = 0; oc < d.output_depth; ++oc) {
      int32_t acc =
          dsp::DotS8Offsets(in, filter + oc * d.accum_depth, d.accum_depth, d.input_offset,
                            d.filter_offset, bias != nullptr ? bias[oc] : 0);
      output[b * d.output_depth + oc] =
          dsp::RequantizeS8(acc, dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]),
                            d.output_offset, d.act_min, d.act_max);
    }
  }
}

namespace {

EmberStatus FullyConnectedInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const FcOpData*>(node->user_data);
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* filter = NodeInput(ctx, node, 1);
  const EmberTensor* bias = NodeInput(ctx, node, 2);
  EmberTensor* output = NodeOutput(ctx, node, 0);
  switch (input->type) {
    case kEmberInt8:
      FullyConnectedEvalS8Dsp(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                              bias ? TensorData<int32_t>(bias) : nullptr,
                              TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberFloat32:
      FullyConnectedEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                                       bias ? TensorData<float>(bias) : nullptr,
                                       TensorData<float>(output));
      return kEmberOk;
    case kEmberInt16:
      FullyConnectedEvalS16Reference(*d, TensorData<int16_t>(input), TensorData<int8_t>(filter),
                                     bias ? TensorData<int64_t>(bias) : nullptr,
                                     TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "FULLY_CONNECTED: unsupported input type %s", TypeName(input->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterFullyConnectedDsp() {
  EmberRegistration r = RegisterFullyConnected();
  r.variant = "dsp";
  r.invoke = FullyConnectedInvokeDsp;
  return r;
}

}  // namespace ember::kernels
