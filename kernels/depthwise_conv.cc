// DEPTHWISE_CONV_2D reference kernels, bit-exact with TensorFlow Lite's reference
// (float: same summation order; int8 per-channel; 16x8 with int64 accumulator).
// Prepare and op data are shared with the optimized variants (conv_common.h).
//
// For each output (b, oy, ox, oc), oc = ic * depth_multiplier + m:
//   acc = sum over fy, fx (skipping taps outside the image) of
//         filter[0][fy][fx][oc] * (input[b][iy][ix][ic] + input_offset)
//   iy = oy * stride_h - pad_h + fy * dilation_h, ix likewise.
#include "kernels/conv_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {

void DepthwiseConv2dEvalFloatReference(const ConvOpData& d, const float* input,
                                       const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            float total = 0.0f;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
                total += input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + ic] *
                         filter[(fy * d.filter_w + fx) * d.out_c + oc];
              }
            }
            const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
            output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
                ClampF(total + bias_value, d.act_min_f, d.act_max_f);
          }
        }
      }
    }
  }
}

void DepthwiseConv2dEvalS8Reference(const ConvOpData& d, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            int32_t acc = 0;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
                const int32_t x = input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + ic];
                const int32_t w = filter[(fy * d.filter_w + fx) * d.out_c + oc];
                acc += w * (x + d.input_offset);
              }
            }
            if (bias != nullptr) acc += bias[oc];
            acc = MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]);
            acc += d.output_offset;
            output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
                static_cast<int8_t>(Clamp32(acc, d.act_min, d.act_max));
          }
        }
      }
    }
  }
}

void DepthwiseConv2dEvalS16Reference(const ConvOpData& d, const int16_t* input,
                                     const int8_t* filter, const int64_t* bias,
                                     int16_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            int64_t acc = 0;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
                const int32_t x = input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + ic];
                const int32_t w = filter[(fy * d.filter_w + fx) * d.out_c + oc];
                acc += static_cast<int64_t>(w * x);
              }
            }
            if (bias != nullptr) acc += bias[oc];
            const int32_t scaled =
                MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]);
            output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
                static_cast<int16_t>(Clamp32(scaled, d.act_min, d.act_max));
          }
        }
      }
    }
  }
}

namespace {

EmberStatus DepthwiseConv2dInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* filter = NodeInput(ctx, node, 1);
  const EmberTensor* bias = NodeInput(ctx, node, 2);
  EmberTensor* output = NodeOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberFloat32:
      DepthwiseConv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                                        bias ? TensorData<float>(bias) : nullptr,
                                        TensorData<float>(output));
      return kEmberOk;
    case kEmberInt8:
      DepthwiseConv2dEvalS8Reference(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                                     bias ? TensorData<int32_t>(bias) : nullptr,
                                     TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberInt16:
      DepthwiseConv2dEvalS16Reference(*d, TensorData<int16_t>(input),
                                      TensorData<int8_t>(filter),
                                      bias ? TensorData<int64_t>(bias) : nullptr,
                                      TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "DEPTHWISE_CONV_2D: unsupported input type %s", TypeName(d->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterDepthwiseConv2d() {
  EmberRegistration r{};
  r.name = "DEPTHWISE_CONV_2D";
  r.builtin_code = kEmberOpDepthwiseConv2d;
  r.variant = "reference";
  r.init = ConvInit;
  r.prepare = DepthwiseConv2dPrepare;
  r.invoke = DepthwiseConv2dInvoke;
  r.count_macs = ConvCountMacs;
  return r;
}

}  // namespace ember::kernels
