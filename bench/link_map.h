// Flash bytes per object file, read from the GNU ld map file (-Wl,-Map) that every
// firmware link writes next to its ELF. Users ask what each op and each runtime part
// costs in flash; symbol sizes (elf_info.h) miss literal pools, padding and anonymous
// data, the linker map has every input section that was kept.
// Host-only.
#ifndef EMBER_BENCH_LINK_MAP_H_
#define EMBER_BENCH_LINK_MAP_H_

#include <cstdint>
#include <string>
#include <vector>

namespace ember::bench {

// One object file's contribution to the flash image: code, read-only data, the load
// image of initialized data, and the exception tables.
struct MapObject {
  std::string archive;  // file name of the library ("libember_kernels.a"), "" for a plain object
  std::string member;   // object file name ("svdf.cc.obj")
  uint64_t flash = 0;
};

// Parses `path` (the part after "Linker script and memory map"). Input sections of
// output sections that are not loaded (debug info, .comment, attributes) or hold no
// bytes in flash (.bss, .stack, .heap, the arena, .noinit) are not counted.
// Objects come out in first-seen order. False (with *error) when the file cannot be read
// or has no memory map.
[[nodiscard]] bool ReadLinkMap(const std::string& path, std::vector<MapObject>* out,
                               std::string* error);
// Same, from the map file's text (for tests).
[[nodiscard]] bool ParseLinkMap(const std::string& text, std::vector<MapObject>* out,
                                std::string* error);

// A row of the "code size by part" table.
struct CodePart {
  std::string group;  // "runtime", "kernels", "C library", "libgcc", "board and app"
  std::string part;   // e.g. "SVDF (svdf.cc)", "interpreter (interpreter.cc)"
  uint64_t flash = 0;
};

// Groups the objects: one row per runtime and kernel object file (named after the op or
// runtime part it implements), one row per other group. Rows of a group keep the size
// order (largest first); groups come in the order above.
std::vector<CodePart> GroupCodeParts(const std::vector<MapObject>& objects);

}  // namespace ember::bench

#endif  // EMBER_BENCH_LINK_MAP_H_
