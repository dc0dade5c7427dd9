// DEPTHWISE_CONV_2D reference kernels, bit-exact with TensorFlow Lite's reference
// (float: same summation order; int8 per-channel; 16x8 with int64 accumulator).
// Prepare and op data are shared with the optimized variants (conv_common.h).
//
// For each output (b, oy, ox, oc), oc = ic * depth_multiplier + m:
//   acc = sum over fy, fx (skipping taps outside the image) of
//         filter[0][fy][fx][oc] * (input[b][iy][ix][ic] + input_offset)
//   iy = oy * stride_h - pad_h + fy * dilation_h, ix likewise.
#include "kernels/conv_common.h"
#include "kernels/internal/op_checks.h"
#include "kernels/registrations.h"

namespace ember::kernels {

void DepthwiseConv2dEvalFloatReference(const ConvOpData& d, const float* input,
                                       const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            float total = 0.0f;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
                total += input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + ic] *
                         filter[(fy * d.filter_w + fx) * d.out_c + oc];
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
}

namespace {

using conv_internal::Pack;
using conv_internal::Requant;
using conv_internal::RequantRight;
using conv_internal::UnpackAdd;
using conv_internal::RequantizeS8;
using conv_internal::ValidTaps;

// Loop-invariant fields of the op data, copied once (int8 stores may alias anything, so
// fields read through the op data would be reloaded after every output store).
struct DwParams {
  int32_t in_h, in_w, in_c, out_c, filter_h, filter_w;
  int32_t dil_h, dil_w, in_off, out_off, act_min, act_max;
};

// Output channel oc at the input window whose top-left tap is (iy0, ix0) of batch image
// in_b, for any window position: only taps inside the image contribute, each as
// w * (x + input_offset). Returns the int32 accumulator including the bias.
int32_t DwAccumulateClipped(const DwParams& p, const int8_t* in_b, const int8_t* filter,
                            int32_t bias, int32_t iy0, int32_t ix0, int32_t ic, int32_t oc) {
  int32_t fy_lo, fy_hi, fx_lo, fx_hi;
  ValidTaps(iy0, p.filter_h, p.dil_h, p.in_h, &fy_lo, &fy_hi);
  ValidTaps(ix0, p.filter_w, p.dil_w, p.in_w, &fx_lo, &fx_hi);
  int32_t acc = bias;
  for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
    const int32_t iy = iy0 + fy * p.dil_h;
    const int8_t* const in_row = in_b + iy * p.in_w * p.in_c + ic;
    const int8_t* const w_row = filter + fy * p.filter_w * p.out_c + oc;
    for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
      const int32_t x = in_row[(ix0 + fx * p.dil_w) * p.in_c];
      acc += static_cast<int32_t>(w_row[fx * p.out_c]) * (x + p.in_off);
    }
  }
  return acc;
}

DwParams MakeDwParams(const ConvOpData& d) {
  return DwParams{d.in_h,       d.in_w,       d.in_c,         d.out_c,
                  d.filter_h,   d.filter_w,   d.dilation_h,   d.dilation_w,
                  d.input_offset, d.output_offset, d.act_min, d.act_max};
}

