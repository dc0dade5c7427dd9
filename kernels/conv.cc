// CONV_2D reference kernels, bit-exact with TensorFlow Lite's reference
// (float: same summation order; int8 per-channel; 16x8 with int64 accumulator).
// Prepare and op data are shared with the optimized variants (conv_common.h).
//
// For each output (b, oy, ox, oc) with group g = oc / (C_out / groups):
//   acc = sum over fy, fx (skipping taps outside the image), ic < filter_in_c of
//         filter[oc][fy][fx][ic] * (input[b][iy][ix][g * filter_in_c + ic] + input_offset)
//   iy = oy * stride_h - pad_h + fy * dilation_h, ix likewise.
#include "kernels/conv_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {
void Conv2dEvalFloatReference(const ConvOpData& d, const float* input, const float* filter,
                              const float* bias, float* output) {
  const int32_t groups = d.in_c / d.filter_in_c;
  const int32_t per_group = d.out_c / groups;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          const int32_t in_c0 = (oc / per_group) * d.filter_in_c;
          float total = 0.0f;
          for (int32_t fy = 0; fy < d.filter_h; ++fy) {
            const int32_t iy = iy0 + d.dilation_h * fy;
            for (int32_t fx = 0; fx < d.filter_w; ++fx) {
              const int32_t ix = ix0 + d.dilation_w * fx;
              if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
              const float* in = input + ((b * d.in_h + iy) * d.in_w + ix) * d.in_c + in_c0;
              const float* w = filter + ((oc * d.filter_h + fy) * d.filter_w + fx) * d.filter_in_c;
              for (int32_t ic = 0; ic < d.filter_in_c; ++ic) total += in[ic] * w[ic];
            }
          }
          const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
          output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
              ClampF(total + bias_value, d.act_min_f, d.act_max_f);
        }
      }
    }
  }
}

