// SVDF kernel tests.
// Golden data: the small cases below were computed by hand from the algorithm in
// kernels/svdf.cc's header (TFLite's reference SVDF: flat state shift, feature matmul
// into the newest slot, time dot products, rank reduction, bias); each expected value
// has its arithmetic in a comment. Randomized cases compare with an independent
// double-precision model of the same layer written here.
#include <cmath>
#include <vector>

#include "kernels/fixed_multiply.h"
#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::Absent;
using testing::ExpectFloatNear;
using testing::KernelRunner;
using testing::Output;
using testing::Tensor;
using testing::TestRng;

// Double-precision SVDF over several frames; state[b][f][m], newest at m = memory - 1.
// quantize_state: round the new activation to a multiple of state_scale and clamp to
// int16 (the int8 model's state is an int16 tensor), otherwise keep it exact.
struct SvdfModel {
  int batch, input_size, filters, memory, rank;
  std::vector<double> wf, wt, bias;  // real values
  std::vector<double> state;
  double state_scale = 0;  // 0: float model
  std::vector<double> Step(const std::vector<double>& x, bool relu) {
    std::vector<double> flat(state);
    for (size_t i = 0; i + 1 < flat.size(); ++i) flat[i] = flat[i + 1];  // flat shift
    state = flat;
    for (int b = 0; b < batch; ++b) {
      for (int f = 0; f < filters; ++f) {
        double acc = 0;
        for (int i = 0; i < input_size; ++i) acc += wf[f * input_size + i] * x[b * input_size + i];
        if (state_scale > 0) {
          acc = std::round(acc / state_scale);
          acc = std::fmin(std::fmax(acc, -32768.0), 32767.0) * state_scale;
        }
        state[(b * filters + f) * memory + memory - 1] = acc;
      }
    }
    const int units = filters / rank;
    std::vector<double> out(batch * units);
    for (int b = 0; b < batch; ++b) {
      for (int u = 0; u < units; ++u) {
        double acc = bias.empty() ? 0 : bias[u];
        for (int r = 0; r < rank; ++r) {
          const int f = u * rank + r;
          for (int m = 0; m < memory; ++m) {
            acc += wt[f * memory + m] * state[(b * filters + f) * memory + m];
          }
        }
        out[b * units + u] = relu ? std::fmax(acc, 0.0) : acc;
      }
    }
    return out;
  }
};

TEST(SvdfTest, Int8HandComputedTwoFrames) {
  // All scales 1 (M1 = M2 = 1), input zero point -3, output zero point 5.
  // weights_feature [[1,1],[2,-1]], weights_time [[1,2],[3,4]], bias [1,-1], rank 1.
  EmberSvdfParams params{1, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Tensor<int8_t>({1, 2}, {-2, -1}, 1.f, -3),  // real x = [1, 2]
                  Tensor<int8_t>({2, 2}, {1, 1, 2, -1}, 1.f, 0).Const(),
                  Tensor<int16_t>({2, 2}, {1, 2, 3, 4}, 1.f, 0).Const(),
                  Tensor<int32_t>({2}, {1, -1}, 1.f, 0).Const(),
                  Tensor<int16_t>({1, 4}, {0, 0, 0, 0}, 1.f, 0).Variable()},
                 {Output<int8_t>({1, 2}, 1.f, 5)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // feature: f0 = 1+2 = 3, f1 = 2-2 = 0 -> state [0,3, 0,0]
  // time: f0 = 0*1 + 3*2 = 6, f1 = 0 -> out real [7, -1] -> q [12, 4]
  EXPECT_EQ(r.Elements<int16_t>(4), (std::vector<int16_t>{0, 3, 0, 0}));
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{12, 4}));
  // Frame 2, real x = [2, 2]: flat shift [0,3,0,0] -> [3,0,0,0]; newest f0 = 4, f1 = 2
  // -> state [3,4, 0,2]; time f0 = 3*1+4*2 = 11, f1 = 0*3+2*4 = 8; out [12, 7] -> [17, 12].
  r.SetInput<int8_t>(0, {-1, -1});
  ASSERT_EQ(r.Invoke(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Elements<int16_t>(4), (std::vector<int16_t>{3, 4, 0, 2}));
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{17, 12}));
}

