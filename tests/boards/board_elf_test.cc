// Checks every cross-built firmware ELF (build/<dir>/firmware/<board>/*.elf) against its
// board description (boards/<board>.toml): the ELF is a 32-bit ARM executable, the vector
// table sits at the board's vector_table address (start of flash) with an initial SP at the
// top of a RAM region and a Thumb reset vector equal to the entry point, every PT_LOAD
// segment lies inside the board's memories (its load image inside flash), and the arena the
// linker script leaves is 16-byte aligned RAM. Also: every expected (board, model) pair
// produced either an ELF with its size report or a 'does not fit' record from the linker.
//
// Which board: the test is parameterized by board id (CTest runs one board per test with
// --gtest_filter=*/<board>). Data: EMBER_FW_DIR, EMBER_FW_EXPECTED (compile definitions).
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <toml++/toml.h>

namespace ember::boards {
namespace {

namespace fs = std::filesystem;

struct Memory {
  std::string name;
  std::string kind;
  uint64_t base = 0;
  uint64_t size = 0;
  uint64_t end() const { return base + size; }
  bool ContainsRange(uint64_t begin, uint64_t bytes) const {
    return begin >= base && begin + bytes <= end();
  }
  bool IsRam() const { return kind == "sram" || kind == "tcm"; }
};

struct Board {
  std::string id;
  uint64_t vector_table = 0;
  std::vector<Memory> memories;
};

std::optional<Board> LoadBoard(const std::string& id, std::string* error) {
  const fs::path path = fs::path(EMBER_SOURCE_DIR) / "boards" / (id + ".toml");
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    *error = path.string() + ": " + std::string(e.description());
    return std::nullopt;
  }
  Board board;
  board.id = id;
  board.vector_table = table["vector_table"].value_or<int64_t>(-1);
  if (const toml::array* memories = table["memory"].as_array()) {
    for (const toml::node& node : *memories) {
      const toml::table* m = node.as_table();
      if (m == nullptr) continue;
      Memory memory;
      memory.name = (*m)["name"].value_or<std::string>("");
      memory.kind = (*m)["kind"].value_or<std::string>("");
      memory.base = static_cast<uint64_t>((*m)["base"].value_or<int64_t>(0));
      memory.size = static_cast<uint64_t>((*m)["size"].value_or<int64_t>(0));
      board.memories.push_back(memory);
    }
  }
  if (board.memories.empty()) {
    *error = path.string() + ": no [[memory]] regions";
    return std::nullopt;
  }
  return board;
}

const Memory* FindMemory(const Board& board, uint64_t begin, uint64_t bytes) {
  for (const Memory& m : board.memories) {
    if (m.ContainsRange(begin, bytes)) return &m;
  }
  return nullptr;
}

struct Segment {
  uint64_t vaddr, paddr, filesz, memsz, offset;
  uint32_t flags;
};

struct Elf32Image {
  std::string error;
  uint16_t machine = 0;
  int elf_class = 0;
  uint16_t type = 0;
  uint64_t entry = 0;
  std::vector<Segment> segments;
  std::map<std::string, uint64_t> symbols;
  std::vector<uint8_t> bytes;  // the whole file
};

Elf32Image ReadElf(const fs::path& path) {
  Elf32Image image;
  std::ifstream f(path, std::ios::binary);
  image.bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  if (elf_version(EV_CURRENT) == EV_NONE) {
    image.error = "libelf: elf_version failed";
    return image;
  }
  Elf* elf = elf_memory(reinterpret_cast<char*>(image.bytes.data()), image.bytes.size());
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
    image.error = "not an ELF file";
    if (elf != nullptr) elf_end(elf);
    return image;
  }
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf, &ehdr) == nullptr) {
    image.error = elf_errmsg(-1);
    elf_end(elf);
    return image;
  }
  image.elf_class = gelf_getclass(elf);
  image.machine = ehdr.e_machine;
  image.type = ehdr.e_type;
  image.entry = ehdr.e_entry;
  size_t phnum = 0;
  elf_getphdrnum(elf, &phnum);
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_LOAD) continue;
    image.segments.push_back({ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_offset, ph.p_flags});
  }
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(elf, scn)) != nullptr) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    const size_t count = sh.sh_entsize == 0 ? 0 : sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) continue;
      const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (name != nullptr && name[0] != '\0') image.symbols[name] = sym.st_value;
    }
  }
  elf_end(elf);
  return image;
}

// The 32-bit little-endian word at `address` in the file's load image (flash).
std::optional<uint32_t> WordAt(const Elf32Image& image, uint64_t address) {
  for (const Segment& s : image.segments) {
    if (address >= s.paddr && address + 4 <= s.paddr + s.filesz) {
      const uint64_t off = s.offset + (address - s.paddr);
      if (off + 4 > image.bytes.size()) return std::nullopt;
      return uint32_t{image.bytes[off]} | uint32_t{image.bytes[off + 1]} << 8 |
             uint32_t{image.bytes[off + 2]} << 16 | uint32_t{image.bytes[off + 3]} << 24;
    }
  }
  return std::nullopt;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, sep)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string ReadText(const fs::path& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

class BoardElfTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    board_ = LoadBoard(GetParam(), &error);
    ASSERT_TRUE(board_.has_value()) << error;
    dir_ = fs::path(EMBER_FW_DIR) / GetParam();
    ASSERT_TRUE(fs::is_directory(dir_)) << dir_ << " missing: build the firmware first "
                                        << "(target ember_firmware)";
  }
  std::vector<fs::path> Elfs() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".elf") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::optional<Board> board_;
  fs::path dir_;
};

