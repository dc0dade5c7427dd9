// Parity of the DSP-extension variants (kernels/dsp/) with the reference kernels.
// On the host the variants run the portable versions of the DSP instructions; the first
// tests check those against the instructions' definitions (Armv7E-M ARM: SXTB16,
// SXTAB16, SMLAD, SMLABB, SMLATT) on random and edge operands. The randomized parity
// tests then require bit-identical outputs from RegisterXDsp() and RegisterX() over
// shapes that reach every branch: channel counts with remainders mod 4, depth multiplier
// 1 and > 1, SAME/VALID padding, strides, dilation, groups, zero points at their limits,
// per-tensor filter zero points (FC), no bias, and the float / 16x8 fall-through paths;
// the 1x1 matrix-multiply and depthwise 3x3 fast paths get their own randomized tests, the
// hoisted requantization is compared with MultiplyByQuantizedMultiplier.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/dsp/dsp_intrinsics.h"
#include "kernels/dsp/requantize_dsp.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::PerChannel;
using testing::Tensor;
using testing::TestRng;

int32_t SextB(uint32_t x, int byte) { return static_cast<int8_t>((x >> (8 * byte)) & 0xFF); }
int32_t SextH(uint32_t x, int half) { return static_cast<int16_t>((x >> (16 * half)) & 0xFFFF); }

TEST(DspIntrinsics, PortableMatchDefinitions) {
  TestRng rng(1);
  std::vector<uint32_t> values = {0u,          0xFFFFFFFFu, 0x80808080u, 0x7F7F7F7Fu,
                                  0x8000FFFFu, 0x7FFF8000u, 0x01020304u};
  for (int i = 0; i < 2000; ++i) values.push_back(rng.Next());
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    const uint32_t a = values[i];
    const uint32_t b = values[i + 1];
    const int32_t c = static_cast<int32_t>(values[(i * 7) % values.size()]);
    const uint32_t s = dsp::portable::Sxtb16(a);
    ASSERT_EQ(SextH(s, 0), SextB(a, 0));
    ASSERT_EQ(SextH(s, 1), SextB(a, 2));
    const uint32_t r = dsp::portable::Sxtb16(dsp::portable::Ror8(a));
    ASSERT_EQ(SextH(r, 0), SextB(a, 1));
    ASSERT_EQ(SextH(r, 1), SextB(a, 3));
    const uint32_t t = dsp::portable::Sxtab16(b, a);
    ASSERT_EQ(static_cast<uint16_t>(t & 0xFFFF), static_cast<uint16_t>(SextH(b, 0) + SextB(a, 0)));
    ASSERT_EQ(static_cast<uint16_t>(t >> 16), static_cast<uint16_t>(SextH(b, 1) + SextB(a, 2)));
    const int64_t smlad =
        static_cast<int64_t>(c) + SextH(a, 0) * SextH(b, 0) + SextH(a, 1) * SextH(b, 1);
    ASSERT_EQ(dsp::portable::Smlad(a, b, c), static_cast<int32_t>(static_cast<uint32_t>(smlad)));
    ASSERT_EQ(dsp::portable::Smlabb(a, b, c),
              static_cast<int32_t>(
                  static_cast<uint32_t>(static_cast<int64_t>(c) + SextH(a, 0) * SextH(b, 0))));
    ASSERT_EQ(dsp::portable::Smlatt(a, b, c),
              static_cast<int32_t>(
                  static_cast<uint32_t>(static_cast<int64_t>(c) + SextH(a, 1) * SextH(b, 1))));
  }
}

TEST(DspIntrinsics, DotS8x2MatchesScalar) {
  TestRng rng(3);
  for (int n = 0; n < 19; ++n) {
    const auto x = rng.Ints<int8_t>(static_cast<size_t>(n) + 1);
    const auto w0 = rng.Ints<int8_t>(static_cast<size_t>(n) + 1);
    const auto w1 = rng.Ints<int8_t>(static_cast<size_t>(n) + 1);
    for (int32_t xo : {-127, 3, 128}) {
      int32_t want0 = -5, want1 = 9;
      for (int k = 0; k < n; ++k) {
        want0 += w0[k] * (x[k] + xo);
        want1 += w1[k] * (x[k] + xo);
      }
      int32_t a0 = -5, a1 = 9;
      dsp::DotS8x2(x.data(), w0.data(), w1.data(), n, xo, &a0, &a1);
      ASSERT_EQ(a0, want0) << n;
      ASSERT_EQ(a1, want1) << n;
      // DotS8x4 over rows w0, w1, w0, w1 (stride between consecutive rows).
      std::vector<int8_t> rows;
      for (int r = 0; r < 4; ++r) {
        const auto& src = r % 2 == 0 ? w0 : w1;
        rows.insert(rows.end(), src.begin(), src.begin() + n);
      }
      int32_t acc4[4] = {-5, 9, -5, 9};
      dsp::DotS8x4(x.data(), rows.data(), n, n, xo, acc4);
      ASSERT_EQ(acc4[0], want0);
      ASSERT_EQ(acc4[1], want1);
      ASSERT_EQ(acc4[2], want0);
      ASSERT_EQ(acc4[3], want1);
    }
  }
}

