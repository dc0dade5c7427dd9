// MEAN: average over the axes listed in a constant int32 axis tensor (negative axes count
// from the end, duplicates ignored), with keep_dims. Up to 6D.
//
// float32: sum in float (row-major input order) / float(count).
// int8 / int16 follow TensorFlow Lite Micro's three paths:
//   a) 4D input, axes {1, 2}, keep_dims: acc = sum (q - zp_in) (int32);
//      acc = MBQM(acc, s_in / s_out); acc = round-half-away(acc / count) (integer);
//      + zp_out, clamped.
//   b) input and output share scale and zero point: sum of raw q in int32, divided by
//      count with C integer division (truncation toward zero), cast to the type.
//   c) otherwise: sum of raw q in int32 (scratch); the multiplier M = s_in / s_out
//      (quantized) is divided by count: shift = min(floor(log2(count)), 32, 31 + M.shift),
//      M.q' = (M.q << shift) / count, M.shift' = M.shift - shift; then
//      out = clamp(MBQM(sum - zp_in * count, M.q', M.shift') + zp_out).
// Scratch: int32 per output element (paths b, c). Value ranges: |sum| <= count * 65535,
// which must fit int32 (checked in Prepare).
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kMaxMeanDims = 6;

enum class MeanPath : int32_t { kFloat, kSpatial4d, kSameQuant, kRequant };

struct MeanOpData {
  MeanPath path;
  int32_t rank;
  int32_t in_dims[kMaxMeanDims];
  int32_t out_stride[kMaxMeanDims];  // output stride of each input axis (0 when reduced)
  int32_t in_count, out_count, reduce_count;
  int32_t input_zp, output_zp;
  int32_t multiplier;  // s_in / s_out (path a); divided by the count (path c)
  int shift;
  int32_t qmin, qmax;
  int32_t scratch_index;
};

void* MeanInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(MeanOpData));
}

EmberStatus MeanPrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<MeanOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "MEAN: out of arena memory for op data");
  const auto* params = static_cast<const EmberReducerParams*>(node->builtin_data);
  const bool keep_dims = params != nullptr && params->keep_dims != 0;
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 && node->num_outputs == 1,
                     "MEAN: expected 2 inputs and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* axes = NodeInput(ctx, node, 1);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && axes && out, "MEAN: missing input, axis or output tensor");
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "MEAN: input %s and output %s differ",
                     TypeName(in->type), TypeName(out->type));
  EMBER_KERNEL_CHECK(ctx,
                     in->type == kEmberFloat32 || in->type == kEmberInt8 || in->type == kEmberInt16,
                     "MEAN: unsupported type %s (float32, int8 and int16 are supported)",
                     TypeName(in->type));
  const int32_t rank = in->num_dims;
  EMBER_KERNEL_CHECK(ctx, rank >= 1 && rank <= kMaxMeanDims, "MEAN: rank %d not supported (1 to 6)",
                     static_cast<int>(rank));
  EMBER_KERNEL_CHECK(ctx, axes->type == kEmberInt32 && axes->is_constant && axes->data,
                     "MEAN: axis must be a constant int32 tensor");
  bool reduced[kMaxMeanDims] = {false};
  const int32_t* a = TensorData<int32_t>(axes);
  const int32_t num_axes = ElementCount(axes);
  for (int32_t i = 0; i < num_axes; ++i) {
    const int32_t ax = a[i] < 0 ? a[i] + rank : a[i];
    EMBER_KERNEL_CHECK(ctx, ax >= 0 && ax < rank, "MEAN: axis %d out of range for rank %d",
                       static_cast<int>(a[i]), static_cast<int>(rank));
    reduced[ax] = true;
  }
  // Expected output shape and the output strides of the input axes.
  int32_t expect[kMaxMeanDims];
  int32_t out_rank = 0;
  for (int32_t i = 0; i < rank; ++i) {
    if (!reduced[i]) {
      expect[out_rank++] = in->dims[i];
    } else if (keep_dims) {
      expect[out_rank++] = 1;
    }
  }
  EMBER_KERNEL_CHECK(ctx, out->num_dims == out_rank, "MEAN: output rank is %d, expected %d",
                     static_cast<int>(out->num_dims), static_cast<int>(out_rank));
  for (int32_t i = 0; i < out_rank; ++i) {
    EMBER_KERNEL_CHECK(ctx, out->dims[i] == expect[i], "MEAN: output dimension %d is %d, expected %d",
                       static_cast<int>(i), static_cast<int>(out->dims[i]),
                       static_cast<int>(expect[i]));
  }
  int32_t s = 1;
  d->reduce_count = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    d->in_dims[i] = in->dims[i];
    d->out_stride[i] = reduced[i] ? 0 : s;
    if (reduced[i]) {
      d->reduce_count *= in->dims[i];
    } else {
      s *= in->dims[i];
    }
  }
  d->rank = rank;
  d->in_count = ElementCount(in);
  d->out_count = ElementCount(out);
  d->scratch_index = -1;
  if (in->type == kEmberFloat32) {
    d->path = MeanPath::kFloat;
    return kEmberOk;
  }
  EMBER_KERNEL_CHECK(ctx, in->quant.num_channels == 1 && out->quant.num_channels == 1 &&
                              in->quant.scale > 0.f && out->quant.scale > 0.f,
                     "MEAN: input and output need per-tensor quantization");
  EMBER_KERNEL_CHECK(ctx, d->reduce_count <= 32768,
                     "MEAN: %d elements per mean would overflow the int32 sum",
                     static_cast<int>(d->reduce_count));
  (void)TypeRange(in->type, &d->qmin, &d->qmax);
  d->input_zp = in->quant.zero_point;
  d->output_zp = out->quant.zero_point;
  QuantizeMultiplier(static_cast<double>(in->quant.scale) / static_cast<double>(out->quant.scale),
                     &d->multiplier, &d->shift);
  const bool spatial = rank == 4 && num_axes == 2 && reduced[1] && reduced[2] &&
                       ((a[0] == 1 && a[1] == 2) || (a[0] == 2 && a[1] == 1));
  if (keep_dims && spatial) {
    d->path = MeanPath::kSpatial4d;
    return kEmberOk;
  }
  if (in->quant.scale == out->quant.scale && in->quant.zero_point == out->quant.zero_point) {
    d->path = MeanPath::kSameQuant;
  } else {
    d->path = MeanPath::kRequant;
    if (d->reduce_count > 0) {
      const uint32_t n = static_cast<uint32_t>(d->reduce_count);
      int sh = 31 - CountLeadingZeros32(n);  // floor(log2(count))
      if (sh > 32) sh = 32;
      if (sh > 31 + d->shift) sh = 31 + d->shift;
      d->multiplier = static_cast<int32_t>((static_cast<int64_t>(d->multiplier) << sh) /
                                           static_cast<int64_t>(d->reduce_count));
      d->shift -= sh;
    }
  }
  return ctx->RequestScratch(ctx, sizeof(int32_t) * static_cast<size_t>(d->out_count),
                             &d->scratch_index);
}

