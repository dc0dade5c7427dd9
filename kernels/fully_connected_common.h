// Op data and Prepare of FULLY_CONNECTED, shared by the reference and optimized variants
// (see fully_connected.cc for the arithmetic).
#ifndef EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_
#define EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::kernels {

struct FcOpData {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  float act_min_f, act_max_f;          // float path
  int32_t act_min, act_max;            // quantized paths, in output type range
  int32_t input_offset;                // -input zero point, [-127, 128] for int8
  int32_t filter_offset;               // -filter zero point (per-tensor only), [-127, 128]
  int32_t output_offset;               // output zero point
  int32_t* multipliers;                // output_depth entries (per-channel or repeated)
  int8_t* shifts;                      // output_depth entries, in [-31, 30]
};

void* FullyConnectedInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus FullyConnectedPrepare(EmberContext* ctx, EmberNode* node);
uint64_t FullyConnectedCountMacs(const EmberContext* ctx, const EmberNode* node);

void FullyConnectedEvalFloatReference(const FcOpData& d, const float* input,
                                      const float* filter, const float* bias, float* output);
void FullyConnectedEvalS8Reference(const FcOpData& d, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output);
void FullyConnectedEvalS16Reference(const FcOpData& d, const int16_t* input,
                                    const int8_t* filter, const int64_t* bias,
                                    int16_t* output);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_
