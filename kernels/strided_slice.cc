// STRIDED_SLICE: out = input[begin:end:stride] per axis, with TensorFlow's masks.
//
// Inputs: 0 input (up to 6D, any 1/2/4/8-byte type), 1 begin, 2 end, 3 strides: int32
// [n] constants (n sparse slice specs). Options: begin/end/ellipsis/new_axis/shrink_axis
// masks (bit i refers to spec i) and offset.
//
// 1. Dense spec (TensorFlow's BuildDenseSpec): without an ellipsis bit an implicit ellipsis
//    is appended after the last spec. The ellipsis expands to as many full-range axes as
//    the input has beyond the other (non new-axis) specs. A new_axis spec adds a size-1
//    output axis and consumes no input axis. Other specs map to the next input axis,
//    carrying their begin/end/shrink mask bits along.
// 2. Per input axis of size D with stride s != 0 (TFLite's StartForAxis / StopForAxis):
//    start = begin_mask ? (s > 0 ? -inf : +inf) : begin;  start < 0 -> start += D;
//    clamp start to [0, D] (s > 0) or [-1, D - 1] (s < 0).
//    shrink: stop = start + 1 (start must then lie in [0, D)); else
//    stop = end_mask ? (s > 0 ? +inf : -inf) : (offset ? start + end : end); a negative
//    stop (without offset) += D; clamp like start. size = max(0, ceil((stop - start) / s)).
// 3. Output shape: in spec order, ellipsis axes and normal axes contribute their size
//    (shrunk axes contribute nothing), new axes contribute 1. It must equal the output's.
// Eval walks the selected input positions in row-major order (odometer over input axes).
#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kMaxSliceDims = 6;
constexpr int32_t kMaxSpecs = 16;

struct StridedSliceOpData {
  int32_t rank;                    // input rank
  int32_t start[kMaxSliceDims];    // first input index per axis
  int32_t stride[kMaxSliceDims];   // input index step per axis
  int32_t size[kMaxSliceDims];     // selected count per axis
  int32_t in_stride[kMaxSliceDims];
  int32_t count;
  uint32_t elem_size;
};

void* StridedSliceInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(StridedSliceOpData));
}

int32_t ClampI(int64_t v, int64_t lo, int64_t hi) {
  return static_cast<int32_t>(v < lo ? lo : (v > hi ? hi : v));
}

