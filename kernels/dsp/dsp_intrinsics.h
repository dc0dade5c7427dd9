// The Armv7E-M DSP instructions the ...Dsp kernels use, each with a portable C++ version
// (namespace dsp::portable, always compiled, used on hosts and cores without DSP and by
// the parity tests) and the hardware version (ACLE builtins) selected once below.
//
// Packed operands: a uint32_t holds two signed halfwords, lo = bits 0-15, hi = 16-31,
// or four signed bytes b0 (bits 0-7) .. b3.
//   Sxtb16(x)      -> (sext b0, sext b2)              SXTB16
//   Sxtab16(a, x)  -> (a.lo + sext b0, a.hi + sext b2) SXTAB16 (each half mod 2^16)
//   Ror8(x)        -> x rotated right by 8 (so Sxtb16Ror8(x) = (sext b1, sext b3))
//   Smlad(a, b, c) -> c + a.lo * b.lo + a.hi * b.hi   SMLAD (mod 2^32)
//   Smlabb(a,b,c)  -> c + a.lo * b.lo                 SMLABB (mod 2^32)
//   Smlatt(a,b,c)  -> c + a.hi * b.hi                 SMLATT (mod 2^32)
//   Smlatb(a,b,c)  -> c + a.hi * b.lo                 SMLATB (mod 2^32)
//   Smlabt(a,b,c)  -> c + a.lo * b.hi                 SMLABT (mod 2^32)
//   Smmlar(a,b,c)  -> bits 63..32 of c * 2^32 + a * b + 2^31 (mod 2^64)   SMMLAR
//   Ssat8(v)       -> v saturated to [-128, 127]       SSAT #8
// The accumulations wrap modulo 2^32 like the reference kernels' int32 sums (the Q flag
// the hardware sets on overflow is not used), which keeps the variants bit-exact.
#ifndef EMBER_KERNELS_DSP_DSP_INTRINSICS_H_
#define EMBER_KERNELS_DSP_DSP_INTRINSICS_H_

#include <stdint.h>
#include <string.h>

#include "kernels/internal/isa.h"

#if EMBER_HAVE_DSP
#include <arm_acle.h>
#endif

