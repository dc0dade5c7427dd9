// The CONV_2D DSP variant's fixed-depth pointwise path (kernels/dsp/conv_dsp.cc,
// Pointwise3x2Fixed): 1x1 stride-1 convolutions with depth 8, 16, 32, 64, 128 or 256 whose
// channels all shift right by at least 2, computed in three-pixel x two-channel blocks from
// biases folded in Prepare (bias + input_offset * sum w) and requantized with one SMLAL
// (RightRequant). On the host the same code runs with the portable instructions.
//
// Every test requires bit-identical outputs from RegisterConv2dDsp() and the reference
// RegisterConv2d() (kernels/conv.cc) on the same random data (TestRng, fixed seeds), over
// what the path branches on: pixel counts with every remainder mod 3 (the 1-2 pixels the
// blocks leave) and below 3 (no block), even and odd
// channel counts (the last odd channel), batches, every depth instantiation, full-range and
// clamped activations, input zero points -128..127 (the folded input offset), output zero
// points at both ends, biases near the int32 limits (the folded bias and the accumulator
// wrap modulo 2^32, RightRequant's sign-dependent rounding constant), per-tensor and
// per-channel filters, right shifts 2 to 23 (multipliers just below 0.25 down to 2^-24,
// the output zero point folded into the rounding constant), and the shapes that must NOT
// take the path (right shifts of 24 and more, shift -1, 0 or left shifts, other
// depths, padding or strides, a filter computed at run time), which must still match.
// Whether the path was taken is checked through the persistent arena: the folded biases
// are out_c int32 values that only the fixed path allocates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/internal/isa.h"
#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::PerChannel;
using testing::Tensor;
using testing::TestRng;

enum class Scales {
  kTypical,      // multipliers (0.005..0.05) / sqrt(depth): right shifts >= 5 (the fast path)
  kNearQuarter,  // just below 0.25: right shift 2 with multipliers near 2^31
  kTiny,       // ~1e-9: right shifts near 30 (general path: below -23)
  kMixed,      // per channel from 1e-9 to 0.24 (general path)
  kShift23,    // [2^-24, 2^-23): right shift 23, the fixed path's limit
  kShift24,    // just below 2^-24: right shift 24 (general path)
  kShiftOne,   // [0.25, 0.5): right shift 1 (general path)
  kAboveOne,   // > 1: left shifts (general path)
};

struct PwCase {
  int batches = 1, h = 1, w = 1, in_c = 8, out_c = 2;
  int in_zp = 0, out_zp = 0;
  EmberActivation act = kEmberActNone;
  bool bias = true;
  bool extreme_bias = false;
  bool small_values = false;  // inputs within 3 of the zero point, |w| <= 3, |bias| <= 50
  bool per_channel = true;
  bool const_filter = true;
  Scales scales = Scales::kTypical;
  int stride = 1;
  bool same = false;  // with stride 1 and a 1x1 filter SAME pads nothing
};

// Effective multiplier in_scale * w_scale / out_scale of channel c; kTypical keeps most
// outputs of random data (|x - zp| and |w| ~ 74 on average) inside the int8 range.
float FilterScale(Scales s, TestRng& rng, float in_scale, float out_scale, int depth) {
  float m = 0.f;
  switch (s) {
    case Scales::kTypical: m = rng.Float(0.005f, 0.05f) / std::sqrt(static_cast<float>(depth)); break;
    case Scales::kNearQuarter: m = rng.Float(0.2499f, 0.24999f); break;
    case Scales::kTiny: m = rng.Float(1e-9f, 4e-9f); break;
    case Scales::kMixed: m = rng.Int(0, 1) ? rng.Float(1e-9f, 1e-6f) : rng.Float(0.01f, 0.24f); break;
    case Scales::kShift23: m = rng.Float(1.01f, 1.99f) * 5.9604645e-8f; break;  // 2^-24
    case Scales::kShift24: m = rng.Float(0.6f, 0.99f) * 5.9604645e-8f; break;
    case Scales::kShiftOne: m = rng.Float(0.26f, 0.49f); break;
    case Scales::kAboveOne: m = rng.Float(1.1f, 3.5f); break;
  }
  return m * out_scale / in_scale;
}

struct Result {
  std::vector<int8_t> ref, dsp;
  size_t ref_bytes = 0, dsp_bytes = 0;
};