TEST(SvdfTest, Int8RoundingAndSaturation) {
  // M1 = 0.5 * 0.25 / 0.25 = 0.5: feature sums round half away from zero.
  // M2 = 0.25 * 1 / 1 = 0.25. Output zero point 127 (top of range) -> saturation.
  EmberSvdfParams params{1, kEmberActRelu};  // ignored by the int8 path, as in TFLite
  KernelRunner r(RegisterSvdf(), &params,
                 {Tensor<int8_t>({1, 1}, {3}, 0.5f, 0),
                  Tensor<int8_t>({3, 1}, {1, -1, 127}, 0.25f, 0).Const(),
                  Tensor<int16_t>({3, 1}, {1, 1, -300}, 1.f, 0).Const(), Absent(),
                  Tensor<int16_t>({1, 3}, {0, 0, 0}, 0.25f, 0).Variable()},
                 {Output<int8_t>({1, 3}, 1.f, 100)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  // feature acc: 3, -3, 381; * 0.5 (multiplier 2^30, shift 0) -> 1.5 -> 2, 190.5 -> 191,
  // but -1.5 -> -1: the doubling high multiply's nudge for negative products is
  // 1 - 2^30, so a negative tie truncates toward zero (gemmlowp/TFLite behaviour).
  EXPECT_EQ(r.Elements<int16_t>(4), (std::vector<int16_t>{2, -1, 191}));
  // time: 2, -1, -57300; * 0.25 (2^30, shift -1): 2 -> high mul 1 -> rounding shift
  // 0.5 -> 1; -1 -> high mul -0.5 -> 0; -57300 -> -14325 -> +100 -> clamp -128.
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{101, 100, -128}));
}

TEST(SvdfTest, Int8StateSaturatesToInt16) {
  // M1 = 1 * 1 / 0.001 = 1000 (a multiplier above 1): 127*127*1000 clamps to 32767.
  EmberSvdfParams params{1, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Tensor<int8_t>({1, 2}, {127, -128}, 1.f, 0),
                  Tensor<int8_t>({2, 2}, {127, 0, 0, 127}, 1.f, 0).Const(),
                  Tensor<int16_t>({2, 1}, {1, 1}, 0.001f, 0).Const(), Absent(),
                  Tensor<int16_t>({1, 2}, {0, 0}, 0.001f, 0).Variable()},
                 {Output<int8_t>({1, 2}, 0.001f * 0.001f * 1000.f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Elements<int16_t>(4), (std::vector<int16_t>{32767, -32768}));
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{33, -33}));  // 32767/1000 = 32.8
}

TEST(SvdfTest, Int8RandomAgainstDoubleModel) {
  TestRng rng(7);
  const int batch = 2, input_size = 5, filters = 6, memory = 4, rank = 2, units = 3;
  const float in_s = 0.05f, wf_s = 0.01f, wt_s = 0.002f, st_s = 0.004f, out_s = 0.0005f;
  const int in_zp = -4, out_zp = 3;
  auto wf = rng.Ints<int8_t>(filters * input_size);
  auto wt = rng.Ints<int16_t>(filters * memory, -300, 300);
  auto bias = rng.Ints<int32_t>(units, -2000, 2000);
  EmberSvdfParams params{rank, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Output<int8_t>({batch, input_size}, in_s, in_zp),
                  Tensor<int8_t>({filters, input_size}, wf, wf_s, 0).Const(),
                  Tensor<int16_t>({filters, memory}, wt, wt_s, 0).Const(),
                  Tensor<int32_t>({units}, bias, st_s * wt_s, 0).Const(),
                  Output<int16_t>({batch, filters * memory}, st_s, 0).Variable()},
                 {Output<int8_t>({batch, units}, out_s, out_zp)});
  r.SetInput<int16_t>(4, std::vector<int16_t>(batch * filters * memory, 0));
  ASSERT_EQ(r.InitAndPrepare(), kEmberOk) << r.errors();
  SvdfModel m{batch, input_size, filters, memory, rank, {}, {}, {}, {}, st_s};
  for (auto v : wf) m.wf.push_back(v * double{wf_s});
  for (auto v : wt) m.wt.push_back(v * double{wt_s});
  for (auto v : bias) m.bias.push_back(v * double{st_s} * wt_s);
  m.state.assign(batch * filters * memory, 0.0);
  for (int frame = 0; frame < 6; ++frame) {
    auto x = rng.Ints<int8_t>(batch * input_size);
    r.SetInput<int8_t>(0, x);
    ASSERT_EQ(r.Invoke(), kEmberOk) << r.errors();
    std::vector<double> xr;
    for (auto v : x) xr.push_back((v - in_zp) * double{in_s});
    testing::ExpectWithinLsb(r.Output<int8_t>(), m.Step(xr, false), out_s, out_zp, 1);
    std::vector<int16_t> state = r.Elements<int16_t>(4);
    for (size_t i = 0; i < state.size(); ++i) {
      EXPECT_NEAR(state[i], m.state[i] / st_s, 1.0) << "frame " << frame << " state " << i;
    }
  }
}