TEST(DspIntrinsics, DotS8OffsetsMatchesScalar) {
  TestRng rng(2);
  for (int n = 0; n < 23; ++n) {
    const auto x = rng.Ints<int8_t>(static_cast<size_t>(n) + 1);
    const auto w = rng.Ints<int8_t>(static_cast<size_t>(n) + 1);
    for (int32_t xo : {-127, 0, 128}) {
      for (int32_t wo : {-128, 0, 127}) {
        int32_t want = 77;
        for (int k = 0; k < n; ++k) want += (w[k] + wo) * (x[k] + xo);
        ASSERT_EQ(dsp::DotS8Offsets(x.data(), w.data(), n, xo, wo, 77), want) << n;
      }
    }
  }
}

struct ConvCase {
  int batches, h, w, in_c, fh, fw, out_c, sh, sw, dh, dw;
  bool same;
  int dm;  // depthwise depth multiplier (0: CONV_2D)
  int in_zp, out_zp;
  EmberActivation act;
  bool bias;
};

template <typename In, typename Bias>
void ConvParity(const ConvCase& k, uint64_t seed) {
  TestRng rng(seed);
  const bool dw = k.dm > 0;
  const int out_c = dw ? k.in_c * k.dm : k.out_c;
  // Grouped convolution (3 groups) whenever the channel counts allow it.
  const int groups = (!dw && k.in_c % 3 == 0 && k.out_c % 3 == 0) ? 3 : 1;
  const int fic = dw ? 1 : k.in_c / groups;
  const auto in = rng.Ints<In>(static_cast<size_t>(k.batches * k.h * k.w * k.in_c));
  const std::vector<int32_t> fdims = dw ? std::vector<int32_t>{1, k.fh, k.fw, out_c}
                                        : std::vector<int32_t>{out_c, k.fh, k.fw, fic};
  const auto filt = rng.Ints<int8_t>(static_cast<size_t>(out_c * k.fh * k.fw * fic), -127, 127);
  std::vector<float> scales;
  for (int c = 0; c < out_c; ++c) scales.push_back(rng.Float(0.001f, 0.02f));
  std::vector<Bias> bias(static_cast<size_t>(out_c));
  for (auto& b : bias) b = static_cast<Bias>(rng.Int(-20000, 20000));
  const int eh = (k.fh - 1) * k.dh + 1, ew = (k.fw - 1) * k.dw + 1;
  const int oh = k.same ? (k.h + k.sh - 1) / k.sh : (k.h - eh + k.sh) / k.sh;
  const int ow = k.same ? (k.w + k.sw - 1) / k.sw : (k.w - ew + k.sw) / k.sw;
  const EmberPadding pad = k.same ? kEmberPaddingSame : kEmberPaddingValid;
  const EmberConvParams cp{pad, k.sw, k.sh, k.dw, k.dh, k.act};
  const EmberDepthwiseConvParams dp{pad, k.sw, k.sh, k.dw, k.dh, k.dm, k.act};
  const void* params = dw ? static_cast<const void*>(&dp) : static_cast<const void*>(&cp);
  auto make_inputs = [&]() {
    std::vector<testing::TestTensor> v = {
        Tensor<In>({k.batches, k.h, k.w, k.in_c}, in, 0.05f, k.in_zp),
        PerChannel<int8_t>(fdims, filt, scales, std::vector<int64_t>(scales.size(), 0), dw ? 3 : 0)
            .Const()};
    if (k.bias) v.push_back(Tensor<Bias>({out_c}, bias).Const());
    return v;
  };
  const float out_scale = 0.07f;
  KernelRunner ref(dw ? RegisterDepthwiseConv2d() : RegisterConv2d(), params, make_inputs(),
                   {Output<In>({k.batches, oh, ow, out_c}, out_scale, k.out_zp)});
  KernelRunner opt(dw ? RegisterDepthwiseConv2dDsp() : RegisterConv2dDsp(), params, make_inputs(),
                   {Output<In>({k.batches, oh, ow, out_c}, out_scale, k.out_zp)});
  ASSERT_EQ(ref.Run(), kEmberOk) << ref.errors();
  ASSERT_EQ(opt.Run(), kEmberOk) << opt.errors();
  EXPECT_EQ(ref.template Output<In>(), opt.template Output<In>());
}

