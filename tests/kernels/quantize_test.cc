// QUANTIZE and DEQUANTIZE kernel tests.
// Golden data: hand-computed (arithmetic in the comments); randomized requantization is
// compared with a double-precision oracle (within 1 LSB).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/internal/quant_util.h"
#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::KernelRunner;
using testing::Output;
using testing::Tensor;
using testing::TestRng;

TEST(Quantize, FloatToInt8GoldenRoundingAndSaturation) {
  // scale 0.5, zp -3: 1.25/0.5 = 2.5 -> 3 (half away) -> 0; -1.25 -> -3 -> -6;
  // 100 -> 200 - 3 saturates at 127; -100 -> -128.
  KernelRunner r(RegisterQuantize(), nullptr, {Tensor<float>({4}, {1.25f, -1.25f, 100.f, -100.f})},
                 {Output<int8_t>({4}, 0.5f, -3)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{0, -6, 127, -128}));
}

TEST(Quantize, FloatToInt16) {
  KernelRunner r(RegisterQuantize(), nullptr, {Tensor<float>({3}, {0.5f, -1.0f, 1000.f})},
                 {Output<int16_t>({3}, 0.001f, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{500, -1000, 32767}));
}

TEST(Quantize, Int16ToInt32Golden) {
  // The keyword model's final op: int16 (1/65536, zp -32768) -> int32 (1/32768, zp 0):
  // q = (x + 32768) / 2 -> 0 -> 16384, -32768 -> 0, 32767 -> 32768 (65535/2 = 32767.5 ->
  // 32768: half rounds up in the fixed-point multiply).
  KernelRunner r(RegisterQuantize(), nullptr,
                 {Tensor<int16_t>({3}, {0, -32768, 32767}, 1.0f / 65536, -32768)},
                 {Output<int32_t>({3}, 1.0f / 32768, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int32_t>(), (std::vector<int32_t>{16384, 0, 32768}));
}

template <typename In, typename Out>
void RandomRequantize(uint64_t seed, float in_scale, int in_zp, float out_scale, int out_zp) {
  TestRng rng(seed);
  const auto x = rng.Ints<In>(64);
  KernelRunner r(RegisterQuantize(), nullptr, {Tensor<In>({64}, x, in_scale, in_zp)},
                 {Output<Out>({64}, out_scale, out_zp)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> real;
  for (In v : x) real.push_back((static_cast<double>(v) - in_zp) * in_scale);
  testing::ExpectWithinLsb<Out>(r.template Output<Out>(), real, out_scale, out_zp);
}

TEST(Quantize, Int16ToInt8RandomKeywordScales) {
  RandomRequantize<int16_t, int8_t>(1, 0.000625f, 0, 0.059208f, -128);
}
TEST(Quantize, Int8ToInt8MultiplierAboveAndBelowOne) {
  RandomRequantize<int8_t, int8_t>(2, 0.1f, 5, 0.03f, -20);
  RandomRequantize<int8_t, int8_t>(3, 0.1f, -128, 0.7f, 127);
}
TEST(Quantize, Int8ToInt16) { RandomRequantize<int8_t, int16_t>(4, 0.05f, 3, 0.0001f, 0); }
TEST(Quantize, Int16ToInt16) { RandomRequantize<int16_t, int16_t>(5, 0.001f, 0, 0.0007f, 0); }

TEST(Quantize, RejectsUnsupported) {
  KernelRunner r(RegisterQuantize(), nullptr, {Tensor<float>({1}, {1.f})},
                 {Output<int32_t>({1}, 0.5f, 0)});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("float32 -> INT32 is not supported")) << r.errors();
  KernelRunner r2(RegisterQuantize(), nullptr, {Tensor<int8_t>({2}, {1, 2}, 0.5f, 0)},
                  {Output<int8_t>({1}, 0.5f, 0)});
  EXPECT_EQ(r2.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r2.HasError("output has 1 elements, input has 2")) << r2.errors();
}

TEST(Dequantize, Int8AndInt16Golden) {
  KernelRunner r(RegisterDequantize(), nullptr, {Tensor<int8_t>({3}, {-128, 0, 127}, 0.5f, -1)},
                 {Output<float>({3})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<float>(), (std::vector<float>{-63.5f, 0.5f, 64.0f}));
  KernelRunner r2(RegisterDequantize(), nullptr,
                  {Tensor<int16_t>({2}, {-32768, 1000}, 0.001f, 0)}, {Output<float>({2})});
  ASSERT_EQ(r2.Run(), kEmberOk) << r2.errors();
  EXPECT_EQ(r2.Output<float>(),
            (std::vector<float>{static_cast<float>(0.001f * -32768.0),
                                static_cast<float>(static_cast<double>(0.001f) * 1000.0)}));
}

TEST(Dequantize, RejectsFloatInput) {
  KernelRunner r(RegisterDequantize(), nullptr, {Tensor<float>({1}, {1.f})}, {Output<float>({1})});
  EXPECT_EQ(r.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(r.HasError("unsupported input type FLOAT32")) << r.errors();
}

}  // namespace
}  // namespace ember::kernels

namespace ember::kernels {
namespace {

// The requantize loop (conv_internal::Requant form) against TFLite's formula written with
// MultiplyByQuantizedMultiplier, bit for bit, over random scales (shifts both ways),
// zero points at their limits and every input value class.
template <typename In, typename Out>
void RequantizeBitExact(uint64_t seed) {
  testing::TestRng rng(seed);
  for (int trial = 0; trial < 40; ++trial) {
    // One random draw per statement (argument evaluation order differs between compilers,
    // and the emulated run must see the host's data).
    const int in_mant = rng.Int(1000, 30000);
    const int in_exp = rng.Int(-24, -4);
    const int out_mant = rng.Int(1000, 30000);
    const int out_exp = rng.Int(-24, -4);
    const float in_scale = std::ldexp(static_cast<float>(in_mant), in_exp);
    const float out_scale = std::ldexp(static_cast<float>(out_mant), out_exp);
    const int in_zp = sizeof(In) == 1 ? rng.Int(-128, 127) : rng.Int(-32768, 32767);
    const int out_zp = sizeof(Out) == 1 ? rng.Int(-128, 127) : rng.Int(-32768, 32767);
    auto x = rng.Ints<In>(48);
    x[0] = std::numeric_limits<In>::min();
    x[1] = std::numeric_limits<In>::max();
    testing::KernelRunner r(RegisterQuantize(), nullptr,
                            {testing::Tensor<In>({48}, x, in_scale, in_zp)},
                            {testing::Output<Out>({48}, out_scale, out_zp)});
    ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
    int32_t m = 0;
    int s = 0;
    QuantizeMultiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale), &m, &s);
    std::vector<Out> want;
    for (In v : x) {
      const int32_t q = MultiplyByQuantizedMultiplier(static_cast<int32_t>(v) - in_zp, m, s);
      const int64_t sum = static_cast<int64_t>(q) + out_zp;
      const int64_t lo = std::numeric_limits<Out>::min(), hi = std::numeric_limits<Out>::max();
      want.push_back(static_cast<Out>(sum < lo ? lo : (sum > hi ? hi : sum)));
    }
    ASSERT_EQ(r.template Output<Out>(), want) << "seed " << seed << " trial " << trial;
  }
}

TEST(Quantize, RequantizeBitExactWithMultiplyByQuantizedMultiplier) {
  RequantizeBitExact<int16_t, int8_t>(11);
  RequantizeBitExact<int16_t, int16_t>(12);
  RequantizeBitExact<int8_t, int8_t>(13);
  RequantizeBitExact<int8_t, int16_t>(14);
  RequantizeBitExact<int16_t, int32_t>(15);
}

}  // namespace
}  // namespace ember::kernels