TEST(SvdfTest, FloatRank2AgainstDoubleModelOverFrames) {
  TestRng rng(11);
  const int batch = 2, input_size = 3, filters = 4, memory = 3, rank = 2, units = 2;
  auto wf = rng.Floats(filters * input_size, -1, 1);
  auto wt = rng.Floats(filters * memory, -1, 1);
  auto bias = rng.Floats(units, -0.5f, 0.5f);
  EmberSvdfParams params{rank, kEmberActRelu};
  KernelRunner r(RegisterSvdf(), &params,
                 {Output<float>({batch, input_size}), Tensor<float>({filters, input_size}, wf),
                  Tensor<float>({filters, memory}, wt), Tensor<float>({units}, bias),
                  Tensor<float>({batch, filters * memory},
                                std::vector<float>(batch * filters * memory, 0.f))
                      .Variable()},
                 {Output<float>({batch, units})});
  ASSERT_EQ(r.InitAndPrepare(), kEmberOk) << r.errors();
  SvdfModel m{batch, input_size, filters, memory, rank, {}, {}, {}, {}, 0.0};
  m.wf.assign(wf.begin(), wf.end());
  m.wt.assign(wt.begin(), wt.end());
  m.bias.assign(bias.begin(), bias.end());
  m.state.assign(batch * filters * memory, 0.0);
  for (int frame = 0; frame < 5; ++frame) {
    auto x = rng.Floats(batch * input_size, -2, 2);
    r.SetInput<float>(0, x);
    ASSERT_EQ(r.Invoke(), kEmberOk) << r.errors();
    ExpectFloatNear(r.Output<float>(), m.Step(std::vector<double>(x.begin(), x.end()), true));
  }
}

TEST(SvdfTest, FloatHandComputed) {
  // input [1, -1]; wf [[2, 1]] (1 filter); wt [[0.5, 1]]; no bias; memory 2.
  // state [0, 0] -> shift -> newest = 2 - 1 = 1 -> [0, 1]; out = 0*0.5 + 1*1 = 1.
  EmberSvdfParams params{1, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Tensor<float>({1, 2}, {1.f, -1.f}), Tensor<float>({1, 2}, {2.f, 1.f}),
                  Tensor<float>({1, 2}, {0.5f, 1.f}), Absent(),
                  Tensor<float>({1, 2}, {0.f, 0.f}).Variable()},
                 {Output<float>({1, 1})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), std::vector<float>{1.f});
  ASSERT_EQ(r.Invoke(), kEmberOk);  // state [1, 1] -> out 0.5 + 1 = 1.5
  EXPECT_EQ(r.Output<float>(), std::vector<float>{1.5f});
}

TEST(SvdfTest, RejectsRankNotDividingFilters) {
  EmberSvdfParams params{2, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Output<float>({1, 2}), Output<float>({3, 2}), Output<float>({3, 2}), Absent(),
                  Output<float>({1, 6}).Variable()},
                 {Output<float>({1, 1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("not a multiple of rank")) << r.errors();
}

TEST(SvdfTest, RejectsInt8WeightsTime) {
  EmberSvdfParams params{1, kEmberActNone};
  KernelRunner r(RegisterSvdf(), &params,
                 {Output<int8_t>({1, 2}, 1.f), Output<int8_t>({1, 2}, 1.f),
                  Output<int8_t>({1, 2}, 1.f), Absent(), Output<int16_t>({1, 2}, 1.f).Variable()},
                 {Output<int8_t>({1, 1}, 1.f)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("int16 weights_time")) << r.errors();
}

TEST(SvdfTest, RejectsNonVariableStateAndBadOutputShape) {
  EmberSvdfParams params{1, kEmberActNone};
  KernelRunner a(RegisterSvdf(), &params,
                 {Output<float>({1, 2}), Output<float>({1, 2}), Output<float>({1, 2}), Absent(),
                  Output<float>({1, 2})},
                 {Output<float>({1, 1})});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("variable")) << a.errors();
  KernelRunner b(RegisterSvdf(), &params,
                 {Output<float>({1, 2}), Output<float>({1, 2}), Output<float>({1, 2}), Absent(),
                  Output<float>({1, 2}).Variable()},
                 {Output<float>({1, 2})});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("output must be [1, 1]")) << b.errors();
}

}  // namespace
}  // namespace ember::kernels

