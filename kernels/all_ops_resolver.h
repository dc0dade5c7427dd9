// AddAllOps: registers the reference variant of every op ember has a kernel for.
// Used by the host tools (`ember run`) and tests that run arbitrary models. Programs
// for a device should add only the ops their model needs (MicroOpResolver), so that
// only those kernels are linked in.
// Each kernel owner adds one line here when the op's kernel is committed.
#ifndef EMBER_KERNELS_ALL_OPS_RESOLVER_H_
#define EMBER_KERNELS_ALL_OPS_RESOLVER_H_

#include <stddef.h>

#include "kernels/internal/isa.h"
#include "kernels/micro_op_resolver.h"

namespace ember::kernels {

// Number of ops AddAllOps registers (an upper bound for the resolver capacity).
inline constexpr size_t kAllOpsCount = 24;

// Which variants AddAllOps registers for the ops that have optimized kernels
// (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED; all variants are bit-exact):
//   kReference  the reference kernels;
//   kOptimized  the DSP-extension kernels when the target has the DSP extension
//               (isa::kHaveDsp), the reference kernels otherwise;
//   kDsp        the DSP kernels unconditionally (portable instruction emulation on
//               targets without the extension: for testing, slower there).
enum class KernelVariants { kReference, kOptimized, kDsp };

template <size_t N>
[[nodiscard]] EmberStatus AddAllOps(MicroOpResolver<N>& resolver,
                                    KernelVariants variants = KernelVariants::kReference) {
  static_assert(N >= kAllOpsCount, "resolver too small for AddAllOps");
  const bool dsp = variants == KernelVariants::kDsp ||
                   (variants == KernelVariants::kOptimized && isa::kHaveDsp);
#define EMBER_ADD_OP(call)                            \
  do {                                                \
    if (resolver.call() != kEmberOk) return kEmberError; \
  } while (0)
  EMBER_ADD_OP(AddAveragePool2d);
  if (resolver.AddConv2d(dsp ? RegisterConv2dDsp() : RegisterConv2d()) != kEmberOk ||
      resolver.AddDepthwiseConv2d(dsp ? RegisterDepthwiseConv2dDsp()
                                      : RegisterDepthwiseConv2d()) != kEmberOk ||
      resolver.AddFullyConnected(dsp ? RegisterFullyConnectedDsp()
                                     : RegisterFullyConnected()) != kEmberOk) {
    return kEmberError;
  }
  EMBER_ADD_OP(AddMaxPool2d);
  EMBER_ADD_OP(AddSoftmax);
  EMBER_ADD_OP(AddReshape);
  EMBER_ADD_OP(AddQuantize);
  EMBER_ADD_OP(AddDequantize);
  if (resolver.AddSvdf(dsp ? RegisterSvdfDsp() : RegisterSvdf()) != kEmberOk) return kEmberError;
  EMBER_ADD_OP(AddAdd);
  EMBER_ADD_OP(AddSub);
  EMBER_ADD_OP(AddMul);
  EMBER_ADD_OP(AddRelu);
  EMBER_ADD_OP(AddRelu6);
  EMBER_ADD_OP(AddLeakyRelu);
  EMBER_ADD_OP(AddPad);
  EMBER_ADD_OP(AddConcatenation);
  EMBER_ADD_OP(AddTranspose);
  EMBER_ADD_OP(AddStridedSlice);
  EMBER_ADD_OP(AddMean);
  EMBER_ADD_OP(AddLogistic);
  EMBER_ADD_OP(AddTanh);
  EMBER_ADD_OP(AddTransposeConv);
#undef EMBER_ADD_OP
  return kEmberOk;
}

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_ALL_OPS_RESOLVER_H_