Result RunCase(const PwCase& k, uint64_t seed) {
  TestRng rng(seed);
  const float in_scale = 0.05f, out_scale = 0.07f;
  const int x_lo = k.small_values ? std::max(-128, k.in_zp - 3) : -128;
  const int x_hi = k.small_values ? std::min(127, k.in_zp + 3) : 127;
  const int w_max = k.small_values ? 3 : 127;
  const auto in =
      rng.Ints<int8_t>(static_cast<size_t>(k.batches * k.h * k.w * k.in_c), x_lo, x_hi);
  const auto filt = rng.Ints<int8_t>(static_cast<size_t>(k.out_c * k.in_c), -w_max, w_max);
  std::vector<float> scales;
  const int nscales = k.per_channel ? k.out_c : 1;
  for (int c = 0; c < nscales; ++c) scales.push_back(FilterScale(k.scales, rng, in_scale, out_scale, k.in_c));
  std::vector<int32_t> bias(static_cast<size_t>(k.out_c));
  for (auto& b : bias) {
    b = k.extreme_bias ? (rng.Int(0, 1) ? INT32_MAX - rng.Int(0, 3000000)
                                        : INT32_MIN + rng.Int(0, 3000000))
                       : (k.small_values ? rng.Int(-50, 50) : rng.Int(-20000, 20000));
  }
  const int oh = (k.h - 1) / k.stride + 1, ow = (k.w - 1) / k.stride + 1;
  const EmberConvParams cp{k.same ? kEmberPaddingSame : kEmberPaddingValid, k.stride, k.stride,
                           1, 1, k.act};
  auto make_inputs = [&]() {
    testing::TestTensor f =
        k.per_channel
            ? PerChannel<int8_t>({k.out_c, 1, 1, k.in_c}, filt, scales,
                                 std::vector<int64_t>(scales.size(), 0), 0)
            : Tensor<int8_t>({k.out_c, 1, 1, k.in_c}, filt, scales[0], 0);
    if (k.const_filter) f.Const();
    std::vector<testing::TestTensor> v = {
        Tensor<int8_t>({k.batches, k.h, k.w, k.in_c}, in, in_scale, k.in_zp), f};
    if (k.bias) v.push_back(Tensor<int32_t>({k.out_c}, bias).Const());
    return v;
  };
  // One runner at a time (each holds a KernelRunner arena): the emulated boards' heaps are
  // small (tests/kernels_emulated).
  Result r;
  {
    KernelRunner ref(RegisterConv2d(), &cp, make_inputs(),
                     {Output<int8_t>({k.batches, oh, ow, k.out_c}, out_scale, k.out_zp)});
    EXPECT_EQ(ref.Run(), kEmberOk) << ref.errors();
    r.ref = ref.Output<int8_t>();
    r.ref_bytes = ref.persistent_bytes();
  }
  {
    KernelRunner dsp(RegisterConv2dDsp(), &cp, make_inputs(),
                     {Output<int8_t>({k.batches, oh, ow, k.out_c}, out_scale, k.out_zp)});
    EXPECT_EQ(dsp.Run(), kEmberOk) << dsp.errors();
    r.dsp = dsp.Output<int8_t>();
    r.dsp_bytes = dsp.persistent_bytes();
  }
  return r;
}

// Bytes the DSP variant allocates beyond the reference for a shape that does not take the
// fixed path (its op data header only, the same for every shape), measured once with a
// run-time filter.
size_t HeaderBytes() {
  static const size_t bytes = [] {
    PwCase k;
    k.const_filter = false;
    const Result r = RunCase(k, 1);
    return r.dsp_bytes - r.ref_bytes;
  }();
  return bytes;
}

// The fixed path is built for DSP cores and hosts; Cortex-M0+/M3 (tests/kernels_emulated)
// run the general path for every shape (conv_dsp.cc, PointwiseFixedKernel).
#if EMBER_HAVE_DSP || !defined(__arm__)
constexpr bool kFixedPathBuilt = true;
#else
constexpr bool kFixedPathBuilt = false;
#endif

// Outputs equal; `fixed` (and the path built): the folded biases (out_c int32) were
// allocated, i.e. the fixed path ran, else they were not.
void ExpectParity(const PwCase& k, uint64_t seed, bool fixed) {
  fixed = fixed && kFixedPathBuilt;
  const Result r = RunCase(k, seed);
  EXPECT_EQ(r.ref, r.dsp);
  const size_t folded = fixed ? sizeof(int32_t) * static_cast<size_t>(k.out_c) : 0;
  EXPECT_EQ(r.dsp_bytes - r.ref_bytes, HeaderBytes() + folded) << (fixed ? "fixed path expected"
                                                                          : "general path expected");
}

