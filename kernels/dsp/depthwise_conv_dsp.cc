// DEPTHWISE_CONV_2D, DSP-extension variant: shares ConvOpData and Prepare with the
// reference. 3x3 filters without dilation (every depthwise layer of VWW) take the plane
// path of depthwise_3x3_dsp.cc. Other int8 shapes: with depth multiplier 1 four channels
// per step (DepthwiseDm1S8Dsp below: channel groups outer, pixels inner); with a depth
// multiplier that is a multiple of 4 the four outputs of one input channel together. Other
// depth multipliers, leftover channels, float and 16x8 use the reference arithmetic.
// Bit-exact with DepthwiseConv2dEvalS8Reference (same int32 sums).
#include "kernels/conv_common.h"
#include "kernels/dsp/depthwise_3x3_dsp.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {
namespace {

// Depth multiplier a multiple of 4 (e.g. VWW's first layer, 1 -> 8 channels): the four
// outputs oc..oc+3 of one input channel share the input value, which is widened once into
// both halfwords and multiplied with the four filter bytes of the tap (SMLABB / SMLATT).
// Like the dm=1 path: (input channel, group of 4 outputs) outer, pixels inner, the group's
// filter taps widened once into a table, interior pixels start from
// bias + input_offset * tap sum, border pixels clip the window and add the offset per tap.
template <bool kFullRange>
void DepthwiseMultiplierOf4S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                                 const int32_t* bias, int8_t* output) {
  constexpr int32_t kMaxTaps = 25;
  const int32_t in_c = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t dm = d.depth_multiplier;
  const int32_t input_offset = d.input_offset;
  const int32_t in_h = d.in_h, in_w = d.in_w;
  const int32_t filter_h = d.filter_h, filter_w = d.filter_w;
  const int32_t dil_h = d.dilation_h, dil_w = d.dilation_w;
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const dsp::OutputS8<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t taps = filter_h * filter_w;
  const bool use_table = taps <= kMaxTaps;
  const bool unrolled_3x3 = filter_h == 3 && filter_w == 3 && dil_h == 1 && dil_w == 1;
  const int32_t x_col_step = dil_w * in_c;
  const int32_t x_row_step = dil_h * in_w * in_c;
  const int32_t span_h = (filter_h - 1) * dil_h;
  const int32_t span_w = (filter_w - 1) * dil_w;
  uint32_t table[2 * kMaxTaps];
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in_b = input + b * in_h * in_w * in_c;
    int8_t* out_b = output + b * out_h * out_w * out_c;
    for (int32_t ic = 0; ic < in_c; ++ic) {
      for (int32_t m = 0; m < dm; m += 4) {
        const int32_t oc = ic * dm + m;
        const dsp::ChannelQuant q0 = dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]);
        const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multipliers[oc + 1], d.shifts[oc + 1]);
        const dsp::ChannelQuant q2 = dsp::MakeChannelQuant(d.multipliers[oc + 2], d.shifts[oc + 2]);
        const dsp::ChannelQuant q3 = dsp::MakeChannelQuant(d.multipliers[oc + 3], d.shifts[oc + 3]);
        const int32_t b0 = bias != nullptr ? bias[oc] : 0;
        const int32_t b1 = bias != nullptr ? bias[oc + 1] : 0;
        const int32_t b2 = bias != nullptr ? bias[oc + 2] : 0;
        const int32_t b3 = bias != nullptr ? bias[oc + 3] : 0;
        const int8_t* w_oc = filter + oc;
        uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (use_table) {
          for (int32_t t = 0; t < taps; ++t) {
            const int8_t* w = w_oc + t * out_c;
            const uint32_t wv = dsp::Load4(w);
            table[2 * t] = dsp::Sxtb16(wv);
            table[2 * t + 1] = dsp::Sxtb16Ror8(wv);
            s0 += static_cast<uint32_t>(w[0]);
            s1 += static_cast<uint32_t>(w[1]);
            s2 += static_cast<uint32_t>(w[2]);
            s3 += static_cast<uint32_t>(w[3]);
          }
        }
        const uint32_t off = static_cast<uint32_t>(input_offset);
        const int32_t i0 = static_cast<int32_t>(static_cast<uint32_t>(b0) + off * s0);
        const int32_t i1 = static_cast<int32_t>(static_cast<uint32_t>(b1) + off * s1);
        const int32_t i2 = static_cast<int32_t>(static_cast<uint32_t>(b2) + off * s2);
        const int32_t i3 = static_cast<int32_t>(static_cast<uint32_t>(b3) + off * s3);
        int8_t* out = out_b + oc;
        for (int32_t oy = 0; oy < out_h; ++oy) {
          const int32_t iy0 = oy * d.stride_h - d.padding.height;
          const bool rows_inside = use_table && iy0 >= 0 && iy0 + span_h < in_h;
          for (int32_t ox = 0; ox < out_w; ++ox, out += out_c) {
            const int32_t ix0 = ox * d.stride_w - d.padding.width;
            int32_t acc0, acc1, acc2, acc3;
            auto tap = [&](uint32_t x2, uint32_t w02, uint32_t w13) {
              acc0 = dsp::Smlabb(x2, w02, acc0);
              acc2 = dsp::Smlatt(x2, w02, acc2);
              acc1 = dsp::Smlabb(x2, w13, acc1);
              acc3 = dsp::Smlatt(x2, w13, acc3);
            };
            if (rows_inside && ix0 >= 0 && ix0 + span_w < in_w) {
              acc0 = i0;
              acc1 = i1;
              acc2 = i2;
              acc3 = i3;
              const int8_t* x_row = in_b + (iy0 * in_w + ix0) * in_c + ic;
              if (unrolled_3x3) {
                for (int32_t t = 0; t < 9; t += 3, x_row += x_row_step) {
                  tap(dsp::Dup16(x_row[0]), table[2 * t], table[2 * t + 1]);
                  tap(dsp::Dup16(x_row[in_c]), table[2 * t + 2], table[2 * t + 3]);
                  tap(dsp::Dup16(x_row[2 * in_c]), table[2 * t + 4], table[2 * t + 5]);
                }
              } else {
                int32_t t = 0;
                for (int32_t fy = 0; fy < filter_h; ++fy, x_row += x_row_step) {
                  const int8_t* x = x_row;
                  for (int32_t fx = 0; fx < filter_w; ++fx, ++t, x += x_col_step) {
                    tap(dsp::Dup16(*x), table[2 * t], table[2 * t + 1]);
                  }
                }
              }
            } else {
              int32_t fy0 = 0, fy1 = filter_h, fx0 = 0, fx1 = filter_w;
              while (fy0 < filter_h && iy0 + dil_h * fy0 < 0) ++fy0;
              while (fy1 > fy0 && iy0 + dil_h * (fy1 - 1) >= in_h) --fy1;
              while (fx0 < filter_w && ix0 + dil_w * fx0 < 0) ++fx0;
              while (fx1 > fx0 && ix0 + dil_w * (fx1 - 1) >= in_w) --fx1;
              acc0 = b0;
              acc1 = b1;
              acc2 = b2;
              acc3 = b3;
              const int8_t* x_row =
                  in_b + ((iy0 + dil_h * fy0) * in_w + ix0 + dil_w * fx0) * in_c + ic;
              for (int32_t fy = fy0; fy < fy1; ++fy, x_row += x_row_step) {
                const int8_t* x = x_row;
                for (int32_t fx = fx0; fx < fx1; ++fx, x += x_col_step) {
                  const int32_t t = fy * filter_w + fx;
                  uint32_t w02, w13;
                  if (use_table) {
                    w02 = table[2 * t];
                    w13 = table[2 * t + 1];
                  } else {
                    const uint32_t wv = dsp::Load4(w_oc + t * out_c);
                    w02 = dsp::Sxtb16(wv);
                    w13 = dsp::Sxtb16Ror8(wv);
                  }
                  tap(dsp::Dup16(*x + input_offset), w02, w13);
                }
              }
            }
            out[0] = finish(acc0, q0);
            out[1] = finish(acc1, q1);
            out[2] = finish(acc2, q2);
            out[3] = finish(acc3, q3);
          }
        }
      }
    }
  }
}

