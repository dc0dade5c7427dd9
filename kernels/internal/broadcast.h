// NumPy-style broadcasting of two tensors for elementwise binary ops (ADD, SUB, MUL),
// up to kMaxBroadcastDims dimensions, as TFLite's BroadcastBinary...6DSlow does.
//
// Shapes are right-aligned and padded with 1s to kMaxBroadcastDims; along each axis the
// two sizes must be equal or one of them 1. The plan stores, per padded axis, the output
// size and each input's element stride (0 where that input is broadcast), so Eval walks
// the output in row-major order with two running input offsets: no division per element.
#ifndef EMBER_KERNELS_INTERNAL_BROADCAST_H_
#define EMBER_KERNELS_INTERNAL_BROADCAST_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::kernels {

constexpr int32_t kMaxBroadcastDims = 6;

struct BroadcastPlan {
  int32_t out_dims[kMaxBroadcastDims];  // padded output shape
  int32_t stride_a[kMaxBroadcastDims];  // element strides of input a (0: broadcast)
  int32_t stride_b[kMaxBroadcastDims];
  int32_t out_count;                    // total output elements
  bool needs_broadcast;                 // false when both inputs have the output's shape
};

// Fills `plan` for inputs a and b and checks that `out` has exactly the broadcast shape
// (same rank as the larger input). Returns false on incompatible shapes, more than
// kMaxBroadcastDims dims, or a mismatching output; `why` then names the problem.
[[nodiscard]] bool PlanBroadcast(const EmberTensor* a, const EmberTensor* b,
                                 const EmberTensor* out, BroadcastPlan* plan, const char** why);

// Calls f(out_index, a_index, b_index) for every output element in row-major order.
template <typename F>
inline void ForEachBroadcast(const BroadcastPlan& p, F&& f) {
  if (!p.needs_broadcast) {
    for (int32_t i = 0; i < p.out_count; ++i) f(i, i, i);
    return;
  }
  int32_t out = 0;
  int32_t ia0 = 0, ib0 = 0;
  for (int32_t d0 = 0; d0 < p.out_dims[0]; ++d0, ia0 += p.stride_a[0], ib0 += p.stride_b[0]) {
    int32_t ia1 = ia0, ib1 = ib0;
    for (int32_t d1 = 0; d1 < p.out_dims[1]; ++d1, ia1 += p.stride_a[1], ib1 += p.stride_b[1]) {
      int32_t ia2 = ia1, ib2 = ib1;
      for (int32_t d2 = 0; d2 < p.out_dims[2];
           ++d2, ia2 += p.stride_a[2], ib2 += p.stride_b[2]) {
        int32_t ia3 = ia2, ib3 = ib2;
        for (int32_t d3 = 0; d3 < p.out_dims[3];
             ++d3, ia3 += p.stride_a[3], ib3 += p.stride_b[3]) {
          int32_t ia4 = ia3, ib4 = ib3;
          for (int32_t d4 = 0; d4 < p.out_dims[4];
               ++d4, ia4 += p.stride_a[4], ib4 += p.stride_b[4]) {
            int32_t ia5 = ia4, ib5 = ib4;
            for (int32_t d5 = 0; d5 < p.out_dims[5];
                 ++d5, ia5 += p.stride_a[5], ib5 += p.stride_b[5]) {
              f(out++, ia5, ib5);
            }
          }
        }
      }
    }
  }
}

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_INTERNAL_BROADCAST_H_
