// CONV_2D, DSP-extension variant: shares ConvOpData and the shared Conv2dPrepare
// (conv_common.h) with the reference; its own Prepare then adds the fixed-depth pointwise
// kernel's folded biases (ConvDspOpData). int8 only (float and 16x8 run the reference):
//   * 1x1 pointwise layers (stride 1, one group) whose depth is 8, 16, 32, 64, 128 or 256 and
//     whose channels all shift right by 2 to 23 (real multipliers in [2^-24, 0.25), as in
//     MobileNet), with a constant filter: Pointwise3x2Fixed. Channel pairs are the outer loop
//     (the two filter rows stay in the flash cache while all pixels stream from SRAM); per
//     three pixels one 3x2 block: each step of four input channels loads two filter words
//     and three input words (immediate offsets: the depth is a template constant) and widens
//     each once (SXTB16) for twelve SMLADs. The sums start from the folded bias
//     bias + input_offset * sum_k w[oc][k] (computed once in Prepare: no offset in the inner
//     loop) and each output is requantized in registers with one SMLAL (RightRequant; the
//     output zero point rides in its rounding constant). On DSP cores the whole pixel loop
//     of a channel pair is one assembler block (PixelTriplesAsm: 14 registers, the rest read
//     from the stack); cores without the DSP extension keep the general path.
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
      : multiplier(m), round_high(static_cast<int32_t>(uint32_t{1} << (-s - 2))), shift(-s - 1) {}
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
    const int32_t v = fixed_multiply::AddWrapping(q.Apply(acc), output_offset);
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

// One step of four input channels of a three-pixel x two-channel block, portable (hosts,
// the parity tests; DSP cores run the same step as EMBER_PW_STEP below): pixels x + p * n
// (p < 3), filter rows w and w + n, channels k .. k + 3 (mod 2^32):
//   a[2p + c] += (x + p * n)[k..k+3] . (w + c * n)[k..k+3].
inline void Step3x2(const int8_t* x, const int8_t* w, int32_t n, int32_t k, int32_t* a) {
  const uint32_t wa = dsp::Load4(w + k), wb = dsp::Load4(w + n + k);
  const uint32_t wa0 = dsp::Sxtb16(wa), wa1 = dsp::Sxtb16Ror8(wa);
  const uint32_t wb0 = dsp::Sxtb16(wb), wb1 = dsp::Sxtb16Ror8(wb);
  for (int32_t p = 0; p < 3; ++p) {
    const uint32_t xv = dsp::Load4(x + p * n + k);
    const uint32_t x0 = dsp::Sxtb16(xv), x1 = dsp::Sxtb16Ror8(xv);
    a[2 * p] = dsp::Smlad(x1, wa1, dsp::Smlad(x0, wa0, a[2 * p]));
    a[2 * p + 1] = dsp::Smlad(x1, wb1, dsp::Smlad(x0, wb0, a[2 * p + 1]));
  }
}

#if EMBER_HAVE_DSP
// What the assembler pixel loop of one channel pair reads from memory. The loop keeps x, w,
// the six sums and six temporaries in registers (14: none is left for a pointer to this
// struct or for the output pointer), so every field is its own memory operand, which GCC
// addresses from sp.
struct TripleLoop {
  int32_t f0, f1;                      // folded biases of channels oc, oc + 1
  int32_t m0, rh0, sh0, m1, rh1, sh1;  // their RightRequant, round_high + (offset << shift)
  uint32_t act;                        // bytes 1, 2: act_min, act_max
  int32_t out_c;                       // output pixel stride
  const int8_t* x_end;                 // end of the pixel triples
  const int8_t* w_end;                 // w + kN (the depth loop of kN >= 64)
  int8_t* out;                         // the next triple's first output (read and written)
};

