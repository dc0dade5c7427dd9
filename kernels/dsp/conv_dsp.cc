// CONV_2D, DSP-extension variant: shares ConvOpData and Prepare (conv_common.h) with the
// reference. int8 only (float and 16x8 run the reference):
//   * 1x1, stride 1, one group (MobileNet's pointwise layers): a matrix multiply
//     out[p][oc] = sum_k x[p][k] * w[oc][k] straight on the NHWC input (no im2col), two
//     output channels x two pixels per pass (dsp::DotS8x2x2): each loaded input word and
//     filter word is widened once (SXTB16) and used twice (SMLAD). The input offset is not
//     added per element; it enters once per channel as input_offset * sum_k w[oc][k]
//     (computed per channel pair before its pixel loop). Channel pairs are the outer loop, so
//     the two filter rows stay in the flash cache while all pixels stream from SRAM.
//   * everything else: four (or two) output channels at a time sharing each input load and
//     its widening, four input channels per step with SXTAB16 / SXTB16 + SMLAD.
//   * 1x1 pointwise layers whose depth is 8, 16, 32, 64, 128 or 256 and whose channels all
//     shift right by at least 2 (every real multiplier below 0.25; MobileNet's layers): the
//     same two-by-two blocks with the depth a compile-time constant (Pointwise2x2Fixed), so
//     the second pixel and filter row are immediate offsets, all four loads of a step
//     pipeline, and depths up to 32 are unrolled completely; each block starts from the
//     channel's folded bias (bias + input_offset * sum w, computed once in Prepare into the
//     variant's op data, ConvDspOpData) and each output is requantized in registers with one
//     SMLAL (RightRequant).
// Bit-exact with Conv2dEvalS8Reference: the same int32 (mod 2^32) sum, reordered
// (x + off) * w summed = x * w summed + off * w summed, exactly, modulo 2^32.
#include "kernels/conv_common.h"
#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {

namespace {

inline int8_t Requantize(const ConvOpData& d, int32_t acc, const dsp::ChannelQuant& q) {
  return dsp::RequantizeS8(acc, q, d.output_offset, d.act_min, d.act_max);
}

inline int8_t Finish(const ConvOpData& d, int32_t acc, int32_t oc) {
  return Requantize(d, acc, dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]));
}

// 1x1 convolution, stride 1, no padding, one group: for each batch a matrix multiply of
// the [pixels, in_c] input with the [out_c, in_c] filter. (Widening the two filter rows
// once into a table on the stack was measured slower on the emulated M4: two LDRD per four
// channels cost more than the four SXTB16 they save.)
template <bool kFullRange>
void Conv1x1S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                  const int32_t* bias, int8_t* output) {
  const dsp::OutputS8<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t depth = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.out_h * d.out_w;
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in_b = input + b * pixels * depth;
    int8_t* out_b = output + b * pixels * out_c;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2) {
      const int8_t* w0 = filter + oc * depth;
      const int8_t* w1 = w0 + depth;
      const int32_t init0 = (bias != nullptr ? bias[oc] : 0) +
                            static_cast<int32_t>(static_cast<uint32_t>(d.input_offset) *
                                                 static_cast<uint32_t>(dsp::SumS8(w0, depth)));
      const int32_t init1 = (bias != nullptr ? bias[oc + 1] : 0) +
                            static_cast<int32_t>(static_cast<uint32_t>(d.input_offset) *
                                                 static_cast<uint32_t>(dsp::SumS8(w1, depth)));
      const dsp::ChannelQuant q0 = dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]);
      const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multipliers[oc + 1], d.shifts[oc + 1]);
      const int8_t* x = in_b;
      int8_t* out = out_b + oc;
      int32_t p = 0;
      for (; p + 2 <= pixels; p += 2) {
        int32_t acc[4] = {init0, init1, init0, init1};  // (p, oc), (p, oc+1), (p+1, oc), ...
        dsp::DotS8x2x2(x, w0, depth, acc);
        out[0] = finish(acc[0], q0);
        out[1] = finish(acc[1], q1);
        out[out_c] = finish(acc[2], q0);
        out[out_c + 1] = finish(acc[3], q1);
        x += 2 * depth;
        out += 2 * out_c;
      }
      if (p < pixels) {
        int32_t a0 = init0, a1 = init1;
        dsp::DotS8x2(x, w0, w1, depth, 0, &a0, &a1);
        out[0] = finish(a0, q0);
        out[1] = finish(a1, q1);
      }
    }
    if (oc < out_c) {  // odd channel count: the last channel alone
      const int8_t* w0 = filter + oc * depth;
      const int32_t init = bias != nullptr ? bias[oc] : 0;
      const dsp::ChannelQuant q = dsp::MakeChannelQuant(d.multipliers[oc], d.shifts[oc]);
      for (int32_t p = 0; p < pixels; ++p) {
        const int32_t acc = dsp::DotS8Offsets(in_b + p * depth, w0, depth, d.input_offset, 0, init);
        out_b[p * out_c + oc] = finish(acc, q);
      }
    }
  }
}