namespace ember::kernels {
namespace {

// Integer SVDF exactly as TFLite's reference writes it (flat state shift over the whole
// buffer, feature matmul into the newest slots, wrapping int32 time sums), to check the
// kernel's reorganised loops bit for bit: outputs and the whole state, over frames.
void CheckSvdfInt8BitExact(uint64_t seed, int batch, int input_size, int filters, int memory,
                           int rank, EmberRegistration reg = RegisterSvdf()) {
  TestRng rng(seed);
  const int units = filters / rank;
  const float in_s = 0.05f, wf_s = 0.01f, wt_s = 0.002f, st_s = 0.004f, out_s = 0.0005f;
  const int in_zp = rng.Int(-128, 127), out_zp = rng.Int(-20, 20);
  auto wf = rng.Ints<int8_t>(static_cast<size_t>(filters * input_size));
  auto wt = rng.Ints<int16_t>(static_cast<size_t>(filters * memory));
  auto bias = rng.Ints<int32_t>(static_cast<size_t>(units), -200000, 200000);
  EmberSvdfParams params{rank, kEmberActNone};
  KernelRunner r(reg, &params,
                 {Output<int8_t>({batch, input_size}, in_s, in_zp),
                  Tensor<int8_t>({filters, input_size}, wf, wf_s, 0).Const(),
                  Tensor<int16_t>({filters, memory}, wt, wt_s, 0).Const(),
                  Tensor<int32_t>({units}, bias, st_s * wt_s, 0).Const(),
                  Output<int16_t>({batch, filters * memory}, st_s, 0).Variable()},
                 {Output<int8_t>({batch, units}, out_s, out_zp)});
  std::vector<int16_t> state = rng.Ints<int16_t>(static_cast<size_t>(batch * filters * memory));
  r.SetInput<int16_t>(4, state);
  ASSERT_EQ(r.InitAndPrepare(), kEmberOk) << r.errors();
  int32_t m1 = 0, m2 = 0;
  int s1 = 0, s2 = 0;
  QuantizeMultiplier(static_cast<double>(in_s * wf_s / st_s), &m1, &s1);
  QuantizeMultiplier(static_cast<double>(st_s * wt_s / out_s), &m2, &s2);
  for (int frame = 0; frame < 5; ++frame) {
    auto x = rng.Ints<int8_t>(static_cast<size_t>(batch * input_size));
    r.SetInput<int8_t>(0, x);
    ASSERT_EQ(r.Invoke(), kEmberOk) << r.errors();
    for (size_t i = 0; i + 1 < state.size(); ++i) state[i] = state[i + 1];
    for (int b = 0; b < batch; ++b) {
      for (int f = 0; f < filters; ++f) {
        int32_t acc = 0;
        for (int i = 0; i < input_size; ++i) {
          acc += wf[static_cast<size_t>(f * input_size + i)] * (x[static_cast<size_t>(b * input_size + i)] - in_zp);
        }
        acc = Clamp32(MultiplyByQuantizedMultiplier(acc, m1, s1), INT16_MIN, INT16_MAX);
        state[static_cast<size_t>((b * filters + f) * memory + memory - 1)] = static_cast<int16_t>(acc);
      }
    }
    std::vector<int8_t> expected;
    for (int b = 0; b < batch; ++b) {
      for (int u = 0; u < units; ++u) {
        uint32_t acc = static_cast<uint32_t>(bias[static_cast<size_t>(u)]);
        for (int rr = 0; rr < rank; ++rr) {
          const int f = u * rank + rr;
          uint32_t t = 0;
          for (int m = 0; m < memory; ++m) {
            t += static_cast<uint32_t>(wt[static_cast<size_t>(f * memory + m)] *
                                       state[static_cast<size_t>((b * filters + f) * memory + m)]);
          }
          acc += t;
        }
        const int32_t v = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), m2, s2) + out_zp;
        expected.push_back(static_cast<int8_t>(Clamp32(v, -128, 127)));
      }
    }
    EXPECT_EQ(r.Output<int8_t>(), expected) << "frame " << frame;
    EXPECT_EQ(r.Elements<int16_t>(4), state) << "frame " << frame;
  }
}

