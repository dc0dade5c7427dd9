// The timing model's per-block fast paths must not change a single cycle: the fetch memo
// (FetchModel::FetchMemoized / Replay, which replays a block's fetch when the line buffers,
// the previous block's last-line cycles and the entry kind repeat) is checked here against
// the plain FetchModel::Fetch on long random block sequences, for every buffer count the
// memo handles and one it does not, with and without prefetch.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#if defined(EMBER_HAVE_SIM_TIMING)
#include "sim/timing/memory_timing.h"

namespace ember::sim::timing {
namespace {

struct Block {
  std::vector<LineUse> lines;
  FetchMemo memo;
};

// Blocks of 1..9 lines (8-byte lines) placed in a 1 KB window, so that loops, shared lines
// and line-buffer hits all happen; the cycles per line are 0..4 (prefetch covers some).
std::vector<Block> MakeBlocks(std::mt19937* rng, int count) {
  std::vector<Block> blocks(static_cast<size_t>(count));
  std::uniform_int_distribution<uint32_t> start(0, 120), len(1, 9), cycles(0, 4);
  for (Block& b : blocks) {
    const uint32_t first = start(*rng);
    const uint32_t n = len(*rng);
    for (uint32_t i = 0; i < n; ++i) b.lines.push_back(LineUse{first + i, cycles(*rng)});
  }
  return blocks;
}

void CheckSameAsPlainFetch(uint32_t buffers, bool prefetch, uint32_t seed) {
  FetchParams params;
  params.wait_states = 2;
  params.line_bytes = 8;
  params.prefetch = prefetch;
  params.buffers = buffers;
  FetchModel plain;
  FetchModel memoized;
  plain.Configure(params);
  memoized.Configure(params);
  std::mt19937 rng(seed);
  std::vector<Block> blocks = MakeBlocks(&rng, 12);
  // Mostly loops over a few blocks (where the memo hits), with random jumps in between.
  std::uniform_int_distribution<int> pick(0, static_cast<int>(blocks.size()) - 1);
  std::uniform_int_distribution<int> coin(0, 9);
  int current = 0;
  uint64_t hits_possible = 0;
  for (int step = 0; step < 20000; ++step) {
    if (coin(rng) == 0) {
      current = pick(rng);
    } else if (coin(rng) < 3) {
      current = (current + 1) % static_cast<int>(blocks.size());
    }
    Block& b = blocks[static_cast<size_t>(current)];
    const bool sequential = coin(rng) < 4;
    const uint32_t want = plain.Fetch(b.lines.data(), b.lines.size(), sequential);
    const bool want_resident = plain.AllResident(b.lines.data(), b.lines.size());
    uint32_t got = 0;
    bool got_resident = false;
    if (memoized.Replay(b.memo, sequential, &got, &got_resident)) {
      ++hits_possible;
    } else {
      got = memoized.FetchMemoized(b.lines.data(), b.lines.size(), sequential, &b.memo,
                                   &got_resident);
    }
    ASSERT_EQ(got, want) << "buffers " << buffers << " prefetch " << prefetch << " step " << step;
    ASSERT_EQ(got_resident, want_resident) << "step " << step;
    ASSERT_EQ(memoized.misses(), plain.misses()) << "step " << step;
  }
  if (buffers <= FetchMemo::kBuffers) {
    EXPECT_GT(hits_possible, 1000u) << "the memo should replay most loop iterations";
  } else {
    EXPECT_EQ(hits_possible, 0u) << "more buffers than the memo holds: never replayed";
  }
}

TEST(FetchMemo, ReplaysExactlyWhatFetchComputes) {
  for (uint32_t buffers : {1u, 2u, 3u, 4u, 6u}) {
    for (bool prefetch : {false, true}) {
      CheckSameAsPlainFetch(buffers, prefetch, 1234u + buffers * 2u + (prefetch ? 1u : 0u));
    }
  }
}

TEST(FetchMemo, CacheModelsAreNeverReplayed) {
  FetchParams params;
  params.wait_states = 3;
  params.line_bytes = 16;
  params.cache_bytes = 256;
  params.cache_ways = 2;
  FetchModel model;
  model.Configure(params);
  FetchMemo memo;
  const LineUse lines[] = {{10, 2}, {11, 3}};
  bool resident = false;
  const uint32_t first = model.FetchMemoized(lines, 2, false, &memo, &resident);
  EXPECT_EQ(first, 6u);  // two cold misses of 3 wait states
  uint32_t stall = 0;
  EXPECT_FALSE(model.Replay(memo, false, &stall, &resident));
  EXPECT_EQ(model.FetchMemoized(lines, 2, false, &memo, &resident), 0u);  // cache hits
}

}  // namespace
}  // namespace ember::sim::timing

#else
TEST(FetchMemo, ReplaysExactlyWhatFetchComputes) {
  GTEST_SKIP() << "ember_sim_timing is not built";
}
#endif