// 3x3 filter, no dilation, any stride / padding / depth multiplier. One output channel
// per pass with its nine weights, folded bias and multiplier in registers; windows fully
// inside the image (the interior) take nine plain int8 products, the border windows the
// clipped sum.
void Depthwise3x3S8(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                    const int32_t* bias, int8_t* output) {
  const DwParams p = MakeDwParams(d);
  const int32_t batches = d.batches;
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const int32_t stride_h = d.stride_h, stride_w = d.stride_w;
  const int32_t pad_h = d.padding.height, pad_w = d.padding.width;
  const int32_t dm = d.depth_multiplier;
  const int32_t in_c = p.in_c, out_c = p.out_c;
  const int32_t in_row = p.in_w * in_c;
  const int32_t in_image = p.in_h * in_row;
  const int32_t out_row = out_w * out_c;
  const int32_t step = stride_w * in_c;
  // Output columns whose window is inside the image: ix0 >= 0 and ix0 + 2 < in_w.
  int32_t ox_lo = (pad_w + stride_w - 1) / stride_w;
  int32_t ox_hi = p.in_w - 3 + pad_w >= 0 ? (p.in_w - 3 + pad_w) / stride_w + 1 : 0;
  if (ox_hi > out_w) ox_hi = out_w;
  if (ox_lo > ox_hi) ox_lo = ox_hi;
  for (int32_t oc = 0; oc < out_c; ++oc) {
    const int32_t ic = oc / dm;
    const int8_t* const f = filter + oc;
    const int32_t w0 = f[0], w1 = f[out_c], w2 = f[2 * out_c];
    const int32_t w3 = f[3 * out_c], w4 = f[4 * out_c], w5 = f[5 * out_c];
    const int32_t w6 = f[6 * out_c], w7 = f[7 * out_c], w8 = f[8 * out_c];
    const int32_t bias_c = bias != nullptr ? bias[oc] : 0;
    const int32_t full = (w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8) * p.in_off + bias_c;
    const int32_t mult = d.multipliers[oc];
    const int32_t shift = d.shifts[oc];
    const int32_t wv[9] = {w0, w1, w2, w3, w4, w5, w6, w7, w8};
    // A window clipped by the image border: only its inside taps, each w * (x + offset).
    auto clipped = [&](const int8_t* in_b, int32_t iy0, int32_t ix0) {
      const int32_t fy_lo = iy0 < 0 ? -iy0 : 0;
      const int32_t fy_hi = p.in_h - iy0 < 3 ? p.in_h - iy0 : 3;
      const int32_t fx_lo = ix0 < 0 ? -ix0 : 0;
      const int32_t fx_hi = p.in_w - ix0 < 3 ? p.in_w - ix0 : 3;
      int32_t acc = bias_c;
      for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
        const int8_t* const row = in_b + (iy0 + fy) * in_row + ic;
        for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
          acc += wv[fy * 3 + fx] * (row[(ix0 + fx) * in_c] + p.in_off);
        }
      }
      return RequantizeS8(acc, mult, shift, p.out_off, p.act_min, p.act_max);
    };
    for (int32_t b = 0; b < batches; ++b) {
      const int8_t* const in_b = input + b * in_image;
      int8_t* out_r = output + b * out_h * out_row + oc;
      for (int32_t oy = 0; oy < out_h; ++oy, out_r += out_row) {
        const int32_t iy0 = oy * stride_h - pad_h;
        const bool rows_inside = iy0 >= 0 && iy0 + 3 <= p.in_h;
        const int32_t lo = rows_inside ? ox_lo : out_w;
        const int32_t hi = rows_inside ? ox_hi : out_w;
        for (int32_t ox = 0; ox < lo; ++ox) {
          out_r[ox * out_c] = clipped(in_b, iy0, ox * stride_w - pad_w);
        }
        if (lo < hi) {
          const int8_t* r0 = in_b + iy0 * in_row + (lo * stride_w - pad_w) * in_c + ic;
          int8_t* o = out_r + lo * out_c;
          for (int32_t ox = lo; ox < hi; ++ox) {
            const int8_t* const r1 = r0 + in_row;
            const int8_t* const r2 = r1 + in_row;
            int32_t acc = full;
            acc += w0 * r0[0] + w1 * r0[in_c] + w2 * r0[2 * in_c];
            acc += w3 * r1[0] + w4 * r1[in_c] + w5 * r1[2 * in_c];
            acc += w6 * r2[0] + w7 * r2[in_c] + w8 * r2[2 * in_c];
            *o = RequantizeS8(acc, mult, shift, p.out_off, p.act_min, p.act_max);
            o += out_c;
            r0 += step;
          }
        }
        for (int32_t ox = hi > lo ? hi : lo; ox < out_w; ++ox) {
          out_r[ox * out_c] = clipped(in_b, iy0, ox * stride_w - pad_w);
        }
      }
    }
  }
}

