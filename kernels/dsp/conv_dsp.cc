// CONV_2D, DSP-extension variant: shares ConvOpData and the shared Conv2dPrepare
// (conv_common.h) with the reference; its own Prepare then adds the fixed-depth pointwise
// kernel's folded biases (ConvDspOpData). int8 only (float and 16x8 run the reference):
//   * 1x1 pointwise layers (stride 1, one group) whose depth is 8, 16, 32, 64, 128 or 256 and
//     whose channels all shift right by at least 2 (every real multiplier below 0.25, as in
//     MobileNet), with a constant filter: Pointwise2x2Fixed. Channel pairs are the outer loop
//     (the two filter rows stay in the flash cache while all pixels stream from SRAM); per
//     pair of pixels one 2x2 block: each step of four input channels loads two input and two
//     filter words (immediate offsets: the depth is a template constant, so the four loads
//     pipeline) and widens each once (SXTB16) for two SMLADs. The sums start from the folded
//     bias bias + input_offset * sum_k w[oc][k] (computed once in Prepare: no offset in the
//     inner loop) and each output is requantized in registers with one SMLAL (RightRequant).
//     On DSP cores the whole pixel loop of a channel pair is one assembler block
//     (PixelPairsAsm: 14 registers, the rest read from the stack).
//   * other 1x1 stride-1 layers: the same 2x2 blocks with a run-time depth (dsp::DotS8x2x2),
//     the filter sums computed per channel pair at invoke.
//   * everything else: the shared patch path, or four (or two) output channels at a time
//     sharing each input load and its widening, four input channels per step with
//     SXTAB16 / SXTB16 + SMLAD.
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
  RightRequant(int32_t m, int32_t rh, int32_t sh) : multiplier(m), round_high(rh), shift(sh) {}
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

