// Registration functions of ember's kernels. Each returns the registration of one
// op variant; the reference variants are bit-exact with TensorFlow Lite's reference
// kernels. Optimized variants (e.g. ...Dsp for Cortex-M DSP extension) share the
// reference OpData and Prepare and differ only in invoke.
#ifndef EMBER_KERNELS_REGISTRATIONS_H_
#define EMBER_KERNELS_REGISTRATIONS_H_

#include "runtime/kernel_api.h"

namespace ember::kernels {

EmberRegistration RegisterAdd();
EmberRegistration RegisterAveragePool2d();
EmberRegistration RegisterConcatenation();
EmberRegistration RegisterConv2d();
EmberRegistration RegisterDepthwiseConv2d();
EmberRegistration RegisterDequantize();
EmberRegistration RegisterFullyConnected();
EmberRegistration RegisterLeakyRelu();
EmberRegistration RegisterLogistic();
EmberRegistration RegisterMaxPool2d();
EmberRegistration RegisterMean();
EmberRegistration RegisterMul();
EmberRegistration RegisterPad();
EmberRegistration RegisterQuantize();
EmberRegistration RegisterRelu();
EmberRegistration RegisterRelu6();
EmberRegistration RegisterReshape();
EmberRegistration RegisterSoftmax();
EmberRegistration RegisterStridedSlice();
EmberRegistration RegisterSub();
EmberRegistration RegisterSvdf();
EmberRegistration RegisterTanh();
EmberRegistration RegisterTranspose();
EmberRegistration RegisterTransposeConv();

// Optimized variants for the Armv7E-M DSP extension (kernels/dsp/): same OpData and
// Prepare as the reference; int8 invoke uses SMLAD-style packed arithmetic (portable C++
// versions of the instructions on other targets), other types run the reference code.
// Bit-exact with the reference.
EmberRegistration RegisterConv2dDsp();
EmberRegistration RegisterDepthwiseConv2dDsp();
EmberRegistration RegisterFullyConnectedDsp();
EmberRegistration RegisterSvdfDsp();

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_REGISTRATIONS_H_
