// ElfImage: what the simulator needs from a firmware ELF, read with libelf.
//
// Accepted: 32-bit little-endian ARM executables (ET_EXEC) with at least one PT_LOAD
// segment. Each PT_LOAD segment's file bytes are loaded at its physical address (p_paddr,
// the LMA: initialised .data sits in flash and the startup code copies it to RAM); the
// memory image [p_vaddr, p_vaddr + p_memsz) must also lie in the board's memories (that is
// where the program will use it: .data/.bss in RAM).
//
// Symbols: STT_FUNC/STT_OBJECT/STT_NOTYPE symbols of .symtab, Thumb bit cleared, for fault
// reports ("main+0x12") and tracing. `end` (or `_end`/`__end__`) gives the heap start for
// semihosting SYS_HEAPINFO.
#ifndef EMBER_SIM_ELF_IMAGE_H_
#define EMBER_SIM_ELF_IMAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/board.h"
#include "sim/machine.h"
#include "sim/status.h"

namespace ember::sim {

struct ElfSegment {
  int index = 0;                 // program header index
  uint32_t load_address = 0;     // p_paddr
  uint32_t virtual_address = 0;  // p_vaddr
  uint32_t file_size = 0;
  uint32_t mem_size = 0;
  bool executable = false;    // PF_X
  std::string sections;       // names of the allocated sections inside, e.g. ".text .rodata"
  std::vector<uint8_t> data;  // file_size bytes
};

struct ElfSymbol {
  std::string name;
  uint32_t address = 0;  // Thumb bit cleared for functions
  uint32_t size = 0;
  bool is_function = false;
};

class ElfImage {
 public:
  // Reads and validates `path`. Errors: missing file, not an ELF, not 32-bit, not little-
  // endian, not ARM, not an executable, truncated (a segment's bytes past the end of the
  // file), no loadable segments.
  static Result<ElfImage> Read(const std::string& path);

  // Checks that every segment fits the board's memories (see the header comment) and writes
  // the file bytes into the machine. A segment that does not fit is an error naming the
  // segment, its sections, its address range and the board's memories.
  Status LoadInto(Machine& machine) const;

  // "func+0x1a" for the function (or object) containing `address`, "func+0x1a?" past the end
  // of the nearest preceding function, or "0x%08x" when nothing is near.
  std::string Symbolize(uint32_t address) const;
  // The symbol named `name`, or nullptr.
  const ElfSymbol* FindSymbol(const std::string& name) const;

  const std::string& path() const { return path_; }
  uint32_t entry() const { return entry_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }
  const std::vector<ElfSymbol>& symbols() const { return symbols_; }  // sorted by address
  // Where code may run: the executable (SHF_EXECINSTR) allocated sections at their run
  // addresses, or whole executable segments that name no such section. LoadInto passes
  // them to Machine::AddCodeRange.
  struct CodeRange {
    uint32_t begin = 0;
    uint64_t end = 0;  // one past the last byte
  };
  const std::vector<CodeRange>& code_ranges() const { return code_ranges_; }
  bool has_end_symbol() const { return has_end_; }
  uint32_t end_symbol() const { return end_; }

 private:
  std::string path_;
  uint32_t entry_ = 0;
  std::vector<ElfSegment> segments_;
  std::vector<ElfSymbol> symbols_;
  std::vector<CodeRange> code_ranges_;
  bool has_end_ = false;
  uint32_t end_ = 0;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_ELF_IMAGE_H_
