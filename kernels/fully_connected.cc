// FULLY_CONNECTED, bit-exact with TensorFlow Lite (Micro)'s reference kernels.
//
// Tensors:
//   0 input   [..., accum_depth] (any rank; flattened to [batches, accum_depth])
//   1 filter  [output_depth, accum_depth]
//   2 bias    [output_depth] (optional)
//   output    [batches, output_depth] (or keep_num_dims: input dims with the last
//             replaced by output_depth); only the element count and last dim are used.
//
// Types (input / filter / bias -> output):
//   float32 / float32 / float32 -> float32:
//       out = clamp(sum_d in*w + bias, act)  (sum in index order, then + bias)
//   int8 / int8 (per-tensor or per-channel along dim 0) / int32 -> int8:
//       acc   = sum_d (w + w_off) * (x + in_off)  in int32, + bias
//       out   = clamp(MultiplyByQuantizedMultiplier(acc, M) + out_zp, act range)
//       M     = (double)(in_scale * w_scale [float product]) / out_scale  per tensor,
//               in_scale * w_scale_c / out_scale in double  per channel.
//       in_off = -in_zp in [-127, 128]; w_off = -w_zp; out_zp in [-128, 127].
//   int16 / int8 / int64 (or none) -> int16 (16x8): as int8 with an int64 accumulator and
//       the int64 MultiplyByQuantizedMultiplier; zero points of input/output must be 0.
// Prepare computes every multiplier and the activation range into the op data.
#include "kernels/fully_connected_common.h"

#include "kernels/conv_common.h"
#include "kernels/fixed_multiply.h"
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kInput = 0;
constexpr int32_t kFilter = 1;
constexpr int32_t kBias = 2;

}  // namespace

void* FullyConnectedInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(FcOpData));
}