// One step of four input channels (Step3x2) for DSP cores: offset O from x and w, the
// second pixel / filter row at N1 = kN + O, the third pixel at N2 = 2 kN + O (literal text:
// immediate offsets). Loads: both filter words and the first pixel's pipeline (4 cycles),
// the other two pixels' 2 each; ten SXTB16 (each word widened once), twelve SMLAD.
#define EMBER_PW_STEP(O, N1, N2)            \
  "ldr    %[t0], [%[w], #" O                \
  "]\n\t"                                   \
  "ldr    %[t1], [%[w], #" N1               \
  "]\n\t"                                   \
  "ldr    %[t2], [%[x], #" O                \
  "]\n\t"                                   \
  "sxtb16 %[t3], %[t0]\n\t"                 \
  "sxtb16 %[t0], %[t0], ror #8\n\t"         \
  "sxtb16 %[t4], %[t1]\n\t"                 \
  "sxtb16 %[t1], %[t1], ror #8\n\t"         \
  "sxtb16 %[t5], %[t2]\n\t"                 \
  "sxtb16 %[t2], %[t2], ror #8\n\t"         \
  "smlad  %[a00], %[t5], %[t3], %[a00]\n\t" \
  "smlad  %[a00], %[t2], %[t0], %[a00]\n\t" \
  "smlad  %[a01], %[t5], %[t4], %[a01]\n\t" \
  "smlad  %[a01], %[t2], %[t1], %[a01]\n\t" \
  "ldr    %[t2], [%[x], #" N1               \
  "]\n\t"                                   \
  "sxtb16 %[t5], %[t2]\n\t"                 \
  "sxtb16 %[t2], %[t2], ror #8\n\t"         \
  "smlad  %[a10], %[t5], %[t3], %[a10]\n\t" \
  "smlad  %[a10], %[t2], %[t0], %[a10]\n\t" \
  "smlad  %[a11], %[t5], %[t4], %[a11]\n\t" \
  "smlad  %[a11], %[t2], %[t1], %[a11]\n\t" \
  "ldr    %[t2], [%[x], #" N2               \
  "]\n\t"                                   \
  "sxtb16 %[t5], %[t2]\n\t"                 \
  "sxtb16 %[t2], %[t2], ror #8\n\t"         \
  "smlad  %[a20], %[t5], %[t3], %[a20]\n\t" \
  "smlad  %[a20], %[t2], %[t0], %[a20]\n\t" \
  "smlad  %[a21], %[t5], %[t4], %[a21]\n\t" \
  "smlad  %[a21], %[t2], %[t1], %[a21]\n\t"
// Step at offset O of a block of depth N (a string literal; assembler expressions).
#define EMBER_PW_STEP_AT(O, N) EMBER_PW_STEP(O, "(" N "+" O ")", "(2*" N "+" O ")")
#define EMBER_PW_STEPS8(N) EMBER_PW_STEP_AT("0", N) EMBER_PW_STEP_AT("4", N)
#define EMBER_PW_STEPS16(N) EMBER_PW_STEPS8(N) EMBER_PW_STEP_AT("8", N) EMBER_PW_STEP_AT("12", N)
#define EMBER_PW_STEPS32(N)                                                     \
  EMBER_PW_STEPS16(N)                                                           \
  EMBER_PW_STEP_AT("16", N) EMBER_PW_STEP_AT("20", N) EMBER_PW_STEP_AT("24", N) \
      EMBER_PW_STEP_AT("28", N)
// x to the next triple after a fully unrolled depth (it has not moved: 3 pixels of kN).
#define EMBER_PW_NEXT_TRIPLE(N) "add    %[x], %[x], #(3*" N ")\n\t"
// The depth loop's end (32 channels per iteration): w back to the row start, x to the
// next triple (it has moved by kN).
#define EMBER_PW_LOOP_END(N)   \
  "adds   %[x], %[x], #32\n\t" \
  "adds   %[w], %[w], #32\n\t" \
  "ldr    %[t0], %[w_end]\n\t" \
  "cmp    %[w], %[t0]\n\t"     \
  "bne    2b\n\t"              \
  "sub    %[w], %[w], #" N     \
  "\n\t"                       \
  "add    %[x], %[x], #(2*" N ")\n\t"
// RightRequant of sum A plus the output offset, into A itself (t0 multiplier, t1
// round_high + (offset << shift), t2 shift; t4, t5 scratch): the offset rides in the high
// word's rounding constant, (h >> s) + o = (h + o * 2^s) >> s exactly; no overflow for
// shift <= 22 (|h| <= 2^30 + 2^21, |o * 2^s| <= 2^29; PointwiseFixedKernel checks the
// shifts).
#define EMBER_PW_REQ(A)                  \
  "and    %[t4], %[" A                   \
  "], #0x80000000\n\t"                   \
  "eor    %[t4], %[t4], #0x40000000\n\t" \
  "add    %[t5], %[t1], %[" A            \
  "], asr #31\n\t"                       \
  "smlal  %[t4], %[t5], %[" A            \
  "], %[t0]\n\t"                         \
  "asr    %[" A "], %[t5], %[t2]\n\t"