// Zero-point-padded input planes (one channel) the plane path keeps on the stack: rows
// kPlaneStride bytes apart (a compile-time stride, so all nine taps of a window are
// immediate offsets from one pointer), at most kPlaneRows rows.
// Output rows are processed in bands whose input rows fit the buffer: 52 rows (a 48 x 48
// image with its border in one band, 3.3 KB) on cores with the DSP extension, 6 rows
// (384 bytes) on the others, which include boards with a 2 KB stack (Nucleo-F103RB: the
// whole frame must stay well under 1 KB there, see bench_kernels_emulated_nucleo_f103rb);
// output columns in tiles whose input columns fit a row (62 outputs at stride 1, 31 at
// stride 2: VWW's 96-wide first layer takes two tiles).
constexpr int32_t kPlaneStride = 64;
#if defined(__arm__) && !defined(__ARM_FEATURE_DSP)
constexpr int32_t kPlaneRows = 6;
#else
constexpr int32_t kPlaneRows = 52;
#endif

// Nine taps of one output channel. kInt16Products: products written as int16 x int16
// (cores with the DSP extension turn them into SMLABB; the sums are the same).
template <bool kInt16Products>
inline int32_t Mul(int32_t w, int32_t x) {
  return kInt16Products ? static_cast<int16_t>(w) * static_cast<int16_t>(x) : w * x;
}

// Output zero point and activation range; kFullRange: the range is [-128, 127] (a plain
// saturation to int8).
struct OutRange {
  int32_t offset, act_min, act_max;
};
// Full-range clamp as one unsigned range check (cheaper on Cortex-M0+; measured slower on
// Cortex-M4, where the two compares stay) and on hosts, where the tests run it.
#if defined(__arm__) && defined(__ARM_FEATURE_DSP)
constexpr bool kClampByRangeCheck = false;
#else
constexpr bool kClampByRangeCheck = true;
#endif
template <bool kFullRange>
inline int8_t ClampOut(int32_t v, const OutRange& r) {
  v += r.offset;
  if (kFullRange && kClampByRangeCheck) {
    // Outside [-128, 127]: -128 below (v >> 31 = -1), 127 above (v >> 31 = 0).
    if (static_cast<uint32_t>(v + 128) > 255u) v = (v >> 31) ^ 127;
  } else if (kFullRange) {
    v = v < -128 ? -128 : v;
    v = v > 127 ? 127 : v;
  } else {
    v = v < r.act_min ? r.act_min : v;
    v = v > r.act_max ? r.act_max : v;
  }
  return static_cast<int8_t>(v);
}

// Four windows kStride plane columns apart, one filter row at a time (each input loaded
// once per row for stride 1; 4 accumulators, the row's three weights and the inputs fit
// the core registers): a[k] = full + the nine products of window k.
template <int32_t kStride, bool kInt16Products>
inline void Window4(const int8_t* r, const int32_t* w, int32_t full, int32_t* a) {
  int32_t a0 = full, a1 = full, a2 = full, a3 = full;
  for (int32_t fy = 0; fy < 3; ++fy, r += kPlaneStride, w += 3) {
    const int32_t u0 = w[0], u1 = w[1], u2 = w[2];
    const int32_t x0 = r[0], x1 = r[1], x2 = r[2];
    a0 += Mul<kInt16Products>(u0, x0);
    a0 += Mul<kInt16Products>(u1, x1);
    a0 += Mul<kInt16Products>(u2, x2);
    const int32_t y0 = r[kStride], y1 = r[kStride + 1], y2 = r[kStride + 2];
    a1 += Mul<kInt16Products>(u0, y0);
    a1 += Mul<kInt16Products>(u1, y1);
    a1 += Mul<kInt16Products>(u2, y2);
    const int32_t z0 = r[2 * kStride], z1 = r[2 * kStride + 1], z2 = r[2 * kStride + 2];
    a2 += Mul<kInt16Products>(u0, z0);
    a2 += Mul<kInt16Products>(u1, z1);
    a2 += Mul<kInt16Products>(u2, z2);
    const int32_t v0 = r[3 * kStride], v1 = r[3 * kStride + 1], v2 = r[3 * kStride + 2];
    a3 += Mul<kInt16Products>(u0, v0);
    a3 += Mul<kInt16Products>(u1, v1);
    a3 += Mul<kInt16Products>(u2, v2);
  }
  a[0] = a0;
  a[1] = a1;
  a[2] = a2;
  a[3] = a3;
}

// Kept out of line (GCC, Clang) so the hot loops around a call get their own register
// allocation; a plain function elsewhere.
#if defined(__GNUC__)
#define EMBER_DW_NOINLINE __attribute__((noinline))
#else
#define EMBER_DW_NOINLINE
#endif