EmberStatus FullyConnectedPrepare(EmberContext* ctx, EmberNode* node) {
  auto* data = static_cast<FcOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, data != nullptr, "FULLY_CONNECTED: no op data (arena full?)");
  const auto* params = static_cast<const EmberFullyConnectedParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "FULLY_CONNECTED: missing options");
  EMBER_KERNEL_CHECK(ctx, params->weights_format == 0,
                     "FULLY_CONNECTED: weights format %d unsupported (only DEFAULT)",
                     static_cast<int>(params->weights_format));
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 || node->num_inputs == 3,
                     "FULLY_CONNECTED: expected 2 or 3 inputs, got %d",
                     static_cast<int>(node->num_inputs));
  EMBER_KERNEL_CHECK(ctx, node->num_outputs == 1, "FULLY_CONNECTED: expected 1 output, got %d",
                     static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, kInput);
  const EmberTensor* filter = NodeInput(ctx, node, kFilter);
  const EmberTensor* bias = NodeInput(ctx, node, kBias);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && filter && output,
                     "FULLY_CONNECTED: input, filter and output are required");
  EMBER_KERNEL_CHECK(ctx, filter->num_dims == 2, "FULLY_CONNECTED: filter must be 2-D, got %d-D",
                     static_cast<int>(filter->num_dims));
  EMBER_KERNEL_CHECK(ctx, output->num_dims >= 1, "FULLY_CONNECTED: output has no dimensions");
  const int32_t output_depth = filter->dims[0];
  const int32_t accum_depth = filter->dims[1];
  EMBER_KERNEL_CHECK(ctx, output_depth > 0 && accum_depth > 0,
                     "FULLY_CONNECTED: empty filter [%d, %d]", static_cast<int>(output_depth),
                     static_cast<int>(accum_depth));
  const int32_t input_count = ElementCount(input);
  EMBER_KERNEL_CHECK(ctx, input_count % accum_depth == 0,
                     "FULLY_CONNECTED: input size %d is not a multiple of filter depth %d",
                     static_cast<int>(input_count), static_cast<int>(accum_depth));
  const int32_t batches = input_count / accum_depth;
  EMBER_KERNEL_CHECK(ctx, output->dims[output->num_dims - 1] == output_depth &&
                              ElementCount(output) == batches * output_depth,
                     "FULLY_CONNECTED: output shape does not match [%d, %d]",
                     static_cast<int>(batches), static_cast<int>(output_depth));
  if (bias != nullptr) {
    EMBER_KERNEL_CHECK(ctx, ElementCount(bias) == output_depth,
                       "FULLY_CONNECTED: bias has %d elements, expected %d",
                       static_cast<int>(ElementCount(bias)), static_cast<int>(output_depth));
  }
  data->batches = batches;
  data->accum_depth = accum_depth;
  data->output_depth = output_depth;
  data->channel_multipliers = nullptr;
  data->multiplier = 0;
  data->shift = 0;

  if (input->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx, filter->type == kEmberFloat32 && output->type == kEmberFloat32 &&
                                (bias == nullptr || bias->type == kEmberFloat32),
                       "FULLY_CONNECTED: float32 input needs float32 filter, bias and output");
    EMBER_KERNEL_CHECK(ctx,
                       CalculateActivationRangeFloat(params->activation, &data->act_min_f,
                                                     &data->act_max_f) == kEmberOk,
                       "FULLY_CONNECTED: unsupported fused activation %s",
                       ActivationName(params->activation));
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, input->type == kEmberInt8 || input->type == kEmberInt16,
                     "FULLY_CONNECTED: unsupported input type %s", TypeName(input->type));
  EMBER_KERNEL_CHECK(ctx, filter->type == kEmberInt8,
                     "FULLY_CONNECTED: %s input needs an INT8 filter, got %s",
                     TypeName(input->type), TypeName(filter->type));
  EMBER_KERNEL_CHECK(ctx, output->type == input->type,
                     "FULLY_CONNECTED: output type %s differs from input type %s",
                     TypeName(output->type), TypeName(input->type));
  const EmberType bias_type = input->type == kEmberInt8 ? kEmberInt32 : kEmberInt64;
  EMBER_KERNEL_CHECK(ctx, bias == nullptr || bias->type == bias_type,
                     "FULLY_CONNECTED: %s input needs a %s bias, got %s", TypeName(input->type),
                     TypeName(bias_type), TypeName(bias != nullptr ? bias->type : bias_type));
  EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1 && output->quant.num_channels == 1,
                     "FULLY_CONNECTED: input and output need per-tensor quantization");
  EMBER_KERNEL_CHECK(ctx, filter->quant.num_channels == 1 ||
                              (filter->quant.num_channels == output_depth &&
                               filter->quant.quantized_dimension == 0),
                     "FULLY_CONNECTED: filter quantization must be per-tensor or per output "
                     "channel (dim 0), got %d channels",
                     static_cast<int>(filter->quant.num_channels));
  EMBER_KERNEL_CHECK(ctx, input->quant.scale > 0.0f && output->quant.scale > 0.0f,
                     "FULLY_CONNECTED: non-positive quantization scale");
  if (input->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx, input->quant.zero_point == 0 && output->quant.zero_point == 0,
                       "FULLY_CONNECTED: int16 input/output zero points must be 0 (got %d, %d)",
                       static_cast<int>(input->quant.zero_point),
                       static_cast<int>(output->quant.zero_point));
  }
  const bool per_channel = filter->quant.num_channels > 1;
  if (per_channel) {
    for (int32_t c = 0; c < output_depth; ++c) {
      EMBER_KERNEL_CHECK(ctx, filter->quant.zero_points == nullptr ||
                                  filter->quant.zero_points[c] == 0,
                         "FULLY_CONNECTED: per-channel filter zero points must be 0");
    }
  }
  data->input_offset = static_cast<int16_t>(-input->quant.zero_point);
  data->filter_offset = static_cast<int16_t>(per_channel ? 0 : -filter->quant.zero_point);
  data->output_offset = static_cast<int16_t>(output->quant.zero_point);
  int32_t act_min = 0, act_max = 0;
  EMBER_KERNEL_CHECK(ctx,
                     CalculateActivationRangeQuantized(params->activation, output->type,
                                                       output->quant.scale,
                                                       output->quant.zero_point, &act_min,
                                                       &act_max) == kEmberOk,
                     "FULLY_CONNECTED: unsupported fused activation %s",
                     ActivationName(params->activation));
  data->act_min = static_cast<int16_t>(act_min);
  data->act_max = static_cast<int16_t>(act_max);
  const int max_shift = input->type == kEmberInt16 ? 7 : 30;
  if (!per_channel) {
    // One multiplier for all channels: nothing per channel in the arena.
    int32_t m = 0;
    int s = 0;
    ComputeProductScaleMultiplier(input->quant.scale, filter->quant.scale, output->quant.scale,
                                  &m, &s);
    EMBER_KERNEL_CHECK(ctx, s >= -31 && s <= max_shift,
                       "FULLY_CONNECTED: effective scale out of range (shift %d, limit %d)", s,
                       max_shift);
    data->multiplier = m;
    data->shift = static_cast<int8_t>(s);
    return kEmberOk;
  }
  // Per channel: output_depth multipliers, then output_depth shifts, in one block.
  const size_t channels = static_cast<size_t>(output_depth);
  data->channel_multipliers = static_cast<int32_t*>(
      ctx->AllocatePersistent(ctx, channels * (sizeof(int32_t) + sizeof(int8_t))));
  EMBER_KERNEL_CHECK(ctx, data->channel_multipliers != nullptr,
                     "FULLY_CONNECTED: arena full (multipliers for %d channels)",
                     static_cast<int>(output_depth));
  int8_t* shifts = reinterpret_cast<int8_t*>(data->channel_multipliers + output_depth);
  ComputePerChannelMultipliers(input->quant.scale, filter->quant, output->quant.scale,
                               output_depth, data->channel_multipliers, shifts);
  for (int32_t c = 0; c < output_depth; ++c) {
    EMBER_KERNEL_CHECK(ctx, shifts[c] >= -31 && shifts[c] <= max_shift,
                       "FULLY_CONNECTED: effective scale of channel %d out of range (shift %d, "
                       "limit %d)",
                       static_cast<int>(c), static_cast<int>(shifts[c]), max_shift);
  }
  return kEmberOk;
}

