// CONV_2D, DSP-extension variant: shares ConvOpData and Prepare (conv_common.h) with the
// reference. int8 only (float and 16x8 run the reference):
//   * 1x1, stride 1, one group (MobileNet's pointwise layers): a matrix multiply
//     out[p][oc] = sum_k x[p][k] * w[oc][k] straight on the NHWC input (no im2col), two
//     output channels x two pixels per pass (dsp::DotS8x2x2): each loaded input word and
//     filter word is widened once (SXTB16) and used twice (SMLAD). The input offset is not
//     added per element; it enters once per channel as input_offset * sum_k w[oc][k]
//     (computed per channel pair before its pixel loop). Channel pairs are the outer loop, so
//     the two filter rows stay in the flash cache while all pixels stream from SRAM.
//   * everything else: four (or two) output channels at a time sharing each input load and
//     its widening, four input channels per step with SXTAB16 / SXTB16 + SMLAD.
// Bit-exact with Conv2dEvalS8Reference: the same int32 (mod 2^32) sum, reordered
// (x + off) * w summed = x * w summed + off * w summed, exactly, modulo 2^32.
#include "kernels/conv_common.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {

namespace {

inline int8_t Requantize(const ConvOpData& d, int32_t acc, const dsp::ChannelQuant& q) {
  return dsp::RequantizeS8(acc, q, d.output_offset, d.act_min, d.act_max);
}

inline int8_t Finish(const ConvOpData& d, int32_t acc, int32_t oc) {
  return Requantize(d, acc, dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]));
}

// 1x1 convolution, stride 1, no padding, one group: for each batch a matrix multiply of
// the [pixels, in_c] input with the [out_c, in_c] filter. (Widening the two filter rows
// once into a table on the stack was measured slower on the emulated M4: two LDRD per four
// channels cost more than the four SXTB16 they save.)
template <bool kFullRange>
void Conv1x1S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                  const int32_t* bias, int8_t* output) {
  const dsp::OutputS8<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t depth = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.out_h * d.out_w;
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in_b = input + b * pixels * depth;
    int8_t* out_b = output + b * pixels * out_c;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2) {
      const int8_t* w0 = filter + oc * depth;
      const int8_t* w1 = w0 + depth;
      const int32_t init0 = (bias != nullptr ? bias[oc] : 0) +
                            static_cast<int32_t>(static_cast<uint32_t>(d.input_offset) *
                                                 static_cast<uint32_t>(dsp::SumS8(w0, depth)));
      const int32_t init1 = (bias != nullptr ? bias[oc + 1] : 0) +
                            static_cast<int32_t>(static_cast<uint32_t>(d.input_offset) *
                                                 static_cast<uint32_t>(dsp::SumS8(w1, depth)));
      const dsp::ChannelQuant q0 = dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]);
      const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multipliers[oc + 1], d.shifts[oc + 1]);
      const int8_t* x = in_b;
      int8_t* out = out_b + oc;
      int32_t p = 0;
      for (; p + 2 <= pixels; p += 2) {
        int32_t acc[4] = {init0, init1, init0, init1};  // (p, oc), (p, oc+1), (p+1, oc), ...
        dsp::DotS8x2x2(x, w0, depth, acc);
        out[0] = finish(acc[0], q0);
        out[1] = finish(acc[1], q1);
        out[out_c] = finish(acc[2], q0);
        out[out_c + 1] = finish(acc[3], q1);
        x += 2 * depth;
        out += 2 * out_c;
      }
      if (p < pixels) {
        int32_t a0 = init0, a1 = init1;
        dsp::DotS8x2(x, w0, w1, depth, 0, &a0, &a1);
        out[0] = finish(a0, q0);
        out[1] = finish(a1, q1);
      }
    }
    if (oc < out_c) {  // odd channel count: the last channel alone
      const int8_t* w0 = filter + oc * depth;
      const int32_t init = bias != nullptr ? bias[oc] : 0;
      const dsp::ChannelQuant q = dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]);
      for (int32_t p = 0; p < pixels; ++p) {
        const int32_t acc = dsp::DotS8Offsets(in_b + p * depth, w0, depth, d.input_offset, 0, init);
        out_b[p * out_c + oc] = finish(acc, q);
      }
    }
  }
}

}  // namespace

void Conv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output) {
  if (d.filter_h == 1 && d.filter_w == 1 && d.stride_h == 1 && d.stride_w == 1 &&
      d.filter_in_c == d.in_c && d.padding.height == 0 && d.padding.width == 0 &&
      d.out_h == d.in_h && d.out_w == d.in_w) {
    if (d.act_min == -128 && d.act_max == 127) {
      Conv1x1S8Dsp<true>(d, input, filter, bias, output);
    } else {
      Conv1x1S8Dsp<false>(d, input, filter, bias, output);
    }
    return;
  }
  // Small receptive fields with one group (e.g. the convolutional reference model's 3x3
  // layers): the shared patch path (zero-point-padded patches, packed 64-bit MACs where
  // SMLAL is single-cycle) is faster than the per-pixel dot products below.
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__)
  constexpr bool kPackedMacs = false;
#else
  constexpr bool kPackedMacs = true;
#endif
  if (Conv2dEvalS8Patch(d, input, filter, bias, output, kPackedMacs)) return;
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
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberInt8:
      Conv2dEvalS8Dsp(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                      bias ? TensorData<int32_t>(bias) : nullptr, TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberFloat32:
      Conv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                               bias ? TensorData<float>(bias) : nullptr, TensorData<float>(output));
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
