// Reading firmware ELF files with libelf (see sim/elf_image.h).
#include "sim/elf_image.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace ember::sim {
namespace {

// Closes the ELF handle and file descriptor on every path.
class ElfFile {
 public:
  ~ElfFile() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) close(fd_);
  }
  Status Open(const std::string& path) {
    if (elf_version(EV_CURRENT) == EV_NONE) return Status::Error("libelf: initialisation failed");
    fd_ = open(path.c_str(), O_RDONLY);
    if (fd_ < 0) return Status::Error(fmt::format("{}: cannot open firmware file", path));
    struct stat st;
    if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      return Status::Error(fmt::format("{}: not a regular file", path));
    }
    size_ = static_cast<uint64_t>(st.st_size);
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_) return Status::Error(fmt::format("{}: libelf: {}", path, elf_errmsg(-1)));
    return Status::Ok();
  }
  Elf* elf() const { return elf_; }
  uint64_t size() const { return size_; }

 private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
  uint64_t size_ = 0;
};

// Regions covering [begin, end) with no gap (adjacent memories may be crossed).
bool Covered(const BoardConfig& board, uint64_t begin, uint64_t end) {
  while (begin < end) {
    const MemoryRegion* m = board.FindMemory(static_cast<uint32_t>(begin));
    if (!m || begin > 0xffffffffu) return false;
    begin = m->end();
  }
  return true;
}

}  // namespace

Result<ElfImage> ElfImage::Read(const std::string& path) {
  ElfFile file;
  EMBER_SIM_RETURN_IF_ERROR(file.Open(path));
  Elf* elf = file.elf();
  if (elf_kind(elf) != ELF_K_ELF) {
    return Status::Error(fmt::format("{}: not an ELF file", path));
  }
  size_t ident_size = 0;
  const char* ident = elf_getident(elf, &ident_size);
  if (!ident || ident_size < EI_NIDENT) {
    return Status::Error(fmt::format("{}: truncated ELF header", path));
  }
  if (ident[EI_CLASS] != ELFCLASS32) {
    return Status::Error(
        fmt::format("{}: not a 32-bit ELF (class {}); Cortex-M firmware is "
                    "ELFCLASS32",
                    path, static_cast<int>(ident[EI_CLASS])));
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    return Status::Error(fmt::format("{}: not a little-endian ELF", path));
  }
  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf, &ehdr)) {
    return Status::Error(
        fmt::format("{}: truncated or corrupt ELF header: {}", path, elf_errmsg(-1)));
  }
  if (ehdr.e_machine != EM_ARM) {
    return Status::Error(fmt::format("{}: not an ARM ELF (e_machine {}, expected {} EM_ARM)", path,
                                     ehdr.e_machine, EM_ARM));
  }
  if (ehdr.e_type != ET_EXEC) {
    return Status::Error(
        fmt::format("{}: not an executable (e_type {}); link the firmware "
                    "first",
                    path, ehdr.e_type));
  }
  ElfImage image;
  image.path_ = path;
  image.entry_ = static_cast<uint32_t>(ehdr.e_entry);

  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) != 0) {
    return Status::Error(fmt::format("{}: cannot read program headers: {}", path, elf_errmsg(-1)));
  }
  // Section headers, to name what each segment holds.
  struct Section {
    std::string name;
    uint64_t addr, size;
    bool alloc;
    bool exec;
  };
  std::vector<Section> sections;
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh)) break;
      const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
      sections.push_back({name ? name : "?", sh.sh_addr, sh.sh_size,
                          (sh.sh_flags & SHF_ALLOC) != 0 && sh.sh_size != 0,
                          (sh.sh_flags & SHF_EXECINSTR) != 0});
      if (sh.sh_type == SHT_SYMTAB) {
        if (sh.sh_offset + sh.sh_size > file.size()) {
          return Status::Error(
              fmt::format("{}: truncated file: the symbol table ends at {} but "
                          "the file has {} bytes",
                          path, sh.sh_offset + sh.sh_size, file.size()));
        }
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data) {
          return Status::Error(
              fmt::format("{}: cannot read the symbol table: {}", path, elf_errmsg(-1)));
        }
        size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; ++i) {
          GElf_Sym sym;
          if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
          const char* sname = elf_strptr(elf, sh.sh_link, sym.st_name);
          if (!sname || !*sname || sym.st_shndx == SHN_UNDEF) continue;
          int type = GELF_ST_TYPE(sym.st_info);
          std::string n = sname;
          if (n == "end" || n == "_end" || n == "__end__") {
            image.has_end_ = true;
            image.end_ = static_cast<uint32_t>(sym.st_value);
          }
          if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) continue;
          if (type == STT_NOTYPE && (n[0] == '$' || n[0] == '.')) continue;  // mapping symbols
          ElfSymbol s;
          s.name = std::move(n);
          s.is_function = type == STT_FUNC;
          s.address = static_cast<uint32_t>(sym.st_value) & (s.is_function ? ~1u : ~0u);
          s.size = static_cast<uint32_t>(sym.st_size);
          image.symbols_.push_back(std::move(s));
        }
      }
    }
  }
  std::sort(image.symbols_.begin(), image.symbols_.end(),
            [](const ElfSymbol& a, const ElfSymbol& b) {
              if (a.address != b.address) return a.address < b.address;
              return a.is_function > b.is_function;  // functions first at equal addresses
            });

  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf, static_cast<int>(i), &ph)) {
      return Status::Error(
          fmt::format("{}: truncated or corrupt program header {}: {}", path, i, elf_errmsg(-1)));
    }
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_offset + ph.p_filesz > file.size()) {
      return Status::Error(
          fmt::format("{}: truncated file: segment {} needs bytes up to offset "
                      "{} but the file has {} bytes",
                      path, i, ph.p_offset + ph.p_filesz, file.size()));
    }
    if (ph.p_filesz > ph.p_memsz) {
      return Status::Error(fmt::format("{}: segment {}: file size > memory size", path, i));
    }
    ElfSegment seg;
    seg.index = static_cast<int>(i);
    seg.load_address = static_cast<uint32_t>(ph.p_paddr);
    seg.virtual_address = static_cast<uint32_t>(ph.p_vaddr);
    seg.file_size = static_cast<uint32_t>(ph.p_filesz);
    seg.mem_size = static_cast<uint32_t>(ph.p_memsz);
    seg.executable = (ph.p_flags & PF_X) != 0;
    bool named_code = false;
    for (const Section& s : sections) {
      if (s.alloc && s.addr >= ph.p_vaddr && s.addr < ph.p_vaddr + ph.p_memsz) {
        if (!seg.sections.empty()) seg.sections += ' ';
        seg.sections += s.name;
        if (s.exec) {
          image.code_ranges_.push_back({static_cast<uint32_t>(s.addr), s.addr + s.size});
          named_code = true;
        }
      }
    }
    // An executable segment without section headers naming its code: all of it may be code.
    if (seg.executable && !named_code) {
      image.code_ranges_.push_back(
          {static_cast<uint32_t>(ph.p_vaddr), uint64_t{ph.p_vaddr} + ph.p_memsz});
    }
    if (ph.p_filesz > 0) {
      Elf_Data* raw =
          elf_getdata_rawchunk(elf, static_cast<int64_t>(ph.p_offset), ph.p_filesz, ELF_T_BYTE);
      if (!raw || raw->d_size != ph.p_filesz) {
        return Status::Error(
            fmt::format("{}: cannot read segment {}: {}", path, i, elf_errmsg(-1)));
      }
      const auto* bytes = static_cast<const uint8_t*>(raw->d_buf);
      seg.data.assign(bytes, bytes + ph.p_filesz);
    }
    image.segments_.push_back(std::move(seg));
  }
  if (image.segments_.empty()) {
    return Status::Error(fmt::format("{}: no loadable (PT_LOAD) segments", path));
  }
  return image;
}

