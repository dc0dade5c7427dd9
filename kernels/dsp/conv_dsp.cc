// CONV_2D, DSP-extension variant: shares ConvOpData and Prepare (conv_common.h) with the
// reference; the int8 invoke computes four (or two) output channels at a time (sharing each input
// load and its widening), four input channels per step with SXTAB16 / SXTB16 + SMLAD
// (dsp_intrinsics.h). Float and 16x8 run the reference.
// Bit-exact with Conv2dEvalS8Reference: the same int32 (mod 2^32) sum, reordered.
#include "kernels/conv_common.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {

namespace {

inline int8_t Finish(const ConvOpData& d, int32_t acc, int32_t oc) {
  acc = MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]) + d.output_offset;
  return static_cast<int8_t>(Clamp32(acc, d.act_min, d.act_max));
}

}  // namespace

void Conv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output) {
  const int32_t per_group = d.out_c / (d.in_c / d.filter_in_c);
  const int32_t filter_stride = d.filter_h * d.filter_w * d.filter_in_c;  // per out channel
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        int8_t* out = output + ((b * d.out_h + oy) * d.out_w + ox) * d.out_c;
        int32_t oc = 0;
        while (oc < d.out_c) {
          const int32_t group = oc / per_group;
          const int32_t in_c0 = group * d.filter_in_c;
          // Up to four channels of the same group at once (they read the same input).
          int32_t block = 1;
          if (oc + 3 < d.out_c && (oc + 3) / per_group == group) {
            block = 4;
          } else if (oc + 1 < d.out_c && (oc + 1) / per_group == group) {
            block = 2;
          }
          int32_t acc[4] = {0, 0, 0, 0};
          if (bias != nullptr) {
            for (int32_t i = 0; i < block; ++i) acc[i] = bias[oc + i];
          }
          for (int32_t fy = 0; fy < d.filter_h; ++fy) {
            const int32_t iy = iy0 + d.dilation_h * fy;
            if (iy < 0 || iy >= d.in_h) continue;
            for (int32_t fx = 0; fx < d.filter_w; ++fx) {
              const int32_t ix = ix0 + d.dilation_w * fx;
              if (ix < 0 || ix >= d.in_w) continue;
              const int8_t* x = input + ((b * d.in_h + iy) * d.in_w + ix) * d.in_c + in_c0;
              const int8_t* w0 =
                  filter + oc * filter_stride + (fy * d.filter_w + fx) * d.filter_in_c;
              if (block == 4) {
                dsp::DotS8x4(x, w0, filter_stride, d.filter_in_c, d.input_offset, acc);
              } else if (block == 2) {
                dsp::DotS8x2(x, w0, w0 + filter_stride, d.filter_in_c, d.input_offset, &acc[0],
                             &acc[1]);
              } else {
                acc[0] = dsp::DotS8Offsets(x, w0, d.filter_in_c, d.input_offset, 0, acc[0]);
              }
            }
          }
          for (int32_t i = 0; i < block; ++i) out[oc + i] = Finish(d, acc[i], oc + i);
          oc += block;
        }
      }
    }
  }
}

namespace {

EmberStatus Conv2dInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* filter = NodeInput(ctx, node, 1);
  const EmberTensor* bias = NodeInput(ctx, node, 2);
  EmberTensor* output = NodeOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberInt8:
      Conv2dEvalS8Dsp(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                      bias ? TensorData<int32_t>(bias) : nullptr, TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberFloat32:
      Conv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                               bias ? TensorData<float>(bias) : nullptr,
                               TensorData<float>(output));
      return kEmberOk;
    case kEmberInt16:
      Conv2dEvalS16Reference(*d, TensorData<int16_t>(input), TensorData<int8_t>(filter),
                             bias ? TensorData<int64_t>(bias) : nullptr,
                             TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "CONV_2D: unsupported input type %s", TypeName(d->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterConv2dDsp() {
  EmberRegistration r = RegisterConv2d();
  r.variant = "dsp";
  r.invoke = Conv2dInvokeDsp;
  return r;
}

}  // namespace ember::kernels
