// Minimal ELF32 (little-endian, ARM) reader for the benchmark: section headers and the
// symbol table, used to (1) find where the firmware's flash image ends (the model slot),
// (2) name the kernel functions for the symbol cross-check, (3) measure code size per
// part (runtime core, kernels, harness, C library) from symbol sizes.
// Host-only. Parses the file itself (no libelf) because it needs only these two tables.
#ifndef EMBER_BENCH_ELF_INFO_H_
#define EMBER_BENCH_ELF_INFO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/model_bench.h"

namespace ember::bench {

struct ElfSection {
  std::string name;
  uint32_t type = 0;   // SHT_*
  uint32_t flags = 0;  // SHF_*
  uint32_t addr = 0;
  uint32_t size = 0;
};

struct ElfSymbol {
  std::string name;    // mangled
  uint32_t value = 0;  // address (Thumb functions have bit 0 set)
  uint32_t size = 0;
  uint8_t type = 0;  // STT_FUNC = 2, STT_OBJECT = 1
  uint16_t section = 0;
};

struct ElfInfo {
  std::vector<ElfSection> sections;
  std::vector<ElfSymbol> symbols;
  const ElfSymbol* Find(const std::string& name) const;
  // The function symbol containing `address` (Thumb bit ignored), or nullptr.
  const ElfSymbol* FunctionAt(uint32_t address) const;
};

[[nodiscard]] bool ReadElf(const std::string& path, ElfInfo* out, std::string* error);

// Berkeley-style sizes of the whole image: text = allocated read-only sections,
// data = allocated writable PROGBITS, bss = allocated writable NOBITS except the
// linker-sized regions (.ember_arena, .heap, .stack), which are reported by the arena
// numbers instead.
SectionSizes ImageSizes(const ElfInfo& elf);

// Sizes of the symbols that belong to the runtime core (namespace ember::rt, the
// FlatBuffers reader ember::schema / flatbuffers) split into text/data/bss by section.
SectionSizes RuntimeCoreSizes(const ElfInfo& elf);

// Likewise for the kernels (namespace ember::kernels).
SectionSizes KernelSizes(const ElfInfo& elf);

// Demangled symbol name (the mangled one when it is not a C++ name).
std::string Demangle(const std::string& name);

}  // namespace ember::bench

#endif  // EMBER_BENCH_ELF_INFO_H_