Status ElfImage::LoadInto(Machine& machine) const {
  const BoardConfig& board = machine.board();
  for (const ElfSegment& seg : segments_) {
    std::string what = fmt::format("segment {} ({})", seg.index,
                                   seg.sections.empty() ? "no sections" : seg.sections);
    uint64_t load_end = uint64_t{seg.load_address} + seg.file_size;
    if (seg.file_size > 0 && !Covered(board, seg.load_address, load_end)) {
      return Status::Error(fmt::format(
          "{}: {} loads at 0x{:08x}-0x{:08x} ({} bytes), outside the memories of board {} ({})",
          path_, what, seg.load_address, load_end - 1, seg.file_size, board.id,
          board.DescribeMemories()));
    }
    uint64_t run_end = uint64_t{seg.virtual_address} + seg.mem_size;
    if (!Covered(board, seg.virtual_address, run_end)) {
      return Status::Error(fmt::format(
          "{}: {} occupies 0x{:08x}-0x{:08x} ({} bytes) at run time, outside the memories of "
          "board {} ({})",
          path_, what, seg.virtual_address, run_end - 1, seg.mem_size, board.id,
          board.DescribeMemories()));
    }
    if (seg.file_size > 0) {
      EMBER_SIM_RETURN_IF_ERROR(
          machine.WriteMemory(seg.load_address, seg.data.data(), seg.data.size()));
    }
  }
  for (const CodeRange& c : code_ranges_) machine.AddCodeRange(c.begin, c.end);
  return Status::Ok();
}

std::string ElfImage::Symbolize(uint32_t address) const {
  // Last symbol with address <= target.
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](uint32_t a, const ElfSymbol& s) { return a < s.address; });
  const ElfSymbol* best = nullptr;
  while (it != symbols_.begin()) {
    --it;
    if (address < it->address + std::max<uint32_t>(it->size, 1)) {
      best = &*it;
      break;
    }
    if (!best && it->is_function) best = &*it;  // nearest preceding function as a fallback
    if (address - it->address > 0x10000) break;
  }
  if (!best) return fmt::format("0x{:08x}", address);
  bool inside = address < best->address + std::max<uint32_t>(best->size, 1);
  return fmt::format("{}+0x{:x}{}", best->name, address - best->address, inside ? "" : "?");
}

const ElfSymbol* ElfImage::FindSymbol(const std::string& name) const {
  for (const ElfSymbol& s : symbols_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace ember::sim