TEST_P(BoardElfTest, ExpectedFirmwareBuiltOrReportedAsNotFitting) {
  for (const std::string& name : Split(EMBER_FW_EXPECTED, ';')) {
    const fs::path elf = dir_ / (name + ".elf");
    const fs::path marker = dir_ / (name + ".elf.does_not_fit");
    const bool built = fs::exists(elf);
    const bool skipped = fs::exists(marker);
    EXPECT_NE(built, skipped) << name << ": expected exactly one of " << elf << " and " << marker;
    if (built) {
      const std::string size = ReadText(dir_ / (name + ".elf.size.txt"));
      EXPECT_NE(size.find("text"), std::string::npos) << name << ": no size report";
      EXPECT_TRUE(fs::exists(dir_ / (name + ".map"))) << name << ": no map file";
    }
    if (skipped) {
      const std::string why = ReadText(marker);
      EXPECT_TRUE(why.find("overflowed") != std::string::npos ||
                  why.find("ember: does not fit") != std::string::npos)
          << name << ": the 'does not fit' record should quote the linker: " << why;
    }
  }
  EXPECT_TRUE(fs::exists(dir_ / "selftest.elf")) << "the self-test firmware always fits";
}

TEST_P(BoardElfTest, VectorTableAtFlashStartAndSegmentsInsideMemories) {
  const std::vector<fs::path> elfs = Elfs();
  ASSERT_FALSE(elfs.empty());
  for (const fs::path& path : elfs) {
    SCOPED_TRACE(path.string());
    const Elf32Image image = ReadElf(path);
    ASSERT_TRUE(image.error.empty()) << image.error;
    EXPECT_EQ(image.elf_class, ELFCLASS32);
    EXPECT_EQ(image.machine, EM_ARM);
    EXPECT_EQ(image.type, ET_EXEC);

    ASSERT_FALSE(image.segments.empty());
    for (const Segment& s : image.segments) {
      if (s.memsz == 0) continue;
      const Memory* run = FindMemory(*board_, s.vaddr, s.memsz);
      EXPECT_NE(run, nullptr) << "segment " << Hex(s.vaddr) << " + " << s.memsz
                              << " is outside the board's memories";
      if (s.filesz > 0) {
        const Memory* load = FindMemory(*board_, s.paddr, s.filesz);
        ASSERT_NE(load, nullptr) << "load image " << Hex(s.paddr) << " + " << s.filesz;
        EXPECT_EQ(load->kind, "flash") << "initialised data must be loaded from flash";
      }
      if (run != nullptr && run->IsRam() && s.filesz > 0) {
        EXPECT_NE(s.paddr, s.vaddr) << ".data must have its load address in flash";
      }
    }

    const auto vt = image.symbols.find("g_ember_vector_table");
    ASSERT_NE(vt, image.symbols.end());
    EXPECT_EQ(vt->second, board_->vector_table) << "vector table not at the start of flash";
    const std::optional<uint32_t> sp = WordAt(image, board_->vector_table);
    const std::optional<uint32_t> reset = WordAt(image, board_->vector_table + 4);
    ASSERT_TRUE(sp.has_value() && reset.has_value()) << "no vector table in the load image";
    EXPECT_EQ(*sp % 8, 0u) << "initial SP " << Hex(*sp) << " not 8-byte aligned";
    bool sp_at_ram_top = false;
    for (const Memory& m : board_->memories) sp_at_ram_top |= m.IsRam() && *sp == m.end();
    EXPECT_TRUE(sp_at_ram_top) << "initial SP " << Hex(*sp) << " is not the top of a RAM region";
    EXPECT_EQ(*reset & 1u, 1u) << "reset vector must have the Thumb bit";
    EXPECT_EQ(*reset, image.entry) << "reset vector differs from the ELF entry";
    const Memory* reset_mem = FindMemory(*board_, *reset & ~1u, 2);
    ASSERT_NE(reset_mem, nullptr);
    EXPECT_EQ(reset_mem->kind, "flash");

    const auto a0 = image.symbols.find("__ember_arena_start");
    const auto a1 = image.symbols.find("__ember_arena_end");
    ASSERT_TRUE(a0 != image.symbols.end() && a1 != image.symbols.end());
    EXPECT_EQ(a0->second % 16, 0u);
    EXPECT_GT(a1->second, a0->second);
    const Memory* arena = FindMemory(*board_, a0->second, a1->second - a0->second);
    ASSERT_NE(arena, nullptr) << "arena outside the board's memories";
    EXPECT_TRUE(arena->IsRam());
  }
}

std::vector<std::string> Boards() { return Split(EMBER_FW_BOARDS, ';'); }

INSTANTIATE_TEST_SUITE_P(Boards, BoardElfTest, ::testing::ValuesIn(Boards()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace ember::boards
