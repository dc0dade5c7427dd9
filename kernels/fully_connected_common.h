// Op data and Prepare of FULLY_CONNECTED, shared by the reference and optimized variants
// (see fully_connected.cc for the arithmetic).
#ifndef EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_
#define EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_

#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::kernels {

// Op data of one FULLY_CONNECTED (40 bytes on 32-bit targets). Value ranges: the offsets
// are int8 zero points ([-127, 128] after negation) or 0 (int16 paths); act_min/act_max lie
// in the output type's range (int8 or int16). Requantization: per-tensor filters keep the
// one multiplier/shift here and channel_multipliers is nullptr; per-channel filters get
// one persistent block of output_depth int32 multipliers followed by output_depth int8
// shifts (FcChannelShifts) and multiplier/shift are unused.
struct FcOpData {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  float act_min_f, act_max_f;          // float path
  int32_t multiplier;                  // per-tensor: [2^30, 2^31) or 0
  int32_t* channel_multipliers;        // per-channel only (else nullptr)
  int16_t act_min, act_max;            // quantized paths, in output type range
  int16_t input_offset;                // -input zero point, [-127, 128] for int8, 0 for int16
  int16_t filter_offset;               // -filter zero point (per-tensor only), [-127, 128]
  int16_t output_offset;               // output zero point
  int8_t shift;                        // per-tensor: [-31, 30] (16x8: <= 7)
};

// The per-channel shifts (output_depth entries in [-31, 30]) stored after the multipliers.
inline const int8_t* FcChannelShifts(const FcOpData& d) {
  return reinterpret_cast<const int8_t*>(d.channel_multipliers + d.output_depth);
}

void* FullyConnectedInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus FullyConnectedPrepare(EmberContext* ctx, EmberNode* node);
uint64_t FullyConnectedCountMacs(const EmberContext* ctx, const EmberNode* node);

void FullyConnectedEvalFloatReference(const FcOpData& d, const float* input,
                                      const float* filter, const float* bias, float* output);
void FullyConnectedEvalS8Reference(const FcOpData& d, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output);
// The DSP-extension int8 path (kernels/dsp/fully_connected_dsp.cc; portable versions of
// the instructions on other targets): bit-exact with FullyConnectedEvalS8Reference.
void FullyConnectedEvalS8Dsp(const FcOpData& d, const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output);
void FullyConnectedEvalS16Reference(const FcOpData& d, const int16_t* input,
                                    const int8_t* filter, const int64_t* bias,
                                    int16_t* output);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_FULLY_CONNECTED_COMMON_H_
