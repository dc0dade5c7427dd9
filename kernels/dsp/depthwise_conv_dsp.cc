// DEPTHWISE_CONV_2D, DSP-extension variant: shares ConvOpData and Prepare with the
// reference. With depth multiplier 1 the int8 invoke handles four channels per step
// (DepthwiseDm1S8Dsp below: channel groups outer, pixels inner, 3x3 unrolled). With a depth
// multiplier that is a multiple of 4 (e.g. VWW's first layer, 1 -> 8 channels) the four
// outputs of one input channel are computed together. Other depth multipliers, leftover
// channels, float and 16x8 use the reference arithmetic.
// Bit-exact with DepthwiseConv2dEvalS8Reference (same int32 sums).
#include "kernels/conv_common.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {
namespace {

inline int8_t Finish(const ConvOpData& d, int32_t acc, int32_t oc) {
  return dsp::RequantizeS8(acc, dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]),
                           d.output_offset, d.act_min, d.act_max);
}

// Depth multiplier a multiple of 4: the four outputs oc..oc+3 of one input channel share
// the input value, so it is widened once (offset added) into both halfwords and
// multiplied with four contiguous filter bytes per tap (SMLABB / SMLATT).
void DepthwiseMultiplierOf4S8Dsp(const ConvOpData& d, const int8_t* input,
                                 const int8_t* filter, const int32_t* bias, int8_t* output) {
  const int32_t in_c = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t dm = d.depth_multiplier;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        int8_t* out = output + ((b * d.out_h + oy) * d.out_w + ox) * out_c;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; m += 4) {
            const int32_t oc = ic * dm + m;
            int32_t acc0 = bias != nullptr ? bias[oc] : 0;
            int32_t acc1 = bias != nullptr ? bias[oc + 1] : 0;
            int32_t acc2 = bias != nullptr ? bias[oc + 2] : 0;
            int32_t acc3 = bias != nullptr ? bias[oc + 3] : 0;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              if (iy < 0 || iy >= d.in_h) continue;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (ix < 0 || ix >= d.in_w) continue;
                const uint32_t x2 = dsp::Dup16(
                    input[((b * d.in_h + iy) * d.in_w + ix) * in_c + ic] + d.input_offset);
                const uint32_t wv = dsp::Load4(filter + (fy * d.filter_w + fx) * out_c + oc);
                const uint32_t w02 = dsp::Sxtb16(wv);
                const uint32_t w13 = dsp::Sxtb16Ror8(wv);
                acc0 = dsp::Smlabb(x2, w02, acc0);
                acc2 = dsp::Smlatt(x2, w02, acc2);
                acc1 = dsp::Smlabb(x2, w13, acc1);
                acc3 = dsp::Smlatt(x2, w13, acc3);
              }
            }
            out[oc] = Finish(d, acc0, oc);
            out[oc + 1] = Finish(d, acc1, oc + 1);
            out[oc + 2] = Finish(d, acc2, oc + 2);
            out[oc + 3] = Finish(d, acc3, oc + 3);
          }
        }
      }
    }
  }
}