#define EMBER_PW_REQ3(A0, A1, A2, M, RH, SH) \
  "ldr    %[t0], %[" M                       \
  "]\n\t"                                    \
  "ldr    %[t1], %[" RH                      \
  "]\n\t"                                    \
  "ldr    %[t2], %[" SH "]\n\t" EMBER_PW_REQ(A0) EMBER_PW_REQ(A1) EMBER_PW_REQ(A2)
#define EMBER_PW_SSAT1(A) "ssat   %[" A "], #8, %[" A "]\n\t"
#define EMBER_PW_SSAT(A0, A1, A2) EMBER_PW_SSAT1(A0) EMBER_PW_SSAT1(A1) EMBER_PW_SSAT1(A2)
#define EMBER_PW_CLAMP1(A) \
  "cmp    %[" A            \
  "], %[t4]\n\t"           \
  "it     lt\n\t"          \
  "movlt  %[" A            \
  "], %[t4]\n\t"           \
  "cmp    %[" A            \
  "], %[t5]\n\t"           \
  "it     gt\n\t"          \
  "movgt  %[" A "], %[t5]\n\t"
#define EMBER_PW_CLAMP(A0, A1, A2)   \
  "ldr    %[t4], %[act]\n\t"         \
  "sxtb   %[t5], %[t4], ror #16\n\t" \
  "sxtb   %[t4], %[t4], ror #8\n\t" EMBER_PW_CLAMP1(A0) EMBER_PW_CLAMP1(A1) EMBER_PW_CLAMP1(A2)
// Block start: the sums from the folded biases.
#define EMBER_PW_INIT         \
  "ldr    %[a00], %[f0]\n\t"  \
  "ldr    %[a01], %[f1]\n\t"  \
  "mov    %[a10], %[a00]\n\t" \
  "mov    %[a11], %[a01]\n\t" \
  "mov    %[a20], %[a00]\n\t" \
  "mov    %[a21], %[a01]\n\t"
// Both channels' outputs, the stores (out, out + out_c, out + 2 out_c; channel 1 one byte
// further), out to the next triple and the loop test.
#define EMBER_PW_FINISH(CLAMP)                           \
  EMBER_PW_REQ3("a00", "a10", "a20", "m0", "rh0", "sh0") \
  CLAMP("a00", "a10", "a20")                             \
  EMBER_PW_REQ3("a01", "a11", "a21", "m1", "rh1", "sh1") \
  CLAMP("a01", "a11", "a21")                             \
  "ldr    %[t0], %[outp]\n\t"                            \
  "ldr    %[t1], %[oc]\n\t"                              \
  "strb   %[a00], [%[t0]]\n\t"                           \
  "strb   %[a10], [%[t0], %[t1]]\n\t"                    \
  "strb   %[a20], [%[t0], %[t1], lsl #1]\n\t"            \
  "adds   %[t0], %[t0], #1\n\t"                          \
  "strb   %[a01], [%[t0]]\n\t"                           \
  "strb   %[a11], [%[t0], %[t1]]\n\t"                    \
  "strb   %[a21], [%[t0], %[t1], lsl #1]\n\t"            \
  "add    %[t0], %[t0], %[t1], lsl #1\n\t"               \
  "add    %[t0], %[t0], %[t1]\n\t"                       \
  "subs   %[t0], %[t0], #1\n\t"                          \
  "str    %[t0], %[outp]\n\t"                            \
  "ldr    %[t0], %[x_end]\n\t"                           \
  "cmp    %[x], %[t0]\n\t"                               \
  "bne    1b\n\t"
#define EMBER_PW_ASM(MAC, CLAMP)                                                                 \
  __asm volatile(                                                                                \
      "1:\n\t" EMBER_PW_INIT MAC EMBER_PW_FINISH(CLAMP)                                          \
      : [x] "+&r"(x), [w] "+&r"(w), [a00] "=&r"(a00), [a01] "=&r"(a01), [a10] "=&r"(a10),        \
        [a11] "=&r"(a11), [a20] "=&r"(a20), [a21] "=&r"(a21), [t0] "=&r"(t0), [t1] "=&r"(t1),    \
        [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5), [outp] "+m"(L.out)       \
      : [f0] "m"(L.f0), [f1] "m"(L.f1), [m0] "m"(L.m0), [rh0] "m"(L.rh0), [sh0] "m"(L.sh0),      \
        [m1] "m"(L.m1), [rh1] "m"(L.rh1), [sh1] "m"(L.sh1), [act] "m"(L.act), [oc] "m"(L.out_c), \
        [x_end] "m"(L.x_end), [w_end] "m"(L.w_end)                                               \
      : "cc", "memory")

