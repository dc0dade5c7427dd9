// BoardConfig: a board described as data (boards/<id>.toml), so users add boards
// without recompiling. The TOML layout (all addresses/sizes are integers, hex allowed):
//
//   id = "nucleo_f103rb"            # must match the file name
//   name = "ST Nucleo-F103RB"
//   core = "cortex-m3"              # cortex-m0plus | cortex-m3 | cortex-m4 | cortex-m7
//   clock_hz = 72_000_000
//   has_fpu = false                 # optional, default false (must be false unless core m4/m7)
//   has_dsp = false                 # optional, default false (must be false unless core m4/m7)
//   vector_table = 0x08000000       # where the reset vector table lives (initial SP, reset)
//   uart_base = 0x40013800          # optional: the UART whose TX register is emulated
//   uart_kind = "stm32_usart_v1"    # required with uart_base (see BoardConfig::uart_kind)
//
//   [[memory]]                      # one per region, non-overlapping
//   name = "flash"
//   base = 0x08000000
//   size = 0x20000
//   kind = "flash"                  # flash | sram | tcm | rom | periph
//   access = "rx"                   # any of r, w, x (default by kind: flash/rom rx, sram/tcm rwx,
//                                   # periph rw)
//   read_wait_states = 2            # core cycles added per access at clock_hz (default 0)
//   write_wait_states = 0           # (default 0)
//
//   [flash_accelerator]             # optional; absent = plain flash, nothing in front of it
//   prefetch = true
//   line_bytes = 8                  # width of one flash line / prefetch buffer entry
//   icache = { bytes = 1024, line_bytes = 16, ways = 1 }   # optional
//   dcache = { bytes = 128, line_bytes = 16, ways = 1 }    # optional
//
//   [l1_cache]                      # optional, core-level caches (Cortex-M7 only in practice)
//   icache = { bytes = 4096, line_bytes = 32, ways = 2 }
//   dcache = { bytes = 4096, line_bytes = 32, ways = 4 }
//
//   [timing]                        # free-form; passed through to the timing model
//   mul_cycles = 1                  # (values: integer, float, bool or string; nested tables
//   [timing.m7]                     #  are flattened to dotted keys: "m7.dual_issue")
//   dual_issue = true
//
// Every error names the file, the key and (where toml++ knows it) the line.
#ifndef EMBER_SIM_BOARD_H_
#define EMBER_SIM_BOARD_H_

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sim/status.h"

namespace ember::sim {

enum class CoreKind { kCortexM0Plus, kCortexM3, kCortexM4, kCortexM7 };
enum class MemoryKind { kFlash, kSram, kTcm, kRom, kPeriph };

// "cortex-m0plus" etc. / "flash" etc.
const char* CoreKindName(CoreKind core);
const char* MemoryKindName(MemoryKind kind);

struct MemoryRegion {
  std::string name;
  uint32_t base = 0;
  uint32_t size = 0;  // bytes, > 0
  MemoryKind kind = MemoryKind::kSram;
  bool readable = true;
  bool writable = true;
  bool executable = true;
  uint32_t read_wait_states = 0;   // extra core cycles per read access at the board clock
  uint32_t write_wait_states = 0;  // extra core cycles per write access at the board clock

  uint64_t end() const { return uint64_t{base} + size; }  // one past the last byte
  bool Contains(uint32_t address) const { return address >= base && address < end(); }
};

// A set-associative cache. bytes == 0 means "no cache".
struct CacheConfig {
  uint32_t bytes = 0;
  uint32_t line_bytes = 0;
  uint32_t ways = 0;
  bool present() const { return bytes != 0; }
};

// What sits between the core and flash (ART accelerator, Apollo3 flash cache, RP2040 XIP
// cache, nRF52 NVMC cache, STM32F1 prefetch buffer). present() is false when the board's
// TOML has no [flash_accelerator] table.
struct FlashAccelerator {
  bool prefetch = false;
  uint32_t line_bytes = 0;  // flash line width in bytes (0 = unknown / not modelled)
  CacheConfig icache;
  CacheConfig dcache;
  bool present() const {
    return prefetch || line_bytes != 0 || icache.present() || dcache.present();
  }
};

// Core-level L1 caches (Cortex-M7). Absent = none.
struct L1Cache {
  CacheConfig icache;
  CacheConfig dcache;
};

// The free-form [timing] table, flattened to dotted keys. Values keep their TOML line so a
// consumer can report "boards/x.toml: timing.key (line 12): expected an integer".
class TimingParams {
 public:
  using Value = std::variant<int64_t, double, bool, std::string>;
  struct Entry {
    Value value;
    int line = 0;
  };

  bool Has(const std::string& key) const { return entries_.count(key) != 0; }
  // Typed lookups: the default when the key is absent, an error when it has the wrong type.
  // Integers are accepted where a double is asked for.
  Result<int64_t> GetInt(const std::string& key, int64_t default_value) const;
  Result<double> GetDouble(const std::string& key, double default_value) const;
  Result<bool> GetBool(const std::string& key, bool default_value) const;
  Result<std::string> GetString(const std::string& key, const std::string& default_value) const;

  const std::map<std::string, Entry>& entries() const { return entries_; }
  void Set(const std::string& key, Value value, int line) {
    entries_[key] = Entry{std::move(value), line};
  }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::string source_;  // file name, for error messages
  std::map<std::string, Entry> entries_;
};

struct BoardConfig {
  std::string id;
  std::string name;
  CoreKind core = CoreKind::kCortexM4;
  uint64_t clock_hz = 0;
  bool has_fpu = false;
  bool has_dsp = false;
  uint32_t vector_table = 0;
  std::vector<MemoryRegion> memories;  // sorted by base, non-overlapping
  FlashAccelerator flash_accelerator;
  L1Cache l1_cache;
  bool has_uart = false;
  uint32_t uart_base = 0;
  // Register layout of the UART at uart_base: "pl011" (Apollo3, RP2040: DR at +0x00,
  // FR at +0x18), "stm32_usart_v1" (F1: SR +0x00, DR +0x04), "stm32_usart_v2" (F7: ISR +0x1c,
  // TDR +0x28), "nrf_uart" (nRF52 UART0: TXD +0x51c, EVENTS_TXDRDY +0x11c).
  std::string uart_kind;
  TimingParams timing;
  std::string source_path;  // the .toml it came from

  // The memory containing `address`, or nullptr.
  const MemoryRegion* FindMemory(uint32_t address) const;
  // "flash 0x08000000-0x0801ffff, sram 0x20000000-0x20004fff" (for error messages).
  std::string DescribeMemories() const;
};

// Parses one board file. Checks: required keys, types, known core/kind names, FPU/DSP only
// on cores that can have them, regions non-overlapping and inside 32 bits, the vector table
// inside a readable memory, clock > 0.
Result<BoardConfig> LoadBoardFile(const std::string& path);

// `id_or_path` is a board id (looked up as <boards_dir>/<id>.toml) or a path to a .toml
// file (anything containing '/' or ending in ".toml"). An empty boards_dir means
// DefaultBoardsDir(). An unknown id lists the boards that exist.
Result<BoardConfig> LoadBoard(const std::string& id_or_path, const std::string& boards_dir = "");

// $EMBER_BOARDS_DIR if set, otherwise the source tree's boards/ (compiled in).
std::string DefaultBoardsDir();

// Ids of all boards (*.toml) in a directory, sorted.
std::vector<std::string> ListBoards(const std::string& boards_dir);

}  // namespace ember::sim

#endif  // EMBER_SIM_BOARD_H_