// One step of four input channels of a two-pixel x two-channel block, portable (hosts,
// the parity tests; DSP cores run the same step as EMBER_CONV_DSP_STEP below): pixels x and
// x + kN, filter rows w and w + kN, channels kOff .. kOff + 3 (mod 2^32):
//   a00 += x.w, a01 += x.(w + kN), a10 += (x + kN).w, a11 += (x + kN).(w + kN).
template <int32_t kN, int32_t kOff>
EMBER_CONV_DSP_INLINE void Step2x2(const int8_t* x, const int8_t* w, int32_t& a00, int32_t& a01,
                                   int32_t& a10, int32_t& a11) {
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

#if EMBER_HAVE_DSP
// One step (Step2x2) as assembler text for DSP cores: offset o0 from x and w, the second
// pixel / filter row at o1 = kN + o0 (both literal text). Four loads (pipelined: immediate
// offsets from two base registers), eight SXTB16, eight SMLAD; seven temporaries, so that
// no operand is loaded twice.
#define EMBER_CONV_DSP_STEP(o0, o1)                 \
  "ldr    %[t0], [%[w], #" o0 "]\n\t"              \
  "ldr    %[t1], [%[w], #" o1 "]\n\t"              \
  "ldr    %[t2], [%[x], #" o0 "]\n\t"              \
  "ldr    %[t3], [%[x], #" o1 "]\n\t"              \
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
#endif  // EMBER_HAVE_DSP

// The whole depth kN of a two-by-two block, portable: depth 8 and 16 unrolled, larger
// depths a loop over 16-channel chunks (DSP cores: PixelPairsAsm).
template <int32_t kN>
EMBER_CONV_DSP_INLINE void Dot2x2Fixed(const int8_t* x, const int8_t* w, int32_t& a00,
                                       int32_t& a01, int32_t& a10, int32_t& a11) {
  if constexpr (kN <= 16) {
    Steps2x2<kN, 0, kN>(x, w, a00, a01, a10, a11);
  } else {
    static_assert(kN % 16 == 0, "depth in 16-channel chunks");
    const int8_t* const x_end = x + kN;
    do {
      Steps2x2<kN, 0, 16>(x, w, a00, a01, a10, a11);
      x += 16;
      w += 16;
    } while (x != x_end);
  }
}


// One output channel's requantization as the block epilogue reads it (on the stack per
// channel pair; 24 bytes).
struct ChannelOut {
  int32_t multiplier, round_high, shift;  // RightRequant
  int32_t offset, act_min, act_max;       // output zero point, activation range
};

// The two pixels' sums a (-> *out_a) and b (-> *out_b) of one channel to int8: RightRequant,
// zero point, clamp (portable; DSP cores: the epilogue of PixelPairsAsm).
template <bool kFullRange>
EMBER_CONV_DSP_INLINE void FinishPair(int32_t a, int32_t b, const ChannelOut* q, int8_t* out_a,
                                      int8_t* out_b) {
  const RightRequant r{q->multiplier, q->round_high, q->shift};
  const RightOutput<kFullRange> finish{q->offset, q->act_min, q->act_max};
  *out_a = finish(a, r);
  *out_b = finish(b, r);
}

#if EMBER_HAVE_DSP
// What the assembler pixel loop of one channel pair reads from memory. The loop keeps x, w,
// out, the four sums and seven temporaries in registers (14: none is left for a pointer to
// this struct), so every field is its own memory operand, which GCC addresses from sp.
struct PairLoop {
  int32_t f0, f1;                      // folded biases of channels oc, oc + 1
  int32_t m0, rh0, sh0, m1, rh1, sh1;  // their RightRequant
  int32_t offset;
  uint32_t act_range;                  // act_min (low halfword), act_max (high halfword)
  int32_t out_c;                       // output pixel stride
  const int8_t* x_end;                 // end of the pixel pairs
  const int8_t* w_end;                 // w + kN (the depth loop of kN >= 32)
};

// Requantizes the sums A (-> [out]) and B (-> [out, out_c]) of one channel (RightRequant
// with multiplier M, round_high RH, shift SH), in t0..t6.
#define EMBER_PW_REQUANT(A, B, M, RH, SH)              \
  "ldr    %[t3], %[" M "]\n\t"                          \
  "ldr    %[t4], %[" RH "]\n\t"                         \
  "ldr    %[t5], %[" SH "]\n\t"                         \
  "ldr    %[t6], %[off]\n\t"                            \
  "and    %[t0], %[" A "], #0x80000000\n\t"             \
  "eor    %[t0], %[t0], #0x40000000\n\t"                \
  "add    %[t1], %[t4], %[" A "], asr #31\n\t"          \
  "smlal  %[t0], %[t1], %[" A "], %[t3]\n\t"            \
  "and    %[t0], %[" B "], #0x80000000\n\t"             \
  "eor    %[t0], %[t0], #0x40000000\n\t"                \
  "add    %[t2], %[t4], %[" B "], asr #31\n\t"          \
  "smlal  %[t0], %[t2], %[" B "], %[t3]\n\t"            \
  "asr    %[t1], %[t1], %[t5]\n\t"                      \
  "asr    %[t2], %[t2], %[t5]\n\t"                      \
  "add    %[t1], %[t1], %[t6]\n\t"                      \
  "add    %[t2], %[t2], %[t6]\n\t"
#define EMBER_PW_SSAT                                   \
  "ssat   %[t1], #8, %[t1]\n\t"                         \
  "ssat   %[t2], #8, %[t2]\n\t"
#define EMBER_PW_CLAMP                                  \
  "ldr    %[t4], %[act]\n\t"                            \
  "sxth   %[t3], %[t4]\n\t"                             \
  "sxth   %[t4], %[t4], ror #16\n\t"                    \
  "cmp    %[t1], %[t3]\n\t"                             \
  "it     lt\n\t"                                       \
  "movlt  %[t1], %[t3]\n\t"                             \
  "cmp    %[t1], %[t4]\n\t"                             \
  "it     gt\n\t"                                       \
  "movgt  %[t1], %[t4]\n\t"                             \
  "cmp    %[t2], %[t3]\n\t"                             \
  "it     lt\n\t"                                       \
  "movlt  %[t2], %[t3]\n\t"                             \
  "cmp    %[t2], %[t4]\n\t"                             \
  "it     gt\n\t"                                       \
  "movgt  %[t2], %[t4]\n\t"
#define EMBER_PW_STORE                                  \
  "ldr    %[t0], %[oc]\n\t"                             \
  "strb   %[t1], [%[out]]\n\t"                          \
  "strb   %[t2], [%[out], %[t0]]\n\t"
// Block start: the sums from the folded biases.
#define EMBER_PW_INIT                                   \
  "ldr    %[a00], %[f0]\n\t"                            \
  "ldr    %[a01], %[f1]\n\t"                            \
  "mov    %[a10], %[a00]\n\t"                           \
  "mov    %[a11], %[a01]\n\t"
// Both channels' outputs, then out to the next pixel pair and the loop test.
#define EMBER_PW_FINISH(CLAMP)                          \
  EMBER_PW_REQUANT("a00", "a10", "m0", "rh0", "sh0")    \
  CLAMP EMBER_PW_STORE                                  \
  "adds   %[out], %[out], #1\n\t"                       \
  EMBER_PW_REQUANT("a01", "a11", "m1", "rh1", "sh1")    \
  CLAMP EMBER_PW_STORE                                  \
  "ldr    %[t0], %[oc]\n\t"                             \
  "add    %[out], %[out], %[t0], lsl #1\n\t"            \
  "subs   %[out], %[out], #1\n\t"                       \
  "ldr    %[t0], %[x_end]\n\t"                          \
  "cmp    %[x], %[t0]\n\t"                              \
  "bne    1b\n\t"
#define EMBER_PW_ASM(MAC, CLAMP)                                                           \
  __asm volatile("1:\n\t" EMBER_PW_INIT MAC EMBER_PW_FINISH(CLAMP)                          \
                 : [x] "+&r"(x), [w] "+&r"(w), [out] "+&r"(out), [a00] "=&r"(a00),          \
                   [a01] "=&r"(a01), [a10] "=&r"(a10), [a11] "=&r"(a11), [t0] "=&r"(t0),    \
                   [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),          \
                   [t5] "=&r"(t5), [t6] "=&r"(t6)                                           \
                 : [f0] "m"(L.f0), [f1] "m"(L.f1), [m0] "m"(L.m0), [rh0] "m"(L.rh0),        \
                   [sh0] "m"(L.sh0), [m1] "m"(L.m1), [rh1] "m"(L.rh1), [sh1] "m"(L.sh1),    \
                   [off] "m"(L.offset), [act] "m"(L.act_range), [oc] "m"(L.out_c),          \
                   [x_end] "m"(L.x_end), [w_end] "m"(L.w_end)                               \
                 : "cc", "memory")
// The depth of one block: unrolled (8, 16, 32: then x to the next pixel pair), or a loop over
// 32-channel chunks that leaves w where it started and x at the next pixel pair.
#define EMBER_PW_MAC8 \
  EMBER_CONV_DSP_STEP("0", "8") EMBER_CONV_DSP_STEP("4", "12") "add    %[x], %[x], #16\n\t"
#define EMBER_PW_MAC16                                                                   \
  EMBER_CONV_DSP_STEP("0", "16") EMBER_CONV_DSP_STEP("4", "20") EMBER_CONV_DSP_STEP("8", "24") \
  EMBER_CONV_DSP_STEP("12", "28") "add    %[x], %[x], #32\n\t"
#define EMBER_PW_MAC32                                                                   \
  EMBER_CONV_DSP_STEP("0", "32") EMBER_CONV_DSP_STEP("4", "36") EMBER_CONV_DSP_STEP("8", "40") \
  EMBER_CONV_DSP_STEP("12", "44") EMBER_CONV_DSP_STEP("16", "48")                         \
  EMBER_CONV_DSP_STEP("20", "52") EMBER_CONV_DSP_STEP("24", "56")                         \
  EMBER_CONV_DSP_STEP("28", "60") "add    %[x], %[x], #64\n\t"
#define EMBER_PW_MAC_LOOP(N, N4, N8, N12, N16, N20, N24, N28)                            \
  "2:\n\t" EMBER_CONV_DSP_STEP("0", N) EMBER_CONV_DSP_STEP("4", N4)                       \
  EMBER_CONV_DSP_STEP("8", N8) EMBER_CONV_DSP_STEP("12", N12)                             \
  EMBER_CONV_DSP_STEP("16", N16) EMBER_CONV_DSP_STEP("20", N20)                           \
  EMBER_CONV_DSP_STEP("24", N24) EMBER_CONV_DSP_STEP("28", N28)                           \
  "adds   %[x], %[x], #32\n\t"                                                            \
  "adds   %[w], %[w], #32\n\t"                                                            \
  "ldr    %[t0], %[w_end]\n\t"                                                            \
  "cmp    %[w], %[t0]\n\t"                                                                \
  "bne    2b\n\t"                                                                         \
  "sub    %[w], %[w], #" N "\n\t"                                                         \
  "add    %[x], %[x], #" N "\n\t"

// Every pixel pair of one channel pair (at least one pair: x != L.x_end): the blocks of
// Dot2x2Fixed and the epilogue of FinishPair as one loop in registers.
template <int32_t kN, bool kFullRange>
void PixelPairsAsm(const PairLoop& L, const int8_t* x, const int8_t* w, int8_t* out) {
  int32_t a00, a01, a10, a11;
  uint32_t t0, t1, t2, t3, t4, t5, t6;
  if constexpr (kN == 8) {
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC8, EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC8, EMBER_PW_CLAMP);
  } else if constexpr (kN == 16) {
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC16, EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC16, EMBER_PW_CLAMP);
  } else if constexpr (kN == 32) {
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC32, EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC32, EMBER_PW_CLAMP);
  } else if constexpr (kN == 64) {
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC_LOOP("64", "68", "72", "76", "80", "84", "88", "92"), EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC_LOOP("64", "68", "72", "76", "80", "84", "88", "92"), EMBER_PW_CLAMP);
  } else if constexpr (kN == 128) {
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC_LOOP("128", "132", "136", "140", "144", "148", "152", "156"), EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC_LOOP("128", "132", "136", "140", "144", "148", "152", "156"), EMBER_PW_CLAMP);
  } else {
    static_assert(kN == 256, "an instantiated depth");
    if constexpr (kFullRange) EMBER_PW_ASM(EMBER_PW_MAC_LOOP("256", "260", "264", "268", "272", "276", "280", "284"), EMBER_PW_SSAT);
    else EMBER_PW_ASM(EMBER_PW_MAC_LOOP("256", "260", "264", "268", "272", "276", "280", "284"), EMBER_PW_CLAMP);
  }
}
#undef EMBER_PW_ASM
#undef EMBER_PW_MAC8
#undef EMBER_PW_MAC16
#undef EMBER_PW_MAC32
#undef EMBER_PW_MAC_LOOP
#undef EMBER_PW_REQUANT
#undef EMBER_PW_SSAT
#undef EMBER_PW_CLAMP
#undef EMBER_PW_STORE
#undef EMBER_PW_INIT
#undef EMBER_PW_FINISH
#undef EMBER_CONV_DSP_STEP
#endif  // EMBER_HAVE_DSP

