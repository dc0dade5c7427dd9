// FULLY_CONNECTED, DSP-extension variant: shares FcOpData and Prepare with the reference;
// the int8 invoke computes four output units per pass sharing each input load and its
// widening (dsp::DotS8x4: SXTAB16 with the input offset folded in, SXTB16 + SMLAD), four
// inputs per step; the filter offset enters once per batch through the input sum.
// Float and 16x8 run the reference.
// Bit-exact with FullyConnectedEvalS8Reference (same int32 sums).
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/fully_connected_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"

namespace ember::kernels {

namespace {

template <bool kPerChannel>
void FcEvalS8Dsp(const FcOpData& d, const int8_t* input, const int8_t* filter,
                 const int32_t* bias, int8_t* output) {
  const int32_t depth = d.accum_depth;
  const int32_t* const mults = d.channel_multipliers;  // kPerChannel only
  const int8_t* const shifts = kPerChannel ? FcChannelShifts(d) : nullptr;
  const dsp::ChannelQuant q_tensor = dsp::MakeChannelQuant(d.multiplier, d.shift);
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in = input + b * depth;
    // The filter offset enters once per batch: sum (x + xo)(w + wo) = sum (x + xo) w +
    // wo * sum (x + xo) (mod 2^32).
    uint32_t x_sum = 0;
    if (d.filter_offset != 0) {
      for (int32_t k = 0; k < depth; ++k) x_sum += static_cast<uint32_t>(in[k] + d.input_offset);
    }
    const uint32_t offset_term = x_sum * static_cast<uint32_t>(d.filter_offset);
    auto init = [&](int32_t oc) {
      return static_cast<int32_t>((bias != nullptr ? static_cast<uint32_t>(bias[oc]) : 0u) +
                                  offset_term);
    };
    auto finish = [&](int32_t acc, int32_t oc) {
      if constexpr (kPerChannel) {
        output[b * d.output_depth + oc] =
            dsp::RequantizeS8(acc, dsp::MakeChannelQuant(mults[oc], shifts[oc]),
                              d.output_offset, d.act_min, d.act_max);
      } else {
        output[b * d.output_depth + oc] =
            dsp::RequantizeS8(acc, q_tensor, d.output_offset, d.act_min, d.act_max);
      }
    };
    int32_t oc = 0;
    // Four output units per pass share each input load and its widening.
    for (; oc + 4 <= d.output_depth; oc += 4) {
      int32_t acc[4] = {init(oc), init(oc + 1), init(oc + 2), init(oc + 3)};
      dsp::DotS8x4(in, filter + oc * depth, depth, depth, d.input_offset, acc);
      for (int32_t i = 0; i < 4; ++i) finish(acc[i], oc + i);
    }
    for (; oc < d.output_depth; ++oc) {
      finish(dsp::DotS8Offsets(in, filter + oc * depth, depth, d.input_offset, 0, init(oc)), oc);
    }
  }
}

}  // namespace

void FullyConnectedEvalS8Dsp(const FcOpData& d, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output) {
  if (d.channel_multipliers != nullptr) {
    FcEvalS8Dsp<true>(d, input, filter, bias, output);
  } else {
    FcEvalS8Dsp<false>(d, input, filter, bias, output);
  }
}

namespace {

EmberStatus FullyConnectedInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const FcOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
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
