// DEPTHWISE_CONV_2D, DSP-extension variant: the 3x3 path without dilation (any stride,
// any depth multiplier, any activation range), bit-exact with
// DepthwiseConv2dEvalS8Reference. Called by DepthwiseConv2dEvalS8Dsp
// (depthwise_conv_dsp.cc) for every 3x3 shape without dilation.
#include "kernels/dsp/depthwise_3x3_dsp.h"

#include <stddef.h>
#include <string.h>

#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"

namespace ember::kernels {
namespace {

// ---- 3x3 without dilation, any stride and depth multiplier: planes and SMLAD ----
//
// Per band of output rows, tile of output columns and input channel, the input points the
// band's windows read are gathered into a zero-point-padded plane on the stack (rows
// kPlaneStride bytes apart, so the three rows of a window are immediate offsets from one
// pointer; the points outside the image hold the input zero point, so x + input_offset = 0
// there: exactly the reference's skipped taps). In a plane, horizontally adjacent taps of
// one channel are adjacent bytes: one 32-bit load of row bytes x0..x3 widened by SXTB16
// gives the halfword pairs (x0, x2) and (x1, x3), and with the row's weights packed as
// (w0, w2) and w1 (halfwords, DspTaps) one window row is SMLAD((x0, x2), (w0, w2)) +
// SMLABB((x1, x3), w1); at stride 1 the next window's row is SMLAD((x1, x3), (w0, w2)) +
// SMLATB((x0, x2), w1) from the same load (DspPlaneRows). The sum starts from
// bias + input_offset * sum(w) (mod 2^32, equal to the reference's int32 sum) and each
// output is requantized once while in a register: DoubledRequant (weights doubled, so the
// sums are 2 * acc: SMMLAR, ADD, ASR) for right shifts when |bias| keeps |acc| < 2^30, else
// the exact conv_internal::Requant.
// Stack: the plane, kPlaneRows * kPlaneStride + 4 bytes (644; frame < 1 KB). A load may
// read up to 3 bytes past a window's last tap (never used in a product), so the buffer is
// filled once per band and has 4 bytes of slack.
constexpr int32_t kPlaneStride = 64;
constexpr int32_t kPlaneRows = 10;
constexpr int32_t kPlaneSlack = 4;

#if defined(__GNUC__)
#define EMBER_DWDSP_NOINLINE __attribute__((noinline))
#else
#define EMBER_DWDSP_NOINLINE
#endif

// One output channel's packed taps: row fy's (w0, w2) in w02[fy]; (w1 of row 0, w1 of
// row 1) in w1_01, (w1 of row 2, 0) in w1_2; full = bias + input_offset * sum(w), mod 2^32.
// kDoubled: every weight and full multiplied by 2 (for DoubledRequant).
struct DspTaps {
  uint32_t w02[3];
  uint32_t w1_01, w1_2;
  int32_t full;
};

EMBER_DWDSP_NOINLINE DspTaps MakeDspTaps(const int8_t* f, int32_t out_c, int32_t bias,
                                         int32_t in_off, int32_t k) {
  // Nine loads back to back (they pipeline), no array.
  const int32_t w0 = f[0], w1 = f[out_c], w2 = f[2 * out_c];
  const int32_t w3 = f[3 * out_c], w4 = f[4 * out_c], w5 = f[5 * out_c];
  const int32_t w6 = f[6 * out_c], w7 = f[7 * out_c], w8 = f[8 * out_c];
  const uint32_t sum = static_cast<uint32_t>(w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8);
  DspTaps taps;
  taps.w02[0] = dsp::portable::Pack(k * w0, k * w2);
  taps.w02[1] = dsp::portable::Pack(k * w3, k * w5);
  taps.w02[2] = dsp::portable::Pack(k * w6, k * w8);
  taps.w1_01 = dsp::portable::Pack(k * w1, k * w4);
  taps.w1_2 = dsp::portable::Pack(k * w7, 0);
  const uint32_t full = static_cast<uint32_t>(bias) + static_cast<uint32_t>(in_off) * sum;
  taps.full = static_cast<int32_t>(full * static_cast<uint32_t>(k));
  return taps;
}

// Output zero point and activation clamp; kFullRange: [-128, 127] (one SSAT).
template <bool kFullRange>
struct DspClamp {
  int32_t offset, act_min, act_max;
  int8_t operator()(int32_t v) const {
    v += offset;
    if constexpr (kFullRange) {
      return static_cast<int8_t>(dsp::Ssat8(v));
    } else {
      v = v < act_min ? act_min : v;
      v = v > act_max ? act_max : v;
      return static_cast<int8_t>(v);
    }
  }
};

// Where one channel's outputs of a band go: rows x out_w outputs, output row oy reads plane
// rows oy * stride_h .. + 2 and is written to out + oy * out_row, outputs out_c apart.
struct DspPlaneJob {
  const int8_t* plane;
  int32_t rows, stride_h, stride_w, out_w;
  int8_t* out;
  int32_t out_row, out_c;
};

// kStride 1: two windows per load; 2 or 0 (any stride_w): one window per load.
template <int32_t kStride, bool kFullRange, typename Q>
EMBER_DWDSP_NOINLINE void DspPlaneRows(const DspPlaneJob& job, const DspTaps& t, const Q q,
                                       const DspClamp<kFullRange> clamp) {
  constexpr int32_t S = kPlaneStride;
  const uint32_t a0 = t.w02[0], a1 = t.w02[1], a2 = t.w02[2];
  const uint32_t b01 = t.w1_01, b2 = t.w1_2;
  const int32_t full = t.full;
  const int32_t out_c = job.out_c;
  const int32_t step = kStride == 0 ? job.stride_w : kStride;
  const int8_t* plane_row = job.plane;
  int8_t* out_row = job.out;
  for (int32_t oy = 0; oy < job.rows; ++oy, plane_row += job.stride_h * S, out_row += job.out_row) {
    const int8_t* r = plane_row;
    int8_t* o = out_row;
    int32_t n = job.out_w;
    if constexpr (kStride == 1) {
      for (; n >= 2; n -= 2, r += 2, o += 2 * out_c) {
        uint32_t x = dsp::Load4(r);
        uint32_t x02 = dsp::Sxtb16(x), x13 = dsp::Sxtb16Ror8(x);
        int32_t s0 = dsp::Smlabb(x13, b01, dsp::Smlad(x02, a0, full));
        int32_t s1 = dsp::Smlatb(x02, b01, dsp::Smlad(x13, a0, full));
        x = dsp::Load4(r + S);
        x02 = dsp::Sxtb16(x);
        x13 = dsp::Sxtb16Ror8(x);
        s0 = dsp::Smlabt(x13, b01, dsp::Smlad(x02, a1, s0));
        s1 = dsp::Smlatt(x02, b01, dsp::Smlad(x13, a1, s1));
        x = dsp::Load4(r + 2 * S);
        x02 = dsp::Sxtb16(x);
        x13 = dsp::Sxtb16Ror8(x);
        s0 = dsp::Smlabb(x13, b2, dsp::Smlad(x02, a2, s0));
        s1 = dsp::Smlatb(x02, b2, dsp::Smlad(x13, a2, s1));
        o[0] = clamp(q.Apply(s0));
        o[out_c] = clamp(q.Apply(s1));
      }
    }
    for (; n > 0; --n, r += step, o += out_c) {
      const uint32_t x0 = dsp::Load4(r);
      const uint32_t x1 = dsp::Load4(r + S);
      const uint32_t x2 = dsp::Load4(r + 2 * S);
      int32_t s = dsp::Smlabb(dsp::Sxtb16Ror8(x0), b01, dsp::Smlad(dsp::Sxtb16(x0), a0, full));
      s = dsp::Smlabt(dsp::Sxtb16Ror8(x1), b01, dsp::Smlad(dsp::Sxtb16(x1), a1, s));
      s = dsp::Smlabb(dsp::Sxtb16Ror8(x2), b2, dsp::Smlad(dsp::Sxtb16(x2), a2, s));
      *o = clamp(q.Apply(s));
    }
  }
}

// rows x n bytes of one channel, row y column x from src[y * row_step + x * step], to
// dst[y * kPlaneStride + x]: four byte loads issued back to back (they pipeline), combined
// into one word store.
EMBER_DWDSP_NOINLINE void GatherDspPlane(const int8_t* src, int32_t step, int32_t row_step,
                                         int32_t n, int32_t rows, int8_t* dst) {
  const int32_t step2 = 2 * step, step3 = 3 * step, step4 = 4 * step;
  for (int32_t y = 0; y < rows; ++y, src += row_step, dst += kPlaneStride) {
    if (step == 1) {
      memcpy(dst, src, static_cast<size_t>(n));
      continue;
    }
    const uint8_t* s = reinterpret_cast<const uint8_t*>(src);
    int8_t* d = dst;
    for (int8_t* const end4 = dst + (n & ~3); d != end4; d += 4, s += step4) {
      uint32_t v0 = s[0], v1 = s[step], v2 = s[step2], v3 = s[step3];
#if defined(__GNUC__)
      // All four loads before the combining instructions (consecutive loads pipeline).
      __asm("" : "+r"(v0), "+r"(v1), "+r"(v2), "+r"(v3));
#endif
      const uint32_t v = v0 | (v1 << 8) | (v2 << 16) | (v3 << 24);
      memcpy(d, &v, 4);
    }
    for (int8_t* const end = dst + n; d != end; ++d, s += step) *d = static_cast<int8_t>(*s);
  }
}

// Narrow images: G channels (2 or 4) are gathered in one pass into G sub-planes side by
// side in the plane rows (sub-plane k at column k * (kPlaneStride / G)), reading each
// pixel's G channel bytes with one load. Four pixels at a time are transposed in registers
// (byte k of pixel p -> byte p of sub-plane k's word) and stored as G words; the other
// pixels of a row one by one. src: first pixel's first channel; step: bytes between pixels
// (in_c); row_step: between rows; n pixels x rows.
template <int32_t G>
EMBER_DWDSP_NOINLINE void GatherDspPlanes(const int8_t* src, int32_t step, int32_t row_step,
                                          int32_t n, int32_t rows, int8_t* dst) {
  constexpr int32_t P = kPlaneStride / G;
  constexpr uint32_t kLo = 0x00FF00FFu;
  for (int32_t y = 0; y < rows; ++y, src += row_step, dst += kPlaneStride) {
    const int8_t* s = src;
    int8_t* d = dst;
    for (int8_t* const end4 = dst + (n & ~3); d != end4; d += 4, s += 4 * step) {
      uint32_t ch[4];
      if constexpr (G == 4) {
        uint32_t a = dsp::Load4(s), b = dsp::Load4(s + step);
        uint32_t c = dsp::Load4(s + 2 * step), e = dsp::Load4(s + 3 * step);
#if defined(__GNUC__)
        __asm("" : "+r"(a), "+r"(b), "+r"(c), "+r"(e));  // the four loads back to back
#endif
        const uint32_t t0 = (a & kLo) | ((b & kLo) << 8);   // a0 b0 a2 b2
        const uint32_t t1 = ((a >> 8) & kLo) | (b & ~kLo);  // a1 b1 a3 b3
        const uint32_t t2 = (c & kLo) | ((e & kLo) << 8);   // c0 e0 c2 e2
        const uint32_t t3 = ((c >> 8) & kLo) | (e & ~kLo);  // c1 e1 c3 e3
        ch[0] = (t0 & 0xFFFFu) | (t2 << 16);
        ch[1] = (t1 & 0xFFFFu) | (t3 << 16);
        ch[2] = (t2 & 0xFFFF0000u) | (t0 >> 16);
        ch[3] = (t3 & 0xFFFF0000u) | (t1 >> 16);
      } else {
        uint16_t h0, h1, h2, h3;
        memcpy(&h0, s, 2);
        memcpy(&h1, s + step, 2);
        memcpy(&h2, s + 2 * step, 2);
        memcpy(&h3, s + 3 * step, 2);
        const uint32_t t = h0 | (static_cast<uint32_t>(h2) << 16);  // a0 a1 c0 c1
        const uint32_t u = h1 | (static_cast<uint32_t>(h3) << 16);  // b0 b1 e0 e1
        ch[0] = (t & kLo) | ((u & kLo) << 8);
        ch[1] = ((t >> 8) & kLo) | (u & ~kLo);
      }
      for (int32_t k = 0; k < G; ++k) memcpy(d + k * P, &ch[k], 4);
    }
    for (int8_t* const end = dst + n; d != end; ++d, s += step) {
      for (int32_t k = 0; k < G; ++k) d[k * P] = s[k];
    }
  }
}

template <bool kFullRange, typename Q>
EMBER_DWDSP_NOINLINE void DspPlaneChannel(const DspPlaneJob& job, const DspTaps& taps, const Q q,
                                          const DspClamp<kFullRange> clamp) {
  if (job.stride_w == 1) {
    DspPlaneRows<1, kFullRange>(job, taps, q, clamp);
  } else if (job.stride_w == 2) {
    DspPlaneRows<2, kFullRange>(job, taps, q, clamp);
  } else {
    DspPlaneRows<0, kFullRange>(job, taps, q, clamp);
  }
}

// ---- Stride 1, full activation range, right shifts up to 22: two windows per step ----
//
// The hot loop of the stride-1 layers, written for the register file (Cortex-M4/M7: in
// assembly, DspPairsAsm below; elsewhere the same arithmetic in C++, DspPairsPortable,
// which the host tests run). Per pair of windows: three row loads, six SXTB16, twelve
// SMLAD/SMLAxy (as DspPlaneRows), then per output
//   v = Smmlar(s, m, c + (s >> 31)) >> r, out = Ssat8(v),  c = 2^(r-1) + out_offset * 2^r
// i.e. DoubledRequant with the output zero point folded into the rounding constant:
// floor((X + off * 2^r * 2^32) / 2^(32+r)) = floor(X / 2^(32+r)) + off, and for r <= 22
// |c + floor(X / 2^32)| < 2^21 + 2^29 + 2^30 < 2^31, so the 32-bit high word is exact.
// Layout of the job (offsets used by the assembly; checked by static_asserts).
struct DspPairsJob {
  const int8_t* plane;  // 0: first window of the first row
  int8_t* out;          // 4: its output
  int32_t pairs;        // 8: pairs per row (>= 1)
  int32_t out_c;        // 12: output channel stride
  uint32_t a0, a1, a2;  // 16, 20, 24: (w0, w2) of rows 0..2 (doubled)
  uint32_t b01, b2;     // 28, 32: (w1 row 0, w1 row 1), (w1 row 2, 0) (doubled)
  int32_t full;         // 36: 2 * (bias + input_offset * sum(w))
  int32_t c;            // 40: 2^(r-1) + output_offset * 2^r
  int32_t m;            // 44: multiplier
  int32_t r;            // 48: right shift
  int32_t plane_skip;   // 52: stride_h * kPlaneStride - 2 * pairs (next row's first window)
  int32_t plane_step;   // 56: stride_h * kPlaneStride
  int32_t out_skip;     // 60: out_row - 2 * pairs * out_c
  int32_t rows;         // 64: >= 1
};
#if EMBER_HAVE_DSP && defined(__GNUC__)
static_assert(offsetof(DspPairsJob, out) == 4 && offsetof(DspPairsJob, pairs) == 8 &&
                  offsetof(DspPairsJob, out_c) == 12 && offsetof(DspPairsJob, a0) == 16 &&
                  offsetof(DspPairsJob, b01) == 28 && offsetof(DspPairsJob, full) == 36 &&
                  offsetof(DspPairsJob, c) == 40 && offsetof(DspPairsJob, r) == 48 &&
                  offsetof(DspPairsJob, plane_skip) == 52 && offsetof(DspPairsJob, rows) == 64,
              "the assembly below uses these offsets");
#endif

// Whether a channel can take the pairs loop: right shift 1..22 (see above), multiplier
// >= 0 (DoubledRequant::Applies with the narrower shift range).
inline bool DspPairsApplies(int32_t m, int32_t shift) {
  return m >= 0 && shift <= -1 && shift >= -22;
}

[[maybe_unused]] EMBER_DWDSP_NOINLINE void DspPairsPortable(const DspPairsJob& j) {
  constexpr int32_t S = kPlaneStride;
  const int8_t* r = j.plane;
  int8_t* o = j.out;
  for (int32_t y = 0; y < j.rows; ++y, r += j.plane_skip, o += j.out_skip) {
    for (int32_t k = 0; k < j.pairs; ++k, r += 2, o += 2 * j.out_c) {
      uint32_t x = dsp::Load4(r);
      uint32_t x02 = dsp::Sxtb16(x), x13 = dsp::Sxtb16Ror8(x);
      int32_t s0 = dsp::Smlabb(x13, j.b01, dsp::Smlad(x02, j.a0, j.full));
      int32_t s1 = dsp::Smlatb(x02, j.b01, dsp::Smlad(x13, j.a0, j.full));
      x = dsp::Load4(r + S);
      x02 = dsp::Sxtb16(x);
      x13 = dsp::Sxtb16Ror8(x);
      s0 = dsp::Smlabt(x13, j.b01, dsp::Smlad(x02, j.a1, s0));
      s1 = dsp::Smlatt(x02, j.b01, dsp::Smlad(x13, j.a1, s1));
      x = dsp::Load4(r + 2 * S);
      x02 = dsp::Sxtb16(x);
      x13 = dsp::Sxtb16Ror8(x);
      s0 = dsp::Smlabb(x13, j.b2, dsp::Smlad(x02, j.a2, s0));
      s1 = dsp::Smlatb(x02, j.b2, dsp::Smlad(x13, j.a2, s1));
      o[0] = static_cast<int8_t>(dsp::Ssat8(dsp::Smmlar(s0, j.m, j.c + (s0 >> 31)) >> j.r));
      o[j.out_c] = static_cast<int8_t>(dsp::Ssat8(dsp::Smmlar(s1, j.m, j.c + (s1 >> 31)) >> j.r));
    }
  }
}

// One window per step, kStep plane bytes apart: `pairs` is the number of windows per row.
template <int32_t kStep>
[[maybe_unused]] EMBER_DWDSP_NOINLINE void DspSinglesPortable(const DspPairsJob& j) {
  constexpr int32_t S = kPlaneStride;
  const int8_t* r = j.plane;
  int8_t* o = j.out;
  for (int32_t y = 0; y < j.rows; ++y, r += j.plane_skip, o += j.out_skip) {
    for (int32_t k = 0; k < j.pairs; ++k, r += kStep, o += j.out_c) {
      const uint32_t x0 = dsp::Load4(r), x1 = dsp::Load4(r + S), x2 = dsp::Load4(r + 2 * S);
      int32_t s =
          dsp::Smlabb(dsp::Sxtb16Ror8(x0), j.b01, dsp::Smlad(dsp::Sxtb16(x0), j.a0, j.full));
      s = dsp::Smlabt(dsp::Sxtb16Ror8(x1), j.b01, dsp::Smlad(dsp::Sxtb16(x1), j.a1, s));
      s = dsp::Smlabb(dsp::Sxtb16Ror8(x2), j.b2, dsp::Smlad(dsp::Sxtb16(x2), j.a2, s));
      *o = static_cast<int8_t>(dsp::Ssat8(dsp::Smmlar(s, j.m, j.c + (s >> 31)) >> j.r));
    }
  }
}

}  // namespace
}  // namespace ember::kernels