// The outputs the 2x2 blocks leave (run-time depth, shared by the depth instantiations):
// with an odd pixel count the last pixel of every channel pair (DotS8x2), with an odd
// channel count the last channel of every pixel.
template <bool kFullRange>
void PointwiseTails(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                    const int8_t* filter, int8_t* output) {
  const RightOutput<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t depth = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  int32_t oc = 0;
  if (pixels & 1) {
    const int8_t* const x = input + (pixels - 1) * depth;
    int8_t* const out = output + (pixels - 1) * out_c;
    for (; oc + 2 <= out_c; oc += 2) {
      const int8_t* const w = filter + oc * depth;
      int32_t a0 = folded[oc], a1 = folded[oc + 1];
      dsp::DotS8x2(x, w, w + depth, depth, 0, &a0, &a1);
      out[oc] = finish(a0, RightRequant(d.multipliers[oc], d.shifts[oc]));
      out[oc + 1] = finish(a1, RightRequant(d.multipliers[oc + 1], d.shifts[oc + 1]));
    }
  }
  if (out_c & 1) {
    oc = out_c - 1;
    const int8_t* const w = filter + oc * depth;
    const RightRequant q(d.multipliers[oc], d.shifts[oc]);
    for (int32_t p = 0; p < pixels; ++p) {
      output[p * out_c + oc] =
          finish(dsp::DotS8Offsets(input + p * depth, w, depth, 0, 0, folded[oc]), q);
    }
  }
}

