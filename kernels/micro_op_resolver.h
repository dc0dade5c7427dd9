// The op resolver users build: Add<Op>() per op the model needs, optionally with a
// chosen variant, e.g. resolver.AddConv2d(ember::kernels::RegisterConv2dDsp()).
// Only added ops are linked into the program.
#ifndef EMBER_KERNELS_MICRO_OP_RESOLVER_H_
#define EMBER_KERNELS_MICRO_OP_RESOLVER_H_

#include <stddef.h>

#include "kernels/registrations.h"
#include "runtime/op_resolver.h"

namespace ember::kernels {

template <size_t kCapacity>
class MicroOpResolver : public rt::OpResolver<kCapacity> {
 public:
#define EMBER_RESOLVER_ADD(Method, Default)                                        \
  [[nodiscard]] EmberStatus Method(const EmberRegistration& r = Default()) { \
    return this->AddBuiltin(r);                                                    \
  }
  EMBER_RESOLVER_ADD(AddAdd, RegisterAdd)
  EMBER_RESOLVER_ADD(AddAveragePool2d, RegisterAveragePool2d)
  EMBER_RESOLVER_ADD(AddConcatenation, RegisterConcatenation)
  EMBER_RESOLVER_ADD(AddConv2d, RegisterConv2d)
  EMBER_RESOLVER_ADD(AddDepthwiseConv2d, RegisterDepthwiseConv2d)
  EMBER_RESOLVER_ADD(AddDequantize, RegisterDequantize)
  EMBER_RESOLVER_ADD(AddFullyConnected, RegisterFullyConnected)
  EMBER_RESOLVER_ADD(AddLeakyRelu, RegisterLeakyRelu)
  EMBER_RESOLVER_ADD(AddLogistic, RegisterLogistic)
  EMBER_RESOLVER_ADD(AddMaxPool2d, RegisterMaxPool2d)
  EMBER_RESOLVER_ADD(AddMean, RegisterMean)
  EMBER_RESOLVER_ADD(AddMul, RegisterMul)
  EMBER_RESOLVER_ADD(AddPad, RegisterPad)
  EMBER_RESOLVER_ADD(AddQuantize, RegisterQuantize)
  EMBER_RESOLVER_ADD(AddRelu, RegisterRelu)
  EMBER_RESOLVER_ADD(AddRelu6, RegisterRelu6)
  EMBER_RESOLVER_ADD(AddReshape, RegisterReshape)
  EMBER_RESOLVER_ADD(AddSoftmax, RegisterSoftmax)
  EMBER_RESOLVER_ADD(AddStridedSlice, RegisterStridedSlice)
  EMBER_RESOLVER_ADD(AddSub, RegisterSub)
  EMBER_RESOLVER_ADD(AddSvdf, RegisterSvdf)
  EMBER_RESOLVER_ADD(AddTanh, RegisterTanh)
  EMBER_RESOLVER_ADD(AddTranspose, RegisterTranspose)
  EMBER_RESOLVER_ADD(AddTransposeConv, RegisterTransposeConv)
#undef EMBER_RESOLVER_ADD
};

}  // namespace ember::kernels

#endif  // EMBER_KERNELS_MICRO_OP_RESOLVER_H_