TEST(DspParity, Conv2dInt8RandomShapes) {
  TestRng shapes(10);
  for (int i = 0; i < 40; ++i) {
    ConvCase k{};
    k.batches = shapes.Int(1, 2);
    k.h = shapes.Int(3, 9);
    k.w = shapes.Int(3, 9);
    k.in_c = shapes.Int(1, 13);
    k.fh = shapes.Int(1, 3);
    k.fw = shapes.Int(1, 3);
    k.out_c = shapes.Int(1, 11);  // blocks of 4, 2 and 1 channels
    k.sh = shapes.Int(1, 2);
    k.sw = shapes.Int(1, 2);
    k.dh = shapes.Int(1, 2);
    k.dw = shapes.Int(1, 2);
    k.same = shapes.Int(0, 1) == 1 || (k.fh - 1) * k.dh + 1 > k.h || (k.fw - 1) * k.dw + 1 > k.w;
    k.in_zp = shapes.Int(0, 2) == 0 ? -128 : (shapes.Int(0, 1) ? 127 : shapes.Int(-128, 127));
    k.out_zp = shapes.Int(-128, 127);
    k.act = static_cast<EmberActivation>(shapes.Int(0, 3));
    k.bias = shapes.Int(0, 4) != 0;
    SCOPED_TRACE(i);
    ConvParity<int8_t, int32_t>(k, 100 + static_cast<uint64_t>(i));
  }
}

TEST(DspParity, DepthwiseInt8RandomShapes) {
  TestRng shapes(11);
  for (int i = 0; i < 40; ++i) {
    ConvCase k{};
    k.batches = shapes.Int(1, 2);
    k.h = shapes.Int(3, 9);
    k.w = shapes.Int(3, 9);
    k.in_c = shapes.Int(1, 11);
    k.fh = shapes.Int(1, 3);
    k.fw = shapes.Int(1, 3);
    // dm 1 (4-channel path), 4 or 8 (multiple-of-4 path), 2-3 (reference fallback).
    k.dm = i % 4 == 3 ? shapes.Int(2, 3) : (i % 4 == 2 ? 4 * shapes.Int(1, 2) : 1);
    k.sh = shapes.Int(1, 2);
    k.sw = shapes.Int(1, 2);
    k.dh = shapes.Int(1, 2);
    k.dw = shapes.Int(1, 2);
    k.same = shapes.Int(0, 1) == 1 || (k.fh - 1) * k.dh + 1 > k.h || (k.fw - 1) * k.dw + 1 > k.w;
    k.in_zp = shapes.Int(0, 2) == 0 ? -128 : (shapes.Int(0, 1) ? 127 : shapes.Int(-128, 127));
    k.out_zp = shapes.Int(-128, 127);
    k.act = static_cast<EmberActivation>(shapes.Int(0, 3));
    k.bias = shapes.Int(0, 4) != 0;
    SCOPED_TRACE(i);
    ConvParity<int8_t, int32_t>(k, 200 + static_cast<uint64_t>(i));
  }
}

// The 1x1 stride-1 fast path (matrix multiply, 2 channels x 2 pixels, filter sums for the
// input offset): odd and even pixel and channel counts, input depths with every remainder
// mod 4, input zero points at both limits, batches, with and without bias, SAME and VALID
// (both give no padding for 1x1), one group (3 groups take the general path).
TEST(DspParity, Conv1x1MatrixMultiply) {
  TestRng shapes(13);
  for (int i = 0; i < 60; ++i) {
    ConvCase k{};
    k.batches = shapes.Int(1, 2);
    k.h = shapes.Int(1, 7);
    k.w = shapes.Int(1, 7);
    k.in_c = shapes.Int(1, 40);
    k.fh = 1;
    k.fw = 1;
    k.out_c = shapes.Int(1, 9);
    if (k.in_c % 3 == 0 && k.out_c % 3 == 0) ++k.out_c;  // one group: the fast path
    k.sh = 1;
    k.sw = 1;
    k.dh = shapes.Int(1, 2);
    k.dw = shapes.Int(1, 2);
    k.same = shapes.Int(0, 1) == 1;
    k.in_zp = i % 3 == 0 ? -128 : (i % 3 == 1 ? 127 : shapes.Int(-128, 127));
    k.out_zp = shapes.Int(-128, 127);
    k.act = static_cast<EmberActivation>(shapes.Int(0, 3));
    k.bias = i % 5 != 0;
    SCOPED_TRACE(i);
    ConvParity<int8_t, int32_t>(k, 500 + static_cast<uint64_t>(i));
  }
}

