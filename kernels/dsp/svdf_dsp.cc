// SVDF, DSP-extension variant: shares SvdfOpData and Prepare with the reference
// (kernels/svdf.cc); only the int8 invoke differs. Float runs the reference.
//
// Same arithmetic and state layout as SvdfEvalInt8Reference:
//  - step 2, the feature sums: for inputs up to kMaxPackedInput, the input minus its zero
//    point is widened once per invoke into halfword pairs on the stack (PackInput), then
//    four filters per pass (FeatureQuad: one LDRD of input pairs per four inputs, per filter
//    a weight word, two SXTB16, two SMLAD), the rest two at a time; wider inputs take
//    dsp::DotS8x4 (input widened per four filters with SXTAB16);
//    the activation (M1, SSAT to int16) goes into the dead oldest slot of the next state
//    row, exactly as the reference does (see FeatureActivations in kernels/svdf.cc);
//  - steps 1 and 3 per filter row: the shifted state pairs are loaded as words from one
//    element further on, stored one element to the left and multiplied with the time
//    weight pairs by SMLAD (two int16 x int16 products per instruction), eight elements
//    per step; rank 1 with memory 8 or 32 in unrolled forms; the buffer's last row (no
//    slot past it) shifts its first n_mem - 1 elements the same way;
//  - step 4: bias + the rank time sums, M2, output zero point, SSAT to int8.
// The state and output requantizations are the reference's (fixed_multiply::Requantizer).
// All sums are int32 modulo 2^32 like the reference's (SMLAD's Q flag is not used), so
// the results are bit-identical; tests/kernels/svdf_dsp_paths_test.cc (this variant
// against SvdfEvalInt8Reference), dsp_parity_test.cc and svdf_test.cc check outputs and
// the whole state over several frames.
#include <string.h>

#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/fixed_multiply.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"
#include "kernels/svdf_common.h"