void FullyConnectedEvalFloatReference(const FcOpData& d, const float* input,
                                      const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    const float* in = input + b * d.accum_depth;
    for (int32_t oc = 0; oc < d.output_depth; ++oc) {
      const float* w = filter + oc * d.accum_depth;
      float total = 0.0f;
      for (int32_t k = 0; k < d.accum_depth; ++k) total += in[k] * w[k];
      const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
      output[b * d.output_depth + oc] = ClampF(total + bias_value, d.act_min_f, d.act_max_f);
    }
  }
}

// Largest input depth whose offset values the int8 path keeps on the stack (256 bytes).
constexpr int32_t kFcStackDepth = 64;

namespace {

// Requantization of one output channel: per-tensor filters use the op data's single
// multiplier (kPerChannel false: nothing is read per channel), per-channel filters the
// channel's entry. Multipliers are >= 0 (positive scales): fixed_multiply::Requantizer is
// the faster exact form of MultiplyByQuantizedMultiplier.
template <bool kPerChannel>
struct FcRequant {
  fixed_multiply::Requantizer tensor_q;
  const int32_t* mults;
  const int8_t* shifts;
  int32_t Apply(int32_t acc, int32_t oc) const {
    if constexpr (kPerChannel) {
      return fixed_multiply::Requantizer(mults[oc], shifts[oc]).Apply(acc);
    } else {
      return tensor_q.Apply(acc);
    }
  }
};

template <bool kPerChannel>
void FcEvalS8(const FcOpData& d, const int8_t* input, const int8_t* filter,
              const int32_t* bias, int8_t* output) {
  // Fields copied once (int8 output stores may alias the op data). Four output channels
  // per pass share each (input + offset) value; the int32 sums are exact, so the order
  // does not change the result.
  const int32_t batches = d.batches;
  const int32_t depth = d.accum_depth;
  const int32_t out_depth = d.output_depth;
  const int32_t in_off = d.input_offset;
  const int32_t f_off = d.filter_offset;
  const int32_t out_off = d.output_offset;
  const int32_t act_min = d.act_min, act_max = d.act_max;
  const FcRequant<kPerChannel> rq{
      fixed_multiply::Requantizer(d.multiplier, d.shift), d.channel_multipliers,
      kPerChannel ? FcChannelShifts(d) : nullptr};
  auto requantize = [&](int32_t acc, int32_t oc) {
    if (bias != nullptr) acc += bias[oc];
    return static_cast<int8_t>(Clamp32(rq.Apply(acc, oc) + out_off, act_min, act_max));
  };
  for (int32_t b = 0; b < batches; ++b) {
    const int8_t* const in = input + b * depth;
    int8_t* const out = output + b * out_depth;
    int32_t oc = 0;
    if (f_off == 0 && depth <= kFcStackDepth && out_depth >= 4) {
      // Symmetric filter (the int8 spec's case): the offset input once on the stack, then
      // four rows per pass of pure multiply-accumulates.
      int32_t xz[kFcStackDepth];
      for (int32_t k = 0; k < depth; ++k) xz[k] = in[k] + in_off;
      const int32_t* const xz_end = xz + depth;
      for (; oc + 4 <= out_depth; oc += 4) {
        const int8_t* w0 = filter + oc * depth;
        const int8_t* w1 = w0 + depth;
        const int8_t* w2 = w1 + depth;
        const int8_t* w3 = w2 + depth;
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (const int32_t* v = xz; v != xz_end; ++v) {
          const int32_t x = *v;
          a0 += *w0++ * x;
          a1 += *w1++ * x;
          a2 += *w2++ * x;
          a3 += *w3++ * x;
        }
        out[oc] = requantize(a0, oc);
        out[oc + 1] = requantize(a1, oc + 1);
        out[oc + 2] = requantize(a2, oc + 2);
        out[oc + 3] = requantize(a3, oc + 3);
      }
    }
    for (; oc + 4 <= out_depth; oc += 4) {
      const int8_t* w0 = filter + oc * depth;
      const int8_t* w1 = w0 + depth;
      const int8_t* w2 = w1 + depth;
      const int8_t* w3 = w2 + depth;
      int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (int32_t k = 0; k < depth; ++k) {
        const int32_t x = in[k] + in_off;
        a0 += (*w0++ + f_off) * x;
        a1 += (*w1++ + f_off) * x;
        a2 += (*w2++ + f_off) * x;
        a3 += (*w3++ + f_off) * x;
      }
      out[oc] = requantize(a0, oc);
      out[oc + 1] = requantize(a1, oc + 1);
      out[oc + 2] = requantize(a2, oc + 2);
      out[oc + 3] = requantize(a3, oc + 3);
    }
    for (; oc + 2 <= out_depth; oc += 2) {
      const int8_t* w0 = filter + oc * depth;
      const int8_t* w1 = w0 + depth;
      int32_t a0 = 0, a1 = 0;
      for (int32_t k = 0; k < depth; ++k) {
        const int32_t x = in[k] + in_off;
        a0 += (*w0++ + f_off) * x;
        a1 += (*w1++ + f_off) * x;
      }
      out[oc] = requantize(a0, oc);
      out[oc + 1] = requantize(a1, oc + 1);
    }
    for (; oc < out_depth; ++oc) {
      const int8_t* w = filter + oc * depth;
      int32_t acc = 0;
      for (int32_t k = 0; k < depth; ++k) acc += (w[k] + f_off) * (in[k] + in_off);
      out[oc] = requantize(acc, oc);
    }
  }
}

}  // namespace