// clang-format off
#if EMBER_HAVE_DSP && defined(__GNUC__)
// DspPairsPortable in Thumb-2 (r0 = job). Registers: r1 plane pointer, r2 output pointer,
// r3 end of the row's windows, r4-r8 weights, r9 full, r10 out_c; r0, r11, r12, lr
// temporaries (x02 / x13, the two sums); c, m, r, the row skips and the row counter live
// in a 28-byte frame. Per pair: 3 + 4 loads, 29 ALU/MAC instructions, 2 stores.
extern "C" void ember_kernels_dw3x3_pairs_dsp(const void* job);
__asm__(
    "  .pushsection .text.ember_kernels_dw3x3_pairs_dsp,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .align 2\n"
    "  .global ember_kernels_dw3x3_pairs_dsp\n"
    "  .thumb_func\n"
    "  .type ember_kernels_dw3x3_pairs_dsp, %function\n"
    "ember_kernels_dw3x3_pairs_dsp:\n"
    "  push {r4-r11, lr}\n"
    "  sub sp, sp, #28\n"
    "  ldr r1, [r0, #40]\n"   // c
    "  ldr r2, [r0, #44]\n"   // m
    "  ldr r3, [r0, #48]\n"   // r
    "  str r1, [sp, #0]\n"
    "  str r2, [sp, #4]\n"
    "  str r3, [sp, #8]\n"
    "  ldr r1, [r0, #52]\n"   // plane_skip
    "  ldr r2, [r0, #56]\n"   // plane_step
    "  ldr r3, [r0, #60]\n"   // out_skip
    "  str r1, [sp, #12]\n"
    "  str r2, [sp, #16]\n"
    "  str r3, [sp, #20]\n"
    "  ldr r1, [r0, #64]\n"   // rows
    "  str r1, [sp, #24]\n"
    "  ldr r4, [r0, #16]\n"
    "  ldr r5, [r0, #20]\n"
    "  ldr r6, [r0, #24]\n"
    "  ldr r7, [r0, #28]\n"
    "  ldr r8, [r0, #32]\n"
    "  ldr r9, [r0, #36]\n"
    "  ldr r10, [r0, #12]\n"
    "  ldr r1, [r0, #0]\n"
    "  ldr r2, [r0, #4]\n"
    "  ldr r3, [r0, #8]\n"
    "  add r3, r1, r3, lsl #1\n"
    "1:\n"
    "  ldr r0, [r1]\n"
    "  sxtb16 r12, r0, ror #8\n"
    "  sxtb16 r0, r0\n"
    "  smlad lr, r0, r4, r9\n"
    "  smlabb lr, r12, r7, lr\n"
    "  smlad r11, r12, r4, r9\n"
    "  smlatb r11, r0, r7, r11\n"
    "  ldr r0, [r1, #64]\n"
    "  sxtb16 r12, r0, ror #8\n"
    "  sxtb16 r0, r0\n"
    "  smlad lr, r0, r5, lr\n"
    "  smlabt lr, r12, r7, lr\n"
    "  smlad r11, r12, r5, r11\n"
    "  smlatt r11, r0, r7, r11\n"
    "  ldr r0, [r1, #128]\n"
    "  sxtb16 r12, r0, ror #8\n"
    "  sxtb16 r0, r0\n"
    "  smlad lr, r0, r6, lr\n"
    "  smlabb lr, r12, r8, lr\n"
    "  smlad r11, r12, r6, r11\n"
    "  smlatb r11, r0, r8, r11\n"
    "  ldr r0, [sp, #0]\n"
    "  ldr r12, [sp, #4]\n"
    "  add r0, r0, lr, asr #31\n"
    "  smmlar lr, lr, r12, r0\n"
    "  ldr r0, [sp, #0]\n"
    "  add r0, r0, r11, asr #31\n"
    "  smmlar r11, r11, r12, r0\n"
    "  ldr r12, [sp, #8]\n"
    "  asr lr, lr, r12\n"
    "  asr r11, r11, r12\n"
    "  ssat lr, #8, lr\n"
    "  ssat r11, #8, r11\n"
    "  strb lr, [r2]\n"
    "  strb r11, [r2, r10]\n"
    "  add r2, r2, r10, lsl #1\n"
    "  adds r1, r1, #2\n"
    "  cmp r1, r3\n"
    "  bne 1b\n"
    "  ldr r0, [sp, #12]\n"
    "  ldr r12, [sp, #16]\n"
    "  ldr lr, [sp, #20]\n"
    "  add r1, r3, r0\n"
    "  add r3, r3, r12\n"
    "  add r2, r2, lr\n"
    "  ldr r0, [sp, #24]\n"
    "  subs r0, r0, #1\n"
    "  str r0, [sp, #24]\n"
    "  bne 1b\n"
    "  add sp, sp, #28\n"
    "  pop {r4-r11, pc}\n"
    "  .size ember_kernels_dw3x3_pairs_dsp, .-ember_kernels_dw3x3_pairs_dsp\n"
    "  .popsection\n");