namespace ember::kernels {
namespace {

inline uint32_t LoadPair(const int16_t* p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}
inline void StorePair(int16_t* p, uint32_t v) { memcpy(p, &v, sizeof(v)); }

// The new int16 activation from a feature sum (M1, then saturation to int16).
inline int16_t StateActivation(int32_t acc, const dsp::ChannelQuant& q1) {
  const int32_t v = dsp::MultiplyByChannelQuant(acc, q1);
#if EMBER_HAVE_DSP
  return static_cast<int16_t>(__ssat(v, 16));
#else
  return static_cast<int16_t>(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
#endif
}

inline int16_t SsatS16(int32_t v) {
#if EMBER_HAVE_DSP
  return static_cast<int16_t>(__ssat(v, 16));
#else
  return static_cast<int16_t>(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
#endif
}
inline int8_t SsatS8(int32_t v) {
#if EMBER_HAVE_DSP
  return static_cast<int8_t>(__ssat(v, 8));
#else
  return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
#endif
}

// Inputs up to this size take the packed feature path (the input minus its zero point,
// widened once per invoke into halfword pairs on the stack: kMaxPackedInput * 2 bytes).
constexpr int32_t kMaxPackedInput = 128;

// xp[2k] = (x[4k] + off, x[4k + 2] + off), xp[2k + 1] = (x[4k + 1] + off, x[4k + 3] + off)
// for the n & ~3 leading inputs: the pairs SXTB16 / SXTB16 ROR #8 make of a weight word.
inline void PackInput(const int8_t* x, int32_t n, int32_t x_off, uint32_t* xp) {
  const uint32_t xo = dsp::Dup16(x_off);
  for (const int8_t* const x_end = x + (n & ~3); x != x_end; x += 4, xp += 2) {
    const uint32_t v = dsp::Load4(x);
    xp[0] = dsp::Sxtab16(xo, v);
    xp[1] = dsp::Sxtab16Ror8(xo, v);
  }
}

// One body: four inputs (two pairs) into the four filters' sums.
#define EMBER_SVDF_QUAD_BODY              \
  "ldr    %[x1], [%[xp], #4]\n\t"         \
  "ldr    %[x0], [%[xp]], #8\n\t"         \
  "ldr    %[t0], [%[w0], %[n]]\n\t"       \
  "sxtb16 %[t1], %[t0]\n\t"               \
  "smlad  %[a1], %[x0], %[t1], %[a1]\n\t" \
  "sxtb16 %[t0], %[t0], ror #8\n\t"       \
  "smlad  %[a1], %[x1], %[t0], %[a1]\n\t" \
  "ldr    %[t0], [%[w0]], #4\n\t"         \
  "sxtb16 %[t1], %[t0]\n\t"               \
  "smlad  %[a0], %[x0], %[t1], %[a0]\n\t" \
  "sxtb16 %[t0], %[t0], ror #8\n\t"       \
  "smlad  %[a0], %[x1], %[t0], %[a0]\n\t" \
  "ldr    %[t0], [%[w2], %[n]]\n\t"       \
  "sxtb16 %[t1], %[t0]\n\t"               \
  "smlad  %[a3], %[x0], %[t1], %[a3]\n\t" \
  "sxtb16 %[t0], %[t0], ror #8\n\t"       \
  "smlad  %[a3], %[x1], %[t0], %[a3]\n\t" \
  "ldr    %[t0], [%[w2]], #4\n\t"         \
  "sxtb16 %[t1], %[t0]\n\t"               \
  "smlad  %[a2], %[x0], %[t1], %[a2]\n\t" \
  "sxtb16 %[t0], %[t0], ror #8\n\t"       \
  "smlad  %[a2], %[x1], %[t0], %[a2]\n\t"

// Feature sums of four filter rows w0, w0 + n, w0 + 2n, w0 + 3n over the packed input (the
// n & ~3 leading inputs; the caller adds the rest): per four inputs one LDRD of the input
// pairs, then per filter one weight word, two SXTB16 and two SMLAD.
// Not inlined: the assembly loop needs 13 registers to itself (inlined into the evaluation,
// GCC finds no allocation on some cores, e.g. Cortex-M7 at -O2).
__attribute__((noinline)) void FeatureQuad(const uint32_t* xp, const int8_t* w0, int32_t n,
                                           int32_t* acc) {
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  const uint32_t* const xp_end = xp + ((n >> 2) << 1);
  const int8_t* w2 = w0 + 2 * n;
#if EMBER_HAVE_DSP && defined(__OPTIMIZE__)
  // In assembly: the compiler's schedule of this loop spills a pointer (13 registers live:
  // xp, xp_end, w0, w2, n, four sums, two input pairs, a weight word and its half). Not in
  // unoptimised builds, whose frame pointer leaves 12 registers. The input pairs are loaded
  // with two LDRs (the second with the pointer write-back), which pipeline with the first
  // weight load (LDRD does not).
  // Four inputs per body; an odd group count runs one body alone, then the loop runs two
  // bodies per branch.
  uint32_t x0, x1, t0, t1;
  if ((n >> 2) & 1) {
    __asm volatile(EMBER_SVDF_QUAD_BODY
                   : [xp] "+&r"(xp), [w0] "+&r"(w0), [w2] "+&r"(w2), [a0] "+&r"(a0), [a1] "+&r"(a1),
                     [a2] "+&r"(a2), [a3] "+&r"(a3), [x0] "=&r"(x0), [x1] "=&r"(x1), [t0] "=&r"(t0),
                     [t1] "=&r"(t1)
                   : [n] "r"(n)
                   : "memory");
  }
  if (xp != xp_end) {
    __asm volatile("1:\n\t" EMBER_SVDF_QUAD_BODY EMBER_SVDF_QUAD_BODY
                   "cmp    %[xp], %[xp_end]\n\t"
                   "bne    1b\n\t"
                   : [xp] "+&r"(xp), [w0] "+&r"(w0), [w2] "+&r"(w2), [a0] "+&r"(a0), [a1] "+&r"(a1),
                     [a2] "+&r"(a2), [a3] "+&r"(a3), [x0] "=&r"(x0), [x1] "=&r"(x1), [t0] "=&r"(t0),
                     [t1] "=&r"(t1)
                   : [n] "r"(n), [xp_end] "r"(xp_end)
                   : "cc", "memory");
  }
#else
  for (; xp != xp_end; xp += 2, w0 += 4, w2 += 4) {
    const uint32_t x02 = xp[0];
    const uint32_t x13 = xp[1];
    uint32_t v = dsp::Load4(w0);
    a0 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v), dsp::Smlad(x02, dsp::Sxtb16(v), a0));
    v = dsp::Load4(w0 + n);
    a1 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v), dsp::Smlad(x02, dsp::Sxtb16(v), a1));
    v = dsp::Load4(w2);
    a2 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v), dsp::Smlad(x02, dsp::Sxtb16(v), a2));
    v = dsp::Load4(w2 + n);
    a3 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v), dsp::Smlad(x02, dsp::Sxtb16(v), a3));
  }
