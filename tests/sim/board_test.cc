// Board descriptions: the shipped boards load with the documented values, and broken
// descriptions produce errors that name the file, the key and the line.
#include "sim/board.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ember::sim {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class TempBoards {
 public:
  TempBoards() {
    dir_ = fs::temp_directory_path() / ("ember_board_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  ~TempBoards() { fs::remove_all(dir_); }
  std::string Write(const std::string& id, const std::string& text) {
    fs::path p = dir_ / (id + ".toml");
    std::ofstream(p) << text;
    return p.string();
  }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

const char* kValid = R"(id = "tiny"
name = "Tiny"
core = "cortex-m4"
clock_hz = 1_000_000
vector_table = 0x0
[[memory]]
name = "flash"
base = 0x0
size = 0x4000
kind = "flash"
read_wait_states = 1
[[memory]]
name = "ram"
base = 0x20000000
size = 0x1000
kind = "sram"
[timing]
mul_cycles = 1
ratio = 0.5
[timing.m7]
dual_issue = true
)";

TEST(Board, ShippedBoardsLoad) {
  struct {
    const char* id;
    CoreKind core;
    uint64_t clock;
    uint32_t vector_table;
    bool fpu;
  } boards[] = {
      {"sparkfun_edge", CoreKind::kCortexM4, 96'000'000, 0x00000000, true},
      {"arduino_nano_33_ble", CoreKind::kCortexM4, 64'000'000, 0x00000000, true},
      {"stm32f746g_disco", CoreKind::kCortexM7, 216'000'000, 0x08000000, true},
      {"nucleo_f103rb", CoreKind::kCortexM3, 72'000'000, 0x08000000, false},
      {"raspberry_pi_pico", CoreKind::kCortexM0Plus, 125'000'000, 0x10000000, false},
  };
  for (const auto& e : boards) {
    auto b = LoadBoard(e.id, EMBER_SIM_BOARDS_DIR);
    ASSERT_TRUE(b.ok()) << b.status().message();
    EXPECT_EQ(b->id, e.id);
    EXPECT_EQ(b->core, e.core) << e.id;
    EXPECT_EQ(b->clock_hz, e.clock) << e.id;
    EXPECT_EQ(b->vector_table, e.vector_table) << e.id;
    EXPECT_EQ(b->has_fpu, e.fpu) << e.id;
    EXPECT_TRUE(b->has_uart) << e.id;
    const MemoryRegion* vt = b->FindMemory(b->vector_table);
    ASSERT_NE(vt, nullptr) << e.id;
    EXPECT_EQ(vt->kind, MemoryKind::kFlash) << e.id;
    EXPECT_FALSE(vt->writable) << e.id;
  }
  auto ids = ListBoards(EMBER_SIM_BOARDS_DIR);
  EXPECT_GE(ids.size(), 5u);
}

TEST(Board, MemoryMapsMatchTheDatasheets) {
  auto edge = LoadBoard("sparkfun_edge", EMBER_SIM_BOARDS_DIR);
  ASSERT_TRUE(edge.ok());
  const MemoryRegion* sram = edge->FindMemory(0x10000000);
  ASSERT_NE(sram, nullptr);
  EXPECT_EQ(sram->size, 384u * 1024);
  EXPECT_EQ(edge->FindMemory(0)->size, 1024u * 1024);
  EXPECT_EQ(edge->flash_accelerator.icache.bytes, 16384u);

  auto f7 = LoadBoard("stm32f746g_disco", EMBER_SIM_BOARDS_DIR);
  ASSERT_TRUE(f7.ok());
  EXPECT_EQ(f7->FindMemory(0x08000000)->read_wait_states, 7u);
  EXPECT_EQ(f7->FindMemory(0x20000000)->kind, MemoryKind::kTcm);
  EXPECT_EQ(f7->FindMemory(0x20010000)->size, 256u * 1024);
  EXPECT_EQ(f7->l1_cache.icache.bytes, 4096u);
  EXPECT_EQ(f7->l1_cache.dcache.bytes, 4096u);

  auto f1 = LoadBoard("nucleo_f103rb", EMBER_SIM_BOARDS_DIR);
  ASSERT_TRUE(f1.ok());
  EXPECT_EQ(f1->FindMemory(0x08000000)->read_wait_states, 2u);
  EXPECT_TRUE(f1->flash_accelerator.prefetch);
  EXPECT_EQ(f1->flash_accelerator.line_bytes, 8u);
  EXPECT_EQ(f1->uart_base, 0x40004400u);

  auto pico = LoadBoard("raspberry_pi_pico", EMBER_SIM_BOARDS_DIR);
  ASSERT_TRUE(pico.ok());
  EXPECT_EQ(pico->FindMemory(0x20000000)->size, 264u * 1024);
  EXPECT_EQ(pico->FindMemory(0x10000000)->size, 2u * 1024 * 1024);
}

TEST(Board, ValidFileAndTimingParams) {
  TempBoards t;
  auto b = LoadBoardFile(t.Write("tiny", kValid));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->memories.size(), 2u);
  EXPECT_TRUE(b->memories[0].executable);
  EXPECT_FALSE(b->memories[0].writable);  // flash default access "rx"
  EXPECT_EQ(*b->timing.GetInt("mul_cycles", 32), 1);
  EXPECT_EQ(*b->timing.GetInt("absent", 7), 7);
  EXPECT_DOUBLE_EQ(*b->timing.GetDouble("ratio", 0), 0.5);
  EXPECT_DOUBLE_EQ(*b->timing.GetDouble("mul_cycles", 0), 1.0);  // integer accepted
  EXPECT_TRUE(*b->timing.GetBool("m7.dual_issue", false));
  auto wrong = b->timing.GetInt("ratio", 0);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(), HasSubstr("timing.ratio (line 19)"));
  EXPECT_THAT(wrong.status().message(), HasSubstr("tiny.toml"));
}