// ---- Pointwise layers with a compile-time depth ----

// The firmware is built with -Os, where GCC keeps these small templates out of line and
// passes the accumulators through memory; they must be inlined into the pixel loop.
#if defined(__GNUC__)
#define EMBER_CONV_DSP_INLINE inline __attribute__((always_inline))
#else
#define EMBER_CONV_DSP_INLINE inline
#endif

// MultiplyByQuantizedMultiplier(acc, m, shift) for m in [0, 2^31) and shift in [-31, -2]
// (right shift r = -shift >= 2), any int32 acc. With both roundings folded into one
// constant (conv_internal::RequantRight) the result is floor((acc * m + K) / 2^(31 + r)),
// K = 2^30 + 2^(30 + r) - [acc < 0] * 2^31. For r >= 2 the 64-bit K is
//   high word 2^(r-2) + (acc >> 31), low word 2^30 ^ (acc & 2^31)
// (subtracting 2^31 flips bit 31 of the low word 0x40000000 and borrows one from the high
// word), so acc * m + K is one SMLAL onto (high, low), and floor(. / 2^(31 + r)) is the high
// word shifted right by r - 1. |acc * m| < 2^62 and K < 2^61 + 2^30: no int64 overflow.
struct RightRequant {
  int32_t multiplier;  // [0, 2^31)
  int32_t round_high;  // 2^(r-2), [1, 2^29]
  int32_t shift;       // r - 1, [1, 30]
  static bool Applies(int32_t m, int32_t shift) { return m >= 0 && shift <= -2 && shift >= -31; }
  RightRequant(int32_t m, int32_t s)
      : multiplier(m),
        round_high(static_cast<int32_t>(uint32_t{1} << (-s - 2))),
        shift(-s - 1) {}
  EMBER_CONV_DSP_INLINE int32_t Apply(int32_t acc) const {
    uint32_t lo = (static_cast<uint32_t>(acc) & 0x80000000u) ^ 0x40000000u;
    int32_t hi = round_high + (acc >> 31);
#if EMBER_HAVE_DSP
    __asm("smlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(acc), "r"(multiplier));
#else
    const uint64_t t = ((static_cast<uint64_t>(static_cast<uint32_t>(hi)) << 32) | lo) +
                       static_cast<uint64_t>(static_cast<int64_t>(acc) * multiplier);
    hi = static_cast<int32_t>(static_cast<uint32_t>(t >> 32));
#endif
    return hi >> shift;
  }
};

// The int8 output of a RightRequant channel: zero point, activation clamp (kFullRange:
// [-128, 127], one SSAT on DSP cores).
template <bool kFullRange>
struct RightOutput {
  int32_t output_offset, act_min, act_max;
  EMBER_CONV_DSP_INLINE int8_t operator()(int32_t acc, const RightRequant& q) const {
    const int32_t v = q.Apply(acc) + output_offset;
    if constexpr (kFullRange) {
#if EMBER_HAVE_DSP
      return static_cast<int8_t>(__ssat(v, 8));
#else
      return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
#endif
    } else {
      const int32_t lo = v < act_min ? act_min : v;
      return static_cast<int8_t>(lo > act_max ? act_max : lo);
    }
  }
};

// One step of four input channels of a two-pixel x two-channel block: pixels x and x + kN,
// filter rows w and w + kN, channels kOff .. kOff + 3 (mod 2^32):
//   a00 += x.w, a01 += x.(w + kN), a10 += (x + kN).w, a11 += (x + kN).(w + kN).
// Four loads (pipelined: immediate offsets from two base registers), eight SXTB16, eight
// SMLAD; seven temporaries, so that no operand is loaded twice.
template <int32_t kN, int32_t kOff>
EMBER_CONV_DSP_INLINE void Step2x2(const int8_t* x, const int8_t* w, int32_t& a00, int32_t& a01, int32_t& a10,
                    int32_t& a11) {
#if EMBER_HAVE_DSP
  uint32_t t0, t1, t2, t3, t4, t5, t6;
  __asm volatile(
      "ldr    %[t0], [%[w], %[o0]]\n\t"
      "ldr    %[t1], [%[w], %[o1]]\n\t"
      "ldr    %[t2], [%[x], %[o0]]\n\t"
      "ldr    %[t3], [%[x], %[o1]]\n\t"
      "sxtb16 %[t4], %[t0]\n\t"
      "sxtb16 %[t0], %[t0], ror #8\n\t"
      "sxtb16 %[t5], %[t2]\n\t"
      "sxtb16 %[t2], %[t2], ror #8\n\t"
      "smlad  %[a00], %[t5], %[t4], %[a00]\n\t"
      "smlad  %[a00], %[t2], %[t0], %[a00]\n\t"
      "sxtb16 %[t6], %[t1]\n\t"
      "sxtb16 %[t1], %[t1], ror #8\n\t"
      "smlad  %[a01], %[t5], %[t6], %[a01]\n\t"
      "smlad  %[a01], %[t2], %[t1], %[a01]\n\t"
      "sxtb16 %[t5], %[t3]\n\t"
      "sxtb16 %[t3], %[t3], ror #8\n\t"
      "smlad  %[a10], %[t5], %[t4], %[a10]\n\t"
      "smlad  %[a10], %[t3], %[t0], %[a10]\n\t"
      "smlad  %[a11], %[t5], %[t6], %[a11]\n\t"
      "smlad  %[a11], %[t3], %[t1], %[a11]\n\t"
      : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [t0] "=&r"(t0),
        [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5),
        [t6] "=&r"(t6)
      : [x] "r"(x), [w] "r"(w), [o0] "i"(kOff), [o1] "i"(kN + kOff)
      : "memory");
#else
  const uint32_t wa = dsp::Load4(w + kOff), wb = dsp::Load4(w + kN + kOff);
  const uint32_t xa = dsp::Load4(x + kOff), xb = dsp::Load4(x + kN + kOff);
  const uint32_t wa0 = dsp::Sxtb16(wa), wa1 = dsp::Sxtb16Ror8(wa);
  const uint32_t wb0 = dsp::Sxtb16(wb), wb1 = dsp::Sxtb16Ror8(wb);
  const uint32_t xa0 = dsp::Sxtb16(xa), xa1 = dsp::Sxtb16Ror8(xa);
  const uint32_t xb0 = dsp::Sxtb16(xb), xb1 = dsp::Sxtb16Ror8(xb);
  a00 = dsp::Smlad(xa1, wa1, dsp::Smlad(xa0, wa0, a00));
  a01 = dsp::Smlad(xa1, wb1, dsp::Smlad(xa0, wb0, a01));
  a10 = dsp::Smlad(xb1, wa1, dsp::Smlad(xb0, wa0, a10));
  a11 = dsp::Smlad(xb1, wb1, dsp::Smlad(xb0, wb0, a11));
#endif
}

// Steps kOff, kOff + 4, .. < kEnd, unrolled.
template <int32_t kN, int32_t kOff, int32_t kEnd>
EMBER_CONV_DSP_INLINE void Steps2x2(const int8_t* x, const int8_t* w, int32_t& a00, int32_t& a01, int32_t& a10,
                     int32_t& a11) {
  if constexpr (kOff < kEnd) {
    Step2x2<kN, kOff>(x, w, a00, a01, a10, a11);
    Steps2x2<kN, kOff + 4, kEnd>(x, w, a00, a01, a10, a11);
  }
}

// The four steps of 16 input channels as assembler text: step k at byte offset 4k from x
// and w, the second pixel / filter row at kN + 4k (operand names as in Step2x2).
#define EMBER_CONV_DSP_STEP(o0, o1)                 \
  "ldr    %[t0], [%[w], #" o0 "]\n\t"              \
  "ldr    %[t1], [%[w], %[n" o1 "]]\n\t"           \
  "ldr    %[t2], [%[x], #" o0 "]\n\t"              \
  "ldr    %[t3], [%[x], %[n" o1 "]]\n\t"           \
  "sxtb16 %[t4], %[t0]\n\t"                       \
  "sxtb16 %[t0], %[t0], ror #8\n\t"               \
  "sxtb16 %[t5], %[t2]\n\t"                       \
  "sxtb16 %[t2], %[t2], ror #8\n\t"               \
  "smlad  %[a00], %[t5], %[t4], %[a00]\n\t"       \
  "smlad  %[a00], %[t2], %[t0], %[a00]\n\t"       \
  "sxtb16 %[t6], %[t1]\n\t"                       \
  "sxtb16 %[t1], %[t1], ror #8\n\t"               \
  "smlad  %[a01], %[t5], %[t6], %[a01]\n\t"       \
  "smlad  %[a01], %[t2], %[t1], %[a01]\n\t"       \
  "sxtb16 %[t5], %[t3]\n\t"                       \
  "sxtb16 %[t3], %[t3], ror #8\n\t"               \
  "smlad  %[a10], %[t5], %[t4], %[a10]\n\t"       \
  "smlad  %[a10], %[t3], %[t0], %[a10]\n\t"       \
  "smlad  %[a11], %[t5], %[t6], %[a11]\n\t"       \
  "smlad  %[a11], %[t3], %[t1], %[a11]\n\t"

// The whole depth kN of a two-by-two block: unrolled up to 32 channels, else a loop over
// 16-channel chunks (one assembler block on DSP cores, so that x, w, the end and the
// seven temporaries stay in registers: 14 in all).
template <int32_t kN>
EMBER_CONV_DSP_INLINE void Dot2x2Fixed(const int8_t* x, const int8_t* w, int32_t& a00,
                                       int32_t& a01, int32_t& a10, int32_t& a11) {
  if constexpr (kN <= 32) {
    Steps2x2<kN, 0, kN>(x, w, a00, a01, a10, a11);
  } else {
#if EMBER_HAVE_DSP
    const int8_t* const x_end = x + kN;
    uint32_t t0, t1, t2, t3, t4, t5, t6;
    __asm volatile(
        "1:\n\t"
        EMBER_CONV_DSP_STEP("0", "0")
        EMBER_CONV_DSP_STEP("4", "4")
        EMBER_CONV_DSP_STEP("8", "8")
        EMBER_CONV_DSP_STEP("12", "12")
        "adds   %[x], %[x], #16\n\t"
        "adds   %[w], %[w], #16\n\t"
        "cmp    %[x], %[x_end]\n\t"
        "bne    1b\n\t"
        : [x] "+&r"(x), [w] "+&r"(w), [a00] "+&r"(a00), [a01] "+&r"(a01), [a10] "+&r"(a10),
          [a11] "+&r"(a11), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [t4] "=&r"(t4), [t5] "=&r"(t5), [t6] "=&r"(t6)
        : [x_end] "r"(x_end), [n0] "i"(kN), [n4] "i"(kN + 4), [n8] "i"(kN + 8),
          [n12] "i"(kN + 12)
        : "cc", "memory");
#else
    const int8_t* const x_end = x + kN;
    do {
      Steps2x2<kN, 0, 16>(x, w, a00, a01, a10, a11);
      x += 16;
      w += 16;
    } while (x != x_end);
#endif
  }
}
#undef EMBER_CONV_DSP_STEP

// 1x1 convolution, stride 1, one group, depth kN, every channel a RightRequant: for each
// pair of output channels (outer loop: the two filter rows stay in the flash cache) every
// pair of pixels (batches included: NHWC pixels are contiguous rows of kN values) as one
// block from the folded biases; a last odd pixel with DotS8x2, a last odd channel alone.
template <int32_t kN, bool kFullRange>
void Pointwise2x2Fixed(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                       const int8_t* filter, int8_t* output) {
  const RightOutput<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  int32_t oc = 0;
  for (; oc + 2 <= out_c; oc += 2) {
    const int8_t* const w = filter + oc * kN;
    const RightRequant q0(d.multipliers[oc], d.shifts[oc]);
    const RightRequant q1(d.multipliers[oc + 1], d.shifts[oc + 1]);
    const int32_t f0 = folded[oc], f1 = folded[oc + 1];
    const int8_t* x = input;
    int8_t* out = output + oc;
    int32_t p = 0;
    for (; p + 2 <= pixels; p += 2) {
      int32_t a00 = f0, a01 = f1, a10 = f0, a11 = f1;
      Dot2x2Fixed<kN>(x, w, a00, a01, a10, a11);
      out[0] = finish(a00, q0);
      out[1] = finish(a01, q1);
      out[out_c] = finish(a10, q0);
      out[out_c + 1] = finish(a11, q1);
      x += 2 * kN;
      out += 2 * out_c;
    }
    if (p < pixels) {
      int32_t a0 = f0, a1 = f1;
      dsp::DotS8x2(x, w, w + kN, kN, 0, &a0, &a1);
      out[0] = finish(a0, q0);
      out[1] = finish(a1, q1);
    }
  }
  if (oc < out_c) {
    const int8_t* const w = filter + oc * kN;
    const RightRequant q(d.multipliers[oc], d.shifts[oc]);
    for (int32_t p = 0; p < pixels; ++p) {
      output[p * out_c + oc] = finish(dsp::DotS8Offsets(input + p * kN, w, kN, 0, 0, folded[oc]), q);
    }
  }
}

using PointwiseFn = void (*)(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                             const int8_t* filter, int8_t* output);

template <bool kFullRange>
PointwiseFn PointwiseFixedFor(int32_t depth) {
  switch (depth) {
    case 8: return &Pointwise2x2Fixed<8, kFullRange>;
    case 16: return &Pointwise2x2Fixed<16, kFullRange>;
    case 32: return &Pointwise2x2Fixed<32, kFullRange>;
    case 64: return &Pointwise2x2Fixed<64, kFullRange>;
    case 128: return &Pointwise2x2Fixed<128, kFullRange>;
    case 256: return &Pointwise2x2Fixed<256, kFullRange>;
    default: return nullptr;
  }
}

bool IsPointwise(const ConvOpData& d) {
  return d.filter_h == 1 && d.filter_w == 1 && d.stride_h == 1 && d.stride_w == 1 &&
         d.filter_in_c == d.in_c && d.padding.height == 0 && d.padding.width == 0 &&
         d.out_h == d.in_h && d.out_w == d.in_w;
}

// The fixed-depth pointwise kernel for this op, or null: int8, 1x1 pointwise geometry, a
// depth with an instantiation, every channel a RightRequant.
PointwiseFn PointwiseFixedKernel(const ConvOpData& d) {
  if (d.type != kEmberInt8 || !IsPointwise(d)) return nullptr;
  for (int32_t c = 0; c < d.out_c; ++c) {
    if (!RightRequant::Applies(d.multipliers[c], d.shifts[c])) return nullptr;
  }
  return d.act_min == -128 && d.act_max == 127 ? PointwiseFixedFor<true>(d.in_c)
                                               : PointwiseFixedFor<false>(d.in_c);
}

// bias[c] + input_offset * sum_k w[c][k] (mod 2^32) for every output channel.
void FoldBiases(const ConvOpData& d, const int8_t* filter, const int32_t* bias, int32_t* folded) {
  const int32_t depth = d.filter_h * d.filter_w * d.filter_in_c;
  for (int32_t c = 0; c < d.out_c; ++c) {
    const uint32_t sum = static_cast<uint32_t>(dsp::SumS8(filter + c * depth, depth));
    folded[c] = static_cast<int32_t>((bias != nullptr ? static_cast<uint32_t>(bias[c]) : 0u) +
                                     static_cast<uint32_t>(d.input_offset) * sum);
  }
}
}  // namespace

