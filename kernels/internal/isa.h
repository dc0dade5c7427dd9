// Instruction-set features of the target, derived once from the compiler's feature
// macros. Kernels and intrinsic wrappers test these constants/macros, never the raw
// __ARM_FEATURE_* macros.
//   EMBER_HAVE_DSP: Armv7E-M DSP extension with SIMD32 (Cortex-M4, M7, M33 with DSP):
//                   SMLAD, SXTB16, SXTAB16, SMLABB/SMLATT, ... Host builds: 0.
#ifndef EMBER_KERNELS_INTERNAL_ISA_H_
#define EMBER_KERNELS_INTERNAL_ISA_H_

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP == 1 && defined(__ARM_FEATURE_SIMD32) && \
    __ARM_FEATURE_SIMD32 == 1
#define EMBER_HAVE_DSP 1
#else
#define EMBER_HAVE_DSP 0
#endif

namespace ember::kernels::isa {
inline constexpr bool kHaveDsp = EMBER_HAVE_DSP != 0;
}  // namespace ember::kernels::isa

#endif  // EMBER_KERNELS_INTERNAL_ISA_H_
