// TRANSPOSE_CONV (a.k.a. deconvolution), bit-exact with TensorFlow Lite's reference.
//
// Tensors: 0 output_shape int32 [4] (if constant, must equal the output's dims),
//          1 filter [C_out, fh, fw, C_in], 2 input [N, H, W, C_in], 3 bias [C_out]
//          (optional), output [N, H_out, W_out, C_out].
// Padding: computed from the OUTPUT size as a conv's would be (stride, dilation 1):
//   pad = ComputePaddingHeightWidth(stride, 1, H_out, W_out, fh, fw).
// "Scatter" order, as the reference: every input element (n, y, x, ci) adds
//   input * filter[co][ky][kx][ci] to output (n, y*sh - pad_h + ky, x*sw - pad_w + kx, co)
//   when inside the output. Then bias is added, and:
//   float32: clamp to the fused activation range;
//   int8 (per-channel int8 filter, zero point 0; int32 bias): the int32 accumulator
//     (scratch, (q_in - zp_in) * w) + bias is rescaled by M_c = s_in * s_w[c] / s_out,
//     + zp_out, clamped to the activation range;
//   int16 x int8 (16x8; int64 or int32 bias; zero points 0): int64 accumulator (scratch),
//     TFLite's int64 MultiplyByQuantizedMultiplier, clamped.
// Scratch: output elements * 4 (int8) or * 8 (16x8) bytes; float accumulates in place.
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kOutputShape = 0;
constexpr int32_t kFilter = 1;
constexpr int32_t kInput = 2;
constexpr int32_t kBias = 3;

struct TransposeConvOpData {
  int32_t batch, in_h, in_w, in_c, out_h, out_w, out_c, f_h, f_w;
  int32_t stride_h, stride_w, pad_h, pad_w;
  float act_min_f, act_max_f;
  int32_t act_min, act_max;
  int32_t input_offset;   // -zp_in
  int32_t output_offset;  // zp_out
  int32_t* multipliers;   // C_out entries (persistent), quantized types only
  int8_t* shifts;
  int32_t scratch_index;
};

void* TransposeConvInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(TransposeConvOpData));
}