// The depthwise dm=1 and dm=4k paths: channel groups of 4 plus leftovers, 3x3 windows fully
// inside (unrolled) and clipped at every border, strides 1 and 2, dilation 1 and 2,
// SAME / VALID.
TEST(DspParity, Depthwise3x3ChannelGroups) {
  TestRng shapes(14);
  for (int i = 0; i < 40; ++i) {
    ConvCase k{};
    k.batches = shapes.Int(1, 2);
    k.h = shapes.Int(4, 12);
    k.w = shapes.Int(4, 12);
    k.in_c = i % 3 == 2 ? shapes.Int(1, 3) : shapes.Int(1, 20);
    k.fh = 3;
    k.fw = 3;
    k.dm = i % 3 == 2 ? 4 * shapes.Int(1, 2) : 1;
    k.sh = shapes.Int(1, 2);
    k.sw = shapes.Int(1, 2);
    k.dh = i % 4 == 3 ? 2 : 1;
    k.dw = i % 4 == 3 ? 2 : 1;
    k.same = shapes.Int(0, 1) == 1 || 2 * k.dh + 1 > k.h || 2 * k.dw + 1 > k.w;
    k.in_zp = i % 3 == 0 ? -128 : (i % 3 == 1 ? 127 : shapes.Int(-128, 127));
    k.out_zp = shapes.Int(-128, 127);
    k.act = static_cast<EmberActivation>(shapes.Int(0, 3));
    k.bias = i % 5 != 0;
    SCOPED_TRACE(i);
    ConvParity<int8_t, int32_t>(k, 600 + static_cast<uint64_t>(i));
  }
}

// The hoisted requantization equals MultiplyByQuantizedMultiplier for every multiplier
// Prepare can produce (QuantizeMultiplier of positive scales: [2^30, 2^31) or 0), every
// shift in [-31, 30] and accumulators across the whole int32 range, ties included.
TEST(DspRequantize, MatchesMultiplyByQuantizedMultiplier) {
  TestRng rng(15);
  std::vector<int32_t> multipliers = {0, 1 << 30, INT32_MAX, (1 << 30) + 1, 1518500250};
  for (int i = 0; i < 40; ++i) {
    int32_t m = 0;
    int shift = 0;
    QuantizeMultiplier(static_cast<double>(rng.Float(0.5f, 1.0f)), &m, &shift);
    multipliers.push_back(m);
  }
  std::vector<int32_t> accs = {
      0,       1,          -1,    INT32_MAX, INT32_MIN,      INT32_MIN + 1,
      1 << 30, -(1 << 30), 12345, -12345,    0x40000000 - 1, -0x40000000 - 1};
  for (int e = 0; e < 31; ++e) {  // exact ties of the final rounding
    accs.push_back(static_cast<int32_t>(3u << e) >> 1);
    accs.push_back(-(static_cast<int32_t>(3u << e) >> 1));
  }
  for (int i = 0; i < 300; ++i) accs.push_back(static_cast<int32_t>(rng.Next()));
  for (int32_t m : multipliers) {
    for (int shift = -31; shift <= 30; ++shift) {
      const dsp::ChannelQuant q = dsp::MakeChannelQuant(m, shift);
      for (int32_t acc : accs) {
        ASSERT_EQ(dsp::MultiplyByChannelQuant(acc, q), MultiplyByQuantizedMultiplier(acc, m, shift))
            << "acc " << acc << " multiplier " << m << " shift " << shift;
      }
    }
  }
}

