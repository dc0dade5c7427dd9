// bench/link_map: flash bytes per object file from a GNU ld map, grouped per op and part.
#include "bench/link_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ember::bench {
namespace {

// The shapes GNU ld writes: input sections with address/size/file on the same line or on
// the next one, symbol lines, *fill*, patterns, sections that are not in flash, and the
// discarded-sections part before the memory map (not counted).
const char kMap[] = R"(Archive member included to satisfy reference by file (symbol)

Discarded input sections

 .text          0x00000000       0x40 kernels/libember_kernels.a(svdf.cc.obj)

Linker script and memory map

LOAD kernels/libember_kernels.a

.isr_vector     0x00000000       0xc0
 *(.isr_vector)
 .isr_vector    0x00000000       0xc0 boards/CMakeFiles/b.dir/common/startup.c.obj
                0x00000000                g_ember_vector_table

.text           0x000000c0     0x1000
 .text._ZN5ember7kernels4SvdfEv
                0x000000c0      0x100 /x/kernels/libember_kernels.a(svdf.cc.obj)
                0x000000c0                ember::kernels::Svdf()
 *fill*         0x000001c0        0x2 
 .text.Run      0x000001c4       0x20 /x/runtime/libember_runtime.a(interpreter.cc.obj)
 .text.memcpy   0x000001e4       0x30 /usr/lib/arm-none-eabi/lib/libc_nano.a(lib_a-memcpy.o)
 .text.__udivmoddi4
                0x00000214       0x10 /usr/lib/gcc/arm-none-eabi/12.2.1/libgcc.a(_udivmoddi4.o)
 .text.conv     0x00000224       0x44 /x/kernels/libember_kernels.a(conv_dsp.cc.obj)

.rodata         0x00001000      0x100
 .rodata.str1.1
                0x00001000       0x18 /x/kernels/libember_kernels.a(svdf.cc.obj)

.data           0x10000000        0x8 load address 0x00001100
 .data.x        0x10000000        0x8 /x/runtime/libember_runtime.a(interpreter.cc.obj)

.bss            0x10000008      0x100
 .bss.state     0x10000008      0x100 /x/runtime/libember_runtime.a(interpreter.cc.obj)

.ember_arena    0x10000108     0x1000
 .ember_arena   0x10000108     0x1000 boards/CMakeFiles/b.dir/common/startup.c.obj

.comment        0x00000000       0x26
 .comment       0x00000000       0x26 /x/kernels/libember_kernels.a(svdf.cc.obj)

.debug_info     0x00000000      0x500
 .debug_info    0x00000000      0x500 /x/kernels/libember_kernels.a(svdf.cc.obj)
)";

const MapObject* Find(const std::vector<MapObject>& objects, const std::string& member) {
  for (const MapObject& o : objects) {
    if (o.member == member) return &o;
  }
  return nullptr;
}

TEST(LinkMap, CountsFlashBytesPerObject) {
  std::vector<MapObject> objects;
  std::string error;
  ASSERT_TRUE(ParseLinkMap(kMap, &objects, &error)) << error;
  const MapObject* svdf = Find(objects, "svdf.cc.obj");
  ASSERT_NE(svdf, nullptr);
  EXPECT_EQ(svdf->archive, "libember_kernels.a");
  EXPECT_EQ(svdf->flash, 0x100u + 0x18u);  // .text + .rodata; not .comment/.debug/discarded
  const MapObject* interp = Find(objects, "interpreter.cc.obj");
  ASSERT_NE(interp, nullptr);
  EXPECT_EQ(interp->flash, 0x20u + 0x8u);  // .text + .data's load image; not .bss
  const MapObject* startup = Find(objects, "startup.c.obj");
  ASSERT_NE(startup, nullptr);
  EXPECT_EQ(startup->archive, "");
  EXPECT_EQ(startup->flash, 0xc0u);  // the vector table; not the arena
  EXPECT_EQ(Find(objects, "lib_a-memcpy.o")->flash, 0x30u);
  EXPECT_EQ(Find(objects, "_udivmoddi4.o")->flash, 0x10u);
  uint64_t total = 0;
  for (const MapObject& o : objects) total += o.flash;
  EXPECT_EQ(total, 0xc0u + 0x100u + 0x20u + 0x30u + 0x10u + 0x44u + 0x18u + 0x8u);
}

TEST(LinkMap, GroupsPerOpAndPart) {
  std::vector<MapObject> objects;
  std::string error;
  ASSERT_TRUE(ParseLinkMap(kMap, &objects, &error)) << error;
  const std::vector<CodePart> parts = GroupCodeParts(objects);
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_EQ(parts[0].group, "runtime");
  EXPECT_EQ(parts[0].part, "interpreter.cc");
  EXPECT_EQ(parts[1].group, "kernels");
  EXPECT_EQ(parts[1].part, "SVDF (svdf.cc)");  // largest first
  EXPECT_EQ(parts[2].part, "CONV_2D, DSP variant (conv_dsp.cc)");
  EXPECT_EQ(parts[3].group, "board and app");
  EXPECT_EQ(parts[3].flash, 0xc0u);
  EXPECT_EQ(parts[4].group, "C library");
  EXPECT_EQ(parts[5].group, "libgcc");
}

TEST(LinkMap, NotAMapIsAnError) {
  std::vector<MapObject> objects;
  std::string error;
  EXPECT_FALSE(ParseLinkMap("hello\nworld\n", &objects, &error));
  EXPECT_NE(error.find("Linker script and memory map"), std::string::npos) << error;
  EXPECT_FALSE(ReadLinkMap("/nonexistent/x.map", &objects, &error));
  EXPECT_NE(error.find("cannot read the linker map /nonexistent/x.map"), std::string::npos);
}

}  // namespace
}  // namespace ember::bench
