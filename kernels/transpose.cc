// TRANSPOSE: output dims[i] = input dims[perm[i]], up to 6D.
//
// Inputs: 0 input (any 1-, 2-, 4- or 8-byte element type: float32, int8, int16, int32, ...),
// 1 perm int32 [rank] (constant; a permutation of 0..rank-1). Eval walks the output in
// row-major order with an odometer and keeps the matching input offset up to date using
// the input strides permuted into output order, so no division per element.
#include <string.h>

#include "kernels/internal/op_checks.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::kernels {
namespace {

constexpr int32_t kMaxTransposeDims = 6;

struct TransposeOpData {
  int32_t rank;
  int32_t out_dims[kMaxTransposeDims];
  int32_t in_stride[kMaxTransposeDims];  // input stride of output axis i
  int32_t count;
  uint32_t elem_size;
};

void* TransposeInit(EmberContext* ctx, const void* /*builtin_data*/) {
  return ctx->AllocatePersistent(ctx, sizeof(TransposeOpData));
}

EmberStatus TransposePrepare(EmberContext* ctx, EmberNode* node) {
  auto* d = static_cast<TransposeOpData*>(node->user_data);
  EMBER_KERNEL_CHECK(ctx, d != nullptr, "TRANSPOSE: out of arena memory for op data");
  EMBER_KERNEL_CHECK(ctx, node->num_inputs == 2 && node->num_outputs == 1,
                     "TRANSPOSE: expected 2 inputs and 1 output");
  const EmberTensor* in = NodeInput(ctx, node, 0);
  const EmberTensor* perm = NodeInput(ctx, node, 1);
  const EmberTensor* out = NodeOutput(ctx, node, 0);
  EMBER_KERNEL_CHECK(ctx, in && perm && out, "TRANSPOSE: missing input, perm or output");
  EMBER_KERNEL_CHECK(ctx, in->type == out->type, "TRANSPOSE: input %s and output %s differ",
                     TypeName(in->type), TypeName(out->type));
  const uint32_t es = TypeSize(in->type);
  EMBER_KERNEL_CHECK(ctx, es == 1 || es == 2 || es == 4 || es == 8,
                     "TRANSPOSE: unsupported type %s", TypeName(in->type));
  if (in->type == kEmberInt8 || in->type == kEmberInt16) {
    EMBER_KERNEL_CHECK(ctx, in->quant.scale == out->quant.scale &&
                                in->quant.zero_point == out->quant.zero_point,
                       "TRANSPOSE: input and output quantization must be equal");
  }
  const int32_t rank = in->num_dims;
  EMBER_KERNEL_CHECK(ctx, rank >= 1 && rank <= kMaxTransposeDims,
                     "TRANSPOSE: rank %d not supported (1 to 6)", static_cast<int>(rank));
  EMBER_KERNEL_CHECK(ctx, perm->type == kEmberInt32 && perm->is_constant && perm->data,
                     "TRANSPOSE: perm must be a constant int32 tensor");
  EMBER_KERNEL_CHECK(ctx, ElementCount(perm) == rank && out->num_dims == rank,
                     "TRANSPOSE: perm has %d entries and output rank %d, input rank is %d",
                     static_cast<int>(ElementCount(perm)), static_cast<int>(out->num_dims),
                     static_cast<int>(rank));
  int32_t in_strides[kMaxTransposeDims];
  int32_t s = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    in_strides[i] = s;
    s *= in->dims[i];
  }
  bool seen[kMaxTransposeDims] = {false};
  const int32_t* p = TensorData<int32_t>(perm);
  for (int32_t i = 0; i < rank; ++i) {
    EMBER_KERNEL_CHECK(ctx, p[i] >= 0 && p[i] < rank && !seen[p[i]],
                       "TRANSPOSE: perm is not a permutation of 0..%d", static_cast<int>(rank - 1));
    seen[p[i]] = true;
    EMBER_KERNEL_CHECK(ctx, out->dims[i] == in->dims[p[i]],
                       "TRANSPOSE: output dimension %d is %d, expected %d", static_cast<int>(i),
                       static_cast<int>(out->dims[i]), static_cast<int>(in->dims[p[i]]));
    d->out_dims[i] = out->dims[i];
    d->in_stride[i] = in_strides[p[i]];
  }
  d->rank = rank;
  d->count = ElementCount(in);
  d->elem_size = es;
  return kEmberOk;
}

template <typename T>
void TransposeEval(const TransposeOpData& d, const T* in, T* out) {
  int32_t idx[kMaxTransposeDims] = {0};
  int32_t offset = 0;
  const int32_t last = d.rank - 1;
  for (int32_t o = 0; o < d.count; ++o) {
    out[o] = in[offset];
    for (int32_t i = last; i >= 0; --i) {  // odometer over output axes
      offset += d.in_stride[i];
      if (++idx[i] < d.out_dims[i]) break;
      offset -= d.in_stride[i] * d.out_dims[i];
      idx[i] = 0;
    }
  }
}

EmberStatus TransposeInvoke(EmberContext* ctx, EmberNode* node) {
  const auto& d = *static_cast<const TransposeOpData*>(node->user_data);
  const void* in = EvalInput(ctx, node, 0)->data;
  void* out = EvalOutput(ctx, node, 0)->data;
  switch (d.elem_size) {
    case 1: TransposeEval(d, static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out)); break;
    case 2: TransposeEval(d, static_cast<const uint16_t*>(in), static_cast<uint16_t*>(out)); break;
    case 4: TransposeEval(d, static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out)); break;
    default: TransposeEval(d, static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out)); break;
  }
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterTranspose() {
  EmberRegistration r{};
  r.name = "TRANSPOSE";
  r.builtin_code = kEmberOpTranspose;
  r.variant = "reference";
  r.init = &TransposeInit;
  r.prepare = &TransposePrepare;
  r.invoke = &TransposeInvoke;
  return r;
}

}  // namespace ember::kernels