// rows x n bytes of one channel: row y, column x from src[y * row_step + x * step] to
// dst[y * kPlaneStride + x]; four loads before four stores (consecutive independent loads
// pipeline on Cortex-M3/M4).
EMBER_DW_NOINLINE void GatherPlane(const int8_t* src, int32_t step, int32_t row_step, int32_t n,
                                   int32_t rows, int8_t* dst) {
  for (int32_t y = 0; y < rows; ++y, src += row_step, dst += kPlaneStride) {
    const int8_t* s = src;
    int8_t* d = dst;
    for (int8_t* const end4 = dst + (n & ~3); d != end4; d += 4, s += 4 * step) {
      const int8_t x0 = s[0], x1 = s[step], x2 = s[2 * step], x3 = s[3 * step];
      d[0] = x0;
      d[1] = x1;
      d[2] = x2;
      d[3] = x3;
    }
    for (int8_t* const end = dst + n; d != end; ++d, s += step) *d = *s;
  }
}

// Where one channel's output rows of a band go: rows outputs of out_w each, row oy reads
// plane rows oy * stride_h .. + 2 and writes out + oy * out_row + ox * out_c.
struct PlaneRows {
  const int8_t* plane;
  int32_t rows, stride_h, out_w;
  int8_t* out;
  int32_t out_row, out_c;
};

// One channel's output rows from its plane. kStride 1 or 2: four windows per step
// (Window4), requantized while still in registers, then the remaining windows one by one;
// kStride 0: any stride_w, one window at a time. Q: Requant or RequantRight.
template <int32_t kStride, bool kInt16Products, bool kFullRange, typename Q>
void PlaneChannelRows(const PlaneRows& p, int32_t stride_w, const int32_t* w, int32_t full,
                      const Q q, const OutRange range) {
  constexpr int32_t S = kPlaneStride;
  const int32_t groups = kStride != 0 ? p.out_w / 4 : 0;
  const int32_t singles = p.out_w - 4 * groups;
  const int32_t out_c = p.out_c;
  const int8_t* plane_row = p.plane;
  int8_t* out_row = p.out;
  for (int32_t oy = 0; oy < p.rows; ++oy, plane_row += p.stride_h * S, out_row += p.out_row) {
    const int8_t* r = plane_row;
    int8_t* o = out_row;
    for (int32_t g = 0; g < groups; ++g, r += 4 * kStride, o += 4 * out_c) {
      int32_t a[4];
      Window4<kStride, kInt16Products>(r, w, full, a);
      o[0] = ClampOut<kFullRange>(q.Apply(a[0]), range);
      o[out_c] = ClampOut<kFullRange>(q.Apply(a[1]), range);
      o[2 * out_c] = ClampOut<kFullRange>(q.Apply(a[2]), range);
      o[3 * out_c] = ClampOut<kFullRange>(q.Apply(a[3]), range);
    }
    for (int32_t t = 0; t < singles; ++t, r += stride_w, o += out_c) {
      int32_t v = full;
      v += Mul<kInt16Products>(w[0], r[0]);
      v += Mul<kInt16Products>(w[1], r[1]);
      v += Mul<kInt16Products>(w[2], r[2]);
      v += Mul<kInt16Products>(w[3], r[S]);
      v += Mul<kInt16Products>(w[4], r[S + 1]);
      v += Mul<kInt16Products>(w[5], r[S + 2]);
      v += Mul<kInt16Products>(w[6], r[2 * S]);
      v += Mul<kInt16Products>(w[7], r[2 * S + 1]);
      v += Mul<kInt16Products>(w[8], r[2 * S + 2]);
      *o = ClampOut<kFullRange>(q.Apply(v), range);
    }
  }
}