EmberStatus TransposeConvPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<TransposeConvOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "TRANSPOSE_CONV: out of arena memory for op data");
  const auto* params = static_cast<const EmberTransposeConvParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, params != nullptr, "TRANSPOSE_CONV: missing TransposeConvOptions");
  EMBER_KERNEL_CHECK(ctx, (node->num_inputs == 3 || node->num_inputs == 4) && node->num_outputs == 1,
                     "TRANSPOSE_CONV: expected 3 or 4 inputs and 1 output");
  const EmberTensor* shape = NodeInput(ctx, node, kOutputShape);
  const EmberTensor* filter = NodeInput(ctx, node, kFilter);
  const EmberTensor* in = NodeInput(ctx, node, kInput);
  const EmberTensor* bias = NodeInput(ctx, node, kBias);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, shape && filter && in && out,
                     "TRANSPOSE_CONV: output_shape, filter, input and output are required");
  EMBER_KERNEL_CHECK(ctx, in->num_dims == 4 && filter->num_dims == 4 && out->num_dims == 4,
                     "TRANSPOSE_CONV: input, filter and output must be 4D");
  EMBER_KERNEL_CHECK(ctx, params->stride_h >= 1 && params->stride_w >= 1,
                     "TRANSPOSE_CONV: strides must be >= 1");
  d->batch = in->dims[0];
  d->in_h = in->dims[1];
  d->in_w = in->dims[2];
  d->in_c = in->dims[3];
  d->out_c = filter->dims[0];
  d->f_h = filter->dims[1];
  d->f_w = filter->dims[2];
  d->out_h = out->dims[1];
  d->out_w = out->dims[2];
  EMBER_KERNEL_CHECK(ctx, filter->dims[3] == d->in_c,
                     "TRANSPOSE_CONV: filter has %d input channels, input has %d",
                     static_cast<int>(filter->dims[3]), static_cast<int>(d->in_c));
  EMBER_KERNEL_CHECK(ctx, out->dims[0] == d->batch && out->dims[3] == d->out_c,
                     "TRANSPOSE_CONV: output must be [%d, H, W, %d]", static_cast<int>(d->batch),
                     static_cast<int>(d->out_c));
  EMBER_KERNEL_CHECK(ctx, shape->type == kEmberInt32 && ElementCount(shape) == 4,
                     "TRANSPOSE_CONV: output_shape must be int32 [4]");
  if (shape->is_constant && shape->data != nullptr) {
    const int32_t* s = TensorData<int32_t>(shape);
    for (int32_t i = 0; i < 4; ++i) {
      EMBER_KERNEL_CHECK(ctx, s[i] == out->dims[i],
                         "TRANSPOSE_CONV: output_shape[%d] = %d but the output has %d",
                         static_cast<int>(i), static_cast<int>(s[i]),
                         static_cast<int>(out->dims[i]));
    }
  }
  if (bias != nullptr) {
    EMBER_KERNEL_CHECK(ctx, ElementCount(bias) == d->out_c, "TRANSPOSE_CONV: bias must have %d elements",
                       static_cast<int>(d->out_c));
  }
  d->stride_h = params->stride_h;
  d->stride_w = params->stride_w;
  int32_t unused_h = 0, unused_w = 0;
  const PaddingValues pad =
      ComputePaddingHeightWidth(params->stride_h, params->stride_w, 1, 1, d->out_h, d->out_w,
                                d->f_h, d->f_w, params->padding, &unused_h, &unused_w);
  d->pad_h = pad.height;
  d->pad_w = pad.width;
  d->scratch_index = -1;
  d->multipliers = nullptr;
  d->shifts = nullptr;
  const size_t out_elems = static_cast<size_t>(ElementCount(out));

  if (in->type == kEmberFloat32) {
    EMBER_KERNEL_CHECK(ctx, filter->type == kEmberFloat32 && out->type == kEmberFloat32 &&
                                (bias == nullptr || bias->type == kEmberFloat32),
                       "TRANSPOSE_CONV: float32 input needs float32 filter, bias and output");
    EMBER_KERNEL_CHECK(
        ctx, CalculateActivationRangeFloat(params->activation, &d->act_min_f, &d->act_max_f) ==
                 kEmberOk,
        "TRANSPOSE_CONV: unsupported fused activation %s", ActivationName(params->activation));
    return kEmberOk;
  }
  const bool is16 = in->type == kEmberInt16;
  EMBER_KERNEL_CHECK(ctx, in->type == kEmberInt8 || is16,
                     "TRANSPOSE_CONV: unsupported input type %s (float32, int8, int16)",
                     TypeName(in->type));
  EMBER_KERNEL_CHECK(ctx, filter->type == kEmberInt8 && out->type == in->type,
                     "TRANSPOSE_CONV: %s input needs an int8 filter and a %s output (got %s, %s)",
                     TypeName(in->type), TypeName(in->type), TypeName(filter->type),
                     TypeName(out->type));
  if (bias != nullptr) {
    EMBER_KERNEL_CHECK(ctx, bias->type == kEmberInt32 || (is16 && bias->type == kEmberInt64),
                       "TRANSPOSE_CONV: bias must be int32%s, got %s", is16 ? " or int64" : "",
                       TypeName(bias->type));
  }
  EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1 &&
                              out->quant.scale > 0.f,
                     "TRANSPOSE_CONV: input and output need per-tensor quantization");
  const int32_t nch = filter->quant.num_channels;
  EMBER_KERNEL_CHECK(ctx, nch == 1 || (nch == d->out_c && filter->quant.quantized_dimension == 0),
                     "TRANSPOSE_CONV: filter must be quantized per tensor or per output channel "
                     "(dimension 0)");
  for (int32_t c = 0; c < nch; ++c) {
    const int64_t zp = filter->quant.zero_points != nullptr ? filter->quant.zero_points[c]
                                                             : filter->quant.zero_point;
    EMBER_KERNEL_CHECK(ctx, zp == 0, "TRANSPOSE_CONV: filter zero points must be 0");
  }
  if (is16) {
    EMBER_KERNEL_CHECK(ctx, in->quant.zero_point == 0 && out->quant.zero_point == 0,
                       "TRANSPOSE_CONV: int16 input and output must have zero point 0");
  }
  EMBER_KERNEL_CHECK(ctx, CalculateActivationRangeQuantized(params->activation, out->type,
                                                            out->quant.scale, out->quant.zero_point,
                                                            &d->act_min, &d->act_max) == kEmberOk,
                     "TRANSPOSE_CONV: unsupported fused activation %s",
                     ActivationName(params->activation));
  d->input_offset = -in->quant.zero_point;
  d->output_offset = out->quant.zero_point;
  d->multipliers = static_cast<int32_t*>(
      ctx->AllocatePersistent(ctx, sizeof(int32_t) * static_cast<size_t>(d->out_c)));
  d->shifts = static_cast<int8_t*>(ctx->AllocatePersistent(ctx, static_cast<size_t>(d->out_c)));
  EMBER_KERNEL_CHECK(ctx, d->multipliers != nullptr && d->shifts != nullptr,
                     "TRANSPOSE_CONV: out of arena memory for multipliers");
  ComputePerChannelMultipliers(in->quant.scale, filter->quant, out->quant.scale, d->out_c,
                               d->multipliers, d->shifts);
  return ctx->RequestScratch(ctx, out_elems * (is16 ? sizeof(int64_t) : sizeof(int32_t)),
                             &d->scratch_index);
}