namespace ember::kernels::dsp {

namespace portable {

inline int32_t Lo(uint32_t x) { return static_cast<int16_t>(x & 0xFFFFu); }
inline int32_t Hi(uint32_t x) { return static_cast<int16_t>(x >> 16); }
inline uint32_t Pack(int32_t lo, int32_t hi) {
  return (static_cast<uint32_t>(lo) & 0xFFFFu) | (static_cast<uint32_t>(hi) << 16);
}
inline uint32_t Sxtb16(uint32_t x) {
  return Pack(static_cast<int8_t>(x & 0xFFu), static_cast<int8_t>((x >> 16) & 0xFFu));
}
inline uint32_t Sxtab16(uint32_t a, uint32_t x) {
  return Pack(Lo(a) + static_cast<int8_t>(x & 0xFFu),
              Hi(a) + static_cast<int8_t>((x >> 16) & 0xFFu));
}
inline uint32_t Ror8(uint32_t x) { return (x >> 8) | (x << 24); }
inline int32_t Smlad(uint32_t a, uint32_t b, int32_t c) {
  const uint32_t sum = static_cast<uint32_t>(c) + static_cast<uint32_t>(Lo(a) * Lo(b)) +
                       static_cast<uint32_t>(Hi(a) * Hi(b));
  return static_cast<int32_t>(sum);
}
inline int32_t Smlabb(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(static_cast<uint32_t>(c) + static_cast<uint32_t>(Lo(a) * Lo(b)));
}
inline int32_t Smlatt(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(static_cast<uint32_t>(c) + static_cast<uint32_t>(Hi(a) * Hi(b)));
}

inline int32_t Smlatb(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(static_cast<uint32_t>(c) + static_cast<uint32_t>(Hi(a) * Lo(b)));
}
inline int32_t Smlabt(uint32_t a, uint32_t b, int32_t c) {
  return static_cast<int32_t>(static_cast<uint32_t>(c) + static_cast<uint32_t>(Lo(a) * Hi(b)));
}
inline int32_t Smmlar(int32_t a, int32_t b, int32_t c) {
  const uint64_t sum = (static_cast<uint64_t>(static_cast<uint32_t>(c)) << 32) +
                       static_cast<uint64_t>(static_cast<int64_t>(a) * b) + (uint64_t{1} << 31);
  return static_cast<int32_t>(static_cast<uint32_t>(sum >> 32));
}
inline int32_t Ssat8(int32_t v) { return v < -128 ? -128 : (v > 127 ? 127 : v); }

}  // namespace portable

#if EMBER_HAVE_DSP
inline uint32_t Sxtb16(uint32_t x) {
  return static_cast<uint32_t>(__sxtb16(static_cast<int32_t>(x)));
}
inline uint32_t Sxtab16(uint32_t a, uint32_t x) {
  return static_cast<uint32_t>(__sxtab16(static_cast<int32_t>(a), static_cast<int32_t>(x)));
}
inline uint32_t Ror8(uint32_t x) { return (x >> 8) | (x << 24); }
inline int32_t Smlad(uint32_t a, uint32_t b, int32_t c) {
  return __smlad(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smlabb(uint32_t a, uint32_t b, int32_t c) {
  return __smlabb(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smlatt(uint32_t a, uint32_t b, int32_t c) {
  return __smlatt(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smlatb(uint32_t a, uint32_t b, int32_t c) {
  return __smlatb(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smlabt(uint32_t a, uint32_t b, int32_t c) {
  return __smlabt(static_cast<int32_t>(a), static_cast<int32_t>(b), c);
}
inline int32_t Smmlar(int32_t a, int32_t b, int32_t c) {
  int32_t r;
  __asm("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
}
inline int32_t Ssat8(int32_t v) { return __ssat(v, 8); }
// SXTB16 / SXTAB16 with the operand rotated right by 8 (one instruction; the compiler does
// not fold a separate rotate into the ACLE builtins).
inline uint32_t Sxtb16Ror8(uint32_t x) {
  uint32_t r;
  __asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
inline uint32_t Sxtab16Ror8(uint32_t a, uint32_t x) {
  uint32_t r;
  __asm("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
#else
inline uint32_t Sxtb16Ror8(uint32_t x) { return portable::Sxtb16(portable::Ror8(x)); }
inline uint32_t Sxtab16Ror8(uint32_t a, uint32_t x) {
  return portable::Sxtab16(a, portable::Ror8(x));
}
using portable::Ror8;
using portable::Smlabb;
using portable::Smlad;
using portable::Smlabt;
using portable::Smlatb;
using portable::Smlatt;
using portable::Smmlar;
using portable::Ssat8;
using portable::Sxtab16;
using portable::Sxtb16;
#endif

// Four bytes from any address (unaligned loads are fine on Armv7-M; memcpy becomes LDR).
inline uint32_t Load4(const int8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
// A halfword pair (v, v).
inline uint32_t Dup16(int32_t v) { return portable::Pack(v, v); }

// sum_{k < n} (w[k] + w_off) * (x[k] + x_off) in int32 (mod 2^32), four bytes per step:
// both operands are widened with the offset folded in (SXTAB16), then two SMLADs.
// x_off, w_off in [-128, 128] so every widened value fits a halfword ([-256, 255]).
inline int32_t DotS8Offsets(const int8_t* x, const int8_t* w, int32_t n, int32_t x_off,
                            int32_t w_off, int32_t acc) {
  const uint32_t xo = Dup16(x_off);
  const uint32_t wo = Dup16(w_off);
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const uint32_t xv = Load4(x + k);
    const uint32_t wv = Load4(w + k);
    acc = Smlad(Sxtab16(xo, xv), Sxtab16(wo, wv), acc);
    acc = Smlad(Sxtab16Ror8(xo, xv), Sxtab16Ror8(wo, wv), acc);
  }
  for (; k < n; ++k) {
    acc = static_cast<int32_t>(static_cast<uint32_t>(acc) +
                               static_cast<uint32_t>((w[k] + w_off) * (x[k] + x_off)));
  }
  return acc;
}

// Two dot products sharing x: acc0 += sum (x[k] + x_off) * w0[k], acc1 likewise with w1
// (filter offset 0, as per-channel conv filters). The input is widened once per 4 bytes.
inline void DotS8x2(const int8_t* x, const int8_t* w0, const int8_t* w1, int32_t n, int32_t x_off,
                    int32_t* acc0, int32_t* acc1) {
  const uint32_t xo = Dup16(x_off);
  int32_t a0 = *acc0;
  int32_t a1 = *acc1;
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const uint32_t xv = Load4(x + k);
    const uint32_t x02 = Sxtab16(xo, xv);
    const uint32_t x13 = Sxtab16Ror8(xo, xv);
    const uint32_t v0 = Load4(w0 + k);
    a0 = Smlad(x02, Sxtb16(v0), a0);
    a0 = Smlad(x13, Sxtb16Ror8(v0), a0);
    const uint32_t v1 = Load4(w1 + k);
    a1 = Smlad(x02, Sxtb16(v1), a1);
    a1 = Smlad(x13, Sxtb16Ror8(v1), a1);
  }
  for (; k < n; ++k) {
    const int32_t xk = x[k] + x_off;
    a0 = static_cast<int32_t>(static_cast<uint32_t>(a0) + static_cast<uint32_t>(w0[k] * xk));
    a1 = static_cast<int32_t>(static_cast<uint32_t>(a1) + static_cast<uint32_t>(w1[k] * xk));
  }
  *acc0 = a0;
  *acc1 = a1;
}

// Four dot products sharing x (filter rows w, w + stride, w + 2 stride, w + 3 stride),
// acc[i] += sum (x[k] + x_off) * w_i[k]; filter offset 0.
inline void DotS8x4(const int8_t* x, const int8_t* w, int32_t stride, int32_t n, int32_t x_off,
                    int32_t* acc) {
  const uint32_t xo = Dup16(x_off);
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int8_t* w1 = w + stride;
  const int8_t* w2 = w1 + stride;
  const int8_t* w3 = w2 + stride;
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const uint32_t xv = Load4(x + k);
    const uint32_t x02 = Sxtab16(xo, xv);
    const uint32_t x13 = Sxtab16Ror8(xo, xv);
    uint32_t v = Load4(w + k);
    a0 = Smlad(x13, Sxtb16Ror8(v), Smlad(x02, Sxtb16(v), a0));
    v = Load4(w1 + k);
    a1 = Smlad(x13, Sxtb16Ror8(v), Smlad(x02, Sxtb16(v), a1));
    v = Load4(w2 + k);
    a2 = Smlad(x13, Sxtb16Ror8(v), Smlad(x02, Sxtb16(v), a2));
    v = Load4(w3 + k);
    a3 = Smlad(x13, Sxtb16Ror8(v), Smlad(x02, Sxtb16(v), a3));
  }
  for (; k < n; ++k) {
    const int32_t xk = x[k] + x_off;
    a0 = static_cast<int32_t>(static_cast<uint32_t>(a0) + static_cast<uint32_t>(w[k] * xk));
    a1 = static_cast<int32_t>(static_cast<uint32_t>(a1) + static_cast<uint32_t>(w1[k] * xk));
    a2 = static_cast<int32_t>(static_cast<uint32_t>(a2) + static_cast<uint32_t>(w2[k] * xk));
    a3 = static_cast<int32_t>(static_cast<uint32_t>(a3) + static_cast<uint32_t>(w3[k] * xk));
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

// sum_{k < n} w[k] in int32: the filter sum that carries the input offset
// (sum (x + off) * w = sum x * w + off * sum w).
inline int32_t SumS8(const int8_t* w, int32_t n) {
  const uint32_t ones = Dup16(1);
  int32_t acc = 0;
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const uint32_t v = Load4(w + k);
    acc = Smlad(Sxtb16(v), ones, acc);
    acc = Smlad(Sxtb16Ror8(v), ones, acc);
  }
  for (; k < n; ++k) acc += w[k];
  return acc;
}

// Two pixels x two output channels of a 1x1 convolution, no offsets (the input offset is
// carried by the filter sums): the pixels are rows x and x + n of the input, the channels
// rows w and w + n of the filter (n = input channels);
//   acc[0] += x.w, acc[1] += x.(w + n), acc[2] += (x + n).w, acc[3] += (x + n).(w + n)
// (mod 2^32). Per four input channels: four 32-bit loads, eight SXTB16, eight SMLAD
// (16 MACs); each widened word is used twice. The order keeps at most six widened words
// live so that the loop fits the registers.
inline void DotS8x2x2(const int8_t* x, const int8_t* w, int32_t n, int32_t* acc) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  const int8_t* const x_end = x + (n & ~3);
#if EMBER_HAVE_DSP
  // The same loop in assembly: the compiler's schedule needs one register more than the
  // core has and spills inside the loop. Here: x, w, n, x_end, four sums and six temps.
  if (x != x_end) {
    uint32_t t0, t1, t2, t3, t4, t5;
    __asm volatile(
        "1:\n\t"
        "ldr    %[t2], [%[w]]\n\t"
        "ldr    %[t4], [%[w], %[n]]\n\t"
        "ldr    %[t0], [%[x]]\n\t"
        "sxtb16 %[t3], %[t2], ror #8\n\t"
        "sxtb16 %[t2], %[t2]\n\t"
        "sxtb16 %[t5], %[t4], ror #8\n\t"
        "sxtb16 %[t4], %[t4]\n\t"
        "sxtb16 %[t1], %[t0], ror #8\n\t"
        "sxtb16 %[t0], %[t0]\n\t"
        "smlad  %[a00], %[t0], %[t2], %[a00]\n\t"
        "smlad  %[a01], %[t0], %[t4], %[a01]\n\t"
        "ldr    %[t0], [%[x], %[n]]\n\t"
        "smlad  %[a00], %[t1], %[t3], %[a00]\n\t"
        "smlad  %[a01], %[t1], %[t5], %[a01]\n\t"
        "sxtb16 %[t1], %[t0], ror #8\n\t"
        "sxtb16 %[t0], %[t0]\n\t"
        "smlad  %[a10], %[t0], %[t2], %[a10]\n\t"
        "smlad  %[a11], %[t0], %[t4], %[a11]\n\t"
        "smlad  %[a10], %[t1], %[t3], %[a10]\n\t"
        "smlad  %[a11], %[t1], %[t5], %[a11]\n\t"
        "adds   %[x], %[x], #4\n\t"
        "adds   %[w], %[w], #4\n\t"
        "cmp    %[x], %[x_end]\n\t"
        "bne    1b\n\t"
        : [x] "+&r"(x), [w] "+&r"(w), [a00] "+&r"(a00), [a01] "+&r"(a01), [a10] "+&r"(a10),
          [a11] "+&r"(a11), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [t4] "=&r"(t4), [t5] "=&r"(t5)
        : [n] "r"(n), [x_end] "r"(x_end)
        : "cc", "memory");
  }
#else
  while (x != x_end) {
    const uint32_t xa = Load4(x);
    const uint32_t va = Load4(w);
    const uint32_t xa02 = Sxtb16(xa), xa13 = Sxtb16Ror8(xa);
    const uint32_t va02 = Sxtb16(va), va13 = Sxtb16Ror8(va);
    a00 = Smlad(xa13, va13, Smlad(xa02, va02, a00));
    const uint32_t vb = Load4(w + n);
    const uint32_t vb02 = Sxtb16(vb), vb13 = Sxtb16Ror8(vb);
    a01 = Smlad(xa13, vb13, Smlad(xa02, vb02, a01));
    const uint32_t xb = Load4(x + n);
    const uint32_t xb02 = Sxtb16(xb), xb13 = Sxtb16Ror8(xb);
    a10 = Smlad(xb13, va13, Smlad(xb02, va02, a10));
    a11 = Smlad(xb13, vb13, Smlad(xb02, vb02, a11));
    x += 4;
    w += 4;
  }
#endif
  for (int32_t k = 0; k < (n & 3); ++k) {
    const int32_t x0 = x[k], x1 = x[k + n], w0 = w[k], w1 = w[k + n];
    a00 = static_cast<int32_t>(static_cast<uint32_t>(a00) + static_cast<uint32_t>(x0 * w0));
    a01 = static_cast<int32_t>(static_cast<uint32_t>(a01) + static_cast<uint32_t>(x0 * w1));
    a10 = static_cast<int32_t>(static_cast<uint32_t>(a10) + static_cast<uint32_t>(x1 * w0));
    a11 = static_cast<int32_t>(static_cast<uint32_t>(a11) + static_cast<uint32_t>(x1 * w1));
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

}  // namespace ember::kernels::dsp

#endif  // EMBER_KERNELS_DSP_DSP_INTRINSICS_H_