// 3x3 filter, no dilation, when a padded plane row fits kPlaneStride. Per band of output
// rows and input channel, the plane of every input row/column their windows read is
// gathered into a stack buffer, the points outside the image set to the input zero point
// (x + input_offset = 0: the padding contributes nothing, exactly as skipping those taps);
// those border points are the same for every channel, so they are written once per band
// and each channel copies only its points inside the image. Every window is then a full
// window: acc = bias + input_offset * sum(w) + sum(w * x), with bias + input_offset * sum(w)
// folded per channel. Per output row the sums go to an int32 row buffer first (strides 1
// and 2: four windows per step, Window4) and are requantized in a second loop (one 64-bit
// multiply-accumulate per output for the usual right shifts: RequantRight), so neither
// loop runs out of registers.
template <bool kPackedWeights, bool kFullRange>
bool Depthwise3x3PlaneS8(const ConvOpData& d, const int8_t* input, const int8_t* filter,
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
  const OutRange range{d.output_offset, d.act_min, d.act_max};
  const int8_t pad_value = static_cast<int8_t>(-in_off);  // the input zero point
  const int32_t out_row = out_w * out_c;
  int8_t plane[kPlaneRows * kPlaneStride];
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* const in_b = input + b * in_h * in_w * in_c;
    int8_t* const out_b = output + b * out_h * out_row;
    for (int32_t oy0 = 0; oy0 < out_h; oy0 += band) {
      const int32_t oy1 = oy0 + band < out_h ? oy0 + band : out_h;
      const int32_t rows = (oy1 - 1 - oy0) * stride_h + 3;
      for (int32_t ox0 = 0; ox0 < out_w; ox0 += tile) {
        const int32_t ox1 = ox0 + tile < out_w ? ox0 + tile : out_w;
        const int32_t plane_w = (ox1 - 1 - ox0) * stride_w + 3;
        // Plane row py of the band and tile is input row iy0 + py, plane column px input
        // column ix0 + px. The points outside the image are the same for every channel: set
        // to the zero point once per band and tile; per channel only rows [py_lo, py_hi) x
        // columns [px_lo, px_hi) (inside the image) are copied.
        const int32_t iy0 = oy0 * stride_h - pad_h;
        const int32_t ix0 = ox0 * stride_w - pad_w;
        const int32_t py_lo = iy0 < 0 ? -iy0 : 0;
        const int32_t py_hi = in_h - iy0 < rows ? in_h - iy0 : rows;
        const int32_t px_lo = ix0 >= 0 ? 0 : (-ix0 < plane_w ? -ix0 : plane_w);
        int32_t px_hi = in_w - ix0 < plane_w ? in_w - ix0 : plane_w;
        if (px_hi < px_lo) px_hi = px_lo;
        for (int32_t py = 0; py < rows; ++py) {
          int8_t* const row = plane + py * kPlaneStride;
          const bool inside = py >= py_lo && py < py_hi;
          for (int32_t px = 0; px < plane_w; ++px) {
            if (!inside || px < px_lo || px >= px_hi) row[px] = pad_value;
          }
        }
        const int32_t copy_w = px_hi - px_lo;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          {
            const int8_t* src_row = in_b + ((iy0 + py_lo) * in_w + (ix0 + px_lo)) * in_c + ic;
            int8_t* dst_row = plane + py_lo * kPlaneStride + px_lo;
            GatherPlane(src_row, in_c, in_w * in_c, copy_w, py_hi - py_lo, dst_row);
          }
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = ic * dm + m;
            const int8_t* const f = filter + oc;
            const int32_t w0 = f[0], w1 = f[out_c], w2 = f[2 * out_c];
            const int32_t w3 = f[3 * out_c], w4 = f[4 * out_c], w5 = f[5 * out_c];
            const int32_t w6 = f[6 * out_c], w7 = f[7 * out_c], w8 = f[8 * out_c];
            const int32_t full = (w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8) * in_off +
                                 (bias != nullptr ? bias[oc] : 0);
            const int32_t taps[9] = {w0, w1, w2, w3, w4, w5, w6, w7, w8};
            const int32_t mult = d.multipliers[oc], shift = d.shifts[oc];
            int8_t* const out_r = out_b + oy0 * out_row + ox0 * out_c + oc;
            auto rows_of = [&](const auto q) {
              const PlaneRows rows{plane, oy1 - oy0, stride_h, ox1 - ox0, out_r, out_row, out_c};
              if (stride_w == 1) {
                PlaneChannelRows<1, kPackedWeights, kFullRange>(rows, 1, taps, full, q, range);
              } else if (stride_w == 2) {
                PlaneChannelRows<2, kPackedWeights, kFullRange>(rows, 2, taps, full, q, range);
              } else {
                PlaneChannelRows<0, kPackedWeights, kFullRange>(rows, stride_w, taps, full, q,
                                                                range);
              }
            };
            if (RequantRight::Applies(mult, shift)) {
              rows_of(RequantRight(mult, shift));
            } else {
              rows_of(Requant(mult, shift));
            }
          }
        }
      }
    }
  }
  return true;
}