#endif
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}
#undef EMBER_SVDF_QUAD_BODY

// Feature sums of two filter rows w0 and w0 + n over the packed input (the n & ~3 leading
// inputs; the caller adds the rest): per four inputs two input words, two weight words,
// four SXTB16, four SMLAD.
inline void FeaturePair(const uint32_t* xp, const int8_t* w0, int32_t n, int32_t* acc0,
                        int32_t* acc1) {
  int32_t a0 = 0, a1 = 0;
  for (const uint32_t* const xp_end = xp + ((n >> 2) << 1); xp != xp_end; xp += 2, w0 += 4) {
    const uint32_t x02 = xp[0];
    const uint32_t x13 = xp[1];
    const uint32_t v0 = dsp::Load4(w0);
    const uint32_t v1 = dsp::Load4(w0 + n);
    a0 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v0), dsp::Smlad(x02, dsp::Sxtb16(v0), a0));
    a1 = dsp::Smlad(x13, dsp::Sxtb16Ror8(v1), dsp::Smlad(x02, dsp::Sxtb16(v1), a1));
  }
  *acc0 = a0;
  *acc1 = a1;
}

// Steps 1 and 3 for a row whose new activation sits one element past it (s[n_mem]):
// s[m] = s[m + 1] for m < n_mem, and the time sum of the shifted row (mod 2^32).
// Eight elements per step: all four source words are loaded before any store (the stores
// only reach elements already read), then a four-, a two- and a one-element tail.
template <bool kMultipleOf8 = false>
inline int32_t TimeRowNextDsp(int16_t* s, const int16_t* w, int32_t n_mem) {
  int32_t acc = 0;
  const int16_t* const w_end8 = w + (n_mem & ~7);
  while (w != w_end8) {
    const uint32_t v0 = LoadPair(s + 1);
    const uint32_t v1 = LoadPair(s + 3);
    const uint32_t v2 = LoadPair(s + 5);
    const uint32_t v3 = LoadPair(s + 7);
    StorePair(s, v0);
    StorePair(s + 2, v1);
    StorePair(s + 4, v2);
    StorePair(s + 6, v3);
    acc = dsp::Smlad(v0, LoadPair(w), acc);
    acc = dsp::Smlad(v1, LoadPair(w + 2), acc);
    acc = dsp::Smlad(v2, LoadPair(w + 4), acc);
    acc = dsp::Smlad(v3, LoadPair(w + 6), acc);
    s += 8;
    w += 8;
  }
  if (kMultipleOf8) return acc;
  if (n_mem & 4) {
    const uint32_t v0 = LoadPair(s + 1);
    const uint32_t v1 = LoadPair(s + 3);
    StorePair(s, v0);
    StorePair(s + 2, v1);
    acc = dsp::Smlad(v0, LoadPair(w), acc);
    acc = dsp::Smlad(v1, LoadPair(w + 2), acc);
    s += 4;
    w += 4;
  }
  if (n_mem & 2) {
    const uint32_t v = LoadPair(s + 1);
    StorePair(s, v);
    acc = dsp::Smlad(v, LoadPair(w), acc);
    s += 2;
    w += 2;
  }
  if (n_mem & 1) {
    const int32_t v = s[1];
    s[0] = static_cast<int16_t>(v);
    acc = static_cast<int32_t>(static_cast<uint32_t>(acc) +
                               static_cast<uint32_t>(static_cast<int32_t>(w[0]) * v));
  }
  return acc;
}

