// Memory-system pieces of the timing model: cache tags, instruction fetch with line
// buffers / prefetch / I-cache, data reads.
#include "sim/timing/memory_timing.h"

#include <gtest/gtest.h>

#include <vector>

namespace ember::sim::timing {
namespace {

TEST(TagArray, TwoWayLruEvictsTheLeastRecentlyUsed) {
  TagArray t;
  t.Configure(2, 2);  // one set, two ways
  EXPECT_FALSE(t.Access(10));
  EXPECT_FALSE(t.Access(20));
  EXPECT_TRUE(t.Access(10));   // 10 becomes most recent
  EXPECT_FALSE(t.Access(30));  // evicts 20
  EXPECT_TRUE(t.Contains(10));
  EXPECT_TRUE(t.Contains(30));
  EXPECT_FALSE(t.Contains(20));
}

TEST(TagArray, DirectMappedConflictsAndDisabled) {
  TagArray t;
  t.Configure(4, 1);
  EXPECT_FALSE(t.Access(1));
  EXPECT_FALSE(t.Access(5));  // same set as 1
  EXPECT_FALSE(t.Contains(1));
  EXPECT_FALSE(t.Access(2));
  EXPECT_TRUE(t.Contains(5));
  TagArray off;
  off.Configure(0, 1);
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.Access(1));
  EXPECT_FALSE(off.Access(1));
}

TEST(FetchModel, WithoutPrefetchEveryMissedLinePays) {
  FetchModel f;
  FetchParams p;
  p.wait_states = 3;
  p.line_bytes = 8;
  f.Configure(p);
  const std::vector<LineUse> lines = {{100, 4}, {101, 4}, {102, 1}};
  EXPECT_EQ(f.Fetch(lines.data(), lines.size(), false), 9u);
  // One line buffer: each pass evicts what the next needs.
  EXPECT_EQ(f.Fetch(lines.data(), lines.size(), false), 9u);
  const std::vector<LineUse> last = {{102, 1}};  // still buffered
  EXPECT_EQ(f.Fetch(last.data(), last.size(), false), 0u);
}

TEST(FetchModel, PrefetchHidesWaitStatesBehindExecution) {
  FetchModel f;
  FetchParams p;
  p.wait_states = 5;
  p.line_bytes = 16;
  p.prefetch = true;
  p.buffers = 2;
  f.Configure(p);
  // Branch target line: 5. Next line after 2 cycles of work: 5 + 1 - 2 = 4. After 8: 0.
  const std::vector<LineUse> lines = {{7, 2}, {8, 8}, {9, 3}};
  EXPECT_EQ(f.Fetch(lines.data(), lines.size(), false), 9u);
  // Falling through into line 10 after 3 cycles in line 9: 3.
  const std::vector<LineUse> next = {{10, 1}};
  EXPECT_EQ(f.Fetch(next.data(), next.size(), true), 3u);
}

TEST(FetchModel, InstructionCacheHitsAfterFirstPass) {
  FetchModel f;
  FetchParams p;
  p.wait_states = 4;
  p.line_bytes = 16;
  p.cache_bytes = 64;  // 4 lines
  p.cache_ways = 2;
  f.Configure(p);
  const std::vector<LineUse> loop = {{0, 3}, {1, 3}, {2, 3}};
  EXPECT_EQ(f.Fetch(loop.data(), loop.size(), false), 12u);
  EXPECT_EQ(f.Fetch(loop.data(), loop.size(), false), 0u);
}

TEST(DataModel, WaitStatesPerReadOrCachedLines) {
  DataModel plain;
  DataParams p;
  p.read_wait_states = 2;
  plain.Configure(p);
  EXPECT_EQ(plain.Read(0x100), 2u);
  EXPECT_EQ(plain.Read(0x100), 2u);
  DataModel cached;
  p.line_bytes = 16;
  p.cache_bytes = 32;
  p.cache_ways = 1;
  cached.Configure(p);
  EXPECT_EQ(cached.Read(0x100), 2u);
  EXPECT_EQ(cached.Read(0x10c), 0u);  // same 16-byte line
  EXPECT_EQ(cached.Read(0x110), 2u);
  EXPECT_EQ(cached.Read(0x120), 2u);  // conflicts with 0x100's set
  EXPECT_EQ(cached.Read(0x100), 2u);
}

TEST(DataModel, SharedUnifiedCache) {
  FetchModel f;
  FetchParams fp;
  fp.wait_states = 3;
  fp.line_bytes = 16;
  fp.cache_bytes = 256;
  fp.cache_ways = 2;
  f.Configure(fp);
  DataModel d;
  DataParams dp;
  dp.read_wait_states = 3;
  d.Configure(dp);
  d.ShareCache(f.cache(), f.line_shift());
  EXPECT_EQ(d.Read(0x40), 3u);  // data fill ...
  const std::vector<LineUse> line = {{0x40 >> 4, 1}};
  EXPECT_EQ(f.Fetch(line.data(), line.size(), false), 0u);  // ... serves the fetch
}

}  // namespace
}  // namespace ember::sim::timing