template <bool kPackedWeights>
bool Depthwise3x3Plane(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                       const int32_t* bias, int8_t* output) {
  if (d.act_min == -128 && d.act_max == 127) {
    return Depthwise3x3PlaneS8<kPackedWeights, true>(d, input, filter, bias, output);
  }
  return Depthwise3x3PlaneS8<kPackedWeights, false>(d, input, filter, bias, output);
}

// 3x3 filter, no dilation, even depth multiplier, at most kMaxMultiplierChannels output
// channels (e.g. a first layer expanding one input channel into eight). One output pixel
// at a time: its nine input values (the zero point outside the image, so the folded bias
// holds for every window) are shared by the depth_multiplier output channels of each input
// channel, and each pair of output channels takes one packed 64-bit multiply-accumulate
// per tap (conv_internal::Pack; nine terms keep the low lane far below 2^22).
constexpr int32_t kMaxMultiplierChannels = 64;

bool DepthwiseMultiplierS8(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                           const int32_t* bias, int8_t* output) {
  const int32_t dm = d.depth_multiplier;
  const int32_t out_c = d.out_c;
  if (dm % 2 != 0 || out_c > kMaxMultiplierChannels) return false;
  const int32_t in_h = d.in_h, in_w = d.in_w, in_c = d.in_c;
  const int32_t stride_h = d.stride_h, stride_w = d.stride_w;
  const int32_t pad_h = d.padding.height, pad_w = d.padding.width;
  const int32_t in_off = d.input_offset;
  const int32_t out_off = d.output_offset;
  const int32_t act_min = d.act_min, act_max = d.act_max;
  const int32_t pad_value = -in_off;  // the input zero point
  const int32_t pairs = dm / 2;
  // Per output channel pair j, tap t: pw[t * (out_c / 2) + j] (one tap's pairs adjacent).
  int32_t pw[9 * (kMaxMultiplierChannels / 2)];
  int32_t base[kMaxMultiplierChannels];
  int32_t mults[kMaxMultiplierChannels];
  int32_t shifts[kMaxMultiplierChannels];
  for (int32_t oc = 0; oc < out_c; ++oc) {
    int32_t sum = 0;
    for (int32_t t = 0; t < 9; ++t) sum += filter[t * out_c + oc];
    base[oc] = sum * in_off + (bias != nullptr ? bias[oc] : 0);
    mults[oc] = d.multipliers[oc];
    shifts[oc] = d.shifts[oc];
  }
  const int32_t half = out_c / 2;
  for (int32_t t = 0; t < 9; ++t) {
    for (int32_t j = 0; j < half; ++j) {
      pw[t * half + j] = Pack(filter[t * out_c + 2 * j], filter[t * out_c + 2 * j + 1]);
    }
  }
  int8_t* out = output;
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* const in_b = input + b * in_h * in_w * in_c;
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * stride_h - pad_h;
      for (int32_t ox = 0; ox < d.out_w; ++ox, out += out_c) {
        const int32_t ix0 = ox * stride_w - pad_w;
        const bool inside = iy0 >= 0 && iy0 + 3 <= in_h && ix0 >= 0 && ix0 + 3 <= in_w;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          int32_t x[9];
          if (inside) {
            const int8_t* r = in_b + (iy0 * in_w + ix0) * in_c + ic;
            const int32_t row = in_w * in_c;
            x[0] = r[0]; x[1] = r[in_c]; x[2] = r[2 * in_c];
            r += row;
            x[3] = r[0]; x[4] = r[in_c]; x[5] = r[2 * in_c];
            r += row;
            x[6] = r[0]; x[7] = r[in_c]; x[8] = r[2 * in_c];
          } else {
            for (int32_t t = 0; t < 9; ++t) {
              const int32_t iy = iy0 + t / 3, ix = ix0 + t % 3;
              x[t] = (iy >= 0 && iy < in_h && ix >= 0 && ix < in_w)
                         ? in_b[(iy * in_w + ix) * in_c + ic]
                         : pad_value;
            }
          }
          const int32_t j0 = ic * pairs;
          int32_t j = 0;
          for (; j + 4 <= pairs; j += 4) {  // four channel pairs: x loaded once per tap
            int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            const int32_t* p = pw + j0 + j;
            for (int32_t t = 0; t < 9; ++t, p += half) {
              const int64_t xv = x[t];
              a0 += xv * p[0];
              a1 += xv * p[1];
              a2 += xv * p[2];
              a3 += xv * p[3];
            }
            const int64_t a[4] = {a0, a1, a2, a3};
            for (int32_t k = 0; k < 4; ++k) {
              const int32_t oc = 2 * (j0 + j + k);
              int32_t acc0 = base[oc], acc1 = base[oc + 1];
              UnpackAdd(a[k], &acc0, &acc1);
              out[oc] = RequantizeS8(acc0, Requant(mults[oc], shifts[oc]), out_off, act_min,
                                     act_max);
              out[oc + 1] = RequantizeS8(acc1, Requant(mults[oc + 1], shifts[oc + 1]), out_off,
                                         act_min, act_max);
            }
          }
          for (; j < pairs; ++j) {
            int64_t a = 0;
            const int32_t* p = pw + j0 + j;
            for (int32_t t = 0; t < 9; ++t, p += half) a += static_cast<int64_t>(x[t]) * p[0];
            const int32_t oc = 2 * (j0 + j);
            int32_t acc0 = base[oc], acc1 = base[oc + 1];
            UnpackAdd(a, &acc0, &acc1);
            out[oc] = RequantizeS8(acc0, Requant(mults[oc], shifts[oc]), out_off, act_min,
                                   act_max);
            out[oc + 1] = RequantizeS8(acc1, Requant(mults[oc + 1], shifts[oc + 1]), out_off,
                                       act_min, act_max);
          }
        }
      }
    }
  }
  return true;
}