TEST(DspParity, FallThroughInt16AndFloat) {
  ConvCase k{1, 5, 6, 4, 3, 3, 3, 1, 2, 1, 1, true, 0, 0, 0, kEmberActRelu, true};
  ConvParity<int16_t, int64_t>(k, 300);
  k.dm = 2;
  ConvParity<int16_t, int64_t>(k, 301);
  // float: same registration, float tensors.
  TestRng rng(302);
  const auto in = rng.Floats(5 * 5 * 4, -1.f, 1.f);
  const auto w = rng.Floats(3 * 3 * 4, -1.f, 1.f);
  const EmberDepthwiseConvParams p{kEmberPaddingSame, 1, 1, 1, 1, 1, kEmberActNone};
  KernelRunner ref(RegisterDepthwiseConv2d(), &p,
                   {Tensor<float>({1, 5, 5, 4}, in), Tensor<float>({1, 3, 3, 4}, w).Const()},
                   {Output<float>({1, 5, 5, 4})});
  KernelRunner opt(RegisterDepthwiseConv2dDsp(), &p,
                   {Tensor<float>({1, 5, 5, 4}, in), Tensor<float>({1, 3, 3, 4}, w).Const()},
                   {Output<float>({1, 5, 5, 4})});
  ASSERT_EQ(ref.Run(), kEmberOk);
  ASSERT_EQ(opt.Run(), kEmberOk);
  EXPECT_EQ(ref.Output<float>(), opt.Output<float>());
}

TEST(DspParity, FullyConnectedInt8RandomShapes) {
  TestRng shapes(12);
  for (int i = 0; i < 40; ++i) {
    const int batches = shapes.Int(1, 3);
    const int depth = shapes.Int(1, 70);
    const int units = shapes.Int(1, 9);
    const bool per_channel = i % 3 == 0;
    const int in_zp = i % 5 == 0 ? -128 : (i % 5 == 1 ? 127 : shapes.Int(-128, 127));
    const int w_zp = per_channel ? 0 : shapes.Int(-128, 127);
    TestRng rng(400 + static_cast<uint64_t>(i));
    const auto in = rng.Ints<int8_t>(static_cast<size_t>(batches * depth));
    const auto w = rng.Ints<int8_t>(static_cast<size_t>(units * depth));
    std::vector<int32_t> bias(static_cast<size_t>(units));
    for (auto& b : bias) b = rng.Int(-50000, 50000);
    std::vector<float> scales;
    for (int u = 0; u < units; ++u) scales.push_back(rng.Float(0.001f, 0.03f));
    auto inputs = [&]() {
      std::vector<testing::TestTensor> v = {
          Tensor<int8_t>({batches, depth}, in, 0.1f, in_zp),
          (per_channel ? PerChannel<int8_t>({units, depth}, w, scales,
                                            std::vector<int64_t>(scales.size(), 0), 0)
                       : Tensor<int8_t>({units, depth}, w, 0.01f, w_zp))
              .Const()};
      if (i % 4 != 0) v.push_back(Tensor<int32_t>({units}, bias).Const());
      return v;
    };
    const EmberFullyConnectedParams p{static_cast<EmberActivation>(i % 4), 0, 0};
    KernelRunner ref(RegisterFullyConnected(), &p, inputs(),
                     {Output<int8_t>({batches, units}, 0.3f, (i * 37) % 256 - 128)});
    KernelRunner opt(RegisterFullyConnectedDsp(), &p, inputs(),
                     {Output<int8_t>({batches, units}, 0.3f, (i * 37) % 256 - 128)});
    ASSERT_EQ(ref.Run(), kEmberOk) << ref.errors();
    ASSERT_EQ(opt.Run(), kEmberOk) << opt.errors();
    EXPECT_EQ(ref.Output<int8_t>(), opt.Output<int8_t>()) << "case " << i;
  }
}

