#include "kernels/internal/broadcast.h"

namespace ember::kernels {

bool PlanBroadcast(const EmberTensor* a, const EmberTensor* b, const EmberTensor* out,
                   BroadcastPlan* plan, const char** why) {
  const int32_t n = kMaxBroadcastDims;
  if (a->num_dims > n || b->num_dims > n) {
    *why = "more than 6 dimensions";
    return false;
  }
  const int32_t out_rank = a->num_dims > b->num_dims ? a->num_dims : b->num_dims;
  if (out->num_dims != out_rank) {
    *why = "output rank differs from the broadcast rank";
    return false;
  }
  int32_t dims_a[kMaxBroadcastDims];
  int32_t dims_b[kMaxBroadcastDims];
  for (int32_t i = 0; i < n; ++i) {
    const int32_t ia = i - (n - a->num_dims);
    const int32_t ib = i - (n - b->num_dims);
    dims_a[i] = ia >= 0 ? a->dims[ia] : 1;
    dims_b[i] = ib >= 0 ? b->dims[ib] : 1;
  }
  bool same = a->num_dims == b->num_dims;
  int32_t count = 1;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t da = dims_a[i];
    const int32_t db = dims_b[i];
    if (da != db && da != 1 && db != 1) {
      *why = "input shapes are not broadcast-compatible";
      return false;
    }
    if (da != db) same = false;
    const int32_t d = (da == 1) ? db : da;
    const int32_t io = i - (n - out_rank);
    if (io >= 0 && out->dims[io] != d) {
      *why = "output shape differs from the broadcast shape";
      return false;
    }
    plan->out_dims[i] = d;
    count *= d;
  }
  int32_t sa = 1;
  int32_t sb = 1;
  for (int32_t i = n - 1; i >= 0; --i) {
    plan->stride_a[i] = dims_a[i] == 1 ? 0 : sa;
    plan->stride_b[i] = dims_b[i] == 1 ? 0 : sb;
    sa *= dims_a[i];
    sb *= dims_b[i];
  }
  plan->out_count = count;
  plan->needs_broadcast = !same;
  return true;
}

}  // namespace ember::kernels
