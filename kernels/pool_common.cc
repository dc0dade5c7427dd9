// Shared Prepare of AVERAGE_POOL_2D and MAX_POOL_2D (see pool_common.h).
#include "kernels/pool_common.h"

#include "kernels/internal/op_checks.h"

namespace ember::kernels {

void* PoolInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(PoolOpData));
}

EmberStatus PoolPrepare(EmberContext* ctx, EmberNode* node, const char* op) {
  auto* d = static_cast<PoolOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "%s: no op data (arena full?)", op);
  const auto* p = static_cast<const EmberPoolParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, p != nullptr, "%s: missing options", op);
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 1 && node->num_outputs == 1,
                     "%s: expected 1 input and 1 output, got %d and %d", op,
                     static_cast<int>(node->num_inputs), static_cast<int>(node->num_outputs));
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* output = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, input && output, "%s: input and output are required", op);
  EMBER_KERNEL_CHECK(ctx, input->num_dims == 4 && output->num_dims == 4,
                     "%s: input and output must be 4-D (got %d-D, %d-D)", op,
                     static_cast<int>(input->num_dims), static_cast<int>(output->num_dims));
  EMBER_KERNEL_CHECK(ctx, p->stride_w >= 1 && p->stride_h >= 1 && p->filter_w >= 1 &&
                              p->filter_h >= 1,
                     "%s: strides and filter sizes must be >= 1 (stride %dx%d, filter %dx%d)",
                     op, static_cast<int>(p->stride_h), static_cast<int>(p->stride_w),
                     static_cast<int>(p->filter_h), static_cast<int>(p->filter_w));
  EMBER_KERNEL_CHECK(ctx, p->padding == kEmberPaddingSame || p->padding == kEmberPaddingValid,
                     "%s: unknown padding %d", op, static_cast<int>(p->padding));
  EMBER_KERNEL_CHECK(ctx, input->type == output->type,
                     "%s: output type %s differs from input type %s", op,
                     TypeName(output->type), TypeName(input->type));
  d->batches = input->dims[0];
  d->in_h = input->dims[1];
  d->in_w = input->dims[2];
  d->channels = input->dims[3];
  d->filter_h = p->filter_h;
  d->filter_w = p->filter_w;
  d->stride_h = p->stride_h;
  d->stride_w = p->stride_w;
  int32_t out_h = 0;
  int32_t out_w = 0;
  d->padding = ComputePaddingHeightWidth(p->stride_h, p->stride_w, 1, 1, d->in_h, d->in_w,
                                         p->filter_h, p->filter_w, p->padding, &out_h, &out_w);
  EMBER_KERNEL_CHECK(ctx, out_h > 0 && out_w > 0,
                     "%s: filter %dx%d larger than the %dx%d input with VALID padding", op,
                     static_cast<int>(p->filter_h), static_cast<int>(p->filter_w),
                     static_cast<int>(d->in_h), static_cast<int>(d->in_w));
  EMBER_KERNEL_CHECK(ctx,
                     output->dims[0] == d->batches && output->dims[1] == out_h &&
                         output->dims[2] == out_w && output->dims[3] == d->channels,
                     "%s: output shape [%d, %d, %d, %d] does not match the computed [%d, %d, "
                     "%d, %d]",
                     op, static_cast<int>(output->dims[0]), static_cast<int>(output->dims[1]),
                     static_cast<int>(output->dims[2]), static_cast<int>(output->dims[3]),
                     static_cast<int>(d->batches), static_cast<int>(out_h),
                     static_cast<int>(out_w), static_cast<int>(d->channels));
  d->out_h = out_h;
  d->out_w = out_w;
  d->type = input->type;
  switch (input->type) {
    case kEmberFloat32:
      EMBER_KERNEL_CHECK(
          ctx, CalculateActivationRangeFloat(p->activation, &d->act_min_f, &d->act_max_f) == kEmberOk,
          "%s: unsupported fused activation %s", op, ActivationName(p->activation));
      return kEmberOk;
    case kEmberInt8:
    case kEmberInt16:
      EMBER_KERNEL_CHECK(ctx, input->quant.num_channels == 1 && output->quant.num_channels == 1,
                         "%s: input and output need per-tensor quantization", op);
      EMBER_KERNEL_CHECK(ctx, input->quant.scale == output->quant.scale &&
                                  input->quant.zero_point == output->quant.zero_point,
                         "%s: input and output quantization must be equal (scale %f zp %d vs "
                         "scale %f zp %d)",
                         op, static_cast<double>(input->quant.scale),
                         static_cast<int>(input->quant.zero_point),
                         static_cast<double>(output->quant.scale),
                         static_cast<int>(output->quant.zero_point));
      if (input->type == kEmberInt16) {
        EMBER_KERNEL_CHECK(ctx, input->quant.zero_point == 0,
                           "%s: int16 zero point must be 0, got %d", op,
                           static_cast<int>(input->quant.zero_point));
      }
      EMBER_KERNEL_CHECK(ctx,
                         CalculateActivationRangeQuantized(p->activation, output->type,
                                                           output->quant.scale,
                                                           output->quant.zero_point,
                                                           &d->act_min, &d->act_max) == kEmberOk,
                         "%s: unsupported fused activation %s", op,
                         ActivationName(p->activation));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "%s: unsupported input type %s", op, TypeName(input->type));
      return kEmberError;
  }
}

}  // namespace ember::kernels