namespace {

using conv_internal::kPackedChunk;
using conv_internal::Pack;
using conv_internal::Requant;
using conv_internal::UnpackAdd;
using conv_internal::RequantizeS8;
using conv_internal::ValidTaps;

// input_offset * sum(w[0..n)) + bias: the input-independent part of a full accumulator
// (all taps inside the image), so the inner loops are pure int8 x int8 sums.
inline int32_t FoldedBias(const int8_t* w, int32_t n, int32_t input_offset,
                          const int32_t* bias, int32_t oc) {
  int32_t sum = 0;
  for (int32_t k = 0; k < n; ++k) sum += w[k];
  return sum * input_offset + (bias != nullptr ? bias[oc] : 0);
}

// Two pixels (x0, x1) times two filter rows (w0, w1) over n depth elements.
inline void Dot2x2(const int8_t* x0, const int8_t* x1, const int8_t* w0, const int8_t* w1,
                   int32_t n, int32_t* out00, int32_t* out01, int32_t* out10,
                   int32_t* out11) {
  int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
  const int8_t* const end4 = x0 + (n & ~3);
  const int8_t* const end = x0 + n;
  while (x0 != end4) {
    int32_t xa = x0[0], xb = x1[0], wa = w0[0], wb = w1[0];
    a00 += xa * wa; a01 += xa * wb; a10 += xb * wa; a11 += xb * wb;
    xa = x0[1]; xb = x1[1]; wa = w0[1]; wb = w1[1];
    a00 += xa * wa; a01 += xa * wb; a10 += xb * wa; a11 += xb * wb;
    xa = x0[2]; xb = x1[2]; wa = w0[2]; wb = w1[2];
    a00 += xa * wa; a01 += xa * wb; a10 += xb * wa; a11 += xb * wb;
    xa = x0[3]; xb = x1[3]; wa = w0[3]; wb = w1[3];
    a00 += xa * wa; a01 += xa * wb; a10 += xb * wa; a11 += xb * wb;
    x0 += 4; x1 += 4; w0 += 4; w1 += 4;
  }
  while (x0 != end) {
    const int32_t xa = *x0++, xb = *x1++, wa = *w0++, wb = *w1++;
    a00 += xa * wa; a01 += xa * wb; a10 += xb * wa; a11 += xb * wb;
  }
  *out00 += a00; *out01 += a01; *out10 += a10; *out11 += a11;
}

// One pixel times one filter row.
inline int32_t Dot1x1(const int8_t* x, const int8_t* w, int32_t n) {
  int32_t a0 = 0, a1 = 0;
  const int8_t* const end2 = x + (n & ~1);
  const int8_t* const end = x + n;
  while (x != end2) {
    a0 += static_cast<int32_t>(x[0]) * w[0];
    a1 += static_cast<int32_t>(x[1]) * w[1];
    x += 2;
    w += 2;
  }
  if (x != end) a0 += static_cast<int32_t>(*x) * *w;
  return a0 + a1;
}

// As Dot2x2 with packed products; n <= kPackedChunk per call.
inline void Dot2x2Packed(const int8_t* x0, const int8_t* x1, const int8_t* w0,
                         const int8_t* w1, int32_t n, int32_t* out00, int32_t* out01,
                         int32_t* out10, int32_t* out11) {
  int64_t a0 = 0, a1 = 0;  // pixel 0 (channels 0 | 1), pixel 1
  const int8_t* const end4 = x0 + (n & ~3);
  const int8_t* const end = x0 + n;
  while (x0 != end4) {
    int32_t xa = x0[0], xb = x1[0], p = Pack(w0[0], w1[0]);
    a0 += static_cast<int64_t>(xa) * p;
    a1 += static_cast<int64_t>(xb) * p;
    xa = x0[1]; xb = x1[1]; p = Pack(w0[1], w1[1]);
    a0 += static_cast<int64_t>(xa) * p;
    a1 += static_cast<int64_t>(xb) * p;
    xa = x0[2]; xb = x1[2]; p = Pack(w0[2], w1[2]);
    a0 += static_cast<int64_t>(xa) * p;
    a1 += static_cast<int64_t>(xb) * p;
    xa = x0[3]; xb = x1[3]; p = Pack(w0[3], w1[3]);
    a0 += static_cast<int64_t>(xa) * p;
    a1 += static_cast<int64_t>(xb) * p;
    x0 += 4; x1 += 4; w0 += 4; w1 += 4;
  }
  while (x0 != end) {
    const int32_t p = Pack(*w0++, *w1++);
    a0 += static_cast<int64_t>(*x0++) * p;
    a1 += static_cast<int64_t>(*x1++) * p;
  }
  UnpackAdd(a0, out00, out01);
  UnpackAdd(a1, out10, out11);
}

// Four pixels (rows kDepth apart from x) times two filter rows, whose packed products
// pw[k] = Pack(w0[k], w1[k]) were formed once per channel pair, over the whole depth (see
// Dot2x2Packed). With the depth a compile-time constant every input operand is an
// immediate offset from one pointer, which leaves registers for four 64-bit
// accumulators. acc: [pixel][channel], added to.
template <int32_t kDepth>
inline void Dot4x2Packed(const int8_t* x, const int32_t* pw, int32_t* acc) {
  for (int32_t k0 = 0; k0 < kDepth; k0 += kPackedChunk) {
    const int32_t n = kDepth - k0 < kPackedChunk ? kDepth - k0 : kPackedChunk;
    int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const int8_t* xp = x + k0;
    const int32_t* wp = pw + k0;
    const int8_t* const end = xp + n;
    while (xp != end) {  // n is a multiple of 4 (kDepth is)
      int32_t p = wp[0];
      a0 += static_cast<int64_t>(xp[0]) * p;
      a1 += static_cast<int64_t>(xp[kDepth]) * p;
      a2 += static_cast<int64_t>(xp[2 * kDepth]) * p;
      a3 += static_cast<int64_t>(xp[3 * kDepth]) * p;
      p = wp[1];
      a0 += static_cast<int64_t>(xp[1]) * p;
      a1 += static_cast<int64_t>(xp[kDepth + 1]) * p;
      a2 += static_cast<int64_t>(xp[2 * kDepth + 1]) * p;
      a3 += static_cast<int64_t>(xp[3 * kDepth + 1]) * p;
      p = wp[2];
      a0 += static_cast<int64_t>(xp[2]) * p;
      a1 += static_cast<int64_t>(xp[kDepth + 2]) * p;
      a2 += static_cast<int64_t>(xp[2 * kDepth + 2]) * p;
      a3 += static_cast<int64_t>(xp[3 * kDepth + 2]) * p;
      p = wp[3];
      a0 += static_cast<int64_t>(xp[3]) * p;
      a1 += static_cast<int64_t>(xp[kDepth + 3]) * p;
      a2 += static_cast<int64_t>(xp[2 * kDepth + 3]) * p;
      a3 += static_cast<int64_t>(xp[3 * kDepth + 3]) * p;
      xp += 4;
      wp += 4;
    }
    UnpackAdd(a0, &acc[0], &acc[1]);
    UnpackAdd(a1, &acc[2], &acc[3]);
    UnpackAdd(a2, &acc[4], &acc[5]);
    UnpackAdd(a3, &acc[6], &acc[7]);
  }
}

// One pixel times the packed filter pair pw over the whole depth (as Dot4x2Packed).
template <int32_t kDepth>
inline void Dot1x2Packed(const int8_t* x, const int32_t* pw, int32_t* acc) {
  for (int32_t k0 = 0; k0 < kDepth; k0 += kPackedChunk) {
    const int32_t n = kDepth - k0 < kPackedChunk ? kDepth - k0 : kPackedChunk;
    int64_t a0 = 0, a1 = 0;
    const int8_t* xp = x + k0;
    const int32_t* wp = pw + k0;
    const int8_t* const end = xp + n;
    while (xp != end) {  // n is a multiple of 4
      a0 += static_cast<int64_t>(xp[0]) * wp[0];
      a1 += static_cast<int64_t>(xp[1]) * wp[1];
      a0 += static_cast<int64_t>(xp[2]) * wp[2];
      a1 += static_cast<int64_t>(xp[3]) * wp[3];
      xp += 4;
      wp += 4;
    }
    UnpackAdd(a0, &acc[0], &acc[1]);
    UnpackAdd(a1, &acc[0], &acc[1]);
  }
}

// The depth-specialised block kernels, picked once per op (calls through a pointer keep
// one copy of the driver below instead of one per depth).
using Dot4x2Fn = void (*)(const int8_t* x, const int32_t* pw, int32_t* acc);
using Dot1x2Fn = void (*)(const int8_t* x, const int32_t* pw, int32_t* acc);
constexpr int32_t kMaxPackedDepth = 256;  // the packed pairs live on the stack (1 KB)

bool PackedKernelsFor(int32_t depth, Dot4x2Fn* dot4, Dot1x2Fn* dot1) {
  switch (depth) {
    case 8: *dot4 = &Dot4x2Packed<8>; *dot1 = &Dot1x2Packed<8>; return true;
    case 16: *dot4 = &Dot4x2Packed<16>; *dot1 = &Dot1x2Packed<16>; return true;
    case 32: *dot4 = &Dot4x2Packed<32>; *dot1 = &Dot1x2Packed<32>; return true;
    case 64: *dot4 = &Dot4x2Packed<64>; *dot1 = &Dot1x2Packed<64>; return true;
    case 128: *dot4 = &Dot4x2Packed<128>; *dot1 = &Dot1x2Packed<128>; return true;
    case 256: *dot4 = &Dot4x2Packed<256>; *dot1 = &Dot1x2Packed<256>; return true;
    default: return false;
  }
}

// 1x1 filter, stride 1, one group: output[p][oc] = folded_bias[oc] + in[p] . filter[oc]
// over every pixel p of every batch (the pixels are contiguous rows of in_c values).
// Two output channels per pass; with packed MACs and a depth that has a specialised
// kernel, four pixels per block on the channel pair's packed filter rows, else two.
template <bool kPacked>
void Conv1x1S8(const ConvOpData& d, const int8_t* input, const int8_t* filter,
               const int32_t* bias, int8_t* output) {
  const int32_t depth = d.in_c;
  const int32_t out_c = d.out_c;
  const int32_t pixels = d.batches * d.out_h * d.out_w;
  const int32_t in_off = d.input_offset;
  const int32_t out_off = d.output_offset;
  const int32_t act_min = d.act_min;
  const int32_t act_max = d.act_max;
  const int32_t* const mults = d.multipliers;
  const int8_t* const shifts = d.shifts;
  Dot4x2Fn dot4 = nullptr;
  Dot1x2Fn dot1 = nullptr;
  const bool blocks = kPacked && PackedKernelsFor(depth, &dot4, &dot1);
  int32_t oc = 0;
  for (; oc + 2 <= out_c; oc += 2) {
    const int8_t* const w0 = filter + oc * depth;
    const int8_t* const w1 = w0 + depth;
    const Requant q0(mults[oc], shifts[oc]), q1(mults[oc + 1], shifts[oc + 1]);
    const int8_t* x = input;
    int8_t* out = output + oc;
    int32_t p = 0;
    if (blocks) {
      // Packed filter pairs of this channel pair, and both rows' sums for the folded bias.
      int32_t pw[kMaxPackedDepth];
      int32_t sum0 = 0, sum1 = 0;
      for (int32_t k = 0; k < depth; ++k) {
        const int32_t a = w0[k], b = w1[k];
        sum0 += a;
        sum1 += b;
        pw[k] = Pack(a, b);
      }
      // Wrapping int32 sums, as the accumulators (biases may be near the int32 limits).
      const int32_t base0 = static_cast<int32_t>(
          static_cast<uint32_t>(sum0 * in_off) +
          static_cast<uint32_t>(bias != nullptr ? bias[oc] : 0));
      const int32_t base1 = static_cast<int32_t>(
          static_cast<uint32_t>(sum1 * in_off) +
          static_cast<uint32_t>(bias != nullptr ? bias[oc + 1] : 0));
      for (; p + 4 <= pixels; p += 4) {
        int32_t acc[8] = {base0, base1, base0, base1, base0, base1, base0, base1};
        dot4(x, pw, acc);
        for (int32_t i = 0; i < 4; ++i) {
          out[0] = RequantizeS8(acc[2 * i], q0, out_off, act_min, act_max);
          out[1] = RequantizeS8(acc[2 * i + 1], q1, out_off, act_min, act_max);
          out += out_c;
        }
        x += 4 * depth;
      }
      for (; p < pixels; ++p) {  // the remaining 1-3 pixels
        int32_t acc[2] = {base0, base1};
        dot1(x, pw, acc);
        out[0] = RequantizeS8(acc[0], q0, out_off, act_min, act_max);
        out[1] = RequantizeS8(acc[1], q1, out_off, act_min, act_max);
        out += out_c;
        x += depth;
      }
      continue;
    }
    const int32_t base0 = FoldedBias(w0, depth, in_off, bias, oc);
    const int32_t base1 = FoldedBias(w1, depth, in_off, bias, oc + 1);
    for (; p + 2 <= pixels; p += 2) {
      int32_t a00 = base0, a01 = base1, a10 = base0, a11 = base1;
      if (kPacked) {
        for (int32_t k = 0; k < depth; k += kPackedChunk) {
          const int32_t n = depth - k < kPackedChunk ? depth - k : kPackedChunk;
          Dot2x2Packed(x + k, x + depth + k, w0 + k, w1 + k, n, &a00, &a01, &a10, &a11);
        }
      } else {
        Dot2x2(x, x + depth, w0, w1, depth, &a00, &a01, &a10, &a11);
      }
      out[0] = RequantizeS8(a00, q0, out_off, act_min, act_max);
      out[1] = RequantizeS8(a01, q1, out_off, act_min, act_max);
      out[out_c] = RequantizeS8(a10, q0, out_off, act_min, act_max);
      out[out_c + 1] = RequantizeS8(a11, q1, out_off, act_min, act_max);
      x += 2 * depth;
      out += 2 * out_c;
    }
    if (p < pixels) {
      out[0] = RequantizeS8(base0 + Dot1x1(x, w0, depth), q0, out_off, act_min, act_max);
      out[1] = RequantizeS8(base1 + Dot1x1(x, w1, depth), q1, out_off, act_min, act_max);
    }
  }
  if (oc < out_c) {
    const int8_t* const w0 = filter + oc * depth;
    const int32_t base0 = FoldedBias(w0, depth, in_off, bias, oc);
    const Requant q0(mults[oc], shifts[oc]);
    const int8_t* x = input;
    int8_t* out = output + oc;
    for (int32_t p = 0; p < pixels; ++p) {
      *out = RequantizeS8(base0 + Dot1x1(x, w0, depth), q0, out_off, act_min, act_max);
      x += depth;
      out += out_c;
    }
  }
}

// Packed 64-bit accumulation pays off where SMLAL is a single-cycle instruction
// (Cortex-M4/M7, 64-bit hosts); Armv6-M has no long multiply and Armv7-M (Cortex-M3)
// takes 4-7 cycles for one, so those use plain 32-bit multiply-accumulates.
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__)
constexpr bool kPointwisePacked = false;
#else
constexpr bool kPointwisePacked = true;
#endif