EmberStatus StridedSlicePrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<StridedSliceOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "STRIDED_SLICE: out of arena memory for op data");
  const auto* p = static_cast<const EmberStridedSliceParams*>(node->builtin_data);
  EMBER_KERNEL_CHECK(ctx, p != nullptr, "STRIDED_SLICE: missing StridedSliceOptions");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 4 && node->num_outputs == 1,
                     "STRIDED_SLICE: expected 4 inputs and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* begin_t = NodeInput(ctx, node, 1);
  const EmberTensor* end_t = NodeInput(ctx, node, 2);
  const EmberTensor* strides_t = NodeInput(ctx, node, 3);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && begin_t && end_t && strides_t && out,
                     "STRIDED_SLICE: missing input or output tensor");
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "STRIDED_SLICE: input %s and output %s differ",
                     TypeName(in->type), TypeName(out->type));
  const uint32_t es = TypeSize(in->type);
  EMBER_KERNEL_CHECK(ctx, es == 1 || es == 2 || es == 4 || es == 8,
                     "STRIDED_SLICE: unsupported type %s", TypeName(in->type));
  if (in->type == kEmberInt8 || in->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx, in->quant.scale == out->quant.scale &&
                                in->quant.zero_point == out->quant.zero_point,
                       "STRIDED_SLICE: input and output quantization must be equal");
  }
  const int32_t rank = in->num_dims;
  EMBER_KERNEL_CHECK(ctx, rank <= kMaxSliceDims, "STRIDED_SLICE: rank %d not supported (max 6)",
                     static_cast<int>(rank));
  const EmberTensor* specs[3] = {begin_t, end_t, strides_t};
  const int32_t n = ElementCount(begin_t);
  for (const EmberTensor* t : specs) {
    EMBER_KERNEL_CHECK(ctx, t->type == kEmberInt32 && t->is_constant && t->data != nullptr,
                       "STRIDED_SLICE: begin, end and strides must be constant int32 tensors");
    EMBER_KERNEL_CHECK(ctx, t->num_dims == 1 && ElementCount(t) == n,
                       "STRIDED_SLICE: begin, end and strides must be 1D of equal length");
  }
  EMBER_KERNEL_CHECK(ctx, n < kMaxSpecs, "STRIDED_SLICE: too many slice specs (%d)",
                     static_cast<int>(n));
  const int32_t* begin = TensorData<int32_t>(begin_t);
  const int32_t* end = TensorData<int32_t>(end_t);
  const int32_t* stride = TensorData<int32_t>(strides_t);

  // Step 1: dense spec.
  int32_t ellipsis = p->ellipsis_mask;
  int32_t num_specs = n;
  EMBER_KERNEL_CHECK(ctx, (ellipsis & (ellipsis - 1)) == 0,
                     "STRIDED_SLICE: more than one ellipsis bit set");
  if (ellipsis == 0) {
    ellipsis = 1 << n;
    ++num_specs;
  }
  int32_t ellipsis_pos = 0;
  while (!(ellipsis & (1 << ellipsis_pos))) ++ellipsis_pos;
  int32_t consuming = 0;
  for (int32_t i = 0; i < n; ++i) {
    const bool is_new = (p->new_axis_mask >> i) & 1;
    if (i != ellipsis_pos && !is_new) ++consuming;
  }
  EMBER_KERNEL_CHECK(ctx, consuming <= rank,
                     "STRIDED_SLICE: %d slice specs for an input of rank %d",
                     static_cast<int>(consuming), static_cast<int>(rank));
  const int32_t ellipsis_axes = rank - consuming;
  int32_t axis = 0;
  int32_t out_dims[kMaxSpecs + kMaxSliceDims];
  int32_t out_rank = 0;
  int32_t s = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    d->in_stride[i] = s;
    s *= in->dims[i];
  }
  for (int32_t i = 0; i < num_specs; ++i) {
    if (i == ellipsis_pos) {
      for (int32_t k = 0; k < ellipsis_axes; ++k, ++axis) {
        d->start[axis] = 0;
        d->stride[axis] = 1;
        d->size[axis] = in->dims[axis];
        out_dims[out_rank++] = in->dims[axis];
      }
      continue;
    }
    if ((p->new_axis_mask >> i) & 1) {
      out_dims[out_rank++] = 1;
      continue;
    }
    const int32_t dim = in->dims[axis];
    const int32_t st = stride[i];
    EMBER_KERNEL_CHECK(ctx, st != 0, "STRIDED_SLICE: stride of spec %d is 0", static_cast<int>(i));
    const bool shrink = (p->shrink_axis_mask >> i) & 1;
    int64_t start = begin[i];
    if ((p->begin_mask >> i) & 1) start = st > 0 ? INT32_MIN : INT32_MAX;
    if (start < 0) start += dim;
    start = st > 0 ? ClampI(start, 0, dim) : ClampI(start, -1, dim - 1);
    int64_t stop;
    if (shrink) {
      EMBER_KERNEL_CHECK(ctx, start >= 0 && start < dim,
                         "STRIDED_SLICE: shrink index %d out of range for dimension %d of size %d",
                         static_cast<int>(begin[i]), static_cast<int>(axis), static_cast<int>(dim));
      stop = start + 1;
    } else if ((p->end_mask >> i) & 1) {
      stop = st > 0 ? INT32_MAX : INT32_MIN;
      stop = st > 0 ? ClampI(stop, 0, dim) : ClampI(stop, -1, dim - 1);
    } else if (p->offset) {
      stop = start + end[i];
      stop = st > 0 ? ClampI(stop, 0, dim) : ClampI(stop, -1, dim - 1);
    } else {
      stop = end[i];
      if (stop < 0) stop += dim;
      stop = st > 0 ? ClampI(stop, 0, dim) : ClampI(stop, -1, dim - 1);
    }
    const int64_t span = stop - start;
    int64_t size = st > 0 ? (span + st - 1) / st : (span + st + 1) / st;
    if (shrink) size = 1;
    if (size < 0 || dim == 0) size = 0;
    d->start[axis] = static_cast<int32_t>(start < 0 ? 0 : start);
    d->stride[axis] = st;
    d->size[axis] = static_cast<int32_t>(size);
    if (!shrink) out_dims[out_rank++] = static_cast<int32_t>(size);
    ++axis;
  }
  EMBER_KERNEL_CHECK(ctx, out->num_dims == out_rank,
                     "STRIDED_SLICE: output rank is %d, the slice gives rank %d",
                     static_cast<int>(out->num_dims), static_cast<int>(out_rank));
  for (int32_t i = 0; i < out_rank; ++i) {
    EMBER_KERNEL_CHECK(ctx, out->dims[i] == out_dims[i],
                       "STRIDED_SLICE: output dimension %d is %d, the slice gives %d",
                       static_cast<int>(i), static_cast<int>(out->dims[i]),
                       static_cast<int>(out_dims[i]));
  }
  d->rank = rank;
  int32_t count = 1;
  for (int32_t i = 0; i < rank; ++i) count *= d->size[i];
  d->count = rank == 0 ? 1 : count;
  d->elem_size = es;
  return kEmberOk;
}

template <typename T>
void SliceEval(const StridedSliceOpData& d, const T* in, T* out) {
  if (d.count == 0) return;
  int32_t idx[kMaxSliceDims] = {0};
  int32_t offset = 0;
  for (int32_t i = 0; i < d.rank; ++i) offset += d.start[i] * d.in_stride[i];
  for (int32_t o = 0; o < d.count; ++o) {
    out[o] = in[offset];
    for (int32_t i = d.rank - 1; i >= 0; --i) {
      const int32_t step = d.stride[i] * d.in_stride[i];
      offset += step;
      if (++idx[i] < d.size[i]) break;
      offset -= step * d.size[i];
      idx[i] = 0;
    }
  }
}

EmberStatus StridedSliceInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const StridedSliceOpData*>(node->user_data);
  const void* in = EvalInput(ctx, node, 0)->data;
  void* out = EvalOutput(ctx, node, 0)->data;
  switch (d.elem_size) {
    case 1: SliceEval(d, static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out)); break;
    case 2: SliceEval(d, static_cast<const uint16_t*>(in), static_cast<uint16_t*>(out)); break;
    case 4: SliceEval(d, static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out)); break;
    default: SliceEval(d, static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out)); break;
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterStridedSlice() {
  EmberRegistration r{};
  r.name = "STRIDED_SLICE";
  r.builtin_code = kEmberOpStridedSlice;
  r.variant = "reference";
  r.init = &StridedSliceInit;
  r.prepare = &StridedSlicePrepare;
  r.invoke = &StridedSliceInvoke;
  return r;
}

}  // namespace ember::kernels
