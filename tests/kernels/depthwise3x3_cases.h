// Shared cases of the 3x3 DEPTHWISE_CONV_2D path tests (depthwise_paths_test.cc for the
// reference plane path, depthwise_dsp_paths_test.cc for the DSP variant): a shape and a
// quantization choice build ConvOpData plus random data with forced extremes (inputs and
// weights -128/127, input offsets -127 and 128, multipliers 0, 1, 2^30, 2^31 - 1, shifts
// -31..2, biases near the int32 limits), and an independent per-tap oracle.
#ifndef EMBER_TESTS_KERNELS_DEPTHWISE3X3_CASES_H_
#define EMBER_TESTS_KERNELS_DEPTHWISE3X3_CASES_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/internal/quant_util.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels::testing {

struct Dw3x3Shape {
  int batches, in_h, in_w, in_c, dm, stride_h, stride_w;
  bool same;
};

enum class Dw3x3Quant { kRandom, kFullRange, kExtreme, kLeftShifts, kMaxOffset, kHugeBias };

struct Dw3x3Setup {
  ConvOpData d{};
  std::vector<int32_t> mults, bias;
  std::vector<int8_t> shifts, input, filter;
};

inline void BuildDw3x3(const Dw3x3Shape& sh, Dw3x3Quant quant, uint64_t seed, Dw3x3Setup* s) {
  TestRng rng(seed);
  ConvOpData& d = s->d;
  const int out_c = sh.in_c * sh.dm;
  d.batches = sh.batches;
  d.in_h = sh.in_h;
  d.in_w = sh.in_w;
  d.in_c = sh.in_c;
  d.out_c = out_c;
  d.filter_h = d.filter_w = 3;
  d.filter_in_c = 1;
  d.depth_multiplier = sh.dm;
  d.stride_h = sh.stride_h;
  d.stride_w = sh.stride_w;
  d.dilation_h = d.dilation_w = 1;
  int32_t out_h = 0, out_w = 0;
  d.padding =
      ComputePaddingHeightWidth(sh.stride_h, sh.stride_w, 1, 1, sh.in_h, sh.in_w, 3, 3,
                                sh.same ? kEmberPaddingSame : kEmberPaddingValid, &out_h, &out_w);
  ASSERT_GT(out_h, 0);
  ASSERT_GT(out_w, 0);
  d.out_h = out_h;
  d.out_w = out_w;
  d.type = kEmberInt8;
  d.input_offset = rng.Int(-127, 128);
  d.output_offset = rng.Int(-128, 127);
  d.act_min = rng.Int(-128, -60);
  d.act_max = rng.Int(60, 127);
  if (quant != Dw3x3Quant::kRandom) {
    d.act_min = -128;
    d.act_max = 127;
  }
  if (quant == Dw3x3Quant::kMaxOffset) d.input_offset = (seed % 2) ? 128 : -127;
  s->mults.resize(static_cast<size_t>(out_c));
  s->shifts.resize(static_cast<size_t>(out_c));
  for (int oc = 0; oc < out_c; ++oc) {
    int32_t m = rng.Int(1 << 30, INT32_MAX);
    int32_t shift = rng.Int(-12, -1);
    if (quant == Dw3x3Quant::kExtreme) {
      const int32_t ms[] = {0, 1, 1 << 30, INT32_MAX, m};
      const int32_t shifts[] = {-31, -1, 0, -30, -20, -2, shift};
      m = ms[oc % 5];
      shift = shifts[oc % 7];
    } else if (quant == Dw3x3Quant::kLeftShifts) {
      shift = rng.Int(-1, 2);
    }
    s->mults[static_cast<size_t>(oc)] = m;
    s->shifts[static_cast<size_t>(oc)] = static_cast<int8_t>(shift);
  }
  d.multipliers = s->mults.data();
  d.shifts = s->shifts.data();
  s->input = rng.Ints<int8_t>(static_cast<size_t>(sh.batches * sh.in_h * sh.in_w * sh.in_c));
  s->filter = rng.Ints<int8_t>(static_cast<size_t>(9 * out_c));
  for (size_t i = 0; i < s->input.size(); i += 5) s->input[i] = -128;
  for (size_t i = 0; i < s->input.size(); i += 11) s->input[i] = 127;
  for (size_t i = 0; i < s->filter.size(); i += 3) s->filter[i] = (i % 2) ? 127 : -128;
  s->bias.resize(static_cast<size_t>(out_c));
  for (auto& b : s->bias) b = rng.Int(-60000, 60000);
  if (quant == Dw3x3Quant::kHugeBias) {
    // Around the doubled-sum limit (|bias| < 2^30 - 2^19) and the int32 extremes.
    const int32_t big[] = {(1 << 30) - (1 << 19) - 1, (1 << 30) - (1 << 19), -(1 << 30),
                           INT32_MAX - 300000,        INT32_MIN + 300000,    12345};
    for (size_t i = 0; i < s->bias.size(); ++i) s->bias[i] = big[i % 6];
  }
}

// The plain per-tap loop (TFLite reference structure, written independently of the kernels:
// every tap bounds-checked, w * (x + input_offset) summed with int32 wraparound, then
// MultiplyByQuantizedMultiplier).
inline std::vector<int8_t> NaiveDw3x3(const ConvOpData& d, const int8_t* input,
                                      const int8_t* filter, const int32_t* bias) {
  std::vector<int8_t> out(static_cast<size_t>(d.batches * d.out_h * d.out_w * d.out_c));
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          uint32_t acc = 0;
          for (int32_t fy = 0; fy < 3; ++fy) {
            for (int32_t fx = 0; fx < 3; ++fx) {
              const int32_t iy = oy * d.stride_h - d.padding.height + fy;
              const int32_t ix = ox * d.stride_w - d.padding.width + fx;
              if (iy < 0 || iy >= d.in_h || ix < 0 || ix >= d.in_w) continue;
              const int32_t x =
                  input[((b * d.in_h + iy) * d.in_w + ix) * d.in_c + oc / d.depth_multiplier];
              const int32_t w = filter[(fy * 3 + fx) * d.out_c + oc];
              acc += static_cast<uint32_t>(w * (x + d.input_offset));
            }
          }
          if (bias != nullptr) acc += static_cast<uint32_t>(bias[oc]);
          int32_t v = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), d.multipliers[oc],
                                                    d.shifts[oc]);
          v += d.output_offset;
          out[static_cast<size_t>(((b * d.out_h + oy) * d.out_w + ox) * d.out_c + oc)] =
              static_cast<int8_t>(Clamp32(v, d.act_min, d.act_max));
        }
      }
    }
  }
  return out;
}

}  // namespace ember::kernels::testing

#endif  // EMBER_TESTS_KERNELS_DEPTHWISE3X3_CASES_H_
