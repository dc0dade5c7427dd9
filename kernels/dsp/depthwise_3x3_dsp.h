// The 3x3 DEPTHWISE_CONV_2D path of the DSP-extension variant (depthwise_3x3_dsp.cc):
// int8, 3x3 filter, no dilation, any stride, padding, depth multiplier, per-channel
// quantization and activation range; bit-exact with DepthwiseConv2dEvalS8Reference.
// No allocation: about 1 KB of stack (a 644-byte plane buffer).
#ifndef EMBER_KERNELS_DSP_DEPTHWISE_3X3_DSP_H_
#define EMBER_KERNELS_DSP_DEPTHWISE_3X3_DSP_H_

#include <stdint.h>

#include "kernels/conv_common.h"

namespace ember::kernels {

// Requires d.filter_h == d.filter_w == 3 and d.dilation_h == d.dilation_w == 1.
void Depthwise3x3S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output);

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_DSP_DEPTHWISE_3X3_DSP_H_