// Scatter-accumulates input * filter into acc (output layout), as the reference.
template <typename In, typename Acc>
void Scatter(const TransposeConvOpData& d, const In* in, const int8_t* filter, int32_t in_offset,
             Acc* acc) {
  for (int32_t n = 0; n < d.batch; ++n) {
    for (int32_t y = 0; y < d.in_h; ++y) {
      for (int32_t x = 0; x < d.in_w; ++x) {
        for (int32_t ci = 0; ci < d.in_c; ++ci) {
          const Acc v = static_cast<Acc>(
              static_cast<int32_t>(in[((n * d.in_h + y) * d.in_w + x) * d.in_c + ci]) + in_offset);
          const int32_t oy0 = y * d.stride_h - d.pad_h;
          const int32_t ox0 = x * d.stride_w - d.pad_w;
          for (int32_t ky = 0; ky < d.f_h; ++ky) {
            const int32_t oy = oy0 + ky;
            if (oy < 0 || oy >= d.out_h) continue;
            for (int32_t kx = 0; kx < d.f_w; ++kx) {
              const int32_t ox = ox0 + kx;
              if (ox < 0 || ox >= d.out_w) continue;
              Acc* o = acc + ((n * d.out_h + oy) * d.out_w + ox) * d.out_c;
              for (int32_t co = 0; co < d.out_c; ++co) {
                o[co] += v * static_cast<Acc>(filter[((co * d.f_h + ky) * d.f_w + kx) * d.in_c + ci]);
              }
            }
          }
        }
      }
    }
  }
}

void EvalFloat(const TransposeConvOpData& d, const float* in, const float* filter,
               const float* bias, float* out) {
  const int32_t total = d.batch * d.out_h * d.out_w * d.out_c;
  for (int32_t i = 0; i < total; ++i) out[i] = 0.f;
  for (int32_t n = 0; n < d.batch; ++n) {
    for (int32_t y = 0; y < d.in_h; ++y) {
      for (int32_t x = 0; x < d.in_w; ++x) {
        for (int32_t ci = 0; ci < d.in_c; ++ci) {
          const float v = in[((n * d.in_h + y) * d.in_w + x) * d.in_c + ci];
          for (int32_t ky = 0; ky < d.f_h; ++ky) {
            const int32_t oy = y * d.stride_h - d.pad_h + ky;
            if (oy < 0 || oy >= d.out_h) continue;
            for (int32_t kx = 0; kx < d.f_w; ++kx) {
              const int32_t ox = x * d.stride_w - d.pad_w + kx;
              if (ox < 0 || ox >= d.out_w) continue;
              float* o = out + ((n * d.out_h + oy) * d.out_w + ox) * d.out_c;
              for (int32_t co = 0; co < d.out_c; ++co) {
                o[co] += v * filter[((co * d.f_h + ky) * d.f_w + kx) * d.in_c + ci];
              }
            }
          }
        }
      }
    }
  }
  for (int32_t i = 0; i < total; ++i) {
    float v = out[i];
    if (bias != nullptr) v += bias[i % d.out_c];
    out[i] = ClampF(v, d.act_min_f, d.act_max_f);
  }
}

