// Op data and Prepare of SVDF, shared by the reference (kernels/svdf.cc) and the
// DSP-extension variant (kernels/dsp/svdf_dsp.cc); only the int8 evaluation differs.
// See kernels/svdf.cc for the tensors, the arithmetic and the value ranges.
#ifndef EMBER_KERNELS_SVDF_COMMON_H_
#define EMBER_KERNELS_SVDF_COMMON_H_

#include <stdint.h>

#include "kernels/dsp/requantize_dsp.h"
#include "kernels/fixed_multiply.h"
#include "kernels/internal/quant_util.h"
#include "runtime/kernel_api.h"

namespace ember::kernels {

// 24 bytes. Prepare rejects sizes above 32767 (batch, input size, filters, memory, rank).
// No scratch buffers: the evaluation writes each filter's activation straight into the
// state and accumulates each unit's output in a register.
struct SvdfOpData {
  // int8: M1 = input_scale * wf_scale / state_scale (feature -> state) and
  //       M2 = state_scale * wt_scale / output_scale (time sum -> output), [2^30, 2^31);
  // float: the fused activation's range [min, max].
  union {
    int32_t multiplier[2];
    float act_range[2];
  };
  int16_t batch;
  int16_t input_size;
  int16_t num_filters;
  int16_t memory_size;
  int16_t rank;
  int8_t shift[2];           // of M1, M2: [-31, 30]
  int8_t input_zero_point;   // int8 input, [-128, 127]
  int8_t output_zero_point;  // int8 output, [-128, 127]
  uint8_t activation;        // EmberActivation (float path)
};

void* SvdfInit(EmberContext* ctx, const void* builtin_data);
[[nodiscard]] EmberStatus SvdfPrepare(EmberContext* ctx, EmberNode* node);
uint64_t SvdfCountMacs(const EmberContext* ctx, const EmberNode* node);

// The int8 evaluation of the reference variant (state: [batch][filter][memory] int16).
void SvdfEvalInt8Reference(const SvdfOpData& d, const int8_t* input, const int8_t* wf,
                           const int16_t* wt, const int32_t* bias, int16_t* state, int8_t* output);
// The DSP-extension variant's (portable versions of the instructions off Armv7E-M);
// bit-exact with SvdfEvalInt8Reference.
void SvdfEvalInt8Dsp(const SvdfOpData& d, const int8_t* input, const int8_t* wf, const int16_t* wt,
                     const int32_t* bias, int16_t* state, int8_t* output);
void SvdfEvalFloatReference(const SvdfOpData& d, const float* input, const float* wf,
                            const float* wt, const float* bias, float* state, float* output);

namespace svdf_internal {

// One unit's output: the int32 sum (bias + the rank filters' time sums, wrapping) scaled by
// M2, plus the output zero point, clamped to int8.
inline int8_t RequantizeOutput(uint32_t acc, const fixed_multiply::Requantizer& q2,
                               int32_t out_zp) {
  const int32_t v = fixed_multiply::AddWrapping(q2.Apply(static_cast<int32_t>(acc)), out_zp);
  return static_cast<int8_t>(Clamp32(v, -128, 127));
}

// The new activation of one filter: the feature sum scaled by M1, clamped to int16.
inline int32_t RequantizeState(int32_t acc, const fixed_multiply::Requantizer& q1) {
  return Clamp32(q1.Apply(acc), INT16_MIN, INT16_MAX);
}

// The rank-1 time step and outputs of kernels/svdf.cc (rows with their activation stored
// one element past the row).
void TimeOutputsRank1(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out, int32_t rows,
                      int32_t n_mem, const fixed_multiply::Requantizer& q2, int32_t out_zp);

// The same for the DSP variant (kernels/dsp/svdf_dsp.cc).
void TimeOutputsRank1Dsp(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                         int32_t rows, int32_t n_mem, const dsp::ChannelQuant& q2, int32_t out_zp);

}  // namespace svdf_internal

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_SVDF_COMMON_H_