// One window per step (DspSinglesPortable), STEP plane bytes apart (stride 2; stride 1 for
// rows of one to three outputs and the last column of odd widths), the same job layout with
// `pairs` the windows per row and plane_skip = plane_step - STEP * windows. Registers as
// above; the three row loads are issued back to back. Per window: 3 + 3 loads, 16 ALU/MAC
// instructions, 1 store.
#define EMBER_DW3X3_SINGLES_ASM(NAME, STEP, SHIFT) \
__asm__( \
    "  .pushsection .text." #NAME ",\"ax\",%progbits\n" \
    "  .syntax unified\n" \
    "  .thumb\n" \
    "  .align 2\n" \
    "  .global " #NAME "\n" \
    "  .thumb_func\n" \
    "  .type " #NAME ", %function\n" \
    #NAME ":\n" \
    "  push {r4-r11, lr}\n" \
    "  sub sp, sp, #28\n" \
    "  ldr r1, [r0, #40]\n" \
    "  ldr r2, [r0, #44]\n" \
    "  ldr r3, [r0, #48]\n" \
    "  str r1, [sp, #0]\n" \
    "  str r2, [sp, #4]\n" \
    "  str r3, [sp, #8]\n" \
    "  ldr r1, [r0, #52]\n" \
    "  ldr r2, [r0, #56]\n" \
    "  ldr r3, [r0, #60]\n" \
    "  str r1, [sp, #12]\n" \
    "  str r2, [sp, #16]\n" \
    "  str r3, [sp, #20]\n" \
    "  ldr r1, [r0, #64]\n" \
    "  str r1, [sp, #24]\n" \
    "  ldr r4, [r0, #16]\n" \
    "  ldr r5, [r0, #20]\n" \
    "  ldr r6, [r0, #24]\n" \
    "  ldr r7, [r0, #28]\n" \
    "  ldr r8, [r0, #32]\n" \
    "  ldr r9, [r0, #36]\n" \
    "  ldr r10, [r0, #12]\n" \
    "  ldr r1, [r0, #0]\n" \
    "  ldr r2, [r0, #4]\n" \
    "  ldr r3, [r0, #8]\n" \
    "  add r3, r1, r3, lsl #" #SHIFT "\n" \
    "1:\n" \
    "  ldr r0, [r1]\n" \
    "  ldr r11, [r1, #64]\n" \
    "  ldr r12, [r1, #128]\n" \
    "  sxtb16 lr, r0, ror #8\n" \
    "  sxtb16 r0, r0\n" \
    "  smlad r0, r0, r4, r9\n" \
    "  smlabb r0, lr, r7, r0\n" \
    "  sxtb16 lr, r11, ror #8\n" \
    "  sxtb16 r11, r11\n" \
    "  smlad r0, r11, r5, r0\n" \
    "  smlabt r0, lr, r7, r0\n" \
    "  sxtb16 lr, r12, ror #8\n" \
    "  sxtb16 r12, r12\n" \
    "  smlad r0, r12, r6, r0\n" \
    "  smlabb r0, lr, r8, r0\n" \
    "  ldr r11, [sp, #0]\n" \
    "  ldr r12, [sp, #4]\n" \
    "  ldr lr, [sp, #8]\n" \
    "  add r11, r11, r0, asr #31\n" \
    "  smmlar r0, r0, r12, r11\n" \
    "  asr r0, r0, lr\n" \
    "  ssat r0, #8, r0\n" \
    "  strb r0, [r2]\n" \
    "  add r2, r2, r10\n" \
    "  adds r1, r1, #" #STEP "\n" \
    "  cmp r1, r3\n" \
    "  bne 1b\n" \
    "  ldr r0, [sp, #12]\n" \
    "  ldr r12, [sp, #16]\n" \
    "  ldr lr, [sp, #20]\n" \
    "  add r1, r3, r0\n" \
    "  add r3, r3, r12\n" \
    "  add r2, r2, lr\n" \
    "  ldr r0, [sp, #24]\n" \
    "  subs r0, r0, #1\n" \
    "  str r0, [sp, #24]\n" \
    "  bne 1b\n" \
    "  add sp, sp, #28\n" \
    "  pop {r4-r11, pc}\n" \
    "  .size " #NAME ", .-" #NAME "\n" \
    "  .popsection\n");