// 1x1 convolution, stride 1, one group, depth kN, every channel a RightRequant: for each
// pair of output channels (outer loop: the two filter rows stay in the flash cache) every
// pair of pixels (batches included: NHWC pixels are contiguous rows of kN values) as one
// block from the folded biases; then PointwiseTails.
template <int32_t kN, bool kFullRange>
void Pointwise2x2Fixed(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                       const int8_t* filter, int8_t* output) {
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  const int8_t* const x_pairs_end = input + (pixels & ~1) * kN;
  if (input != x_pairs_end) {
    for (int32_t oc = 0; oc + 2 <= out_c; oc += 2) {
      const int8_t* const w = filter + oc * kN;
      const RightRequant q0(d.multipliers[oc], d.shifts[oc]);
      const RightRequant q1(d.multipliers[oc + 1], d.shifts[oc + 1]);
      const int32_t f0 = folded[oc], f1 = folded[oc + 1];
      int8_t* out = output + oc;
#if EMBER_HAVE_DSP
      const PairLoop L{f0,
                       f1,
                       q0.multiplier,
                       q0.round_high,
                       q0.shift,
                       q1.multiplier,
                       q1.round_high,
                       q1.shift,
                       d.output_offset,
                       dsp::portable::Pack(d.act_min, d.act_max),
                       out_c,
                       x_pairs_end,
                       w + kN};
      PixelPairsAsm<kN, kFullRange>(L, input, w, out);
#else
      const ChannelOut co[2] = {
          {q0.multiplier, q0.round_high, q0.shift, d.output_offset, d.act_min, d.act_max},
          {q1.multiplier, q1.round_high, q1.shift, d.output_offset, d.act_min, d.act_max}};
      for (const int8_t* x = input; x != x_pairs_end; x += 2 * kN) {
        int32_t a00 = f0, a01 = f1, a10 = f0, a11 = f1;
        Dot2x2Fixed<kN>(x, w, a00, a01, a10, a11);
        int8_t* const out_next = out + out_c;
        FinishPair<kFullRange>(a00, a10, &co[0], out, out_next);
        FinishPair<kFullRange>(a01, a11, &co[1], out + 1, out_next + 1);
        out = out_next + out_c;
      }
#endif
    }
  }
  if ((pixels & 1) || (out_c & 1)) PointwiseTails<kFullRange>(d, folded, input, filter, output);
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
#if EMBER_HAVE_DSP || !defined(__arm__)
  return d.act_min == -128 && d.act_max == 127 ? PointwiseFixedFor<true>(d.in_c)
                                               : PointwiseFixedFor<false>(d.in_c);
#else
  // Cores without the DSP extension (Armv6-M, Armv7-M) keep the general path: there the
  // fixed kernels would run the portable versions of the instructions and only add code
  // (~15 KB). Hosts build them: the parity tests run the portable versions.
  return nullptr;
#endif
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