EmberStatus TransposeConvInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const TransposeConvOpData*>(node->user_data);
  const EmberEvalTensor* filter = EvalInput(ctx, node, kFilter);
  const EmberEvalTensor* in = EvalInput(ctx, node, kInput);
  const EmberEvalTensor* bias = EvalInput(ctx, node, kBias);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  if (in->type == kEmberFloat32) {
    EvalFloat(d, TensorData<float>(in), TensorData<float>(filter),
              bias ? TensorData<float>(bias) : nullptr, TensorData<float>(out));
    return kEmberOk;
  }
  void* scratch = ctx->GetScratch(ctx, d.scratch_index);
  EMBER_KERNEL_CHECK(ctx, scratch != nullptr, "TRANSPOSE_CONV: scratch buffer missing");
  const int32_t total = d.batch * d.out_h * d.out_w * d.out_c;
  if (in->type == kEmberInt8) {
    auto* acc = static_cast<int32_t*>(scratch);
    memset(acc, 0, sizeof(int32_t) * static_cast<size_t>(total));
    Scatter(d, TensorData<int8_t>(in), TensorData<int8_t>(filter), d.input_offset, acc);
    const int32_t* b = bias ? TensorData<int32_t>(bias) : nullptr;
    int8_t* o = TensorData<int8_t>(out);
    for (int32_t i = 0; i < total; ++i) {
      const int32_t c = i % d.out_c;
      int32_t v = acc[i] + (b ? b[c] : 0);
      v = MultiplyByQuantizedMultiplier(v, d.multipliers[c], d.shifts[c]) + d.output_offset;
      o[i] = static_cast<int8_t>(Clamp32(v, d.act_min, d.act_max));
    }
    return kEmberOk;
  }
  auto* acc = static_cast<int64_t*>(scratch);
  memset(acc, 0, sizeof(int64_t) * static_cast<size_t>(total));
  Scatter(d, TensorData<int16_t>(in), TensorData<int8_t>(filter), 0, acc);
  int16_t* o = TensorData<int16_t>(out);
  for (int32_t i = 0; i < total; ++i) {
    const int32_t c = i % d.out_c;
    int64_t v = acc[i];
    if (bias != nullptr) {
      v += bias->type == kEmberInt64 ? TensorData<int64_t>(bias)[c]
                                     : static_cast<int64_t>(TensorData<int32_t>(bias)[c]);
    }
    const int32_t r = MultiplyByQuantizedMultiplier(v, d.multipliers[c], d.shifts[c]) +
                      d.output_offset;
    o[i] = static_cast<int16_t>(Clamp32(r, d.act_min, d.act_max));
  }
  return kEmberOk;
}

uint64_t TransposeConvCountMacs(const EmberContext* /*ctx*/, const EmberNode* node) {
  const auto* d = static_cast<const TransposeConvOpData*>(node->user_data);
  if (d == nullptr) return 0;
  return static_cast<uint64_t>(d->batch) * d->in_h * d->in_w * d->in_c * d->f_h * d->f_w *
         d->out_c;
}

}  // namespace

EmberRegistration RegisterTransposeConv() {
  EmberRegistration r{};
  r.name = "TRANSPOSE_CONV";
  r.builtin_code = kEmberOpTransposeConv;
  r.variant = "reference";
  r.init = &TransposeConvInit;
  r.prepare = &TransposeConvPrepare;
  r.invoke = &TransposeConvInvoke;
  r.count_macs = &TransposeConvCountMacs;
  return r;
}

}  // namespace ember::kernels
