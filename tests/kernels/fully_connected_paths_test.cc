// Bit-exactness of the int8 FULLY_CONNECTED loop (four output channels per pass plus the
// tail) against the plain TFLite-style loop written out here, on random data with extreme
// values, per-tensor filter offsets, odd depths and channel counts.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/fully_connected_common.h"
#include "kernels/internal/quant_util.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::TestRng;

void Check(uint64_t seed, int batches, int depth, int out_depth, bool filter_offset,
           bool with_bias, bool per_channel = false) {
  TestRng rng(seed);
  FcOpData d{};
  d.batches = batches;
  d.accum_depth = depth;
  d.output_depth = out_depth;
  d.act_min = rng.Int(-128, -90);
  d.act_max = rng.Int(90, 127);
  d.input_offset = rng.Int(-127, 128);
  d.filter_offset = filter_offset ? rng.Int(-127, 128) : 0;
  d.output_offset = rng.Int(-128, 127);
  // Per channel: multipliers then shifts in one block, as Prepare lays them out; per
  // tensor: the op data's single multiplier/shift (every channel uses it).
  std::vector<int32_t> block(static_cast<size_t>(out_depth) * 2);
  int32_t* const mults = block.data();
  int8_t* const shifts = reinterpret_cast<int8_t*>(mults + out_depth);
  for (int i = 0; i < out_depth; ++i) {
    mults[i] = rng.Int(1 << 30, INT32_MAX);
    shifts[i] = static_cast<int8_t>(rng.Int(-14, 1));
  }
  if (per_channel) {
    d.channel_multipliers = mults;
    ASSERT_EQ(FcChannelShifts(d), shifts);
  } else {
    d.multiplier = mults[0];
    d.shift = shifts[0];
    for (int i = 1; i < out_depth; ++i) {
      mults[i] = mults[0];
      shifts[i] = shifts[0];
    }
  }
  auto in = rng.Ints<int8_t>(static_cast<size_t>(batches * depth));
  auto w = rng.Ints<int8_t>(static_cast<size_t>(out_depth * depth));
  for (size_t i = 0; i < in.size(); i += 5) in[i] = -128;
  for (size_t i = 0; i < w.size(); i += 3) w[i] = (i % 2) ? 127 : -128;
  auto bias = rng.Ints<int32_t>(static_cast<size_t>(out_depth), -100000, 100000);
  const int32_t* b = with_bias ? bias.data() : nullptr;
  std::vector<int8_t> expected(static_cast<size_t>(batches * out_depth));
  for (int n = 0; n < batches; ++n) {
    for (int oc = 0; oc < out_depth; ++oc) {
      int32_t acc = 0;
      for (int k = 0; k < depth; ++k) {
        acc += (w[static_cast<size_t>(oc * depth + k)] + d.filter_offset) *
               (in[static_cast<size_t>(n * depth + k)] + d.input_offset);
      }
      if (b != nullptr) acc += b[oc];
      acc = MultiplyByQuantizedMultiplier(acc, mults[oc], shifts[oc]) +
            d.output_offset;
      expected[static_cast<size_t>(n * out_depth + oc)] =
          static_cast<int8_t>(Clamp32(acc, d.act_min, d.act_max));
    }
  }
  std::vector<int8_t> out(expected.size(), 0);
  FullyConnectedEvalS8Reference(d, in.data(), w.data(), b, out.data());
  EXPECT_EQ(out, expected) << "seed " << seed;
  std::vector<int8_t> out_dsp(expected.size(), 0);
  FullyConnectedEvalS8Dsp(d, in.data(), w.data(), b, out_dsp.data());
  EXPECT_EQ(out_dsp, expected) << "dsp, seed " << seed;
}

TEST(FullyConnectedPaths, Int8MatchesPlainLoop) {
  Check(1, 1, 64, 16, false, true);   // hotword's layers
  Check(2, 1, 32, 2, false, true);
  Check(3, 2, 7, 9, true, true);      // tail channels, filter offset
  Check(4, 3, 1, 5, true, false);
  Check(5, 1, 300, 6, false, false);
  Check(6, 2, 13, 4, true, true);
  Check(7, 1, 32, 2, true, false);    // two-channel tail only
  Check(8, 2, 5, 7, false, true);     // four + two + one
  Check(9, 1, 64, 9, false, true);    // largest stack depth, symmetric filter
  Check(10, 2, 65, 6, false, true);   // just above it
}

TEST(FullyConnectedPaths, Int8PerChannelMultipliersMatchPlainLoop) {
  Check(11, 1, 64, 16, false, true, true);
  Check(12, 2, 7, 9, false, true, true);
  Check(13, 1, 65, 6, false, false, true);
  Check(14, 3, 5, 7, false, true, true);
}

}  // namespace
}  // namespace ember::kernels
