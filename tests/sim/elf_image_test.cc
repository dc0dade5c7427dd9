// ELF loader tests: real cross-compiled firmware plus hand-made broken files.
#include "sim/elf_image.h"

#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "sim/machine.h"
#include "tests/sim/sim_test_util.h"

namespace ember::sim {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ember_sim_elf_test_" + name)).string();
}

void WriteFile(const std::string& path, const void* data, size_t size) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

std::vector<char> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}

// A bare 32-bit ELF header (no segments) with the given fields.
std::string WriteHeader(const std::string& name, unsigned char data_encoding, uint16_t machine,
                        uint16_t type) {
  Elf32_Ehdr h;
  std::memset(&h, 0, sizeof(h));
  std::memcpy(h.e_ident, ELFMAG, SELFMAG);
  h.e_ident[EI_CLASS] = ELFCLASS32;
  h.e_ident[EI_DATA] = data_encoding;
  h.e_ident[EI_VERSION] = EV_CURRENT;
  h.e_type = type;
  h.e_machine = machine;
  h.e_version = EV_CURRENT;
  h.e_ehsize = sizeof(h);
  if (data_encoding == ELFDATA2MSB) {  // byte-swap the multi-byte fields we set
    h.e_type = static_cast<uint16_t>((type >> 8) | (type << 8));
    h.e_machine = static_cast<uint16_t>((machine >> 8) | (machine << 8));
  }
  std::string path = TempPath(name);
  WriteFile(path, &h, sizeof(h));
  return path;
}

TEST(ElfImage, ReadsSegmentsAndSymbolsOfRealFirmware) {
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  auto image = ElfImage::Read(testing::FirmwarePath("hello_nucleo_f103rb"));
  ASSERT_TRUE(image.ok()) << image.status().message();
  ASSERT_FALSE(image->segments().empty());
  // .data is linked to RAM but loaded (LMA) in flash.
  bool data_in_flash = false;
  for (const ElfSegment& s : image->segments()) {
    if (s.sections.find(".data") != std::string::npos) {
      EXPECT_EQ(s.virtual_address & 0xff000000u, 0x20000000u);
      EXPECT_EQ(s.load_address & 0xff000000u, 0x08000000u);
      data_in_flash = true;
    }
  }
  EXPECT_TRUE(data_in_flash);
  const ElfSymbol* main_sym = image->FindSymbol("main");
  ASSERT_NE(main_sym, nullptr);
  EXPECT_TRUE(main_sym->is_function);
  EXPECT_EQ(main_sym->address & 1u, 0u);  // Thumb bit cleared
  EXPECT_EQ(image->Symbolize(main_sym->address + 4), "main+0x4");
  EXPECT_TRUE(image->has_end_symbol());
}

TEST(ElfImage, SegmentOutsideTheBoardsMemoriesIsAnError) {
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  auto image = ElfImage::Read(testing::FirmwarePath("hello_nucleo_f103rb"));
  ASSERT_TRUE(image.ok());
  // Linked for flash at 0x08000000; the SparkFun Edge has flash at 0 and SRAM at 0x10000000.
  auto machine = Machine::Create(testing::Board("sparkfun_edge"));
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  Status st = image->LoadInto(**machine);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("segment"));
  EXPECT_THAT(st.message(), HasSubstr(".isr_vector"));
  EXPECT_THAT(st.message(), HasSubstr("0x08000000-"));
  EXPECT_THAT(st.message(), HasSubstr("outside the memories of board sparkfun_edge"));
  EXPECT_THAT(st.message(), HasSubstr("flash 0x00000000-0x000fffff"));
  EXPECT_THAT(st.message(), HasSubstr("sram 0x10000000-0x1005ffff"));
}

TEST(ElfImage, RunTimeAddressOutsideRamIsAnError) {
  EMBER_REQUIRE_FIRMWARE("hello_raspberry_pi_pico");
  auto image = ElfImage::Read(testing::FirmwarePath("hello_raspberry_pi_pico"));
  ASSERT_TRUE(image.ok());
  BoardConfig board = testing::Board("raspberry_pi_pico");
  // Same board with SRAM moved up by 64 KB: .data still loads into flash, but its run-time
  // address 0x20000000 is no longer memory.
  ASSERT_EQ(board.memories[1].name, "sram");
  board.memories[1].base = 0x20010000;
  auto machine = Machine::Create(board);
  ASSERT_TRUE(machine.ok());
  Status st = image->LoadInto(**machine);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr(".data"));
  EXPECT_THAT(st.message(), HasSubstr("0x20000000-"));
  EXPECT_THAT(st.message(), HasSubstr("at run time"));
}

TEST(ElfImage, NotAnElf) {
  std::string path = TempPath("text");
  WriteFile(path, "hello, I am not an ELF file at all\n", 35);
  auto image = ElfImage::Read(path);
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("not an ELF file"));
  EXPECT_THAT(image.status().message(), HasSubstr(path));
}

TEST(ElfImage, HostExecutableIsNot32Bit) {
  auto image = ElfImage::Read("/proc/self/exe");
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("not a 32-bit ELF"));
}

TEST(ElfImage, NotArm) {
  auto image = ElfImage::Read(WriteHeader("x86", ELFDATA2LSB, EM_386, ET_EXEC));
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("not an ARM ELF"));
}

TEST(ElfImage, BigEndian) {
  auto image = ElfImage::Read(WriteHeader("be", ELFDATA2MSB, EM_ARM, ET_EXEC));
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("not a little-endian ELF"));
}

TEST(ElfImage, RelocatableObjectIsNotAnExecutable) {
  auto image = ElfImage::Read(WriteHeader("rel", ELFDATA2LSB, EM_ARM, ET_REL));
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("not an executable"));
}

TEST(ElfImage, NoLoadableSegments) {
  auto image = ElfImage::Read(WriteHeader("empty", ELFDATA2LSB, EM_ARM, ET_EXEC));
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("no loadable"));
}

TEST(ElfImage, TruncatedFile) {
  EMBER_REQUIRE_FIRMWARE("hello_sparkfun_edge");
  std::vector<char> bytes = ReadBytes(testing::FirmwarePath("hello_sparkfun_edge"));
  ASSERT_GT(bytes.size(), 4096u);
  // Cut inside the loadable segments.
  std::string path = TempPath("truncated");
  WriteFile(path, bytes.data(), 2048);
  auto image = ElfImage::Read(path);
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("truncated"));
  // Cut inside the ELF header itself.
  WriteFile(path, bytes.data(), 20);
  image = ElfImage::Read(path);
  EXPECT_FALSE(image.ok());
}

TEST(ElfImage, MissingFile) {
  auto image = ElfImage::Read("/nonexistent/firmware.elf");
  ASSERT_FALSE(image.ok());
  EXPECT_THAT(image.status().message(), HasSubstr("cannot open"));
}

}  // namespace
}  // namespace ember::sim