void Conv2dEvalS8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output) {
  if (d.filter_h == 1 && d.filter_w == 1 && d.stride_h == 1 && d.stride_w == 1 &&
      d.filter_in_c == d.in_c && d.padding.height == 0 && d.padding.width == 0 &&
      d.out_h == d.in_h && d.out_w == d.in_w) {
    if (d.act_min == -128 && d.act_max == 127) {
      Conv1x1S8Dsp<true>(d, input, filter, bias, output);
    } else {
      Conv1x1S8Dsp<false>(d, input, filter, bias, output);
    }
    return;
  }
  // Small receptive fields with one group (e.g. the convolutional reference model's 3x3
  // layers): the shared patch path (zero-point-padded patches, packed 64-bit MACs where
  // SMLAL is single-cycle) is faster than the per-pixel dot products below.
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__)
  constexpr bool kPackedMacs = false;
#else
  constexpr bool kPackedMacs = true;
#endif
  if (Conv2dEvalS8Patch(d, input, filter, bias, output, kPackedMacs)) return;
  const int32_t per_group = d.out_c / (d.in_c / d.filter_in_c);
  const int32_t filter_stride = d.filter_h * d.filter_w * d.filter_in_c;  // per out channel
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        int8_t* out = output + ((b * d.out_h + oy) * d.out_w + ox) * d.out_c;
        int32_t oc = 0;
        while (oc < d.out_c) {
          const int32_t group = oc / per_group;
          const int32_t in_c0 = group * d.filter_in_c;
          // Up to four channels of the same group at once (they read the same input).
          int32_t block = 1;
          if (oc + 3 < d.out_c && (oc + 3) / per_group == group) {
            block = 4;
          } else if (oc + 1 < d.out_c && (oc + 1) / per_group == group) {
            block = 2;
          }
          int32_t acc[4] = {0, 0, 0, 0};
          if (bias != nullptr) {
            for (int32_t i = 0; i < block; ++i) acc[i] = bias[oc + i];
          }
          for (int32_t fy = 0; fy < d.filter_h; ++fy) {
            const int32_t iy = iy0 + d.dilation_h * fy;
            if (iy < 0 || iy >= d.in_h) continue;
            for (int32_t fx = 0; fx < d.filter_w; ++fx) {
              const int32_t ix = ix0 + d.dilation_w * fx;
              if (ix < 0 || ix >= d.in_w) continue;
              const int8_t* x = input + ((b * d.in_h + iy) * d.in_w + ix) * d.in_c + in_c0;
              const int8_t* w0 =
                  filter + oc * filter_stride + (fy * d.filter_w + fx) * d.filter_in_c;
              if (block == 4) {
                dsp::DotS8x4(x, w0, filter_stride, d.filter_in_c, d.input_offset, acc);
              } else if (block == 2) {
                dsp::DotS8x2(x, w0, w0 + filter_stride, d.filter_in_c, d.input_offset, &acc[0],
                             &acc[1]);
              } else {
                acc[0] = dsp::DotS8Offsets(x, w0, d.filter_in_c, d.input_offset, 0, acc[0]);
              }
            }
          }
          for (int32_t i = 0; i < block; ++i) out[oc + i] = Finish(d, acc[i], oc + i);
          oc += block;
        }
      }
    }
  }
}