extern "C" void ember_kernels_dw3x3_s2_dsp(const void* job);
extern "C" void ember_kernels_dw3x3_s1_dsp(const void* job);
EMBER_DW3X3_SINGLES_ASM(ember_kernels_dw3x3_s2_dsp, 2, 1)
EMBER_DW3X3_SINGLES_ASM(ember_kernels_dw3x3_s1_dsp, 1, 0)
#endif
// clang-format on

namespace ember::kernels {
namespace {

inline void DspPairs(const DspPairsJob& j) {
#if EMBER_HAVE_DSP && defined(__GNUC__)
  ember_kernels_dw3x3_pairs_dsp(&j);
#else
  DspPairsPortable(j);
#endif
}
template <int32_t kStep>
inline void DspSingles(const DspPairsJob& j) {
#if EMBER_HAVE_DSP && defined(__GNUC__)
  if constexpr (kStep == 2) {
    ember_kernels_dw3x3_s2_dsp(&j);
  } else {
    ember_kernels_dw3x3_s1_dsp(&j);
  }
#else
  DspSinglesPortable<kStep>(j);
#endif
}

// One channel's band with the full activation range: at stride 1 the pairs loop over the
// even part of each row and the single-window loop over the last column of odd widths (or
// over whole rows of at most three outputs); at stride 2 the single-window loop.
EMBER_DWDSP_NOINLINE void DspPlaneChannelFast(const DspPlaneJob& job, const DspTaps& taps,
                                              int32_t mult, int32_t shift, int32_t out_offset) {
  DspPairsJob j;
  j.out_c = job.out_c;
  j.a0 = taps.w02[0];
  j.a1 = taps.w02[1];
  j.a2 = taps.w02[2];
  j.b01 = taps.w1_01;
  j.b2 = taps.w1_2;
  j.full = taps.full;
  j.r = -shift;
  j.c =
      static_cast<int32_t>((uint32_t{1} << (j.r - 1)) + (static_cast<uint32_t>(out_offset) << j.r));
  j.m = mult;
  j.plane_step = job.stride_h * kPlaneStride;
  j.rows = job.rows;
  const int32_t out_w = job.out_w;
  // Windows [0, done) by the pairs loop, the rest one by one.
  int32_t done = 0;
  if (job.stride_w == 1 && out_w >= 4) {
    j.plane = job.plane;
    j.out = job.out;
    j.pairs = out_w / 2;
    j.plane_skip = j.plane_step - 2 * j.pairs;
    j.out_skip = job.out_row - 2 * j.pairs * job.out_c;
    DspPairs(j);
    done = 2 * j.pairs;
  }
  if (done == out_w) return;
  j.plane = job.plane + done * job.stride_w;
  j.out = job.out + done * job.out_c;
  j.pairs = out_w - done;
  j.plane_skip = j.plane_step - job.stride_w * j.pairs;
  j.out_skip = job.out_row - j.pairs * job.out_c;
  if (job.stride_w == 2) {
    DspSingles<2>(j);
  } else {
    DspSingles<1>(j);
  }
}

template <bool kFullRange>
void Depthwise3x3PlaneDsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                          const int32_t* bias, int8_t* output) {
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const int32_t stride_h = d.stride_h, stride_w = d.stride_w;
  // Output columns per tile: their windows read (tile - 1) * stride_w + 3 plane columns.
  const int32_t tile_cap = (kPlaneStride - 3) / stride_w + 1;
  const int32_t tile = out_w < tile_cap ? out_w : tile_cap;
  // Output rows per band: their windows read (band - 1) * stride_h + 3 plane rows.
  const int32_t band = (kPlaneRows - 3) / stride_h + 1;
  const int32_t in_h = d.in_h, in_w = d.in_w, in_c = d.in_c, out_c = d.out_c;
  const int32_t pad_h = d.padding.height, pad_w = d.padding.width;
  const int32_t dm = d.depth_multiplier;
  const int32_t in_off = d.input_offset;
  const DspClamp<kFullRange> clamp{d.output_offset, d.act_min, d.act_max};
  const int32_t out_row = out_w * out_c;
  // |acc| <= |bias| + 9 * 128 * 255 < 2^30 for |bias| below this: DoubledRequant applies.
  constexpr int32_t kDoubledBiasLimit = (1 << 30) - (1 << 19);
  const int8_t pad = static_cast<int8_t>(-in_off);  // the input zero point
  alignas(4) int8_t plane[kPlaneRows * kPlaneStride + kPlaneSlack];
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* const in_b = input + b * in_h * in_w * in_c;
    int8_t* const out_b = output + b * out_h * out_row;
    for (int32_t oy0 = 0; oy0 < out_h; oy0 += band) {
      const int32_t oy1 = oy0 + band < out_h ? oy0 + band : out_h;
      const int32_t rows = (oy1 - 1 - oy0) * stride_h + 3;
      for (int32_t ox0 = 0; ox0 < out_w; ox0 += tile) {
        const int32_t ox1 = ox0 + tile < out_w ? ox0 + tile : out_w;
        const int32_t plane_w = (ox1 - 1 - ox0) * stride_w + 3;
        // Plane row py is input row iy0 + py, plane column px input column ix0 + px; the
        // whole buffer holds the zero point, then each channel copies its points inside
        // the image, rows [py_lo, py_hi) x columns [px_lo, px_hi).
        const int32_t iy0 = oy0 * stride_h - pad_h;
        const int32_t ix0 = ox0 * stride_w - pad_w;
        int32_t py_lo = iy0 < 0 ? -iy0 : 0;
        if (py_lo > rows) py_lo = rows;
        int32_t py_hi = in_h - iy0 < rows ? in_h - iy0 : rows;
        if (py_hi < py_lo) py_hi = py_lo;
        const int32_t px_lo = ix0 >= 0 ? 0 : (-ix0 < plane_w ? -ix0 : plane_w);
        int32_t px_hi = in_w - ix0 < plane_w ? in_w - ix0 : plane_w;
        if (px_hi < px_lo) px_hi = px_lo;
        memset(plane, pad, sizeof(plane));
        DspPlaneJob job0{plane,    oy1 - oy0, stride_h,
                         stride_w, ox1 - ox0, out_b + oy0 * out_row + ox0 * out_c,
                         out_row,  out_c};
        for (int32_t ic0 = 0; ic0 < in_c;) {
          // Channels gathered together: as many sub-planes as fit a plane row.
          const int32_t left = in_c - ic0;
          int32_t group = plane_w <= kPlaneStride / 4 && left >= 4   ? 4
                          : plane_w <= kPlaneStride / 2 && left >= 2 ? 2
                                                                     : 1;
          const int8_t* const src = in_b + ((iy0 + py_lo) * in_w + (ix0 + px_lo)) * in_c + ic0;
          int8_t* const dst = plane + py_lo * kPlaneStride + px_lo;
          if (group == 4) {
            GatherDspPlanes<4>(src, in_c, in_w * in_c, px_hi - px_lo, py_hi - py_lo, dst);
          } else if (group == 2) {
            GatherDspPlanes<2>(src, in_c, in_w * in_c, px_hi - px_lo, py_hi - py_lo, dst);
          } else {
            GatherDspPlane(src, in_c, in_w * in_c, px_hi - px_lo, py_hi - py_lo, dst);
          }
          for (int32_t k = 0; k < group; ++k) {
            const int32_t ic = ic0 + k;
            job0.plane = plane + k * (kPlaneStride / group);
            for (int32_t m = 0; m < dm; ++m) {
              const int32_t oc = ic * dm + m;
              const int32_t bias_c = bias != nullptr ? bias[oc] : 0;
              const int32_t mult = d.multipliers[oc], shift = d.shifts[oc];
              DspPlaneJob job = job0;
              job.out += oc;
              if (dsp::DoubledRequant::Applies(mult, shift) && bias_c < kDoubledBiasLimit &&
                  bias_c > -kDoubledBiasLimit) {
                const DspTaps taps = MakeDspTaps(filter + oc, out_c, bias_c, in_off, 2);
                if (kFullRange && DspPairsApplies(mult, shift) && stride_w <= 2) {
                  DspPlaneChannelFast(job, taps, mult, shift, clamp.offset);
                } else {
                  DspPlaneChannel(job, taps, dsp::DoubledRequant(mult, shift), clamp);
                }
              } else {
                DspPlaneChannel(job, MakeDspTaps(filter + oc, out_c, bias_c, in_off, 1),
                                conv_internal::Requant(mult, shift), clamp);
              }
            }
          }
          ic0 += group;
        }
      }
    }
  }
}

}  // namespace

void Depthwise3x3S8Dsp(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output) {
  if (d.act_min == -128 && d.act_max == 127) {
    Depthwise3x3PlaneDsp<true>(d, input, filter, bias, output);
  } else {
    Depthwise3x3PlaneDsp<false>(d, input, filter, bias, output);
  }
}

}  // namespace ember::kernels