// Receptive fields up to this many values (fh * fw * in_c) and this many output channels
// take the patch path (two patches and the folded biases on the stack: at most 1 KB).
constexpr int32_t kMaxPatch = 256;
constexpr int32_t kMaxPatchChannels = 64;

// Copies the receptive field of output (b, oy, ox) into patch, in the filter's
// [fy][fx][ic] order, with the input zero point (x + input_offset = 0) outside the image.
void GatherPatch(const ConvOpData& d, const int8_t* input, int32_t b, int32_t oy, int32_t ox,
                 int8_t* patch) {
  const int32_t in_c = d.in_c;
  const int32_t iy0 = oy * d.stride_h - d.padding.height;
  const int32_t ix0 = ox * d.stride_w - d.padding.width;
  const int8_t pad_value = static_cast<int8_t>(-d.input_offset);
  for (int32_t fy = 0; fy < d.filter_h; ++fy) {
    const int32_t iy = iy0 + fy * d.dilation_h;
    for (int32_t fx = 0; fx < d.filter_w; ++fx) {
      const int32_t ix = ix0 + fx * d.dilation_w;
      if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) {
        for (int32_t ic = 0; ic < in_c; ++ic) *patch++ = pad_value;
      } else {
        const int8_t* src = input + ((b * d.in_h + iy) * d.in_w + ix) * in_c;
        for (int32_t ic = 0; ic < in_c; ++ic) *patch++ = src[ic];
      }
    }
  }
}

