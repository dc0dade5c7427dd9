// Shared Prepare of CONV_2D and DEPTHWISE_CONV_2D (see conv_common.h).
#include "kernels/conv_common.h"

#include "kernels/internal/op_checks.h"

namespace ember::kernels {
namespace {

constexpr int32_t kInput = 0;
constexpr int32_t kFilter = 1;
constexpr int32_t kBias = 2;

struct ConvGeometryParams {
  EmberPadding padding;
  int32_t stride_w, stride_h, dilation_w, dilation_h;
  int32_t depth_multiplier;  // depthwise only; 0 = take it from the shapes
  EmberActivation activation;
};

EmberStatus PrepareQuantization(EmberContext* ctx, const char* op, ConvKind kind,
                                const EmberTensor* input, const EmberTensor* filter,
                                const EmberTensor* output, EmberActivation activation,
                                ConvOpData* d) {
  EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1 && output->quant.num_channels == 1,
                     "%s: input and output need per-tensor quantization", op);
  EMBER_KERNEL_CHECK(ctx, input->quant.scale > 0.0f && output->quant.scale > 0.0f,
                     "%s: non-positive input/output scale", op);
  const int32_t qdim = kind == ConvKind::kConv2d ? 0 : 3;
  const int32_t nch = filter->quant.num_channels;
  EMBER_KERNEL_CHECK(ctx, nch == 1 || (nch == d->out_c && filter->quant.quantized_dimension == qdim),
                     "%s: filter must be quantized per tensor or per output channel along "
                     "dimension %d (got %d scales on dimension %d for %d channels)",
                     op, static_cast<int>(qdim), static_cast<int>(nch),
                     static_cast<int>(filter->quant.quantized_dimension),
                     static_cast<int>(d->out_c));
  for (int32_t c = 0; c < nch; ++c) {
    const int64_t zp = filter->quant.zero_points != nullptr ? filter->quant.zero_points[c]
                                                            : filter->quant.zero_point;
    EMBER_KERNEL_CHECK(ctx, zp == 0, "%s: filter zero point must be 0 (channel %d has %d)", op,
                       static_cast<int>(c), static_cast<int>(zp));
    EMBER_KERNEL_CHECK(ctx, ChannelScale(filter->quant, c) > 0.0f,
                       "%s: filter scale of channel %d is not positive", op,
                       static_cast<int>(c));
  }
  if (input->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx, input->quant.zero_point == 0 && output->quant.zero_point == 0,
                       "%s: int16 input/output zero points must be 0 (got %d, %d)", op,
                       static_cast<int>(input->quant.zero_point),
                       static_cast<int>(output->quant.zero_point));
  }
  d->input_offset = -input->quant.zero_point;
  d->output_offset = output->quant.zero_point;
  EMBER_KERNEL_CHECK(ctx,
                     CalculateActivationRangeQuantized(activation, output->type,
                                                       output->quant.scale,
                                                       output->quant.zero_point, &d->act_min,
                                                       &d->act_max) == kEmberOk,
                     "%s: unsupported fused activation %s", op, ActivationName(activation));
  const size_t n = static_cast<size_t>(d->out_c);
  d->multipliers = static_cast<int32_t*>(ctx->AllocatePersistent(ctx, sizeof(int32_t) * n));
  d->shifts = static_cast<int8_t*>(ctx->AllocatePersistent(ctx, sizeof(int8_t) * n));
  EMBER_KERNEL_CHECK(ctx, d->multipliers != nullptr && d->shifts != nullptr,
                     "%s: arena full (multipliers for %d channels)", op,
                     static_cast<int>(d->out_c));
  ComputePerChannelMultipliers(input->quant.scale, filter->quant, output->quant.scale, d->out_c,
                               d->multipliers, d->shifts);
  const int32_t max_shift = input->type == kEmberInt16 ? 7 : 30;
  for (int32_t c = 0; c < d->out_c; ++c) {
    EMBER_KERNEL_CHECK(ctx, d->shifts[c] >= -31 && d->shifts[c] <= max_shift,
                       "%s: effective scale of channel %d out of range (shift %d)", op,
                       static_cast<int>(c), static_cast<int>(d->shifts[c]));
  }
  return kEmberOk;
}