TEST(SvdfTest, Int8BitExactAgainstIntegerReference) {
  CheckSvdfInt8BitExact(21, 1, 96, 64, 8, 1);   // hotword's first layer
  CheckSvdfInt8BitExact(22, 1, 16, 32, 32, 1);  // hotword's later layers
  CheckSvdfInt8BitExact(23, 2, 5, 7, 5, 1);     // filters % 4 != 0, odd memory, batch 2
  CheckSvdfInt8BitExact(24, 2, 3, 6, 1, 2);     // memory 1, rank 2
  CheckSvdfInt8BitExact(25, 1, 9, 10, 2, 2);
  // Inputs longer than the stack chunk (128), odd memories, rank > 1 across batches (the
  // last unit of the last batch holds the state buffer's final row).
  CheckSvdfInt8BitExact(26, 1, 200, 8, 4, 1);
  CheckSvdfInt8BitExact(27, 3, 10, 9, 3, 3);
  CheckSvdfInt8BitExact(28, 2, 130, 6, 7, 2);
  CheckSvdfInt8BitExact(29, 2, 4, 5, 1, 1);
}

// The DSP-extension variant against the same integer reference (outputs and the whole
// state over frames): memories with a multiple of 4, an odd pair count, odd sizes and 1;
// input sizes with and without a remainder mod 4; filters with a remainder mod 4.
TEST(SvdfTest, DspInt8BitExactAgainstIntegerReference) {
  const EmberRegistration dsp = RegisterSvdfDsp();
  CheckSvdfInt8BitExact(41, 1, 96, 64, 8, 1, dsp);
  CheckSvdfInt8BitExact(42, 1, 16, 32, 32, 1, dsp);
  CheckSvdfInt8BitExact(43, 2, 5, 7, 5, 1, dsp);
  CheckSvdfInt8BitExact(44, 2, 3, 6, 1, 2, dsp);
  CheckSvdfInt8BitExact(45, 1, 9, 10, 2, 2, dsp);
  CheckSvdfInt8BitExact(46, 1, 200, 8, 6, 1, dsp);
  CheckSvdfInt8BitExact(47, 3, 10, 9, 3, 3, dsp);
  CheckSvdfInt8BitExact(48, 2, 130, 6, 7, 2, dsp);
  CheckSvdfInt8BitExact(49, 2, 4, 5, 1, 1, dsp);
}

}  // namespace
}  // namespace ember::kernels

namespace ember::kernels {
namespace {

// The 32-bit-only high product (used on Armv6-M) against the 64-bit formula, and the
// Requantizer against MultiplyByQuantizedMultiplier, over extreme and random operands.
TEST(FixedMultiply, RoundedHighMul16MatchesInt64AndRequantizerMatchesLibrary) {
  testing::TestRng rng(5);
  std::vector<int32_t> xs = {INT32_MIN, INT32_MIN + 1, INT32_MAX, 0, 1, -1, 65535, 65536,
                             -65535, -65536, 32767, -32768, 1 << 30, -(1 << 30)};
  std::vector<int32_t> ms = {0, 1, 65535, 65536, 1 << 30, INT32_MAX, (1 << 30) + 12345};
  for (int i = 0; i < 300; ++i) {
    xs.push_back(static_cast<int32_t>(rng.Next()));
    ms.push_back(static_cast<int32_t>(rng.Next() >> 1));
  }
  for (int32_t x : xs) {
    for (int32_t m : ms) {
      const int32_t want =
          static_cast<int32_t>((static_cast<int64_t>(x) * m + (int64_t{1} << 30)) >> 31);
      ASSERT_EQ(fixed_multiply::RoundedHighMul16(x, m), want) << x << " * " << m;
      if (m >= (1 << 30)) {  // the multipliers QuantizeMultiplier produces
        for (int shift : {-31, -12, -1, 0, 1, 7}) {
          ASSERT_EQ(fixed_multiply::Requantizer(m, shift).Apply(x),
                    MultiplyByQuantizedMultiplier(x, m, shift))
              << x << " " << m << " " << shift;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ember::kernels
