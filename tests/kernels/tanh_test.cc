// TANH kernel tests. Quantized outputs are compared over whole input ranges with a
// double-precision oracle (std::tanh(x)) quantized to the output: within 1 LSB for int8
// and within kInt16Lsb LSB (Q0.15) for int16, whose 256-entry table with linear
// interpolation is an approximation by design. Exact golden points (0, saturation) are
// hand-derived from the fixed-point definitions in kernels/internal/sigmoid_tanh.h.
#include <cmath>
#include <vector>

#include "kernels/registrations.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using namespace testing;  // NOLINT: test helpers

constexpr int kInt16Lsb = 2;  // measured: up to 2 LSB from tanh(x) (table + interpolation)

double F(double x) { return std::tanh(x); }

void SweepInt8(float scale, int64_t zp) {
  std::vector<int8_t> x;
  for (int v = -128; v <= 127; ++v) x.push_back(static_cast<int8_t>(v));
  KernelRunner r(RegisterTanh(), nullptr, {Tensor<int8_t>({256}, x, scale, zp)},
                 {Output<int8_t>({256}, 1.0 / 128, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> expected;
  for (int8_t v : x) expected.push_back(F((v - zp) * double{scale}));
  ExpectWithinLsb(r.Output<int8_t>(), expected, 1.0 / 128, 0, 1);
}

void SweepInt16(float scale, int step) {
  std::vector<int16_t> x;
  for (int v = -32768; v <= 32767; v += step) x.push_back(static_cast<int16_t>(v));
  x.push_back(32767);
  const int32_t n = static_cast<int32_t>(x.size());
  KernelRunner r(RegisterTanh(), nullptr, {Tensor<int16_t>({n}, x, scale, 0)},
                 {Output<int16_t>({n}, 1.0f / 32768, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> expected;
  for (int16_t v : x) expected.push_back(F(v * double{scale}));
  ExpectWithinLsb(r.Output<int16_t>(), expected, 1.0 / 32768, 0, kInt16Lsb);
}

TEST(TanhTest, Float) {
  TestRng rng(111);
  auto x = rng.Floats(64, -20, 20);
  x[0] = 0.f;
  KernelRunner r(RegisterTanh(), nullptr, {Tensor<float>({64}, x)}, {Output<float>({64})});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  std::vector<double> expected;
  for (float v : x) expected.push_back(F(v));
  ExpectFloatNear(r.Output<float>(), expected, 1e-6, 1e-5);
}

TEST(TanhTest, Int8ExactPoints) {
  // Input zero point 5: q = 5 is real 0 -> exactly the output's representation of F(0);
  // q = -128 / 127 are beyond the saturation radius for scale 0.5 (|v| >= 30).
  KernelRunner r(RegisterTanh(), nullptr, {Tensor<int8_t>({3}, {5, -128, 127}, 0.5f, 5)},
                 {Output<int8_t>({3}, 1.0 / 128, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int8_t>(), (std::vector<int8_t>{0, -128, 127}));
}

TEST(TanhTest, Int8SweepSmallScale) { SweepInt8(0.02f, 0); }
TEST(TanhTest, Int8SweepTypicalScale) { SweepInt8(0.0625f, -20); }
TEST(TanhTest, Int8SweepLargeScaleSaturates) { SweepInt8(0.3f, 127); }

TEST(TanhTest, Int16ExactZero) {
  KernelRunner r(RegisterTanh(), nullptr, {Tensor<int16_t>({1}, {0}, 1.f / 4096, 0)},
                 {Output<int16_t>({1}, 1.f / 32768, 0)});
  ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
  EXPECT_EQ(r.Output<int16_t>(), (std::vector<int16_t>{0}));
}

TEST(TanhTest, Int16SweepPowerOfTwoScale) { SweepInt16(1.f / 4096, 7); }
TEST(TanhTest, Int16SweepPowerOfTwoScale2048) { SweepInt16(1.f / 2048, 7); }
TEST(TanhTest, Int16SweepGeneralScale) { SweepInt16(0.0003f, 5); }

TEST(TanhTest, RejectsWrongOutputQuantization) {
  KernelRunner a(RegisterTanh(), nullptr, {Output<int8_t>({2}, 0.1f, 0)},
                 {Output<int8_t>({2}, 0.1f, 0)});
  EXPECT_EQ(a.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(a.HasError("int8 output must have scale")) << a.errors();
  KernelRunner b(RegisterTanh(), nullptr, {Output<int16_t>({2}, 0.001f, 0)},
                 {Output<int16_t>({2}, 0.001f, 0)});
  EXPECT_EQ(b.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(b.HasError("2^-15")) << b.errors();
  KernelRunner c(RegisterTanh(), nullptr, {Output<uint8_t>({2}, 0.1f)},
                 {Output<uint8_t>({2}, 0.1f)});
  EXPECT_EQ(c.InitAndPrepare(), kEmberError);
  EXPECT_TRUE(c.HasError("unsupported type UINT8")) << c.errors();
}

}  // namespace
}  // namespace ember::kernels
