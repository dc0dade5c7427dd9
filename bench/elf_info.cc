// Minimal ELF32 reader (elf_info.h). Field offsets are those of the ELF specification
// (System V ABI, Elf32_Ehdr / Elf32_Shdr / Elf32_Sym).
#include "bench/elf_info.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

namespace ember::bench {
namespace {

constexpr uint32_t kShtSymtab = 2;
constexpr uint32_t kShtNobits = 8;
constexpr uint32_t kShfWrite = 1;
constexpr uint32_t kShfAlloc = 2;
constexpr uint8_t kSttFunc = 2;

uint16_t U16(const std::vector<uint8_t>& b, size_t off) {
  return static_cast<uint16_t>(b[off] | (b[off + 1] << 8));
}
uint32_t U32(const std::vector<uint8_t>& b, size_t off) {
  return static_cast<uint32_t>(b[off]) | (static_cast<uint32_t>(b[off + 1]) << 8) |
         (static_cast<uint32_t>(b[off + 2]) << 16) | (static_cast<uint32_t>(b[off + 3]) << 24);
}

std::string CString(const std::vector<uint8_t>& b, size_t off) {
  if (off >= b.size()) return "";
  const void* end = std::memchr(b.data() + off, 0, b.size() - off);
  if (end == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(b.data() + off),
                     static_cast<const uint8_t*>(end) - (b.data() + off));
}

bool IsRuntimeCore(const std::string& mangled) {
  // ember::rt::..., ember::schema::..., flatbuffers::... (mangled _ZN / _ZNK prefixes).
  for (const char* p : {"_ZN5ember2rt", "_ZNK5ember2rt", "_ZN5ember6schema", "_ZNK5ember6schema",
                        "_ZN11flatbuffers", "_ZNK11flatbuffers"}) {
    if (mangled.rfind(p, 0) == 0) return true;
  }
  return false;
}

bool IsKernel(const std::string& mangled) {
  return mangled.rfind("_ZN5ember7kernels", 0) == 0 || mangled.rfind("_ZNK5ember7kernels", 0) == 0;
}

SectionSizes SymbolSizes(const ElfInfo& elf, bool (*belongs)(const std::string&)) {
  SectionSizes s;
  s.valid = true;
  for (const ElfSymbol& sym : elf.symbols) {
    if (sym.size == 0 || !belongs(sym.name)) continue;
    if (sym.section == 0 || sym.section >= elf.sections.size()) continue;
    const ElfSection& sec = elf.sections[sym.section];
    if (!(sec.flags & kShfAlloc)) continue;
    if (!(sec.flags & kShfWrite)) {
      s.text += sym.size;
    } else if (sec.type == kShtNobits) {
      s.bss += sym.size;
    } else {
      s.data += sym.size;
    }
  }
  return s;
}

}  // namespace

const ElfSymbol* ElfInfo::Find(const std::string& name) const {
  for (const ElfSymbol& s : symbols) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const ElfSymbol* ElfInfo::FunctionAt(uint32_t address) const {
  address &= ~1u;
  for (const ElfSymbol& s : symbols) {
    if (s.type != kSttFunc) continue;
    const uint32_t start = s.value & ~1u;
    if (address >= start && address < start + std::max<uint32_t>(s.size, 1)) return &s;
  }
  return nullptr;
}

bool ReadElf(const std::string& path, ElfInfo* out, std::string* error) {
  *out = ElfInfo{};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (b.size() < 52 ||
      std::memcmp(b.data(),
                  "\x7f"
                  "ELF",
                  4) != 0 ||
      b[4] != 1 || b[5] != 1) {
    *error = path + ": not a little-endian ELF32 file";
    return false;
  }
  const uint32_t shoff = U32(b, 32);
  const uint16_t shentsize = U16(b, 46);
  const uint16_t shnum = U16(b, 48);
  const uint16_t shstrndx = U16(b, 50);
  if (shentsize < 40 || shoff + uint64_t{shnum} * shentsize > b.size() || shstrndx >= shnum) {
    *error = path + ": bad section header table";
    return false;
  }
  struct Raw {
    uint32_t name, type, flags, addr, offset, size, link, entsize;
  };
  std::vector<Raw> raw(shnum);
  for (uint16_t i = 0; i < shnum; ++i) {
    const size_t o = shoff + size_t{i} * shentsize;
    raw[i] = {U32(b, o),      U32(b, o + 4),  U32(b, o + 8),  U32(b, o + 12),
              U32(b, o + 16), U32(b, o + 20), U32(b, o + 24), U32(b, o + 36)};
    if (raw[i].type != kShtNobits && uint64_t{raw[i].offset} + raw[i].size > b.size()) {
      *error = path + ": section " + std::to_string(i) + " outside the file";
      return false;
    }
  }
  const Raw& shstr = raw[shstrndx];
  for (const Raw& r : raw) {
    ElfSection s;
    s.name = r.name < shstr.size ? CString(b, shstr.offset + r.name) : "";
    s.type = r.type;
    s.flags = r.flags;
    s.addr = r.addr;
    s.size = r.size;
    out->sections.push_back(s);
  }
  for (const Raw& r : raw) {
    if (r.type != kShtSymtab || r.entsize < 16 || r.link >= shnum) continue;
    const Raw& strtab = raw[r.link];
    for (uint32_t o = r.offset; o + 16 <= r.offset + r.size; o += r.entsize) {
      ElfSymbol s;
      const uint32_t name = U32(b, o);
      s.name = name < strtab.size ? CString(b, strtab.offset + name) : "";
      s.value = U32(b, o + 4);
      s.size = U32(b, o + 8);
      s.type = b[o + 12] & 0xf;
      s.section = U16(b, o + 14);
      if (!s.name.empty()) out->symbols.push_back(std::move(s));
    }
  }
  return true;
}

SectionSizes ImageSizes(const ElfInfo& elf) {
  SectionSizes s;
  s.valid = true;
  for (const ElfSection& sec : elf.sections) {
    if (!(sec.flags & kShfAlloc)) continue;
    if (sec.name == ".ember_arena" || sec.name == ".heap" || sec.name == ".stack") continue;
    if (!(sec.flags & kShfWrite)) {
      s.text += sec.size;
    } else if (sec.type == kShtNobits) {
      s.bss += sec.size;
    } else {
      s.data += sec.size;
    }
  }
  s.what = "ELF sections (bss without arena/heap/stack)";
  return s;
}

SectionSizes RuntimeCoreSizes(const ElfInfo& elf) {
  SectionSizes s = SymbolSizes(elf, &IsRuntimeCore);
  s.what = "sized symbols of ember::rt + model reader in the firmware (no string literals)";
  return s;
}

SectionSizes KernelSizes(const ElfInfo& elf) {
  SectionSizes s = SymbolSizes(elf, &IsKernel);
  s.what = "sized symbols of ember::kernels in the firmware";
  return s;
}

std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> d(
      abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), std::free);
  return status == 0 && d ? std::string(d.get()) : name;
}

}  // namespace ember::bench