// Depth multiplier 1, channel groups of four as the outer loop, output pixels inner. Per
// group, once: the requantization parameters, the biases, the filter taps widened to
// halfword pairs (SXTB16: channels (0, 2) and (1, 3)) in a table on the stack, and the
// per-channel sums of all taps. Interior pixels (window fully inside the image) start from
// bias + input_offset * tap sum, so each tap is one 32-bit input load widened by two
// SXTB16, two table loads and one SMLABB / SMLATT per channel; a 3x3 window without
// dilation is fully unrolled. Border pixels clip the window and add the input offset per
// element (SXTAB16). Filters with more than kMaxTaps taps use the border path everywhere.
template <bool kFullRange>
void DepthwiseDm1S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output) {
  constexpr int32_t kMaxTaps = 25;
  const int32_t channels = d.out_c;  // == in_c
  const int32_t input_offset = d.input_offset;
  const uint32_t in_off = dsp::Dup16(input_offset);
  const int32_t in_h = d.in_h, in_w = d.in_w;
  const int32_t filter_h = d.filter_h, filter_w = d.filter_w;
  const int32_t dil_h = d.dilation_h, dil_w = d.dilation_w;
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const dsp::OutputS8<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t taps = filter_h * filter_w;
  const bool use_table = taps <= kMaxTaps;
  const bool unrolled_3x3 = filter_h == 3 && filter_w == 3 && dil_h == 1 && dil_w == 1;
  // Pointer steps between taps: next dilated input column / row.
  const int32_t x_col_step = dil_w * channels;
  const int32_t x_row_step = dil_h * in_w * channels;
  const int32_t span_h = (filter_h - 1) * dil_h;  // window extent - 1
  const int32_t span_w = (filter_w - 1) * dil_w;
  uint32_t table[2 * kMaxTaps];
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
      // Interior start values: bias + input_offset * sum of the channel's taps (mod 2^32).
      uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (use_table) {
        for (int32_t t = 0; t < taps; ++t) {
          const int8_t* w = w_c + t * channels;
          const uint32_t wv = dsp::Load4(w);
          table[2 * t] = dsp::Sxtb16(wv);
          table[2 * t + 1] = dsp::Sxtb16Ror8(wv);
          s0 += static_cast<uint32_t>(w[0]);
          s1 += static_cast<uint32_t>(w[1]);
          s2 += static_cast<uint32_t>(w[2]);
          s3 += static_cast<uint32_t>(w[3]);
        }
      }
      const uint32_t off = static_cast<uint32_t>(input_offset);
      const int32_t i0 = static_cast<int32_t>(static_cast<uint32_t>(b0) + off * s0);
      const int32_t i1 = static_cast<int32_t>(static_cast<uint32_t>(b1) + off * s1);
      const int32_t i2 = static_cast<int32_t>(static_cast<uint32_t>(b2) + off * s2);
      const int32_t i3 = static_cast<int32_t>(static_cast<uint32_t>(b3) + off * s3);
      int8_t* out = out_b + c;
      for (int32_t oy = 0; oy < out_h; ++oy) {
        const int32_t iy0 = oy * d.stride_h - d.padding.height;
        const bool rows_inside = use_table && iy0 >= 0 && iy0 + span_h < in_h;
        for (int32_t ox = 0; ox < out_w; ++ox, out += channels) {
          const int32_t ix0 = ox * d.stride_w - d.padding.width;
          int32_t acc0, acc1, acc2, acc3;
          if (rows_inside && ix0 >= 0 && ix0 + span_w < in_w) {
            acc0 = i0;
            acc1 = i1;
            acc2 = i2;
            acc3 = i3;
            const int8_t* x = in_b + (iy0 * in_w + ix0) * channels + c;
            auto tap = [&](const int8_t* xp, int32_t t) {
              const uint32_t xv = dsp::Load4(xp);
              const uint32_t x02 = dsp::Sxtb16(xv);
              const uint32_t x13 = dsp::Sxtb16Ror8(xv);
              acc0 = dsp::Smlabb(x02, table[2 * t], acc0);
              acc2 = dsp::Smlatt(x02, table[2 * t], acc2);
              acc1 = dsp::Smlabb(x13, table[2 * t + 1], acc1);
              acc3 = dsp::Smlatt(x13, table[2 * t + 1], acc3);
            };
            if (unrolled_3x3) {
              tap(x, 0);
              tap(x + channels, 1);
              tap(x + 2 * channels, 2);
              x += x_row_step;
              tap(x, 3);
              tap(x + channels, 4);
              tap(x + 2 * channels, 5);
              x += x_row_step;
              tap(x, 6);
              tap(x + channels, 7);
              tap(x + 2 * channels, 8);
            } else {
              int32_t t = 0;
              for (int32_t fy = 0; fy < filter_h; ++fy, x += x_row_step) {
                const int8_t* xp = x;
                for (int32_t fx = 0; fx < filter_w; ++fx, ++t, xp += x_col_step) tap(xp, t);
              }
            }
          } else {
            // Border: taps whose input is inside the image, [fy0, fy1) x [fx0, fx1).
            int32_t fy0 = 0, fy1 = filter_h, fx0 = 0, fx1 = filter_w;
            while (fy0 < filter_h && iy0 + dil_h * fy0 < 0) ++fy0;
            while (fy1 > fy0 && iy0 + dil_h * (fy1 - 1) >= in_h) --fy1;
            while (fx0 < filter_w && ix0 + dil_w * fx0 < 0) ++fx0;
            while (fx1 > fx0 && ix0 + dil_w * (fx1 - 1) >= in_w) --fx1;
            acc0 = b0;
            acc1 = b1;
            acc2 = b2;
            acc3 = b3;
            const int8_t* x_row =
                in_b + ((iy0 + dil_h * fy0) * in_w + ix0 + dil_w * fx0) * channels + c;
            for (int32_t fy = fy0; fy < fy1; ++fy, x_row += x_row_step) {
              const int8_t* x = x_row;
              for (int32_t fx = fx0; fx < fx1; ++fx, x += x_col_step) {
                const uint32_t xv = dsp::Load4(x);
                const uint32_t x02 = dsp::Sxtab16(in_off, xv);
                const uint32_t x13 = dsp::Sxtab16Ror8(in_off, xv);
                uint32_t w02, w13;
                if (use_table) {
                  w02 = table[2 * (fy * filter_w + fx)];
                  w13 = table[2 * (fy * filter_w + fx) + 1];
                } else {
                  const uint32_t wv = dsp::Load4(w_c + (fy * filter_w + fx) * channels);
                  w02 = dsp::Sxtb16(wv);
                  w13 = dsp::Sxtb16Ror8(wv);
                }
                acc0 = dsp::Smlabb(x02, w02, acc0);
                acc2 = dsp::Smlatt(x02, w02, acc2);
                acc1 = dsp::Smlabb(x13, w13, acc1);
                acc3 = dsp::Smlatt(x13, w13, acc3);
              }
            }
          }
          out[0] = finish(acc0, q0);
          out[1] = finish(acc1, q1);
          out[2] = finish(acc2, q2);
          out[3] = finish(acc3, q3);
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
          out_b[(oy * out_w + ox) * channels + c] = finish(acc, q);
        }
      }
    }
  }
}

}  // namespace