struct BadCase {
  const char* name;
  std::string from, to;  // text replacement applied to kValid
  std::vector<std::string> expect;
};

TEST(Board, ErrorsNameFileKeyAndLine) {
  std::vector<BadCase> cases = {
      {"unknown_core",
       "core = \"cortex-m4\"",
       "core = \"cortex-a53\"",
       {"core (line 3)", "unsupported core \"cortex-a53\""}},
      {"missing_clock", "clock_hz = 1_000_000\n", "", {"clock_hz", "missing required key"}},
      {"bad_kind",
       "kind = \"sram\"",
       "kind = \"dram\"",
       {"memory[1].kind (line 16)", "unknown memory kind"}},
      {"overlap", "base = 0x20000000", "base = 0x2000", {"overlap"}},
      {"fpu_on_m3",
       "core = \"cortex-m4\"",
       "core = \"cortex-m3\"\nhas_fpu = true",
       {"has_fpu", "no FPU"}},
      {"unknown_key",
       "name = \"Tiny\"",
       "name = \"Tiny\"\nspeed = 3",
       {"speed (line 3)", "unknown key"}},
      {"wrong_type",
       "clock_hz = 1_000_000",
       "clock_hz = \"fast\"",
       {"clock_hz (line 4)", "expected an integer"}},
      {"vector_outside",
       "vector_table = 0x0",
       "vector_table = 0x30000000",
       {"vector_table", "not inside a readable memory"}},
      {"syntax", "name = \"Tiny\"", "name = \"Tiny", {"line 2", "TOML syntax error"}},
      {"unaligned", "size = 0x1000", "size = 0x1001", {"multiples of 1 KB"}},
  };
  for (const BadCase& c : cases) {
    std::string text = kValid;
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.name;
    text.replace(at, c.from.size(), c.to);
    TempBoards t;
    std::string path = t.Write("tiny", text);
    auto b = LoadBoardFile(path);
    ASSERT_FALSE(b.ok()) << c.name;
    EXPECT_THAT(b.status().message(), HasSubstr(path)) << c.name;
    for (const std::string& e : c.expect) {
      EXPECT_THAT(b.status().message(), HasSubstr(e)) << c.name;
    }
  }
}

TEST(Board, IdMustMatchFileName) {
  TempBoards t;
  auto b = LoadBoardFile(t.Write("other", kValid));
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("does not match the file name"));
}

TEST(Board, UnknownIdListsTheBoards) {
  auto b = LoadBoard("no_such_board", EMBER_SIM_BOARDS_DIR);
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("unknown board \"no_such_board\""));
  EXPECT_THAT(b.status().message(), HasSubstr("sparkfun_edge"));
  EXPECT_THAT(b.status().message(), HasSubstr("raspberry_pi_pico"));
}

TEST(Board, LookupByPathAndEnvironmentDirectory) {
  TempBoards t;
  std::string path = t.Write("tiny", kValid);
  auto by_path = LoadBoard(path);
  ASSERT_TRUE(by_path.ok()) << by_path.status().message();
  EXPECT_EQ(by_path->id, "tiny");
  ASSERT_EQ(setenv("EMBER_BOARDS_DIR", t.dir().c_str(), 1), 0);
  auto by_env = LoadBoard("tiny");
  unsetenv("EMBER_BOARDS_DIR");
  ASSERT_TRUE(by_env.ok()) << by_env.status().message();
  EXPECT_EQ(by_env->source_path, path);
  // Without the variable the default is the source tree's boards/.
  EXPECT_TRUE(LoadBoard("nucleo_f103rb").ok());
}

}  // namespace
}  // namespace ember::sim