// One group, any filter/stride/dilation/padding, small receptive fields: each output
// pixel's receptive field is gathered into a patch (zero point outside the image, so every
// window is full and the folded bias bias + input_offset * sum(w) holds), then two patches
// times two filter rows per pass as in the 1x1 path (the filter's [oc][fy][fx][ic] rows
// match the patch order).
template <bool kPacked>
bool ConvPatchS8(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                 const int32_t* bias, int8_t* output) {
  const int32_t depth = d.filter_h * d.filter_w * d.in_c;
  const int32_t out_c = d.out_c;
  if (d.filter_in_c != d.in_c || depth > kMaxPatch || out_c > kMaxPatchChannels) return false;
  const int32_t out_off = d.output_offset;
  const int32_t act_min = d.act_min, act_max = d.act_max;
  int32_t base[kMaxPatchChannels];
  for (int32_t oc = 0; oc < out_c; ++oc) {
    base[oc] = FoldedBias(filter + oc * depth, depth, d.input_offset, bias, oc);
  }
  int8_t patch[2 * kMaxPatch];
  int8_t* const x0 = patch;
  int8_t* const x1 = patch + depth;
  const int32_t out_w = d.out_w;
  const int32_t pixels = d.batches * d.out_h * out_w;
  int8_t* out = output;
  int32_t b = 0, oy = 0, ox = 0;  // position of pixel p, advanced without divisions
  auto advance = [&]() {
    if (++ox == out_w) {
      ox = 0;
      if (++oy == d.out_h) {
        oy = 0;
        ++b;
      }
    }
  };
  for (int32_t p = 0; p < pixels; p += 2) {
    const bool two = p + 1 < pixels;
    GatherPatch(d, input, b, oy, ox, x0);
    advance();
    if (two) {
      GatherPatch(d, input, b, oy, ox, x1);
      advance();
    }
    int32_t oc = 0;
    for (; two && oc + 2 <= out_c; oc += 2) {
      const int8_t* const w0 = filter + oc * depth;
      const int8_t* const w1 = w0 + depth;
      int32_t a00 = base[oc], a01 = base[oc + 1], a10 = base[oc], a11 = base[oc + 1];
      if (kPacked) {
        for (int32_t k = 0; k < depth; k += kPackedChunk) {
          const int32_t n = depth - k < kPackedChunk ? depth - k : kPackedChunk;
          Dot2x2Packed(x0 + k, x1 + k, w0 + k, w1 + k, n, &a00, &a01, &a10, &a11);
        }
      } else {
        Dot2x2(x0, x1, w0, w1, depth, &a00, &a01, &a10, &a11);
      }
      const Requant q0(d.multipliers[oc], d.shifts[oc]);
      const Requant q1(d.multipliers[oc + 1], d.shifts[oc + 1]);
      out[oc] = RequantizeS8(a00, q0, out_off, act_min, act_max);
      out[oc + 1] = RequantizeS8(a01, q1, out_off, act_min, act_max);
      out[out_c + oc] = RequantizeS8(a10, q0, out_off, act_min, act_max);
      out[out_c + oc + 1] = RequantizeS8(a11, q1, out_off, act_min, act_max);
    }
    for (; oc < out_c; ++oc) {  // odd channel, or the last single pixel
      const int8_t* const w = filter + oc * depth;
      const Requant q(d.multipliers[oc], d.shifts[oc]);
      out[oc] = RequantizeS8(base[oc] + Dot1x1(x0, w, depth), q, out_off, act_min, act_max);
      if (two) {
        out[out_c + oc] =
            RequantizeS8(base[oc] + Dot1x1(x1, w, depth), q, out_off, act_min, act_max);
      }
    }
    out += two ? 2 * out_c : out_c;
  }
  return true;
}

}  // namespace