void DepthwiseConv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output) {
  const bool full_range = d.act_min == -128 && d.act_max == 127;
  // 3x3 without dilation (every depthwise layer of VWW): planes with SMLAD over adjacent
  // taps (Depthwise3x3PlaneDsp), any stride and depth multiplier.
  if (d.filter_h == 3 && d.filter_w == 3 && d.dilation_h == 1 && d.dilation_w == 1) {
    Depthwise3x3S8Dsp(d, input, filter, bias, output);
    return;
  }
  if (d.depth_multiplier % 4 == 0) {
    if (full_range) {
      DepthwiseMultiplierOf4S8Dsp<true>(d, input, filter, bias, output);
    } else {
      DepthwiseMultiplierOf4S8Dsp<false>(d, input, filter, bias, output);
    }
  } else if (d.depth_multiplier == 1) {
    if (full_range) {
      DepthwiseDm1S8Dsp<true>(d, input, filter, bias, output);
    } else {
      DepthwiseDm1S8Dsp<false>(d, input, filter, bias, output);
    }
  } else {
    DepthwiseConv2dEvalS8Reference(d, input, filter, bias, output);
  }
}

namespace {

EmberStatus DepthwiseConv2dInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
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
      DepthwiseConv2dEvalS16Reference(*d, TensorData<int16_t>(input), TensorData<int8_t>(filter),
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