// Calls f(in_index, out_index) for every input element in row-major order.
template <typename F>
void ForEachReduced(const MeanOpData& d, F&& f) {
  int32_t idx[kMaxMeanDims] = {0};
  int32_t o = 0;
  for (int32_t i = 0; i < d.in_count; ++i) {
    f(i, o);
    for (int32_t k = d.rank - 1; k >= 0; --k) {
      o += d.out_stride[k];
      if (++idx[k] < d.in_dims[k]) break;
      o -= d.out_stride[k] * d.in_dims[k];
      idx[k] = 0;
    }
  }
}

template <typename T>
void EvalSpatial(const MeanOpData& d, const T* in, T* out) {
  // [batch, h, w, depth] -> [batch, 1, 1, depth]
  const int32_t batch = d.in_dims[0], h = d.in_dims[1], w = d.in_dims[2], depth = d.in_dims[3];
  const int32_t n = h * w;
  for (int32_t b = 0; b < batch; ++b) {
    for (int32_t c = 0; c < depth; ++c) {
      int32_t acc = 0;
      for (int32_t y = 0; y < h; ++y) {
        for (int32_t x = 0; x < w; ++x) {
          acc += static_cast<int32_t>(in[((b * h + y) * w + x) * depth + c]) - d.input_zp;
        }
      }
      acc = MultiplyByQuantizedMultiplier(acc, d.multiplier, d.shift);
      if (n > 0) acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
      out[b * depth + c] = static_cast<T>(Clamp32(acc + d.output_zp, d.qmin, d.qmax));
    }
  }
}

template <typename T>
void EvalSum(const MeanOpData& d, const T* in, T* out, int32_t* sum) {
  for (int32_t i = 0; i < d.out_count; ++i) sum[i] = 0;
  ForEachReduced(d, [&](int32_t i, int32_t o) { sum[o] += static_cast<int32_t>(in[i]); });
  const int32_t n = d.reduce_count;
  for (int32_t o = 0; o < d.out_count; ++o) {
    if (n == 0) {
      out[o] = static_cast<T>(0);
    } else if (d.path == MeanPath::kSameQuant) {
      out[o] = static_cast<T>(sum[o] / n);
    } else {
      const int32_t v = MultiplyByQuantizedMultiplier(sum[o] - d.input_zp * n, d.multiplier,
                                                      d.shift) + d.output_zp;
      out[o] = static_cast<T>(Clamp32(v, d.qmin, d.qmax));
    }
  }
}

template <typename T>
EmberStatus EvalInteger(EmberContext* ctx, const MeanOpData& d, const T* in, T* out) {
  if (d.path == MeanPath::kSpatial4d) {
    EvalSpatial(d, in, out);
    return kEmberOk;
  }
  auto* sum = static_cast<int32_t*>(ctx->GetScratch(ctx, d.scratch_index));
  EMBER_KERNEL_CHECK(ctx, sum != nullptr, "MEAN: scratch buffer missing");
  EvalSum(d, in, out, sum);
  return kEmberOk;
}

EmberStatus MeanInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const MeanOpData*>(node->user_data);
  const EmberEvalTensor* in = EvalInput(ctx, node, 0);
  EmberEvalTensor* out = EvalOutput(ctx, node, 0);
  switch (in->type) {
    case kEmberFloat32: {
      const float* x = TensorData<float>(in);
      float* y = TensorData<float>(out);
      for (int32_t o = 0; o < d.out_count; ++o) y[o] = 0.f;
      ForEachReduced(d, [&](int32_t i, int32_t o) { y[o] += x[i]; });
      if (d.reduce_count > 0) {
        const float n = static_cast<float>(d.reduce_count);
        for (int32_t o = 0; o < d.out_count; ++o) y[o] = y[o] / n;
      }
      return kEmberOk;
    }
    case kEmberInt8:
      return EvalInteger(ctx, d, TensorData<int8_t>(in), TensorData<int8_t>(out));
    case kEmberInt16:
      return EvalInteger(ctx, d, TensorData<int16_t>(in), TensorData<int16_t>(out));
    default:
      ctx->ReportError(ctx, "MEAN: unsupported type %s", TypeName(in->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterMean() {
  EmberRegistration r{};
  r.name = "MEAN";
  r.builtin_code = kEmberOpMean;
  r.variant = "reference";
  r.init = &MeanInit;
  r.prepare = &MeanPrepare;
  r.invoke = &MeanInvoke;
  return r;
}

}  // namespace ember::kernels