bool Conv2dEvalS8Patch(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output, bool packed) {
  return packed ? ConvPatchS8<true>(d, input, filter, bias, output)
                : ConvPatchS8<false>(d, input, filter, bias, output);
}

// Any shape: per output row/column the valid tap ranges are computed once, so the tap
// loops have no bounds checks; the input offset is added per valid input value, exactly
// the TFLite sum.
void Conv2dEvalS8General(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                         const int32_t* bias, int8_t* output) {
  const int32_t batches = d.batches;
  const int32_t in_h = d.in_h, in_w = d.in_w, in_c = d.in_c;
  const int32_t out_h = d.out_h, out_w = d.out_w, out_c = d.out_c;
  const int32_t filter_h = d.filter_h, filter_w = d.filter_w, fic = d.filter_in_c;
  const int32_t stride_h = d.stride_h, stride_w = d.stride_w;
  const int32_t dil_h = d.dilation_h, dil_w = d.dilation_w;
  const int32_t pad_h = d.padding.height, pad_w = d.padding.width;
  const int32_t in_off = d.input_offset;
  const int32_t out_off = d.output_offset;
  const int32_t act_min = d.act_min, act_max = d.act_max;
  const int32_t* const mults = d.multipliers;
  const int8_t* const shifts = d.shifts;
  const int32_t per_group = out_c / (in_c / fic);
  const int32_t filter_oc_stride = filter_h * filter_w * fic;
  int8_t* out = output;
  for (int32_t b = 0; b < batches; ++b) {
    const int8_t* const in_b = input + b * in_h * in_w * in_c;
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * stride_h - pad_h;
      int32_t fy_lo, fy_hi;
      ValidTaps(iy0, filter_h, dil_h, in_h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * stride_w - pad_w;
        int32_t fx_lo, fx_hi;
        ValidTaps(ix0, filter_w, dil_w, in_w, &fx_lo, &fx_hi);
        // Element offsets (a pointer is only formed for taps inside the image).
        const int32_t px = (iy0 * in_w + ix0) * in_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t in_g = px + (oc / per_group) * fic;
          const int8_t* const w_oc = filter + oc * filter_oc_stride;
          int32_t acc = bias != nullptr ? bias[oc] : 0;
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            const int32_t in_row = in_g + fy * dil_h * in_w * in_c;
            const int8_t* w_row = w_oc + fy * filter_w * fic;
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              const int8_t* x = in_b + (in_row + fx * dil_w * in_c);
              const int8_t* w = w_row + fx * fic;
              for (int32_t ic = 0; ic < fic; ++ic) acc += w[ic] * (x[ic] + in_off);
            }
          }
          *out++ = RequantizeS8(acc, mults[oc], shifts[oc], out_off, act_min, act_max);
        }
      }
    }
  }
}