EmberStatus PrepareImpl(EmberContext* ctx, EmberNode* node, ConvKind kind,
                        const ConvGeometryParams& p) {
  const char* op = kind == ConvKind::kConv2d ? "CONV_2D" : "DEPTHWISE_CONV_2D";
  auto* d = static_cast<ConvOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "%s: no op data (arena full?)", op);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 || node->num_inputs == 3,
                     "%s: expected 2 or 3 inputs, got %d", op, static_cast<int>(node->num_inputs));
  EMBER_KERNEL_CHECK(ctx, node->num_outputs == 1, "%s: expected 1 output, got %d", op,
                     static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, kInput);
  const EmberTensor* filter = NodeInput(ctx, node, kFilter);
  const EmberTensor* bias = NodeInput(ctx, node, kBias);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && filter && output, "%s: input, filter and output are required",
                     op);
  EMBER_KERNEL_CHECK(ctx, input->num_dims == 4 && filter->num_dims == 4 && output->num_dims == 4,
                     "%s: input, filter and output must be 4-D (got %d-D, %d-D, %d-D)", op,
                     static_cast<int>(input->num_dims), static_cast<int>(filter->num_dims),
                     static_cast<int>(output->num_dims));
  EMBER_KERNEL_CHECK(ctx, p.stride_w >= 1 && p.stride_h >= 1,
                     "%s: strides must be >= 1 (got %d x %d)", op, static_cast<int>(p.stride_h),
                     static_cast<int>(p.stride_w));
  EMBER_KERNEL_CHECK(ctx, p.dilation_w >= 1 && p.dilation_h >= 1,
                     "%s: dilations must be >= 1 (got %d x %d)", op,
                     static_cast<int>(p.dilation_h), static_cast<int>(p.dilation_w));
  EMBER_KERNEL_CHECK(ctx, p.padding == kEmberPaddingSame || p.padding == kEmberPaddingValid,
                     "%s: unknown padding %d", op, static_cast<int>(p.padding));
  d->batches = input->dims[0];
  d->in_h = input->dims[1];
  d->in_w = input->dims[2];
  d->in_c = input->dims[3];
  d->filter_h = filter->dims[1];
  d->filter_w = filter->dims[2];
  d->out_c = output->dims[3];
  EMBER_KERNEL_CHECK(ctx, d->in_c > 0 && d->filter_h > 0 && d->filter_w > 0 && d->out_c > 0,
                     "%s: empty input, filter or output", op);
  if (kind == ConvKind::kConv2d) {
    d->filter_in_c = filter->dims[3];
    d->depth_multiplier = 1;
    EMBER_KERNEL_CHECK(ctx, filter->dims[0] == d->out_c,
                       "%s: filter has %d output channels, output has %d", op,
                       static_cast<int>(filter->dims[0]), static_cast<int>(d->out_c));
    EMBER_KERNEL_CHECK(ctx, d->filter_in_c > 0 && d->in_c % d->filter_in_c == 0,
                       "%s: input depth %d is not a multiple of filter depth %d", op,
                       static_cast<int>(d->in_c), static_cast<int>(d->filter_in_c));
    const int32_t groups = d->in_c / d->filter_in_c;
    EMBER_KERNEL_CHECK(ctx, d->out_c % groups == 0,
                       "%s: %d output channels do not split into %d groups", op,
                       static_cast<int>(d->out_c), static_cast<int>(groups));
  } else {
    d->filter_in_c = 1;
    EMBER_KERNEL_CHECK(ctx, filter->dims[0] == 1 && filter->dims[3] == d->out_c,
                       "%s: filter must be [1, H, W, %d], got [%d, %d, %d, %d]", op,
                       static_cast<int>(d->out_c), static_cast<int>(filter->dims[0]),
                       static_cast<int>(filter->dims[1]), static_cast<int>(filter->dims[2]),
                       static_cast<int>(filter->dims[3]));
    EMBER_KERNEL_CHECK(ctx, d->out_c % d->in_c == 0,
                       "%s: output depth %d is not a multiple of input depth %d", op,
                       static_cast<int>(d->out_c), static_cast<int>(d->in_c));
    d->depth_multiplier = d->out_c / d->in_c;
    EMBER_KERNEL_CHECK(ctx, p.depth_multiplier <= 0 || p.depth_multiplier == d->depth_multiplier,
                       "%s: depth_multiplier option %d does not match the shapes (%d)", op,
                       static_cast<int>(p.depth_multiplier),
                       static_cast<int>(d->depth_multiplier));
  }
  d->stride_h = p.stride_h;
  d->stride_w = p.stride_w;
  d->dilation_h = p.dilation_h;
  d->dilation_w = p.dilation_w;
  int32_t out_h = 0;
  int32_t out_w = 0;
  d->padding = ComputePaddingHeightWidth(p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
                                         d->in_h, d->in_w, d->filter_h, d->filter_w, p.padding,
                                         &out_h, &out_w);
  EMBER_KERNEL_CHECK(ctx, out_h > 0 && out_w > 0,
                     "%s: filter %dx%d (dilation %dx%d) larger than the %dx%d input with VALID "
                     "padding",
                     op, static_cast<int>(d->filter_h), static_cast<int>(d->filter_w),
                     static_cast<int>(p.dilation_h), static_cast<int>(p.dilation_w),
                     static_cast<int>(d->in_h), static_cast<int>(d->in_w));
  EMBER_KERNEL_CHECK(ctx,
                     output->dims[0] == d->batches && output->dims[1] == out_h &&
                         output->dims[2] == out_w,
                     "%s: output shape [%d, %d, %d, %d] does not match the computed [%d, %d, "
                     "%d, %d]",
                     op, static_cast<int>(output->dims[0]), static_cast<int>(output->dims[1]),
                     static_cast<int>(output->dims[2]), static_cast<int>(output->dims[3]),
                     static_cast<int>(d->batches), static_cast<int>(out_h),
                     static_cast<int>(out_w), static_cast<int>(d->out_c));
  d->out_h = out_h;
  d->out_w = out_w;
  if (bias != nullptr) {
    EMBER_KERNEL_CHECK(ctx, ElementCount(bias) == d->out_c,
                       "%s: bias has %d elements, expected %d", op,
                       static_cast<int>(ElementCount(bias)), static_cast<int>(d->out_c));
  }
  d->type = input->type;
  d->multipliers = nullptr;
  d->shifts = nullptr;
  switch (input->type) {
    case kEmberFloat32:
      EMBER_KERNEL_CHECK(ctx, filter->type == kEmberFloat32 && output->type == kEmberFloat32 &&
                                  (bias == nullptr || bias->type == kEmberFloat32),
                         "%s: float32 input needs float32 filter, bias and output", op);
      EMBER_KERNEL_CHECK(ctx,
                         CalculateActivationRangeFloat(p.activation, &d->act_min_f,
                                                       &d->act_max_f) == kEmberOk,
                         "%s: unsupported fused activation %s", op, ActivationName(p.activation));
      return kEmberOk;
    case kEmberInt8:
    case kEmberInt16: {
      const EmberType bias_type = input->type == kEmberInt8 ? kEmberInt32 : kEmberInt64;
      EMBER_KERNEL_CHECK(ctx, filter->type == kEmberInt8,
                         "%s: %s input needs an INT8 filter, got %s", op, TypeName(input->type),
                         TypeName(filter->type));
      EMBER_KERNEL_CHECK(ctx, output->type == input->type,
                         "%s: output type %s differs from input type %s", op,
                         TypeName(output->type), TypeName(input->type));
      EMBER_KERNEL_CHECK(ctx, bias == nullptr || bias->type == bias_type,
                         "%s: %s input needs a %s bias, got %s", op, TypeName(input->type),
                         TypeName(bias_type), TypeName(bias != nullptr ? bias->type : bias_type));
      return PrepareQuantization(ctx, op, kind, input, filter, output, p.activation, d);
    }
    default:
      ctx->ReportError(ctx, "%s: unsupported input type %s", op, TypeName(input->type));
      return kEmberError;
  }
}

}  // namespace

void* ConvInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(ConvOpData));
}

EmberStatus Conv2dPrepare(EmberContext* ctx, EmberNode* node) {
  const auto* params = static_cast<const EmberConvParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "CONV_2D: missing options");
  const ConvGeometryParams p{params->padding,    params->stride_w,   params->stride_h,
                             params->dilation_w, params->dilation_h, 0,
                             params->activation};
  return PrepareImpl(ctx, node, ConvKind::kConv2d, p);
}

EmberStatus DepthwiseConv2dPrepare(EmberContext* ctx, EmberNode* node) {
  const auto* params = static_cast<const EmberDepthwiseConvParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "DEPTHWISE_CONV_2D: missing options");
  const ConvGeometryParams p{params->padding,    params->stride_w,   params->stride_h,
                             params->dilation_w, params->dilation_h, params->depth_multiplier,
                             params->activation};
  return PrepareImpl(ctx, node, ConvKind::kDepthwise, p);
}

uint64_t ConvCountMacs(const EmberContext* /*ctx*/, const EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  if (d == nullptr) return 0;
  // Every output element takes FH * FW * filter_in_c products (padding included).
  return static_cast<uint64_t>(d->batches) * static_cast<uint64_t>(d->out_h) *
         static_cast<uint64_t>(d->out_w) * static_cast<uint64_t>(d->out_c) *
         static_cast<uint64_t>(d->filter_h) * static_cast<uint64_t>(d->filter_w) *
         static_cast<uint64_t>(d->filter_in_c);
}

}  // namespace ember::kernels