// SVDF: RegisterSvdfDsp() and RegisterSvdf() on the same random layers over several
// frames give identical outputs and states (int8), and the float path falls through.
TEST(DspParity, SvdfInt8RandomShapesAndFloat) {
  TestRng rng(77);
  for (int trial = 0; trial < 24; ++trial) {
    const int batch = rng.Int(1, 3), input_size = rng.Int(1, 40), rank = rng.Int(1, 3);
    const int filters = rank * rng.Int(1, 11), memory = rng.Int(1, 12);
    const int units = filters / rank;
    const int in_zp = trial == 0 ? -128 : (trial == 1 ? 127 : rng.Int(-128, 127));
    const int out_zp = rng.Int(-128, 127);
    const auto wf = rng.Ints<int8_t>(static_cast<size_t>(filters * input_size));
    const auto wt = rng.Ints<int16_t>(static_cast<size_t>(filters * memory));
    const auto bias = rng.Ints<int32_t>(static_cast<size_t>(units), -3000000, 3000000);
    const auto state = rng.Ints<int16_t>(static_cast<size_t>(batch * filters * memory));
    const float st_s = 0.004f, wt_s = 0.002f;
    EmberSvdfParams params{rank, kEmberActNone};
    auto inputs = [&]() {
      return std::vector<testing::TestTensor>{
          Output<int8_t>({batch, input_size}, 0.05f, in_zp),
          Tensor<int8_t>({filters, input_size}, wf, 0.01f, 0).Const(),
          Tensor<int16_t>({filters, memory}, wt, wt_s, 0).Const(),
          Tensor<int32_t>({units}, bias, st_s * wt_s, 0).Const(),
          Output<int16_t>({batch, filters * memory}, st_s, 0).Variable()};
    };
    KernelRunner ref(RegisterSvdf(), &params, inputs(), {Output<int8_t>({batch, units}, 0.0005f, out_zp)});
    KernelRunner opt(RegisterSvdfDsp(), &params, inputs(), {Output<int8_t>({batch, units}, 0.0005f, out_zp)});
    ref.SetInput<int16_t>(4, state);
    opt.SetInput<int16_t>(4, state);
    ASSERT_EQ(ref.InitAndPrepare(), kEmberOk) << ref.errors();
    ASSERT_EQ(opt.InitAndPrepare(), kEmberOk) << opt.errors();
    for (int frame = 0; frame < 4; ++frame) {
      const auto x = rng.Ints<int8_t>(static_cast<size_t>(batch * input_size));
      ref.SetInput<int8_t>(0, x);
      opt.SetInput<int8_t>(0, x);
      ASSERT_EQ(ref.Invoke(), kEmberOk) << ref.errors();
      ASSERT_EQ(opt.Invoke(), kEmberOk) << opt.errors();
      ASSERT_EQ(opt.Output<int8_t>(), ref.Output<int8_t>()) << "trial " << trial << " frame " << frame;
      ASSERT_EQ(opt.Elements<int16_t>(4), ref.Elements<int16_t>(4)) << "trial " << trial;
    }
  }
  // Float: the DSP registration runs the reference.
  EmberSvdfParams fp{1, kEmberActRelu};
  auto finputs = [] {
    return std::vector<testing::TestTensor>{Tensor<float>({1, 3}, {0.5f, -1.f, 2.f}),
                               Tensor<float>({2, 3}, {1.f, 2.f, 3.f, -1.f, 0.5f, 0.25f}).Const(),
                               Tensor<float>({2, 2}, {0.5f, 1.f, -2.f, 1.5f}).Const(),
                               Tensor<float>({2}, {0.1f, -0.2f}).Const(),
                               Output<float>({1, 4}).Variable()};
  };
  KernelRunner fr(RegisterSvdf(), &fp, finputs(), {Output<float>({1, 2})});
  KernelRunner fo(RegisterSvdfDsp(), &fp, finputs(), {Output<float>({1, 2})});
  ASSERT_EQ(fr.Run(), kEmberOk) << fr.errors();
  ASSERT_EQ(fo.Run(), kEmberOk) << fo.errors();
  EXPECT_EQ(fo.Output<float>(), fr.Output<float>());
}

TEST(DspParity, RegistrationsShareReferencePrepare) {
  EXPECT_EQ(RegisterSvdfDsp().prepare, RegisterSvdf().prepare);
  EXPECT_STREQ(RegisterSvdfDsp().variant, "dsp");
  // CONV_2D's DSP variant runs the shared Conv2dPrepare first, then folds the biases of its
  // fixed-depth pointwise kernel (kernels/dsp/conv_dsp.cc; tests/kernels/conv_dsp_paths_test.cc).
  EXPECT_NE(RegisterConv2dDsp().prepare, nullptr);
  EXPECT_EQ(RegisterDepthwiseConv2dDsp().prepare, RegisterDepthwiseConv2d().prepare);
  EXPECT_EQ(RegisterFullyConnectedDsp().prepare, RegisterFullyConnected().prepare);
  EXPECT_STREQ(RegisterConv2dDsp().variant, "dsp");
  EXPECT_NE(RegisterConv2dDsp().invoke, RegisterConv2d().invoke);
}

}  // namespace
}  // namespace ember::kernels