void Conv2dEvalS8Pointwise(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output, bool packed) {
  if (packed) {
    Conv1x1S8<true>(d, input, filter, bias, output);
  } else {
    Conv1x1S8<false>(d, input, filter, bias, output);
  }
}

void Conv2dEvalS8Reference(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output) {
  if (d.filter_h == 1 && d.filter_w == 1 && d.stride_h == 1 && d.stride_w == 1 &&
      d.filter_in_c == d.in_c && d.in_h == d.out_h && d.in_w == d.out_w) {
    Conv1x1S8<kPointwisePacked>(d, input, filter, bias, output);
    return;
  }
  if (ConvPatchS8<kPointwisePacked>(d, input, filter, bias, output)) return;
  Conv2dEvalS8General(d, input, filter, bias, output);
}

void Conv2dEvalS16Reference(const ConvOpData& d, const int16_t* input, const int8_t* filter,
                            const int64_t* bias, int16_t* output) {
  const int32_t groups = d.in_c / d.filter_in_c;
  const int32_t per_group = d.out_c / groups;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          const int32_t in_c0 = (oc / per_group) * d.filter_in_c;
          int64_t acc = 0;
          for (int32_t fy = 0; fy < d.filter_h; ++fy) {
            const int32_t iy = iy0 + d.dilation_h * fy;
            for (int32_t fx = 0; fx < d.filter_w; ++fx) {
              const int32_t ix = ix0 + d.dilation_w * fx;
              if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
              const int16_t* in = input + ((b * d.in_h + iy) * d.in_w + ix) * d.in_c + in_c0;
              const int8_t* w =
                  filter + ((oc * d.filter_h + fy) * d.filter_w + fx) * d.filter_in_c;
              for (int32_t ic = 0; ic < d.filter_in_c; ++ic) {
                acc += static_cast<int64_t>(w[ic] * in[ic]);
              }
            }
          }
          if (bias != nullptr) acc += bias[oc];
          const int32_t scaled = MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]);
          output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
              static_cast<int16_t>(Clamp32(scaled, d.act_min, d.act_max));
        }
      }
    }
  }
}

namespace {

EmberStatus Conv2dInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberFloat32:
      Conv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                               bias ? TensorData<float>(bias) : nullptr,
                               TensorData<float>(output));
      return kEmberOk;
    case kEmberInt8:
      Conv2dEvalS8Reference(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                            bias ? TensorData<int32_t>(bias) : nullptr,
                            TensorData<int8_t>(output));
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

EmberRegistration RegisterConv2d() {
  EmberRegistration r{};
  r.name = "CONV_2D";
  r.builtin_code = kEmberOpConv2d;
  r.variant = "reference";
  r.init = ConvInit;
  r.prepare = Conv2dPrepare;
  r.invoke = Conv2dInvoke;
  r.count_macs = ConvCountMacs;
  return r;
}

}  // namespace ember::kernels