TEST(ConvDspPaths, EveryDepthPixelAndChannelParity) {
  TestRng shapes(71);
  int n = 0;
  for (int depth : {8, 16, 32, 64, 128, 256}) {
    for (int pixels : {1, 2, 3, 5, 6, 7, 8}) {
      for (int out_c : {1, 2, 3, 4, 5}) {
        PwCase k;
        k.in_c = depth;
        k.out_c = out_c;
        k.batches = pixels == 6 ? 2 : 1;  // 2 x (1 x 3)
        k.h = 1;
        k.w = pixels == 6 ? 3 : pixels;
        k.in_zp = shapes.Int(-128, 127);
        k.out_zp = shapes.Int(-128, 127);
        k.act = static_cast<EmberActivation>(shapes.Int(0, 3));
        k.bias = shapes.Int(0, 3) != 0;
        SCOPED_TRACE(::testing::Message() << "depth " << depth << " pixels " << pixels << " out_c "
                                        << out_c);
        ExpectParity(k, 1000 + static_cast<uint64_t>(n++), true);
      }
    }
  }
}

TEST(ConvDspPaths, ExtremeZeroPointsBiasesAndActivations) {
  int n = 0;
  for (int in_zp : {-128, 127, 0}) {
    for (int out_zp : {-128, 127}) {
      for (EmberActivation act : {kEmberActNone, kEmberActRelu, kEmberActRelu6}) {
        for (bool extreme : {false, true}) {
          PwCase k;
          k.in_c = n % 2 ? 16 : 64;
          k.out_c = 3;
          k.h = 3;
          k.w = 3;
          k.in_zp = in_zp;
          k.out_zp = out_zp;
          k.act = act;
          k.extreme_bias = extreme;
          SCOPED_TRACE(::testing::Message() << "in_zp " << in_zp << " out_zp " << out_zp << " act "
                                          << static_cast<int>(act) << " extreme " << extreme);
          ExpectParity(k, 2000 + static_cast<uint64_t>(n++), true);
        }
      }
    }
  }
}

TEST(ConvDspPaths, RightShiftsFromTwoToThirtyOne) {
  int n = 0;
  // Shifts -2 (multipliers near 2^31) and -23 take the fixed path; below -23 the general one.
  for (Scales s : {Scales::kNearQuarter, Scales::kShift23, Scales::kShift24, Scales::kTiny,
                   Scales::kMixed}) {
    for (bool per_channel : {true, false}) {
      if (s == Scales::kMixed && !per_channel) continue;  // one scale: either path
      for (bool extreme : {false, true}) {
        PwCase k;
        k.in_c = 32;
        k.out_c = 5;
        k.h = 2;
        k.w = 3;
        k.in_zp = n % 3 == 0 ? -128 : 127;
        k.out_zp = n % 2 ? -128 : 5;
        k.scales = s;
        k.per_channel = per_channel;
        k.extreme_bias = extreme;
        k.small_values = !extreme && s == Scales::kNearQuarter;  // outputs inside int8
        const bool fixed = s == Scales::kNearQuarter || s == Scales::kShift23;
        SCOPED_TRACE(n);
        ExpectParity(k, 3000 + static_cast<uint64_t>(n++), fixed);
      }
    }
  }
}

TEST(ConvDspPaths, PerTensorFilter) {
  for (int depth : {8, 128}) {
    PwCase k;
    k.in_c = depth;
    k.out_c = 7;
    k.h = 5;
    k.w = 1;
    k.in_zp = -3;
    k.out_zp = -128;
    k.act = kEmberActRelu6;
    k.per_channel = false;
    SCOPED_TRACE(depth);
    ExpectParity(k, 4000 + static_cast<uint64_t>(depth), true);
  }
}

TEST(ConvDspPaths, ShapesOutsideThePathStillMatch) {
  int n = 0;
  auto base = [&]() {
    PwCase k;
    k.in_c = 16;
    k.out_c = 4;
    k.h = 3;
    k.w = 3;
    k.in_zp = 127;
    k.out_zp = -20;
    return k;
  };
  for (Scales s : {Scales::kShiftOne, Scales::kAboveOne}) {  // a channel without shift <= -2
    PwCase k = base();
    k.scales = s;
    ExpectParity(k, 5000 + static_cast<uint64_t>(n++), false);
  }
  for (int depth : {4, 12, 24, 48, 3}) {  // no instantiation for this depth
    PwCase k = base();
    k.in_c = depth;
    ExpectParity(k, 5000 + static_cast<uint64_t>(n++), false);
  }
  {
    PwCase k = base();  // stride 2: not pointwise in the fixed path's sense
    k.stride = 2;
    k.h = 5;
    k.w = 4;
    ExpectParity(k, 5000 + static_cast<uint64_t>(n++), false);
  }
  {
    PwCase k = base();  // filter computed at run time: the general path sums it per invoke
    k.const_filter = false;
    const Result r = RunCase(k, 5000 + static_cast<uint64_t>(n++));
    EXPECT_EQ(r.ref, r.dsp);
  }
  {
    PwCase k = base();  // SAME padding of a 1x1 filter pads nothing: the fixed path
    k.same = true;
    ExpectParity(k, 5000 + static_cast<uint64_t>(n++), true);
  }
}

}  // namespace
}  // namespace ember::kernels