namespace {

// The DSP variant's op data: the shared ConvOpData first (the shared Prepare and
// ConvCountMacs read it through node->user_data), then the fixed-depth pointwise kernel
// chosen in Prepare and its folded biases (out_c int32 in the persistent arena; only for
// ops that take that kernel and have a constant filter and bias).
struct ConvDspOpData {
  ConvOpData conv;
  PointwiseFn pointwise;  // null: Conv2dEvalS8Dsp
  int32_t* folded;        // out_c entries when pointwise != null
};

void* Conv2dInitDsp(EmberContext* ctx, const void* /*builtin_data*/) {
  auto* op = static_cast<ConvDspOpData*>(ctx->AllocatePersistent(ctx, sizeof(ConvDspOpData)));
  if (op != nullptr) {
    op->pointwise = nullptr;
    op->folded = nullptr;
  }
  return op;
}

// The shared Conv2dPrepare, then the fixed-depth pointwise kernel and its folded biases.
EmberStatus Conv2dPrepareDsp(EmberContext* ctx, EmberNode* node) {
  if (Conv2dPrepare(ctx, node) != kEmberOk) return kEmberError;
  auto* op = static_cast<ConvDspOpData*>(node->user_data);
  op->pointwise = nullptr;
  op->folded = nullptr;
  const PointwiseFn fn = PointwiseFixedKernel(op->conv);
  if (fn == nullptr) return kEmberOk;
  const EmberTensor* filter = NodeInput(ctx, node, 1);
  const EmberTensor* bias = NodeInput(ctx, node, 2);
  // A filter or bias computed at run time: the general path (it sums the filter per invoke).
  if (!filter->is_constant || (bias != nullptr && !bias->is_constant)) return kEmberOk;
  auto* folded = static_cast<int32_t*>(
      ctx->AllocatePersistent(ctx, sizeof(int32_t) * static_cast<size_t>(op->conv.out_c)));
  EMBER_KERNEL_CHECK(ctx, folded != nullptr, "CONV_2D: arena full (folded biases for %d channels)",
                     static_cast<int>(op->conv.out_c));
  FoldBiases(op->conv, TensorData<int8_t>(filter),
             bias != nullptr ? TensorData<int32_t>(bias) : nullptr, folded);
  op->folded = folded;
  op->pointwise = fn;
  return kEmberOk;
}

EmberStatus Conv2dInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const auto* op = static_cast<const ConvDspOpData*>(node->user_data);
  const ConvOpData* d = &op->conv;
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberInt8:
      if (op->pointwise != nullptr) {
        op->pointwise(*d, op->folded, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                      TensorData<int8_t>(output));
        return kEmberOk;
      }
      Conv2dEvalS8Dsp(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                      bias ? TensorData<int32_t>(bias) : nullptr, TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberFloat32:
      Conv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                               bias ? TensorData<float>(bias) : nullptr, TensorData<float>(output));
      return kEmberOk;
    case kEmberInt16:
      Conv2dEvalS16Reference(*d, TensorData<int16_t>(input), TensorData<int8_t>(filter),
                             bias ? TensorData<int64_t>(bias) : nullptr,
                             TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "CONV_2D: unsupported input type %s", TypeName(d->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterConv2dDsp() {
  EmberRegistration r = RegisterConv2d();
  r.variant = "dsp";
  r.init = Conv2dInitDsp;
  r.prepare = Conv2dPrepareDsp;
  r.invoke = Conv2dInvokeDsp;
  return r;
}

}  // namespace ember::kernels
