// The int8 evaluation of the DSP-extension SVDF (kernels/dsp/svdf_dsp.cc) against the
// reference's (kernels/svdf.cc), called directly on the same op data, weights and state:
// outputs AND the whole state must be identical after every one of several invokes.
// Covers the packed-input feature path (input sizes up to the packing limit, any
// remainder mod 4), the wide-input fallback, odd filter counts (the unpaired last filter),
// every memory size 1..33 (the 8-, 4-, 2- and 1-element steps of the time loop), rank 1
// and 2, batches of 1 and 2 (the last row of the last batch has no slot past it), extreme
// zero points, multipliers and shifts (saturation of the state to int16 and of the output
// to int8, wrapping int32 sums).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/svdf_common.h"
#include "tests/kernels/kernel_runner.h"

namespace ember::kernels {
namespace {

using testing::TestRng;

struct SvdfCase {
  int batch, input_size, filters, memory, rank;
  int in_zp, out_zp;
  int32_t m1, m2;
  int s1, s2;
  bool bias;
};

// Runs both evaluations for `frames` invokes; stops at the first difference (a failure).
void ExpectSameOverFrames(const SvdfCase& c, uint64_t seed, int frames) {
  TestRng rng(seed);
  SvdfOpData d{};
  d.multiplier[0] = c.m1;
  d.multiplier[1] = c.m2;
  d.batch = static_cast<int16_t>(c.batch);
  d.input_size = static_cast<int16_t>(c.input_size);
  d.num_filters = static_cast<int16_t>(c.filters);
  d.memory_size = static_cast<int16_t>(c.memory);
  d.rank = static_cast<int16_t>(c.rank);
  d.shift[0] = static_cast<int8_t>(c.s1);
  d.shift[1] = static_cast<int8_t>(c.s2);
  d.input_zero_point = static_cast<int8_t>(c.in_zp);
  d.output_zero_point = static_cast<int8_t>(c.out_zp);
  const int units = c.filters / c.rank;
  const auto wf = rng.Ints<int8_t>(static_cast<size_t>(c.filters * c.input_size));
  const auto wt = rng.Ints<int16_t>(static_cast<size_t>(c.filters * c.memory));
  const auto bias = rng.Ints<int32_t>(static_cast<size_t>(units));
  std::vector<int16_t> st_ref =
      rng.Ints<int16_t>(static_cast<size_t>(c.batch * c.filters * c.memory));
  std::vector<int16_t> st_dsp = st_ref;
  std::vector<int8_t> out_ref(static_cast<size_t>(c.batch * units));
  std::vector<int8_t> out_dsp(out_ref.size());
  const int32_t* b = c.bias ? bias.data() : nullptr;
  for (int frame = 0; frame < frames; ++frame) {
    const auto x = rng.Ints<int8_t>(static_cast<size_t>(c.batch * c.input_size));
    SvdfEvalInt8Reference(d, x.data(), wf.data(), wt.data(), b, st_ref.data(), out_ref.data());
    SvdfEvalInt8Dsp(d, x.data(), wf.data(), wt.data(), b, st_dsp.data(), out_dsp.data());
    ASSERT_EQ(out_dsp, out_ref) << "frame " << frame << " batch " << c.batch << " input "
                                << c.input_size << " filters " << c.filters << " memory "
                                << c.memory << " rank " << c.rank;
    ASSERT_EQ(st_dsp, st_ref) << "state, frame " << frame << " batch " << c.batch << " input "
                              << c.input_size << " filters " << c.filters << " memory "
                              << c.memory << " rank " << c.rank;
  }
}

int32_t Multiplier(TestRng& rng) {
  // [2^30, 2^31): the range Prepare produces; the edges too.
  switch (rng.Int(0, 3)) {
    case 0:
      return int32_t{1} << 30;
    case 1:
      return INT32_MAX;
    default:
      return static_cast<int32_t>((uint32_t{1} << 30) + (rng.Next() & 0x3FFFFFFFu));
  }
}

TEST(SvdfDspPaths, HotwordShapes) {
  TestRng rng(5);
  const int shapes[][3] = {{96, 64, 8}, {16, 64, 8}, {16, 32, 32}, {32, 32, 32}};
  uint64_t seed = 100;
  for (const auto& sh : shapes) {
    SvdfCase c{1, sh[0], sh[1], sh[2], 1, rng.Int(-128, 127), rng.Int(-128, 127),
               Multiplier(rng), Multiplier(rng), rng.Int(-12, -1), rng.Int(-22, -8), true};
    ExpectSameOverFrames(c, seed++, 6);
  }
}

TEST(SvdfDspPaths, EveryMemorySizeOddShapesRanks) {
  TestRng rng(6);
  uint64_t seed = 200;
  for (int memory = 1; memory <= 33; ++memory) {
    for (int rank = 1; rank <= 2; ++rank) {
      const int units = rng.Int(1, 9);
      SvdfCase c{rng.Int(1, 2), rng.Int(1, 40), units * rank, memory, rank,
                 rng.Int(-128, 127), rng.Int(-128, 127), Multiplier(rng), Multiplier(rng),
                 rng.Int(-14, 2), rng.Int(-24, 0), rng.Int(0, 3) != 0};
      ExpectSameOverFrames(c, seed++, 4);
    }
  }
}

TEST(SvdfDspPaths, InputSizesAroundPackingAndRemainders) {
  TestRng rng(7);
  uint64_t seed = 300;
  // 1..9 (every remainder mod 4), around the packed-input limit (128) and past it.
  const int sizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 97, 125, 126, 127, 128, 129, 132, 197, 260};
  for (int input_size : sizes) {
    const int filters = rng.Int(1, 11);
    SvdfCase c{rng.Int(1, 2), input_size, filters, rng.Int(1, 12), 1, rng.Int(-128, 127),
               rng.Int(-128, 127), Multiplier(rng), Multiplier(rng), rng.Int(-16, 0),
               rng.Int(-22, 0), true};
    ExpectSameOverFrames(c, seed++, 3);
  }
}

TEST(SvdfDspPaths, ExtremeZeroPointsMultipliersAndShifts) {
  uint64_t seed = 400;
  const int zps[] = {-128, 127};
  const int32_t ms[] = {int32_t{1} << 30, INT32_MAX};
  // Large positive shifts saturate the state and the outputs (and wrap the shifted sums);
  // large negative ones round the sums to 0 / -1.
  const int shifts[][2] = {{-31, -31}, {-20, -30}, {0, 0}, {10, 20}, {30, 30}, {-1, 12}};
  for (int zp : zps) {
    for (int32_t m : ms) {
      for (const auto& sh : shifts) {
        SvdfCase c{2, 21, 7, 9, 1, zp, -zp - 1, m, m, sh[0], sh[1], true};
        ExpectSameOverFrames(c, seed++, 3);
        SvdfCase c2{1, 13, 6, 32, 2, zp, zp, m, INT32_MAX - m + (int32_t{1} << 30), sh[1],
                    sh[0], false};
        ExpectSameOverFrames(c2, seed++, 3);
      }
    }
  }
}

// Random everything, several invokes each.
TEST(SvdfDspPaths, RandomShapes) {
  TestRng rng(8);
  for (int i = 0; i < 60; ++i) {
    const int rank = rng.Int(1, 3);
    SvdfCase c{rng.Int(1, 3), rng.Int(1, 120), rng.Int(1, 13) * rank, rng.Int(1, 33), rank,
               rng.Int(-128, 127), rng.Int(-128, 127), Multiplier(rng), Multiplier(rng),
               rng.Int(-31, 8), rng.Int(-31, 8), rng.Int(0, 4) != 0};
    ExpectSameOverFrames(c, 500 + static_cast<uint64_t>(i), 4);
  }
}

}  // namespace
}  // namespace ember::kernels
