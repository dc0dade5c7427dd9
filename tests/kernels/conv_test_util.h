// Randomized CONV_2D / DEPTHWISE_CONV_2D test driver shared by conv_test.cc and
// depthwise_conv_test.cc: builds random tensors for a ConvShape, runs the kernel through
// the KernelRunner and compares with the double oracle (conv_oracle.h).
#ifndef EMBER_TESTS_KERNELS_CONV_TEST_UTIL_H_
#define EMBER_TESTS_KERNELS_CONV_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/conv_oracle.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels::testing {

struct QuantCase {
  float in_scale = 0.05f;
  int in_zp = 0;
  float out_scale = 0.1f;
  int out_zp = 0;
  float w_scale_lo = 0.005f, w_scale_hi = 0.02f;
  bool per_channel = true;
  EmberActivation act = kEmberActNone;
  int bias_range = 2000;
};

inline void ActRange(EmberActivation act, double* lo, double* hi) {
  *lo = -1e300;
  *hi = 1e300;
  if (act == kEmberActRelu) *lo = 0;
  if (act == kEmberActRelu6) { *lo = 0; *hi = 6; }
  if (act == kEmberActReluN1To1) { *lo = -1; *hi = 1; }
}

// Options struct for either op; must outlive the runner.
struct ConvOptions {
  EmberConvParams conv{};
  EmberDepthwiseConvParams dw{};
  const void* Get(const ConvShape& s) const {
    return s.depthwise ? static_cast<const void*>(&dw) : static_cast<const void*>(&conv);
  }
};

inline ConvOptions MakeOptions(const ConvShape& s, EmberActivation act) {
  ConvOptions o;
  const EmberPadding pad = s.same ? kEmberPaddingSame : kEmberPaddingValid;
  o.conv = {pad, s.stride_w, s.stride_h, s.dilation_w, s.dilation_h, act};
  o.dw = {pad, s.stride_w, s.stride_h, s.dilation_w, s.dilation_h, s.out_c / s.in_c, act};
  return o;
}

inline EmberRegistration RegistrationFor(const ConvShape& s) {
  return s.depthwise ? RegisterDepthwiseConv2d() : RegisterConv2d();
}

// int8 (In = int8_t, Bias = int32_t) or 16x8 (In = int16_t, Bias = int64_t).
template <typename In, typename Bias>
void RunQuantizedConv(uint64_t seed, const ConvShape& s, const QuantCase& q) {
  TestRng rng(seed);
  const auto in = rng.Ints<In>(s.InputSize());
  const auto w = rng.Ints<int8_t>(s.FilterSize(), -127, 127);
  std::vector<float> w_scales(static_cast<size_t>(s.out_c));
  const float fixed_scale = rng.Float(q.w_scale_lo, q.w_scale_hi);
  for (auto& x : w_scales) x = q.per_channel ? rng.Float(q.w_scale_lo, q.w_scale_hi) : fixed_scale;
  std::vector<Bias> bias(static_cast<size_t>(s.out_c));
  for (auto& b : bias) b = static_cast<Bias>(rng.Int(-q.bias_range, q.bias_range));
  std::vector<float> b_scales;
  for (float ws : w_scales) b_scales.push_back(q.in_scale * ws);
  const int32_t qdim = s.depthwise ? 3 : 0;
  TestTensor filter =
      q.per_channel
          ? PerChannel<int8_t>(s.FilterDims(), w, w_scales,
                               std::vector<int64_t>(w_scales.size(), 0), qdim)
          : Tensor<int8_t>(s.FilterDims(), w, fixed_scale, 0);
  const ConvOptions opts = MakeOptions(s, q.act);
  KernelRunner r(RegistrationFor(s), opts.Get(s),
                 {Tensor<In>(s.InputDims(), in, q.in_scale, q.in_zp), filter.Const(),
                  PerChannel<Bias>({s.out_c}, bias, b_scales,
                                   std::vector<int64_t>(b_scales.size(), 0), 0)
                      .Const()},
                 {Output<In>(s.OutputDims(), q.out_scale, q.out_zp)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> in_r, w_r, b_r;
  for (In x : in) in_r.push_back((static_cast<double>(x) - q.in_zp) * q.in_scale);
  const int dm_or_fic = s.depthwise ? 1 : s.FilterInC();
  for (size_t i = 0; i < w.size(); ++i) {
    // Channel of filter element i: conv dim 0 (i / (FH*FW*FIC)), depthwise dim 3 (i % C).
    const size_t c = s.depthwise
                         ? i % static_cast<size_t>(s.out_c)
                         : i / static_cast<size_t>(s.filter_h * s.filter_w * dm_or_fic);
    w_r.push_back(static_cast<double>(w[i]) * w_scales[c]);
  }
  for (size_t c = 0; c < bias.size(); ++c) {
    b_r.push_back(static_cast<double>(bias[c]) * q.in_scale * w_scales[c]);
  }
  double lo = 0, hi = 0;
  ActRange(q.act, &lo, &hi);
  const auto expected = ConvOracle(s, in_r, w_r, b_r, lo, hi);
  ExpectWithinLsb<In>(r.template Output<In>(), expected, q.out_scale, q.out_zp);
}

inline void RunFloatConv(uint64_t seed, const ConvShape& s, EmberActivation act) {
  TestRng rng(seed);
  const auto in = rng.Floats(s.InputSize(), -2.f, 2.f);
  const auto w = rng.Floats(s.FilterSize(), -1.f, 1.f);
  const auto bias = rng.Floats(static_cast<size_t>(s.out_c), -1.f, 1.f);
  const ConvOptions opts = MakeOptions(s, act);
  KernelRunner r(RegistrationFor(s), opts.Get(s),
                 {Tensor<float>(s.InputDims(), in), Tensor<float>(s.FilterDims(), w).Const(),
                  Tensor<float>({s.out_c}, bias).Const()},
                 {Output<float>(s.OutputDims())});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  double lo = 0, hi = 0;
  ActRange(act, &lo, &hi);
  const auto expected =
      ConvOracle(s, std::vector<double>(in.begin(), in.end()),
                 std::vector<double>(w.begin(), w.end()),
                 std::vector<double>(bias.begin(), bias.end()), lo, hi);
  ExpectFloatNear(r.Output<float>(), expected, 1e-4, 1e-5);
}

}  // namespace ember::kernels::testing

#endif  // EMBER_TESTS_KERNELS_CONV_TEST_UTIL_H_