// int16 x int16 products where the compiler has 16-bit multiply-accumulates (DSP
// extension) and on hosts (where the tests run both forms); plain products elsewhere.
#if defined(__arm__) && !defined(__ARM_FEATURE_DSP)
constexpr bool kDepthwisePackedWeights = false;
#else
constexpr bool kDepthwisePackedWeights = true;
#endif

// Packed 64-bit multiply-accumulates where SMLAL is one cycle (as conv.cc's 1x1 path).
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__)
constexpr bool kDepthwisePackedMultiplier = false;
#else
constexpr bool kDepthwisePackedMultiplier = true;
#endif

}  // namespace

bool DepthwiseConv2dEvalS8Multiplier(const ConvOpData& d, const int8_t* input,
                                     const int8_t* filter, const int32_t* bias,
                                     int8_t* output) {
  return DepthwiseMultiplierS8(d, input, filter, bias, output);
}

bool DepthwiseConv2dEvalS8Plane(const ConvOpData& d, const int8_t* input, const int8_t* filter,
                                const int32_t* bias, int8_t* output, bool packed_weights) {
  return packed_weights ? Depthwise3x3Plane<true>(d, input, filter, bias, output)
                        : Depthwise3x3Plane<false>(d, input, filter, bias, output);
}

// Any shape: per output position the valid tap ranges are computed once (no per-tap
// bounds checks); each contributing tap adds w * (x + input_offset), the TFLite sum.
void DepthwiseConv2dEvalS8General(const ConvOpData& d, const int8_t* input,
                                  const int8_t* filter, const int32_t* bias, int8_t* output) {
  const DwParams p = MakeDwParams(d);
  const int32_t batches = d.batches;
  const int32_t out_h = d.out_h, out_w = d.out_w;
  const int32_t stride_h = d.stride_h, stride_w = d.stride_w;
  const int32_t pad_h = d.padding.height, pad_w = d.padding.width;
  const int32_t dm = d.depth_multiplier;
  const int32_t* const mults = d.multipliers;
  const int8_t* const shifts = d.shifts;
  int8_t* out = output;
  for (int32_t b = 0; b < batches; ++b) {
    const int8_t* const in_b = input + b * p.in_h * p.in_w * p.in_c;
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * stride_h - pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * stride_w - pad_w;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const int32_t acc = DwAccumulateClipped(p, in_b, filter,
                                                  bias != nullptr ? bias[oc] : 0, iy0, ix0,
                                                  oc / dm, oc);
          *out++ = RequantizeS8(acc, mults[oc], shifts[oc], p.out_off, p.act_min, p.act_max);
        }
      }
    }
  }
}

