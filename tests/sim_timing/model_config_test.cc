// Configuration of the timing model from board descriptions (shipped boards and
// hand-built ones), and its error reporting.
#include <gtest/gtest.h>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/machine.h"
#include "sim/timing/cycle_model_impl.h"
#include "tests/sim_timing/timing_harness.h"

namespace ember::sim::timing::testing {
namespace {

const RegionTiming* Region(const ModelConfig& c, const std::string& name) {
  for (const RegionTiming& r : c.regions) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(ModelConfig, EveryShippedBoardConfigures) {
  const std::vector<std::string> boards = ListBoards(DefaultBoardsDir());
  EXPECT_GE(boards.size(), 5u);
  for (const std::string& id : boards) {
    auto board = LoadBoard(id);
    ASSERT_TRUE(board.ok()) << id << ": " << board.status().message();
    auto config = ModelConfigFromBoard(*board);
    EXPECT_TRUE(config.ok()) << id << ": " << config.status().message();
  }
}

TEST(ModelConfig, Stm32f103FlashPrefetchBuffers) {
  auto board = LoadBoard("nucleo_f103rb");
  ASSERT_TRUE(board.ok()) << board.status().message();
  auto config = ModelConfigFromBoard(*board);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->core.core, CoreKind::kCortexM3);
  const RegionTiming* flash = Region(*config, "flash");
  ASSERT_NE(flash, nullptr);
  EXPECT_TRUE(flash->slow_fetch);
  EXPECT_TRUE(flash->fetch.prefetch);
  EXPECT_EQ(flash->fetch.line_bytes, 8u);
  EXPECT_EQ(flash->fetch.buffers, 2u);
  EXPECT_EQ(flash->fetch.wait_states, 2u);
  EXPECT_TRUE(flash->slow_read);
  EXPECT_EQ(flash->data.cache_bytes, 0u);  // no D-cache on the F1
  const RegionTiming* sram = Region(*config, "sram");
  ASSERT_NE(sram, nullptr);
  EXPECT_FALSE(sram->slow_fetch);
  EXPECT_FALSE(sram->slow_read);  // zero wait: no memory hook
}

TEST(ModelConfig, Stm32f746UsesTheL1Caches) {
  auto board = LoadBoard("stm32f746g_disco");
  ASSERT_TRUE(board.ok()) << board.status().message();
  auto config = ModelConfigFromBoard(*board);
  ASSERT_TRUE(config.ok()) << config.status().message();
  for (const RegionTiming& r : config->regions) {
    if (!r.slow_fetch) continue;
    EXPECT_EQ(r.fetch.line_bytes, board->l1_cache.icache.line_bytes) << r.name;
    EXPECT_EQ(r.fetch.cache_bytes, board->l1_cache.icache.bytes) << r.name;
    EXPECT_EQ(r.data.cache_bytes, board->l1_cache.dcache.bytes) << r.name;
  }
}

TEST(ModelConfig, RejectsUnknownTimingKeysAndBadCaches) {
  BoardConfig b = TestBoard(CoreKind::kCortexM4, 1);
  b.timing.Set("flash_branch_penaltyy", int64_t{1}, 42);
  auto config = ModelConfigFromBoard(b);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("flash_branch_penaltyy"), std::string::npos);
  EXPECT_NE(config.status().message().find("line 42"), std::string::npos);

  BoardConfig c = TestBoard(CoreKind::kCortexM4, 1);
  c.flash_accelerator.icache = CacheConfig{1000, 24, 2};
  auto bad = ModelConfigFromBoard(c);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("icache"), std::string::npos);

  BoardConfig d = TestBoard(CoreKind::kCortexM7, 1);
  d.timing.Set("m7.dual_issue", std::string("yes"), 3);
  EXPECT_FALSE(ModelConfigFromBoard(d).ok());
  // The factory never fails; Attach reports the problem.
  auto machine = Machine::Create(d);
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  const Status attached = MakeCycleModel(d)->Attach(**machine);
  EXPECT_FALSE(attached.ok());
}

// "auto" data timing: memory hooks on a cached slow region only when what is loaded there
// does not fit in the cache; always hooks without a cache.
uint64_t DataHookRegions(BoardConfig board, size_t loaded_bytes) {
  auto machine = Machine::Create(board);
  EXPECT_TRUE(machine.ok());
  if (!machine.ok()) return ~uint64_t{0};
  std::vector<uint8_t> image(loaded_bytes, 0x5a);
  EXPECT_TRUE((*machine)->WriteMemory(kFlashBase, image.data(), image.size()).ok());
  auto config = ModelConfigFromBoard(board);
  EXPECT_TRUE(config.ok());
  TimingCycleModel model(std::move(config.value()));
  const Status s = model.Attach(**machine);
  EXPECT_TRUE(s.ok()) << s.message();
  return model.stats().data_hook_regions;
}

TEST(ModelConfig, AutoDataTimingFollowsWhatIsLoaded) {
  BoardConfig cached = TestBoard(CoreKind::kCortexM4, 3);
  cached.flash_accelerator.line_bytes = 16;
  cached.flash_accelerator.dcache = CacheConfig{1024, 16, 2};
  EXPECT_EQ(DataHookRegions(cached, 512), 0u);   // fits: static model
  EXPECT_EQ(DataHookRegions(cached, 4096), 1u);  // larger than the cache: hooks
  BoardConfig plain = TestBoard(CoreKind::kCortexM4, 3);
  EXPECT_EQ(DataHookRegions(plain, 16), 1u);  // no cache: hooks
  plain.timing.Set("data_hooks", false, 1);
  EXPECT_EQ(DataHookRegions(plain, 16), 0u);
  cached.timing.Set("data_hooks", std::string("sometimes"), 7);
  EXPECT_FALSE(ModelConfigFromBoard(cached).ok());
}

TEST(ModelConfig, AttachOnlyOnceAndBeforeRunning) {
  const BoardConfig b = TestBoard(CoreKind::kCortexM4);
  auto machine = Machine::Create(b);
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  std::unique_ptr<CycleModel> model = MakeCycleModel(b);
  ASSERT_TRUE(model->Attach(**machine).ok());
  EXPECT_FALSE(model->Attach(**machine).ok());
  EXPECT_EQ(model->cycles(), 0u);
  model->AddCycles(12);  // exception entry, charged by the simulator
  EXPECT_EQ(model->cycles(), 12u);
}

}  // namespace
}  // namespace ember::sim::timing::testing