void FullyConnectedEvalS8Reference(const FcOpData& d, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output) {
  if (d.channel_multipliers != nullptr) {
    FcEvalS8<true>(d, input, filter, bias, output);
  } else {
    FcEvalS8<false>(d, input, filter, bias, output);
  }
}

void FullyConnectedEvalS16Reference(const FcOpData& d, const int16_t* input,
                                    const int8_t* filter, const int64_t* bias,
                                    int16_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    const int16_t* in = input + b * d.accum_depth;
    for (int32_t oc = 0; oc < d.output_depth; ++oc) {
      const int8_t* w = filter + oc * d.accum_depth;
      int64_t acc = 0;
      for (int32_t k = 0; k < d.accum_depth; ++k) {
        acc += static_cast<int64_t>((w[k] + d.filter_offset) * (in[k] + d.input_offset));
      }
      if (bias != nullptr) acc += bias[oc];
      const bool per_channel = d.channel_multipliers != nullptr;
      int32_t scaled = MultiplyByQuantizedMultiplier(
          acc, per_channel ? d.channel_multipliers[oc] : d.multiplier,
          per_channel ? FcChannelShifts(d)[oc] : d.shift);
      scaled += d.output_offset;
      output[b * d.output_depth + oc] =
          static_cast<int16_t>(Clamp32(scaled, d.act_min, d.act_max));
    }
  }
}

namespace {

EmberStatus FcInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const FcOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, kInput);
  const EmberEvalTensor* filter = EvalInput(ctx, node, kFilter);
  const EmberEvalTensor* bias = EvalInput(ctx, node, kBias);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (input->type) {
    case kEmberFloat32:
      FullyConnectedEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                                       bias ? TensorData<float>(bias) : nullptr,
                                       TensorData<float>(output));
      return kEmberOk;
    case kEmberInt8:
      FullyConnectedEvalS8Reference(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                                    bias ? TensorData<int32_t>(bias) : nullptr,
                                    TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberInt16:
      FullyConnectedEvalS16Reference(*d, TensorData<int16_t>(input),
                                     TensorData<int8_t>(filter),
                                     bias ? TensorData<int64_t>(bias) : nullptr,
                                     TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "FULLY_CONNECTED: unsupported input type %s",
                       TypeName(input->type));
      return kEmberError;
  }
}

}  // namespace

uint64_t FullyConnectedCountMacs(const EmberContext* /*ctx*/, const EmberNode* node) {
  const auto* d = static_cast<const FcOpData*>(node->user_data);
  if (d == nullptr) return 0;
  return static_cast<uint64_t>(d->batches) * static_cast<uint64_t>(d->output_depth) *
         static_cast<uint64_t>(d->accum_depth);
}

EmberRegistration RegisterFullyConnected() {
  EmberRegistration r{};
  r.name = "FULLY_CONNECTED";
  r.builtin_code = kEmberOpFullyConnected;
  r.variant = "reference";
  r.init = FullyConnectedInit;
  r.prepare = FullyConnectedPrepare;
  r.invoke = FcInvoke;
  r.free = nullptr;
  r.count_macs = FullyConnectedCountMacs;
  return r;
}

}  // namespace ember::kernels