// Every pixel triple of one channel pair (at least one triple: x != L.x_end) as one loop
// in registers: per triple the sums from the folded biases, the depth kN in steps of
// EMBER_PW_STEP (unrolled for 8, 16, 32; 32 channels per iteration otherwise), then both
// channels' three outputs requantized (RightRequant), clamped and stored.
template <int32_t kN, bool kFullRange>
void PixelTriplesAsm(TripleLoop& L, const int8_t* x, const int8_t* w) {
  int32_t a00, a01, a10, a11, a20, a21;
  uint32_t t0, t1, t2, t3, t4, t5;
  // One block per clamp form (full int8 range: SSAT; else the activation bounds).
#define EMBER_PW_BOTH(MAC)             \
  if constexpr (kFullRange) {          \
    EMBER_PW_ASM(MAC, EMBER_PW_SSAT);  \
  } else {                             \
    EMBER_PW_ASM(MAC, EMBER_PW_CLAMP); \
  }
  static_assert(kN == 8 || kN == 16 || kN == 32 || kN == 64 || kN == 128 || kN == 256,
                "PixelTriplesAsm: depth 8, 16, 32, 64, 128 or 256");
  if constexpr (kN == 8) {
    EMBER_PW_BOTH(EMBER_PW_STEPS8("8") EMBER_PW_NEXT_TRIPLE("8"))
  } else if constexpr (kN == 16) {
    EMBER_PW_BOTH(EMBER_PW_STEPS16("16") EMBER_PW_NEXT_TRIPLE("16"))
  } else if constexpr (kN == 32) {
    EMBER_PW_BOTH(EMBER_PW_STEPS32("32") EMBER_PW_NEXT_TRIPLE("32"))
  } else if constexpr (kN == 64) {
    EMBER_PW_BOTH("2:\n\t" EMBER_PW_STEPS32("64") EMBER_PW_LOOP_END("64"))
  } else if constexpr (kN == 128) {
    EMBER_PW_BOTH("2:\n\t" EMBER_PW_STEPS32("128") EMBER_PW_LOOP_END("128"))
  } else {
    EMBER_PW_BOTH("2:\n\t" EMBER_PW_STEPS32("256") EMBER_PW_LOOP_END("256"))
  }
#undef EMBER_PW_BOTH
}
#undef EMBER_PW_STEP
#undef EMBER_PW_LOOP_END
#undef EMBER_PW_STEP_AT
#undef EMBER_PW_STEPS8
#undef EMBER_PW_STEPS16
#undef EMBER_PW_STEPS32
#undef EMBER_PW_NEXT_TRIPLE
#undef EMBER_PW_REQ
#undef EMBER_PW_REQ3
#undef EMBER_PW_SSAT1
#undef EMBER_PW_SSAT
#undef EMBER_PW_CLAMP1
#undef EMBER_PW_CLAMP
#undef EMBER_PW_INIT
#undef EMBER_PW_FINISH
#undef EMBER_PW_ASM
#endif  // EMBER_HAVE_DSP

// The outputs the 3x2 blocks leave (run-time depth, shared by the depth instantiations):
// the last pixels % 3 pixels of every channel pair (DotS8x2) and, with an odd channel
// count, the last channel of every pixel.
template <bool kFullRange>
void PointwiseTails(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                    const int8_t* filter, int8_t* output) {
  const RightOutput<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
  const int32_t depth = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  for (int32_t p = pixels - pixels % 3; p < pixels; ++p) {
    const int8_t* const x = input + p * depth;
    int8_t* const out = output + p * out_c;
    for (int32_t oc = 0; oc + 2 <= out_c; oc += 2) {
      const int8_t* const w = filter + oc * depth;
      int32_t a0 = folded[oc], a1 = folded[oc + 1];
      dsp::DotS8x2(x, w, w + depth, depth, 0, &a0, &a1);
      out[oc] = finish(a0, RightRequant(d.multipliers[oc], d.shifts[oc]));
      out[oc + 1] = finish(a1, RightRequant(d.multipliers[oc + 1], d.shifts[oc + 1]));
    }
  }
  if (out_c & 1) {
    const int32_t oc = out_c - 1;
    const int8_t* const w = filter + oc * depth;
    const RightRequant q(d.multipliers[oc], d.shifts[oc]);
    for (int32_t p = 0; p < pixels; ++p) {
      output[p * out_c + oc] =
          finish(dsp::DotS8Offsets(input + p * depth, w, depth, 0, 0, folded[oc]), q);
    }
  }
}