// Depth multiplier 1, channel groups of four as the outer loop (their requantization
// parameters and biases are set up once per group, not per pixel), output pixels inner.
// Per tap: one 32-bit load of 4 input bytes and one of 4 filter bytes, widened with
// SXTAB16 (the input offset folded in) / SXTB16, one SMLABB / SMLATT per channel. The
// window is clipped to the image once per output pixel; a full 3x3 window without dilation
// (every interior pixel) runs fully unrolled. The four results are stored as one word.
void DepthwiseDm1S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output) {
  const int32_t channels = d.out_c;  // == in_c
  const uint32_t in_off = dsp::Dup16(d.input_offset);
  const int32_t in_h = d.in_h, in_w = d.in_w;
  const int32_t filter_h = d.filter_h, filter_w = d.filter_w;
  const int32_t dil_h = d.dilation_h, dil_w = d.dilation_w;
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const int32_t out_offset = d.output_offset, act_min = d.act_min, act_max = d.act_max;
  // Pointer steps between taps: next dilated input column / row.
  const int32_t x_col_step = dil_w * channels;
  const int32_t x_row_step = dil_h * in_w * channels;
  const bool unrolled_3x3 = filter_h == 3 && filter_w == 3 && dil_h == 1 && dil_w == 1;
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in_b = input + b * in_h * in_w * channels;
    int8_t* out_b = output + b * out_h * out_w * channels;
    int32_t c = 0;
    for (; c + 4 <= channels; c += 4) {
      const dsp::ChannelQuant q0 = dsp::MakeChannelQuant(d.multipliers[c], d.shifts[c]);
      const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multipliers[c + 1], d.shifts[c + 1]);
      const dsp::ChannelQuant q2 = dsp::MakeChannelQuant(d.multipliers[c + 2], d.shifts[c + 2]);
      const dsp::ChannelQuant q3 = dsp::MakeChannelQuant(d.multipliers[c + 3], d.shifts[c + 3]);
      const int32_t b0 = bias != nullptr ? bias[c] : 0;
      const int32_t b1 = bias != nullptr ? bias[c + 1] : 0;
      const int32_t b2 = bias != nullptr ? bias[c + 2] : 0;
      const int32_t b3 = bias != nullptr ? bias[c + 3] : 0;
      const int8_t* w_c = filter + c;
      int8_t* out = out_b + c;
      for (int32_t oy = 0; oy < out_h; ++oy) {
        const int32_t iy0 = oy * d.stride_h - d.padding.height;
        // Filter rows whose input row is inside the image: [fy0, fy1).
        const int32_t fy0 = iy0 < 0 ? (-iy0 + dil_h - 1) / dil_h : 0;
        int32_t fy1 = in_h - 1 - iy0 < 0 ? 0 : (in_h - 1 - iy0) / dil_h + 1;
        if (fy1 > filter_h) fy1 = filter_h;
        for (int32_t ox = 0; ox < out_w; ++ox, out += channels) {
          const int32_t ix0 = ox * d.stride_w - d.padding.width;
          const int32_t fx0 = ix0 < 0 ? (-ix0 + dil_w - 1) / dil_w : 0;
          int32_t fx1 = in_w - 1 - ix0 < 0 ? 0 : (in_w - 1 - ix0) / dil_w + 1;
          if (fx1 > filter_w) fx1 = filter_w;
          int32_t acc0 = b0, acc1 = b1, acc2 = b2, acc3 = b3;
          // Input of tap (fy0, fx0) at channel c; filter of that tap at channel c.
          const int8_t* x_first =
              in_b + ((iy0 + dil_h * fy0) * in_w + ix0 + dil_w * fx0) * channels + c;
          const int8_t* w_first = w_c + (fy0 * filter_w + fx0) * channels;
          auto tap = [&](const int8_t* x, const int8_t* w) {
            const uint32_t xv = dsp::Load4(x);
            const uint32_t wv = dsp::Load4(w);
            const uint32_t x02 = dsp::Sxtab16(in_off, xv);
            const uint32_t w02 = dsp::Sxtb16(wv);
            acc0 = dsp::Smlabb(x02, w02, acc0);
            acc2 = dsp::Smlatt(x02, w02, acc2);
            const uint32_t x13 = dsp::Sxtab16Ror8(in_off, xv);
            const uint32_t w13 = dsp::Sxtb16Ror8(wv);
            acc1 = dsp::Smlabb(x13, w13, acc1);
            acc3 = dsp::Smlatt(x13, w13, acc3);
          };
          if (unrolled_3x3 && fy0 == 0 && fy1 == 3 && fx0 == 0 && fx1 == 3) {
            const int8_t* x = x_first;
            const int8_t* w = w_first;
            for (int32_t r = 0; r < 3; ++r) {
              tap(x, w);
              tap(x + channels, w + channels);
              tap(x + 2 * channels, w + 2 * channels);
              x += x_row_step;
              w += 3 * channels;
            }
          } else {
            const int8_t* x_row = x_first;
            const int8_t* w_row = w_first;
            for (int32_t fy = fy0; fy < fy1; ++fy) {
              const int8_t* x = x_row;
              const int8_t* w = w_row;
              for (int32_t fx = fx0; fx < fx1; ++fx) {
                tap(x, w);
                x += x_col_step;
                w += channels;
              }
              x_row += x_row_step;
              w_row += filter_w * channels;
            }
          }
          out[0] = dsp::RequantizeS8(acc0, q0, out_offset, act_min, act_max);
          out[1] = dsp::RequantizeS8(acc1, q1, out_offset, act_min, act_max);
          out[2] = dsp::RequantizeS8(acc2, q2, out_offset, act_min, act_max);
          out[3] = dsp::RequantizeS8(acc3, q3, out_offset, act_min, act_max);
        }
      }
    }
    for (; c < channels; ++c) {  // leftover channels, one at a time
      const dsp::ChannelQuant q = dsp::MakeChannelQuant(d.multipliers[c], d.shifts[c]);
      for (int32_t oy = 0; oy < out_h; ++oy) {
        const int32_t iy0 = oy * d.stride_h - d.padding.height;
        for (int32_t ox = 0; ox < out_w; ++ox) {
          const int32_t ix0 = ox * d.stride_w - d.padding.width;
          int32_t acc = bias != nullptr ? bias[c] : 0;
          for (int32_t fy = 0; fy < filter_h; ++fy) {
            const int32_t iy = iy0 + dil_h * fy;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t fx = 0; fx < filter_w; ++fx) {
              const int32_t ix = ix0 + dil_w * fx;
              if (ix < 0 || ix >= in_w) continue;
              acc += filter[(fy * filter_w + fx) * channels + c] *
                     (in_b[(iy * in_w + ix) * channels + c] + d.input_offset);
            }
          }
          out_b[(oy * out_w + ox) * channels + c] =
              dsp::RequantizeS8(acc, q, out_offset, act_min, act_max);
        }
      }
    }
  }
}

}  // namespace

void DepthwiseConv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output) {
  if (d.depth_multiplier % 4 == 0) {
    DepthwiseMultiplierOf4S8Dsp(d, input, filter, bias, output);
  } else if (d.depth_multiplier == 1) {
    DepthwiseDm1S8Dsp(d, input, filter, bias, output);
  } else {
    DepthwiseConv2dEvalS8Reference(d, input, filter, bias, output);
  }
}

namespace {

EmberStatus DepthwiseConv2dInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberTensor* input = NodeInput(ctx, node, 0);
  const EmberTensor* filter = NodeInput(ctx, node, 1);
  const EmberTensor* bias = NodeInput(ctx, node, 2);
  EmberTensor* output = NodeOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberInt8:
      DepthwiseConv2dEvalS8Dsp(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                               bias ? TensorData<int32_t>(bias) : nullptr,
                               TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberFloat32:
      DepthwiseConv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                                        bias ? TensorData<float>(bias) : nullptr,
                                        TensorData<float>(output));
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

EmberRegistration RegisterDepthwiseConv2dDsp() {
  EmberRegistration r = RegisterDepthwiseConv2d();
  r.variant = "dsp";
  r.invoke = DepthwiseConv2dInvokeDsp;
  return r;
}

}  // namespace ember::kernels