// The state buffer's very last row (no slot past it): shift, newest value last, time sum.
// The first n_mem - 1 elements as a row whose "next" value is its own last element (all
// reads stay inside the row), then the newest value.
int32_t TimeRowLast(int16_t* s, const int16_t* w, int32_t n_mem, int16_t newest) {
  const int32_t acc = TimeRowNextDsp(s, w, n_mem - 1);
  s[n_mem - 1] = newest;
  return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                              static_cast<uint32_t>(static_cast<int32_t>(w[n_mem - 1]) * newest));
}

template <bool kMultipleOf8>
inline void TimeOutputsRank1Rows(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                                 int32_t rows, int32_t n_mem, const fixed_multiply::Requantizer& q,
                                 int32_t out_zp) {
  for (int8_t* const out_end = out + rows; out != out_end; ++out) {
    const int32_t b = bias != nullptr ? *bias++ : 0;
    const int32_t t = TimeRowNextDsp<kMultipleOf8>(s, w, n_mem);
    s += n_mem;
    w += n_mem;
    *out = SsatS8(fixed_multiply::AddWrapping(q.Apply(fixed_multiply::AddWrapping(b, t)), out_zp));
  }
}

// The same for a memory size of exactly 8 * kChunks: the chunk loop unrolled, the state
// and weight pointers walk all rows without a per-row loop set-up.
template <int kChunks>
inline void TimeOutputsRank1Fixed(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                                  int32_t rows, const fixed_multiply::Requantizer& q,
                                  int32_t out_zp) {
  auto row = [&]() {
    uint32_t acc = bias != nullptr ? static_cast<uint32_t>(*bias++) : 0u;
    int32_t t = 0;
#pragma GCC unroll 4
    for (int c = 0; c < kChunks; ++c, s += 8, w += 8) {
      const uint32_t v0 = LoadPair(s + 1);
      const uint32_t v1 = LoadPair(s + 3);
      const uint32_t v2 = LoadPair(s + 5);
      const uint32_t v3 = LoadPair(s + 7);
      StorePair(s, v0);
      StorePair(s + 2, v1);
      StorePair(s + 4, v2);
      StorePair(s + 6, v3);
      t = dsp::Smlad(v0, LoadPair(w), t);
      t = dsp::Smlad(v1, LoadPair(w + 2), t);
      t = dsp::Smlad(v2, LoadPair(w + 4), t);
      t = dsp::Smlad(v3, LoadPair(w + 6), t);
    }
    acc += static_cast<uint32_t>(t);
    *out++ = SsatS8(fixed_multiply::AddWrapping(q.Apply(static_cast<int32_t>(acc)), out_zp));
  };
  int8_t* const out_end = out + rows;
  if constexpr (kChunks == 1) {
    // Short rows: four per loop step (measured faster; for 32-element rows two were slower).
    for (int8_t* const out_end4 = out + (rows & ~3); out != out_end4;) {
      row();
      row();
      row();
      row();
    }
    while (out != out_end) row();
  } else {
    for (; out != out_end;) {
      uint32_t acc = bias != nullptr ? static_cast<uint32_t>(*bias++) : 0u;
      int32_t t = 0;
#pragma GCC unroll 4
      for (int c = 0; c < kChunks; ++c, s += 8, w += 8) {
        const uint32_t v0 = LoadPair(s + 1);
        const uint32_t v1 = LoadPair(s + 3);
        const uint32_t v2 = LoadPair(s + 5);
        const uint32_t v3 = LoadPair(s + 7);
        StorePair(s, v0);
        StorePair(s + 2, v1);
        StorePair(s + 4, v2);
        StorePair(s + 6, v3);
        t = dsp::Smlad(v0, LoadPair(w), t);
        t = dsp::Smlad(v1, LoadPair(w + 2), t);
        t = dsp::Smlad(v2, LoadPair(w + 4), t);
        t = dsp::Smlad(v3, LoadPair(w + 6), t);
      }
      acc += static_cast<uint32_t>(t);
      *out = SsatS8(fixed_multiply::AddWrapping(q.Apply(static_cast<int32_t>(acc)), out_zp));
      ++out;
    }
  }
}

}  // namespace