// 1x1 convolution, stride 1, one group, depth kN, every channel a RightRequant (shift
// -2..-23, PointwiseFixedKernel): for each
// pair of output channels (outer loop: the two filter rows stay in the flash cache) every
// triple of pixels (batches included: NHWC pixels are contiguous rows of kN values) as one
// 3x2 block from the folded biases; then PointwiseTails.
template <int32_t kN, bool kFullRange>
void Pointwise3x2Fixed(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                       const int8_t* filter, int8_t* output) {
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  const int8_t* const x_triples_end = input + (pixels - pixels % 3) * kN;
  if (input != x_triples_end) {
    for (int32_t oc = 0; oc + 2 <= out_c; oc += 2) {
      const int8_t* const w = filter + oc * kN;
      const RightRequant q0(d.multipliers[oc], d.shifts[oc]);
      const RightRequant q1(d.multipliers[oc + 1], d.shifts[oc + 1]);
#if EMBER_HAVE_DSP
      const uint32_t off = static_cast<uint32_t>(d.output_offset);
      TripleLoop L{folded[oc],
                   folded[oc + 1],
                   q0.multiplier,
                   q0.round_high + static_cast<int32_t>(off << q0.shift),
                   q0.shift,
                   q1.multiplier,
                   q1.round_high + static_cast<int32_t>(off << q1.shift),
                   q1.shift,
                   ((static_cast<uint32_t>(d.act_min) & 0xFFu) << 8) |
                       ((static_cast<uint32_t>(d.act_max) & 0xFFu) << 16),
                   out_c,
                   x_triples_end,
                   w + kN,
                   output + oc};
      PixelTriplesAsm<kN, kFullRange>(L, input, w);
#else
      const RightOutput<kFullRange> finish{d.output_offset, d.act_min, d.act_max};
      int8_t* out = output + oc;
      for (const int8_t* x = input; x != x_triples_end; x += 3 * kN) {
        int32_t a[6] = {folded[oc],     folded[oc + 1], folded[oc],
                        folded[oc + 1], folded[oc],     folded[oc + 1]};
        for (int32_t k = 0; k < kN; k += 4) Step3x2(x, w, kN, k, a);
        for (int32_t p = 0; p < 3; ++p) {
          out[p * out_c] = finish(a[2 * p], q0);
          out[p * out_c + 1] = finish(a[2 * p + 1], q1);
        }
        out += 3 * out_c;
      }
#endif
    }
  }
  if (pixels % 3 != 0 || (out_c & 1)) {
    PointwiseTails<kFullRange>(d, folded, input, filter, output);
  }
}

using PointwiseFn = void (*)(const ConvOpData& d, const int32_t* folded, const int8_t* input,
                             const int8_t* filter, int8_t* output);

template <bool kFullRange>
PointwiseFn PointwiseFixedFor(int32_t depth) {
  switch (depth) {
    case 8:
      return &Pointwise3x2Fixed<8, kFullRange>;
    case 16:
      return &Pointwise3x2Fixed<16, kFullRange>;
    case 32:
      return &Pointwise3x2Fixed<32, kFullRange>;
    case 64:
      return &Pointwise3x2Fixed<64, kFullRange>;
    case 128:
      return &Pointwise3x2Fixed<128, kFullRange>;
    case 256:
      return &Pointwise3x2Fixed<256, kFullRange>;
    default:
      return nullptr;
  }
}

bool IsPointwise(const ConvOpData& d) {
  return d.filter_h == 1 && d.filter_w == 1 && d.stride_h == 1 && d.stride_w == 1 &&
         d.filter_in_c == d.in_c && d.padding.height == 0 && d.padding.width == 0 &&
         d.out_h == d.in_h && d.out_w == d.in_w;
}

// The fixed-depth pointwise kernel for this op, or null: int8, 1x1 pointwise geometry, a
// depth with an instantiation, every channel a RightRequant with shift >= -23.
PointwiseFn PointwiseFixedKernel(const ConvOpData& d) {
  if (d.type != kEmberInt8 || !IsPointwise(d)) return nullptr;
  for (int32_t c = 0; c < d.out_c; ++c) {
    // Shift -23 and above: the output offset folds into the rounding constant (EMBER_PW_REQ).
    if (!RightRequant::Applies(d.multipliers[c], d.shifts[c]) || d.shifts[c] < -23) {
      return nullptr;
    }
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