void DepthwiseConv2dEvalS8Reference(const ConvOpData& d, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output) {
  if (d.filter_h == 3 && d.filter_w == 3 && d.dilation_h == 1 && d.dilation_w == 1) {
    // The plane path takes every 3x3 shape since it tiles wide images (measured faster than
    // the multiplier path on VWW's first layer: sparkfun_edge 1.67M -> 1.19M cycles); the
    // two paths below are only reached if it ever refuses a shape.
    if (Depthwise3x3Plane<kDepthwisePackedWeights>(d, input, filter, bias, output)) return;
    if (kDepthwisePackedMultiplier && DepthwiseMultiplierS8(d, input, filter, bias, output)) {
      return;
    }
    Depthwise3x3S8(d, input, filter, bias, output);
    return;
  }
  DepthwiseConv2dEvalS8General(d, input, filter, bias, output);
}

void DepthwiseConv2dEvalS16Reference(const ConvOpData& d, const int16_t* input,
                                     const int8_t* filter, const int64_t* bias,
                                     int16_t* output) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.stride_h - d.padding.height;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.stride_w - d.padding.width;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            int64_t acc = 0;
            for (int32_t fy = 0; fy < d.filter_h; ++fy) {
              const int32_t iy = iy0 + d.dilation_h * fy;
              for (int32_t fx = 0; fx < d.filter_w; ++fx) {
                const int32_t ix = ix0 + d.dilation_w * fx;
                if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
                const int32_t x = input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + ic];
                const int32_t w = filter[(fy * d.filter_w + fx) * d.out_c + oc];
                acc += static_cast<int64_t>(w * x);
              }
            }
            if (bias != nullptr) acc += bias[oc];
            const int32_t scaled =
                MultiplyByQuantizedMultiplier(acc, d.multipliers[oc], d.shifts[oc]);
            output[((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
                static_cast<int16_t>(Clamp32(scaled, d.act_min, d.act_max));
          }
        }
      }
    }
  }
}

namespace {

EmberStatus DepthwiseConv2dInvoke(EmberContext* ctx, EmberNode* node) {
  const auto* d = static_cast<const ConvOpData*>(node->user_data);
  const EmberEvalTensor* input = EvalInput(ctx, node, 0);
  const EmberEvalTensor* filter = EvalInput(ctx, node, 1);
  const EmberEvalTensor* bias = EvalInput(ctx, node, 2);
  EmberEvalTensor* output = EvalOutput(ctx, node, 0);
  switch (d->type) {
    case kEmberFloat32:
      DepthwiseConv2dEvalFloatReference(*d, TensorData<float>(input), TensorData<float>(filter),
                                        bias ? TensorData<float>(bias) : nullptr,
                                        TensorData<float>(output));
      return kEmberOk;
    case kEmberInt8:
      DepthwiseConv2dEvalS8Reference(*d, TensorData<int8_t>(input), TensorData<int8_t>(filter),
                                     bias ? TensorData<int32_t>(bias) : nullptr,
                                     TensorData<int8_t>(output));
      return kEmberOk;
    case kEmberInt16:
      DepthwiseConv2dEvalS16Reference(*d, TensorData<int16_t>(input),
                                      TensorData<int8_t>(filter),
                                      bias ? TensorData<int64_t>(bias) : nullptr,
                                      TensorData<int16_t>(output));
      return kEmberOk;
    default:
      ctx->ReportError(ctx, "DEPTHWISE_CONV_2D: unsupported input type %s", TypeName(d->type));
      return kEmberError;
  }
}

}  // namespace

EmberRegistration RegisterDepthwiseConv2d() {
  EmberRegistration r{};
  r.name = "DEPTHWISE_CONV_2D";
  r.builtin_code = kEmberOpDepthwiseConv2d;
  r.variant = "reference";
  r.init = ConvInit;
  r.prepare = DepthwiseConv2dPrepare;
  r.invoke = DepthwiseConv2dInvoke;
  r.count_macs = ConvCountMacs;
  return r;
}

}  // namespace ember::kernels