namespace svdf_internal {

// A separate (not inlined) function so that its loop has the registers to itself. Memory
// sizes 8 and 32 (common in keyword models) take unrolled forms, other multiples of 8 skip
// the tails.
// Rank-1 units: time sums and outputs of `rows` rows (activations past the rows).
void TimeOutputsRank1Dsp(int16_t* s, const int16_t* w, const int32_t* bias, int8_t* out,
                         int32_t rows, int32_t n_mem, const dsp::ChannelQuant& q2, int32_t out_zp) {
  const fixed_multiply::Requantizer q(q2.multiplier, q2.left_shift - q2.right_shift);
  if (n_mem == 8) {
    TimeOutputsRank1Fixed<1>(s, w, bias, out, rows, q, out_zp);
  } else if (n_mem == 32) {
    TimeOutputsRank1Fixed<4>(s, w, bias, out, rows, q, out_zp);
  } else if ((n_mem & 7) == 0) {
    TimeOutputsRank1Rows<true>(s, w, bias, out, rows, n_mem, q, out_zp);
  } else {
    TimeOutputsRank1Rows<false>(s, w, bias, out, rows, n_mem, q, out_zp);
  }
}

}  // namespace svdf_internal

void SvdfEvalInt8Dsp(const SvdfOpData& d, const int8_t* input, const int8_t* wf, const int16_t* wt,
                     const int32_t* bias, int16_t* state, int8_t* output) {
  const int32_t batch = d.batch;
  const int32_t input_size = d.input_size;
  const int32_t num_filters = d.num_filters;
  const int32_t rank = d.rank;
  const int32_t num_units = num_filters / rank;
  const int32_t n_mem = d.memory_size;
  const int32_t x_off = -static_cast<int32_t>(d.input_zero_point);  // [-127, 128]
  const dsp::ChannelQuant q1 = dsp::MakeChannelQuant(d.multiplier[0], d.shift[0]);
  const dsp::ChannelQuant q2 = dsp::MakeChannelQuant(d.multiplier[1], d.shift[1]);
  const int32_t out_zp = d.output_zero_point;
  for (int32_t b = 0; b < batch; ++b) {
    const int8_t* const x = input + b * input_size;
    int16_t* const s = state + b * num_filters * n_mem;
    const bool last_batch = b == batch - 1;
    // Step 2: activation of filter f into s[(f + 1) * n_mem] (the state buffer's very last
    // filter into `last`).
    int16_t last = 0;
    int16_t* const end = s + num_filters * n_mem;
    auto store = [&](int32_t f, int32_t acc) {
      int16_t* p = s + (f + 1) * n_mem;
      p = (last_batch && p == end) ? &last : p;
      *p = StateActivation(acc, q1);
    };
    int32_t f = 0;
    if (input_size <= kMaxPackedInput) {
      uint32_t xp[kMaxPackedInput / 2];
      PackInput(x, input_size, x_off, xp);
      const int32_t n4 = input_size & ~3;
      const fixed_multiply::Requantizer r1(d.multiplier[0], d.shift[0]);
      for (; f + 4 <= num_filters; f += 4) {
        const int8_t* const w0 = wf + f * input_size;
        int32_t a[4];
        FeatureQuad(xp, w0, input_size, a);
        for (int32_t k = n4; k < input_size; ++k) {
          const int32_t xk = x[k] + x_off;
          for (int32_t i = 0; i < 4; ++i) {
            a[i] = static_cast<int32_t>(static_cast<uint32_t>(a[i]) +
                                        static_cast<uint32_t>(w0[i * input_size + k] * xk));
          }
        }
        int16_t* p = s + (f + 1) * n_mem;
        *p = SsatS16(r1.Apply(a[0]));
        p += n_mem;
        *p = SsatS16(r1.Apply(a[1]));
        p += n_mem;
        *p = SsatS16(r1.Apply(a[2]));
        p += n_mem;
        p = (last_batch && p == end) ? &last : p;
        *p = SsatS16(r1.Apply(a[3]));
      }
      for (; f + 2 <= num_filters; f += 2) {
        const int8_t* const w0 = wf + f * input_size;
        int32_t a0, a1;
        FeaturePair(xp, w0, input_size, &a0, &a1);
        for (int32_t k = n4; k < input_size; ++k) {
          const int32_t xk = x[k] + x_off;
          a0 = static_cast<int32_t>(static_cast<uint32_t>(a0) + static_cast<uint32_t>(w0[k] * xk));
          a1 = static_cast<int32_t>(static_cast<uint32_t>(a1) +
                                    static_cast<uint32_t>(w0[input_size + k] * xk));
        }
        int16_t* p = s + (f + 1) * n_mem;
        *p = SsatS16(r1.Apply(a0));
        p += n_mem;
        p = (last_batch && p == end) ? &last : p;
        *p = SsatS16(r1.Apply(a1));
      }
    }
    for (; f + 4 <= num_filters; f += 4) {
      int32_t acc[4] = {0, 0, 0, 0};
      dsp::DotS8x4(x, wf + f * input_size, input_size, input_size, x_off, acc);
      store(f, acc[0]);
      store(f + 1, acc[1]);
      store(f + 2, acc[2]);
      store(f + 3, acc[3]);
    }
    for (; f < num_filters; ++f) {
      store(f, dsp::DotS8Offsets(x, wf + f * input_size, input_size, x_off, 0, 0));
    }
    // Steps 1, 3 and 4.
    int8_t* const out = output + b * num_units;
    const int32_t rows = last_batch ? num_filters - 1 : num_filters;
    if (rank == 1) {
      svdf_internal::TimeOutputsRank1Dsp(s, wt, bias, out, rows, n_mem, q2, out_zp);
      if (last_batch) {
        const int32_t bv = bias != nullptr ? bias[rows] : 0;
        const int32_t t = TimeRowLast(s + rows * n_mem, wt + rows * n_mem, n_mem, last);
        out[rows] = dsp::RequantizeS8FullRange(
            static_cast<int32_t>(static_cast<uint32_t>(bv) + static_cast<uint32_t>(t)), q2, out_zp);
      }
      continue;
    }
    uint32_t acc = 0;
    for (int32_t g = 0, r = 0, u = 0; g < num_filters; ++g) {
      if (r == 0) acc = bias != nullptr ? static_cast<uint32_t>(bias[u]) : 0u;
      int16_t* const row = s + g * n_mem;
      const int16_t* const w = wt + g * n_mem;
      const int32_t t = g < rows ? TimeRowNextDsp(row, w, n_mem) : TimeRowLast(row, w, n_mem, last);
      acc += static_cast<uint32_t>(t);
      if (++r == rank) {
        out[u++] = dsp::RequantizeS8FullRange(static_cast<int32_t>(acc), q2, out_zp);
        r = 0;
      }
    }
  }
}

namespace {

EmberStatus SvdfInvokeDsp(EmberContext* ctx, EmberNode* node) {
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  if (input->type != kEmberInt8) return RegisterSvdf().invoke(ctx, node);
  const auto& d = *static_cast<const SvdfOpData*>(node->user_data);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 3);
  SvdfEvalInt8Dsp(
      d, TensorData<int8_t>(input), TensorData<int8_t>(EvalInput(ctx, node, 1)),
      TensorData<int16_t>(EvalInput(ctx, node, 2)), bias ? TensorData<int32_t>(bias) : nullptr,
      TensorData<int16_t>(EvalInput(ctx, node, 4)), TensorData<int8_t>(EvalOutput(ctx, node, 0)));
  return kEmberOk;
}

}  // namespace

EmberRegistration RegisterSvdfDsp() {
  EmberRegistration r = RegisterSvdf();
  r.variant = "dsp";
  r.invoke = SvdfInvokeDsp;
  return r;
}

}  // namespace ember::kernels
